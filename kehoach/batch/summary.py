"""The summary of a batch (tong-hop.csv): one line per roster row, written as each row is done."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.errors import OutputError, Where
from kehoach.write.naming import SUMMARY_NAME, replace_problem
from kehoach.write.output import make_folder, move_into_place, refused, temporary_beside

if TYPE_CHECKING:
    from kehoach.batch import Outcome


SUMMARY_HEADER = ["Trang tính", "Dòng", "Trường 1", "Trường 2", "Trạng thái", "Tệp", "Lỗi"]
DUNG = "dừng"  # the status of the summary's last line when a run ended early
# What makes a spreadsheet read a cell as a formula (OWASP, CSV injection): such a cell gets a leading "'".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_line(cells: list) -> bytes:
    """One summary line as bytes, every text cell that a spreadsheet would run as a formula made inert."""
    text = io.StringIO()
    csv.writer(text).writerow(["'" + c if isinstance(c, str) and c.startswith(_FORMULA_START) else c for c in cells])
    return text.getvalue().encode("utf-8")


_SUMMARY_START = "\ufeff".encode() + _csv_line(SUMMARY_HEADER)  # UTF-8 with BOM, for Excel


def is_summary(path: Path) -> bool:
    """Whether a file is a summary kehoach wrote (a re-run replaces it; any other file of that name is kept)."""
    try:
        with path.open("rb") as file:
            return file.read(len(_SUMMARY_START)) == _SUMMARY_START
    except OSError:
        return False


class Summary:
    """tong-hop.csv beside the outputs: every row with its file or its errors (UTF-8 with BOM, for Excel).

    Each line goes to disk as its row is done, into a temporary file moved into place at the end: the
    summary of a run cut short (Ctrl+C, a full disk) still lists every row done, and says where it stopped.
    """

    def __init__(self, outdir: Path, inputs: Iterable[Path] = ()):
        self.path = outdir / SUMMARY_NAME
        make_folder(outdir)
        if problem := replace_problem(self.path, inputs, is_summary):
            raise OutputError(problem)
        handle, self._temp = temporary_beside(self.path)
        self._file = os.fdopen(handle, "wb", buffering=0)
        self._size = 0
        try:
            self._write(_SUMMARY_START)
        except BaseException:
            self.discard()
            raise

    def _write(self, data: bytes) -> None:
        """Append whole lines or nothing: a line cut by a full disk is taken back."""
        try:
            view = memoryview(data)
            while view:
                view = view[self._file.write(view):]
        except OSError as error:
            with suppress(OSError):
                self._file.truncate(self._size)
            raise refused(error, Where(str(self.path)), "không ghi được tệp tổng hợp",
                          "giải phóng chỗ trống trên ổ đĩa rồi chạy lại") from None
        self._size += len(data)

    def add(self, outcome: Outcome) -> None:
        """One row of the summary."""
        errors = "\n".join([*(str(p) for p in outcome.problems), *([outcome.reason] if outcome.reason else []),
                            *(f"Cảnh báo: {w}" for w in outcome.warnings)])
        self._write(_csv_line([outcome.sheet, outcome.row, *outcome.truong, outcome.status,
                               outcome.file.name if outcome.file else "", errors]))

    def stop(self, why: str) -> None:
        """A last line saying the run ended before the roster's end, and why (left out if even that cannot be written)."""
        with suppress(OutputError):
            self._write(_csv_line(["", "", "", "", DUNG, "", why]))

    def close(self) -> None:
        """Put the summary in place (also when the run was cut short: what was done is listed)."""
        self._file.close()
        try:
            move_into_place(self._temp, self.path)
        except OSError as error:
            Path(self._temp).unlink(missing_ok=True)
            raise refused(error, Where(str(self.path)), "không ghi được tệp tổng hợp",
                          "nếu tệp đang mở trong Excel, hãy đóng lại rồi chạy lại") from None

    def discard(self) -> None:
        """Remove the unfinished summary (nothing was done worth listing)."""
        self._file.close()
        Path(self._temp).unlink(missing_ok=True)
