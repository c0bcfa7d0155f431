"""The common plan of a batch, and one roster row laid over it.

The common plan is loaded and checked once (with the roster template's example pair standing in for the
schools, so that a mistake in the common plan stops the batch before anything is written). A row enters the
pipeline as an `Overlay`: the common plan as loaded, the row's values (typed as the roster read them) and the
roster cell of each, so that a message about a value the row gave points at its cell. What neither the row nor
the plan gives is reported at the cell that would give it (`row_plan`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import jinja2
from jinja2 import nodes

from kehoach import pipeline
from kehoach.compose.document import environment
from kehoach.errors import InputError, Problem, Where
from kehoach.input.loader import LoadedFile, Path_, load_file
from kehoach.input.roster import COLUMNS, SCHOOL_FIELDS, RosterRow
from kehoach.model.reader import CheckedDocument, check_document, find_school, read_schools, schools_file, unit_needs
from kehoach.model.vanban import DonVi


@dataclass
class CommonDocument:
    """The common plan, loaded and checked once, with the schools file rows may refer to by code."""

    document: LoadedFile
    base: Path
    schools: dict[str, DonVi] | None
    schools_file: str  # as the clerk named it, for messages ("" when there is none)
    # what the plan's sentences take from each school: (side, field) -> where the plan first does (side None: every school)
    needs: dict[tuple[int | None, str], Where] = field(default_factory=dict)


# ---------------------------------------------------------------- the common plan


def example_row() -> RosterRow:
    """The roster template's example pair, used to check the common plan before any row."""
    data: dict = {"so": None, "ngay": None, "noi_nhan_them": [], "don_vi": [{}, {}]}
    for column in COLUMNS:
        if column.key.startswith("don_vi.") and column.example is not None:
            _, side, name = column.key.split(".")
            data["don_vi"][int(side)][name] = column.example
        elif column.key == "ngay":
            data["ngay"] = column.example
    return RosterRow("", 0, data, {})


def load_common(plan: Path, schools: Path | None = None) -> CommonDocument:
    """Load the common plan and the schools file; a mistake in either raises InputError at its file:line:col."""
    document = load_file(plan)
    if not isinstance(document.data, dict):
        raise InputError(Problem(Where(str(plan), 1, 1), "tệp kế hoạch chung phải là các dòng 'ten: giá trị'",
                                 "xem mẫu examples/batch/ke-hoach-chung.yaml"))
    # Positions under don_vi belong to the plan's own units, which every row replaces.
    document.values = {k: v for k, v in document.values.items() if k[:1] != ("don_vi",)}
    document.keys = {k: v for k, v in document.keys.items() if k[:1] != ("don_vi",)}
    table, named = None, ""
    if schools is not None:
        table, named = read_schools(schools)[0], str(schools)
    elif isinstance(listed := document.data.get("danh_sach_truong"), str) and listed.strip():
        path = schools_file(listed, plan.parent, document.where(("danh_sach_truong",)))
        table, named = read_schools(path)[0], listed.strip()
    common = CommonDocument(document, plan.parent, table, named, _school_needs(document))
    example = example_row()
    pipeline.compose(check_document(overlay(common, example, example.data["don_vi"]), common.base))
    return common



# The fields a roster row can give a school (its columns), which a sentence may need.
ROW_SCHOOL_FIELDS = frozenset(spec[0] for spec in SCHOOL_FIELDS) - {"ma"}


