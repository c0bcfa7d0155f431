"""The register's storage: one SQL schema, one set of statements, two backends (SQLite, PostgreSQL).

A backend only opens the connection, starts a writing transaction and locks one sequence (a unit's
numbers of one year); everything else is the SQL here, written once with `?` placeholders.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import datetime, timezone

SCHEMA_VERSION = 1

# State of a number: reserved before the document is written, issued once it is, or void.
GIU_SO, DA_CAP, DA_HUY = "giu_so", "da_cap", "da_huy"
TRANG_THAI = {GIU_SO: "đang giữ số", DA_CAP: "đã cấp", DA_HUY: "đã hủy"}

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS phien_ban (phien_ban INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS van_ban_di (
        don_vi TEXT NOT NULL,
        nam INTEGER NOT NULL,
        so INTEGER NOT NULL,
        trang_thai TEXT NOT NULL,
        danh_tinh TEXT NOT NULL,
        ten_don_vi TEXT NOT NULL,
        ky_hieu TEXT NOT NULL,
        ngay TEXT NOT NULL,
        ten_loai_trich_yeu TEXT NOT NULL,
        nguoi_ky TEXT NOT NULL,
        noi_nhan TEXT NOT NULL,
        ban_luu TEXT NOT NULL,
        so_luong_ban INTEGER NOT NULL,
        ngay_chuyen TEXT NOT NULL DEFAULT '',
        ky_nhan TEXT NOT NULL DEFAULT '',
        ghi_chu TEXT NOT NULL DEFAULT '',
        ly_do_huy TEXT NOT NULL DEFAULT '',
        tep TEXT NOT NULL DEFAULT '',
        ghi_luc TEXT NOT NULL,
        PRIMARY KEY (don_vi, nam, so))""",
    # One live number per document: a voided number leaves its document free to get a new one.
    f"""CREATE UNIQUE INDEX IF NOT EXISTS van_ban_di_danh_tinh ON van_ban_di (don_vi, nam, danh_tinh)
        WHERE trang_thai <> '{DA_HUY}'""",
)


@dataclass(frozen=True)
class VanBanDi:
    """What the register records of one outgoing document (Phụ lục IV's columns the document knows)."""

    don_vi: str  # the unit's key: its abbreviation (ky_hieu), else its name
    ten_don_vi: str
    nam: int
    danh_tinh: str  # the document's identity (see numbering.identity)
    ky_hieu: str  # the printed symbol after the number: "KH-MNHS-MNTPB"
    ngay: str  # ISO date
    ten_loai_trich_yeu: str
    nguoi_ky: str
    noi_nhan: str
    ban_luu: str
    so_luong_ban: int


@dataclass(frozen=True)
class Dong:
    """One row of the register: a number and what it was given to (or why it was voided)."""

    don_vi: str
    nam: int
    so: int
    trang_thai: str
    danh_tinh: str
    ten_don_vi: str
    ky_hieu: str
    ngay: str
    ten_loai_trich_yeu: str
    nguoi_ky: str
    noi_nhan: str
    ban_luu: str
    so_luong_ban: int
    ngay_chuyen: str
    ky_nhan: str
    ghi_chu: str
    ly_do_huy: str
    tep: str
    ghi_luc: str

    @property
    def so_ky_hieu(self) -> str:
        """"07/KH-MNHS": numbers below 10 with a leading 0 (number.leading-zero)."""
        return f"{self.so:02d}/{self.ky_hieu}"

    @property
    def ngay_viet(self) -> str:
        """The date as the register writes it: 16/09/2025."""
        return f"{self.ngay[8:10]}/{self.ngay[5:7]}/{self.ngay[:4]}"


COLUMNS = ", ".join(f.name for f in fields(Dong))
_DOCUMENT = [f.name for f in fields(VanBanDi) if f.name not in ("don_vi", "nam")]
_KEY = "don_vi = ? AND nam = ? AND so = ?"


