"""`kehoach render` and `kehoach check`: one or more plan files, or folders of them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import app, report, say
from kehoach.errors import ExitCode, KehoachError

Files = Annotated[list[Path], typer.Argument(help="Các tệp kế hoạch .yaml, hoặc thư mục chứa chúng", show_default=False)]


def plan_files(paths: list[Path]) -> list[Path]:
    """The plan files named, a folder standing for its *.yaml files other than schools lists."""
    from kehoach.reader import is_schools_file

    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.glob("*.y*ml")) if not is_schools_file(p))
        else:
            out.append(path)
    return out


@app.command("render")
def render_command(
    files: Files,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Tệp .docx kết quả (một tệp vào), hoặc thư mục chứa kết quả (nhiều tệp vào). "
                               "Mặc định: cạnh tệp YAML, đặt tên theo số, ký hiệu và ngày của văn bản.")] = None,
) -> None:
    """Tạo tệp Word (DOCX) từ tệp kế hoạch YAML."""
    from kehoach.output import write_atomic
    from kehoach.render import render

    sources = plan_files(files)
    many = len(sources) > 1
    if output is not None and many:
        output.mkdir(parents=True, exist_ok=True)
    worst = ExitCode.OK
    for source in sources:
        try:
            target = output
            if output is not None and (many or output.is_dir()):
                target = output / f"{source.stem}.docx"
            path, data = render(source, target)
            write_atomic(path, data)
            say(f"Đã tạo: {path}")
        except KehoachError as error:
            report(error)
            worst = max(worst, error.exit_code)
    raise typer.Exit(worst)


@app.command("check")
def check_command(files: Files) -> None:
    """Kiểm tra tệp kế hoạch YAML, báo mọi lỗi kèm dòng và cột; không tạo tệp nào."""
    from kehoach.render import check

    worst, count = ExitCode.OK, 0
    for source in plan_files(files):
        try:
            check(source)
            say(f"{source}: không có lỗi")
        except KehoachError as error:
            report(error)
            count += len(error.problems)
            worst = max(worst, error.exit_code)
    if count:
        typer.echo(f"Tổng cộng {count} lỗi.", err=True)
    raise typer.Exit(worst)


