"""A district batch: one joint plan per roster row (a twinned pair), from one common plan file.

The common plan is loaded and checked once (with the roster template's example pair standing in
for the schools, so that a mistake in the common plan stops the batch before anything is written).
Each row is then laid over a shallow copy of the plan's raw data (don_vi, so, ngay, extra noi_nhan)
with the row's cells as the positions of what it put in, and goes through the usual
check_plan → compose → write_docx. A row's mistakes are reported at its cells and never stop the
other rows. Rows are read as a stream and results come back in roster order, so memory stays flat.
"""

from __future__ import annotations

import csv
import difflib
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.compose import compose
from kehoach.docx.writer import write_docx
from kehoach.errors import ExitCode, InputError, KehoachError, OutputError, Problem, Where
from kehoach.loader import Document, load_file
from kehoach.model import DonVi
from kehoach.output import MAX_NAME, make_folder, move_into_place, reason, safe_name, write_atomic
from kehoach.reader import Plan, check_plan, read_schools
from kehoach.roster import COLUMNS, BadRow, RosterRow, RosterStream, Skipped, open_roster

if TYPE_CHECKING:
    from kehoach.register.numbering import Register

# Fields a row lays over the common plan; the common plan may leave them out.
ROW_FIELDS = ("don_vi", "so", "ngay", "noi_nhan")
SUMMARY_NAME = "tong-hop.csv"
CHUNK_ROWS = 16  # rows per task sent to a worker process: few enough to keep results flowing in order

DA_TAO, LOI, BO_QUA = "đã tạo", "lỗi", "bỏ qua"


@dataclass
class CommonPlan:
    """The common plan, loaded and checked once, with the schools file rows may refer to by code."""

    document: Document
    base: Path
    schools: dict[str, DonVi] | None
    schools_file: str  # as the clerk named it, for messages ("" when there is none)


@dataclass(frozen=True)
class Outcome:
    """What became of one roster row: its file, or its problems, or why it was skipped."""

    sheet: str
    row: int
    truong: tuple[str, str]  # the two schools' names, as far as they could be read
    status: str  # DA_TAO, LOI or BO_QUA
    file: Path | None = None
    problems: tuple[Problem, ...] = ()
    reason: str = ""  # why a row was skipped
    exit_code: int = ExitCode.OK


@dataclass(frozen=True)
class _Task:
    """One good row sent to a renderer: the row, its two schools resolved, and its output file."""

    row: RosterRow
    units: list[dict]
    target: Path


# ---------------------------------------------------------------- the common plan


def _example_row() -> RosterRow:
    """The roster template's example pair, used to check the common plan before any row."""
    data: dict = {"so": None, "ngay": None, "noi_nhan_them": [], "don_vi": [{}, {}]}
    for column in COLUMNS:
        if column.key.startswith("don_vi.") and column.example is not None:
            _, side, name = column.key.split(".")
            data["don_vi"][int(side)][name] = column.example
        elif column.key == "ngay":
            data["ngay"] = column.example
    return RosterRow("", 0, data, {})


def load_common(plan: Path, schools: Path | None = None) -> CommonPlan:
    """Load the common plan and the schools file; a mistake in either raises InputError at its file:line:col."""
    document = load_file(plan)
    if not isinstance(document.data, dict):
        raise InputError(Problem(Where(str(plan), 1, 1), "tệp kế hoạch chung phải là các dòng 'ten: giá trị'",
                                 "xem mẫu examples/batch/ke-hoach-chung.yaml"))
    # Positions under don_vi belong to the plan's own units, which every row replaces.
    document.values = {k: v for k, v in document.values.items() if k[:1] != ("don_vi",)}
    document.keys = {k: v for k, v in document.keys.items() if k[:1] != ("don_vi",)}
    table, named = None, ""
    if schools is not None:
        table, named = read_schools(schools)[0], str(schools)
    elif isinstance(listed := document.data.get("danh_sach_truong"), str) and listed.strip():
        path = plan.parent / listed.strip()
        if not path.is_file():
            raise InputError(Problem(document.where(("danh_sach_truong",)),
                                     f"không tìm thấy tệp danh sách trường '{path}'",
                                     "kiểm tra tên tệp; đường dẫn tính từ thư mục của tệp kế hoạch"))
        table, named = read_schools(path)[0], listed.strip()
    common = CommonPlan(document, plan.parent, table, named)
    example = _example_row()
    compose(check_plan(_overlay(common, example, example.data["don_vi"]), common.base))
    return common



