"""Writing results safely: a complete file or none, and file names that work on Windows and Linux."""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import unicodedata
from functools import cache
from pathlib import Path

from kehoach.errors import OutputError, Problem, Where

WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 120  # characters before the extension: well inside Windows' 260-character paths


def safe_name(text: str) -> str:
    """A readable file name (Vietnamese letters kept) without characters or names Windows refuses."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]+', "-", text)
    text = re.sub(r"\s+", " ", text).strip(" .-")[:MAX_NAME].rstrip(" .-")
    if not text or text.split(".")[0].upper() in WINDOWS_RESERVED:
        text = f"van-ban-{text}" if text else "van-ban"
    return text


_REASONS = {
    errno.EACCES: "không có quyền ghi, hoặc tệp đang mở trong chương trình khác",
    errno.EPERM: "không có quyền ghi, hoặc tệp đang mở trong chương trình khác",
    errno.EISDIR: "đó là một thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
    errno.ENOTDIR: "một phần của đường dẫn là tệp chứ không phải thư mục",
}


def reason(error: OSError) -> str:
    """Why the system refused, in Vietnamese (the OS's own text is English on many machines)."""
    return _REASONS.get(error.errno, f"lỗi hệ thống số {error.errno}")


def make_folder(path: Path) -> None:
    """Create an output folder (and its parents), or raise OutputError saying why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(Problem(Where(str(path)), f"không tạo được thư mục kết quả ({reason(error)})",
                                  "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi")) from None


@cache
def _new_file_mode() -> int:
    """The permissions a newly created file gets here (0666 less the process's umask)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def move_into_place(temp: str | Path, path: Path) -> None:
    """Rename a finished temporary file over path (atomic), with the permissions the clerk's file had, or the
    usual ones: mkstemp makes it private (0600), which a school's shared folder could not read."""
    os.chmod(temp, stat.S_IMODE(path.stat().st_mode) if path.exists() else _new_file_mode())
    os.replace(temp, path)


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write to a temporary file beside the target, then move it into place: never a half-written file.

    sync=False skips flushing the file to disk before the move: a batch that can simply be run again
    trades that for speed (the move is still atomic; a power cut may lose the last files written)."""
    where = Where(str(path))
    if not path.parent.is_dir():
        raise OutputError(Problem(where, f"thư mục '{path.parent}' không tồn tại", "tạo thư mục trước, hoặc chọn nơi lưu khác bằng -o"))
    if path.is_dir():
        raise OutputError(Problem(where, "tên tệp kết quả trùng với một thư mục",
                                  "chọn tên tệp khác bằng -o, ví dụ -o ket-qua.docx"))
    # POSIX would let a rename replace a read-only file; the clerk marked it so to keep it (Windows agrees).
    if path.exists() and not path.stat().st_mode & stat.S_IWUSR:
        raise OutputError(Problem(where, "tệp kết quả đang để chỉ đọc nên không ghi đè",
                                  "bỏ thuộc tính chỉ đọc (chuột phải → Properties → bỏ chọn Read-only), hoặc chọn tên khác bằng -o"))
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(Problem(where, f"không ghi được vào thư mục '{path.parent}' ({reason(error)})",
                                  "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi")) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        move_into_place(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(Problem(where, f"không ghi được tệp ({reason(error)})",
                                  "nếu tệp đang mở trong Word, hãy đóng lại rồi chạy lại; nếu tệp chỉ đọc, bỏ thuộc tính chỉ đọc")) from None
    except BaseException:  # Ctrl+C in the middle: leave the previous file as it was
        Path(temp).unlink(missing_ok=True)
        raise
