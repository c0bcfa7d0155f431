"""Lays a document tree out as DOCX, by the rules of nd30.py. python-docx is used only in kehoach/docx/.

The lean base document (kehoach/docx/base, stored unzipped) is read once per process; its styles
and page set-up are built once from nd30.py; each document then only clears the body, appends its
paragraphs and tables, and saves (package.py). One method per tree node, in reading order. Raw XML is
ooxml.py's.
"""

from __future__ import annotations

from collections import OrderedDict
from copy import deepcopy
from datetime import datetime, time
from functools import cache
from importlib.resources import files

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.table import Table

from kehoach import nd30
from kehoach.write import measure, metadata
from kehoach.write.docx import ooxml
from kehoach.write.docx.package import Package
from kehoach.tree import Bang, Cap, ChuKy, Doan, DongQuyetDinh, KinhGui, NoiNhan, PhanDau, TenLoai, VanBan

ALIGN = {"center": WD_ALIGN_PARAGRAPH.CENTER, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "left": WD_ALIGN_PARAGRAPH.LEFT}

# Paragraph style name → its nd30 rule. The names are those a clerk sees in Word's style list.
STYLES: dict[str, nd30.TextStyle] = {
    "KH Quốc hiệu": nd30.QUOC_HIEU,
    "KH Tiêu ngữ": nd30.TIEU_NGU,
    "KH Cơ quan chủ quản": nd30.CO_QUAN_CHU_QUAN,
    "KH Cơ quan ban hành": nd30.CO_QUAN_BAN_HANH,
    "KH Số ký hiệu": nd30.SO_KY_HIEU,
    "KH Địa danh ngày": nd30.DIA_DANH_NGAY,
    "KH Tên loại": nd30.TEN_LOAI,
    "KH Trích yếu": nd30.TRICH_YEU,
    "KH Thẩm quyền": nd30.THAM_QUYEN,
    "KH Quyết định": nd30.QUYET_DINH,
    "KH Trích yếu công văn": nd30.TRICH_YEU_CONG_VAN,
    "KH Kính gửi": nd30.KINH_GUI,
    "KH Kính gửi dòng": nd30.KINH_GUI_DONG,
    "KH Dấu": nd30.DAU,
    "KH Căn cứ": nd30.CAN_CU,
    "KH Đoạn": nd30.DOAN,
    "KH Mục": nd30.MUC,
    "KH Khoản tiêu đề": nd30.KHOAN_TIEU_DE,
    "KH Điều": nd30.DIEU,
    "KH Bảng": nd30.BANG_CHU,
    "KH Chữ ký": nd30.CHU_KY_QUYEN_HAN,
    "KH Họ tên": nd30.CHU_KY_HO_TEN,
    "KH Nơi nhận": nd30.NOI_NHAN_NHAN,
    "KH Nơi nhận dòng": nd30.NOI_NHAN_DONG,
    "KH Số trang": nd30.SO_TRANG,
    "KH Đường kẻ": nd30.RULE_LINE,
}


BUILT_PARAGRAPHS = 512  # paragraphs kept for reuse: more than a plan has, bounded over a long batch


