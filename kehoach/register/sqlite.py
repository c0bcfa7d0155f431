"""The register in one SQLite file (the default): a file the clerk can copy as a backup.

WAL journal with synchronous=FULL, so a committed number survives a crash or a power cut; writers
take the file's write lock at BEGIN IMMEDIATE and wait for each other up to BUSY_SECONDS.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kehoach.register.store import Store, StoreError

BUSY_SECONDS = 30  # how long a writer waits for another clerk's run before saying the file is locked

_CLOSE_OTHERS = "đóng chương trình khác đang mở tệp sổ (DB Browser, Excel …) hoặc chờ lần chạy kia xong, rồi chạy lại"


@contextmanager
def _reported(path: str) -> Iterator[None]:
    """SQLite's English errors as what the clerk can do about them."""
    try:
        yield
    except sqlite3.OperationalError as error:
        text = str(error).lower()
        if "locked" in text or "busy" in text:
            raise StoreError(f"tệp sổ đăng ký đang bị khóa quá {BUSY_SECONDS} giây bởi một lần chạy khác", _CLOSE_OTHERS) from None
        if "readonly" in text or "read-only" in text:
            raise StoreError("tệp sổ đăng ký chỉ cho đọc nên không ghi được số",
                             "bỏ thuộc tính chỉ đọc của tệp (chuột phải → Properties → bỏ chọn Read-only) "
                             "và kiểm tra quyền ghi thư mục chứa nó") from None
        if "unable to open" in text:
            raise StoreError("không mở được tệp sổ đăng ký (thư mục không có hoặc không có quyền ghi)",
                             "kiểm tra đường dẫn --so-dang-ky và quyền ghi thư mục") from None
        if "disk" in text and "full" in text:
            raise StoreError("ổ đĩa đã đầy, không ghi được sổ đăng ký", "giải phóng chỗ trống rồi chạy lại") from None
        raise StoreError(f"lỗi khi đọc ghi sổ đăng ký ({error})", _CLOSE_OTHERS) from None
    except sqlite3.DatabaseError:
        raise StoreError("tệp này không phải sổ đăng ký của kehoach (không đọc được như cơ sở dữ liệu SQLite)",
                         "chỉ tới đúng tệp so-dang-ky.sqlite bằng --so-dang-ky, hoặc khôi phục tệp từ bản sao lưu") from None


class SqliteStore(Store):
    """The register in a file, created with its tables on first use."""

    def __init__(self, path: str | Path):
        self.location = str(path)
        with _reported(self.location):
            # isolation_level=None: no implicit transactions; each one is begun here, explicitly.
            self._db = sqlite3.connect(self.location, timeout=BUSY_SECONDS, isolation_level=None)
        try:
            with _reported(self.location):
                if not Path(path).exists() or os.access(path, os.W_OK):  # WAL is written into the file
                    self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=FULL")
            self._create_schema()
        except BaseException:
            self._db.close()
            raise

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        with _reported(self.location):
            return self._db.execute(sql, params).fetchall()

    def _begin(self, write: bool) -> None:
        with _reported(self.location):
            self._db.execute("BEGIN IMMEDIATE" if write else "BEGIN")

    def _commit(self) -> None:
        with _reported(self.location):
            self._db.execute("COMMIT")

    def _rollback(self) -> None:
        if self._db.in_transaction:
            self._db.execute("ROLLBACK")

    def _lock_sequence(self, don_vi: str, nam: int) -> None:
        """BEGIN IMMEDIATE already holds the whole file's write lock."""

    def _version(self) -> int | None:
        if not self._execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'phien_ban'"):
            return None
        found = self._execute("SELECT phien_ban FROM phien_ban")
        return found[0][0] if found else None

    def close(self) -> None:
        self._db.close()

