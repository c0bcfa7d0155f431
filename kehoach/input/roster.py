"""Read a roster of twinned school pairs (.xlsx or .csv, one pair per row) and write its blank template.

Rows with mistakes are left out of `Roster.rows`; each mistake is a `Problem` in `Roster.problems`
naming the cell, so a batch can make the good rows and list the bad ones. A file that cannot be read
at all (missing, locked, not a workbook, required headers missing) raises `InputError`.
`open_roster` streams the same rows one at a time (RosterRow, BadRow or Skipped) for a batch whose
memory must not grow with the roster; `read_roster` collects them.

Memory: the workbook is opened with openpyxl `read_only=True` so cells stream row by row. Read-only
worksheets expose neither merged cells nor hidden rows, so one extra streaming pass over the sheet's
XML (`_SheetScan`, expat) collects them, together with formulas that have no cached value. Only those
small facts are kept, never the whole sheet (10,000 rows: about 4 s, the XML pass a fifth of it,
and about 1 MB above the RosterRows themselves; a normal load would hold every cell). The pass finds
the sheet's XML through openpyxl's private `_worksheet_path` (stable in 3.1; a test covers it).

Any file: a roster may be damaged or made to harm. Part sizes are checked before anything is unpacked,
the XML pass refuses at its row or cell what openpyxl would fail on (and measures how wide the rows are
read), and whatever openpyxl still raises becomes a message naming the file and sheet. A CSV goes
through textcodec.decode_input, the decoder of plan files.

Choices: a cell inside a merged range reads as the range's top-left value (clerks merge "UBND ..."
down a block of rows). Numbers in text columns keep what the clerk sees: 5 formatted "00" gives "05",
a plain 5 gives "5", 5.0 gives "5". Dates are day-first (16/9/2025) as written in Vietnam. "Cấp học"
is stored in its canonical spelling ("Trung học cơ sở" -> "THCS"). Blank rows are listed in `skipped`
only when a filled row follows them, so thousands of formatted empty rows at the end stay silent.

Rosters as districts keep them: a header written otherwise than the template is read with a warning
saying how; one "Cấp học" column may serve both schools; one place column per school is enough (see
`_complete_place`); the template's example pair is skipped, and a pair listed twice is warned.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any, NamedTuple
from xml.parsers import expat

import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.datetime import from_excel, to_excel
from openpyxl.worksheet.datavalidation import DataValidation

from kehoach.input.dates import FIRST_YEAR, LAST_YEAR, ImpossibleDate, NotADate, YearOutOfRange, issue_date, parse_date
from kehoach.errors import InputError, Problem, Where
from kehoach.write.output import write_atomic
from kehoach.input.places import place_in_sentence, proper_name
from kehoach.input.textcodec import TextFileKind, UnusableCharacter, clean_text, decode_input
from kehoach.input.vietnamese import plain

# ---------------------------------------------------------------- the column table (reader + template)


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
    for field, stem, other_stems, kind, width, guide, examples in SCHOOL_FIELDS:
        stems = (stem, *other_stems)
        aliases = tuple(f"{s} {name}" for s in stems for name in school_names)
        aliases += tuple(f"{name} {s}" for s in stems for name in school_names)
        aliases += tuple(f"{s} {number}" for s in stems)  # "Hiệu trưởng 1"
        if field == "ten":  # a column headed by the school alone holds its name: "Trường 1", "Trường thứ nhất"
            aliases += tuple(school_names)
        elif field == "hieu_truong":
            aliases += (f"HT {school_names[0]}", f"HT {number}")
        columns.append(Column(f"don_vi.{side}.{field}", f"{stem} trường {number}", aliases, kind, width,
                              guide, examples[side], required=field in REQUIRED_SCHOOL_FIELDS))
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

# ---------------------------------------------------------------- results


@dataclass
class RosterRow:
    """One good roster row: the pair's data and where each field came from."""

    sheet: str
    row: int  # 1-based, as Excel shows it (for CSV: the record number)
    data: dict  # {"so": str|None, "ngay": date|None, "noi_nhan_them": [str], "don_vi": [dict, dict]}
    cells: dict[str, str]  # field path -> "Sheet!C7", for every column the sheet has (empty cells too)
    # and for a field read from another column (a shared "Cấp học", a place derived from the other)
    warnings: list[Problem] = field(default_factory=list)  # e.g. the same pair as an earlier row


@dataclass
class BadRow:
    """A roster row with mistakes: what could be read of it, and each mistake at its cell."""

    sheet: str
    row: int
    data: dict  # as RosterRow.data, without the values that could not be read
    problems: list[Problem]


class Skipped(NamedTuple):
    """A blank or hidden row, left out on purpose."""

    sheet: str
    row: int
    reason: str  # "dòng trống" or "dòng bị ẩn"


@dataclass
class Roster:
    """What a roster file holds: good rows, per-row problems, warnings and skipped rows."""

    rows: list[RosterRow]
    problems: list[Problem]  # rows with a problem are not in `rows`
    warnings: list[Problem]
    skipped: list[tuple[str, int, str]]  # (sheet, row, reason) for blank and hidden rows