def district_document(plan: Path, roster: Path, schools: Path | None = None, sheet: str | None = None,
                      numbering: Register | None = None) -> bytes:
    """One document for the whole roster: the common file, its own two units kept, with every pair in its
    first empty table (the district-level memorandum). A bad row stops it: a list of pairs must be complete."""
    from kehoach.pairs_table import district_memorandum

    common = load_common(plan, schools)
    rows: list[dict] = []
    problems: list[Problem] = []
    with open_roster(roster, sheet) as stream:
        for item in stream:
            if isinstance(item, BadRow):
                problems.extend(item.problems)
            elif isinstance(item, RosterRow):
                units, missing = resolve_units(common, str(roster), item)
                problems.extend(missing)
                rows.append({**item.data, "don_vi": units})
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(Problem(Where(str(roster)), "danh sách không có cặp trường nào",
                                 "ghi mỗi cặp trường một dòng, dưới dòng tiêu đề"))
    own = load_file(plan)  # the file as written: its own units are the two parties of the memorandum
    data = district_memorandum(own.data, rows, file=str(plan))
    checked = check_plan(Document(own.file, data, own.values, own.keys), plan.parent)
    if numbering is not None:  # --cap-so: reserved now, issued by the caller once the file is written
        checked, _ = numbering.number(checked, plan.parent)
    return write_docx(compose(checked))


# ---------------------------------------------------------------- one row


def _cell(roster: str, row: RosterRow, key: str) -> Where | None:
    return Where(roster, cell=row.cells[key]) if key in row.cells else None


def _first_cell(roster: str, row: RosterRow, *keys: str) -> Where:
    """The first of the given columns the sheet has, else the row's first cell."""
    for key in keys:
        if key in row.cells:
            return Where(roster, cell=row.cells[key])
    return Where(roster, cell=next(iter(row.cells.values()), f"{row.sheet}!A{row.row}"))


def resolve_units(common: CommonPlan, roster: str, row: RosterRow) -> tuple[list[dict], list[Problem]]:
    """The row's two schools as full dicts: a code (ma) is looked up in the schools file, the row's own cells win."""
    units, problems = [], []
    for side, given in enumerate(row.data["don_vi"]):
        code = given.get("ma")
        if not code:
            units.append(dict(given))
            continue
        where = _first_cell(roster, row, f"don_vi.{side}.ma")
        if common.schools is None:
            problems.append(Problem(where, f"gọi trường theo mã '{code}' nhưng chưa có tệp danh sách trường",
                                    "thêm `--truong truong.yaml` vào lệnh, hoặc `danh_sach_truong:` vào kế hoạch chung"))
            continue
        found = common.schools.get(code)
        if found is None:
            close = difflib.get_close_matches(code, list(common.schools), n=3, cutoff=0.5)
            hint = f"có phải là: {', '.join(close)}?" if close else \
                f"các mã có trong {common.schools_file}: {', '.join(sorted(common.schools)[:10])}"
            problems.append(Problem(where, f"không có trường mã '{code}' trong {common.schools_file}", hint))
            continue
        units.append({**found.model_dump(exclude_none=True), **given})
    return units, problems


def _gaps(common: CommonPlan, roster: str, row: RosterRow, units: list[dict]) -> list[Problem]:
    """What neither the row nor the common plan gives, reported at the row's cell rather than the plan's top."""
    plan, problems = common.document.data, []
    if not plan.get("ngay") and not row.data["ngay"]:
        problems.append(Problem(_first_cell(roster, row, "ngay"), "chưa có ngày văn bản",
                                "ghi ngày vào cột «Ngày văn bản», hoặc `ngay:` trong kế hoạch chung"))
    if not plan.get("dia_danh") and units and not units[0].get("dia_danh"):
        problems.append(Problem(_first_cell(roster, row, "don_vi.0.dia_danh", "don_vi.0.ma", "don_vi.0.ten"),
                                "chưa có địa danh cho dòng ngày tháng",
                                "ghi «Địa danh trường 1», hoặc `dia_danh:` trong kế hoạch chung"))
    return problems


