"""Layout rules of Decree 30/2020/NĐ-CP, Appendix I, as data. The writer reads them; nothing else does.
(How long a text prints, and where a name breaks, is measure.py's.)

Each constant names the rule id of ../shared/nd30.md (kept as docs/nd30.md's source of truth) that it
implements. Sizes are in points, lengths in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass

FONT = "Times New Roman"  # font.face: every run, every script slot
LANGUAGE = "vi-VN"

# page.paper, page.margins
PAGE_WIDTH_MM = 210
PAGE_HEIGHT_MM = 297
MARGIN_TOP_MM = 20
MARGIN_BOTTOM_MM = 20
MARGIN_LEFT_MM = 30
MARGIN_RIGHT_MM = 15
HEADER_DISTANCE_MM = 10  # page.numbers: the number sits inside the top margin
TEXT_WIDTH_MM = PAGE_WIDTH_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM

# Header table (I §IV): issuing body left, national title right. The Quốc hiệu at 12 pt bold is
# 85 mm long and a managing body such as "SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI" at 13 pt 72 mm, so, as
# offices do, the header table reaches 5 mm into each side margin to keep both on one line.
HEADER_OUTDENT_MM = 5
HEADER_LEFT_MM = 82
HEADER_RIGHT_MM = TEXT_WIDTH_MM + 2 * HEADER_OUTDENT_MM - HEADER_LEFT_MM
CELL_MARGIN_MM = 1


@dataclass(frozen=True)
class TextStyle:
    """How one element of the document is set: size, weight, slant, alignment, spacing."""

    size: float
    bold: bool = False
    italic: bool = False
    align: str = "center"  # center | justify | left
    first_line_indent_mm: float = 0
    space_before: float = 0
    space_after: float = 0
    line_spacing: float = 1.0  # in lines
    upper: bool = False  # the element is printed in capitals whatever the YAML says
    keep_with_next: bool = False


QUOC_HIEU_TEXT = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU_TEXT = "Độc lập - Tự do - Hạnh phúc"

QUOC_HIEU = TextStyle(12, bold=True, upper=True)  # header.quoc-hieu
TIEU_NGU = TextStyle(13, bold=True)  # header.tieu-ngu (single spacing, right under the Quốc hiệu)
CO_QUAN_CHU_QUAN = TextStyle(13, upper=True)  # issuer.chu-quan: capitals, not bold
CO_QUAN_BAN_HANH = TextStyle(13, bold=True, upper=True)  # issuer.name
SO_KY_HIEU = TextStyle(13, space_before=6)  # number.format
DIA_DANH_NGAY = TextStyle(14, italic=True, space_before=6)  # date.format
TEN_LOAI = TextStyle(14, bold=True, upper=True, space_before=18, keep_with_next=True)  # title.ten-loai
TRICH_YEU = TextStyle(14, bold=True, keep_with_next=True)  # title.trich-yeu
# qd.tham-quyen: a decision's authority line, between the abstract's line and the căn cứ (Mẫu 1.2, 1.3)
THAM_QUYEN = TextStyle(14, bold=True, upper=True, space_before=6, space_after=6, keep_with_next=True)
# qd.quyet-dinh: "QUYẾT ĐỊNH:" between the căn cứ and Điều 1, kept with it
QUYET_DINH = TextStyle(14, bold=True, upper=True, space_before=6, space_after=6, keep_with_next=True)
# cv.trich-yeu: a công văn's "V/v …" under the number in its cell, 12 pt (the decree's example), 6 pt below it.
TRICH_YEU_CONG_VAN = TextStyle(12, space_before=6)

# kinh-gui.format, kinh-gui.style, kinh-gui.align: "Kính gửi:" 14 pt upright, one addressee on its line
# (centred, as Mẫu 1.4/1.5 show it), several each on a line of its own, the dashes under the colon.
KINH_GUI_TEXT = "Kính gửi:"
KINH_GUI = TextStyle(14, space_before=12, space_after=6, keep_with_next=True)
KINH_GUI_DONG = TextStyle(14, align="left", keep_with_next=True)

# Phụ lục I §III.2.b, c: the urgency mark (ô 10b, under the number) and the circulation mark (ô 11, above the
# national title), bold capitals 13 pt, centred in a single-bordered box. The urgency stamps' sizes are the
# decree's: 20 × 8 mm KHẨN, 40 × 8 mm THƯỢNG KHẨN, 30 × 8 mm HỎA TỐC; the circulation mark's box is as wide as
# its text and a margin each side, as tall as the stamps.
DAU = TextStyle(13, bold=True, upper=True)
DO_KHAN_MM = {"KHẨN": 20, "THƯỢNG KHẨN": 40, "HỎA TỐC": 30}
DAU_CAO_MM = 8
LUU_HANH_LE_MM = 3

# body.text, body.indent, body.paragraph-spacing, body.line-spacing
BODY_SIZE = 14
BODY_INDENT_MM = 12.7
BODY_SPACE_AFTER = 6
BODY_LINE_SPACING = 1.15
DOAN = TextStyle(BODY_SIZE, align="justify", first_line_indent_mm=BODY_INDENT_MM,
                 space_after=BODY_SPACE_AFTER, line_spacing=BODY_LINE_SPACING)
CAN_CU = TextStyle(BODY_SIZE, italic=True, align="justify", first_line_indent_mm=BODY_INDENT_MM,
                   space_after=BODY_SPACE_AFTER, line_spacing=BODY_LINE_SPACING)  # body.can-cu
# num.muc: Roman, capitals, bold; num.khoan: a titled clause is bold; the rest as body text.
MUC = TextStyle(BODY_SIZE, bold=True, upper=True, align="justify", first_line_indent_mm=BODY_INDENT_MM,
                space_before=6, space_after=BODY_SPACE_AFTER, line_spacing=BODY_LINE_SPACING,
                keep_with_next=True)
KHOAN_TIEU_DE = TextStyle(BODY_SIZE, bold=True, align="justify", first_line_indent_mm=BODY_INDENT_MM,
                          space_after=BODY_SPACE_AFTER, line_spacing=BODY_LINE_SPACING, keep_with_next=True)
# dieu.label, dieu.indent, dieu.title (I §II.6.đ): "Điều", its number, "." and its title on one line, body size,
# upright, bold, indented. An article written as a sentence is body text (DOAN) after its bold label.
DIEU = TextStyle(BODY_SIZE, bold=True, align="justify", first_line_indent_mm=BODY_INDENT_MM, space_before=6,
                 space_after=BODY_SPACE_AFTER, line_spacing=BODY_LINE_SPACING, keep_with_next=True)
# table.*: cells 13 pt single-spaced; the header row bold, centred and repeated on every page; no row split
# across pages; borders on every edge; columns fill the text width (practice for timetables and results).
BANG_CHU = TextStyle(13, align="left", line_spacing=1.0, space_before=2, space_after=2)  # table cells
BANG_LE_O_MM = 1.5  # left and right padding inside a cell
BANG_SO_KY_TU_GIUA = 4  # a column whose cells are all this short (TT, numbers) is centred

# sign.*: title bold capitals, name bold, room for signature and seal
# Kept with the next: a signature row stays on the page of the recipients' row under it.
CHU_KY_QUYEN_HAN = TextStyle(14, bold=True, upper=True, keep_with_next=True)
CHU_KY_HO_TEN = TextStyle(14, bold=True, keep_with_next=True)
CHU_KY_KHOANG_TRONG = 4  # blank lines between title and name (sign.space)
CHU_KY_KHOANG_CACH_MM = 6  # sign.joint: at least 5 mm between side-by-side blocks, so they never read as one line
# recip.*
NOI_NHAN_NHAN = TextStyle(12, bold=True, italic=True, align="left", space_before=12)
NOI_NHAN_DONG = TextStyle(11, align="left")
# page.numbers
SO_TRANG = TextStyle(14)

# Lines: header.tieu-ngu-line as long as the motto; issuer.line and title.line 1/3–1/2 of the text.
LINE_UNDER_TEXT_FRACTION = 0.4
LINE_WIDTH_PT = 0.75
# The line is the top border of an empty 1 pt paragraph; its spacing keeps it off the descenders above.
RULE_LINE = TextStyle(1, space_before=3, space_after=4)

# num.diem: the decree's own letter sequence (no f, j, w, z)
DIEM_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
         (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    """I, II, III … for section (mục) numbers."""
    out = []
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def diem_letter(index: int) -> str:
    """a, b, … y, then aa, bb … for the index-th point (0-based)."""
    rounds, pos = divmod(index, len(DIEM_LETTERS))
    return DIEM_LETTERS[pos] * (rounds + 1)
