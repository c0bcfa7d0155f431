"""The .csv reader: decoded as a plan file is (textcodec.decode_input), the delimiter ";" or "," as the top
of the file uses more."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from openpyxl.utils import get_column_letter

from kehoach.errors import InputError, Problem, Where
from kehoach.input.roster.columns import HEADER_SEARCH_ROWS, Cell, _NoHeader
from kehoach.input.roster.files import MAX_CELL_CHARS, TOO_LONG_HINT, _file_error, _header_error, _locked, _too_long
from kehoach.input.roster.table import RosterStream, _open_table
from kehoach.input.textcodec import TextFileKind, decode_input



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


