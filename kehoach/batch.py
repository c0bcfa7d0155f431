"""A district batch: one joint plan per roster row (a twinned pair), from one common plan file.

The common plan is loaded and checked once (with the roster template's example pair standing in
for the schools, so that a mistake in the common plan stops the batch before anything is written).
Each row is then laid over a shallow copy of the plan's raw data (don_vi, so, ngay, extra noi_nhan)
with the row's cells as the positions of what it put in, is checked (check_plan) and goes through the
pipeline's stages (kehoach.pipeline). A row's mistakes are reported at its cells and never stop the
other rows. Rows are read as a stream and results come back in roster order, so memory stays flat.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from jinja2 import nodes

from kehoach import pipeline
from kehoach.compose.document import environment
from kehoach.errors import ExitCode, InputError, KehoachError, NoSpaceError, OutputError, Problem, Where
from kehoach.input.loader import Document, load_file
from kehoach.model.vanban import DonVi
from kehoach.write.naming import SUMMARY_NAME, FileNames, replace_problem
from kehoach.write.output import make_folder, move_into_place, refused, temporary_beside, write_atomic
from kehoach.model.reader import Plan, check_plan, find_school, read_schools, schools_file, unit_needs
from kehoach.input.roster import COLUMNS, SAMPLE_ROW, SCHOOL_FIELDS, BadRow, RosterRow, RosterStream, Skipped, open_roster

if TYPE_CHECKING:
    from kehoach.register.numbering import Register

CHUNK_ROWS = 16  # rows per task sent to a worker process: few enough to keep results flowing in order

DA_TAO, LOI, BO_QUA = "đã tạo", "lỗi", "bỏ qua"


@dataclass
class CommonPlan:
    """The common plan, loaded and checked once, with the schools file rows may refer to by code."""

    document: Document
    base: Path
    schools: dict[str, DonVi] | None
    schools_file: str  # as the clerk named it, for messages ("" when there is none)
    # what the plan's sentences take from each school: (side, field) -> where the plan first does (side None: every school)
    needs: dict[tuple[int | None, str], Where] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    """What became of one roster row: its file, or its problems, or why it was skipped.

    A rendered row carries its DOCX as data until the main process has written it: only the process that
    keeps the summary writes files, so the summary lists exactly the files on disk, however a run ends."""

    sheet: str
    row: int
    truong: tuple[str, str]  # the two schools' names, as far as they could be read
    status: str  # DA_TAO, LOI or BO_QUA
    file: Path | None = None
    problems: tuple[Problem, ...] = ()
    reason: str = ""  # why a row was skipped
    exit_code: int = ExitCode.OK
    warnings: tuple[Problem, ...] = ()  # e.g. the same pair as an earlier row; the row is still made
    data: bytes | None = None  # the DOCX, rendered but not yet written
    record: dict | None = None  # what the sidecar says of the document (kehoach.write.metadata.record)


@dataclass(frozen=True)
class _Task:
    """One good row sent to a renderer: the row, its two schools resolved, and its output file."""

    row: RosterRow
    units: list[dict]
    target: Path
    warnings: tuple[Problem, ...] = ()


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
        path = schools_file(listed, plan.parent, document.where(("danh_sach_truong",)))
        table, named = read_schools(path)[0], listed.strip()
    common = CommonPlan(document, plan.parent, table, named, _school_needs(document))
    example = _example_row()
    pipeline.compose(check_plan(_overlay(common, example, example.data["don_vi"]), common.base))
    return common



# The fields a roster row can give a school (its columns), which a sentence may need.
ROW_SCHOOL_FIELDS = frozenset(spec[0] for spec in SCHOOL_FIELDS) - {"ma"}


def _school_needs(document: Document) -> dict[tuple[int | None, str], Where]:
    """Each school field the common plan's texts print ({{ don_vi[0].dia_ban }}, or {{ d.dia_ban }} in a loop
    over don_vi), with where the plan first does. A field only tested ({% if … %}), printed under an {% if %}
    that tests it, or printed with a fallback (`or`, `default`) is optional: the sentence reads right without it."""
    needs: dict[tuple[int | None, str], Where] = {}

    def visit(value: object, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if path or key != "don_vi":  # the plan's own units are replaced by each row's
                    visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))
        elif isinstance(value, str) and "{" in value:
            try:
                tree = environment().parse(value)
            except jinja2.TemplateSyntaxError:
                return  # reported where the plan is checked
            for need in _fields_used(tree):
                needs.setdefault(need, document.where(path))

    visit(document.data, ())
    return needs


def _fields_used(tree: nodes.Template) -> set[tuple[int | None, str]]:
    """(side, field) of school fields printed by {{ … }} in one parsed text, unless printed with a fallback
    or inside an {% if %} that tests the same field."""
    loop_names = {loop.target.name for loop in tree.find_all(nodes.For)
                  if isinstance(loop.iter, nodes.Name) and loop.iter.name == "don_vi" and isinstance(loop.target, nodes.Name)}

    def school_field(node: nodes.Node) -> tuple[int | None, str] | None:
        if isinstance(node, nodes.Getattr):
            base, name = node.node, node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base, name = node.node, node.arg.value
        else:
            return None
        if name not in ROW_SCHOOL_FIELDS:
            return None
        if (isinstance(base, nodes.Getitem) and isinstance(base.node, nodes.Name) and base.node.name == "don_vi"
                and isinstance(base.arg, nodes.Const) and isinstance(base.arg.value, int)):
            return base.arg.value, name
        return (None, name) if isinstance(base, nodes.Name) and base.name in loop_names else None

    def fields_in(expression: nodes.Node) -> set[tuple[int | None, str]]:
        return {f for n in (expression, *expression.find_all((nodes.Getattr, nodes.Getitem))) if (f := school_field(n))}

    found: set[tuple[int | None, str]] = set()

    def walk(node: nodes.Node, guarded: frozenset) -> None:
        if isinstance(node, nodes.If):
            for child in node.body:
                walk(child, guarded | fields_in(node.test))
            for child in (*node.elif_, *node.else_):
                walk(child, guarded)
        elif isinstance(node, nodes.Output):
            for expression in node.nodes:
                parts = (expression, *expression.find_all(nodes.Expr))
                if isinstance(expression, nodes.TemplateData) or any(
                        isinstance(n, nodes.Or | nodes.CondExpr) or (isinstance(n, nodes.Filter) and n.name == "default")
                        for n in parts):
                    continue  # a value with a fallback: the plan does without it
                found.update(f for f in fields_in(expression) if f not in guarded and (None, f[1]) not in guarded)
        else:
            for child in node.iter_child_nodes():
                walk(child, guarded)

    walk(tree, frozenset())
    return found


def district_document(plan: Path, roster: Path, schools: Path | None = None, sheet: str | None = None,
                      numbering: Register | None = None) -> tuple[pipeline.Built, list[Problem]]:
    """One document for the whole roster: the common file, its own two units kept, with every pair in its
    first empty table (the district-level memorandum), and the roster's warnings (a pair listed twice …).
    A bad row stops it: a list of pairs must be complete."""
    from kehoach.compose.pairs_table import district_memorandum

    common = load_common(plan, schools)
    rows: list[dict] = []
    problems: list[Problem] = []
    with open_roster(roster, sheet) as stream:
        warnings = list(stream.warnings)
        for item in stream:
            if isinstance(item, BadRow):
                problems.extend(item.problems)
            elif isinstance(item, RosterRow):
                units, missing = resolve_units(common, str(roster), item)
                problems.extend(missing)
                warnings.extend(item.warnings)
                rows.append({**item.data, "don_vi": units})
            else:
                warnings.extend(_skip_warnings(str(roster), item))
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(Problem(Where(str(roster)), "danh sách không có cặp trường nào",
                                 "ghi mỗi cặp trường một dòng, dưới dòng tiêu đề"))
    own = load_file(plan)  # the file as written: its own units are the two parties of the memorandum
    data = district_memorandum(own.data, rows, file=str(plan))
    checked = check_plan(Document(own.file, data, own.values, own.keys), plan.parent)
    # --cap-so: reserved now, issued by the caller once the file is written
    return pipeline.build(pipeline.number(checked, plan.parent, numbering)), warnings


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
        found = find_school(code, common.schools, common.schools_file, where)
        if isinstance(found, Problem):
            problems.append(found)
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
    # what every document prints of its units (the managing body; each abbreviation after a bare symbol), as
    # `check` asks of a plan file; the principal is checked with the plan, at the row's cell
    rules = {name: why for name, why in unit_needs({k: plan.get(k) for k in ("ky_hieu", "nguoi_ky")}).items()
             if name in ROW_SCHOOL_FIELDS and name != "hieu_truong"}
    for side, unit in enumerate(units):
        missing = {}
        for (wanted, name), used_at in common.needs.items():
            if wanted in (None, side) and not unit.get(name):
                missing.setdefault(name, f"mà câu văn của kế hoạch chung cần ({used_at})")
        for name, why in rules.items():
            if not unit.get(name):
                missing.setdefault(name, f"({why})")
        problems += [_school_gap(common, roster, row, side, unit, name, why) for name, why in missing.items()]
    return problems


# Where a missing value would come from when the roster has no column of its own for it.
_FALLBACK_FIELDS = {"dia_ban": ("dia_danh", "co_quan_chu_quan"), "dia_danh": ("dia_ban",)}


def _school_gap(common: CommonPlan, roster: str, row: RosterRow, side: int, unit: dict, name: str, why: str) -> Problem:
    """A school value the plan needs and the row lacks, once, at the roster cell that would supply it."""
    header = next(col.header for col in COLUMNS if col.key == f"don_vi.{side}.{name}")
    key = f"don_vi.{side}.{name}"
    where = _first_cell(roster, row, key, *(f"don_vi.{side}.{other}" for other in _FALLBACK_FIELDS.get(name, ())),
                        f"don_vi.{side}.ma", f"don_vi.{side}.ten")
    how = f"ghi «{header}» ở dòng này" if key in row.cells else f"thêm cột «{header}» vào danh sách rồi ghi vào dòng này"
    if name == "dia_ban":
        how += (f" (hoặc ghi «Địa danh trường {side + 1}» và «Cơ quan chủ quản trường {side + 1}» dạng "
                "UBND PHƯỜNG …/UBND XÃ … cùng một nơi, để tự suy ra)")
    if unit.get("ma") and common.schools_file:
        how = f"điền `{name}:` cho trường mã '{unit['ma']}' trong {common.schools_file}, hoặc {how}"
    return Problem(where, f"«{header}» còn trống {why}", how)


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
    """Check and compose one row's plan into its DOCX (not yet written); any failure, of any kind, becomes
    the row's outcome, never an exception that would stop the other rows."""
    row = task.row
    names = pair_names(task.units)
    try:
        built = pipeline.build(row_plan(common, roster, task))
    except KehoachError as error:
        return Outcome(row.sheet, row.row, names, LOI, problems=tuple(error.problems), exit_code=error.exit_code,
                       warnings=task.warnings)
    except Exception as error:  # noqa: BLE001 - a bug met on one row: that row fails, the others go on
        return _unexpected(row.sheet, row.row, names, _first_cell(roster, row), error)
    return Outcome(row.sheet, row.row, names, DA_TAO, file=task.target, warnings=task.warnings, data=built.docx,
                   record=built.record)


