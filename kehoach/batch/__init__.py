"""A district batch: one joint plan per roster row (a twinned pair), from one common plan file.

The common plan and a row laid over it are rows.py's; this module runs the rows: each good row goes
through the pipeline's stages (kehoach.pipeline) into an `Outcome`, in one process or several, and the
main process writes the files (summary.py keeps the summary). A row's mistakes are reported at its cells
and never stop the other rows. Rows are read as a stream and results come back in roster order, so memory
stays flat. `run` is the whole batch for a script; `district_document` the one memorandum of all pairs.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from collections.abc import Callable
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach import pipeline
from kehoach.batch.rows import CommonDocument, example_row, first_cell, load_common, resolve_units, row_plan
from kehoach.batch.summary import Summary
from kehoach.errors import ExitCode, InputError, Interrupted, KehoachError, NoSpaceError, Problem, Warnings, Where
from kehoach.input.loader import load_file
from kehoach.input.roster import SAMPLE_ROW, BadRow, RosterRow, RosterStream, Skipped, open_roster
from kehoach.model.reader import check_document
from kehoach.write.naming import FileNames, batch_folder, check_targets, district_file
from kehoach.write.output import FolderLock, make_folder, remove_stale_temporaries, write_atomic

if TYPE_CHECKING:
    from kehoach.register.numbering import Register

CHUNK_ROWS = 16  # rows per task sent to a worker process: few enough to keep results flowing in order

DA_TAO, LOI, BO_QUA = "đã tạo", "lỗi", "bỏ qua"


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
class RowTask:
    """One good row sent to a renderer: the row, its two schools resolved, and its output file."""

    row: RosterRow
    units: list[dict]
    target: Path
    warnings: tuple[Problem, ...] = ()


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
    checked = check_document(replace(own, data=data), plan.parent, whole_file=True)  # the clerk's own file, checked as `check` does
    # --cap-so: reserved now, issued by the caller once the file is written
    return pipeline.build(pipeline.number(checked, plan.parent, numbering)), warnings



def render_row(common: CommonDocument, roster: str, task: RowTask) -> Outcome:
    """Check and compose one row's plan into its DOCX (not yet written); any failure, of any kind, becomes
    the row's outcome, never an exception that would stop the other rows."""
    row = task.row
    names = pair_names(task.units)
    try:
        built = pipeline.build(row_plan(common, roster, row, task.units))
    except KehoachError as error:
        return Outcome(row.sheet, row.row, names, LOI, problems=tuple(error.problems), exit_code=error.exit_code,
                       warnings=task.warnings)
    except Exception as error:  # noqa: BLE001 - a bug met on one row: that row fails, the others go on
        return _unexpected(row.sheet, row.row, names, first_cell(roster, row), error)
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
    sample = " - ".join(pair_names(example_row().data["don_vi"]))
    return (Problem(Where(roster, cell=f"{item.sheet}!A{item.row}"),
                    f"dòng {item.row} là dòng mẫu của tệp mẫu ({sample}) nên bị bỏ qua",
                    "xoá dòng mẫu, hoặc ghi cặp trường thật đè lên dòng ấy"),)


def pair_names(units: list[dict]) -> tuple[str, str]:
    """The two schools' names as a clerk reads them in the summary."""
    found = [u.get("ten") or u.get("ma") or "" for u in units] + ["", ""]
    return found[0], found[1]


# ---------------------------------------------------------------- running a batch

_worker_common: CommonDocument | None = None
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


def _render_chunk(tasks: list[RowTask]) -> list[Outcome]:
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
    common: CommonDocument = field(init=False)
    stream: RosterStream = field(init=False)

    def __post_init__(self) -> None:
        self.common = load_common(self.plan, self.schools)
        self.stream = open_roster(self.roster, self.sheet)
        self.names = FileNames(self.outdir)

    def close(self) -> None:
        """Release the roster file."""
        self.stream.close()

    def _items(self) -> Iterator[Outcome | RowTask]:
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
                    task = None if problems else RowTask(item, units, self.names.name(units), tuple(item.warnings))
                except Exception as error:  # noqa: BLE001 - a bug met on one row: that row fails, the others go on
                    yield _unexpected(item.sheet, item.row, pair_names(item.data["don_vi"]), first_cell(file, item), error)
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

    def _render(self, items: Iterator[Outcome | RowTask], jobs: int) -> Iterator[Outcome]:
        if jobs <= 1:
            file = str(self.roster)
            for item in items:
                yield render_row(self.common, file, item) if isinstance(item, RowTask) else item
            return
        yield from self._run_parallel(jobs, items)

    def _run_parallel(self, jobs: int, items: Iterator[Outcome | RowTask]) -> Iterator[Outcome]:
        # Chunks go out in order and come back in order; at most a few chunks per worker are in flight,
        # so the roster is never read far ahead of what has been written.
        pending: deque[tuple[list[Outcome | RowTask], Future | None]] = deque()
        # spawn everywhere, as Windows must: what works here works for a clerk's PC too
        pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
                                   initargs=(self.plan, self.schools, str(self.roster)))
        try:
            while True:
                chunk = list(islice(items, CHUNK_ROWS))
                if chunk:
                    tasks = [item for item in chunk if isinstance(item, RowTask)]
                    with _workers_ignore_ctrl_c():  # a submit may start a worker
                        future = pool.submit(_render_chunk, tasks) if tasks else None
                    pending.append((chunk, future))
                while pending and (not chunk or len(pending) > 2 * jobs):
                    done, future = pending.popleft()
                    rendered = iter(future.result() if future else ())
                    for item in done:
                        yield next(rendered) if isinstance(item, RowTask) else item
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