def _school_needs(document: LoadedFile) -> dict[tuple[int | None, str], Where]:
    """Each school field the common plan's texts print ({{ don_vi[0].dia_ban }}, or {{ d.dia_ban }} in a loop
    over don_vi), with where the plan first does. A field only tested ({% if … %}), printed under an {% if %}
    that tests it, or printed with a fallback (`or`, `default`) is optional: the sentence reads right without it."""
    needs: dict[tuple[int | None, str], Where] = {}

    def visit(value: object, path: tuple) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if path or key != "don_vi":  # the plan's own units are replaced by each row's
                    visit(item, (*path, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                visit(item, (*path, index))
        elif isinstance(value, str) and "{" in value:
            try:
                tree = environment().parse(value)
            except jinja2.TemplateSyntaxError:
                return  # reported where the plan is checked
            for need in _fields_used(tree):
                needs.setdefault(need, document.where(path))

    visit(document.data, ())
    return needs


def _fields_used(tree: nodes.Template) -> set[tuple[int | None, str]]:
    """(side, field) of school fields printed by {{ … }} in one parsed text, unless printed with a fallback
    or inside an {% if %} that tests the same field."""
    loop_names = {loop.target.name for loop in tree.find_all(nodes.For)
                  if isinstance(loop.iter, nodes.Name) and loop.iter.name == "don_vi" and isinstance(loop.target, nodes.Name)}

    def school_field(node: nodes.Node) -> tuple[int | None, str] | None:
        if isinstance(node, nodes.Getattr):
            base, name = node.node, node.attr
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            base, name = node.node, node.arg.value
        else:
            return None
        if name not in ROW_SCHOOL_FIELDS:
            return None
        if (isinstance(base, nodes.Getitem) and isinstance(base.node, nodes.Name) and base.node.name == "don_vi"
                and isinstance(base.arg, nodes.Const) and isinstance(base.arg.value, int)):
            return base.arg.value, name
        return (None, name) if isinstance(base, nodes.Name) and base.name in loop_names else None

    def fields_in(expression: nodes.Node) -> set[tuple[int | None, str]]:
        return {f for n in (expression, *expression.find_all((nodes.Getattr, nodes.Getitem))) if (f := school_field(n))}

    found: set[tuple[int | None, str]] = set()

    def walk(node: nodes.Node, guarded: frozenset) -> None:
        if isinstance(node, nodes.If):
            for child in node.body:
                walk(child, guarded | fields_in(node.test))
            for child in (*node.elif_, *node.else_):
                walk(child, guarded)
        elif isinstance(node, nodes.Output):
            for expression in node.nodes:
                parts = (expression, *expression.find_all(nodes.Expr))
                if isinstance(expression, nodes.TemplateData) or any(
                        isinstance(n, nodes.Or | nodes.CondExpr) or (isinstance(n, nodes.Filter) and n.name == "default")
                        for n in parts):
                    continue  # a value with a fallback: the plan does without it
                found.update(f for f in fields_in(expression) if f not in guarded and (None, f[1]) not in guarded)
        else:
            for child in node.iter_child_nodes():
                walk(child, guarded)

    walk(tree, frozenset())
    return found

# ---------------------------------------------------------------- one row


def _cell(roster: str, row: RosterRow, key: str) -> Where | None:
    return Where(roster, cell=row.cells[key]) if key in row.cells else None


def first_cell(roster: str, row: RosterRow, *keys: str) -> Where:
    """The first of the given columns the sheet has, else the row's first cell."""
    for key in keys:
        if key in row.cells:
            return Where(roster, cell=row.cells[key])
    return Where(roster, cell=next(iter(row.cells.values()), f"{row.sheet}!A{row.row}"))


def resolve_units(common: CommonDocument, roster: str, row: RosterRow) -> tuple[list[dict], list[Problem]]:
    """The row's two schools as full dicts: a code (ma) is looked up in the schools file, the row's own cells win."""
    units, problems = [], []
    for side, given in enumerate(row.data["don_vi"]):
        code = given.get("ma")
        if not code:
            units.append(dict(given))
            continue
        where = first_cell(roster, row, f"don_vi.{side}.ma")
        if common.schools is None:
            problems.append(Problem(where, f"gọi trường theo mã '{code}' nhưng chưa có tệp danh sách trường",
                                    "thêm `--truong truong.yaml` vào lệnh, hoặc `danh_sach_truong:` vào kế hoạch chung"))
            continue
        found = find_school(code, common.schools, common.schools_file, where)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        units.append({**found.model_dump(exclude_none=True), **given})
    return units, problems


def _gaps(common: CommonDocument, roster: str, row: RosterRow, units: list[dict]) -> list[Problem]:
    """What neither the row nor the common plan gives, reported at the row's cell rather than the plan's top."""
    plan, problems = common.document.data, []
    if not plan.get("ngay") and not row.data["ngay"]:
        problems.append(Problem(first_cell(roster, row, "ngay"), "chưa có ngày văn bản",
                                "ghi ngày vào cột «Ngày văn bản», hoặc `ngay:` trong kế hoạch chung"))
    # what every document prints of its units (the managing body; each abbreviation after a bare symbol; the
    # date line's place), as `check` asks of a plan file; the principal is checked with the plan, at the row's cell
    printed = {k: plan.get(k) for k in ("loai", "ky_hieu", "nguoi_ky", "dia_danh")}
    for side, unit in enumerate(units):
        rules = {name: why for name, why in unit_needs(printed, side).items()
                 if name in ROW_SCHOOL_FIELDS and name != "hieu_truong"}
        missing = {}
        for (wanted, name), used_at in common.needs.items():
            if wanted in (None, side) and not unit.get(name):
                missing.setdefault(name, f"mà câu văn của kế hoạch chung cần ({used_at})")
        for name, why in rules.items():
            if not unit.get(name):
                missing.setdefault(name, f"({why})")
        problems += [_school_gap(common, roster, row, side, unit, name, why) for name, why in missing.items()]
    return problems


# Where a missing value would come from when the roster has no column of its own for it.
_FALLBACK_FIELDS = {"dia_ban": ("dia_danh", "co_quan_chu_quan"), "dia_danh": ("dia_ban",)}


def _school_gap(common: CommonDocument, roster: str, row: RosterRow, side: int, unit: dict, name: str, why: str) -> Problem:
    """A school value the plan needs and the row lacks, once, at the roster cell that would supply it."""
    header = next(col.header for col in COLUMNS if col.key == f"don_vi.{side}.{name}")
    key = f"don_vi.{side}.{name}"
    where = first_cell(roster, row, key, *(f"don_vi.{side}.{other}" for other in _FALLBACK_FIELDS.get(name, ())),
                        f"don_vi.{side}.ma", f"don_vi.{side}.ten")
    how = f"ghi «{header}» ở dòng này" if key in row.cells else f"thêm cột «{header}» vào danh sách rồi ghi vào dòng này"
    if name == "dia_ban":
        how += (f" (hoặc ghi «Địa danh trường {side + 1}» và «Cơ quan chủ quản trường {side + 1}» dạng "
                "UBND PHƯỜNG …/UBND XÃ … cùng một nơi, để tự suy ra)")
    if unit.get("ma") and common.schools_file:
        how = f"điền `{name}:` cho trường mã '{unit['ma']}' trong {common.schools_file}, hoặc {how}"
    return Problem(where, f"«{header}» còn trống {why}", how)


@dataclass(frozen=True)
class Overlay:
    """A roster row laid over the common plan, as the reader takes a plan (model.reader.Source): the plan as
    loaded, the row's values by their key (as the roster typed them: a date is a date), and the roster cell of
    each value the row gave."""

    plan: LoadedFile
    values: dict[str, object]
    cells: dict[Path_, Where]

    @property
    def file(self) -> str:
        return self.plan.file

    @cached_property
    def data(self) -> dict:
        """The plan's data with the row's values in place of its own."""
        return {**self.plan.data, **self.values}

    def where(self, path: Path_, key: bool = False) -> Where:
        """The roster cell of a value the row gave, else its place in the plan (the nearest parent's, as the loader's)."""
        for cut in range(len(path), -1, -1):
            if found := self.cells.get(path[:cut]) or self.plan.at(path[:cut], key):
                return found
        return Where(self.plan.file, 1, 1)

    def text_start(self, path: Path_) -> Where:
        return self.plan.text_start(path) if path not in self.cells and path in self.plan.blocks else self.where(path)


def overlay(common: CommonDocument, row: RosterRow, units: list[dict], roster: str = "") -> Overlay:
    """The row's schools, number, date and extra recipients over the common plan, each with its cell."""
    values: dict[str, object] = {"don_vi": units}
    cells: dict[Path_, Where] = {}

    def put(path: tuple, key: str) -> None:
        if where := _cell(roster, row, key):
            cells[path] = where

    for side, unit in enumerate(units):
        cells[("don_vi", side)] = first_cell(roster, row, f"don_vi.{side}.ten", f"don_vi.{side}.ma")
        for name in unit:
            put(("don_vi", side, name), f"don_vi.{side}.{name}")
    cells[("don_vi",)] = cells.get(("don_vi", 0)) or Where(roster)
    for name in ("so", "ngay"):
        if row.data[name]:
            values[name] = row.data[name]
            put((name,), name)
    if extra := row.data["noi_nhan_them"]:
        given = common.document.data.get("noi_nhan")
        own = list(given) if isinstance(given, list) else []
        values["noi_nhan"] = own + extra
        for index in range(len(own), len(own) + len(extra)):
            put(("noi_nhan", index), "noi_nhan_them")
    return Overlay(common.document, values, cells)


def row_plan(common: CommonDocument, roster: str, row: RosterRow, units: list[dict]) -> CheckedDocument:
    """One row's plan, checked: the common plan with the row laid over it; InputError at the row's cells."""
    problems = _gaps(common, roster, row, units)
    if problems:
        raise InputError(problems)
    return check_document(overlay(common, row, units, roster), common.base)
