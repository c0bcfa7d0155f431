"""Reads a plan file into a checked CheckedDocument: YAML → model, schools and legal bases resolved.

Every problem is collected with its file, line and column before anything is raised, so that a
clerk sees all of them in one run.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ValidationError

from kehoach.errors import InputError, Problem, Where
from kehoach.input.loader import LoadedFile, Path_, load_file, load_text
from kehoach.input.vietnamese import viet_thuong_dau
from kehoach.model.doctypes import LOAI, KinhGuiRule
from kehoach.model.vanban import DanhMucCanCu, DanhSachTruong, DonVi, ThamChieuTruong, VanBanNhap, VanBanDanhMuc, unit_kind

TYPE_NAMES = {
    "string_type": "văn bản (chữ)", "list_type": "danh sách (các dòng bắt đầu bằng '- ')",
    "dict_type": "nhóm trường (các dòng 'ten: giá trị')", "model_type": "nhóm trường (các dòng 'ten: giá trị')",
    "model_attributes_type": "nhóm trường (các dòng 'ten: giá trị')",
    "float_parsing": "số", "float_type": "số", "int_parsing": "số nguyên", "bool_parsing": "có/không (true/false)",
    "date_type": "ngày", "date_from_datetime_parsing": "ngày",
}


class Source(Protocol):
    """What a plan is read from: its raw data and where each value stands (the file's line and column, or a
    roster's cell). A loaded file (loader.LoadedFile) is one; a batch row laid over the common plan (batch.rows.Overlay) another."""

    file: str
    data: object

    def where(self, path: Path_, key: bool = False) -> Where: ...

    def text_start(self, path: Path_) -> Where: ...


@dataclass(frozen=True)
class CheckedDocument:
    """A checked plan: the model, its issuing units resolved, and what it was read from."""

    model: VanBanNhap
    don_vi: tuple[DonVi, ...]
    source: Source
    catalogue: dict[str, VanBanDanhMuc]
    warnings: tuple[Problem, ...] = ()  # what is suspicious but not wrong (kehoach.errors.Warnings)


def _display_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _data_path(data: object, loc: tuple) -> tuple:
    """The part of a pydantic error location that exists in the YAML data (skipping union tags)."""
    path: list = []
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            continue
        path.append(part)
    return tuple(path)


def _strip(annotation: object) -> object:
    """X from X | None and Annotated[X, …]; from a union of models, the first model."""
    while typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated):
        args = typing.get_args(annotation)
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        annotation = models[0] if models else args[0]
    return annotation