# ---------------------------------------------------------------- the library's entry points


@contextmanager
def _claimed(outdir: Path, warnings: Warnings) -> Iterator[None]:
    """The output folder for this run alone (a second batch into it is refused), without the temporaries
    an earlier run left when it was killed."""
    with FolderLock(outdir) as lock:
        if lock.note:
            warnings.warn(lock.note)
        remove_stale_temporaries(outdir)
        yield


@dataclass
class Result:
    """What a batch run did."""

    counts: dict[str, int]  # rows by status: DA_TAO, LOI, BO_QUA
    exit_code: int  # the worst of the rows' and of what ended the run (warnings not counted: Warnings.exit_code)
    summary: Path | None  # tong-hop.csv, None when it could not be put in place
    errors: list[KehoachError] = field(default_factory=list)  # what ended the run early; a summary not written
    stopped: bool = False  # the run ended before the roster's end; `last` is the last row done ("" for none)
    last: str = ""


def run(roster: Path | str, plan: Path | str, output: Path | str | None = None, *, schools: Path | None = None,
        sheet: str | None = None, jobs: int = 1, numbering: Register | None = None, warnings: Warnings | None = None,
        each: Callable[[Outcome, int], None] | None = None,
        interrupt: Callable[[], AbstractContextManager[Callable[[], bool]]] | None = None) -> Result:
    """All of `kehoach batch` for a script: one DOCX per good row into output (by default a folder beside the
    roster, named after it) and tong-hop.csv listing every row. A mistake in the common plan or the roster's
    structure raises (InputError …) before anything is written; a bad row is its outcome, the others go on.

    Warnings (a header read with a guess, a pair listed twice) go to `warnings`; each(outcome, rows expected) is
    called as each row is done, in roster order. interrupt (the CLI's Ctrl+C) is entered around the rows and gives
    a function asked after each row: True ends the run there, its row and summary line whole."""
    warnings = warnings or Warnings()
    roster, plan, outdir = Path(roster), Path(plan), batch_folder(Path(roster), None if output is None else Path(output))
    batch = Batch(plan, roster, outdir, schools, sheet, numbering)  # a mistake in the plan or the roster file stops here
    try:
        for warning in batch.stream.warnings:
            warnings.warn(warning)
        with _claimed(outdir, warnings):
            summary = Summary(outdir, [path for path in (roster, plan, schools) if path is not None])
            return _run(batch, summary, jobs, warnings, each, interrupt() if interrupt else nullcontext(lambda: False))
    finally:
        batch.close()


def _run(batch: Batch, summary: Summary, jobs: int, warnings: Warnings,
         each: Callable[[Outcome, int], None] | None, interrupt: AbstractContextManager[Callable[[], bool]]) -> Result:
    """Every row through the batch into the summary; what ended the run early (stop(), a full disk, a broken
    roster) is kept, and the summary lists what was done."""
    result = Result({DA_TAO: 0, LOI: 0, BO_QUA: 0}, ExitCode.OK, summary.path)
    outcomes = batch.run(jobs)
    try:
        try:
            with interrupt as stop:
                for outcome in outcomes:
                    result.last = f"{outcome.sheet}, dòng {outcome.row}"
                    result.counts[outcome.status] += 1
                    result.exit_code = max(result.exit_code, outcome.exit_code)
                    for warning in outcome.warnings:  # first: if the disk is too full for the summary, the screen has it
                        warnings.warn(warning)
                    if each is not None:
                        each(outcome, batch.stream.expected)
                    summary.add(outcome)
                    if stop():
                        raise Interrupted(Problem(Where(str(batch.roster)), "đã dừng theo yêu cầu (Ctrl+C)",
                                                  "chạy lại lệnh để tạo các dòng còn lại; các tệp đã tạo sẽ được tạo lại y hệt"))
        except KehoachError as error:  # the roster's structure or the machine (a full disk): the run ends here
            result.errors.append(error)
            result.stopped = True
        finally:
            outcomes.close()
    except BaseException:  # a second Ctrl+C, or a bug: the summary still lists what was done
        summary.stop(f"dừng giữa chừng sau {result.last or 'dòng tiêu đề'}; các dòng sau chưa được tạo")
        with suppress(KehoachError):
            summary.close()
        raise
    if result.stopped:
        stopped = result.errors[0]
        summary.stop(f"dừng sau {result.last or 'dòng tiêu đề'}: {'; '.join(p.message for p in stopped.problems)}"
                     " — các dòng sau chưa được tạo")
        result.exit_code = max(result.exit_code, stopped.exit_code)
    try:
        summary.close()
    except KehoachError as error:
        result.errors.append(error)
        result.exit_code, result.summary = max(result.exit_code, error.exit_code), None
    return result


def run_district(roster: Path | str, plan: Path | str, output: Path | str | None = None, *, schools: Path | None = None,
                 sheet: str | None = None, numbering: Register | None = None,
                 warnings: Warnings | None = None) -> tuple[Path, dict]:
    """All of `kehoach batch --gop` for a script: every pair of the roster in one document, named after the common
    file, written into output (by default beside the roster); its path and its sidecar's fields. A bad row stops it,
    raised at its cell."""
    warnings = warnings or Warnings()
    roster, plan, outdir = Path(roster), Path(plan), batch_folder(Path(roster), None if output is None else Path(output))
    built, found = district_document(plan, roster, schools, sheet, numbering)
    for warning in found:
        warnings.warn(warning)
    target = district_file(outdir, plan)
    check_targets([(plan, target)], [path for path in (roster, plan, schools) if path is not None])
    with _claimed(outdir, warnings):
        write_atomic(target, built.docx)
    if numbering is not None:
        numbering.issue(target)
    return target, built.record
