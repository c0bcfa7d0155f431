"""The WordprocessingML that python-docx has no API for: PAGE fields, borders, table properties.

The only module that builds raw XML elements; the writer calls these by name.
"""

from __future__ import annotations

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
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = _child(parent, tag, **attrs)
    sequence = SEQUENCES[parent.tag]
    later = sequence[sequence.index(element.tag) + 1:]
    following = next((child for child in parent if child.tag in later), None)
    if following is not None:
        following.addprevious(element)
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