@dataclass
class RosterStream:
    """An open roster whose rows are read one at a time, in sheet order; iterate once, then close (or use `with`)."""

    sheet: str
    warnings: list[Problem]  # about the header (ignored columns), known before the first row
    expected: int  # rows below the header with any stored value, counted cheaply: about the items to expect (progress)
    items: Iterator[RosterRow | BadRow | Skipped]
    _close: Any = None

    def __iter__(self) -> Iterator[RosterRow | BadRow | Skipped]:
        return self.items

    def close(self) -> None:
        """Release the file (the workbook stays open while rows are read), also when rows were left unread."""
        if close_rows := getattr(self.items, "close", None):  # a generator holds the sheet's part open
            close_rows()
        if self._close:
            self._close()

    def __enter__(self) -> RosterStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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


def _as_text(value: Any, number_format: str) -> str:
    """A cell as the clerk sees it: 5 formatted "00" -> "05", 5.0 -> "5", a date -> "16/09/2025"."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and re.fullmatch(r"0+", number_format):
        return str(value).zfill(len(number_format))
    return _clean(value)


class _CellError(ValueError):
    """A cell value that cannot be used; carries the Vietnamese message and hint."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def _as_date(value: Any, number_format: str) -> date:
    """A date cell, an Excel serial number or day-first text -> an issue date (dates.issue_date); raises _CellError."""
    day = _cell_date(value, number_format)
    try:
        return issue_date(day)
    except YearOutOfRange as error:
        raise _CellError(f"Ngày «{day:%d/%m/%Y}»: {error.reason}.",
                         "Kiểm tra lại năm; ghi ngày theo dạng ngày/tháng/năm, ví dụ 16/9/2025.") from None


