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


def all_paragraphs(document: Document) -> list[Paragraph]:
    """Every paragraph in reading order, those in tables (header, signatures, recipients) included."""
    return [p for b in blocks(document) for p in (table_paragraphs(b) if isinstance(b, Table) else [b])]


def read(text: str) -> str:
    """A text as a reader reads it: the writer's non-breaking spaces (around a spaced dash) are spaces."""
    return text.replace("\u00a0", " ")


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, punctuation and spacing ignored."""
    return re.findall(r"\w+", text)


# -- effective formatting: direct → paragraph style → basedOn … → docDefaults ---------------------------
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4
TRUE = {None, "1", "true", "on"}


def _styles_element(paragraph: Paragraph):
    """The document's styles part, also for a paragraph of a header."""
    return paragraph.part.package.main_document_part.styles.element


def _style_chain(paragraph: Paragraph) -> list:
    """The paragraph's style, then the styles it is based on, nearest first."""
    found = paragraph._p.find(f"{W}pPr/{W}pStyle")
    style_id = found.get(f"{W}val") if found is not None else None
    styles = {s.get(f"{W}styleId"): s for s in _styles_element(paragraph).iterfind(f"{W}style")}
    if style_id is None:
        style_id = next((i for i, s in styles.items() if s.get(f"{W}default") == "1" and s.get(f"{W}type") == "paragraph"), None)
    chain = []
    while style_id in styles:
        style = styles[style_id]
        chain.append(style)
        based = style.find(f"{W}basedOn")
        style_id = based.get(f"{W}val") if based is not None else None
    return chain


def _lookup(sources: list, tag: str):
    """The first element named tag among the property elements given, nearest first."""
    for props in sources:
        if props is not None:
            found = props.find(f"{W}{tag}")
            if found is not None:
                return found
    return None


def _defaults(paragraph: Paragraph, kind: str):
    return _styles_element(paragraph).find(f"{W}docDefaults/{W}{kind}Default/{W}{kind}")


def _run_sources(paragraph: Paragraph, run) -> list:
    direct = [run._r.find(f"{W}rPr")] if run is not None else []
    return [*direct, *(s.find(f"{W}rPr") for s in _style_chain(paragraph)), _defaults(paragraph, "rPr")]


def _para_sources(paragraph: Paragraph) -> list:
    chain = _style_chain(paragraph)
    return [paragraph._p.find(f"{W}pPr"), *(s.find(f"{W}pPr") for s in chain), _defaults(paragraph, "pPr")]


def run_format(paragraph: Paragraph, run=None) -> dict:
    """A run's effective size (pt), bold, italic, fonts (four slots) and colour; run=None: the paragraph's own."""
    sources = _run_sources(paragraph, run)
    size = _lookup(sources, "sz")
    fonts = _lookup(sources, "rFonts")
    color = _lookup(sources, "color")
    bold, italic = _lookup(sources, "b"), _lookup(sources, "i")
    return {
        "size": int(size.get(f"{W}val")) / 2 if size is not None else 10.0,  # Word's built-in default
        "bold": bold is not None and bold.get(f"{W}val") in TRUE,
        "italic": italic is not None and italic.get(f"{W}val") in TRUE,
        "fonts": {slot: fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")} if fonts is not None else {},
        "color": color.get(f"{W}val") if color is not None else "auto",
    }


def runs_format(paragraph: Paragraph) -> list[dict]:
    """The effective format of every run with text in a paragraph."""
    return [run_format(paragraph, run) for run in paragraph.runs if run.text.strip()]


def para_format(paragraph: Paragraph) -> dict:
    """A paragraph's effective alignment, indents (mm), spacing before/after (pt) and line spacing (lines)."""
    sources = _para_sources(paragraph)
    jc = _lookup(sources, "jc")

    def attribute(tag: str, name: str, default: float = 0.0) -> float:
        for props in sources:
            found = props.find(f"{W}{tag}") if props is not None else None
            if found is not None and found.get(f"{W}{name}") is not None:
                return float(found.get(f"{W}{name}"))
        return default

    line = attribute("spacing", "line", 240)
    return {
        "align": jc.get(f"{W}val") if jc is not None else "left",
        "first_line_mm": attribute("ind", "firstLine") / TWIPS_PER_MM,
        "left_mm": attribute("ind", "left") / TWIPS_PER_MM,
        "right_mm": attribute("ind", "right") / TWIPS_PER_MM,
        "before_pt": attribute("spacing", "before") / 20,
        "after_pt": attribute("spacing", "after") / 20,
        "line": line / 240,
    }


def top_border(paragraph: Paragraph):
    """The paragraph's top border element (a rule line), or None."""
    return paragraph._p.find(f"{W}pPr/{W}pBdr/{W}top")


def cell_width_mm(cell) -> float:
    """A table cell's width in millimetres, from its tcW."""
    return int(cell._tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) / TWIPS_PER_MM


def cell_margin_mm(table: Table) -> float:
    """The table's left (= right) cell margin in mm."""
    found = table._tbl.find(f"{W}tblPr/{W}tblCellMar/{W}left")
    return int(found.get(f"{W}w")) / TWIPS_PER_MM if found is not None else 108 / TWIPS_PER_MM
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
