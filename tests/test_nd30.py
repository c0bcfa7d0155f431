"""What a receiving office checks against Decree 30 (../shared/nd30.md), read back from the rendered DOCX.

Each test names the rule ids it covers. Formatting is resolved as Word does (run → paragraph style →
basedOn → docDefaults, tests/docxread.py); rule lines are measured with Times New Roman's widths.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from support import EXAMPLES
from docx.shared import Mm
from docx.table import Table
from docxread import (
    W, all_paragraphs, blocks, cell_margin_mm, cell_width_mm, open_docx, para_format, read, run_format, runs_format,
    top_border,
)

from kehoach.write.measure import text_width_mm
from kehoach.pipeline import render

SINGLE = "ke-hoach-586-gdnn-gdtx-thanh-tri"
JOINT = "ke-hoach-lien-truong-hoa-sua-tien-phong-b"
BOTH = [SINGLE, JOINT]
TNR = "Times New Roman"


# -- reading a rendered plan -----------------------------------------------------------------------
def variant(tmp_path: Path, stem: str, change) -> bytes:
    """The DOCX of an example plan after change(data) edits its YAML data (schools file kept beside it)."""
    data = yaml.safe_load((EXAMPLES / f"{stem}.yaml").read_text("utf-8"))
    change(data)
    shutil.copy(EXAMPLES / "truong.yaml", tmp_path / "truong.yaml")
    path = tmp_path / f"{stem}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return render(path)[1].docx


class CheckedDocument:
    """A rendered plan split into the parts a reader sees: header, title, body, signature, recipients."""

    def __init__(self, data: bytes):
        self.document = open_docx(data)
        section = self.document.sections[0]
        self.text_width_mm = (section.page_width - section.left_margin - section.right_margin) / Mm(1)
        found = list(blocks(self.document))
        tables = [i for i, b in enumerate(found) if isinstance(b, Table)]
        self.header: Table = found[tables[0]]
        self.signature: Table = found[tables[-1]]
        after_header = found[tables[0] + 1:tables[-1]]
        self.title, self.abstract, self.title_line = after_header[:3]
        self.body = [b for b in after_header[3:] if not isinstance(b, Table)]
        self.after_signature = found[tables[-1] + 1:]

    def cell(self, row: int, col: int) -> list:
        return self.header.cell(row, col).paragraphs

    def inner_mm(self, table: Table, row: int, col: int) -> float:
        """Text width of a cell: its width less both cell margins."""
        return cell_width_mm(table.cell(row, col)) - 2 * cell_margin_mm(table)

    def body_texts(self) -> list[str]:
        return [p.text for p in self.body if p.text]


@pytest.fixture(scope="module")
def plans(rendered) -> dict[str, CheckedDocument]:
    return {stem: CheckedDocument(data) for stem, data in rendered.items()}


def line_mm(paragraph, box_mm: float) -> float:
    """Length of a rule line: the box less the paragraph's left and right indents."""
    fmt = para_format(paragraph)
    return box_mm - fmt["left_mm"] - fmt["right_mm"]


def assert_rule_line(paragraph, box_mm: float) -> float:
    """The paragraph is a solid black line, centred in its box; returns its length."""
    border = top_border(paragraph)
    assert border is not None and border.get(f"{W}val") == "single", "a solid line is expected here"
    assert border.get(f"{W}color") in ("000000", "auto")
    assert paragraph.text == ""
    fmt = para_format(paragraph)
    assert fmt["left_mm"] == pytest.approx(fmt["right_mm"], abs=0.1), "the line must be centred"
    return line_mm(paragraph, box_mm)


def assert_text(paragraph, size: tuple[float, float], bold: bool, italic: bool = False, align: str | None = "center"):
    """Every run of the paragraph has a size in the range, the weight and slant given; and the alignment."""
    formats = runs_format(paragraph)
    assert formats, f"no text in {paragraph.text!r}"
    for fmt in formats:
        assert size[0] <= fmt["size"] <= size[1], (paragraph.text, fmt["size"])
        assert fmt["bold"] is bold, (paragraph.text, "bold")
        assert fmt["italic"] is italic, (paragraph.text, "italic")
    if align:
        assert para_format(paragraph)["align"] == align, paragraph.text


