"""The WordprocessingML that python-docx has no API for: PAGE fields, borders, table properties.

The only module that builds raw XML elements; the writer calls these by name.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from lxml import etree
from docx.oxml.ns import qn
from docx.shared import Length

TWIPS_PER_MM = 1440 / 25.4


def _twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def _child(parent, tag: str, **attrs: str):
    """Append a new element with w:-prefixed attributes (made in place: a third of the cost of OxmlElement)."""
    element = etree.SubElement(parent, qn(tag))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


def add_run(paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Append a run as python-docx's add_run would write it, built directly (python-docx adds text
    character by character). Text with tabs or line breaks goes through python-docx, which turns
    them into <w:tab/> and <w:br/>."""
    if "\t" in text or "\n" in text or "\r" in text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        return
    r = _child(paragraph._p, "w:r")
    if bold or italic:
        properties = _child(r, "w:rPr")
        if bold:
            _child(properties, "w:b")
        if italic:
            _child(properties, "w:i")
    t = _child(r, "w:t")
    t.text = text
    if len(text.strip()) < len(text):
        t.set(qn("xml:space"), "preserve")


def page_field(paragraph) -> None:
    """Append a PAGE field (begin, instruction, separate, result, end) to a paragraph."""
    p = paragraph._p
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        run = _child(p, "w:r")
        if kind:
            _child(run, "w:fldChar", fldCharType=kind)
        elif text == " PAGE ":
            instr = _child(run, "w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
        else:
            _child(run, "w:t").text = text


def line_paragraph(paragraph, left_mm: float, right_mm: float, width_pt: float) -> None:
    """Turn an empty paragraph into a solid horizontal line between the given indents (its top border)."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    _child(borders, "w:top", val="single", sz=str(round(width_pt * 8)), space="0", color="000000")
    # pBdr must come before spacing/ind/jc in CT_PPr's sequence: insert after pStyle if present.
    style = ppr.find(qn("w:pStyle"))
    ppr.insert(1 if style is not None else 0, borders)
    paragraph.paragraph_format.left_indent = Length(int(left_mm * 36000))
    paragraph.paragraph_format.right_indent = Length(int(right_mm * 36000))


def table_layout(table, widths_mm: list[float], indent_mm: float = 0, cell_margin_mm: float | None = None,
                 borders: bool = False) -> None:
    """Fixed column widths, an indent, optional cell margins and all-or-nothing single borders."""
    tbl = table._tbl
    tblPr = tbl.tblPr
    for tag in ("w:tblW", "w:tblInd", "w:tblBorders", "w:tblLayout", "w:tblCellMar"):
        for old in tblPr.findall(qn(tag)):
            tblPr.remove(old)
    _child(tblPr, "w:tblW", w=_twips(sum(widths_mm)), type="dxa")
    _child(tblPr, "w:tblInd", w=_twips(indent_mm), type="dxa")
    edges = _child(tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            _child(edges, f"w:{edge}", val="single", sz="4", space="0", color="000000")
        else:
            _child(edges, f"w:{edge}", val="nil")
    _child(tblPr, "w:tblLayout", type="fixed")
    if cell_margin_mm is not None:
        margins = _child(tblPr, "w:tblCellMar")
        for edge in ("left", "right"):
            _child(margins, f"w:{edge}", w=_twips(cell_margin_mm), type="dxa")
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), _twips(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Length(int(width * 36000))


def row_properties(row, header: bool = False) -> None:
    """A row that never splits across pages; a header row is repeated at the top of each page."""
    trPr = row._tr.get_or_add_trPr()
    _child(trPr, "w:cantSplit")
    if header:
        _child(trPr, "w:tblHeader")



def default_run_properties(styles_element, font: str, size_pt: float, lang: str) -> None:
    """Document defaults: the font in all four script slots, its size, black, and the language."""
    rpr = styles_element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        rpr.remove(child)
    _child(rpr, "w:rFonts", ascii=font, hAnsi=font, cs=font, eastAsia=font)
    _child(rpr, "w:color", val="000000")
    _child(rpr, "w:sz", val=str(round(size_pt * 2)))
    _child(rpr, "w:szCs", val=str(round(size_pt * 2)))
    _child(rpr, "w:lang", val=lang, eastAsia=lang, bidi=lang)
