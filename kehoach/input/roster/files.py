"""What any roster file may do wrong before its rows are read: the bounds it must keep and the messages that
name the file (and the cell, where there is one)."""

from __future__ import annotations

from pathlib import Path

from kehoach.errors import InputError, Problem, Where
from kehoach.input.roster.columns import COLUMNS, HEADER_SEARCH_ROWS, _NoHeader

# Bounds: whatever a file holds, reading it takes bounded memory and time. Excel's own limits, or far above
# any roster (10,000 pairs: a 1 MB file, its sheet about 7 MB unpacked).
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
MAX_ROWS, MAX_COLUMNS = 1_048_576, 16_384  # Excel's sheet size (XFD1048576)


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


def _too_long(path: Path, cell: str) -> InputError:
    """A text longer than any cell Excel can hold (a damaged or crafted file), refused at its cell."""
    return InputError(Problem(Where(str(path), cell=cell),
                              f"Ô dài hơn {_number(MAX_CELL_CHARS)} ký tự, quá giới hạn của một ô.", TOO_LONG_HINT))


def _header_error(path: Path, miss: _NoHeader | None) -> InputError:
    """The whole file is unusable: no sheet has the roster header, or it lacks required columns."""
    expected = "Các tiêu đề cột theo mẫu: " + ", ".join(col.header for col in COLUMNS) + "."
    if miss is None or not miss.missing:
        return _file_error(path, f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SEARCH_ROWS} dòng đầu "
                                 f"của tệp «{path.name}».", expected)
    return InputError(Problem(Where(str(path), cell=f"{miss.sheet}!A{miss.row}"),
                              "Thiếu cột bắt buộc: " + ", ".join(f"«{h}»" for h in miss.missing) + ".",
                              "Thêm các cột này (hoặc cột «Mã trường …»). " + expected))