def _overlay(common: CommonPlan, row: RosterRow, units: list[dict], roster: str = "") -> Document:
    """The common plan's data with the row's schools, number, date and extra recipients laid over it."""
    base = common.document
    data = dict(base.data)
    overrides: dict[tuple, Where] = {}

    def put(path: tuple, key: str) -> None:
        if where := _cell(roster, row, key):
            overrides[path] = where

    data["don_vi"] = units
    for side, unit in enumerate(units):
        overrides[("don_vi", side)] = _first_cell(roster, row, f"don_vi.{side}.ten", f"don_vi.{side}.ma")
        for name in unit:
            put(("don_vi", side, name), f"don_vi.{side}.{name}")
    overrides[("don_vi",)] = overrides.get(("don_vi", 0)) or Where(roster)
    if row.data["so"]:
        data["so"] = row.data["so"]
        put(("so",), "so")
    if row.data["ngay"]:
        data["ngay"] = row.data["ngay"]
        put(("ngay",), "ngay")
    if extra := row.data["noi_nhan_them"]:
        given = base.data.get("noi_nhan")
        own = list(given) if isinstance(given, list) else []
        data["noi_nhan"] = own + extra
        for index in range(len(own), len(own) + len(extra)):
            put(("noi_nhan", index), "noi_nhan_them")
    return Document(base.file, data, base.values, base.keys, overrides)


def row_plan(common: CommonPlan, roster: str, task: _Task) -> Plan:
    """One row's plan, checked: the common plan with the row laid over it; InputError at the row's cells."""
    problems = _gaps(common, roster, task.row, task.units)
    if problems:
        raise InputError(problems)
    return check_plan(_overlay(common, task.row, task.units, roster), common.base)


def render_row(common: CommonPlan, roster: str, task: _Task) -> Outcome:
    """Check, compose and write one row's plan; any mistake becomes the row's outcome, never an exception."""
    row = task.row
    names = pair_names(task.units)
    try:
        plan = row_plan(common, roster, task)
        write_atomic(task.target, write_docx(compose(plan)), sync=False)  # fsync was a third of the time
    except KehoachError as error:
        return Outcome(row.sheet, row.row, names, LOI, problems=tuple(error.problems), exit_code=error.exit_code)
    return Outcome(row.sheet, row.row, names, DA_TAO, file=task.target)


def pair_names(units: list[dict]) -> tuple[str, str]:
    """The two schools' names as a clerk reads them in the summary."""
    found = [u.get("ten") or u.get("ma") or "" for u in units] + ["", ""]
    return found[0], found[1]


# ---------------------------------------------------------------- file names


class FileNames:
    """Readable, Windows-safe, unique output names, the same for the same roster on every run.

    A pair is named by its schools' short names; a second pair with the same name (the same two
    schools twice, or two schools of the same short name) gets " (2)", and so on, in roster order.
    Case is ignored when comparing, as Windows does.
    """

    def __init__(self, outdir: Path, suffix: str = ".docx"):
        self.outdir, self.suffix = outdir, suffix
        self.used: set[str] = set()

    def name(self, units: list[dict]) -> Path:
        """The output path of one pair."""
        short = [u.get("ten_ngan") or u.get("ten") or u.get("ma") or "" for u in units]
        stem = safe_name(" - ".join(s for s in short if s) or "ke-hoach")[: MAX_NAME - 6].rstrip(" .-")
        candidate, number = stem, 1
        while candidate.casefold() in self.used or candidate.casefold() == Path(SUMMARY_NAME).stem:
            number += 1
            candidate = f"{stem} ({number})"
        self.used.add(candidate.casefold())
        return self.outdir / f"{candidate}{self.suffix}"


# ---------------------------------------------------------------- running a batch

_worker_common: CommonPlan | None = None
_worker_roster = ""


def _init_worker(plan: Path, schools: Path | None, roster: str) -> None:
    """Each worker process loads the common plan once (spawned workers share nothing)."""
    global _worker_common, _worker_roster
    _worker_common, _worker_roster = load_common(plan, schools), roster


def _render_chunk(tasks: list[_Task]) -> list[Outcome]:
    return [render_row(_worker_common, _worker_roster, task) for task in tasks]