def _cell_date(value: Any, number_format: str) -> date:
    """A date cell, an Excel serial number or day-first text -> date; raises _CellError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return from_excel(value).date()  # a serial number in a cell not formatted as a date
    text = _as_text(value, number_format)
    how = "Ghi ngày theo dạng ngày/tháng/năm, ví dụ 16/9/2025, hoặc nhập ô kiểu ngày của Excel."
    try:
        return parse_date(text)
    except NotADate:
        raise _CellError(f"Không đọc được ngày «{text}».", how) from None
    except ImpossibleDate as error:
        raise _CellError(f"Ngày «{text}» không có thật (ngày {error.day} tháng {error.month} năm {error.year}).",
                         how) from None


def _as_cap_hoc(value: Any, number_format: str) -> str:
    """A school level, spelled any accepted way -> its canonical name; raises _CellError."""
    text = _as_text(value, number_format)
    if found := CAP_HOC_BY_KEY.get(_normalise(text)):
        return found
    raise _CellError(f"Cấp học «{text}» không hợp lệ.", "Ghi một trong: " + ", ".join(CAP_HOC) + ".")


def _as_list(value: Any, number_format: str) -> list[str]:
    """One cell with items separated by ";" or new lines -> the list of items."""
    return [_clean(item) for item in re.split(r"[;\n]", str(value)) if item.strip()]


CONVERTERS = {"text": _as_text, "date": _as_date, "cap_hoc": _as_cap_hoc, "list": _as_list}

# ---------------------------------------------------------------- finding the header and reading rows


@dataclass
class _Header:
    """Where the header is and which column (0-based index) holds which field."""

    row: int
    columns: dict[int, Column]
    unknown: dict[int, str]  # index -> header text of columns kehoach does not know
    repeated: dict[int, tuple[str, int]]  # index -> (header text, index of the earlier column it repeats)
    variants: dict[int, str] = field(default_factory=dict)  # index -> header text not the template's own


def _match_header(own: Any, group: Any) -> Column | None:
    """The column a header cell names, also read together with a group header above it ("Trường thứ nhất")."""
    found = _read_header(own, group)
    return found[0] if found else None


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


def _set_path(data: dict, path: str, value: Any) -> None:
    """data["don_vi"][0]["ten"] = value for path "don_vi.0.ten"; data["so"] = value for "so"."""
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    target[last] = value


class _TableReader:
    """Turns the rows of one sheet (after its header) into RosterRows, problems and skipped rows."""

    def __init__(self, file: str, sheet: str, header: _Header):
        self.file, self.sheet, self.header = file, sheet, header
        # a short fingerprint per pair read, so that a pair listed again is noticed (8 bytes a row, not the names)
        self.pairs_seen: dict[bytes, int] = {}

    def ref(self, col: int, row: int) -> str:
        return f"{self.sheet}!{get_column_letter(col + 1)}{row}"

    def problem(self, col: int, row: int, message: str, hint: str) -> Problem:
        return Problem(Where(self.file, cell=self.ref(col, row)), message, hint)

    def header_warnings(self) -> list[Problem]:
        """One warning per header written otherwise than the template (how it was read), and per ignored
        column: unknown ones with the closest known header, and repeated ones."""
        warnings = []
        for col, text in self.header.variants.items():
            canonical = self.header.columns[col].header
            warnings.append(self.problem(
                col, self.header.row, f"Cột {get_column_letter(col + 1)} «{text}» được đọc là «{canonical}».",
                f"Nếu đúng thì không cần sửa; muốn hết cảnh báo này, đặt tiêu đề cột là «{canonical}» như tệp mẫu."))
        known = [col.header for col in COLUMNS]
        for col, text in self.header.unknown.items():
            close = difflib.get_close_matches(text, known, n=1, cutoff=0.5)
            hint = (f"Có phải ý bạn là «{close[0]}»? Nếu đúng, hãy sửa tiêu đề cột." if close
                    else "Nếu cột này cần dùng, hãy đặt tiêu đề theo mẫu (lệnh tạo mẫu danh sách).")
            warnings.append(self.problem(
                col, self.header.row, f"Cột {get_column_letter(col + 1)} «{text}» không có trong mẫu nên bị bỏ qua.",
                hint))
        for col, (text, first) in self.header.repeated.items():
            warnings.append(self.problem(
                col, self.header.row,
                f"Cột {get_column_letter(col + 1)} «{text}» trùng với cột {get_column_letter(first + 1)} "
                "nên bị bỏ qua.", "Xoá cột thừa hoặc sửa tiêu đề cho đúng cột."))
        return warnings

    def read(self, rows: Iterator[tuple[int, bool, list[Cell]]]) -> Iterator[RosterRow | BadRow | Skipped]:
        """Read every row; blank rows count as skipped only when a filled row follows them."""
        pending_blank: list[Skipped] = []
        for row_number, hidden, cells in rows:
            if self.is_blank(cells):
                pending_blank.append(Skipped(self.sheet, row_number, "dòng trống"))
                continue
            yield from pending_blank
            pending_blank.clear()
            if hidden:
                yield Skipped(self.sheet, row_number, "dòng bị ẩn")
                continue
            row = self.read_row(row_number, cells)
            if isinstance(row, RosterRow) and _is_sample(row.data):
                yield Skipped(self.sheet, row_number, SAMPLE_ROW)
                continue
            if isinstance(row, RosterRow):
                self.note_repeated_pair(row)
            yield row

    def note_repeated_pair(self, row: RosterRow) -> None:
        """A pair already listed on an earlier row is warned, naming both rows (it is still made, as "(2)")."""
        sides = []
        for school in row.data["don_vi"]:
            name = school.get("ma") or school.get("ten")
            if not name:
                return
            sides.append(_normalise(name))
        fingerprint = hashlib.blake2b("\n".join(sorted(sides)).encode(), digest_size=8).digest()
        first = self.pairs_seen.setdefault(fingerprint, row.row)
        if first != row.row:
            columns = {col.key: c for c, col in self.header.columns.items()}
            name_col = columns.get("don_vi.0.ten", columns.get("don_vi.0.ma", 0))
            here, there = self.ref(name_col, row.row), self.ref(name_col, first)
            row.warnings.append(Problem(
                Where(self.file, cell=here), f"Cặp trường ở dòng {row.row} trùng với cặp ở dòng {first} ({there}).",
                f"Nếu ghi nhầm, xoá một trong hai dòng ({there} hoặc {here}); nếu cần hai văn bản cho cùng một cặp "
                "thì giữ nguyên (tệp của dòng sau có thêm «(2)»)."))

    def is_blank(self, cells: list[Cell]) -> bool:
        """A row with nothing in the data columns (a pre-numbered STT alone is still blank)."""
        return all(cells[col][0] in (None, "") or not str(cells[col][0]).strip()
                   for col, column in self.header.columns.items() if col < len(cells) and column.key)

    def read_row(self, row_number: int, cells: list[Cell]) -> RosterRow | BadRow:
        data: dict = {"so": None, "ngay": None, "noi_nhan_them": [], "don_vi": [{}, {}]}
        where: dict[str, str] = {}
        problems = []
        for col, column in self.header.columns.items():
            if not column.key:
                continue
            where[column.key] = self.ref(col, row_number)
            value, number_format = cells[col] if col < len(cells) else (None, "General")
            if value is NO_CACHED_VALUE:
                problems.append(self.problem(
                    col, row_number, f"Ô «{column.header}» có công thức nhưng chưa có giá trị đã tính.",
                    "Mở tệp bằng Excel hoặc LibreOffice, lưu lại (để công thức được tính) rồi chạy lại; "
                    "hoặc nhập thẳng giá trị vào ô."))
                continue
            if value is None or not str(value).strip():
                continue
            try:
                _set_path(data, column.key, CONVERTERS[column.kind](value, number_format))
            except _CellError as error:
                problems.append(self.problem(col, row_number, error.message, error.hint))
        _share_level(data, where)
        for side, school in enumerate(data["don_vi"]):
            _complete_place(school, where, f"don_vi.{side}.")
        problems += self.missing_school_fields(data, where, {p.where.cell for p in problems})
        if problems:
            return BadRow(self.sheet, row_number, data, problems)
        return RosterRow(self.sheet, row_number, data, where)

    def missing_school_fields(self, data: dict, where: dict[str, str], reported: set[str]) -> list[Problem]:
        """Without a school code, a school needs at least its name and principal (cells not yet reported)."""
        problems = []
        for side, school in enumerate(data["don_vi"]):
            if school.get("ma"):
                continue
            for name in REQUIRED_SCHOOL_FIELDS:
                key = f"don_vi.{side}.{name}"
                if name not in school and key in where and where[key] not in reported:
                    header = next(col.header for col in COLUMNS if col.key == key)
                    problems.append(Problem(
                        Where(self.file, cell=where[key]), f"Thiếu «{header}».",
                        f"Ghi {header[0].lower() + header[1:]}, hoặc ghi «Mã trường {side + 1}» "
                        "nếu trường đã có trong tệp danh sách trường."))
        return problems


SAMPLE_ROW = "dòng mẫu của tệp mẫu, không phải cặp trường thật"


def _is_sample(data: dict) -> bool:
    """The template's example pair, kept by a clerk who typed below it: its two names and principals."""
    for column in COLUMNS:
        if column.key.endswith((".ten", ".hieu_truong")):
            _, side, name = column.key.split(".")
            if data["don_vi"][int(side)].get(name) != column.example:
                return False
    return True


