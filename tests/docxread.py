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


def layout_problems(document: Document) -> list[str]:
    """The ../shared/nd30.md page and font rules a receiving office checks first; [] when all hold."""
    from docx.shared import Mm, Pt

    found = []
    section = document.sections[0]
    if (round(section.page_width.mm), round(section.page_height.mm)) != (210, 297):
        found.append("page.paper: not A4 portrait")
    for name, value, low, high in (("top", section.top_margin, 20, 25), ("bottom", section.bottom_margin, 20, 25),
                                   ("left", section.left_margin, 30, 35), ("right", section.right_margin, 15, 20)):
        if not Mm(low) - 1000 <= value <= Mm(high) + 1000:
            found.append(f"page.margins: {name} {value.mm:.1f} mm")
    if not section.different_first_page_header_footer or "PAGE" not in section.header._element.xml \
            or section.first_page_header.paragraphs[0].text:
        found.append("page.numbers: not in the header from page 2 only")
    fonts = document.styles.element.xpath("//w:docDefaults//w:rFonts")[0]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        if fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") != "Times New Roman":
            found.append(f"font.face: {slot} slot")
    if document.element.body.xpath(".//w:rFonts"):
        found.append("font.face: a run names its own font")
    for paragraph in document.paragraphs:
        style = paragraph.style
        if style.name in ("KH Đoạn", "KH Căn cứ") and paragraph.text:
            size = style.font.size
            if not (Pt(13) <= size <= Pt(14)) or style.paragraph_format.alignment != 3:  # 3: justify
                found.append(f"body.text: «{paragraph.text[:30]}»")
            if round(style.paragraph_format.first_line_indent.mm) not in (10, 13):
                found.append(f"body.indent: «{paragraph.text[:30]}»")
    return found
