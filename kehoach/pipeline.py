"""The one flow every path takes: read → resolve → check → (number) → compose → write.

Each stage is a function with a typed result: `read` gives a checked `Plan` (the schools resolved), `number`
a plan numbered from the register, `compose` the document tree, `write` a `Built` (tree, DOCX bytes and the
sidecar's record). A single plan (`render`, `check`, `preview`, bench), a batch row and the district
memorandum (batch.py) all go through these; none writes files (output.py does, when the caller is ready).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.compose.document import compose
from kehoach.write.docx.writer import write_docx
from kehoach.write.metadata import record
from kehoach.write.naming import Destination, document_name
from kehoach.model.reader import Plan, read_plan
from kehoach.tree import VanBan

if TYPE_CHECKING:
    from kehoach.register.numbering import Register

read = read_plan  # read, resolve the schools, check: a Plan or InputError at file:line:column


@dataclass(frozen=True)
class Built:
    """A document made and laid out, not yet on disk."""

    tree: VanBan
    docx: bytes

    @property
    def record(self) -> dict:
        """What the sidecar (--metadata) says of the document."""
        return record(self.tree)


def number(plan: Plan, base: Path, register: Register | None) -> Plan:
    """The plan numbered from the register (`--cap-so`), or as it is without one."""
    return plan if register is None else register.number(plan, base)[0]


def write(tree: VanBan) -> Built:
    """Lay a document tree out as DOCX bytes."""
    return Built(tree, write_docx(tree))


def build(plan: Plan) -> Built:
    """compose → write: a checked plan's DOCX."""
    return write(compose(plan))


def check(path: Path) -> VanBan:
    """Every stage but the writing to disk (all of `kehoach check`).

    The DOCX is made and thrown away (a few hundredths of a second): whatever `render` would refuse, `check`
    refuses too, at the same place."""
    return build(read(path)).tree


def render(path: Path, destination: Destination | None = None, register: Register | None = None) -> tuple[Path, Built]:
    """A plan file's document and where it goes (not yet written); by default beside the YAML file, named by
    the plan's number, symbol and date; with a register, numbered from it."""
    plan = number(read(path), path.parent, register)
    own_name = document_name(plan.model.so, plan.model.ky_hieu, plan.model.ngay)
    return (destination or Destination(None, False)).target(path, own_name), build(plan)
