"""Read a roster of twinned school pairs (.xlsx or .csv, one pair per row).

Rows with mistakes are left out of `Roster.rows`; each mistake is a `Problem` in `Roster.problems`
naming the cell, so a batch can make the good rows and list the bad ones. A file that cannot be read
at all (missing, locked, not a workbook, required headers missing) raises `InputError`.
`open_roster` streams the same rows one at a time (RosterRow, BadRow or Skipped) for a batch whose
memory must not grow with the roster; `read_roster` collects them.

The rooms: columns.py (the columns, header variants, finding the header), table.py (a sheet's rows into
pairs), xlsx.py and csvfile.py (the two file readers, bounded; files.py their bounds and file messages).

Choices: numbers in text columns keep what the clerk sees: 5 formatted "00" gives "05", a plain 5 gives
"5", 5.0 gives "5". Dates are day-first (16/9/2025) as written in Vietnam. "Cấp học" is stored in its
canonical spelling ("Trung học cơ sở" -> "THCS"). Blank rows are listed in `skipped` only when a filled
row follows them, so thousands of formatted empty rows at the end stay silent.

Rosters as districts keep them: a header written otherwise than the template is read with a warning
saying how; one "Cấp học" column may serve both schools; one place column per school is enough (see
`table._complete_place`); the template's example pair is skipped, and a pair listed twice is warned.
"""

from __future__ import annotations

from pathlib import Path

from kehoach.input.roster.columns import COLUMNS, SCHOOL_FIELDS
from kehoach.input.roster.csvfile import _open_csv
from kehoach.input.roster.files import MAX_CELL_CHARS, _file_error
from kehoach.input.roster.table import SAMPLE_ROW, BadRow, Roster, RosterRow, RosterStream, Skipped
from kehoach.input.roster.xlsx import _open_xlsx

# what the rest of kehoach (and a script) takes from here
__all__ = ["COLUMNS", "MAX_CELL_CHARS", "SAMPLE_ROW", "SCHOOL_FIELDS", "BadRow", "Roster", "RosterRow", "RosterStream",
           "Skipped", "open_roster", "read_roster"]


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
