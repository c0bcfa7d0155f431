"""The one flow every path takes: read → resolve → check → (number) → compose → write.

Each stage is a function with a typed result: `read` gives a checked `CheckedDocument` (the schools resolved), `number`
a plan numbered from the register, `compose` the document tree, `write` a `Built` (tree, DOCX bytes and the
sidecar's record). A single plan (`render`, `check`, `preview`, bench), a batch row and the district
memorandum (batch/) all go through these; none writes files. `Ready.write` does, once the caller has checked
every target (`place`); `render_file` is the whole of `kehoach render FILE` for a script.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kehoach.compose.document import compose
from kehoach.errors import Problem
from kehoach.write.docx.writer import write_docx
from kehoach.write.metadata import record
from kehoach.write.naming import Destination, check_targets, document_name
from kehoach.write.output import make_folder, write_atomic
from kehoach.model.reader import CheckedDocument, is_schools_file, read_document
from kehoach.tree import VanBan

if TYPE_CHECKING:
    from kehoach.register.numbering import Register

read = read_document  # read, resolve the schools, check: a CheckedDocument or InputError at file:line:column


@dataclass(frozen=True)
class Built:
    """A document made and laid out, not yet on disk."""

    tree: VanBan
    docx: bytes
    warnings: tuple[Problem, ...] = ()  # what its plan has that is suspicious but not wrong (errors.Warnings)

    @property
    def record(self) -> dict:
        """What the sidecar (--metadata) says of the document."""
        return record(self.tree)


def plan_files(paths: list[Path]) -> list[Path]:
    """The plan files named, a folder standing for its *.yaml files other than schools lists."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(p for p in sorted(path.glob("*.y*ml")) if not is_schools_file(p))
        else:
            out.append(path)
    return out


def number(plan: CheckedDocument, base: Path, register: Register | None) -> CheckedDocument:
    """The plan numbered from the register (`--cap-so`), or as it is without one."""
    return plan if register is None else register.number(plan, base)[0]


def write(tree: VanBan) -> Built:
    """Lay a document tree out as DOCX bytes."""
    return Built(tree, write_docx(tree))


def build(plan: CheckedDocument) -> Built:
    """compose → write: a checked plan's DOCX."""
    return replace(write(compose(plan)), warnings=plan.warnings)


def check(path: Path) -> Built:
    """Every stage but the writing to disk (all of `kehoach check`).

    The DOCX is made and thrown away by the caller (a few hundredths of a second): whatever `render` would refuse,
    `check` refuses too, at the same place."""
    return build(read(path))


def render(path: Path, destination: Destination | None = None, register: Register | None = None) -> tuple[Path, Built]:
    """A plan file's document and where it goes (not yet written); by default beside the YAML file, named by
    the plan's number, symbol and date; with a register, numbered from it."""
    plan = number(read(path), path.parent, register)
    own_name = document_name(plan.model.so, plan.model.ky_hieu, plan.model.ngay)
    return (destination or Destination(None, False)).target(path, own_name), build(plan)


@dataclass(frozen=True)
class Ready:
    """A plan file's document made and named, not yet written; with a register, the number reserved for it."""

    source: Path
    target: Path
    built: Built
    reservation: object = None

    def write(self, register: Register | None = None) -> Path:
        """Write the DOCX in place (atomically); its number is issued once it is written."""
        write_atomic(self.target, self.built.docx)
        if register is not None:
            register.issue(self.target, self.reservation)
        return self.target


def prepare(path: Path, destination: Destination, register: Register | None = None) -> Ready:
    """A plan file rendered and named, not yet written (a mistake: InputError at file:line:column)."""
    target, built = render(path, destination, register)
    return Ready(path, target, built, register.reservation() if register is not None else None)


def place(ready: list[Ready], destination: Destination) -> None:
    """Check every target before any is written (no clash, no input or foreign file replaced; OutputError), and
    make the output folder."""
    check_targets([(item.source, item.target) for item in ready], [item.source for item in ready])
    if destination.folder is not None and ready:
        make_folder(destination.folder)


def render_file(path: Path, output: str | Path | None = None, register: Register | None = None) -> Path:
    """All of `kehoach render FILE [-o OUTPUT]` for a script: the DOCX written, its path returned; a mistake
    raises KehoachError (InputError at file:line:column, OutputError …) with nothing written."""
    destination = Destination(None if output is None else str(output), many=False)
    ready = prepare(Path(path), destination, register)
    place([ready], destination)
    return ready.write(register)