class StoreError(Exception):
    """The register cannot be opened or written; `reason` says why in Vietnamese, `hint` how to fix it."""

    def __init__(self, reason: str, hint: str):
        super().__init__(reason)
        self.reason, self.hint = reason, hint


class NumberTaken(Exception):
    """A number given in the document belongs to another document, or was voided; `dong` is that row."""

    def __init__(self, dong: Dong):
        super().__init__(dong.so_ky_hieu)
        self.dong = dong


class HasNumber(Exception):
    """The document already holds another live number in the register; `dong` is that row."""

    def __init__(self, dong: Dong):
        super().__init__(dong.so_ky_hieu)
        self.dong = dong


class Store(ABC):
    """A register: numbers per (unit, year), each reserved, then issued, or voided; never given twice."""

    location: str  # as shown to the clerk (a URL without its password)

    # ------------------------------------------------------------ what a backend provides

    @abstractmethod
    def _execute(self, sql: str, params: tuple = ()) -> list[tuple]:
        """Run one statement (written with `?` placeholders) in the current transaction; its rows."""

    @abstractmethod
    def _begin(self, write: bool) -> None:
        """Start a transaction; one that writes takes its lock first (SQLite: BEGIN IMMEDIATE, the file's write lock)."""

    @abstractmethod
    def _commit(self) -> None: ...

    @abstractmethod
    def _rollback(self) -> None: ...

    @abstractmethod
    def _lock_sequence(self, don_vi: str, nam: int) -> None:
        """Hold one sequence until the transaction ends, so two writers never read the same last number."""

    @abstractmethod
    def close(self) -> None: ...

    # ------------------------------------------------------------ shared

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[None]:
        """One transaction, committed (durably) on success, rolled back on any error."""
        self._begin(write)
        try:
            yield
        except BaseException:
            self._rollback()
            raise
        self._commit()

    def _create_schema(self) -> None:
        """Create the tables on first use; refuse a register written by a newer kehoach.

        A register that has its tables is only read here, so a read-only copy can still be listed."""
        with self.transaction(write=False):
            found = self._version()
        if found is None:
            with self.transaction():
                found = self._version()  # again, under the write lock: another first run may have been quicker
                if found is None:
                    for statement in SCHEMA:
                        self._execute(statement)
                    self._execute("INSERT INTO phien_ban (phien_ban) VALUES (?)", (SCHEMA_VERSION,))
        if found is not None and found > SCHEMA_VERSION:
            raise StoreError(f"sổ đăng ký do phiên bản kehoach mới hơn tạo (lược đồ số {found}, "
                             f"bản này chỉ đọc được đến số {SCHEMA_VERSION})",
                             "cập nhật kehoach trên máy này (pip install -U kehoach) rồi chạy lại")

    @abstractmethod
    def _version(self) -> int | None:
        """The schema version written in the register, None before its tables exist."""

    def _rows(self, where: str, params: tuple) -> list[Dong]:
        return [Dong(*row) for row in self._execute(f"SELECT {COLUMNS} FROM van_ban_di WHERE {where}", params)]

    def reserve(self, van_ban: VanBanDi, so: int | None = None) -> Dong:
        """The number of a document, reserved and committed before anything is written.

        Without `so`: the number the document already holds, else the next of its unit's year.
        With `so` (written in the document): that number, unless another document holds it or it was voided
        (NumberTaken) or this document holds another (HasNumber). Call inside `transaction()`."""
        self._lock_sequence(van_ban.don_vi, van_ban.nam)
        key = (van_ban.don_vi, van_ban.nam)
        held = self._rows(f"don_vi = ? AND nam = ? AND danh_tinh = ? AND trang_thai <> '{DA_HUY}'",
                          (*key, van_ban.danh_tinh))
        if so is not None:
            taken = self._rows(_KEY, (*key, so))
            if taken and (taken[0].trang_thai == DA_HUY or taken[0].danh_tinh != van_ban.danh_tinh):
                raise NumberTaken(taken[0])
            if held and held[0].so != so:
                raise HasNumber(held[0])
            if taken:
                return self._update(taken[0], van_ban)
            number = so
        elif held:
            return self._update(held[0], van_ban)
        else:
            number = self._execute("SELECT COALESCE(MAX(so), 0) + 1 FROM van_ban_di WHERE don_vi = ? AND nam = ?", key)[0][0]
        values = (*key, number, GIU_SO, *(getattr(van_ban, name) for name in _DOCUMENT), _now())
        names = ["don_vi", "nam", "so", "trang_thai", *_DOCUMENT, "ghi_luc"]
        self._execute(f"INSERT INTO van_ban_di ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", values)
        return self._rows(_KEY, (*key, number))[0]

    def _update(self, dong: Dong, van_ban: VanBanDi) -> Dong:
        """Bring a row's columns up to date with the document as now written (its state unchanged)."""
        assignments = ", ".join(f"{name} = ?" for name in _DOCUMENT)
        self._execute(f"UPDATE van_ban_di SET {assignments} WHERE {_KEY}",
                      (*(getattr(van_ban, name) for name in _DOCUMENT), dong.don_vi, dong.nam, dong.so))
        return self._rows(_KEY, (dong.don_vi, dong.nam, dong.so))[0]

    def issue(self, written: list[tuple[Dong, str]]) -> None:
        """Mark reserved numbers as issued, each with the file its document was written to. One transaction for all."""
        with self.transaction():
            for dong, tep in written:
                self._execute(f"UPDATE van_ban_di SET trang_thai = '{DA_CAP}', tep = ? WHERE {_KEY} AND trang_thai <> '{DA_HUY}'",
                              (tep, dong.don_vi, dong.nam, dong.so))

    def void(self, so: int, nam: int, don_vi: str | None, ly_do: str) -> Dong:
        """Cancel a number with its reason; it stays in the register and is never given again.

        Raises LookupError with the units that have that number when `don_vi` is needed or wrong."""
        with self.transaction():
            found = [d for d in self._rows("nam = ? AND so = ?", (nam, so))
                     if don_vi is None or d.don_vi.casefold() == don_vi.casefold() or d.ten_don_vi.casefold() == don_vi.casefold()]
            if len(found) != 1:
                raise LookupError(sorted({d.don_vi for d in self._rows("nam = ? AND so = ?", (nam, so))}))
            dong = found[0]
            self._lock_sequence(dong.don_vi, nam)
            self._execute(f"UPDATE van_ban_di SET trang_thai = '{DA_HUY}', ly_do_huy = ? WHERE {_KEY}",
                          (ly_do, dong.don_vi, nam, so))
            return self._rows(_KEY, (dong.don_vi, nam, so))[0]

    def rows(self, nam: int | None = None, don_vi: str | None = None) -> list[Dong]:
        """The register in order (unit, year, number), optionally of one year and one unit (key or name)."""
        with self.transaction(write=False):
            found = self._rows("1 = 1", ())
        return sorted((d for d in found if (nam is None or d.nam == nam) and
                       (don_vi is None or don_vi.casefold() in (d.don_vi.casefold(), d.ten_don_vi.casefold()))),
                      key=lambda d: (d.don_vi, d.nam, d.so))


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def shown(location: str) -> str:
    """A register's location as messages show it: a server URL without its password."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", location)


def is_server(location: str) -> bool:
    """Whether a register's location is a PostgreSQL server's URL rather than a file."""
    return re.match(r"postgres(ql)?://", location, re.IGNORECASE) is not None


def open_store(location: str) -> Store:
    """The register at a path (SQLite file) or a postgresql:// URL; created on first use."""
    if is_server(location):
        from kehoach.register.postgres import PostgresStore

        return PostgresStore(location)
    from kehoach.register.sqlite import SqliteStore

    return SqliteStore(location)
