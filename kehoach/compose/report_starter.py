"""From a plan to the papers that follow it: the YAML of its BÁO CÁO (the plan's activities listed, results left
to fill) and of the CÔNG VĂN that sends it (or a report) to the bodies its units report to.

Every school reports its results to its office before 15/6 each year (seed 000, part III). The report
takes the plan's units, variables and recipients as written (templates stay templates), cites the plan,
and opens with a results table: one row per activity of the plan, "Kết quả thực hiện" empty.
Activities are the rows of the plan's timetable when it has one; otherwise the lowest numbered parts
(khoản, tiết, điểm) of its "Nội dung …" section, or its "-" items when nothing there is numbered.
The cover letter takes the same units and variables, cites the document by number, date and abstract, and
is addressed ("Kính gửi") to each unit's `co_quan_quan_ly`, written as a template so the schools file says who.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from kehoach.input.vietnamese import viet_thuong_dau
from kehoach.model.doctypes import LOAI
from kehoach.model.vanban import BangNhap, Phan
from kehoach.model.reader import CheckedDocument

NUMBERED = ("dieu", "khoan", "tiet", "diem")
RESULT_COLUMNS = ["TT", "Nội dung hoạt động", "Kế hoạch", "Kết quả thực hiện", "Ghi chú"]
RESULT_WIDTHS = [0.6, 3.4, 1.6, 3.4, 1.4]


def _walk(parts: list[Phan]):
    """Every part, depth first, in reading order."""
    for part in parts:
        yield part
        yield from _walk(part.noi_dung)


def _column(table: BangNhap, *words: str) -> int | None:
    """The first column whose header contains one of the words (case-insensitive)."""
    for index, head in enumerate(table.cot):
        if any(word in head.lower() for word in words):
            return index
    return None


def _from_timetable(parts: list[Phan]) -> list[tuple[str, str]] | None:
    """(activity, planned time) from the first table with an activity column, or None."""
    for part in _walk(parts):
        if part.bang is None:
            continue
        what = _column(part.bang, "nội dung", "hoạt động")
        if what is None:
            continue
        when = _column(part.bang, "thời gian")
        return [(row[what] or "", (row[when] or "") if when is not None else "") for row in part.bang.dong]
    return None


def _from_contents(parts: list[Phan]) -> list[tuple[str, str]]:
    """(activity, "") from the plan's contents section (or its whole body)."""
    section = next((p for p in parts if p.muc and "nội dung" in p.muc.lower()), None)
    scope = section.noi_dung if section else parts
    leaves = [p for p in _walk(scope) if p.cap in NUMBERED and not any(c.cap in NUMBERED for c in p.noi_dung)]
    if not leaves:
        leaves = [p for p in _walk(scope) if p.cap == "gach"]
    return [(getattr(p, p.cap), "") for p in leaves]


def activities(plan: CheckedDocument) -> list[tuple[str, str]]:
    """The plan's activities as (what, when planned), in the plan's order."""
    return _from_timetable(plan.model.noi_dung) or _from_contents(plan.model.noi_dung)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _yaml(value: object, indent: int) -> list[str]:
    """Plain data (dicts, lists, texts) as YAML lines at the given indent."""
    pad = " " * indent
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines += [f"{pad}{key}:", *_yaml(item, indent + 2)]
            else:
                lines.append(f"{pad}{key}: {_q(item) if item is not None else ''}".rstrip())
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            inner = _yaml(item, indent + 2)
            lines.append(f"{pad}- {inner[0].lstrip()}")
            lines += inner[1:]
        return lines
    return [f"{pad}{_q(str(value))}"]


def _schools_path(plan_dir: Path, written: str, out_dir: Path) -> str:
    """The plan's schools file, as seen from the report's folder."""
    target = (plan_dir / written).resolve()
    try:
        return Path(os.path.relpath(target, out_dir.resolve())).as_posix()
    except ValueError:  # another drive on Windows
        return str(target)


def _citation(plan: CheckedDocument, by: str) -> str:
    """The plan as a sentence cites it: "Kế hoạch số 12/KH-… ngày 20/3/2023 <by> về …" (by: "của {{ cac_don_vi }}" or "")."""
    model = plan.model
    number = f"số {model.so}/{model.ky_hieu} " if model.so else ""
    day = f"ngày {model.ngay.day}/{model.ngay.month}/{model.ngay.year}"
    abstract = viet_thuong_dau(" ".join(model.trich_yeu.split()))
    return " ".join(filter(None, (f"{LOAI[model.loai].ten.capitalize()} {number}{day}", by, f"về {abstract}")))


def _head(plan: CheckedDocument, plan_path: Path, output: Path, symbol: str, day: date) -> list[str]:
    """The lines a document made from a plan shares with it: schools file, units, number, symbol, date, variables."""
    model, raw = plan.model, plan.source.data
    out = []
    if model.danh_sach_truong:
        out.append(f"danh_sach_truong: {_q(_schools_path(plan_path.parent, model.danh_sach_truong, output.parent))}")
    out += ["don_vi:", *_yaml(raw["don_vi"], 2),
            "so:                       # để trống: văn thư điền số khi ban hành",
            f"ky_hieu: {_q(symbol)}",
            f"ngay: {day.day}/{day.month}/{day.year}          # ngày ký"]
    if raw.get("bien"):
        out += ["bien:", *_yaml(raw["bien"], 2)]
    return out


def _signers(plan: CheckedDocument) -> list[str]:
    raw = plan.source.data
    return ["nguoi_ky:", *_yaml(raw["nguoi_ky"], 2)] if raw.get("nguoi_ky") else []


