"""`kehoach batch` (one joint plan per roster row) and `kehoach roster-template` (the empty roster)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import command, report, say
from kehoach.cli.register import CapSo, SoDangKy, numbering
from kehoach.cli.render import Metadata, PdfA, finish
from kehoach.errors import ExitCode, Interrupted, KehoachError, Problem, Where


def _progress():
    """A rich progress bar with count, rate and time left (only used on a terminal)."""
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                               TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task) -> Text:
            return Text(f"{task.speed:.0f} kế hoạch/giây" if task.speed else "")

    return Progress(TextColumn("Đang tạo"), BarColumn(), MofNCompleteColumn(), Rate(),
                    TextColumn("còn"), TimeRemainingColumn())


def _outcome_lines(outcome) -> list[str]:
    """What a clerk reads about one row: the problems of a failed row (each at its cell)."""
    return [str(p) for p in outcome.problems] if outcome.problems else [f"{outcome.sheet}, dòng {outcome.row}: lỗi"]


@command("batch")
def batch_command(
    ctx: typer.Context,
    roster: Annotated[Path, typer.Argument(metavar="DANH_SÁCH", help="Danh sách cặp trường (.xlsx hoặc .csv), mỗi dòng một cặp",
                                           show_default=False)],
    plan: Annotated[Path, typer.Option("--plan", "-p", metavar="KẾ_HOẠCH", help="Tệp kế hoạch chung (.yaml) cho mọi cặp trường",
                                       show_default=False)],
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Thư mục chứa kết quả. Mặc định: thư mục cạnh danh sách, cùng tên")] = None,
    schools: Annotated[Optional[Path], typer.Option(
        "--truong", help="Tệp danh sách trường (.yaml) cho các dòng ghi «Mã trường»")] = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="Tên trang tính (mặc định: trang đầu có tiêu đề)")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Số tiến trình chạy song song; 0 = mọi lõi CPU")] = 1,
    pdf: Annotated[bool, typer.Option("--pdf", help="Chuyển thêm mọi tệp DOCX sang PDF (cần LibreOffice)")] = False,
    pdfa: PdfA = False,
    metadata: Metadata = False,
    gop: Annotated[bool, typer.Option(
        "--gop", help="Gộp mọi cặp vào một văn bản: bảng trống đầu tiên của tệp chung nhận danh sách các cặp "
                      "(biên bản ghi nhớ của hai phòng GD&ĐT / hai phường, xã)")] = False,
    cap_so: CapSo = False,
    so_dang_ky: SoDangKy = None,
) -> None:
    """Tạo một văn bản (kế hoạch, biên bản ghi nhớ …) cho mỗi cặp trường trong danh sách Excel/CSV, từ một tệp chung;
    hoặc, với --gop, một văn bản liệt kê mọi cặp trong một bảng."""
    from kehoach.batch import Batch
    from kehoach.batch.summary import Summary
    from kehoach.write.naming import batch_folder

    outdir = batch_folder(roster, output)
    inputs = [path for path in (roster, plan, schools) if path is not None]
    register = numbering(ctx, cap_so, so_dang_ky)
    # what follows the DOCX files, if anything
    after = partial(finish, pdf=pdf or pdfa, jobs=jobs, pdfa=pdfa, metadata=metadata) if pdf or pdfa or metadata else None
    if gop:
        raise typer.Exit(_one_document(roster, plan, outdir, schools, sheet, inputs, register, after))
    batch = Batch(plan, roster, outdir, schools, sheet, register)  # a mistake in the plan or the roster file stops here
    for warning in batch.stream.warnings:
        typer.echo(f"Cảnh báo: {warning}", err=True)
    try:
        with _claimed(outdir):
            code = _run(batch, Summary(outdir, inputs), jobs or os.cpu_count() or 1, after)
    finally:
        batch.close()
    raise typer.Exit(code)


@contextmanager
def _claimed(outdir: Path) -> Iterator[None]:
    """The output folder for this run alone (a second batch into it is refused), without the temporaries
    an earlier run left when it was killed."""
    from kehoach.write.output import FolderLock, remove_stale_temporaries

    with FolderLock(outdir) as lock:
        if lock.note:
            typer.echo(f"Cảnh báo: {lock.note}", err=True)
        remove_stale_temporaries(outdir)
        yield


@contextmanager
def _interruptible() -> Iterator[Callable[[], bool]]:
    """Ctrl+C asks the batch to stop after the row in hand, so that its file and summary line are whole;
    a second Ctrl+C stops at once. Yields whether it was pressed."""
    pressed: list[bool] = []

    def press(signum: int, frame: object) -> None:
        if pressed:
            raise KeyboardInterrupt
        pressed.append(True)
        typer.echo("Đang dừng sau dòng đang tạo… (nhấn Ctrl+C lần nữa để dừng ngay)", err=True)

    try:
        previous = signal.signal(signal.SIGINT, press)
    except ValueError:  # not the main thread (a caller's own thread): Ctrl+C keeps its usual meaning
        previous = None
    try:
        yield lambda: bool(pressed)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _run(batch, summary, workers: int,  # noqa: ANN001 - batch.Batch, batch.Summary
         after: Optional[Callable[..., ExitCode]]) -> ExitCode:
    """Every row through the batch into the summary, reported as it comes; what ended the run early (Ctrl+C, a
    full disk, a broken roster) is said, and the summary lists what was done. The worst exit code."""
    from kehoach.batch import BO_QUA, DA_TAO

    counts = {DA_TAO: 0, "lỗi": 0, BO_QUA: 0}
    worst = ExitCode.OK
    created: dict[Path, dict] = {}  # each DOCX with its sidecar's fields, kept only when something follows
    last = ""  # the last row done, to say where a run stopped
    stop: KehoachError | None = None
    progress = _progress() if sys.stdout.isatty() else None
    outcomes = batch.run(workers)
    try:
        with _interruptible() as interrupted:
            if progress:
                progress.start()
                task = progress.add_task("", total=batch.stream.expected or None)
            try:
                for outcome in outcomes:
                    last = f"{outcome.sheet}, dòng {outcome.row}"
                    counts[outcome.status] += 1
                    worst = max(worst, outcome.exit_code)
                    if outcome.file and after:
                        created[outcome.file] = outcome.record
                    _show(outcome, progress)  # first: if the disk is too full for its summary line, the screen has it
                    if progress:
                        progress.update(task, advance=1, total=max(batch.stream.expected, progress.tasks[0].completed + 1))
                    summary.add(outcome)
                    if interrupted():
                        stop = Interrupted(Problem(Where(str(batch.roster)), "đã dừng theo yêu cầu (Ctrl+C)",
                                                   "chạy lại lệnh để tạo các dòng còn lại; các tệp đã tạo sẽ được tạo lại y hệt"))
                        break
            except KehoachError as error:  # the roster's structure or the machine (a full disk): the run ends here
                stop = error
            finally:
                outcomes.close()
                if progress:
                    progress.stop()
    except BaseException:  # a second Ctrl+C, or a bug: the summary still lists what was done
        summary.stop(f"dừng giữa chừng sau {last or 'dòng tiêu đề'}; các dòng sau chưa được tạo")
        with suppress(KehoachError):
            summary.close()
        raise
    if stop is not None:
        report(stop)
        summary.stop(f"dừng sau {last or 'dòng tiêu đề'}: {'; '.join(p.message for p in stop.problems)}"
                     " — các dòng sau chưa được tạo")
        worst = max(worst, stop.exit_code)
    try:
        summary.close()
        where = f"Tổng hợp từng dòng: {summary.path}"
    except KehoachError as error:
        report(error)
        worst, where = max(worst, error.exit_code), "Chưa ghi được tệp tổng hợp."
    done = "Đã dừng" if stop is not None else "Xong"
    say(f"{done}: đã tạo {counts[DA_TAO]}, lỗi {counts['lỗi']}, bỏ qua {counts[BO_QUA]}. {where}")
    if after and created and stop is None:
        worst = max(worst, after(created, quiet=True))
    return worst


def _show(outcome, progress) -> None:  # noqa: ANN001 - batch.Outcome, rich Progress
    """One row's outcome as a clerk reads it: the file made, why it was skipped, or its problems at their cells."""
    from kehoach.batch import BO_QUA, DA_TAO

    for warning in outcome.warnings:
        if progress:
            progress.console.print(f"Cảnh báo: {warning}", markup=False, highlight=False)
        else:
            typer.echo(f"Cảnh báo: {warning}", err=True)
    if progress:
        if outcome.problems:
            for line in _outcome_lines(outcome):
                progress.console.print(line, markup=False, highlight=False, style="red")
    elif outcome.status == DA_TAO:
        say(f"{outcome.sheet}, dòng {outcome.row}: đã tạo {outcome.file}")
    elif outcome.status == BO_QUA:
        say(f"{outcome.sheet}, dòng {outcome.row}: bỏ qua ({outcome.reason})")
    else:
        for line in _outcome_lines(outcome):
            typer.echo(line, err=True)


