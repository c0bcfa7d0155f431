"""The command line: parses arguments and reports. The only module that prints or exits.

Heavy modules (python-docx, pydantic, jinja2) are imported inside the commands, so that
`kehoach --help` starts quickly.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from kehoach.cli.tiengviet import Abort, Command, Group, UsageError, usage_error_text
from kehoach.errors import ExitCode, KehoachError, Warnings, reason

app = typer.Typer(
    name="kehoach",
    cls=Group,
    help="Soạn văn bản hành chính (kế hoạch, biên bản ghi nhớ, báo cáo) theo Nghị định 30/2020/NĐ-CP, "
         "từ tệp YAML ra tệp Word (DOCX).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def command(name: str):  # noqa: ANN201 - Typer's decorator
    """Register a sub-command whose help is in Vietnamese (use instead of `app.command`)."""
    return app.command(name, cls=Command)


def say(text: str) -> None:
    """A line of progress for the clerk (standard output)."""
    typer.echo(text)


def report(error: KehoachError) -> None:
    """Every problem of an error, one per line, on standard error."""
    for problem in error.problems:
        typer.echo(str(problem), err=True)


Strict = Annotated[bool, typer.Option(
    "--strict", help="Coi cảnh báo là lỗi: vẫn làm hết việc, nhưng có cảnh báo thì kết thúc với mã lỗi 7 "
                     "(dùng trong tập lệnh, để không bỏ sót điều đáng ngờ).")]


def warnings_channel(strict: bool) -> Warnings:
    """The run's one channel for warnings, printed on standard error as they come."""
    return Warnings(lambda text: typer.echo(text, err=True), strict)


def main() -> None:
    """Entry point of the `kehoach` command: a bug prints one line asking for a report, never a traceback."""
    try:
        code = app(standalone_mode=False)
    except UsageError as error:
        if type(error).__name__ == "NoArgsIsHelpError":  # `kehoach` alone: the help, as Click does
            typer.echo(error.format_message(), err=True)
        else:
            typer.echo(usage_error_text(error), err=True)
        sys.exit(ExitCode.USAGE)
    except Abort:  # Ctrl+C (Click turns KeyboardInterrupt into Abort)
        typer.echo("Đã dừng theo yêu cầu (Ctrl+C).", err=True)
        sys.exit(ExitCode.INTERRUPTED)
    except KehoachError as error:
        report(error)
        sys.exit(error.exit_code)
    except OSError as error:
        if error.filename is None:
            internal_error(error)
        # A path the system refused while probing it (a name too long, a link loop): the clerk can change it.
        typer.echo(f"{error.filename}: hệ thống không dùng được đường dẫn này ({reason(error)}) — đặt tên tệp, "
                   "thư mục ngắn hơn hoặc sửa đường dẫn rồi chạy lại", err=True)
        sys.exit(ExitCode.INPUT)
    except Exception as error:  # noqa: BLE001 - the one place that turns a bug into a message
        internal_error(error)
    sys.exit(code if isinstance(code, int) else ExitCode.OK)


def internal_error(error: Exception) -> None:
    """A bug: one line asking for a report, exit 70."""
    typer.echo(f"Lỗi nội bộ của kehoach ({type(error).__name__}: {error}). "
               "Xin báo lỗi cho người quản lý công cụ, kèm tệp YAML đã dùng.", err=True)
    sys.exit(ExitCode.INTERNAL)


# Each command group lives in its own module and registers itself on `app`.
from kehoach.cli import render  # noqa: E402,F401
from kehoach.cli import new, schema  # noqa: E402,F401
from kehoach.cli import batch  # noqa: E402,F401
from kehoach.cli import register  # noqa: E402,F401