def _model_at(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that validates the mapping at loc (for listing its allowed keys)."""
    current: object = model
    for part in loc:
        current = _strip(current)
        if typing.get_origin(current) in (list, dict):  # part is an index or a key: step into the items
            current = typing.get_args(current)[-1]
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return None
    current = _strip(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _without_union_tags(loc: tuple) -> tuple:
    """A location without the tag pydantic inserts after don_vi[i] (model.DonViHoacTruong)."""
    return tuple(part for i, part in enumerate(loc)
                 if not (i >= 2 and loc[i - 2] == "don_vi" and isinstance(loc[i - 1], int) and part in ("don_vi", "truong")
                         and len(loc) > i + 1))


def _problem(doc: Source, model: type[BaseModel], error: dict) -> Problem:
    loc = _without_union_tags(tuple(error["loc"]))
    path = _data_path(doc.data, loc)
    name = _display_path(path) or "tệp"
    kind = error["type"]
    if kind == "extra_forbidden":
        key = path[-1] if path else loc[-1]
        if " " in str(key):  # a sentence ending in ":" was read as a key
            return Problem(doc.where(path, key=True), "câu văn kết thúc bằng dấu hai chấm nên bị hiểu nhầm là tên trường",
                           'đặt cả câu trong ngoặc kép: - "… như sau:"')
        owner = _model_at(model, path[:-1])
        if model is VanBanNhap and len(path) == 3 and path[0] == "don_vi":  # which kind of unit was meant
            owner = ThamChieuTruong if unit_kind(doc.data["don_vi"][path[1]]) == "truong" else DonVi
        allowed = sorted(owner.model_fields) if owner else []
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"có phải ý bạn là '{close[0]}'?" if close else f"các khóa được dùng ở đây: {', '.join(allowed)}"
        return Problem(doc.where(path, key=True), f"khóa '{key}' không có trong mẫu văn bản", hint)
    if kind == "missing":
        field = loc[-1]
        where = doc.where(path)
        parent = _display_path(path) or "cấp ngoài cùng của tệp"
        hint = f"thêm dòng `{field}: …`"
        if field == "don_vi" and not path:  # the schema lets a batch's common plan leave its units to the roster
            hint += ("; nếu đây là kế hoạch chung của lệnh batch (các trường lấy từ danh sách cặp trường), tệp không cần "
                     "don_vi: kiểm tra cùng danh sách bằng `kehoach batch DANH_SÁCH --plan TỆP`")
        return Problem(where, f"thiếu khóa bắt buộc '{field}' (trong {parent})", hint)
    if kind in TYPE_NAMES and error.get("input") is None:  # `ten:` left empty, as a starter leaves it
        return Problem(doc.where(path), f"{name}: chưa điền", "điền nội dung sau dấu hai chấm")
    if kind in TYPE_NAMES:
        return Problem(doc.where(path), f"{name}: giá trị phải là {TYPE_NAMES[kind]}",
                       "sửa giá trị cho đúng kiểu, xem mẫu bằng lệnh `kehoach new`")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        if error.get("input") is None:  # `loai:` left empty
            return Problem(doc.where(path), f"{name}: chưa điền", f"điền một trong: {expected.replace(' or ', ' hoặc ')}")
        return Problem(doc.where(path), f"{name}: giá trị '{error.get('input')}' không hợp lệ", f"chỉ dùng: {expected.replace(' or ', ' hoặc ')}")
    if kind in ("too_short", "string_too_short"):
        return Problem(doc.where(path), f"{name}: không được để trống", "điền nội dung cho khóa này")
    if kind == "too_long":
        limit = error.get("ctx", {}).get("max_length")
        return Problem(doc.where(path), f"{name}: nhiều quá, tối đa {limit} mục", f"bớt xuống còn {limit} mục")
    if kind == "value_error":
        # A validator may say how to fix it after " — " (model.py's convention).
        message, _, hint = str(error.get("ctx", {}).get("error", error["msg"])).partition(" — ")
        return Problem(doc.where(path), f"{name}: {message}", hint)
    # pydantic's own words are English: the clerk reads only which value, and how to find the right form.
    return Problem(doc.where(path), f"{name}: giá trị không hợp lệ", "sửa giá trị cho đúng mẫu, xem mẫu bằng lệnh `kehoach new`")


def validate(doc: Source, model: type[BaseModel]) -> BaseModel:
    """Validate loaded YAML against a model; every problem becomes a Problem at its line and column."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        raise InputError([_problem(doc, model, e) for e in error.errors(include_url=False)]) from None


@cache
def catalogue() -> dict[str, VanBanDanhMuc]:
    """The shipped catalogue of legal bases, by number and symbol."""
    resource = files("kehoach").joinpath("data/can_cu.yaml")
    doc = load_text(resource.read_text("utf-8"), "kehoach/data/can_cu.yaml")
    doc.data = {"van_ban": doc.data}
    doc.values = {("van_ban", *k): v for k, v in doc.values.items()}
    doc.keys = {("van_ban", *k): v for k, v in doc.keys.items()}
    return validate(doc, DanhMucCanCu).van_ban


def _is_schools_list(data: object) -> bool:
    return isinstance(data, dict) and "truong" in data and "don_vi" not in data


def is_schools_file(path: Path) -> bool:
    """Whether a YAML file is a schools list (a `truong:` list and no `don_vi:`) rather than a plan."""
    try:
        return _is_schools_list(load_file(path).data)
    except InputError:
        return False


def read_schools(path: Path) -> tuple[dict[str, DonVi], LoadedFile]:
    """Read a schools file (danh sách trường)."""
    doc = load_file(path)
    return validate(doc, DanhSachTruong).truong, doc


def _is_file(path: Path) -> bool:
    """Whether path is a file; False also for a name the system cannot hold (over 255 characters, a NUL)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def schools_file(named: str, base: Path, where: Where) -> Path:
    """The schools file a plan names (`danh_sach_truong`, from the plan's folder); InputError at where if it is not there."""
    path = base / named.strip()
    if not _is_file(path):
        raise InputError(Problem(where, f"không tìm thấy tệp danh sách trường '{path}'",
                                 "kiểm tra tên tệp; đường dẫn tính từ thư mục của tệp kế hoạch"))
    return path


def find_school(code: str, schools: dict[str, DonVi], named: str, where: Where) -> DonVi | Problem:
    """The school of a code in a schools file (named as the clerk named it), or the problem at where, with close codes."""
    found = schools.get(code)
    if found is not None:
        return found
    close = difflib.get_close_matches(code, list(schools), n=3, cutoff=0.5)
    hint = f"có phải là: {', '.join(close)}?" if close else f"các mã có trong {named}: {', '.join(sorted(schools)[:10])}"
    return Problem(where, f"không có trường mã '{code}' trong {named}", hint)


def _resolve_units(model: VanBanNhap, doc: Source, base: Path) -> tuple[list[DonVi], list[Problem]]:
    problems: list[Problem] = []
    refs = [(i, u) for i, u in enumerate(model.don_vi) if isinstance(u, ThamChieuTruong)]
    schools: dict[str, DonVi] = {}
    if refs:
        if not model.danh_sach_truong:
            where = doc.where(("don_vi", refs[0][0], "truong"))
            raise InputError(Problem(where, "gọi trường theo mã nhưng chưa khai báo tệp danh sách trường",
                                     "thêm dòng `danh_sach_truong: truong.yaml` ở đầu tệp"))
        schools, _ = read_schools(schools_file(model.danh_sach_truong, base, doc.where(("danh_sach_truong",))))
    units: list[DonVi] = []
    for index, unit in enumerate(model.don_vi):
        if isinstance(unit, ThamChieuTruong):
            found = find_school(unit.truong, schools, model.danh_sach_truong or "", doc.where(("don_vi", index, "truong")))
            if isinstance(found, Problem):
                problems.append(found)
                continue
            unit = found.model_copy(update={"ma": unit.truong})
        units.append(unit)
    return units, problems


def _schools_path(doc: Source, base: Path) -> Path | None:
    """The schools file a plan names, if it is there to read."""
    name = doc.data.get("danh_sach_truong") if isinstance(doc.data, dict) else None
    if not isinstance(name, str) or not name.strip() or not _is_file(base / name):
        return None
    return base / name


def _schools_problems(doc: Source, base: Path) -> list[Problem]:
    """The problems of the schools file a plan names, if it can be read: shown with the plan's own."""
    path = _schools_path(doc, base)
    try:
        if path:
            read_schools(path)
    except InputError as error:
        return error.problems
    return []


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _plan_texts(data: object) -> str:
    """Every text of a plan that inserts values ({{ … }} or {% … %}), joined: which unit fields its sentences use."""
    if isinstance(data, dict):
        return "\n".join(_plan_texts(v) for v in data.values())
    if isinstance(data, list):
        return "\n".join(_plan_texts(v) for v in data)
    return data if isinstance(data, str) and ("{{" in data or "{%" in data) else ""


# Every issuing unit's header prints its managing body (see unit_needs).
MANAGING_BODY = {"co_quan_chu_quan": "cho dòng cơ quan chủ quản in trên tên đơn vị"}


# The date line prints the plan's place, else the first unit's: the one place this rule is kept.
PLACE = "cho dòng địa danh, ngày tháng, nếu kế hoạch không có `dia_danh:`"


def unit_needs(plan: dict, index: int | None = None) -> dict[str, str]:
    """The fields of an issuing unit that the printed document needs (field → what for), from a plan's raw data;
    index: the unit's place among don_vi (the first gives the date line's place unless the plan does).

    The header prints each unit's managing body above its name (a school, centre or Phòng GD&ĐT always has one;
    ND30's "if any" is for bodies at the top, which do not issue through kehoach); the signature prints the head's
    name unless the plan names its signers; a bare symbol (KH, KHLT) is followed by each unit's abbreviation; and
    the plan's own sentences may insert any field. A short name or place the sentences do not insert has a fallback.
    """
    needs = {**MANAGING_BODY}
    if _blank(plan.get("nguoi_ky")):
        needs["hieu_truong"] = "để in họ tên người ký, nếu kế hoạch không khai báo `nguoi_ky:`"
    symbol, loai = plan.get("ky_hieu"), plan.get("loai")
    issuer_first = isinstance(loai, str) and loai in LOAI and not LOAI[loai].viet_tat  # a công văn's symbol is as written
    if isinstance(symbol, str) and symbol.strip() and "-" not in symbol and not issuer_first:
        needs["ky_hieu"] = f"để ghép vào ký hiệu văn bản {symbol.strip()}-…, nếu kế hoạch không viết đủ ký hiệu"
    texts = _plan_texts(plan)
    for field in DonVi.model_fields:
        if field not in needs and field not in ("ma", "ten", "ten_goi", "chuc_vu_thu_truong") and re.search(rf"\b{field}\b", texts):
            needs[field] = "vì câu văn của kế hoạch chèn giá trị này"
    if index == 0 and _blank(plan.get("dia_danh")):
        needs["dia_danh"] = PLACE
    return needs


def unit_blanks(doc: LoadedFile, path: tuple, unit: object, needs: dict[str, str]) -> list[Problem]:
    """The fields a unit (raw data at path in doc) leaves blank, each at the line where it is filled: those the
    document needs, and every line written and left empty (a starter's line still to fill)."""

    if not isinstance(unit, dict):
        return []
    written = {k: "dòng này còn để trống" for k, v in unit.items() if k in DonVi.model_fields and k != "ten" and _blank(v)}
    problems = []
    for field, why in {**written, **needs}.items():
        if not _blank(unit.get(field)):
            continue
        where = doc.where((*path, field)) if field in unit else doc.where(path, key=True)
        problems.append(Problem(where, f"{_display_path((*path, field))}: chưa điền ({why})",
                                f"điền {viet_thuong_dau(DonVi.model_fields[field].description)}"))
    return sorted(problems, key=lambda p: (p.where.line, p.where.column))


def _plan_unit_blanks(doc: LoadedFile, base: Path) -> list[Problem]:
    """Every blank a plan's units leave that the document would print empty, at the file where each is filled."""
    plan = doc.data if isinstance(doc.data, dict) else {}
    units = plan.get("don_vi") if isinstance(plan.get("don_vi"), list) else []
    path = _schools_path(doc, base)
    try:
        schools = load_file(path) if path else None
    except InputError:  # reported by _schools_problems
        schools = None
    listed = schools.data.get("truong") if schools and isinstance(schools.data, dict) else None
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, unit in enumerate(units):
        own = unit_needs(plan, index)
        if isinstance(unit, dict) and "truong" in unit:
            code = unit.get("truong")
            if isinstance(listed, dict) and isinstance(code, str) and code not in seen:
                seen.add(code)
                problems += unit_blanks(schools, ("truong", code), listed.get(code), own)
        else:
            problems += unit_blanks(doc, ("don_vi", index), unit, own)
    return problems


def _unused_variables(doc: Source) -> list[Problem]:
    """Each variable (`bien`) that no text of the plan inserts: most likely its name is mistyped here or in the
    sentence that meant it, but a plan may keep one for later, so it is a warning, not a mistake."""
    plan = doc.data if isinstance(doc.data, dict) else {}
    names = plan.get("bien") if isinstance(plan.get("bien"), dict) else {}
    texts = _plan_texts(plan)
    return [Problem(doc.where(("bien", name), key=True), f"biến '{name}' không được câu văn nào dùng",
                    f"chèn {{{{ {name} }}}} vào câu cần nó (kiểm tra tên viết đúng), hoặc xóa dòng này")
            for name in names if not re.search(rf"\b{re.escape(str(name))}\b", texts)]


def _in_file_order(doc: Source, problems: list[Problem]) -> list[Problem]:
    """The plan's problems, then its schools file's, each by line: a clerk goes through a file top-down."""
    return sorted(problems, key=lambda p: (p.where.file != doc.file, p.where.file, p.where.line, p.where.column))


NHU_TREN = "Như trên"  # noi-nhan.nhu-tren: the recipients of the Kính gửi part, in "Nơi nhận"


def _addressee_problems(model: VanBanNhap, doc: Source) -> list[Problem]:
    """A type that needs a Kính gửi part (công văn, tờ trình) has one, reported at `loai:`; noi-nhan.nhu-tren: a
    document with a Kính gửi part opens its Nơi nhận with "Như trên", and one without has nothing for "Như trên"
    to point at. The list is the clerk's, so it is checked, never changed."""
    kind = LOAI[model.loai]
    if kind.kinh_gui is KinhGuiRule.BAT_BUOC and not model.kinh_gui:
        return [Problem(doc.where(("loai",)), f"{kind.ten_thuong} cần phần Kính gửi (Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.9.b)",
                        "thêm `kinh_gui:` với nơi giải quyết trực tiếp, mỗi nơi một dòng bắt đầu bằng '- '")]
    said = [i for i, name in enumerate(model.noi_nhan) if name.lower().startswith(NHU_TREN.lower())]
    if model.kinh_gui and model.noi_nhan and said[:1] != [0]:
        return [Problem(doc.where(("noi_nhan", 0)),
                        f"văn bản có phần Kính gửi nên nơi nhận mở đầu bằng '{NHU_TREN}' "
                        "(Nghị định 30/2020/NĐ-CP, Phụ lục I, mục II.9.b)",
                        f"thêm dòng `- {NHU_TREN}` ngay dưới `noi_nhan:`; các nơi đã ghi ở Kính gửi không cần ghi lại")]
    if not model.kinh_gui and said:
        return [Problem(doc.where(("noi_nhan", said[0])),
                        f"nơi nhận ghi '{NHU_TREN}' nhưng văn bản không có phần Kính gửi để '{NHU_TREN}' chỉ tới",
                        "thêm `kinh_gui:` với nơi giải quyết trực tiếp, hoặc thay dòng này bằng tên nơi nhận")]
    return []


def check_document(doc: Source, base: Path, whole_file: bool = False) -> CheckedDocument:
    """Validate a loaded plan and resolve its references; raises InputError with every problem.

    whole_file: a plan file (`check`, `render`): every blank its units leave is reported at once, at the file
    where it is filled. A batch row's gaps are its roster's to report (batch/rows.py); here only the signer.
    """
    blanks = _plan_unit_blanks(doc, base) if whole_file else []
    try:
        model = validate(doc, VanBanNhap)
    except InputError as error:  # a new plan's blanks and its schools file's, in one run
        problems = error.problems + _schools_problems(doc, base) + blanks
        raise InputError(_in_file_order(doc, problems) if whole_file else problems) from None
    units, problems = _resolve_units(model, doc, base)
    problems += _addressee_problems(model, doc)
    known = catalogue()
    for p_index, paragraph in enumerate(model.can_cu):
        for d_index, cited in enumerate(paragraph.van_ban):
            if cited.so and cited.so not in known:
                close = difflib.get_close_matches(cited.so, list(known), n=3, cutoff=0.5)
                hint = (f"có phải là: {', '.join(close)}? " if close else "") + \
                    "hoặc viết đủ câu căn cứ bằng `toan_van: …`"
                path = ("can_cu", p_index, "van_ban", d_index, "so")
                problems.append(Problem(doc.where(path), f"văn bản căn cứ '{cited.so}' không có trong danh mục", hint))
    if not whole_file and model.nguoi_ky is None:
        for index, unit in enumerate(units):
            if not unit.hieu_truong:
                problems.append(Problem(doc.where(("don_vi", index)), f"đơn vị '{unit.ten}' chưa có họ tên thủ trưởng để in chữ ký",
                                        "thêm `hieu_truong: …` cho đơn vị, hoặc khai báo `nguoi_ky:`"))
    problems += blanks
    if problems:
        raise InputError(_in_file_order(doc, problems) if whole_file else problems)
    return CheckedDocument(model, tuple(units), doc, known, tuple(_unused_variables(doc)) if whole_file else ())


def check_schools(path: Path) -> dict[str, DonVi]:
    """Check a schools file on its own: its mistakes, and the lines a school leaves to fill (`kehoach check truong.yaml`)."""
    doc = load_file(path)
    problems: list[Problem] = []
    try:
        schools = validate(doc, DanhSachTruong).truong
    except InputError as error:
        problems, schools = error.problems, {}
    listed = doc.data.get("truong") if isinstance(doc.data, dict) else None
    for code, school in (listed.items() if isinstance(listed, dict) else []):
        problems += unit_blanks(doc, ("truong", code), school, MANAGING_BODY)
    if problems:
        raise InputError(_in_file_order(doc, problems))
    return schools


def read_document(path: Path) -> CheckedDocument:
    """Read and check a plan file."""
    doc = load_file(path)
    if _is_schools_list(doc.data):
        raise InputError(Problem(doc.where(("truong",), key=True), "đây là tệp danh sách trường, không phải kế hoạch",
                                 "làm văn bản từ tệp kế hoạch gọi các trường này (`danh_sach_truong:`); "
                                 f"kiểm tra tệp này bằng `kehoach check {path.name}`"))
    return check_document(doc, path.parent, whole_file=True)