# -- page and font ---------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", BOTH)
def test_page_paper_and_margins(plans, stem):
    """page.paper, page.margins"""
    section = plans[stem].document.sections[0]
    twip = 25.4 / 1440  # DOCX stores lengths in twips: 15 mm is 850 twips, 14.993 mm

    def within(length, low: float, high: float) -> bool:
        return low - twip <= length / Mm(1) <= high + twip

    assert within(section.page_width, 210, 210) and within(section.page_height, 297, 297)
    assert section._sectPr.find(f"{W}pgSz").get(f"{W}orient") in (None, "portrait")
    assert within(section.top_margin, 20, 25) and within(section.bottom_margin, 20, 25)
    assert within(section.left_margin, 30, 35) and within(section.right_margin, 15, 20)


@pytest.mark.parametrize("stem", BOTH)
def test_page_numbers_top_centre_not_on_page_one(plans, stem):
    """page.numbers"""
    section = plans[stem].document.sections[0]
    assert section.different_first_page_header_footer, "titlePg: page 1 has its own (empty) header"
    assert section.header_distance < section.top_margin, "the number sits inside the top margin"
    (number,) = [p for p in section.header.paragraphs if p._p.findall(f".//{W}fldChar")]
    instructions = "".join(t.text for t in number._p.iter(f"{W}instrText"))
    assert instructions.split() == ["PAGE"]
    numbering = section._sectPr.find(f"{W}pgNumType")
    assert numbering is None or numbering.get(f"{W}fmt") in (None, "decimal"), "Arabic numerals"
    assert "\\*" not in instructions, "no field switch turning the number into words or Roman numerals"
    assert para_format(number)["align"] == "center"
    fmt = run_format(number, number.runs[0])
    assert 13 <= fmt["size"] <= 14 and not fmt["italic"]
    first = section.first_page_header
    assert not first.is_linked_to_previous
    assert all(p.text == "" for p in first.paragraphs)
    assert not first._element.findall(f".//{W}fldChar") and not first._element.findall(f".//{W}fldSimple")


