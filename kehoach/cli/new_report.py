"""`kehoach new-report PLAN.yaml`: start the year-end report (báo cáo) of a plan, its activities listed.

To be folded into `kehoach new report --from PLAN.yaml` when the `new` command group is merged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from kehoach.cli import app, report, say
from kehoach.errors import KehoachError, OutputError, Problem, Where


def new_report(plan_path: Path, output: Path | None = None) -> Path:
    """Write the report YAML of the plan at plan_path (default: beside it, "bao-cao-<plan>.yaml"); return its path."""
    from kehoach.output import write_atomic
    from kehoach.reader import read_plan
    from kehoach.report_starter import report_yaml

    plan = read_plan(plan_path)
    target = output or plan_path.with_name(f"bao-cao-{plan_path.stem}.yaml")
    if target.exists():
        raise OutputError(Problem(Where(str(target)), "tệp này đã có, không ghi đè để khỏi mất báo cáo đang soạn",
                                  "chọn tên khác bằng -o, hoặc xóa tệp cũ"))
    write_atomic(target, report_yaml(plan, plan_path, target).encode("utf-8"))
    return target


@app.command("new-report")
def new_report_command(
    plan: Annotated[Path, typer.Argument(help="Tệp kế hoạch .yaml cần báo cáo kết quả", show_default=False)],
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Tệp báo cáo .yaml sẽ tạo. Mặc định: cạnh tệp kế hoạch, tên bao-cao-<tên kế hoạch>.yaml")] = None,
) -> None:
    """Tạo tệp báo cáo kết quả (YAML) từ một kế hoạch: bảng kết quả đã liệt kê các hoạt động của kế hoạch."""
    try:
        target = new_report(plan, output)
    except KehoachError as error:
        report(error)
        raise typer.Exit(error.exit_code) from None
    say(f"Đã tạo: {target}")
    say("Điền cột \"Kết quả thực hiện\" và các dấu …, rồi chạy: kehoach check " + str(target))
