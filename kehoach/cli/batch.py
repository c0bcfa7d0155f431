"""`kehoach batch` (one joint plan per roster row) and `kehoach roster-template` (the empty roster)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import app, report, say
from kehoach.errors import ConverterError, ExitCode


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


@app.command("batch")
def batch_command(
    roster: Annotated[Path, typer.Argument(help="Danh sách cặp trường (.xlsx hoặc .csv), mỗi dòng một cặp",
                                           show_default=False)],
    plan: Annotated[Path, typer.Option("--plan", "-p", help="Tệp kế hoạch chung (.yaml) cho mọi cặp trường",
                                       show_default=False)],
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Thư mục chứa kết quả. Mặc định: thư mục cạnh danh sách, cùng tên")] = None,
    schools: Annotated[Optional[Path], typer.Option(
        "--truong", help="Tệp danh sách trường (.yaml) cho các dòng ghi «Mã trường»")] = None,
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="Tên trang tính (mặc định: trang đầu có tiêu đề)")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Số tiến trình chạy song song; 0 = mọi lõi CPU")] = 1,
    pdf: Annotated[bool, typer.Option("--pdf", help="Chuyển thêm mọi tệp DOCX sang PDF (cần LibreOffice)")] = False,
) -> None:
    """Tạo một kế hoạch liên trường cho mỗi cặp trường trong danh sách Excel/CSV, từ một kế hoạch chung."""
    from kehoach.batch import BO_QUA, DA_TAO, Batch, Summary

    outdir = output or roster.with_suffix("")
    batch = Batch(plan, roster, outdir, schools, sheet)  # a mistake in the plan or the roster file stops here
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
        worst = max(worst, _convert(created))
    raise typer.Exit(worst)


def _convert(files: list[Path]) -> ExitCode:
    """All the batch's DOCX files to PDF in one converter; LibreOffice missing or failing keeps the DOCX."""
    from kehoach.pdf import PdfConverter

    try:
        with PdfConverter() as converter:
            results = converter.convert(files)
    except ConverterError as error:
        report(error)
        typer.echo("Các tệp DOCX vẫn được giữ nguyên.", err=True)
        return ExitCode.CONVERTER
    failed = [r for r in results if not r.ok]
    for result in failed:
        typer.echo(str(result.problem), err=True)
    say(f"Đã chuyển sang PDF: {len(results) - len(failed)}/{len(results)} tệp.")
    return ExitCode.CONVERTER if failed else ExitCode.OK


@app.command("roster-template")
def roster_template_command(
    output: Annotated[Path, typer.Argument(help="Tệp .xlsx mẫu sẽ tạo", show_default=False)],
) -> None:
    """Tạo tệp Excel mẫu (trống) để ghi danh sách các cặp trường cho lệnh batch."""
    from kehoach.roster import write_roster_template

    write_roster_template(output)
    say(f"Đã tạo: {output}")
