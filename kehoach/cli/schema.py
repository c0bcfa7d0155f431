"""`kehoach schema`: the JSON Schema of the plan or schools file, for editors such as VS Code."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import command, say


@command("schema")
def schema_command(
    truong: Annotated[bool, typer.Option("--truong", help="Lược đồ của tệp danh sách trường (mặc định: tệp kế hoạch)")] = False,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Ghi vào tệp này thay vì in ra màn hình")] = None,
) -> None:
    """In lược đồ JSON Schema của tệp kế hoạch (hoặc tệp danh sách trường) để VS Code gợi ý và kiểm tra khi gõ."""
    from kehoach.model.schema import schema_text

    text = schema_text("truong" if truong else "ke-hoach")
    if output is None:
        typer.echo(text, nl=False)
        return
    from kehoach.errors import OutputError
    from kehoach.write.naming import replace_problem
    from kehoach.write.output import write_atomic

    if problem := replace_problem(output, ours=lambda path: path.suffix.lower() == ".json"):  # not a plan file
        raise OutputError(problem)
    write_atomic(output, text.encode("utf-8"))
    say(f"Đã tạo: {output}")
