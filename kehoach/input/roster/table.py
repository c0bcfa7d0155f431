"""A sheet's rows, whatever file they came from, into pairs: each cell converted (text as the clerk sees it,
day-first dates, the school level's canonical spelling), bad rows with each mistake at its cell, blank,
hidden and sample rows skipped, one "Cấp học" shared by the pair, each place derived from the other, a pair
listed twice warned."""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain, islice
from typing import Any, NamedTuple

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from kehoach.errors import Problem, Where
from kehoach.input.dates import ImpossibleDate, NotADate, YearOutOfRange, issue_date, parse_date
from kehoach.input.places import place_in_sentence, proper_name
from kehoach.input.roster.columns import (CAP_HOC, CAP_HOC_BY_KEY, COLUMNS, HEADER_SEARCH_ROWS, NO_CACHED_VALUE,
                                          REQUIRED_SCHOOL_FIELDS, Cell, _CellError, _clean, _find_header, _Header,
                                          _missing_headers, _normalise, _NoHeader)

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



def _as_text(value: Any, number_format: str) -> str:
    """A cell as the clerk sees it: 5 formatted "00" -> "05", 5.0 -> "5", a date -> "16/09/2025"."""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and re.fullmatch(r"0+", number_format):
        return str(value).zfill(len(number_format))
    return _clean(value)



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


