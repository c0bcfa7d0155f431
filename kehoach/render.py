"""One plan file → DOCX: read and check, compose, write. The flow every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.compose import compose
from kehoach.docx.writer import write_docx
from kehoach.output import safe_name
from kehoach.reader import Plan, read_plan
from kehoach.tree import VanBan

if TYPE_CHECKING:
    from kehoach.register.numbering import Register


def check(path: Path) -> VanBan:
    """Read, check and compose a plan without writing anything (all of `kehoach check`)."""
    return compose(read_plan(path))


def default_output(plan: Plan, source: Path) -> Path:
    """Beside the YAML file, named by the plan: "586-KH-GDNN-GDTXTT 2025-09-16.docx"."""
    model = plan.model
    number = f"{model.so}-" if model.so else ""
    return source.parent / f"{safe_name(f'{number}{model.ky_hieu} {model.ngay:%Y-%m-%d}')}.docx"


def render(path: Path, output: Path | None = None, register: Register | None = None) -> tuple[Path, bytes]:
    """The DOCX bytes of a plan file and where they go (not yet written); with a register, numbered from it."""
    plan = read_plan(path)
    if register is not None:
        plan, _ = register.number(plan, path.parent)
    return output or default_output(plan, path), write_docx(compose(plan))
