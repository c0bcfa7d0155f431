"""`kehoach batch` (one joint plan per roster row) and `kehoach roster-template` (the empty roster)."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import Strict, command, report, say, warnings_channel
from kehoach.cli.register import CapSo, SoDangKy, numbering
from kehoach.cli.render import Metadata, PdfA, finish
from kehoach.errors import ExitCode, Warnings


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
    strict: Strict = False,
) -> None:
    """Tạo một văn bản (kế hoạch, biên bản ghi nhớ …) cho mỗi cặp trường trong danh sách Excel/CSV, từ một tệp chung;
    hoặc, với --gop, một văn bản liệt kê mọi cặp trong một bảng."""
    from kehoach import batch

    register = numbering(ctx, cap_so, so_dang_ky)
    channel = warnings_channel(strict)
    # what follows the DOCX files, if anything
    after = partial(finish, pdf=pdf or pdfa, jobs=jobs, pdfa=pdfa, metadata=metadata, warnings=channel) \
        if pdf or pdfa or metadata else None
    if gop:
        target, record = batch.run_district(roster, plan, output, schools=schools, sheet=sheet, numbering=register,
                                            warnings=channel)  # a bad row stops it, reported at its cell
        say(f"Đã tạo: {target}")
        raise typer.Exit(channel.exit_code(after({target: record}) if after else ExitCode.OK))
    created: dict[Path, dict] = {}  # each DOCX with its sidecar's fields, kept only when something follows
    progress = _progress() if sys.stdout.isatty() else None
    shown = _Shown(progress, channel)

    def each(outcome, expected: int) -> None:  # noqa: ANN001 - batch.Outcome
        if outcome.file and after:
            created[outcome.file] = outcome.record
        shown.row(outcome, expected)

    try:
        result = batch.run(roster, plan, output, schools=schools, sheet=sheet, jobs=jobs or os.cpu_count() or 1,
                           numbering=register, warnings=channel, each=each, interrupt=_interruptible)
    finally:
        shown.close()
    for error in result.errors:
        report(error)
    where = f"Tổng hợp từng dòng: {result.summary}" if result.summary else "Chưa ghi được tệp tổng hợp."
    counts = result.counts
    say(f"{'Đã dừng' if result.stopped else 'Xong'}: đã tạo {counts[batch.DA_TAO]}, lỗi {counts[batch.LOI]}, "
        f"bỏ qua {counts[batch.BO_QUA]}. {where}")
    code = result.exit_code
    if after and created and not result.stopped:
        code = max(code, after(created, quiet=True))
    raise typer.Exit(channel.exit_code(code))


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


class _Shown:
    """Each row as a clerk reads it: on a terminal a progress bar (warnings and problems printed above it),
    otherwise a line per row: the file made, why it was skipped, or its problems at their cells."""

    def __init__(self, progress, channel: Warnings) -> None:  # noqa: ANN001 - a rich Progress or None
        self.progress, self.channel, self.task = progress, channel, None

    def row(self, outcome, expected: int) -> None:  # noqa: ANN001 - batch.Outcome
        from kehoach.batch import BO_QUA, DA_TAO

        progress = self.progress
        if progress:
            if self.task is None:
                progress.start()
                self.task = progress.add_task("", total=expected or None)
                # a warning goes above the bar, not through it
                self.channel.show = lambda text: progress.console.print(text, markup=False, highlight=False)
            for line in _outcome_lines(outcome) if outcome.problems else ():
                progress.console.print(line, markup=False, highlight=False, style="red")
            progress.update(self.task, advance=1, total=max(expected, progress.tasks[0].completed + 1))
        elif outcome.status == DA_TAO:
            say(f"{outcome.sheet}, dòng {outcome.row}: đã tạo {outcome.file}")
        elif outcome.status == BO_QUA:
            say(f"{outcome.sheet}, dòng {outcome.row}: bỏ qua ({outcome.reason})")
        else:
            for line in _outcome_lines(outcome):
                typer.echo(line, err=True)

    def close(self) -> None:
        if self.task is not None:
            self.progress.stop()


@command("roster-template")
def roster_template_command(
    output: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .xlsx mẫu sẽ tạo", show_default=False)],
    force: Annotated[bool, typer.Option("--force", help="Ghi đè tệp đã có")] = False,
) -> None:
    """Tạo tệp Excel mẫu (trống) để ghi danh sách các cặp trường cho lệnh batch."""
    from kehoach.write.naming import refuse_existing
    from kehoach.write.roster_template import write_roster_template

    refuse_existing(output, force)  # it may be a roster already filled in
    write_roster_template(output)
    say(f"Đã tạo: {output}")
