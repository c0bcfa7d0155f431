"""`kehoach batch` (one joint plan per roster row) and `kehoach roster-template` (the empty roster)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import command, say
from kehoach.cli.register import CapSo, SoDangKy, numbering
from kehoach.cli.render import convert_reporting
from kehoach.errors import ExitCode


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
    gop: Annotated[bool, typer.Option(
        "--gop", help="Gộp mọi cặp vào một văn bản: bảng trống đầu tiên của tệp chung nhận danh sách các cặp "
                      "(biên bản ghi nhớ của hai phòng GD&ĐT / hai phường, xã)")] = False,
    cap_so: CapSo = False,
    so_dang_ky: SoDangKy = None,
) -> None:
    """Tạo một văn bản (kế hoạch, biên bản ghi nhớ …) cho mỗi cặp trường trong danh sách Excel/CSV, từ một tệp chung;
    hoặc, với --gop, một văn bản liệt kê mọi cặp trong một bảng."""
    from kehoach.batch import BO_QUA, DA_TAO, Batch, Summary

    outdir = output or roster.with_suffix("")
    register = numbering(ctx, cap_so, so_dang_ky)
    if gop:
        raise typer.Exit(_one_document(roster, plan, outdir, schools, sheet, pdf, register))
    batch = Batch(plan, roster, outdir, schools, sheet, register)  # a mistake in the plan or the roster file stops here
    workers = jobs or os.cpu_count() or 1
    for warning in batch.stream.warnings:
        typer.echo(f"Cảnh báo: {warning}", err=True)
    counts = {DA_TAO: 0, "lỗi": 0, BO_QUA: 0}
    worst = ExitCode.OK
    created: list[Path] = []  # kept only for --pdf
    try:
        summary = Summary(outdir)
    except BaseException:
        batch.close()
        raise
    progress = _progress() if sys.stdout.isatty() else None
    try:
        if progress:
            progress.start()
            task = progress.add_task("", total=batch.stream.expected or None)
        for outcome in batch.run(workers):
            summary.add(outcome)
            counts[outcome.status] += 1
            worst = max(worst, outcome.exit_code)
            if outcome.file and pdf:
                created.append(outcome.file)
            if progress:
                progress.update(task, advance=1, total=max(batch.stream.expected, progress.tasks[0].completed + 1))
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
    finally:
        if progress:
            progress.stop()
        batch.close()
        summary.close()
    say(f"Xong: đã tạo {counts[DA_TAO]}, lỗi {counts['lỗi']}, bỏ qua {counts[BO_QUA]}. "
        f"Tổng hợp từng dòng: {summary.path}")
    if pdf and created:
        worst = max(worst, convert_reporting(created, quiet=True))
    raise typer.Exit(worst)


def _one_document(roster: Path, plan: Path, outdir: Path, schools: Optional[Path], sheet: Optional[str],
                  pdf: bool, register=None) -> ExitCode:  # noqa: ANN001 - a Register
    """`batch --gop`: every pair of the roster in one document, named after the common file."""
    from kehoach.batch import district_document
    from kehoach.output import make_folder, write_atomic

    data = district_document(plan, roster, schools, sheet, register)  # a bad row stops it, reported at its cell
    make_folder(outdir)
    target = outdir / f"{plan.stem}.docx"
    write_atomic(target, data)
    if register is not None:
        register.issue(target)
    say(f"Đã tạo: {target}")
    return convert_reporting([target]) if pdf else ExitCode.OK


@command("roster-template")
def roster_template_command(
    output: Annotated[Path, typer.Argument(metavar="TỆP", help="Tệp .xlsx mẫu sẽ tạo", show_default=False)],
) -> None:
    """Tạo tệp Excel mẫu (trống) để ghi danh sách các cặp trường cho lệnh batch."""
    from kehoach.roster import write_roster_template

    write_roster_template(output)
    say(f"Đã tạo: {output}")