def _share_level(data: dict, where: dict[str, str]) -> None:
    """One "Cấp học" column for the pair: each school without its own level takes it, read from that cell."""
    level, shared = data.pop("cap_hoc", None), where.pop("cap_hoc", None)
    if shared is None:
        return
    for side, school in enumerate(data["don_vi"]):
        key = f"don_vi.{side}.cap_hoc"
        if level and "cap_hoc" not in school:
            school["cap_hoc"] = level
            where[key] = shared
        else:
            where.setdefault(key, shared)


def _complete_place(school: dict, where: dict[str, str], prefix: str) -> None:
    """One place column is enough: the date-line place ("Hoàng Mai") and the place in sentences
    ("phường Hoàng Mai") are derived from each other, the kind of unit read from the managing body."""
    if school.get("dia_ban") and not school.get("dia_danh"):
        school["dia_danh"] = proper_name(school["dia_ban"])
        where.setdefault(prefix + "dia_danh", where[prefix + "dia_ban"])
    elif school.get("dia_danh") and not school.get("dia_ban"):
        found = place_in_sentence(school["dia_danh"], school.get("co_quan_chu_quan"), school.get("co_quan_quan_ly"))
        if found:
            school["dia_ban"] = found
            where.setdefault(prefix + "dia_ban", where[prefix + "dia_danh"])


def _open_table(file: str, sheet: str, rows: Iterator[tuple[int, bool, list[Cell]]], filled_rows: int) -> RosterStream:
    """Find the header in the first rows of a sheet (raises _NoHeader); the stream reads the rest lazily."""
    first_rows = list(islice(rows, HEADER_SEARCH_ROWS))
    found = _find_header(first_rows)
    if found is None:
        raise _NoHeader(sheet)
    index, header = found
    if missing := _missing_headers(header):
        raise _NoHeader(sheet, header.row, missing)
    reader = _TableReader(file, sheet, header)
    above = sum(1 for _, _, cells in first_rows[:index + 1] if any(v not in (None, "") for v, _ in cells))
    return RosterStream(sheet, reader.header_warnings(), max(0, filled_rows - above),
                        reader.read(chain(first_rows[index + 1:], rows)))


# ---------------------------------------------------------------- xlsx

# Bounds: whatever a file holds, reading it takes bounded memory and time. Excel's own limits, or far above
# any roster (10,000 pairs: a 1 MB file, its sheet about 7 MB unpacked).
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's sheet size (XFD1048576)
MAX_XLSX_BYTES = 32 * 1024 * 1024  # the file itself (its zip directory is read whole)
# One part unpacked (zipfile never unpacks more than a part's stated size). Shared strings and styles are
# loaded whole by openpyxl; a sheet is streamed, but read twice (32 MB of short strings or of cells: under
# 300 MB, and 20 to 60 s on a slow machine).
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_UNCALCULATED = 200_000  # formulas saved without their values, remembered by cell until read
MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # all parts unpacked
MAX_RATIO, RATIO_FROM = 200, 1024 * 1024  # a part over 1 MB unpacking 200 times its size is a zip bomb
MAX_MERGED_RANGES = 100_000
MAX_MERGED_CELLS = 5_000_000  # cells of the rows and columns read that merged ranges cover


def _number(count: int) -> str:
    """A count as written in Vietnamese: 32.767."""
    return f"{count:,}".replace(",", ".")


TOO_LONG_HINT = (f"Một ô chỉ chứa được {_number(MAX_CELL_CHARS)} ký tự (giới hạn của Excel)"
                 + "; ô dài như vậy thường do thiếu dấu ngoặc kép đóng hoặc dán nhầm. Sửa ô này rồi lưu lại.")
RESAVE_HINT = ("Mở tệp bằng Excel (Excel tự sửa phần hỏng nếu được), kiểm tra lại danh sách, chọn Tệp → Lưu thành "
               "(Save As) → Excel Workbook (.xlsx) rồi chạy lại với tệp mới.")


def _file_error(path: Path, message: str, hint: str) -> InputError:
    return InputError(Problem(Where(str(path)), message, hint))


def _locked(path: Path) -> InputError:
    return _file_error(path, f"Không mở được tệp «{path.name}»: tệp đang bị khoá hoặc không có quyền đọc.",
                       "Đóng tệp trong Excel (hoặc chương trình khác) rồi chạy lại.")


def _not_a_workbook(path: Path) -> InputError:
    return _file_error(path, f"Tệp «{path.name}» không phải là bảng tính Excel (.xlsx) hợp lệ hoặc đã bị hỏng.",
                       RESAVE_HINT)


def _damaged(path: Path, sheet: str) -> InputError:
    return _file_error(path, f"Trang tính «{sheet}» của tệp «{path.name}» đã bị hỏng, không đọc hết được.", RESAVE_HINT)


def _too_long(path: Path, cell: str) -> InputError:
    """A text longer than any cell Excel can hold (a damaged or crafted file), refused at its cell."""
    return InputError(Problem(Where(str(path), cell=cell),
                              f"Ô dài hơn {_number(MAX_CELL_CHARS)} ký tự, quá giới hạn của một ô.", TOO_LONG_HINT))