def _one_document(roster: Path, plan: Path, outdir: Path, schools: Optional[Path], sheet: Optional[str],
                  inputs: list[Path], register, after: Optional[Callable[[dict[Path, dict]], ExitCode]]  # noqa: ANN001
                  ) -> ExitCode:
    """`batch --gop`: every pair of the roster in one document, named after the common file; then its PDF and sidecar."""
    from kehoach.batch import district_document
    from kehoach.write.naming import check_targets, district_file
    from kehoach.write.output import write_atomic

    built, warnings = district_document(plan, roster, schools, sheet, register)  # a bad row stops it, reported at its cell
    for warning in warnings:
        typer.echo(f"Cảnh báo: {warning}", err=True)
    target = district_file(outdir, plan)
    check_targets([(plan, target)], inputs)
    with _claimed(outdir):
        write_atomic(target, built.docx)
    if register is not None:
        register.issue(target)
    say(f"Đã tạo: {target}")
    return after({target: built.record}) if after else ExitCode.OK


@command("roster-template")
def roster_template_command(
    output: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .xlsx mẫu sẽ tạo", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có")] = False,
) -> None:
    """Tạo tệp Excel mẫu (trống) để ghi danh sách các cặp trường cho lệnh batch."""
    from kehoach.write.naming import refuse_existing
    from kehoach.input.roster import write_roster_template

    refuse_existing(output, force)  # it may be a roster already filled in
    write_roster_template(output)
    say(f"Đã tạo: {output}")
