"""The roster's columns: what each holds, its header and every other way clerks write it, and finding the
header row of a sheet (also under a group header: «Trường thứ nhất» above «Tên»). The template is written
from the same table (kehoach.write.roster_template)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kehoach.input.textcodec import UnusableCharacter, clean_text
from kehoach.input.vietnamese import plain

@dataclass(frozen=True)
class Column:
    """One roster column: where its value goes, its Vietnamese header, and how the template shows it."""

    key: str  # dotted path into RosterRow.data: "so", "don_vi.0.ten"; "" for STT (read, not used)
    header: str  # canonical header, as written by the template
    aliases: tuple[str, ...]  # other headers clerks write; compared after _normalise()
    kind: str  # "text", "date", "list", "cap_hoc" or "ignore"
    width: int
    guide: str  # what to write, for the "Hướng dẫn" sheet
    example: Any  # the template's example value (None: left empty)
    required: bool = False  # the column must exist (school name and principal: unless "Mã trường" exists)


CAP_HOC = ("Mầm non", "Tiểu học", "THCS", "THPT", "Liên cấp", "GDNN-GDTX")
CAP_HOC_ALIASES = {"Trung học cơ sở": "THCS", "Trung học phổ thông": "THPT"}

SIDE_NAMES = (("thứ nhất", "A"), ("thứ hai", "B"))  # "Trường thứ nhất", "Trường A" for school 1 and 2

# field, header stem, other stems, kind, width, guide, example for school 1 and school 2
SCHOOL_FIELDS = (
    ("ma", "Mã", ("Mã số", "Mã đơn vị"), "text", 12,
     "Mã ngắn của trường trong tệp danh sách trường. Nếu có mã, các cột khác của trường này có thể bỏ trống.",
     (None, None)),
    ("ten", "Tên", ("Tên đầy đủ", "Tên chính thức"), "text", 32,
     "Tên chính thức của trường.", ("Trường Mầm non Hoàng Liệt", "Trường Mầm non Hoa Sơn")),
    ("ten_ngan", "Tên ngắn", ("Tên viết tắt", "Tên gọi tắt", "Tên rút gọn"), "text", 18,
     "Tên ngắn dùng trong câu văn.", ("MN Hoàng Liệt", "MN Hoa Sơn")),
    ("ky_hieu", "Ký hiệu", ("Chữ viết tắt", "Viết tắt", "Ký hiệu viết tắt", "Ký hiệu đơn vị"), "text", 12,
     "Chữ viết tắt tên trường, ghép vào ký hiệu văn bản (KHLT-MNHL-MNHS) khi kế hoạch chung ghi ký hiệu "
     "không có dấu gạch (KHLT).", ("MNHL", "MNHS")),
    ("cap_hoc", "Cấp học", ("Cấp", "Bậc học"), "cap_hoc", 14,
     "Một trong: " + ", ".join(CAP_HOC) + ".", ("Mầm non", "Mầm non")),
    ("co_quan_chu_quan", "Cơ quan chủ quản", ("Đơn vị chủ quản", "Cơ quan cấp trên trực tiếp"), "text", 28,
     "Cơ quan chủ quản in ở góc trái đầu văn bản, viết hoa.", ("UBND PHƯỜNG HOÀNG LIỆT", "UBND XÃ ỨNG HÒA")),
    ("co_quan_quan_ly", "Cơ quan quản lý", ("Cơ quan cấp trên", "Nơi báo cáo", "Cơ quan quản lý trực tiếp"), "text", 26,
     "Cơ quan trường báo cáo, như viết trong câu văn (không viết hoa cả dòng). Không bắt buộc.",
     ("UBND phường Hoàng Liệt", "UBND xã Ứng Hòa")),
    ("dia_ban", "Địa bàn", ("Quận huyện", "Phường xã", "Xã phường"), "text", 20,
     "Nơi trường đóng, như viết trong câu văn. Có thể bỏ trống nếu đã ghi «Địa danh» và cơ quan chủ quản "
     "(UBND PHƯỜNG …/UBND XÃ …).", ("phường Hoàng Liệt", "xã Ứng Hòa")),
    ("dia_danh", "Địa danh", ("Nơi ký", "Địa danh ghi ngày", "Địa phương"), "text", 16,
     "Địa danh ghi ở dòng ngày tháng. Có thể bỏ trống nếu đã ghi «Địa bàn».", ("Hoàng Liệt", "Ứng Hòa")),
    ("hieu_truong", "Hiệu trưởng", ("Họ tên hiệu trưởng", "Họ và tên hiệu trưởng", "Tên hiệu trưởng"), "text", 24,
     "Họ và tên hiệu trưởng.", ("Nguyễn Thị Thu Hà", "Trần Thị Minh Nguyệt")),
)
REQUIRED_SCHOOL_FIELDS = ("ten", "hieu_truong")  # per row, when the school has no "ma"


def _school_columns(side: int) -> list[Column]:
    """The columns of school `side` (0 or 1), with every way clerks name the school in a header."""
    number = str(side + 1)
    ordinal, letter = SIDE_NAMES[side]
    school_names = [f"trường {n}" for n in (number, ordinal, letter)] + [f"đơn vị {n}" for n in (number, ordinal)]
    columns = []
    for key, stem, other_stems, kind, width, guide, examples in SCHOOL_FIELDS:
        stems = (stem, *other_stems)
        aliases = tuple(f"{s} {name}" for s in stems for name in school_names)
        aliases += tuple(f"{name} {s}" for s in stems for name in school_names)
        aliases += tuple(f"{s} {number}" for s in stems)  # "Hiệu trưởng 1"
        if key == "ten":  # a column headed by the school alone holds its name: "Trường 1", "Trường thứ nhất"
            aliases += tuple(school_names)
        elif key == "hieu_truong":
            aliases += (f"HT {school_names[0]}", f"HT {number}")
        columns.append(Column(f"don_vi.{side}.{key}", f"{stem} trường {number}", aliases, kind, width,
                              guide, examples[side], required=key in REQUIRED_SCHOOL_FIELDS))
    return columns


COLUMNS: tuple[Column, ...] = (
    Column("", "STT", ("TT", "Số thứ tự"), "ignore", 6, "Số thứ tự của cặp trường (không bắt buộc).", 1),
    Column("so", "Số văn bản", ("Số", "Số VB", "Số kế hoạch", "Số hiệu"), "text", 12,
           "Số của kế hoạch, giữ nguyên số 0 ở đầu (ví dụ 05). Không bắt buộc.", "05"),
    Column("ngay", "Ngày văn bản", ("Ngày", "Ngày ký", "Ngày ban hành", "Ngày tháng"), "date", 14,
           "Ngày ký kế hoạch, dạng ngày/tháng/năm. Không bắt buộc.", date(2025, 9, 16)),
    *_school_columns(0),
    *_school_columns(1),
    Column("noi_nhan_them", "Nơi nhận thêm", ("Nơi nhận", "Nơi nhận khác", "Gửi thêm"), "list", 40,
           "Nơi nhận thêm ngoài nơi nhận mặc định; nhiều nơi thì cách nhau bằng dấu ; hoặc xuống dòng. "
           "Không bắt buộc.", "Phòng Văn hóa - Xã hội phường Hoàng Liệt; Phòng Văn hóa - Xã hội xã Ứng Hòa"),
)

# Columns a roster may have instead of one per school (the template writes one per school).
# Real rosters pair schools of one level: one "Cấp học" for both, read into each school without its own.
SHARED_COLUMNS: tuple[Column, ...] = (
    Column("cap_hoc", "Cấp học", ("Cấp", "Bậc học", "Cấp trường", "Cấp học của cặp"), "cap_hoc", 14,
           "Cấp học của cả hai trường, khi không có cột riêng cho từng trường.", None),
)

# ---------------------------------------------------------------- text helpers

HEADER_SEARCH_ROWS = 10
MIN_HEADER_MATCHES = 2
NO_CACHED_VALUE = object()  # a formula cell that was never calculated (saved without Excel)
Cell = tuple[Any, str]  # (value, number format)


def _normalise(text: str) -> str:
    """Compare headers ignoring case, diacritics, punctuation and extra spaces: "Tên  trường-1" -> "ten truong 1"."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain(str(text)).replace(".", "")).split())  # "S.T.T"