def _unexpected(sheet: str, row: int, names: tuple[str, str], where: Where, error: Exception) -> Outcome:
    """A row's outcome for a failure kehoach did not foresee (a bug): said as one, exit 70, the run goes on."""
    return Outcome(sheet, row, names, LOI, problems=(Problem(
        where, f"lỗi nội bộ của kehoach khi tạo văn bản cho dòng này ({type(error).__name__}: {error})",
        "các dòng khác vẫn được tạo; xin báo lỗi cho người quản lý công cụ, kèm danh sách và tệp kế hoạch chung"),),
        exit_code=ExitCode.INTERNAL)


def _skip_warnings(roster: str, item: Skipped) -> tuple[Problem, ...]:
    """A kept sample row is skipped loudly: the clerk may have meant to type a real pair over it."""
    if item.reason != SAMPLE_ROW:
        return ()
    sample = " - ".join(pair_names(_example_row().data["don_vi"]))
    return (Problem(Where(roster, cell=f"{item.sheet}!A{item.row}"),
                    f"dòng {item.row} là dòng mẫu của tệp mẫu ({sample}) nên bị bỏ qua",
                    "xoá dòng mẫu, hoặc ghi cặp trường thật đè lên dòng ấy"),)


def pair_names(units: list[dict]) -> tuple[str, str]:
    """The two schools' names as a clerk reads them in the summary."""
    found = [u.get("ten") or u.get("ma") or "" for u in units] + ["", ""]
    return found[0], found[1]


