"""The DOCX package kehoach zips is the one python-docx's own `Document.save()` writes for the same document.

Same entries in the same order, each with the same bytes and the same zip metadata but one field, which
kehoach/docx/package.py sets on purpose: `date_time` is the document's issue date (python-docx: the
clock). A part added to the document after a save is written by the next one.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from functools import cache

import docx
from support import EXAMPLES

from kehoach.write.docx.writer import DocxWriter
from kehoach.pipeline import render
from kehoach.model.reader import is_schools_file

# Every field the central directory gives back, but the date.
SAME = ("filename", "compress_type", "comment", "extra", "create_system", "create_version", "extract_version",
        "reserved", "flag_bits", "volume", "internal_attr", "external_attr", "header_offset", "CRC", "compress_size",
        "file_size")


@cache
def example_trees() -> list:
    """The document tree of every example."""
    return [render(path)[1].tree for path in sorted(EXAMPLES.glob("*.yaml")) if not is_schools_file(path)]


def entries(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    """Each zip entry's metadata and content, in the archive's order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info, archive.read(info)) for info in archive.infolist()]


def issue_stamp(tree) -> tuple[int, ...]:
    return datetime.combine(tree.ngay, datetime.min.time()).timetuple()[:6]


def assert_as_python_docx_saves(writer: DocxWriter, ours: bytes, stamp: tuple[int, ...]) -> None:
    """ours is what python-docx's save writes for the writer's document now, every entry dated stamp."""
    saved = io.BytesIO()
    writer.document.save(saved)
    theirs = entries(saved.getvalue())
    assert [info.filename for info, _ in entries(ours)] == [info.filename for info, _ in theirs]
    for (mine, content), (reference, reference_content) in zip(entries(ours), theirs):
        assert content == reference_content, mine.filename
        assert {f: getattr(mine, f) for f in SAME} == {f: getattr(reference, f) for f in SAME}
        assert mine.date_time == stamp


def test_every_example_is_saved_as_python_docx_saves_it():
    """One writer for all the examples, as in a batch: the parts settled at set-up stay true document after document."""
    writer = DocxWriter()
    for tree in example_trees():
        assert_as_python_docx_saves(writer, writer.write(tree), issue_stamp(tree))


def test_a_part_added_after_a_save_is_in_the_next():
    """A footer part made after the first document (python-docx adds /word/footer1.xml and its relationship)
    is in the second document's package, listed in its content types, and read back by Word's reader."""
    writer, tree = DocxWriter(), example_trees()[0]
    first = {info.filename for info, _ in entries(writer.write(tree))}
    footer = writer.document.sections[0].footer
    footer.is_linked_to_previous = False
    footer.paragraphs[0].text = "Chân trang thêm sau"
    second = writer.write(tree)
    added = {info.filename for info, _ in entries(second)} - first
    assert added == {"word/footer1.xml"}
    assert b'PartName="/word/footer1.xml"' in dict((i.filename, c) for i, c in entries(second))["[Content_Types].xml"]
    assert docx.Document(io.BytesIO(second)).sections[0].footer.paragraphs[0].text == "Chân trang thêm sau"
    assert_as_python_docx_saves(writer, second, issue_stamp(tree))


def test_the_archive_is_the_one_zipfile_writes():
    """package.py zips by itself (to reuse the deflated bytes of unchanged entries): byte for byte the archive
    zipfile writes with writestr(ZipInfo(name, date), bytes) deflated, entry after entry, over several
    documents of one writer (entries reused and entries changed)."""
    writer = DocxWriter()
    for tree in example_trees() + example_trees()[:1]:
        ours = writer.write(tree)
        again = io.BytesIO()
        with zipfile.ZipFile(again, "w") as archive:
            for info, content in entries(ours):
                entry = zipfile.ZipInfo(info.filename, date_time=issue_stamp(tree))
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, content)
        assert ours == again.getvalue()


def test_a_writer_that_wrote_other_documents_writes_each_as_a_fresh_one():
    """The writer copies paragraphs it built for earlier documents (a batch writes the same ones again):
    whatever it wrote before, and in whichever order, each document is the one a fresh writer writes."""
    trees = example_trees()
    fresh = [DocxWriter().write(tree) for tree in trees]
    writer = DocxWriter()
    for index in [*range(len(trees)), *reversed(range(len(trees)))]:
        assert writer.write(trees[index]) == fresh[index], index


def test_the_same_document_gives_the_same_bytes():
    """Written twice by one writer, and by a fresh one: byte for byte the same file."""
    writer, tree = DocxWriter(), example_trees()[0]
    once = writer.write(tree)
    assert writer.write(tree) == once == DocxWriter().write(tree)
