"""The command line: parses arguments and reports; the work is done by the library modules."""

import typer

app = typer.Typer(
    name="kehoach",
    help="Soạn văn bản hành chính (kế hoạch, biên bản ghi nhớ, báo cáo) theo Nghị định 30/2020/NĐ-CP, từ tệp YAML ra DOCX.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Entry point of the `kehoach` command."""
    app()