class DocxWriter:
    """Writes VanBan trees to DOCX bytes, reusing one loaded base document."""

    def __init__(self) -> None:
        self.document = Document(str(files("kehoach.write.docx").joinpath("base")))
        self._build_styles()
        self._build_page()
        # Set-up is done with every part but the body and the core properties, which each document rewrites.
        self.package = Package(self.document)
        self.package.settle(self.document.part, self.package.core_properties_part)
        self._blank_paragraphs: dict = {}  # style name -> an empty paragraph of that style, to copy
        self._built: OrderedDict = OrderedDict()  # Doan or line -> its paragraph, most recently used last
        self._tables: dict = {}  # layout -> an empty laid-out table, to copy (a few per process)

    # -- set-up, once per process -------------------------------------------------------------
    def _build_styles(self) -> None:
        styles = self.document.styles
        ooxml.default_run_properties(styles.element, nd30.FONT, nd30.BODY_SIZE, nd30.LANGUAGE)
        self.styles = {}
        for name, rule in STYLES.items():
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
            style.quick_style = True
            style.font.size = Pt(rule.size)
            style.font.bold = rule.bold
            style.font.italic = rule.italic
            fmt = style.paragraph_format
            fmt.alignment = ALIGN[rule.align]
            fmt.first_line_indent = Mm(rule.first_line_indent_mm)
            fmt.space_before = Pt(rule.space_before)
            fmt.space_after = Pt(rule.space_after)
            fmt.line_spacing = rule.line_spacing
            fmt.keep_with_next = rule.keep_with_next
            fmt.widow_control = True
            self.styles[name] = style

    def _build_page(self) -> None:
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(nd30.PAGE_WIDTH_MM), Mm(nd30.PAGE_HEIGHT_MM)
        section.top_margin, section.bottom_margin = Mm(nd30.MARGIN_TOP_MM), Mm(nd30.MARGIN_BOTTOM_MM)
        section.left_margin, section.right_margin = Mm(nd30.MARGIN_LEFT_MM), Mm(nd30.MARGIN_RIGHT_MM)
        section.header_distance, section.footer_distance = Mm(nd30.HEADER_DISTANCE_MM), Mm(nd30.HEADER_DISTANCE_MM)
        # page.numbers: centred in the top margin from page 2; page 1 gets an empty first-page header.
        section.different_first_page_header_footer = True
        number = section.header.paragraphs[0]
        number.style = self.styles["KH Số trang"]
        ooxml.page_field(number)
        section.first_page_header.paragraphs[0].style = self.styles["KH Số trang"]

    # -- one document ---------------------------------------------------------------------------
    def write(self, doc: VanBan) -> bytes:
        """The DOCX file of one document, as bytes."""
        ooxml.clear_body(self.document)
        if doc.phan_dau.luu_hanh:  # ô 11: above the national title, centred on its column
            width = measure.text_width_mm(doc.phan_dau.luu_hanh, nd30.DAU.size, True) + 2 * nd30.LUU_HANH_LE_MM
            right_start = nd30.HEADER_LEFT_MM - nd30.HEADER_OUTDENT_MM
            self._box(self.document, doc.phan_dau.luu_hanh, width, right_start + (nd30.HEADER_RIGHT_MM - width) / 2)
        self._phan_dau(doc.phan_dau)
        if doc.ten_loai.ten_loai:  # a công văn has no title line: its abstract is in the header
            self._ten_loai(doc.ten_loai)
        if doc.tham_quyen:
            self._tham_quyen(doc.tham_quyen)
        if doc.kinh_gui:
            self._kinh_gui(doc.kinh_gui)
        for block in doc.than:
            if isinstance(block, Bang):
                self._bang(block)
            elif isinstance(block, DongQuyetDinh):
                self._para(self.document, "KH Quyết định", block.text)
            else:
                self._doan(self.document, block)
        self._chu_ky(doc.chu_ky, doc.noi_nhan)
        props = self.document.core_properties
        # What an e-office system reads (LibreOffice carries these into the PDF); Word's File → Info holds
        # at most 255 characters a property, so a long abstract is cut there.
        props.title = metadata.title(doc)[:255]
        props.author = metadata.authors(doc)[:255]
        props.subject = metadata.subject(doc)[:255]
        props.keywords = metadata.keywords(doc)[:255]
        props.last_modified_by = metadata.CREATOR
        # File → Info shows the issue date, not the moment of rendering: the same plan gives the same file.
        issued = datetime.combine(doc.ngay or datetime(2000, 1, 1).date(), time())
        props.created = props.modified = issued
        return self.package.save(issued)

    def _add_paragraph(self, container, style: str):
        """An empty paragraph of one of our styles, as python-docx would add it, but a copy of a paragraph
        made once per style: python-docx's style setter rescans the styles on every call, and building
        elements through it was most of the writing time of a batch."""
        blank = self._blank_paragraphs.get(style)
        if blank is None:
            blank = self._blank_paragraphs[style] = ooxml.detach(self.document.add_paragraph(style=self.styles[style]))
        return ooxml.insert_copy(container, blank)

    def _para(self, container, style: str, text: str = ""):
        """A paragraph of one style and text: a copy of the one built before for them (a batch writes the
        same ones in every plan). What is kept is a copy, as callers may change the paragraph returned."""
        key = (style, text)
        paragraph = self._reuse(container, key)
        if paragraph is None:
            rule = STYLES[style]
            paragraph = self._add_paragraph(container, style)
            if text:
                ooxml.add_run(paragraph, text.upper() if rule.upper else text)
            self._keep(key, deepcopy(paragraph._p))
        return paragraph

    def _reuse(self, container, key):
        """Insert a copy of the paragraph built before for key (a batch writes the same ones in every
        plan) and return it; None when there is none."""
        built = self._built.get(key)
        if built is None:
            return None
        self._built.move_to_end(key)
        return ooxml.insert_copy(container, built)

    def _keep(self, key, element) -> None:
        """Remember a finished paragraph's element for _reuse (unchanged after: a paragraph of the body
        leaves it at the next write)."""
        self._built[key] = element
        if len(self._built) > BUILT_PARAGRAPHS:
            self._built.popitem(last=False)

    def _line(self, container, text_mm: float, box_mm: float) -> None:
        """A rule line of text_mm, centred in a box of box_mm (a cell's or the page's text width)."""
        side = max(0.0, (box_mm - text_mm) / 2)
        if self._reuse(container, ("line", side)) is None:
            paragraph = self._add_paragraph(container, "KH Đường kẻ")
            ooxml.line_paragraph(paragraph, side, side, nd30.LINE_WIDTH_PT)
            self._keep(("line", side), paragraph._p)

    def _table(self, rows: int, cols: int, widths_mm: list[float], span_last_row: bool = False, **layout) -> Table:
        """An empty table laid out by ooxml.table_layout (its last row one cell across, if asked): a copy of
        the one built for the same layout."""
        key = (rows, cols, tuple(widths_mm), span_last_row, tuple(sorted(layout.items())))
        laid_out = self._tables.get(key)
        if laid_out is None:
            table = self.document.add_table(rows=rows, cols=cols)
            ooxml.table_layout(table, widths_mm, **layout)
            if span_last_row:
                ooxml.span_row(table.rows[-1])
            self._tables[key] = deepcopy(table._tbl)
            return table
        return ooxml.insert_copy(self.document, laid_out)

    @staticmethod
    def _name_lines(text: str, style: str, width_mm: float, bold: bool | None = None) -> list[str]:
        """A name broken by kehoach into balanced lines that fit width_mm (issuer.name, sign.joint, a
        table's header): Word's own wrapping would leave a word alone ("… HÒA" / "XÁ")."""
        rule = STYLES[style]
        return [line for part in (text.upper() if rule.upper else text).split("\n")
                for line in measure.break_lines(part, rule.size, rule.bold if bold is None else bold, width_mm)]

    def _phan_dau(self, head: PhanDau) -> None:
        left, right = nd30.HEADER_LEFT_MM, nd30.HEADER_RIGHT_MM
        table = self._table(2, 2, [left, right], indent_mm=-nd30.HEADER_OUTDENT_MM, cell_margin_mm=nd30.CELL_MARGIN_MM)
        inner_left, inner_right = left - 2 * nd30.CELL_MARGIN_MM, right - 2 * nd30.CELL_MARGIN_MM

        issuers = ooxml.empty_cell(table, 0, 0)
        for body in head.co_quan:
            if body.chu_quan:
                chu_quan = self._name_lines(body.chu_quan, "KH Cơ quan chủ quản", inner_left)
                self._para(issuers, "KH Cơ quan chủ quản", "\n".join(chu_quan))
            lines = self._name_lines(body.ten, "KH Cơ quan ban hành", inner_left)
            self._para(issuers, "KH Cơ quan ban hành", "\n".join(lines))
            # issuer.line: a fraction of the name's longest printed line
            rule = nd30.CO_QUAN_BAN_HANH
            name_mm = max(measure.text_width_mm(line, rule.size, rule.bold) for line in lines)
            self._line(issuers, nd30.LINE_UNDER_TEXT_FRACTION * min(name_mm, inner_left), inner_left)

        nation = ooxml.empty_cell(table, 0, 1)
        self._para(nation, "KH Quốc hiệu", nd30.QUOC_HIEU_TEXT)
        self._para(nation, "KH Tiêu ngữ", nd30.TIEU_NGU_TEXT)
        motto_mm = measure.text_width_mm(nd30.TIEU_NGU_TEXT, nd30.TIEU_NGU.size, nd30.TIEU_NGU.bold)
        self._line(nation, motto_mm, inner_right)  # header.tieu-ngu-line: as long as the motto

        number = ooxml.empty_cell(table, 1, 0)
        self._para(number, "KH Số ký hiệu", head.so_ky_hieu)
        if head.trich_yeu:  # cv.trich-yeu: centred under the number, in balanced lines
            self._para(number, "KH Trích yếu công văn", "\n".join(self._name_lines(head.trich_yeu, "KH Trích yếu công văn", inner_left)))
        if head.do_khan:  # ô 10b: the urgency stamp's box, centred under the number
            width = nd30.DO_KHAN_MM[head.do_khan]
            self._box(number, head.do_khan, width, (inner_left - width) / 2)
        self._para(ooxml.empty_cell(table, 1, 1), "KH Địa danh ngày", head.dia_danh_ngay)

    def _box(self, container, text: str, width_mm: float, indent_mm: float) -> None:
        """A mark in a single-bordered box of width_mm × DAU_CAO_MM (a one-cell table, which Word and LibreOffice
        both draw to size), indent_mm from the container's left edge, then the paragraph a cell or the body
        needs after a table."""
        table = self._table(1, 1, [width_mm], indent_mm=indent_mm, cell_margin_mm=0, borders=True)
        row = table.rows[0]
        row.height, row.height_rule = Mm(nd30.DAU_CAO_MM), WD_ROW_HEIGHT_RULE.EXACTLY
        cell = ooxml.empty_cell(table, 0, 0)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        self._para(cell, "KH Dấu", text)
        after = self._para(container, "KH Đường kẻ")
        after._p.addprevious(table._tbl)  # moved from the body into the container, before its closing paragraph

    def _kinh_gui(self, part: KinhGui) -> None:
        """kinh-gui.*: one addressee on the line of "Kính gửi:", centred; several under it, one a line, each
        "-" lined up under the colon and its text at a tab (a wrapped line goes back to the text, not the dash),
        the block centred on the page."""
        label = nd30.KINH_GUI_TEXT
        if len(part.cac_noi) == 1:
            self._para(self.document, "KH Kính gửi", f"{label} {part.cac_noi[0]}")
            return
        rule = nd30.KINH_GUI_DONG
        lines = [f"{name};" for name in part.cac_noi[:-1]] + [f"{part.cac_noi[-1]}."]
        colon = measure.text_width_mm(label[:-1], rule.size, rule.bold)
        dash = measure.text_width_mm("- ", rule.size, rule.bold)
        widest = max(measure.text_width_mm(line, rule.size, rule.bold) for line in lines)
        left = max(0.0, (nd30.TEXT_WIDTH_MM - colon - dash - widest) / 2)
        heading = self._para(self.document, "KH Kính gửi", label)
        heading.alignment = ALIGN["left"]
        heading.paragraph_format.left_indent = Mm(left)
        heading.paragraph_format.space_after = Pt(0)
        for line in lines:
            paragraph = self._para(self.document, "KH Kính gửi dòng", f"-\t{line}")
            fmt = paragraph.paragraph_format
            fmt.left_indent, fmt.first_line_indent = Mm(left + colon + dash), Mm(-dash)
            fmt.tab_stops.add_tab_stop(Mm(left + colon + dash))
        fmt.space_after = Pt(nd30.KINH_GUI.space_after)

    def _ten_loai(self, title: TenLoai) -> None:
        self._para(self.document, "KH Tên loại", title.ten_loai)
        # title.trich-yeu: a centred abstract broken into balanced lines, never a word alone on the last
        text_mm = nd30.TEXT_WIDTH_MM
        lines = self._name_lines(title.trich_yeu, "KH Trích yếu", text_mm)
        self._para(self.document, "KH Trích yếu", "\n".join(lines))
        widest = max(measure.text_width_mm(line, nd30.TRICH_YEU.size, True) for line in lines)
        self._line(self.document, nd30.LINE_UNDER_TEXT_FRACTION * min(widest, text_mm), text_mm)

    def _tham_quyen(self, text: str) -> None:
        """qd.tham-quyen: the authority line, centred, broken into balanced lines when long."""
        self._para(self.document, "KH Thẩm quyền", "\n".join(self._name_lines(text, "KH Thẩm quyền", nd30.TEXT_WIDTH_MM)))

    def _doan(self, container, block: Doan) -> None:
        if self._reuse(container, block) is not None:
            return
        if block.can_cu:
            style = "KH Căn cứ"
        elif block.cap is Cap.MUC:
            style = "KH Mục"
        elif block.cap is Cap.DIEU and block.tieu_de:
            style = "KH Điều"
        elif block.tieu_de:
            style = "KH Khoản tiêu đề"
        else:
            style = "KH Đoạn"
        upper = STYLES[style].upper
        paragraph = self._add_paragraph(container, style)
        if block.nhan:  # dieu.label: "Điều 1." bold also before an article's sentence
            ooxml.add_run(paragraph, block.nhan + " ", bold=block.cap is Cap.DIEU and not block.tieu_de)
        for run in block.runs:
            ooxml.add_run(paragraph, run.text.upper() if upper else run.text, run.bold, run.italic)
        self._keep(block, paragraph._p)

    def _bang(self, block: Bang) -> None:
        # The sentence that introduces a table ("… gồm các ông (bà) có tên sau:") stays on the table's page.
        introduction = ooxml.own_last_paragraph(self.document)
        if introduction is not None:
            ooxml.keep(introduction)
        widths = column_widths(block)
        centred = [all(len(row[col]) <= nd30.BANG_SO_KY_TU_GIUA for row in block.dong) for col in range(len(widths))]
        table = self.document.add_table(rows=1 + len(block.dong), cols=len(widths))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        ooxml.table_layout(table, widths, cell_margin_mm=nd30.BANG_LE_O_MM, borders=True)
        last = len(block.dong)
        for row_index, texts in enumerate((block.tieu_de_cot, *block.dong)):
            header = row_index == 0
            ooxml.row_properties(table.rows[row_index], header=header)
            # The header row kept with the first row, the last two rows with each other: no header alone at
            # the foot of a page, no last row alone under a repeated header.
            kept = header or (row_index == last - 1 and last > 1)
            for col, text in enumerate(texts):
                if header:  # a header that must wrap breaks into balanced lines ("Đơn vị" / "chủ trì")
                    text = "\n".join(self._name_lines(text, "KH Bảng", widths[col] - 2 * nd30.BANG_LE_O_MM, bold=True))
                paragraph = self._para(ooxml.empty_cell(table, row_index, col), "KH Bảng", text)
                if header or centred[col]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                if header:
                    for run in paragraph.runs:
                        run.bold = True
                if kept:
                    ooxml.keep(paragraph)
        self._para(self.document, "KH Đoạn")  # Word needs a paragraph between a table and what follows

    def _signature_lines(self, signer: ChuKy, width_mm: float) -> list[str]:
        """The title lines of a signature block (unit, authority, position), each broken to fit."""
        return ["\n".join(self._name_lines(line, "KH Chữ ký", width_mm))
                for line in (signer.don_vi, signer.quyen_han, signer.chuc_vu) if line]

    def _signature(self, cell, signer: ChuKy, titles: list[str], extra: int = 0) -> None:
        """A signature block; extra blank lines put its name level with a neighbour's taller titles."""
        for line in titles:
            self._para(cell, "KH Chữ ký", line)
        for _ in range(nd30.CHU_KY_KHOANG_TRONG + extra):
            self._para(cell, "KH Chữ ký")
        self._para(cell, "KH Họ tên", signer.ho_ten)

    def _recipients(self, container, recipients: NoiNhan) -> None:
        self._para(container, "KH Nơi nhận", "Nơi nhận:")
        for name in recipients.cac_noi:
            self._para(container, "KH Nơi nhận dòng", f"- {name};")
        self._para(container, "KH Nơi nhận dòng", f"- Lưu: {recipients.luu}.")

    def _chu_ky(self, signers: tuple[ChuKy, ...], recipients: NoiNhan) -> None:
        # recip.place: level with the signer's title on its left; for joint documents in a second row
        # under the signatures, across the width, that row kept with the first (Word and LibreOffice
        # keep rows together, not a table with the paragraphs after it).
        joint = len(signers) > 1
        below = joint and bool(recipients.cac_noi)  # a memorandum has no recipients: each party keeps its copies
        # sign.joint: half the gap as each cell's margin, so that side-by-side blocks never read as one
        # line; the table reaches that margin into the page's, so "Nơi nhận" stays flush with the body.
        margin = nd30.CHU_KY_KHOANG_CACH_MM / 2
        half = nd30.TEXT_WIDTH_MM / 2 + margin
        widths = [half - 10, half + 10] if not joint else [half, half]
        self._keep_with_signature()
        table = self._table(2 if below else 1, 2, widths, span_last_row=below, indent_mm=-margin, cell_margin_mm=margin)
        for row in table.rows:
            ooxml.row_properties(row)
        if joint:
            titles = [self._signature_lines(signer, widths[col] - 2 * margin) for col, signer in enumerate(signers)]
            height = [sum(line.count("\n") + 1 for line in lines) for lines in titles]
            for col, signer in enumerate(signers):
                self._signature(ooxml.empty_cell(table, 0, col), signer, titles[col], max(height) - height[col])
        else:
            self._recipients(ooxml.empty_cell(table, 0, 0), recipients)
            titles = self._signature_lines(signers[0], widths[1] - 2 * margin)
            self._signature(ooxml.empty_cell(table, 0, 1), signers[0], titles)
        for cell in table.rows[0].cells:
            ooxml.space_before(cell.paragraphs[0], nd30.NOI_NHAN_NHAN.space_before)
        if below:  # the signature row's paragraphs are kept with the next (their styles): with this row
            self._recipients(ooxml.empty_cell(table, 1, 0), recipients)

    def _keep_with_signature(self) -> None:
        """The body's last paragraph kept whole and on the page of the signatures: a last page never
        holds only the signatures and recipients. A copy is changed: the one built may be reused."""
        last = ooxml.own_last_paragraph(self.document)
        if last is not None:
            ooxml.keep(last, lines=True)


