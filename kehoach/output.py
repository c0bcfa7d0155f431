"""Writing results safely: a complete file or none, and file names that work on Windows and Linux."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
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


def write_atomic(path: Path, data: bytes, sync: bool = True) -> None:
    """Write to a temporary file beside the target, then move it into place: never a half-written file.

    sync=False skips flushing the file to disk before the move: a batch that can simply be run again
    trades that for speed (the move is still atomic; a power cut may lose the last files written)."""
    where = Where(str(path))
    if not path.parent.is_dir():
        raise OutputError(Problem(where, f"thư mục '{path.parent}' không tồn tại", "tạo thư mục trước, hoặc chọn nơi lưu khác bằng -o"))
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.stem[:40]}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise OutputError(Problem(where, f"không ghi được vào thư mục '{path.parent}' ({error.strerror})",
                                  "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi")) from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(Problem(where, f"không ghi được tệp ({error.strerror})",
                                  "nếu tệp đang mở trong Word, hãy đóng lại rồi chạy lại; nếu tệp chỉ đọc, bỏ thuộc tính chỉ đọc")) from None
    except BaseException:  # Ctrl+C in the middle: leave the previous file as it was
        Path(temp).unlink(missing_ok=True)
        raise