@dataclass
class Batch:
    """A batch ready to run: the common plan checked, the roster open (its header read), the names decided as rows come."""

    plan: Path
    roster: Path
    outdir: Path
    schools: Path | None = None
    sheet: str | None = None
    numbering: Register | None = None  # --cap-so: rows get their numbers from the register
    common: CommonPlan = field(init=False)
    stream: RosterStream = field(init=False)

    def __post_init__(self) -> None:
        self.common = load_common(self.plan, self.schools)
        self.stream = open_roster(self.roster, self.sheet)
        self.names = FileNames(self.outdir)

    def close(self) -> None:
        """Release the roster file."""
        self.stream.close()

    def _items(self) -> Iterator[Outcome | _Task]:
        """Each roster row as an Outcome already decided (bad or skipped row) or a task to render."""
        file = str(self.roster)
        for item in self.stream:
            if isinstance(item, Skipped):
                yield Outcome(item.sheet, item.row, ("", ""), BO_QUA, reason=item.reason)
            elif isinstance(item, BadRow):
                yield Outcome(item.sheet, item.row, pair_names(item.data["don_vi"]), LOI,
                              problems=tuple(item.problems), exit_code=ExitCode.INPUT)
            else:
                units, problems = resolve_units(self.common, file, item)
                if problems:
                    yield Outcome(item.sheet, item.row, pair_names(item.data["don_vi"]), LOI,
                                  problems=tuple(sorted(problems)), exit_code=ExitCode.INPUT)
                else:
                    yield _Task(item, units, self.names.name(units))

    def run(self, jobs: int = 1) -> Iterator[Outcome]:
        """Render every row; outcomes come in roster order. jobs > 1 renders in that many processes."""
        make_folder(self.outdir)
        if self.numbering is not None:  # numbered in roster order, before any row is written
            yield from self.numbering.issue_written(self._render(self.numbering.number_rows(self, self._items()), jobs))
        else:
            yield from self._render(self._items(), jobs)

    def _render(self, items: Iterator[Outcome | _Task], jobs: int) -> Iterator[Outcome]:
        if jobs <= 1:
            file = str(self.roster)
            for item in items:
                yield render_row(self.common, file, item) if isinstance(item, _Task) else item
            return
        yield from self._run_parallel(jobs, items)

    def _run_parallel(self, jobs: int, items: Iterator[Outcome | _Task]) -> Iterator[Outcome]:
        # Chunks go out in order and come back in order; at most a few chunks per worker are in flight,
        # so the roster is never read far ahead of what has been written.
        pending: deque[tuple[list[Outcome | _Task], Future | None]] = deque()
        # spawn everywhere, as Windows must: what works here works for a clerk's PC too
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
                                 initargs=(self.plan, self.schools, str(self.roster))) as pool:
            while True:
                chunk = list(islice(items, CHUNK_ROWS))
                if chunk:
                    tasks = [item for item in chunk if isinstance(item, _Task)]
                    future = pool.submit(_render_chunk, tasks) if tasks else None
                    pending.append((chunk, future))
                while pending and (not chunk or len(pending) > 2 * jobs):
                    done, future = pending.popleft()
                    rendered = iter(future.result() if future else ())
                    for item in done:
                        yield next(rendered) if isinstance(item, _Task) else item
                if not chunk:
                    return


# ---------------------------------------------------------------- the summary


SUMMARY_HEADER = ["Trang tính", "Dòng", "Trường 1", "Trường 2", "Trạng thái", "Tệp", "Lỗi"]


class Summary:
    """tong-hop.csv beside the outputs: every row with its file or its errors (UTF-8 with BOM, for Excel).

    Written row by row to a temporary file and moved into place at the end, so a half-finished
    run never leaves a summary that looks complete.
    """

    def __init__(self, outdir: Path):
        self.path = outdir / SUMMARY_NAME
        make_folder(outdir)
        try:
            handle, self._temp = tempfile.mkstemp(prefix=".tong-hop.", suffix=".tmp", dir=outdir)
        except OSError as error:
            raise OutputError(Problem(Where(str(self.path)), f"không ghi được vào thư mục '{outdir}' ({reason(error)})",
                                      "chọn thư mục khác bằng -o, hoặc kiểm tra quyền ghi")) from None
        self._stream = os.fdopen(handle, "w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._stream)
        self._writer.writerow(SUMMARY_HEADER)

    def add(self, outcome: Outcome) -> None:
        """One row of the summary."""
        errors = "\n".join(str(p) for p in outcome.problems) or outcome.reason
        self._writer.writerow([outcome.sheet, outcome.row, *outcome.truong, outcome.status,
                               outcome.file.name if outcome.file else "", errors])

    def close(self) -> None:
        """Finish the summary and put it in place (also when the run was interrupted: what was done is listed)."""
        self._stream.close()
        try:
            move_into_place(self._temp, self.path)
        except OSError as error:
            Path(self._temp).unlink(missing_ok=True)
            raise OutputError(Problem(Where(str(self.path)), f"không ghi được tệp tổng hợp ({reason(error)})",
                                      "nếu tệp đang mở trong Excel, hãy đóng lại rồi chạy lại")) from None
