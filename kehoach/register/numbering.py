"""Giving documents their numbers (`--cap-so`): a plan or a batch's rows against the register.

A number is reserved and committed before the document is written, then marked issued once it is.
The register knows a document by its identity, so a second render reuses its number, and a run killed
between the two steps leaves a reservation that the next run for the same document takes up again.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from pathlib import Path

from kehoach.compose.document import compose
from kehoach.model.doctypes import LOAI
from kehoach.errors import ExitCode, InputError, KehoachError, Problem, RegisterError, Where
from kehoach.model.vanban import DonVi
from kehoach.model.reader import CheckedDocument
from kehoach.register.store import DA_HUY, Dong, HasNumber, NumberTaken, Store, StoreError, VanBanDi, is_server, open_store, shown
from kehoach.tree import VanBan

ENV = "KEHOACH_SO_DANG_KY"
FILE_NAME = "so-dang-ky.sqlite"
BLOCK_ROWS = 1000  # a batch's rows numbered in one transaction: a roster up to this long gets one unbroken run


def location(given: str | None, folder: Path) -> str:
    """Where the register is: --so-dang-ky, else KEHOACH_SO_DANG_KY, else so-dang-ky.sqlite in the document's folder."""
    return given or os.environ.get(ENV) or str(folder / FILE_NAME)


def unit_key(unit: DonVi) -> str:
    """A unit's sequence is named by its abbreviation (ky_hieu, the one in its symbols), else by its full name."""
    return unit.ky_hieu.upper() if unit.ky_hieu else " ".join(unit.ten.split())


def identity(don_vi: str, ky_hieu: str, ngay: str, trich_yeu: str) -> str:
    """What makes two renders the same document: its unit, symbol, date and abstract (spacing and case aside)."""
    text = "\n".join((don_vi, ky_hieu, ngay, " ".join(trich_yeu.split()).casefold()))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _copies(plan: CheckedDocument, tree: VanBan) -> int:
    """Số lượng bản: a memorandum's own count; otherwise one per recipient and the copies kept ("VT, TTr (02)": 3)."""
    kind = LOAI[plan.model.loai]
    if "so_ban" in kind.truong_rieng:
        return int(plan.model.so_ban or kind.so_ban)
    kept = sum(int(found.group(1)) if (found := re.search(r"\((\d+)\)", part)) else 1
               for part in tree.noi_nhan.luu.split(",") if part.strip())
    return len(tree.noi_nhan.cac_noi) + kept


def van_ban_di(plan: CheckedDocument, tree: VanBan) -> VanBanDi:
    """The register's columns a document knows, from the plan and its composed tree (composed without a number)."""
    lead = plan.don_vi[0]  # a joint document is numbered by the unit listed first
    key = unit_key(lead)
    ky_hieu = tree.phan_dau.so_ky_hieu.split("/", 1)[1]  # "Số:        /KH-MNHS-MNTPB" → the printed symbol
    ngay = plan.model.ngay.isoformat()
    trich_yeu = " ".join(tree.trich_yeu.split())
    return VanBanDi(
        don_vi=key, ten_don_vi=lead.ten, nam=plan.model.ngay.year, danh_tinh=identity(key, ky_hieu, ngay, trich_yeu),
        ky_hieu=ky_hieu, ngay=ngay, ten_loai_trich_yeu=" ".join(tree.tieu_de_tep.split()),
        nguoi_ky="; ".join(c.ho_ten for c in tree.chu_ky), noi_nhan="; ".join(tree.noi_nhan.cac_noi),
        ban_luu=tree.noi_nhan.luu, so_luong_ban=_copies(plan, tree))


def _unnumbered(plan: CheckedDocument) -> CheckedDocument:
    return replace(plan, model=plan.model.model_copy(update={"so": None})) if plan.model.so else plan


def _numbered(plan: CheckedDocument, dong: Dong) -> CheckedDocument:
    return replace(plan, model=plan.model.model_copy(update={"so": f"{dong.so:02d}"}))


def _given(plan: CheckedDocument, where: Where) -> int | None:
    """The number the document already carries (`so:`), as the register counts it."""
    so = plan.model.so
    if not so:
        return None
    if not so.isdigit() or int(so) < 1:
        raise InputError(Problem(where, f"số văn bản '{so}' không phải là số nên không vào sổ đăng ký được",
                                 "ghi số bằng chữ số (ví dụ: so: 07), hoặc để trống để sổ cấp số"))
    return int(so)


def _taken(error: NumberTaken | HasNumber, where: Where, field: str) -> Problem:
    """A number conflict, said at the place the number was written."""
    dong = error.dong
    if isinstance(error, HasNumber):
        return Problem(where, f"văn bản này đã có số {dong.so_ky_hieu} trong sổ đăng ký năm {dong.nam}",
                       f"ghi số {dong.so:02d} ở {field}, hoặc để trống; muốn bỏ số cũ thì hủy nó: "
                       f"kehoach register void {dong.so} --nam {dong.nam} --don-vi \"{dong.don_vi}\" --ly-do \"…\"")
    if dong.trang_thai == DA_HUY:
        return Problem(where, f"số {dong.so:02d} năm {dong.nam} của {dong.ten_don_vi} đã bị hủy ({dong.ly_do_huy}), "
                              "số đã hủy không được cấp lại", f"để trống {field} để sổ cấp số tiếp theo")
    return Problem(where, f"số {dong.so:02d} năm {dong.nam} đã cấp cho văn bản khác: {dong.so_ky_hieu} ngày "
                          f"{dong.ngay_viet} «{dong.ten_loai_trich_yeu}»",
                   f"để trống {field} để sổ cấp số tiếp theo, hoặc sửa cho đúng số của văn bản này")


