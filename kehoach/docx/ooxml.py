"""The WordprocessingML that python-docx has no API for: PAGE fields, borders, table properties.

The only module that builds raw XML elements; the writer calls these by name.
"""

from __future__ import annotations

import re

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


# A hyphen between two non-blanks joins a name, symbol or year range (GDNN-GDTX, 119/GDĐT-HC,
# 2021-2025): written as Word's non-breaking hyphen, which LibreOffice honours too and PDF readers read
# as "-". A spaced dash between words ("phát triển - Thầy cô") is held to both neighbours by
# non-breaking spaces, so no line ends in " -" and none starts with a "- " that reads as an item.
_JOINS = re.compile(r"(?<=\S)-(?=\S)|\r\n|[\r\n\t]")
_SPACED_DASH = re.compile(r"(?<=.) ([-–]) (?=.)")
_BREAKS = {"-": "w:noBreakHyphen", "\r": "w:br", "\n": "w:br", "\t": "w:tab"}


def add_run(paragraph, text: str, bold: bool = False, italic: bool = False) -> None:
    """Append a run of text: its line breaks and tabs as <w:br/> and <w:tab/>, its joining hyphens
    unbreakable, its spaced dashes kept with their words (built directly: python-docx adds text
    character by character)."""
    r = _child(paragraph._p, "w:r")
    if bold or italic:
        properties = _child(r, "w:rPr")
        if bold:
            _child(properties, "w:b")
        if italic:
            _child(properties, "w:i")
    text = _SPACED_DASH.sub("\u00a0\\1\u00a0", text)
    start = 0
    for found in _JOINS.finditer(text):
        _text(r, text[start:found.start()])
        _child(r, _BREAKS[found.group()[0]])
        start = found.end()
    _text(r, text[start:])


def _text(run, text: str) -> None:
    if text:
        t = _child(run, "w:t")
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
