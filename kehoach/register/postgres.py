"""The register on a PostgreSQL server, for an office whose clerks number from several machines.

Needs psycopg 3 (`pip install 'kehoach[postgres]'`). Each sequence (unit, year) is serialised by a
transaction-scoped advisory lock, so two clerks never read the same last number; the lock is released
by COMMIT or ROLLBACK, or by the server when a killed client's connection drops.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from kehoach.register.store import Store, StoreError, shown

CONNECT_SECONDS = 10
_SCHEMA_LOCK = 0x6B65686F61636801  # one advisory key for creating the tables ("kehoach" + 1)


def _sequence_key(don_vi: str, nam: int) -> int:
    """A signed 64-bit advisory lock key for one unit's year (a collision only makes two sequences wait in turn)."""
    digest = hashlib.blake2b(f"{don_vi}\x00{nam}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class PostgresStore(Store):
    """The register in a PostgreSQL database, its tables created on first use."""

    def __init__(self, url: str):
        self.location = shown(url)
        try:
            import psycopg
        except ImportError:
            raise StoreError("chưa cài thư viện psycopg để dùng sổ đăng ký trên máy chủ PostgreSQL",
                             "cài bằng: pip install 'kehoach[postgres]'") from None
        self._psycopg = psycopg
        try:
            self._db = psycopg.connect(url, connect_timeout=CONNECT_SECONDS, autocommit=True)
        except psycopg.Error as error:
            raise StoreError(f"không kết nối được máy chủ sổ đăng ký ({_first_line(error)})",
                             "kiểm tra mạng, địa chỉ máy chủ, tên người dùng và mật khẩu trong --so-dang-ky "
                             "(hoặc biến KEHOACH_SO_DANG_KY); hỏi người quản trị máy chủ nếu vẫn lỗi") from None
        try:
            self._create_schema()
        except BaseException:
            self._db.close()
            raise

    @contextmanager
    def _reported(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.OperationalError as error:
            raise StoreError(f"mất kết nối tới máy chủ sổ đăng ký ({_first_line(error)})",
                             "kiểm tra mạng rồi chạy lại; số đã giữ trước đó vẫn được dùng lại") from None
        except self._psycopg.errors.InsufficientPrivilege as error:
            raise StoreError(f"người dùng máy chủ không có quyền ghi sổ đăng ký ({_first_line(error)})",
                             "nhờ người quản trị cấp quyền tạo bảng và ghi trong cơ sở dữ liệu này") from None
        except self._psycopg.errors.ReadOnlySqlTransaction:
            raise StoreError("máy chủ sổ đăng ký đang ở chế độ chỉ đọc", "dùng máy chủ chính, không dùng bản sao chỉ đọc") from None

    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        with self._reported():
            cursor = self._db.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []

    def _begin(self, write: bool) -> None:
        with self._reported():
            self._db.execute("BEGIN")

    def _commit(self) -> None:
        with self._reported():
            self._db.execute("COMMIT")

    def _rollback(self) -> None:
        try:
            self._db.execute("ROLLBACK")
        except self._psycopg.Error:  # the connection is gone: the server has rolled back already
            pass

    def _lock_sequence(self, don_vi: str, nam: int) -> None:
        self._execute("SELECT pg_advisory_xact_lock(?)", (_sequence_key(don_vi, nam),))

    def _version(self) -> int | None:
        # Two first runs at once: the second waits here until the first has created the tables.
        self._execute("SELECT pg_advisory_xact_lock(?)", (_SCHEMA_LOCK,))
        if self._execute("SELECT to_regclass('phien_ban')")[0][0] is None:
            return None
        found = self._execute("SELECT phien_ban FROM phien_ban")
        return found[0][0] if found else None

    def close(self) -> None:
        self._db.close()


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