# ---------------------------------------------------------------- running a batch

_worker_common: CommonPlan | None = None
_worker_roster = ""


def _init_worker(plan: Path, schools: Path | None, roster: str) -> None:
    """Each worker process loads the common plan once (spawned workers share nothing). Ctrl+C is the main
    process's to handle: it finishes the row in hand and writes the summary."""
    global _worker_common, _worker_roster
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_common, _worker_roster = load_common(plan, schools), roster


@contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """A worker started meanwhile ignores Ctrl+C from its very start, before _init_worker runs: SIGINT is
    blocked here and a new process inherits the block. A Ctrl+C pressed meanwhile waits, it is not lost.
    (Windows has no signal mask; there _init_worker alone ignores it.)"""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


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
                yield Outcome(item.sheet, item.row, ("", ""), BO_QUA, reason=item.reason,
                              warnings=_skip_warnings(file, item))
            elif isinstance(item, BadRow):
                yield Outcome(item.sheet, item.row, pair_names(item.data["don_vi"]), LOI,
                              problems=tuple(item.problems), exit_code=ExitCode.INPUT)
            else:
                try:
                    units, problems = resolve_units(self.common, file, item)
                    task = None if problems else _Task(item, units, self.names.name(units), tuple(item.warnings))
                except Exception as error:  # noqa: BLE001 - a bug met on one row: that row fails, the others go on
                    yield _unexpected(item.sheet, item.row, pair_names(item.data["don_vi"]), _first_cell(file, item), error)
                    continue
                yield task or Outcome(item.sheet, item.row, pair_names(item.data["don_vi"]), LOI,
                                      problems=tuple(sorted(problems)), exit_code=ExitCode.INPUT)

    def run(self, jobs: int = 1) -> Iterator[Outcome]:
        """Render and write every row; outcomes come in roster order. jobs > 1 renders in that many processes.

        A row's failure is its outcome; what ends the run is raised: the roster's structure (InputError),
        a full disk (NoSpaceError). Closing the iterator stops the workers."""
        make_folder(self.outdir)
        items = self._items()
        if self.numbering is not None:  # numbered in roster order, before any row is written
            items = self.numbering.number_rows(self, items)
        rendered = self._render(items, jobs)
        written = (_written(outcome) for outcome in rendered)
        # a number is issued once its row's file is written
        outcomes = self.numbering.issue_written(written) if self.numbering is not None else written
        try:
            yield from outcomes
        finally:
            outcomes.close()
            rendered.close()

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
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
                                   initargs=(self.plan, self.schools, str(self.roster)))
        try:
            while True:
                chunk = list(islice(items, CHUNK_ROWS))
                if chunk:
                    tasks = [item for item in chunk if isinstance(item, _Task)]
                    with _workers_ignore_ctrl_c():  # a submit may start a worker
                        future = pool.submit(_render_chunk, tasks) if tasks else None
                    pending.append((chunk, future))
                while pending and (not chunk or len(pending) > 2 * jobs):
                    done, future = pending.popleft()
                    rendered = iter(future.result() if future else ())
                    for item in done:
                        yield next(rendered) if isinstance(item, _Task) else item
                if not chunk:
                    return
        finally:  # a run ended early: rows not started are dropped, nothing they rendered is written
            pool.shutdown(wait=True, cancel_futures=True)


def _written(outcome: Outcome) -> Outcome:
    """Write a rendered row's DOCX; a failure to write it is that row's error, except a full disk (raised)."""
    if outcome.data is None:
        return outcome
    try:
        write_atomic(outcome.file, outcome.data, sync=False)  # fsync was a third of the time
    except NoSpaceError:
        raise
    except KehoachError as error:
        problems, code = tuple(error.problems), error.exit_code
    except Exception as error:  # noqa: BLE001 - a bug met on one row: that row fails, the others go on
        return _unexpected(outcome.sheet, outcome.row, outcome.truong, Where(str(outcome.file)), error)
    else:
        return replace(outcome, data=None)
    return replace(outcome, status=LOI, file=None, data=None, problems=problems, exit_code=code)


# ---------------------------------------------------------------- the summary


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