def report_yaml(plan: CheckedDocument, plan_path: Path, output: Path, today: date | None = None) -> str:
    """The text of a report file for `plan`, to be saved as `output`."""
    model, raw = plan.model, plan.source.data
    _, _, rest = model.ky_hieu.partition("-")
    symbol = f"BC-{rest}" if rest else "BC"
    abstract = " ".join(model.trich_yeu.split())
    rows = [[str(i), what, when, "", ""] for i, (what, when) in enumerate(activities(plan), start=1)]

    out = [
        f"# Báo cáo kết quả thực hiện kế hoạch {model.ky_hieu} ({plan_path.name}), tạo bằng `kehoach new report --from`.",
        "# Việc của văn thư: điền cột \"Kết quả thực hiện\" (và \"Ghi chú\" nếu cần), thay các dấu … bằng nội dung,",
        "# sửa ngày ký, rồi chạy: kehoach check <tệp này>.",
        "loai: bao_cao",
        "# Báo cáo chung của hai trường; báo cáo riêng của một trường thì xóa dòng của trường kia.",
        *_head(plan, plan_path, output, symbol, today or date.today()),
    ]
    out += [f"trich_yeu: {_q('Kết quả thực hiện kế hoạch ' + viet_thuong_dau(abstract))}",
            "can_cu:",
            "  - mo_dau: Thực hiện",
            f"    toan_van: {_q(_citation(plan, 'của {{ cac_don_vi }}'))}",
            "noi_dung:",
            "  - muc: Kết quả thực hiện",
            "    noi_dung:",
            "      # Mỗi dòng một hoạt động của kế hoạch: [TT, hoạt động, kế hoạch (thời gian), kết quả, ghi chú].",
            "      - bang:",
            f"          cot: [{', '.join(_q(c) for c in RESULT_COLUMNS)}]",
            f"          do_rong: [{', '.join(f'{w:g}' for w in RESULT_WIDTHS)}]",
            "          dong:"]
    out += [f"            - [{', '.join(_q(c) for c in row)}]" for row in rows] or ["            []"]
    out += ["  - muc: Đánh giá chung",
            "    noi_dung:",
            "      - khoan: Ưu điểm",
            "        noi_dung:",
            "          - gach: …",
            "      - khoan: Hạn chế, nguyên nhân",
            "        noi_dung:",
            "          - gach: …",
            "  - muc: Phương hướng, đề xuất",
            "    noi_dung:",
            "      - gach: …",
            *_signers(plan),
            "# Nơi nhận chép từ kế hoạch: sửa cho báo cáo (ví dụ: UBND phường … (để b/c), hoặc cơ quan quản lý của trường).",
            "noi_nhan:", *_yaml(raw["noi_nhan"], 2),
            f"luu: {_q(model.luu)}"]
    return "\n".join(out) + "\n"


# What the cover letter asks of the bodies it sends a document to: to guide a plan, to take a report into account.
REQUEST = {"ke_hoach": "xem xét, chỉ đạo để kế hoạch được thực hiện hiệu quả.", "bao_cao": "xem xét, tổng hợp."}


def _addressees(plan: CheckedDocument) -> list[str]:
    """Each unit's body reported to, as a template over the unit; units reporting to the same body share one line."""
    out, seen = [], set()
    for index, unit in enumerate(plan.don_vi):
        body = " ".join((unit.co_quan_quan_ly or "").split()).lower()
        if body and body in seen:
            continue
        seen.add(body)
        out.append(f"{{{{ don_vi[{index}].co_quan_quan_ly }}}}")
    return out


def cover_letter_yaml(plan: CheckedDocument, plan_path: Path, output: Path, today: date | None = None) -> str:
    """The text of the công văn that sends `plan` (a plan or a report) to its units' bodies, saved as `output`."""
    model = plan.model
    kind = LOAI[model.loai].ten.capitalize()
    # so-ky-hieu.format: a công văn's symbol is its issuers' abbreviations (no type abbreviation); blank if unknown.
    symbol = "-".join(unit.ky_hieu or "" for unit in plan.don_vi) if all(u.ky_hieu for u in plan.don_vi) else ""
    out = [
        f"# Công văn gửi {kind.lower()} {model.ky_hieu} ({plan_path.name}), tạo bằng `kehoach new cong-van --from`.",
        "# Việc của văn thư: xem lại trích yếu (in sau chữ V/v dưới số văn bản), nơi kính gửi và nội dung, sửa ngày ký,",
        "# rồi chạy: kehoach check <tệp này>. Văn bản khẩn: thêm dòng `do_khan: KHẨN` (hoặc THƯỢNG KHẨN, HỎA TỐC).",
        "loai: cong_van",
        *_head(plan, plan_path, output, symbol, today or date.today()),
        "# Ký hiệu công văn: chữ viết tắt tên đơn vị rồi của bộ phận soạn thảo, không có CV (ví dụ: MNHS-VP).",
        f"trich_yeu: {_q(f'gửi {kind} ' + viet_thuong_dau(' '.join(model.trich_yeu.split())))}",
        "# Nơi giải quyết trực tiếp: cơ quan quản lý của từng đơn vị (co_quan_quan_ly trong danh sách trường).",
        "kinh_gui:", *_yaml(_addressees(plan), 2),
        "noi_dung:",
        f"  - {_q('{{ cac_don_vi | viet_hoa_dau }} trân trọng gửi {{ kinh_gui }} ' + _citation(plan, '') + ' (gửi kèm công văn này).')}",
        f"  - {_q('Kính đề nghị {{ kinh_gui }} ' + REQUEST.get(model.loai, 'xem xét.'))}",
        *_signers(plan),
        "# Nơi nhận mở đầu bằng \"Như trên\" (các nơi ở Kính gửi), rồi các nơi khác nếu có.",
        "noi_nhan:",
        "  - Như trên",
        f"luu: {_q(model.luu)}",
    ]
    return "\n".join(out) + "\n"
