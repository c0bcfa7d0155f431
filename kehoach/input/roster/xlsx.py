"""The .xlsx reader, streamed in bounded memory.

Memory: the workbook is opened with openpyxl `read_only=True` so cells stream row by row. Read-only
worksheets expose neither merged cells nor hidden rows, so one extra streaming pass over the sheet's
XML (`_SheetScan`, expat) collects them, together with formulas that have no cached value. Only those
small facts are kept, never the whole sheet (10,000 rows: about 4 s, the XML pass a fifth of it,
and about 1 MB above the RosterRows themselves; a normal load would hold every cell). The pass finds
the sheet's XML through openpyxl's private `_worksheet_path` (stable in 3.1; a test covers it).

Any file: a roster may be damaged or made to harm. Part sizes are checked before anything is unpacked,
the XML pass refuses at its row or cell what openpyxl would fail on (and measures how wide the rows are
read), and whatever openpyxl still raises becomes a message naming the file and sheet. A cell inside a
merged range reads as the range's top-left value (clerks merge "UBND ..." down a block of rows).
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.parsers import expat

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

from kehoach.errors import InputError, Problem, Where
from kehoach.input.roster.columns import NO_CACHED_VALUE, Cell, _NoHeader
from kehoach.input.roster.files import (MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS, RESAVE_HINT, _file_error,
                                        _header_error, _locked, _number, _too_long)
from kehoach.input.roster.table import RosterStream, _open_table

# Bounds of an .xlsx besides a cell's and the sheet's (files.py)
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


def _not_a_workbook(path: Path) -> InputError:
    return _file_error(path, f"Tệp «{path.name}» không phải là bảng tính Excel (.xlsx) hợp lệ hoặc đã bị hỏng.",
                       RESAVE_HINT)


def _damaged(path: Path, sheet: str) -> InputError:
    return _file_error(path, f"Trang tính «{sheet}» của tệp «{path.name}» đã bị hỏng, không đọc hết được.", RESAVE_HINT)


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
