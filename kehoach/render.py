"""One plan file → DOCX: read and check, compose, write. The flow every command shares."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.compose import compose
from kehoach.docx.writer import write_docx
from kehoach.naming import Destination, document_name
from kehoach.reader import read_plan
from kehoach.tree import VanBan

if TYPE_CHECKING:
    from kehoach.register.numbering import Register


def check(path: Path) -> VanBan:
    """Read, check, compose and lay out a plan without writing anything (all of `kehoach check`).

    The DOCX is made and thrown away (a few hundredths of a second): whatever `render` would refuse, `check`
    refuses too, at the same place."""
    tree = compose(read_plan(path))
    write_docx(tree)
    return tree


def render(path: Path, destination: Destination | None = None, register: Register | None = None) -> tuple[Path, bytes]:
    """The DOCX bytes of a plan file and where they go (not yet written); by default beside the YAML file,
    named by the plan's number, symbol and date; with a register, numbered from it."""
    target, doc = render_tree(path, destination, register)
    return target, write_docx(doc)


def render_tree(path: Path, destination: Destination | None = None,
                register: Register | None = None) -> tuple[Path, VanBan]:
    """The document tree of a plan file and where its DOCX goes, as render decides it."""
    plan = read_plan(path)
    if register is not None:
        plan, _ = register.number(plan, path.parent)
    own_name = document_name(plan.model.so, plan.model.ky_hieu, plan.model.ngay)
    return (destination or Destination(None, False)).target(path, own_name), compose(plan)
