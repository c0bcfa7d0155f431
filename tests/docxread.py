"""Reading a rendered DOCX back as a receiving office would: texts in reading order, with formatting."""

from __future__ import annotations

import io
import re

import docx
from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def open_docx(data: bytes) -> Document:
    """A python-docx Document from bytes."""
    return docx.Document(io.BytesIO(data))


def blocks(document: Document):
    """Body paragraphs and tables in document order."""
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            yield Paragraph(child, document)
        elif child.tag.endswith("}tbl"):
            yield Table(child, document)


def table_paragraphs(table: Table) -> list[Paragraph]:
    """A table's paragraphs row by row, cell by cell (left to right), as a reader reads them."""
    return [p for row in table.rows for cell in row.cells for p in cell.paragraphs]


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, punctuation and spacing ignored."""
    return re.findall(r"\w+", text)
