"""The WordprocessingML that python-docx has no API for: PAGE fields, borders, table properties, and
the copying of whole paragraphs and tables that makes a batch fast.

The only module that touches raw XML elements; the writer calls these by name.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree
from docx.document import Document
from docx.oxml import ns
from docx.shared import Length, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

TWIPS_PER_MM = 1440 / 25.4
# python-docx's qn splits the name and looks its prefix up at every call; the module names a few tags often
qn = cache(ns.qn)


def _twips(mm: float) -> str:
    return str(round(mm * TWIPS_PER_MM))


def _child(parent, tag: str, **attrs: str):
    """Append a new element with w:-prefixed attributes (made in place: a third of the cost of OxmlElement)."""
    element = etree.SubElement(parent, qn(tag))
    for name, value in attrs.items():
        element.set(qn(f"w:{name}"), value)
    return element


# The order ECMA-376 Part 1 gives the children of the property elements this module adds to an existing
# one of (§17.4.60 tblPr, §17.3.1.26 pPr): Word repairs, or refuses, a file with a child out of order.
SEQUENCES = {qn(parent): tuple(qn(tag) for tag in children) for parent, children in {
    "w:tblPr": ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblW", "w:jc", "w:tblCellSpacing",
                "w:tblInd", "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                "w:tblDescription", "w:tblPrChange"),
    "w:pPr": ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl", "w:numPr",
              "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
              "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
              "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
              "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
              "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange"),
}.items()}


def _property(parent, tag: str, **attrs: str):
    """Set parent's one child of this tag (replacing any there) at its place in the schema's sequence."""
    for old in list(parent.iterchildren(qn(tag))):
        parent.remove(old)
    element = _child(parent, tag, **attrs)
    sequence = SEQUENCES[parent.tag]
    later = sequence[sequence.index(element.tag) + 1:]
    following = next((child for child in parent if child.tag in later), None)
    if following is not None:
        following.addprevious(element)
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
    borders = _property(paragraph._p.get_or_add_pPr(), "w:pBdr")
    _child(borders, "w:top", val="single", sz=str(round(width_pt * 8)), space="0", color="000000")
    paragraph.paragraph_format.left_indent = Length(int(left_mm * 36000))
    paragraph.paragraph_format.right_indent = Length(int(right_mm * 36000))


def table_layout(table, widths_mm: list[float], indent_mm: float = 0, cell_margin_mm: float | None = None,
                 borders: bool = False) -> None:
    """Fixed column widths, an indent, optional cell margins and all-or-nothing single borders."""
    tbl = table._tbl
    tblPr = tbl.tblPr
    _property(tblPr, "w:tblW", w=_twips(sum(widths_mm)), type="dxa")
    _property(tblPr, "w:tblInd", w=_twips(indent_mm), type="dxa")
    edges = _property(tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        if borders:
            _child(edges, f"w:{edge}", val="single", sz="4", space="0", color="000000")
        else:
            _child(edges, f"w:{edge}", val="nil")
    _property(tblPr, "w:tblLayout", type="fixed")
    if cell_margin_mm is not None:
        margins = _property(tblPr, "w:tblCellMar")
        for edge in ("left", "right"):
            _child(margins, f"w:{edge}", w=_twips(cell_margin_mm), type="dxa")
    grid = tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_mm):
        col.set(qn("w:w"), _twips(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Length(int(width * 36000))


def keep(paragraph, lines: bool = False) -> None:
    """Keep a paragraph on the page of the next one (and, with lines, all its lines on one page). In a
    table row it keeps the row with the next: Word and LibreOffice both honour that, not a table's own."""
    properties = paragraph._p.get_or_add_pPr()
    _property(properties, "w:keepNext")
    if lines:
        _property(properties, "w:keepLines")


def space_before(paragraph, pt: float) -> None:
    """What `paragraph_format.space_before = Pt(pt)` writes (w:spacing/@w:before in twips, the w:spacing at its
    place in w:pPr), without python-docx's XPath searches for the elements on the way."""
    properties = paragraph._p.get_or_add_pPr()
    spacing = next(properties.iterchildren(qn("w:spacing")), None)
    if spacing is None:
        spacing = _property(properties, "w:spacing")
    spacing.set(qn("w:before"), str(Pt(pt).twips))


def span_row(row) -> None:
    """Make a row's first cell span the whole grid, the cells after it removed."""
    first, *rest = row._tr.tc_lst
    first.width = sum((tc.width for tc in rest), first.width)
    first.grid_span = 1 + len(rest)
    for tc in rest:
        row._tr.remove(tc)


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


_SECTION, _TABLE, _ROW, _CELL, _PARAGRAPH = qn("w:sectPr"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:p")


def clear_body(document: Document) -> None:
    """Remove every paragraph and table of the body, keeping its section properties (page set-up)."""
    body = document.element.body
    sections = body.findall(_SECTION)
    del body[:]  # at once: removing child by child searched the body for each
    body.extend(sections)


def detach(paragraph: Paragraph):
    """Take a paragraph out of its container; its element, to insert copies of with insert_copy."""
    element = paragraph._p
    element.getparent().remove(element)
    return element


def insert_copy(container, element) -> Paragraph | Table:
    """Append a copy of a paragraph or table element to a container (the document's body, before its
    section properties, or a cell), as python-docx would add a new one; its proxy."""
    owner = container._body if isinstance(container, Document) else container
    copy = element.__copy__()  # lxml copies the whole tree; copy.deepcopy's dispatch cost more than that
    table = copy.tag == _TABLE
    parent = owner._element
    last = parent[-1] if len(parent) else None
    # In the body before its section properties, where python-docx's own insert puts it after an XPath search
    if last is not None and last.tag == _SECTION:
        last.addprevious(copy)
    elif table:
        parent._insert_tbl(copy)
    else:
        parent._insert_p(copy)
    return Table(copy, owner) if table else Paragraph(copy, owner)


def empty_cell(table: Table, row: int, col: int) -> _Cell:
    """A table cell emptied of its placeholder paragraph; the caller must add at least one.
    (Our tables merge no cells, so the row's own cell list is the grid; table.cell() rebuilds it.)"""
    tc = list(list(table._tbl.iterchildren(_ROW))[row].iterchildren(_CELL))[col]  # python-docx's lists search by XPath
    for p in list(tc.iterchildren(_PARAGRAPH)):
        tc.remove(p)
    return _Cell(tc, table)


def own_last_paragraph(document: Document) -> Paragraph | None:
    """The body's last block if it is a paragraph (None for a table), replaced by a copy of itself: the
    paragraph there may be one the writer keeps for reuse, which the caller must not change."""
    body = document.element.body
    last = body[-2] if len(body) > 1 else None  # the last child is the section's properties
    if last is None or last.tag != qn("w:p"):
        return None
    kept = last.__copy__()
    last.addprevious(kept)
    body.remove(last)
    return Paragraph(kept, document._body)