def _clean(text: str) -> str:
    """Strip, collapse inner whitespace (also non-breaking spaces and new lines), NFC; a character no document
    can hold is refused as plan values are (textcodec.clean_text), as the cell's _CellError."""
    try:
        text = clean_text(" ".join(str(text).split()))
    except UnusableCharacter as error:
        raise _CellError(f"Ô {error.message}.", "Gõ lại nội dung ô (ký tự ẩn thường theo chữ chép từ trang web "
                         "hoặc phần mềm khác vào).") from None
    return unicodedata.normalize("NFC", text)


def _header_text(value: Any) -> str:
    """A cell of a row that may be the header, as a message quotes it: the rows searched may be data rows,
    and a character no document holds is shown as its code (\\u202e) rather than refused there."""
    try:
        return _clean(value)
    except _CellError:
        return repr(str(value))[1:-1]


HEADER_TO_COLUMN = {_normalise(name): col for col in (*COLUMNS, *SHARED_COLUMNS) for name in (col.header, *col.aliases)}
CAP_HOC_BY_KEY = {_normalise(name): name for name in CAP_HOC} | {
    _normalise(alias): name for alias, name in CAP_HOC_ALIASES.items()}

class _CellError(ValueError):
    """A cell value that cannot be used; carries the Vietnamese message and hint."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint



# ---------------------------------------------------------------- finding the header and reading rows


@dataclass
class _Header:
    """Where the header is and which column (0-based index) holds which field."""

    row: int
    columns: dict[int, Column]
    unknown: dict[int, str]  # index -> header text of columns kehoach does not know
    repeated: dict[int, tuple[str, int]]  # index -> (header text, index of the earlier column it repeats)
    variants: dict[int, str] = field(default_factory=dict)  # index -> header text not the template's own


def _read_header(own: Any, group: Any) -> tuple[Column, str] | None:
    """The column a header cell names and the header as the clerk wrote it ("Trường thứ nhất / Tên" when
    read with the group header above it)."""
    own_key = _normalise(own) if own not in (None, "") else ""
    group_key = _normalise(group) if group not in (None, "") and group != own else ""
    if group_key and own_key:
        for key in (f"{group_key} {own_key}", f"{own_key} {group_key}"):
            if key in HEADER_TO_COLUMN:
                return HEADER_TO_COLUMN[key], f"{_header_text(group)} / {_header_text(own)}"
    if own_key in HEADER_TO_COLUMN:
        return HEADER_TO_COLUMN[own_key], _header_text(own)
    return None


def _find_header(first_rows: list[tuple[int, bool, list[Cell]]]) -> tuple[int, _Header] | None:
    """The index in `first_rows` of the row naming the most known columns, and that header; None if none."""
    best: tuple[int, _Header] | None = None
    for index, (row_number, _hidden, cells) in enumerate(first_rows):
        group_cells = first_rows[index - 1][2] if index else []
        header = _Header(row_number, {}, {}, {})
        first_col_of: dict[str, int] = {}
        for col, (value, _fmt) in enumerate(cells):
            group = group_cells[col][0] if col < len(group_cells) else None
            if found := _read_header(value, group):
                column, written = found
                if column.key in first_col_of:
                    header.repeated[col] = (_header_text(value), first_col_of[column.key])
                else:
                    first_col_of[column.key] = col
                    header.columns[col] = column
                    if column.key and _normalise(written) != _normalise(column.header):
                        header.variants[col] = written
            elif value not in (None, "") and value is not NO_CACHED_VALUE:
                header.unknown[col] = _header_text(value)
        if len(header.columns) >= MIN_HEADER_MATCHES and (best is None or len(header.columns) > len(best[1].columns)):
            best = index, header
    return best


def _missing_headers(header: _Header) -> list[str]:
    """Canonical headers of required columns the sheet lacks (school name/principal unless it has the code)."""
    present = {col.key for col in header.columns.values()}
    return [col.header for col in COLUMNS if col.required and col.key not in present
            and col.key.rsplit(".", 1)[0] + ".ma" not in present]


class _NoHeader(Exception):
    """A sheet is not a roster: no header row, or (when `missing`) a header row lacking required columns."""

    def __init__(self, sheet: str, row: int = 0, missing: list[str] | None = None):
        super().__init__(sheet)
        self.sheet, self.row, self.missing = sheet, row, missing or []