@pytest.mark.parametrize("stem", BOTH)
def test_font_times_new_roman_black_everywhere(plans, stem):
    """font.face"""
    document = plans[stem].document
    styles = document.styles.element
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    fonts = defaults.find(f"{W}rFonts")
    assert {slot: fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == dict.fromkeys(
        ("ascii", "hAnsi", "cs", "eastAsia"), TNR)
    assert defaults.find(f"{W}color").get(f"{W}val") == "000000"
    section = document.sections[0]
    parts = [styles, document.element, section.header._element, section.first_page_header._element]
    for part in parts:
        for element in part.iter(f"{W}rFonts"):
            named = {k.split("}")[1]: v for k, v in element.attrib.items()}
            assert not any(k.endswith("Theme") for k in named), "a theme font would override Times New Roman"
            assert set(named.values()) <= {TNR}, named
        for element in part.iter(f"{W}color"):
            assert element.get(f"{W}val") in ("000000", "auto")
        assert not list(part.iter(f"{W}highlight")) and not list(part.iter(f"{W}shd"))
    paragraphs = all_paragraphs(document)
    assert len(paragraphs) > 40
    for paragraph in paragraphs:
        for fmt in runs_format(paragraph):
            assert set(fmt["fonts"].values()) == {TNR} and fmt["color"] == "000000", paragraph.text


# -- header ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", BOTH)
def test_header_two_borderless_columns(plans, stem):
    """Header (I §IV): issuer and number left in about the first 45 %, national title and date right"""
    header = plans[stem].header
    assert len(header.columns) == 2 and len(header.rows) == 2
    left, right = (cell_width_mm(cell) for cell in header.rows[0].cells)
    assert 0.4 <= left / (left + right) <= 0.5
    borders = header._tbl.find(f"{W}tblPr/{W}tblBorders")
    assert all(edge.get(f"{W}val") in ("nil", "none") for edge in borders)


@pytest.mark.parametrize("stem", BOTH)
def test_national_title_motto_and_its_line(plans, stem):
    """header.quoc-hieu, header.tieu-ngu, header.tieu-ngu-line"""
    plan = plans[stem]
    quoc_hieu, tieu_ngu, line, *rest = plan.cell(0, 1)
    assert quoc_hieu.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert_text(quoc_hieu, (12, 13), bold=True)
    assert read(tieu_ngu.text) == "Độc lập - Tự do - Hạnh phúc"
    assert_text(tieu_ngu, (13, 14), bold=True)
    # single spacing between them: no space added, single lines
    assert para_format(quoc_hieu)["line"] == para_format(tieu_ngu)["line"] == 1.0
    assert para_format(quoc_hieu)["after_pt"] == para_format(tieu_ngu)["before_pt"] == 0
    motto_mm = text_width_mm(tieu_ngu.text, runs_format(tieu_ngu)[0]["size"], bold=True)
    assert assert_rule_line(line, plan.inner_mm(plan.header, 0, 1)) == pytest.approx(motto_mm, abs=1.0)
    assert rest == []


def issuer_groups(plan: CheckedDocument) -> list[tuple]:
    """(managing body, name, line) paragraphs of each issuing body in the header's left cell."""
    paragraphs = plan.cell(0, 0)
    return [tuple(paragraphs[i:i + 3]) for i in range(0, len(paragraphs), 3)]


@pytest.mark.parametrize(("stem", "names"), [
    (SINGLE, [["TRUNG TÂM GDNN-GDTX", "THANH TRÌ"]]),
    (JOINT, [["TRƯỜNG MẦM NON HOA SỮA"], ["TRƯỜNG MẦM NON TIÊN PHONG B"]]),
])
def test_issuer_managing_body_name_and_line(plans, stem, names):
    """issuer.chu-quan, issuer.name (a long name broken by kehoach, each line fitting), issuer.line"""
    plan = plans[stem]
    inner = plan.inner_mm(plan.header, 0, 0)
    groups = issuer_groups(plan)
    assert [name.text.split("\n") for _, name, _ in groups] == names
    for chu_quan, name, line in groups:
        assert chu_quan.text == chu_quan.text.upper() and chu_quan.text
        assert_text(chu_quan, (12, 13), bold=False)
        assert name.text == name.text.upper()
        assert_text(name, (12, 13), bold=True)
        size = runs_format(name)[0]["size"]
        printed = [text_width_mm(text, size, bold=True) for text in name.text.split("\n")]
        assert max(printed) <= inner, "every line of the name fits the cell: Word wraps nothing by itself"
        assert all(a >= b for a, b in zip(printed, printed[1:])), "the block narrows downwards"
        ratio = assert_rule_line(line, inner) / max(printed)
        assert 1 / 3 <= ratio <= 1 / 2, ratio


@pytest.mark.parametrize(("stem", "expected"), [
    (SINGLE, "Số: 586/KH-GDNN-GDTXTT"),
    (JOINT, None),  # blank number: checked below
])
def test_number_format(plans, stem, expected):
    """number.format: "Số: N/KH-…", capitals, groups joined by "-" without spaces, 13 pt, upright, centred"""
    (number,) = plan_number = plans[stem].cell(1, 0)
    assert plan_number and re.fullmatch(r"Số:( \d{2,}|\s{3,})/KH(-[A-ZĐ0-9]+)+", number.text), number.text
    if expected:
        assert number.text == expected
    assert_text(number, (13, 13), bold=False)


@pytest.mark.parametrize(("so", "expected"), [("5", "Số: 05/KH-GDNN-GDTXTT"), ("09", "Số: 09/KH-GDNN-GDTXTT"),
                                               ("10", "Số: 10/KH-GDNN-GDTXTT")])
def test_number_leading_zero(tmp_path, so, expected):
    """number.leading-zero"""
    plan = CheckedDocument(variant(tmp_path, SINGLE, lambda data: data.update(so=so)))
    assert plan.cell(1, 0)[0].text == expected


def test_number_blank_keeps_the_rest_of_the_line(plans, tmp_path):
    """number.blank: "Số:" + spaces + "/KH-…" for the văn thư to fill in"""
    assert re.fullmatch(r"Số:\s{4,}/KH-MNHS-MNTPB", plans[JOINT].cell(1, 0)[0].text)
    plan = CheckedDocument(variant(tmp_path, SINGLE, lambda data: data.update(so=None)))
    assert re.fullmatch(r"Số:\s{4,}/KH-GDNN-GDTXTT", plan.cell(1, 0)[0].text)


@pytest.mark.parametrize("stem", BOTH)
def test_date_line(plans, stem):
    """date.format: "<Place>, ngày DD tháng M năm YYYY", italic, 13–14 pt, centred under the motto"""
    (date,) = plans[stem].cell(1, 1)
    assert re.fullmatch(r"[A-ZĐ]\w*( [A-ZĐ]\w*)*, ngày \d\d tháng \d\d? năm \d{4}", date.text), date.text
    assert_text(date, (13, 14), bold=False, italic=True)


@pytest.mark.parametrize(("ngay", "expected"), [
    ("5/1/2026", "ngày 05 tháng 01 năm 2026"), ("28/2/2026", "ngày 28 tháng 02 năm 2026"),
    ("3/12/2025", "ngày 03 tháng 12 năm 2025"), ("16/9/2025", "ngày 16 tháng 9 năm 2025"),
])
def test_date_leading_zero(tmp_path, ngay, expected):
    """date.leading-zero: day < 10 and months 1–2 take a 0, months 3–12 do not"""
    plan = CheckedDocument(variant(tmp_path, SINGLE, lambda data: data.update(ngay=ngay)))
    assert plan.cell(1, 1)[0].text == f"Ngọc Hồi, {expected}"


# -- title and body --------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", BOTH)
def test_title_abstract_and_line(plans, stem):
    """title.ten-loai, title.trich-yeu, title.line"""
    plan = plans[stem]
    assert plan.title.text == "KẾ HOẠCH"
    assert_text(plan.title, (13, 14), bold=True)
    assert plan.abstract.text[1:] != plan.abstract.text[1:].upper(), "the abstract is in lower case"
    assert_text(plan.abstract, (13, 14), bold=True)
    size = runs_format(plan.abstract)[0]["size"]
    # The line's text line: the longest printed line, a wrapping one filling the text width.
    printed = max(min(text_width_mm(text, size, True), plan.text_width_mm) for text in plan.abstract.text.split("\n"))
    ratio = assert_rule_line(plan.title_line, plan.text_width_mm) / printed
    assert 1 / 3 <= ratio <= 1 / 2, ratio


@pytest.mark.parametrize("stem", BOTH)
def test_body_text_indent_spacing(plans, stem):
    """body.text, body.indent, body.paragraph-spacing, body.line-spacing"""
    body = [p for p in plans[stem].body if p.text]
    assert len(body) > 20
    for paragraph in body:
        fmt = para_format(paragraph)
        assert fmt["align"] == "both", paragraph.text
        assert min(abs(fmt["first_line_mm"] - 10), abs(fmt["first_line_mm"] - 12.7)) < 0.05
        assert fmt["left_mm"] == 0
        assert fmt["after_pt"] >= 6 or fmt["before_pt"] >= 6
        assert 1.0 <= fmt["line"] <= 1.5
        for run in runs_format(paragraph):
            assert 13 <= run["size"] <= 14


@pytest.mark.parametrize(("stem", "count"), [(SINGLE, 1), (JOINT, 2)])
def test_legal_bases_italic_each_on_its_line(plans, stem, count):
    """body.can-cu: each legal basis its own paragraph, italic, ";" then "." on the last"""
    body = [p for p in plans[stem].body if p.text]
    bases = [p for p in body if p.text.startswith(("Căn cứ", "Thực hiện"))]
    assert len(bases) == count and body[:count] == bases, "the legal bases open the body"
    for paragraph in bases:
        assert all(fmt["italic"] for fmt in runs_format(paragraph))
    assert [p.text[-1] for p in bases] == [";"] * (count - 1) + ["."]
    assert not any(fmt["italic"] for fmt in runs_format(body[count])), "the opening sentence is upright"


MUC = re.compile(r"([IVXLC]+)\. (.+)")
KHOAN = re.compile(r"(\d+)\. (.+)")


@pytest.mark.parametrize("stem", BOTH)
def test_sections_and_titled_clauses(plans, stem):
    """num.muc (Roman, capitals, bold), num.khoan (restarting in each section; a titled clause bold)"""
    body = [p for p in plans[stem].body if p.text]
    sections = [p for p in body if MUC.fullmatch(p.text)]
    assert [MUC.fullmatch(p.text)[1] for p in sections] == ["I", "II", "III"]
    for paragraph in sections:
        assert MUC.fullmatch(paragraph.text)[2] == MUC.fullmatch(paragraph.text)[2].upper()
        assert all(fmt["bold"] for fmt in runs_format(paragraph))
    numbers = []
    for paragraph in body:
        if MUC.fullmatch(paragraph.text):
            numbers.append([])
        elif KHOAN.fullmatch(paragraph.text) and numbers:
            numbers[-1].append(int(KHOAN.fullmatch(paragraph.text)[1]))
            # every clause in the examples has parts under it: a title, bold, on its own line
            assert all(fmt["bold"] for fmt in runs_format(paragraph)), paragraph.text
    assert all(found == list(range(1, len(found) + 1)) for found in numbers), numbers
    assert any(numbers)


def generated_plan(data: dict) -> None:
    """A body of one section: a clause with 12 points, a plain numbered clause, 1.1. with - and + items."""
    data["noi_dung"] = [{"muc": "Nội dung", "noi_dung": [
        {"khoan": "Các điểm", "noi_dung": [{"diem": f"Điểm thứ {i + 1}"} for i in range(12)]},
        {"khoan": "Một khoản không có phần con, là đoạn văn đánh số"},
        {"khoan": "Có tiết", "noi_dung": [
            {"tiet": "Tiết đầu", "noi_dung": [{"gach": "Ý gạch", "noi_dung": [{"cong": "Ý cộng"}]}]},
            {"tiet": "Tiết sau"},
        ]},
    ]}]


def test_numbering_of_points_sub_clauses_and_items(tmp_path):
    """num.khoan (untitled clause not bold), num.sub, num.diem (đ, no f/j/w/z), num.items"""
    plan = CheckedDocument(variant(tmp_path, SINGLE, generated_plan))
    texts = plan.body_texts()
    points = [t.split(")")[0] for t in texts if re.match(r"^\w+\) Điểm thứ", t)]
    assert points == ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m"]
    assert not {"f", "j", "w", "z"} & set(points)
    plain = next(p for p in plan.body if p.text.startswith("2. Một khoản"))
    assert not any(fmt["bold"] for fmt in runs_format(plain)), "a numbered paragraph without a title is not bold"
    titled = next(p for p in plan.body if p.text == "1. Các điểm")
    assert all(fmt["bold"] for fmt in runs_format(titled))
    labels = [t.split(" ")[0] for t in texts if re.match(r"^(\d+\.\d+\.|[-+]) ", t)]
    assert labels == ["3.1.", "-", "+", "3.2."]


@pytest.mark.parametrize("stem", BOTH)
def test_body_ends_with_dot_slash_dot(plans, stem):
    """body.end"""
    assert plans[stem].body_texts()[-1].endswith("./.")
    assert sum(t.endswith("./.") for t in plans[stem].body_texts()) == 1


# -- signature and recipients ----------------------------------------------------------------------
def signature_parts(cell) -> tuple[list, int, object]:
    """(title lines, blank lines between, name) of a signature cell."""
    paragraphs = cell.paragraphs
    name_index = max(i for i, p in enumerate(paragraphs) if p.text)
    first_blank = next(i for i, p in enumerate(paragraphs) if not p.text)
    return paragraphs[:first_blank], name_index - first_blank, paragraphs[name_index]


def assert_signature(cell, lines: list[str], name: str) -> None:
    titles, blanks, signer = signature_parts(cell)
    assert [p.text for p in titles] == lines
    for paragraph in titles:
        assert paragraph.text == paragraph.text.upper()
        assert_text(paragraph, (13, 14), bold=True)
    assert blanks == 4, "room for the hand signature and the seal"
    assert signer.text == name
    assert not re.match(r"(TS|ThS|PGS|GS|CN|KS)\.", name)
    assert_text(signer, (13, 14), bold=True)


def test_signature_single(plans):
    """sign.title, sign.space, sign.name, recip.place (left cell, level with the title)"""
    plan = plans[SINGLE]
    left, right = plan.signature.rows[0].cells
    assert_signature(right, ["GIÁM ĐỐC"], "Phạm Thị Hảo")
    widths = [cell_width_mm(left), cell_width_mm(right)]
    assert widths[0] + widths[1] / 2 > plan.text_width_mm / 2, "the signature is centred in the right half"
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert para_format(left.paragraphs[0])["before_pt"] == para_format(right.paragraphs[0])["before_pt"]
    assert not [b for b in plan.after_signature if b.text]


@pytest.mark.parametrize(("quyen_han", "thay_cho", "chuc_vu"), [
    ("KT.", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG"), ("TM.", "BAN GIÁM ĐỐC", "GIÁM ĐỐC"),
])
def test_signature_for_another(tmp_path, quyen_han, thay_cho, chuc_vu):
    """sign.authority: "KT. HIỆU TRƯỞNG" on its own line above the signer's own title"""
    signer = {"quyen_han": quyen_han, "thay_cho": thay_cho, "chuc_vu": chuc_vu, "ho_ten": "Nguyễn Văn An"}
    plan = CheckedDocument(variant(tmp_path, SINGLE, lambda data: data.update(nguoi_ky=[signer])))
    assert_signature(plan.signature.rows[0].cells[1], [f"{quyen_han} {thay_cho}", chuc_vu], "Nguyễn Văn An")


def test_joint_signatures_side_by_side_in_unit_order(plans):
    """sign.joint, recip.place (below the signature row)"""
    plan = plans[JOINT]
    cells = plan.signature.rows[0].cells
    assert len(cells) == 2
    assert_signature(cells[0], ["TRƯỜNG MN HOA SỮA\nQUẬN LONG BIÊN", "HIỆU TRƯỞNG"], "Phạm Thị Miên")
    assert_signature(cells[1], ["TRƯỜNG MN TIÊN PHONG B\nHUYỆN MÊ LINH", "HIỆU TRƯỞNG"], "Phạm Thị Thúy Hương")
    header_units = [name.text for _, name, _ in issuer_groups(plan)]
    assert header_units == ["TRƯỜNG MẦM NON HOA SỮA", "TRƯỜNG MẦM NON TIÊN PHONG B"], "same order as the signatures"
    assert [chu_quan.text for chu_quan, _, _ in issuer_groups(plan)] == ["UBND QUẬN LONG BIÊN", "UBND HUYỆN MÊ LINH"]
    assert not any(p.text.startswith("Nơi nhận") for c in cells for p in c.paragraphs)
    below = plan.signature.rows[1]._tr.tc_lst
    assert len(below) == 1 and below[0].grid_span == 2, "the recipients' row spans both blocks"
    assert [p.text for p in plan.signature.rows[1].cells[0].paragraphs][0] == "Nơi nhận:"
    assert not [b for b in plan.after_signature if b.text]


@pytest.mark.parametrize("stem", BOTH)
def test_recipients(plans, stem):
    """recip.label, recip.items"""
    plan = plans[stem]
    # recip.place: beside the signature, or for a joint plan in a row of its own under the signatures
    where = plan.signature.rows[0 if stem == SINGLE else 1].cells[0].paragraphs
    paragraphs = [p for p in where if p.text]
    label, *items = paragraphs[:paragraphs.index(next(p for p in paragraphs if p.text.startswith("- Lưu:"))) + 1]
    assert label.text == "Nơi nhận:"
    assert_text(label, (12, 12), bold=True, italic=True, align="left")
    assert para_format(label)["first_line_mm"] == para_format(label)["left_mm"] == 0
    assert len(items) >= 2
    for item in items:
        assert_text(item, (11, 11), bold=False, align="left")
        assert para_format(item)["first_line_mm"] == para_format(item)["left_mm"] == 0
        assert item.text.startswith("- ")
    assert all(item.text.endswith(";") for item in items[:-1])
    assert items[-1].text == "- Lưu: VT."
