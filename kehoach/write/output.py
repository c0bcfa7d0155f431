"""Writing results safely: a complete file or none, temporaries that never outlive a run, one batch per folder.

What the results are called is kehoach.write.naming's business."""

from __future__ import annotations

import errno
import os
import re
import socket
import stat
import tempfile
import time
from functools import cache
from pathlib import Path

from kehoach.errors import FolderInUse, NoSpaceError, OutputError, Problem, Where, reason

# Every temporary kehoach writes starts so (then the target's name, mkstemp's 8 random characters, .tmp),
# so that one left by a killed run is recognised and removed, and no clerk's file ever is.
TEMP_PREFIX = ".kehoach-"
_STALE = re.compile(re.escape(TEMP_PREFIX) + r".*\.[a-z0-9_]{8}(\.pdf)?\.tmp|\.tong-hop\.[a-z0-9_]{8}\.tmp")  # and older versions' summary
LOCK_NAME = ".kehoach.lock"
_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def refused(error: OSError, where: Where, message: str, hint: str) -> OutputError:
    """The OutputError for a write the system refused; NoSpaceError when the disk is full."""
    kind = NoSpaceError if error.errno in _NO_SPACE else OutputError
    return kind(Problem(where, f"{message} ({reason(error)})", hint))


def make_folder(path: Path) -> None:
    """Create an output folder (and its parents), or raise OutputError saying why not."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise refused(error, Where(str(path)), "không tạo được thư mục kết quả",
                      "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi") from None


def temporary_beside(path: Path, suffix: str = ".tmp") -> tuple[int, str]:
    """A new private temporary file in path's folder, named so that remove_stale_temporaries knows it."""
    try:
        return tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.stem[:40]}.", suffix=suffix, dir=path.parent)
    except OSError as error:
        raise refused(error, Where(str(path)), f"không ghi được vào thư mục '{path.parent}'",
                      "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi") from None


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the temporaries an earlier run left when it was killed; how many. Only kehoach's own names."""
    removed = 0
    for path in folder.iterdir():
        if _STALE.fullmatch(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


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
    handle, temp = temporary_beside(path)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if sync:
                out.flush()
                os.fsync(out.fileno())
        move_into_place(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise refused(error, where, "không ghi được tệp",
                      "nếu tệp đang mở trong Word, hãy đóng lại rồi chạy lại; nếu tệp chỉ đọc, bỏ thuộc tính chỉ đọc; "
                      "nếu ổ đĩa đầy, giải phóng chỗ trống") from None
    except BaseException:  # Ctrl+C in the middle: leave the previous file as it was
        Path(temp).unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    """Whether a process of this machine is still running (without signalling it)."""
    if os.name == "nt":  # os.kill(pid, 0) would terminate it on Windows
        import ctypes

        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class FolderLock:
    """One batch at a time in a folder: a lock file created exclusively (O_EXCL, on every system), held for
    the run and removed on every way out. A lock whose process has died on this machine (kill -9, a crash)
    is taken over, with a note saying so."""

    STALE_EMPTY_SECONDS = 10  # a lock still empty after this long lost its writer before it wrote its pid

    def __init__(self, folder: Path):
        self.folder, self.path = folder, folder / LOCK_NAME
        self.note = ""

    def __enter__(self) -> FolderLock:
        make_folder(self.folder)
        me = f"{os.getpid()}\n{socket.gethostname()}\n"
        for _ in range(2):
            try:
                handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if not self._take_over_stale():
                    raise self._in_use() from None
                continue
            except OSError as error:
                raise refused(error, Where(str(self.folder)), "không tạo được tệp khóa của thư mục",
                              "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi") from None
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    out.write(me)
            except OSError as error:
                self.path.unlink(missing_ok=True)
                raise refused(error, Where(str(self.folder)), "không ghi được tệp khóa của thư mục",
                              "giải phóng chỗ trống hoặc chọn thư mục khác bằng -o") from None
            return self
        raise self._in_use()

    def __exit__(self, *exc: object) -> None:
        self.path.unlink(missing_ok=True)

    def _holder(self) -> tuple[str, int | None, str]:
        """The lock's text, and the process id and host it names (None when unreadable)."""
        try:
            text = self.path.read_text("utf-8", errors="replace")
        except OSError:
            return "", None, ""
        pid, _, host = text.partition("\n")
        return text, int(pid) if pid.strip().isdigit() else None, host.strip()

    def _take_over_stale(self) -> bool:
        """Remove the lock if its process is gone; whether it was."""
        text, pid, host = self._holder()
        if pid is not None and host == socket.gethostname() and not _alive(pid):
            self.note = (f"{self.folder}: lần chạy trước (tiến trình {pid}) đã bị dừng giữa chừng; "
                         "đã gỡ khóa nó để lại và dọn các tệp tạm")
        elif pid is None and self._age() > self.STALE_EMPTY_SECONDS:
            self.note = f"{self.folder}: đã gỡ một tệp khóa hỏng của lần chạy trước"
        else:
            return False
        if self._holder()[0] == text:  # not re-taken meanwhile by another run that got here first
            self.path.unlink(missing_ok=True)
        return True

    def _age(self) -> float:
        """Seconds since the lock was written (0 if it has just gone)."""
        try:
            return time.time() - self.path.stat().st_mtime
        except OSError:
            return 0.0

    def _in_use(self) -> FolderInUse:
        _, pid, host = self._holder()
        who = f" (tiến trình {pid} trên máy {host})" if pid is not None else ""
        return FolderInUse(Problem(
            Where(str(self.folder)), f"thư mục đang được một lần chạy batch khác ghi vào{who}",
            f"chờ lần chạy ấy xong rồi chạy lại, hoặc chọn thư mục khác bằng -o; nếu chắc chắn không còn lần chạy nào, "
            f"xóa tệp {LOCK_NAME} trong thư mục"))
