"""`kehoach render` and `kehoach check`: one or more plan files, or folders of them."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from kehoach.cli import command, report, say
from kehoach.errors import ExitCode, KehoachError

Files = Annotated[list[Path], typer.Argument(
    metavar="TỆP", help="Các tệp kế hoạch .yaml, hoặc thư mục chứa chúng", show_default=False)]


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


def each_file(sources: list[Path], action: Callable[[Path], str]) -> ExitCode:
    """Run action on every file, reporting each file's problems and going on; then the total count."""
    worst, count = ExitCode.OK, 0
    for source in sources:
        try:
            say(action(source))
        except KehoachError as error:
            report(error)
            count += len(error.problems)
            worst = max(worst, error.exit_code)
    if count:
        typer.echo(f"Tổng cộng {count} lỗi.", err=True)
    return worst


@command("render")
def render_command(
    files: Files,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Tệp .docx kết quả (một tệp vào), hoặc thư mục chứa kết quả (nhiều tệp vào). "
                               "Mặc định: cạnh tệp YAML, đặt tên theo số, ký hiệu và ngày của văn bản.")] = None,
) -> None:
    """Tạo tệp Word (DOCX) từ tệp kế hoạch YAML (kiểm tra như lệnh check trước khi ghi)."""
    from kehoach.output import make_folder, write_atomic
    from kehoach.render import render

    sources = plan_files(files)
    many = len(sources) > 1
    if output is not None and many:
        make_folder(output)

    def one(source: Path) -> str:
        target = output
        if output is not None and (many or output.is_dir()):
            target = output / f"{source.stem}.docx"
        path, data = render(source, target)
        write_atomic(path, data)
        return f"Đã tạo: {path}"

    raise typer.Exit(each_file(sources, one))


@command("check")
def check_command(files: Files) -> None:
    """Kiểm tra tệp kế hoạch YAML, báo mọi lỗi kèm dòng và cột; không tạo tệp nào."""
    from kehoach.render import check

    def one(source: Path) -> str:
        check(source)
        return f"{source}: không có lỗi"

    raise typer.Exit(each_file(plan_files(files), one))