class Register:
    """The registers one run numbers into (opened as documents need them, by location), and what it reserved."""

    def __init__(self, given: str | None = None):
        self.given = given
        self._stores: dict[str, Store] = {}
        self._pending: dict[tuple[str, int], tuple[Store, Dong]] = {}  # batch rows reserved, not yet written
        self._reserved: tuple[Store, Dong] | None = None  # the plan numbered last, not yet written

    def store(self, folder: Path, create: bool = True) -> Store:
        """The register for documents of a folder, opened (and, if create, made on first use) once per run."""
        where = location(self.given, folder)
        if not create and not is_server(where) and not Path(where).is_file():
            raise RegisterError(Problem(Where(where), "không có sổ đăng ký ở đây",
                                        "chạy lệnh trong thư mục có tệp so-dang-ky.sqlite, hoặc chỉ tới sổ bằng --so-dang-ky"))
        if where not in self._stores:
            with reported(shown(where)):
                self._stores[where] = open_store(where)
        return self._stores[where]

    def close(self) -> None:
        for store in self._stores.values():
            store.close()
        self._stores.clear()

    # ------------------------------------------------------------ one plan (render --cap-so)

    def number(self, plan: CheckedDocument, folder: Path) -> tuple[CheckedDocument, Dong]:
        """The plan with its number: the one it holds in the register, the one it carries, or the next.

        The number is committed before this returns; call `issue` once the document is written."""
        store = self.store(folder)
        where = plan.source.where(("so",))
        given = _given(plan, where)
        bare = _unnumbered(plan)
        try:
            with reported(store.location), store.transaction():
                dong = store.reserve(van_ban_di(bare, compose(bare)), given)
        except (NumberTaken, HasNumber) as error:
            raise InputError(_taken(error, where, "dòng `so:`")) from None
        self._reserved = (store, dong)
        return _numbered(plan, dong), dong

    def reservation(self) -> tuple[Store, Dong] | None:
        """What `number` reserved last, for `issue` once that document is written (render numbers every plan first)."""
        return self._reserved

    def issue(self, written: Path, reservation: tuple[Store, Dong] | None = None) -> None:
        """A numbered document is written (to `written`): its number is issued (by default, the one numbered last)."""
        if reservation is not None or self._reserved is not None:
            (store, dong), self._reserved = reservation or self._reserved, None
            with reported(store.location):
                store.issue([(dong, str(written))])

    # ------------------------------------------------------------ a batch (batch --cap-so)

    def number_rows(self, batch, items: Iterator) -> Iterator:
        """A batch's rows with their numbers, given in roster order, a block of rows per transaction.

        A row whose plan has mistakes gets no number and goes on to be reported by its renderer as usual;
        a row whose number conflicts becomes an error at its roster cell."""
        from kehoach.batch import LOI, Outcome, RowTask, pair_names
        from kehoach.batch.rows import row_plan

        def failed(task: RowTask, problem: Problem) -> Outcome:
            return Outcome(task.row.sheet, task.row.row, pair_names(task.units), LOI, problems=(problem,),
                           exit_code=ExitCode.INPUT)

        store = self.store(batch.plan.parent)
        roster = str(batch.roster)
        while block := list(islice(items, BLOCK_ROWS)):
            ready = []
            for index, item in enumerate(block):
                if not isinstance(item, RowTask):
                    continue
                where = Where(roster, cell=item.row.cells["so"]) if "so" in item.row.cells else Where(roster)
                try:
                    plan = row_plan(batch.common, roster, item.row, item.units)
                    bare = _unnumbered(plan)
                    van_ban = van_ban_di(bare, compose(bare))
                except KehoachError:  # reported by its renderer, as without --cap-so
                    continue
                try:
                    ready.append((index, item, van_ban, _given(plan, where), where))
                except InputError as error:
                    block[index] = failed(item, error.problems[0])
            with reported(store.location), store.transaction():
                for index, task, van_ban, given, where in ready:
                    try:
                        dong = store.reserve(van_ban, given)
                    except (NumberTaken, HasNumber) as error:
                        block[index] = failed(task, _taken(error, where, "cột «Số văn bản»"))
                        continue
                    self._pending[(task.row.sheet, task.row.row)] = (store, dong)
                    block[index] = replace(task, row=replace(task.row, data={**task.row.data, "so": f"{dong.so:02d}"}))
            yield from block

    def issue_written(self, outcomes: Iterator) -> Iterator:
        """Pass a batch's outcomes through, issuing the numbers of the rows written (a block per transaction).

        A row that failed after its number was reserved keeps the reservation: the next run of the same
        row takes it up again, so no number is lost and none is skipped."""
        from kehoach.batch import DA_TAO

        written: list[tuple[Store, Dong, str]] = []
        try:
            for outcome in outcomes:
                reserved = self._pending.pop((outcome.sheet, outcome.row), None)
                if reserved and outcome.status == DA_TAO:
                    written.append((*reserved, str(outcome.file)))
                if len(written) >= BLOCK_ROWS:
                    self._issue(written)
                yield outcome
        finally:
            self._issue(written)
            self.close()

    def _issue(self, written: list[tuple[Store, Dong, str]]) -> None:
        for store in {id(s): s for s, _, _ in written}.values():
            with reported(store.location):
                store.issue([(dong, file) for s, dong, file in written if s is store])
        written.clear()


@contextmanager
def reported(where: str) -> Iterator[None]:
    """A storage failure as the clerk's message at the register's location."""
    try:
        yield
    except StoreError as error:
        raise RegisterError(Problem(Where(where), error.reason, error.hint)) from None