def _check_archive(path: Path) -> None:
    """Refuse, before anything is unpacked, a file too big or a part that would unpack too big (zip bomb)."""
    if path.stat().st_size > MAX_XLSX_BYTES:
        raise _file_error(path, f"Tệp «{path.name}» quá lớn (hơn {MAX_XLSX_BYTES >> 20} MB) để là danh sách cặp "
                                "trường.", "Chia danh sách thành nhiều tệp nhỏ hơn, hoặc chọn đúng tệp danh sách.")
    with zipfile.ZipFile(path) as archive:
        members = archive.infolist()
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_PART_BYTES or total > MAX_UNPACKED_BYTES:
            how_big = f"giải nén ra {member.file_size >> 20} MB"
        elif member.file_size > RATIO_FROM and ratio > MAX_RATIO:
            how_big = f"giải nén ra gấp {ratio:.0f} lần cỡ đã nén"
        else:
            continue
        raise _file_error(
            path, f"Tệp «{path.name}» có phần «{member.filename}» {how_big}, quá lớn cho một danh sách cặp trường "
                  "(tệp bị hỏng hoặc được làm ra để gây hại).",
            "Mở tệp bằng Excel, chép các dòng danh sách sang một bảng tính mới, lưu dạng .xlsx rồi chạy lại "
            "với tệp mới.")


def _open_workbook(path: Path):
    """Open for streaming with cached formula values, turning every failure into an InputError.

    The file is opened here, not by openpyxl, which leaves its handle open when a damaged file fails."""
    try:
        _check_archive(path)
        handle = path.open("rb")
    except PermissionError:
        raise _locked(path) from None
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - zipfile fails on damaged files in every way there is
        raise _not_a_workbook(path) from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about Excel features it skips (extensions, styles)
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except BaseException as error:
        handle.close()
        if isinstance(error, PermissionError):
            raise _locked(path) from None
        if isinstance(error, Exception):  # openpyxl fails on damaged files in every way there is
            raise _not_a_workbook(path) from None
        raise
    return workbook, handle


@dataclass
class _SheetFacts:
    """What read-only openpyxl does not tell: hidden rows, merged ranges, formulas never calculated."""

    hidden_rows: set[int]
    merged: list[tuple[int, int, int, int]]  # (min_col, min_row, max_col, max_row), 1-based
    uncalculated: set[tuple[int, int]]  # (row, col) of formulas without a cached value
    filled_rows: int = 0  # rows with at least one stored value (for progress, before reading)
    width: int = 0  # the last column holding a value: rows are read this wide
    last_row: int = 0  # the last row holding a value


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "  # expat's "namespace tag" names
_CELL_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_NUMBER = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]{1,3})?")


