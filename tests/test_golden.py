"""Golden snapshots of what each shipped example becomes: its document tree as text and its DOCX's XML parts
pretty-printed, under tests/golden/. A change of content or layout fails here with a readable diff; when it is
meant, `pytest tests/test_golden.py --update-golden` rewrites the snapshots and the reviewer reads their diff."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from support import DISTRICT_MEMO, EXAMPLES, PLAN, ROSTER, parts, pretty_xml

from kehoach.batch import district_document
from kehoach.batch.rows import load_common, resolve_units, row_plan
from kehoach.compose.document import compose
from kehoach.write.docx.writer import write_docx
from kehoach.pipeline import render
from kehoach.model.reader import is_schools_file
from kehoach.input.roster import RosterRow, open_roster
from kehoach.tree import VanBan, dump

GOLDEN = Path(__file__).resolve().parent / "golden"
OWN_PARTS = ("word/document.xml", "docProps/core.xml")  # what each document writes for itself
SHARED_PARTS = ("word/styles.xml", "word/settings.xml", "word/header1.xml", "word/header2.xml")  # alike in all: once, in chung/


def first_row_plan() -> VanBan:
    """The batch's common plan laid over the example roster's first pair."""
    common = load_common(PLAN)
    with open_roster(ROSTER) as stream:
        row = next(item for item in stream if isinstance(item, RosterRow))
    units, problems = resolve_units(common, str(ROSTER), row)
    assert not problems
    return compose(row_plan(common, str(ROSTER), row, units))


DOCUMENTS = {
    **{p.stem: (lambda p=p: render(p)[1].tree) for p in sorted(EXAMPLES.glob("*.yaml")) if not is_schools_file(p)},
    "batch-ke-hoach-chung-dong-1": first_row_plan,
    "batch-bien-ban-ghi-nho-toan-quan-gop": lambda: district_document(DISTRICT_MEMO, ROSTER)[0].tree,
}


def snapshots(doc: VanBan) -> dict[str, str]:
    """A document's snapshots by their path under tests/golden/."""
    found = parts(write_docx(doc))
    return {"tree.txt": dump(doc), **{Path(name).name: pretty_xml(found[name]) for name in (*OWN_PARTS, *SHARED_PARTS)}}


def compare(path: Path, text: str, update: bool) -> str:
    """How the snapshot at path differs from text, as a unified diff ("" when it does not); with update, rewritten first."""
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8", newline="\n")
    name = path.relative_to(GOLDEN.parent.parent).as_posix()
    before = path.read_text("utf-8").splitlines(keepends=True) if path.is_file() else []
    return "".join(difflib.unified_diff(before, text.splitlines(keepends=True), name, "now", n=8))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_document_matches_its_snapshots(name, request):
    update = request.config.getoption("--update-golden")
    shared = {Path(part).name for part in SHARED_PARTS}
    diffs = [compare(GOLDEN / ("chung" if file in shared else name) / file, text, update)
             for file, text in snapshots(DOCUMENTS[name]()).items()]
    if any(diffs):
        pytest.fail("the snapshots differ from what the code gives now (if meant: pytest tests/test_golden.py "
                    "--update-golden, and commit the diff):\n" + "".join(diffs), pytrace=False)


def test_no_stale_snapshots():
    assert {p.name for p in GOLDEN.iterdir()} == {*DOCUMENTS, "chung"}