def column_widths(block: Bang) -> list[float]:
    """Column widths in mm filling the text width in the given proportions, none narrower than its longest word."""
    size, padding = nd30.BANG_CHU.size, 2 * nd30.BANG_LE_O_MM + 0.5
    least = []
    for col, head in enumerate(block.tieu_de_cot):
        head_words = [measure.text_width_mm(w, size, bold=True) for w in head.split()]
        cell_words = [measure.text_width_mm(w, size) for row in block.dong for w in row[col].split()]
        least.append(max(head_words + cell_words + [0.0]) + padding)
    fixed: dict[int, float] = {}
    while True:  # widen the columns too narrow for a word, share what is left among the others
        free = [c for c in range(len(least)) if c not in fixed]
        room = nd30.TEXT_WIDTH_MM - sum(fixed.values())
        share = sum(block.do_rong[c] for c in free)
        widths = {c: room * block.do_rong[c] / share for c in free}
        narrow = {c: least[c] for c in free if widths[c] < least[c]}
        if not narrow or len(narrow) == len(free):
            return [fixed.get(c, widths.get(c, 0.0)) for c in range(len(least))]
        fixed.update(narrow)


@cache
def writer() -> DocxWriter:
    """The process's one writer (the base document is read and styled once)."""
    return DocxWriter()


def write_docx(doc: VanBan) -> bytes:
    """The DOCX file of a document tree, as bytes."""
    return writer().write(doc)