class _SheetScan:
    """One streaming pass (expat, constant memory) over a worksheet's XML: the facts, and each thing
    openpyxl would choke on refused at its row or cell with a message."""

    def __init__(self, path: Path, sheet: str):
        self.path, self.sheet = path, sheet
        self.facts = _SheetFacts(set(), [], set())
        self.row = self.col = 0
        self.row_filled = False
        self.cell: tuple[int, int] = (0, 0)
        self.kind, self.formula, self.inline = "n", False, False
        self.value: list[str] | None = None  # the <v> text while inside it
        self.counting = 0  # 0 outside cell text; else characters of this cell's text so far, plus one

    def wrong(self, message: str, cell: str = "") -> InputError:
        where = Where(str(self.path), cell=f"{self.sheet}!{cell}") if cell else Where(str(self.path))
        return InputError(Problem(where, message, RESAVE_HINT))

    def ref(self) -> str:
        return f"{get_column_letter(self.cell[1])}{self.cell[0]}"

    def run(self, stream) -> _SheetFacts:
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.StartElementHandler, parser.EndElementHandler = self.start, self.end
        parser.CharacterDataHandler = self.text
        parser.buffer_text = True  # one call per text, not per line or entity
        parser.StartDoctypeDeclHandler = self.doctype
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
        self.finish()
        return self.facts

    def doctype(self, *_args: Any) -> None:
        raise self.wrong(f"Trang tính «{self.sheet}» của tệp «{self.path.name}» có khai báo DOCTYPE, điều Excel "
                         "không bao giờ ghi.")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if not name.startswith(_MAIN):
            return
        tag = name[len(_MAIN):]
        if tag == "row":
            self.row = self.row_number(attrs.get("r"))
            self.col, self.row_filled = 0, False
            if attrs.get("hidden") in ("1", "true"):
                self.facts.hidden_rows.add(self.row)
        elif tag == "c":
            self.cell = self.cell_ref(attrs.get("r"))
            self.col = self.cell[1]
            self.kind, self.formula, self.inline, self.value = attrs.get("t", "n"), False, False, None
        elif tag == "f":
            self.formula = True
        elif tag == "v":
            self.value, self.counting = [], 1
        elif tag == "is":
            self.inline, self.counting = True, 1
        elif tag == "mergeCell":
            self.merge(attrs.get("ref") or "")

    def text(self, data: str) -> None:
        if self.counting:
            self.counting += len(data)
            if self.counting > MAX_CELL_CHARS + 1:
                raise _too_long(self.path, f"{self.sheet}!{self.ref()}")
            if self.value is not None:
                self.value.append(data)

    def end(self, name: str) -> None:
        if not name.startswith(_MAIN):
            return
        tag = name[len(_MAIN):]
        if tag == "v":
            self.counting = 0
        elif tag == "is":
            self.counting = 0
        elif tag == "c":
            self.end_cell()
        elif tag == "row" and self.row_filled:
            self.facts.filled_rows += 1

    def end_cell(self) -> None:
        value = None if self.value is None else "".join(self.value)
        if self.formula and (value is None or (not value and self.kind != "str")):
            if len(self.facts.uncalculated) >= MAX_UNCALCULATED:
                raise InputError(Problem(Where(str(self.path), cell=f"{self.sheet}!{self.ref()}"),
                                         f"Trang tính có hơn {_number(MAX_UNCALCULATED)} công thức chưa được tính.",
                                         "Mở tệp bằng Excel, lưu lại (để công thức được tính) rồi chạy lại."))
            self.facts.uncalculated.add(self.cell)
        if value and self.kind == "n" and not (_NUMBER.fullmatch(value) and math.isfinite(float(value))):
            raise self.wrong(f"Ô {self.ref()} có giá trị số hỏng «{value[:20]}».", self.ref())
        if value and self.kind == "s" and not re.fullmatch(r"[0-9]{1,9}", value):
            raise self.wrong(f"Ô {self.ref()} trỏ tới chuỗi chung hỏng «{value[:20]}».", self.ref())
        if value or self.inline:
            self.row_filled = True
            self.facts.width = max(self.facts.width, self.cell[1])
            self.facts.last_row = max(self.facts.last_row, self.cell[0])
        self.value = None

    def row_number(self, text: str | None) -> int:
        """The row's number as openpyxl reads it (absent: the next one), within Excel's sheet."""
        if text is None:
            number = self.row + 1
        else:
            try:
                number = float(text)  # openpyxl reads "5" and "5.0" alike
            except ValueError:
                number = math.nan
            number = int(number) if number.is_integer() else 0
        if not 1 <= number <= MAX_ROWS:
            raise self.wrong(f"Trang tính «{self.sheet}» của tệp «{self.path.name}» có dòng mang số hiệu hỏng "
                             f"«{(text or '')[:20]}» (Excel chỉ có dòng 1 đến {MAX_ROWS}).")
        return number

    def cell_ref(self, text: str | None) -> tuple[int, int]:
        """(row, column) of a cell as openpyxl reads it (absent: the next column of the row)."""
        if text is None:
            row, col = self.row, self.col + 1
        elif found := _CELL_REF.fullmatch(text):
            row, col = int(found[2]), column_index_from_string(found[1].upper())
        else:
            row = col = 0
        if not (1 <= row <= MAX_ROWS and 1 <= col <= MAX_COLUMNS):
            raise self.wrong(f"Trang tính «{self.sheet}» của tệp «{self.path.name}» có ô mang địa chỉ hỏng "
                             f"«{(text or '')[:20]}» ở dòng {self.row}.")
        return row, col

    def merge(self, ref: str) -> None:
        if len(self.facts.merged) >= MAX_MERGED_RANGES:
            raise self.wrong(f"Trang tính «{self.sheet}» của tệp «{self.path.name}» có hơn {_number(MAX_MERGED_RANGES)} vùng "
                             "gộp ô.")
        corners = ref.split(":")
        if len(corners) > 2 or not all(_CELL_REF.fullmatch(corner) for corner in corners):
            raise self.wrong(f"Trang tính «{self.sheet}» của tệp «{self.path.name}» có vùng gộp ô hỏng «{ref[:30]}».")
        (row1, col1), (row2, col2) = (self.cell_ref(corners[0]), self.cell_ref(corners[-1]))
        self.facts.merged.append((min(col1, col2), min(row1, row2), max(col1, col2), max(row1, row2)))

    def finish(self) -> None:
        """Keep the merged ranges that reach the cells read, cut to them, and bound the work they cost."""
        width, last_row = self.facts.width, self.facts.last_row
        kept = [(min_col, min_row, min(max_col, width), min(max_row, last_row))
                for min_col, min_row, max_col, max_row in self.facts.merged if min_col <= width and min_row <= last_row]
        if sum((max_col - min_col + 1) * (max_row - min_row + 1) for min_col, min_row, max_col, max_row in kept) \
                > MAX_MERGED_CELLS:
            raise self.wrong(f"Các vùng gộp ô của trang tính «{self.sheet}» (tệp «{self.path.name}») phủ quá nhiều ô.")
        self.facts.merged = kept


def _scan_sheet_xml(path: Path, archive: zipfile.ZipFile, member: str, sheet: str) -> _SheetFacts:
    """The sheet's facts, or an InputError naming the file and sheet (and the cell where there is one)."""
    try:
        with archive.open(member) as stream:
            return _SheetScan(path, sheet).run(stream)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - expat, zlib and zipfile on a damaged part
        raise _damaged(path, sheet) from None


def _xlsx_rows(path: Path, sheet: str, rows: Iterator[tuple],
               facts: _SheetFacts) -> Iterator[tuple[int, bool, list[Cell]]]:
    """Stream (row number, hidden, cells); a cell inside a merged range shows the range's top-left value.

    Merged ranges are followed row by row (those that have begun and not ended), so the work is bounded by
    the cells they cover (MAX_MERGED_CELLS), whatever their number."""
    waiting = iter(sorted(facts.merged, key=lambda bounds: bounds[1]))
    upcoming = next(waiting, None)
    active: list[tuple[int, int, int, int]] = []
    top_left_values: dict[tuple[int, int], Cell] = {}
    for row in rows:
        row_number = next((c.row for c in row if getattr(c, "row", None)), None)
        if row_number is None:
            continue
        cells: list[Cell] = []
        for col, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            if value in (None, "") and (row_number, col) in facts.uncalculated:
                value = NO_CACHED_VALUE
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _too_long(path, f"{sheet}!{get_column_letter(col)}{row_number}")
            cells.append((value, getattr(cell, "number_format", None) or "General"))
        while upcoming and upcoming[1] <= row_number:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [bounds for bounds in active if bounds[3] >= row_number]
        for min_col, min_row, max_col, _max_row in active:
            if row_number == min_row:
                top_left_values[(min_row, min_col)] = cells[min_col - 1]
            if (fill := top_left_values.get((min_row, min_col))) is not None:
                for col in range(min_col, max_col + 1):
                    if (row_number, col) != (min_row, min_col):
                        cells[col - 1] = fill
        yield row_number, row_number in facts.hidden_rows, cells


def _guard(path: Path, sheet: str,
           rows: Iterator[tuple[int, bool, list[Cell]]]) -> Iterator[tuple[int, bool, list[Cell]]]:
    """The rows of a sheet, read with openpyxl's warnings silenced; whatever fails further down in openpyxl
    (a damaged file fails there in every way there is) becomes a message naming the file and sheet."""
    while True:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. a date cell out of range, read as "#VALUE!"
                row = next(rows)
        except StopIteration:
            return
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - see above
            raise _damaged(path, sheet) from None
        yield row


def _open_xlsx(path: Path, sheet: str | None) -> RosterStream:
    workbook, handle = _open_workbook(path)

    def close() -> None:
        workbook.close()
        handle.close()

    try:
        try:
            named = [ws for ws in workbook.worksheets if ws.title == sheet]  # a chart sheet has no cells
            if sheet is not None and not named:
                raise _file_error(path, f"Tệp «{path.name}» không có trang tính «{sheet}».",
                                  "Các trang tính có trong tệp: " + ", ".join(workbook.sheetnames) + ".")
            candidates = named or [ws for ws in workbook.worksheets if ws.sheet_state == "visible"]
        except InputError:
            raise
        except Exception:  # noqa: BLE001 - the sheets are opened here: the same damage as in _open_workbook
            raise _not_a_workbook(path) from None
        if not workbook.sheetnames:  # openpyxl leaves out a sheet whose part is missing
            raise _file_error(path, f"Tệp «{path.name}» không có trang tính nào đọc được (tệp bị thiếu phần).",
                              RESAVE_HINT)
        first_miss: _NoHeader | None = None
        for worksheet in candidates:
            # read-only sheets know their XML part; openpyxl has no public name for it
            facts = _scan_sheet_xml(path, workbook._archive, worksheet._worksheet_path, worksheet.title)
            worksheet.reset_dimensions()  # some writers store a wrong sheet size; read every row there is
            rows = _xlsx_rows(path, worksheet.title, worksheet.iter_rows(max_col=max(facts.width, 1)), facts)
            try:
                stream = _open_table(str(path), worksheet.title, _guard(path, worksheet.title, rows),
                                     facts.filled_rows)
            except _NoHeader as miss:
                if first_miss is None or (miss.missing and not first_miss.missing):
                    first_miss = miss
                continue
            stream._close = close  # the rows are read from the open workbook
            return stream
    except BaseException:
        close()
        raise
    close()
    raise _header_error(path, first_miss)


def _header_error(path: Path, miss: _NoHeader | None) -> InputError:
    """The whole file is unusable: no sheet has the roster header, or it lacks required columns."""
    expected = "Các tiêu đề cột theo mẫu: " + ", ".join(col.header for col in COLUMNS) + "."
    if miss is None or not miss.missing:
        return _file_error(path, f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SEARCH_ROWS} dòng đầu "
                                 f"của tệp «{path.name}».", expected)
    return InputError(Problem(Where(str(path), cell=f"{miss.sheet}!A{miss.row}"),
                              "Thiếu cột bắt buộc: " + ", ".join(f"«{h}»" for h in miss.missing) + ".",
                              "Thêm các cột này (hoặc cột «Mã trường …»). " + expected))


# ---------------------------------------------------------------- csv


CSV_FILE = TextFileKind(
    "tệp danh sách",
    "lưu lại tệp dạng CSV UTF-8 (trong Excel: Tệp → Lưu thành (Save As), mục kiểu tệp chọn "
    "«CSV UTF-8 (Comma delimited) (*.csv)»)",
    "Hãy chọn đúng tệp danh sách cặp trường (.xlsx hoặc .csv).",
    controls_in_cells=True,
)
MAX_CSV_BYTES = 8 * 1024 * 1024  # a 10,000-pair roster is about 3 MB; read whole to detect its encoding (8 MB: 11 s)


def _csv_text(path: Path) -> str:
    """The CSV's text through the one decoder of clerks' text files (encodings refused as for a plan file)."""
    with path.open("rb") as stream:
        data = stream.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise _file_error(path, f"Tệp «{path.name}» quá lớn (hơn {MAX_CSV_BYTES // 1024 // 1024} MB) để là danh sách "
                                "cặp trường.", "Chia danh sách thành nhiều tệp nhỏ hơn, hoặc chọn đúng tệp danh sách.")
    return decode_input(data, str(path), CSV_FILE)


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, bool, list[Cell]]]:
    """The records of a CSV as rows; the delimiter is ";" (Vietnamese Excel) or ",", whichever the top uses more."""
    top = "".join(islice(io.StringIO(text), HEADER_SEARCH_ROWS))
    delimiter = ";" if top.count(";") > top.count(",") else ","
    records = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for number, record in enumerate(records, start=1):
            for col, value in enumerate(record):
                if len(value) > MAX_CELL_CHARS:
                    raise _too_long(path, f"{path.stem}!{get_column_letter(col + 1)}{number}")
            yield number, False, [(value, "General") for value in record]
    except csv.Error:  # a field over csv's own limit: an unclosed quote ran on
        raise InputError(Problem(Where(str(path), records.line_num, 1),
                                 f"Không đọc được tệp CSV «{path.name}» từ dòng này: một ô quá dài.",
                                 TOO_LONG_HINT)) from None


def _open_csv(path: Path) -> RosterStream:
    try:
        text = _csv_text(path)
        filled = sum(1 for line in io.StringIO(text) if line.strip(" \t\r\n;,"))  # for progress
        stream = _open_table(str(path), path.stem, _csv_rows(path, text), filled)
    except _NoHeader as miss:
        raise _header_error(path, miss) from None
    except PermissionError:
        raise _locked(path) from None
    except OSError:
        raise _file_error(path, f"Không đọc được tệp «{path.name}».",
                          "Kiểm tra tệp còn ở đó (USB, ổ mạng chưa bị rút) rồi chạy lại.") from None
    stream._close = stream.items.close  # stops the rows generator
    return stream


# ---------------------------------------------------------------- public


def read_roster(path: Path, sheet: str | None = None) -> Roster:
    """Read a whole roster (.xlsx/.xlsm or .csv): the first visible sheet with the roster header, or `sheet`."""
    roster = Roster([], [], [], [])
    with open_roster(path, sheet) as stream:
        roster.warnings.extend(stream.warnings)
        for item in stream:
            if isinstance(item, RosterRow):
                roster.rows.append(item)
            elif isinstance(item, BadRow):
                roster.problems.extend(item.problems)
            else:
                roster.skipped.append(item)
    return roster


def open_roster(path: Path, sheet: str | None = None) -> RosterStream:
    """Open a roster for streaming; an unusable file (missing, not a roster, no header) raises InputError here."""
    path = Path(path)
    if not path.is_file():
        raise _file_error(path, f"Không tìm thấy tệp danh sách «{path}».", "Kiểm tra lại tên và thư mục của tệp.")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _open_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _open_xlsx(path, sheet)
    if suffix == ".xls":
        raise _file_error(path, f"Tệp «{path.name}» là dạng Excel 97-2003 (.xls), kehoach chưa đọc được.",
                          "Mở tệp bằng Excel rồi chọn Lưu thành (Save As) → Excel Workbook (.xlsx).")
    raise _file_error(path, f"Tệp «{path.name}» không phải bảng tính .xlsx hay .csv.",
                      "Lưu danh sách dạng Excel Workbook (.xlsx) hoặc CSV rồi chạy lại.")


TEMPLATE_SHEET = "Danh sách"
GUIDE_SHEET = "Hướng dẫn"
TEMPLATE_ROWS = 1000  # rows that get the date and school-level validation


def _serial(day: date) -> str:
    """Excel's day number of a date, as a validation formula writes it."""
    return str(int(to_excel(day)))


def _build_template() -> openpyxl.Workbook:
    """The roster template: headers, one example pair, validations, and a guide sheet."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = TEMPLATE_SHEET
    date_check = DataValidation(type="date", operator="between", formula1=_serial(date(FIRST_YEAR, 1, 1)),
                                formula2=_serial(date(LAST_YEAR, 12, 31)),
                                error="Nhập ngày dạng ngày/tháng/năm, ví dụ 16/9/2025.", showErrorMessage=True)
    level_check = DataValidation(type="list", formula1='"' + ",".join(CAP_HOC) + '"', allow_blank=True,
                                 error="Chọn cấp học trong danh sách.", showErrorMessage=True)
    sheet.add_data_validation(date_check)
    sheet.add_data_validation(level_check)
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        header = sheet.cell(1, index, column.header)
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[letter].width = column.width
        example = sheet.cell(2, index, column.example)
        cells = f"{letter}2:{letter}{TEMPLATE_ROWS + 1}"
        if column.kind == "date":
            example.number_format = "DD/MM/YYYY"
            date_check.add(cells)
        elif column.kind == "cap_hoc":
            level_check.add(cells)
        elif column.key == "so":
            sheet.column_dimensions[letter].number_format = "@"  # keep leading zeros: "05", not 5
            example.number_format = "@"
    sheet.freeze_panes = "A2"

    guide = workbook.create_sheet(GUIDE_SHEET)
    guide.append(["Cột", "Ghi gì", "Ví dụ", "Bắt buộc"])
    for column in COLUMNS:
        example = column.example.strftime("%d/%m/%Y") if isinstance(column.example, date) else column.example
        required = "Có (nếu không ghi mã trường)" if column.required else "Không"
        guide.append([column.header, column.guide, example, required])
    for letter, width in zip("ABCD", (28, 70, 40, 26)):
        guide.column_dimensions[letter].width = width
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.freeze_panes = "A2"
    return workbook


def write_roster_template(path: Path) -> None:
    """Write the blank roster template (.xlsx) atomically (output.write_atomic)."""
    buffer = io.BytesIO()
    _build_template().save(buffer)
    write_atomic(Path(path), buffer.getvalue())
