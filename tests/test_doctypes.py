"""The three document types read back from their DOCX: symbol, title, articles, parties, tables; the plan→report step."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docxread import blocks, open_docx, para_format, read, run_format, runs_format, table_paragraphs
from support import EXAMPLES, run

from kehoach import nd30
from kehoach.write import measure
from kehoach.compose.document import compose, templates_dir
from kehoach.write.docx.writer import write_docx
from kehoach.model.doctypes import LOAI
from kehoach.errors import InputError
from kehoach.input.loader import LoadedFile, load_file, load_text
from kehoach.tree import Doan
from kehoach.model.vanban import VanBanNhap
from kehoach.compose.pairs_table import PAIR_COLUMNS, district_memorandum
from kehoach.model.reader import check_document, read_document, read_schools
from kehoach.pipeline import render
from kehoach.compose.report_starter import report_yaml

MEMO = EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml"
REPORT = EXAMPLES / "bao-cao-mn-hoa-sua-2023-2024.yaml"
TIMETABLE = EXAMPLES / "ke-hoach-co-lich-hoat-dong.yaml"
JOINT = EXAMPLES / "ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml"
DECISION = EXAMPLES / "quyet-dinh-ban-chi-dao-mn-hoa-sua.yaml"
TWIPS_PER_MM = 1440 / 25.4


def docx_of(path: Path):
    return open_docx(render(path)[1].docx)


def docx_of_data(data: dict, name: str = "tai-lieu.yaml"):
    plan = check_document(LoadedFile(str(EXAMPLES / name), data), EXAMPLES)
    return open_docx(write_docx(compose(plan))), plan


def paragraphs(document) -> list:
    return [b for b in blocks(document) if not isinstance(b, Table)]


def tables(document) -> list[Table]:
    return [b for b in blocks(document) if isinstance(b, Table)]


def effective(paragraph, name: str):
    """A run property of the paragraph's first run, falling back to its style (as Word resolves it)."""
    run = paragraph.runs[0]
    value = getattr(run.font, name)
    return value if value is not None else getattr(paragraph.style.font, name)


def alignment(paragraph):
    return paragraph.alignment if paragraph.alignment is not None else paragraph.style.paragraph_format.alignment


def title_block(document) -> tuple:
    """(number line, title paragraph, abstract paragraph) as a receiving office reads them."""
    header = tables(document)[0]
    body = paragraphs(document)
    title = next(p for p in body if p.text.strip())
    abstract = body[body.index(title) + 1]
    return header.cell(1, 0).text, title, abstract


@pytest.mark.parametrize("path, symbol, title", [
    (MEMO, "Số:        /BGN-PGDĐTHM-PGDĐTUH", "BIÊN BẢN GHI NHỚ"),
    (REPORT, "Số: 45/BC-MNHS", "BÁO CÁO"),
    (TIMETABLE, "Số:        /KH-MNHS-MNTPB", "KẾ HOẠCH"),
    (DECISION, "Số: 38/QĐ-MNHS", "QUYẾT ĐỊNH"),
])
def test_symbol_and_title_of_each_type(path, symbol, title):
    number, heading, abstract = title_block(docx_of(path))
    assert number == symbol
    assert heading.text == title
    assert effective(heading, "bold") and effective(heading, "size").pt == 14
    assert alignment(heading) == 1  # centre
    assert effective(abstract, "bold") and alignment(abstract) == 1 and abstract.text.strip()


def test_memorandum_articles_parties_and_representatives():
    document = docx_of(MEMO)
    texts = [read(p.text) for p in paragraphs(document)]
    articles = [p for p in paragraphs(document) if p.text.startswith("Điều ")]
    assert [a.text.split(". ")[0] for a in articles] == [f"Điều {n}" for n in range(1, 6)]
    assert articles[0].text == "Điều 1. Mục đích"
    assert all(effective(a, "bold") for a in articles)
    # Clauses restart at 1. under each article.
    after_second = texts[texts.index(articles[1].text) + 1:texts.index(articles[2].text)]
    assert [t.split(" ")[0] for t in after_second] == ["1.", "2.", "3."]

    opening = texts[texts.index(next(t for t in texts if t.startswith("Hôm nay"))):][:6]
    assert opening[0] == "Hôm nay, ngày 15 tháng 3 năm 2023, tại Phòng GD&ĐT quận Hoàng Mai, chúng tôi gồm:"
    assert opening[1:5] == ["Bên A: Phòng Giáo dục và Đào tạo quận Hoàng Mai",
                            "Đại diện: đồng chí Nguyễn Thị Hà - Trưởng phòng.",
                            "Bên B: Phòng Giáo dục và Đào tạo huyện Ứng Hòa",
                            "Đại diện: đồng chí Trần Văn Hùng - Trưởng phòng."]
    assert opening[5].startswith("Hai bên thống nhất ký kết biên bản ghi nhớ về chương trình phối hợp")
    assert any(t.endswith("được lập thành 04 bản có giá trị như nhau, mỗi bên giữ 02 bản./.") for t in texts)

    signatures = tables(document)[-1]
    assert len(signatures.rows) == 1 and len(signatures.columns) == 2  # side by side, one row
    left, right = ([p.text for p in cell.paragraphs if p.text] for cell in signatures.rows[0].cells)
    assert left == ["ĐẠI DIỆN PHÒNG GD&ĐT\nQUẬN HOÀNG MAI", "TRƯỞNG PHÒNG", "Nguyễn Thị Hà"]
    assert right == ["ĐẠI DIỆN PHÒNG GD&ĐT\nHUYỆN ỨNG HÒA", "TRƯỞNG PHÒNG", "Trần Văn Hùng"]
    assert not any(t.startswith("Nơi nhận") for t in texts)  # each party keeps its copies


def check_table_rules(table: Table) -> None:
    """What a receiving office sees of a body table, and what keeps it readable across pages."""
    rows = table._tbl.findall(qn("w:tr"))
    for index, row in enumerate(rows):
        props = row.find(qn("w:trPr"))
        assert props is not None and props.find(qn("w:cantSplit")) is not None, f"row {index} may split"
        assert (props.find(qn("w:tblHeader")) is not None) == (index == 0)
    header = table.rows[0].cells
    for cell in header:
        paragraph = cell.paragraphs[0]
        assert effective(paragraph, "bold") and alignment(paragraph) == 1
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                if paragraph.runs:
                    assert 12 <= effective(paragraph, "size").pt <= 13
                    assert paragraph.style.font.name in (None, nd30.FONT)  # TNR comes from the document defaults
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert abs(sum(grid) - nd30.TEXT_WIDTH_MM * TWIPS_PER_MM) <= len(grid)  # rounding of each column only


def test_results_table_of_the_report():
    document = docx_of(REPORT)
    results = tables(document)[1]
    assert [c.text for c in results.rows[0].cells] == ["TT", "Nội dung hoạt động", "Kế hoạch", "Kết quả thực hiện", "Ghi chú"]
    assert len(results.rows) == 8
    assert [r.cells[0].text for r in results.rows[1:]] == [str(n) for n in range(1, 8)]
    check_table_rules(results)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{slot}")) for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {nd30.FONT}


def test_timetable_of_the_plan():
    timetable = tables(docx_of(TIMETABLE))[1]
    # A header too long for its column is broken by kehoach between phrases, never "Đơn vị chủ" / "trì".
    assert [c.text for c in timetable.rows[0].cells] == ["TT", "Thời gian", "Nội dung hoạt động", "Đơn vị\nchủ trì",
                                                           "Thành phần\ntham gia"]
    check_table_rules(timetable)
    # The numbers column is centred; the narrowest column still holds its header on one line.
    assert alignment(timetable.rows[1].cells[0].paragraphs[0]) == 1
    first = int(timetable._tbl.tblGrid.findall(qn("w:gridCol"))[0].get(qn("w:w"))) / TWIPS_PER_MM
    assert first >= measure.text_width_mm("TT", 13, bold=True) + 2 * nd30.BANG_LE_O_MM


def problems_of(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        check_document(load_text(text, "sai.yaml"), EXAMPLES)
    return [str(p) for p in caught.value.problems]


MEMO_HEAD = """loai: bien_ban_ghi_nho
danh_sach_truong: truong.yaml
don_vi:
  - truong: pgd_hoang_mai
  - truong: pgd_ung_hoa
ngay: 15/3/2023
trich_yeu: Về phối hợp
noi_dung:
  - dieu: Mục đích
"""


def test_symbol_must_fit_the_type():
    found = problems_of(MEMO_HEAD + "ky_hieu: BB-PGDĐT\n")
    assert found == ["sai.yaml:10:10: ky_hieu: ký hiệu 'BB-PGDĐT' không hợp với loại văn bản: biên bản ghi nhớ có ký hiệu "
                     "bắt đầu bằng BGN hoặc BBGN (Phụ lục III, Nghị định 30/2020/NĐ-CP) — sửa thành, ví dụ: BGN-PGDĐT"]
    assert problems_of(MEMO_HEAD.replace("bien_ban_ghi_nho", "bao_cao") + "ky_hieu: KH-MNHS\nnoi_nhan: [VT]\n")[0] \
        .startswith("sai.yaml:10:10: ky_hieu: ký hiệu 'KH-MNHS' không hợp với loại văn bản: báo cáo có ký hiệu bắt đầu bằng BC")
    check_document(load_text(MEMO_HEAD + "ky_hieu: BBGN-PGDĐT\n", "dung.yaml"), EXAMPLES)  # the practice's symbol


def test_type_specific_rules_in_vietnamese():
    one_party = MEMO_HEAD.replace("  - truong: pgd_ung_hoa\n", "") + "ky_hieu: BGN-PGDĐT\n"
    assert problems_of(one_party) == ["sai.yaml:4:3: don_vi: biên bản ghi nhớ cần đúng 2 đơn vị (Bên A và Bên B), ở đây có 1"
                                     " — liệt kê hai bên dưới don_vi, mỗi bên một dòng '- truong: …'"]
    plan = MEMO_HEAD.replace("bien_ban_ghi_nho", "ke_hoach") + "ky_hieu: KH-PGD\ndia_diem: Hội trường\nnoi_nhan: [VT]\n"
    assert problems_of(plan) == ["sai.yaml:11:11: dia_diem: khóa 'dia_diem' chỉ dùng cho biên bản ghi nhớ, "
                                 "không dùng cho kế hoạch — xóa dòng này, hoặc sửa `loai:` nếu đây là văn bản loại khác"]
    odd = MEMO_HEAD + "ky_hieu: BGN-PGD\nso_ban: '3'\n"
    assert problems_of(odd)[0].endswith("số bản '3' phải là số chẵn từ 2 trở lên, để mỗi bên giữ số bản bằng nhau — ví dụ: so_ban: 4")
    no_recipients = MEMO_HEAD.replace("bien_ban_ghi_nho", "bao_cao") + "ky_hieu: BC-PGD\n"
    assert problems_of(no_recipients) == ["sai.yaml:1:1: tệp: báo cáo cần ít nhất một nơi nhận — thêm `noi_nhan:`, "
                                          "mỗi nơi một dòng bắt đầu bằng '- '"]
    ragged = MEMO_HEAD + "  - bang: {cot: [A, B], dong: [[x]]}\nky_hieu: BGN-PGD\n"
    assert "dòng thứ 1 của bảng có 1 ô, bảng có 2 cột" in problems_of(ragged)[0]


def test_every_type_has_its_templates_and_a_model_value():
    assert set(LOAI) == set(VanBanNhap.model_fields["loai"].annotation.__args__)
    for kind in LOAI.values():
        for name in (kind.mo_dau, kind.ket_thuc):  # "": the type has none (a decision ends with its articles)
            assert not name or (templates_dir() / kind.ma / name).is_file()


# -- the decision (Mẫu 1.2): authority line, căn cứ, "QUYẾT ĐỊNH:", articles, "Như Điều N" -----------------

def decision_body(document) -> list:
    """The decision's paragraphs with text, from its title to its last article (signatures and recipients are a table)."""
    return [p for p in paragraphs(document) if p.text.strip()]


def test_decision_reads_as_mau_1_2():
    document = docx_of(DECISION)
    body = decision_body(document)
    texts = [read(p.text) for p in body]
    assert texts[0] == "QUYẾT ĐỊNH"
    assert " ".join(texts[1].split()) == ("Về việc thành lập Ban chỉ đạo phong trào “Nhà trường cùng chung tay phát triển - "
                                          "Thầy cô cùng sẻ chia trách nhiệm” giai đoạn 2023-2025")
    # qd.tham-quyen: right under the abstract (and its line), before the căn cứ; capitals, bold, upright, centred.
    authority = body[2]
    assert texts[2] == "HIỆU TRƯỞNG TRƯỜNG MẦM NON HOA SỮA"
    shape = run_format(authority, authority.runs[0])
    assert (shape["size"], shape["bold"], shape["italic"]) == (14.0, True, False)
    assert para_format(authority)["align"] == "center"
    # can-cu.format: italic, each on its own line ending ";", closed by "Theo đề nghị của …." (Mẫu 1.2).
    bases = texts[3:7]
    assert [t.split(" số ")[0] for t in bases[:3]] == ["Căn cứ Thông tư", "Căn cứ Kế hoạch", "Căn cứ Kế hoạch"]
    assert bases[0] == ("Căn cứ Thông tư số 52/2020/TT-BGDĐT ngày 31/12/2020 của Bộ trưởng Bộ Giáo dục và Đào tạo ban hành "
                        "Điều lệ Trường mầm non;")
    assert all(t.endswith(";") for t in bases[:3]) and bases[3] == "Theo đề nghị của Phó Hiệu trưởng phụ trách chuyên môn."
    assert all(f["italic"] and not f["bold"] and f["size"] == 14 for p in body[3:7] for f in runs_format(p))
    # qd.quyet-dinh: between the căn cứ and Điều 1, bold, centred, kept with Điều 1.
    line = body[7]
    assert texts[7] == "QUYẾT ĐỊNH:" and texts[8].startswith("Điều 1. Thành lập Ban chỉ đạo")
    assert [(f["size"], f["bold"], f["italic"]) for f in runs_format(line)] == [(14.0, True, False)]
    assert para_format(line)["align"] == "center" and line.paragraph_format.keep_with_next is not False
    # dieu.*: Điều 1., 2., 3. in order; the label bold, an article written as a sentence upright and not bold;
    # the article's line indented 1 to 1.27 cm (I §II.6.đ); the last one ends the document "./.".
    articles = [p for p in body if p.text.startswith("Điều ")]
    assert [p.text.split(". ")[0] for p in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    for article in articles:
        label, *rest = article.runs
        assert label.text == label.text.strip() + " " and re.fullmatch(r"Điều \d\. ", label.text)
        assert run_format(article, label)["bold"] and not any(run_format(article, r)["bold"] for r in rest)
        assert 10 <= para_format(article)["first_line_mm"] <= 12.7 and para_format(article)["align"] == "both"
    assert texts[-1].endswith("chịu trách nhiệm thi hành Quyết định này./.") and texts[-1].startswith("Điều 3.")
    # noi-nhan.nhu-dieu: the recipients open with the article that says who carries the decision out.
    signatures = tables(document)[-1]
    recipients = [p.text for p in table_paragraphs(signatures) if p.text.startswith("- ")]
    assert recipients[0] == f"- Như Điều {len(articles)};" and recipients[-1] == "- Lưu: VT."
    assert [p.text for p in signatures.rows[0].cells[1].paragraphs if p.text] == ["HIỆU TRƯỞNG", "Phạm Thị Miên"]


def test_decision_lists_its_board_in_a_table_inside_article_1():
    document = docx_of(DECISION)
    order = [b._tbl if isinstance(b, Table) else read(b.text) for b in blocks(document) if isinstance(b, Table) or b.text.strip()]
    members = tables(document)[1]
    where = order.index(members._tbl)
    assert order[where - 1].startswith("Điều 1.") and order[where - 1].endswith("gồm các ông (bà) có tên sau:")
    assert order[where + 1].startswith("Điều 2.")
    assert [c.text for c in members.rows[0].cells] == ["TT", "Họ và tên", "Chức vụ", "Nhiệm vụ trong\nBan chỉ đạo"]
    assert [r.cells[0].text for r in members.rows[1:]] == [str(n) for n in range(1, 9)]
    assert [c.text for c in members.rows[1].cells] == ["1", "Phạm Thị Miên", "Hiệu trưởng", "Trưởng ban"]
    assert [r.cells[3].text for r in members.rows[1:]].count("Thành viên") == 4
    check_table_rules(members)


DECISION_HEAD = """loai: quyet_dinh
danh_sach_truong: truong.yaml
don_vi:
  - truong: mn_hoa_sua
ngay: 18/9/2023
trich_yeu: Về việc thành lập Ban chỉ đạo
can_cu:
  - 4340/KH-SGDĐT
"""
ARTICLES = """noi_dung:
  - dieu: Thành lập Ban chỉ đạo.
  - dieu: Các ông (bà) có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.
"""


def decision(extra: str, articles: str = ARTICLES, recipients: str = "noi_nhan: [Như Điều 2, Phòng GD&ĐT]\n",
             symbol: str = "QĐ") -> str:
    return DECISION_HEAD + f"ky_hieu: {symbol}\n" + extra + articles + recipients


def compose_text(text: str):
    return compose(check_document(load_text(text, "qd.yaml"), EXAMPLES))


def test_decision_checks_nhu_dieu_against_its_articles():
    compose_text(decision(""))  # the right one passes
    assert problems_from_compose(decision("", recipients="noi_nhan: [Như Điều 4, Phòng GD&ĐT]\n")) == [
        "qd.yaml:13:12: 'Như Điều 4' chỉ tới Điều 4, nhưng quyết định này có Điều 1 đến Điều 2 — sửa thành: Như Điều 2 "
        "(điều giao thi hành)"]
    # "Như Điều 1" names an article the decision has, but not the one that says who carries it out.
    assert problems_from_compose(decision("", recipients="noi_nhan: [Như Điều 1]\n")) == [
        "qd.yaml:13:12: nơi nhận đầu tiên của quyết định phải là 'Như Điều 2', điều giao thi hành (Mẫu 1.2, Phụ lục III, "
        "Nghị định 30/2020/NĐ-CP); ở đây: 'Như Điều 1' — ghi dòng đầu tiên dưới noi_nhan: - Như Điều 2"]
    assert problems_from_compose(decision("", recipients="noi_nhan: [Phòng GD&ĐT, Như Điều 2]\n"))[0].startswith(
        "qd.yaml:13:12: nơi nhận đầu tiên của quyết định phải là 'Như Điều 2'")
    # The last article must say who carries the decision out.
    silent = "noi_dung:\n  - dieu: Thành lập Ban chỉ đạo.\n  - dieu: Quyết định có hiệu lực kể từ ngày ký.\n"
    assert problems_from_compose(decision("", silent)) == [
        "qd.yaml:12:11: Điều 2, điều cuối của quyết định, chưa nêu ai thi hành quyết định (Mẫu 1.2, Phụ lục III, Nghị định "
        "30/2020/NĐ-CP) — thêm vào điều cuối câu, ví dụ: Các bộ phận liên quan và các ông (bà) có tên tại Điều 1 chịu "
        "trách nhiệm thi hành Quyết định này."]
    # Any type: a "Như Điều N" names an article the document has.
    memo = MEMO_HEAD + "ky_hieu: BGN-PGD\nnoi_nhan: [Như Điều 3]\n"
    assert problems_from_compose(memo) == [
        "qd.yaml:11:12: 'Như Điều 3' chỉ tới Điều 3, nhưng biên bản ghi nhớ này chỉ có Điều 1 — sửa thành: Như Điều 1"]


def test_a_decision_whose_last_article_fails_is_reported_not_crashed():
    # The last article takes "./."; when its text is a mistake (rendered empty) that mistake is what check says.
    broken = "noi_dung:\n  - dieu: Thành lập Ban chỉ đạo.\n  - dieu: \"{{ khong_co }}\"\n"
    assert problems_from_compose(decision("", broken))[0].startswith(
        "qd.yaml:12:11: câu văn dùng tên chưa được định nghĩa: khong_co")


def problems_from_compose(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        compose_text(text)
    return [str(p) for p in caught.value.problems]


def test_each_type_allows_its_own_body_levels():
    sections = "noi_dung:\n  - muc: Thành lập\n    noi_dung:\n      - tiet: Ban chỉ đạo\n"
    assert problems_from_compose(decision("", sections, "noi_nhan: [Phòng GD&ĐT]\n")) == [
        "qd.yaml:11:5: quyết định không dùng `muc` (I.) ở cấp ngoài cùng — nội dung quyết định ở cấp ngoài cùng dùng: "
        "`dieu` (Điều 1.)",
        "qd.yaml:13:9: quyết định không dùng `tiet` (1.1.) — nội dung quyết định dùng: `khoan` (1.), `diem` (a)), "
        "`gach` (-), `cong` (+), `doan` (đoạn văn)",
    ]
    nested = ARTICLES + "    noi_dung:\n      - dieu: Điều con\n"
    assert problems_from_compose(decision("", nested)) == [(
        "qd.yaml:14:9: `dieu` (Điều 1.) chỉ đứng ở cấp ngoài cùng của nội dung, không nằm trong phần khác — "
        "đưa `- dieu:` ra thẳng hàng với các điều khác, hoặc đổi thành khoản: `- khoan:`")]
    plan = MEMO_HEAD.replace("bien_ban_ghi_nho", "ke_hoach") + "ky_hieu: KH-PGD\nnoi_nhan: [VT]\n"
    assert problems_from_compose(plan) == [
        "qd.yaml:9:5: kế hoạch không dùng `dieu` (Điều 1.) — nội dung kế hoạch dùng: `muc` (I.), `khoan` (1.), "
        "`tiet` (1.1.), `diem` (a)), `gach` (-), `cong` (+), `doan` (đoạn văn)"]


def test_decision_symbol_unit_and_own_fields():
    # Phụ lục III writes QĐ; the ASCII "QD" is refused with the fix.
    assert problems_of(decision("", symbol="QD-MNHS")) == [
        "sai.yaml:9:10: ky_hieu: ký hiệu 'QD-MNHS' không hợp với loại văn bản: quyết định có ký hiệu bắt đầu bằng QĐ "
        "(Phụ lục III, Nghị định 30/2020/NĐ-CP) — sửa thành, ví dụ: QĐ-MNHS"]
    two = decision("").replace("  - truong: mn_hoa_sua\n", "  - truong: mn_hoa_sua\n  - truong: mn_tien_phong_b\n")
    assert problems_of(two) == ["sai.yaml:4:3: don_vi: quyết định cần đúng 1 đơn vị ban hành, ở đây có 2 — chỉ giữ "
                                "đúng 1 dòng '- truong: …' dưới don_vi"]
    assert problems_of(decision("kinh_gui: [UBND phường Phúc Lợi]\n")) == [
        "sai.yaml:10:11: kinh_gui: quyết định không có phần Kính gửi — xóa `kinh_gui:`, hoặc sửa `loai:`"]
    assert problems_of(MEMO_HEAD + "ky_hieu: BGN-PGD\nde_nghi: Tổ văn phòng\n") == [
        "sai.yaml:11:10: de_nghi: khóa 'de_nghi' chỉ dùng cho quyết định, không dùng cho biên bản ghi nhớ — xóa dòng "
        "này, hoặc sửa `loai:` nếu đây là văn bản loại khác"]


def test_decision_authority_line_and_its_last_can_cu():
    # Without "Theo đề nghị", the last căn cứ ends "." (can-cu.format); the authority is the head's when a deputy signs
    # for him (KT.), and the YAML's when it says so.
    deputy = "nguoi_ky:\n  - {chuc_vu: PHÓ HIỆU TRƯỞNG, ho_ten: Nguyễn Thị Lan, quyen_han: KT., thay_cho: HIỆU TRƯỞNG}\n"
    tree = compose_text(decision(deputy))
    assert tree.tham_quyen == "HIỆU TRƯỞNG Trường mầm non Hoa Sữa"
    assert [b.runs[0].text[-1] for b in tree.than if isinstance(b, Doan) and b.can_cu] == ["."]
    assert tree.chu_ky[0].quyen_han == "KT. HIỆU TRƯỞNG" and tree.chu_ky[0].chuc_vu == "PHÓ HIỆU TRƯỞNG"
    own = compose_text(decision("tham_quyen: Hội đồng trường {{ don_vi[0].ten_ngan }}\nde_nghi: Xét đề nghị của Chủ tịch Công đoàn;\n"))
    assert own.tham_quyen == "Hội đồng trường MN Hoa Sữa"
    assert [b.runs[0].text for b in own.than if isinstance(b, Doan) and b.can_cu][-2:] == [
        "Căn cứ Kế hoạch số 4340/KH-SGDĐT ngày 12/12/2022 của Sở Giáo dục và Đào tạo (GDĐT) Hà Nội về việc tổ chức phong "
        "trào “Nhà trường cùng chung tay phát triển - Thầy cô cùng sẻ chia trách nhiệm” giai đoạn 2023-2025;",
        "Xét đề nghị của Chủ tịch Công đoàn."]
    paper = open_docx(write_docx(own))
    line = next(p for p in paragraphs(paper) if p.text == "HỘI ĐỒNG TRƯỜNG MN HOA SỮA")  # printed in capitals
    assert run_format(line, line.runs[0])["bold"]


# -- from a plan to its report -----------------------------------------------------------------

def report_from(plan_path: Path, tmp_path: Path):
    target = tmp_path / "bao-cao.yaml"
    target.write_text(report_yaml(read_document(plan_path), plan_path, target, today=date(2024, 6, 7)), "utf-8")
    return read_document(target)


def test_report_lists_the_timetable_of_its_plan(tmp_path):
    report = report_from(TIMETABLE, tmp_path)
    assert report.model.loai == "bao_cao" and report.model.ky_hieu == "BC-MNHS-MNTPB"
    assert [u.ma for u in report.don_vi] == ["mn_hoa_sua", "mn_tien_phong_b"]
    document = open_docx(write_docx(compose(report)))
    results = tables(document)[1]
    plan_rows = tables(docx_of(TIMETABLE))[1].rows[1:]
    assert [[c.text for c in r.cells][:3] for r in results.rows[1:]] == \
        [[r.cells[0].text, r.cells[2].text, r.cells[1].text] for r in plan_rows]
    assert {r.cells[3].text for r in results.rows[1:]} == {""}  # results for the clerk to fill
    check_table_rules(results)
    cited = next(p.text for p in paragraphs(document) if p.text.startswith("Thực hiện"))
    assert cited.startswith("Thực hiện Kế hoạch ngày 25/9/2023 của trường MN Hoa Sữa quận Long Biên và trường MN "
                            "Tiên Phong B huyện Mê Linh về hoạt động phối hợp")


def test_report_of_a_plan_without_timetable_takes_its_lowest_numbered_parts(tmp_path):
    report = report_from(JOINT, tmp_path)
    rows = tables(open_docx(write_docx(compose(report))))[1].rows[1:]
    assert [r.cells[1].text[:40] for r in rows] == [
        "Tổ chức các hoạt động kết nối, trao đổi,", "Tổ chức tham quan, học tập, chia sẻ kinh",
        "Tích cực hưởng ứng các phong trào thi đu", "Tăng cường trao đổi chuyên môn, chia sẻ,"]  # 1.1, 1.2, 2.1, 2.2


def test_new_report_command_writes_once_and_never_overwrites(tmp_path):
    target = tmp_path / "bc.yaml"
    code, out, err = run("new", "report", "--from", str(TIMETABLE), "-o", str(target))
    assert code == 0, err
    assert read_document(target).model.loai == "bao_cao"
    before = target.read_bytes()
    code, _, err = run("new", "report", "--from", str(TIMETABLE), "-o", str(target))
    assert code == 3 and "tệp đã có, không ghi đè" in err and target.read_bytes() == before
    code, _, err = run("new", "report")
    assert code == 2 and "cho --from: loại bao-cao cần tệp kế hoạch" in err and "cho :" not in err


# -- batch: one memorandum per pair, or one district memorandum of all pairs ---------------------

ROWS = [
    {"don_vi": [{"ten": "Trường Mầm non Hoàng Liệt", "ten_ngan": "MN Hoàng Liệt", "dia_ban": "phường Hoàng Liệt",
                 "hieu_truong": "Nguyễn Thị Thu Hà"},
                {"ten": "Trường Mầm non Hoa Sơn", "ten_ngan": "MN Hoa Sơn", "dia_ban": "xã Ứng Hòa",
                 "hieu_truong": "Trần Thị Minh Nguyệt"}]},
    {"don_vi": [{"ma": "mn_hoa_sua"}, {"ma": "mn_tien_phong_b"}]},
]


def test_one_memorandum_per_pair_from_a_roster_row():
    common = load_file(MEMO).data
    row = ROWS[0]["don_vi"]
    data = {**common, "don_vi": [{**u, "dia_danh": "Hoàng Liệt", "co_quan_chu_quan": "UBND PHƯỜNG HOÀNG LIỆT"}
                                 for u in row]}
    document, _ = docx_of_data(data)
    left, right = ([p.text for p in c.paragraphs if p.text] for c in tables(document)[-1].rows[0].cells)
    # a school named after its phường is not named twice ("… HOÀNG LIỆT / PHƯỜNG HOÀNG LIỆT")
    assert left == ["ĐẠI DIỆN TRƯỜNG\nMN HOÀNG LIỆT", "HIỆU TRƯỞNG", "Nguyễn Thị Thu Hà"]
    assert right == ["ĐẠI DIỆN TRƯỜNG\nMN HOA SƠN\nXÃ ỨNG HÒA", "HIỆU TRƯỞNG", "Trần Thị Minh Nguyệt"]
    assert "Bên B: Trường Mầm non Hoa Sơn xã Ứng Hòa" in [p.text for p in paragraphs(document)]


def test_district_memorandum_lists_every_pair():
    common = load_file(MEMO).data
    common["noi_dung"][3]["noi_dung"].append({"doan": "Danh sách các cặp trường kết nghĩa:"})
    common["noi_dung"][3]["noi_dung"].append({"bang": {"cot": list(PAIR_COLUMNS)}})
    schools, _ = read_schools(EXAMPLES / "truong.yaml")
    # the batch resolves a row's codes (batch.rows.resolve_units) before the table is made
    rows = [{"don_vi": [schools[u["ma"]].model_dump(exclude_none=True) if "ma" in u else u for u in row["don_vi"]]}
            for row in ROWS]
    document, _ = docx_of_data(district_memorandum(common, rows))
    pairs = tables(document)[1]
    assert [[c.text for c in r.cells] for r in pairs.rows] == [
        PAIR_COLUMNS,
        ["1", "MN Hoàng Liệt, phường Hoàng Liệt", "Nguyễn Thị Thu Hà", "MN Hoa Sơn, xã Ứng Hòa", "Trần Thị Minh Nguyệt"],
        ["2", "MN Hoa Sữa, quận Long Biên", "Phạm Thị Miên", "MN Tiên Phong B, huyện Mê Linh", "Phạm Thị Thúy Hương"],
    ]
    check_table_rules(pairs)
    with pytest.raises(InputError, match="chưa có chỗ cho danh sách các cặp trường"):
        district_memorandum(load_file(MEMO).data, rows)


# -- the printed pages: header repeated on page 2, no row split ---------------------------------

def test_long_table_repeats_its_header_and_never_splits_a_row(tmp_path, soffice):
    import pdfcheck

    from kehoach.write.pdf import convert_one

    data = load_file(REPORT).data
    table = data["noi_dung"][0]["noi_dung"][0]["bang"]
    # Rows of three lines each, so that the page breaks where a row would otherwise be cut in two.
    table["dong"] = [[str(n), f"Hoạt động số {n} mở đầu\ngiữa\nkết thúc {n}", "Tháng 10/2023", "Đã làm", ""]
                     for n in range(1, 41)]
    plan = check_document(LoadedFile(str(REPORT), data), EXAMPLES)
    docx_path = tmp_path / "bao-cao-dai.docx"
    docx_path.write_bytes(write_docx(compose(plan)))
    pdf = convert_one(docx_path, soffice)
    pages = [pdfcheck._run("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(n), "-l", str(n), str(pdf), "-")
             for n in range(1, pdfcheck.page_count(pdf) + 1)]
    assert len(pages) >= 3
    header = ["TT", "Nội", "dung", "hoạt", "động", "Kế", "hoạch", "Kết", "quả", "thực", "hiện", "Ghi", "chú"]
    for number, text in enumerate(pages[1:], start=2):
        lines = [line.split() for line in text.splitlines() if line.strip()]
        if any("Hoạt động số" in " ".join(line) for line in lines):  # a page the table reaches starts with its header
            assert lines[0] == [str(number)] and lines[1] == header, lines[:2]  # the page number, then the header row
    for n in range(1, 41):
        holding = [i for i, text in enumerate(pages) if re.search(rf"Hoạt động số {n} mở đầu", text)]
        ending = [i for i, text in enumerate(pages) if re.search(rf"kết thúc {n}\b", text)]
        assert holding == ending and len(holding) == 1, f"row {n} split across pages {holding} / {ending}"


@pytest.mark.parametrize("name", ["quyet-dinh-ban-chi-dao-mn-hoa-sua.yaml", "ke-hoach-co-lich-hoat-dong.yaml",
                                  "bao-cao-mn-hoa-sua-2023-2024.yaml", "to-trinh-mn-hoa-sua-giao-luu-tien-phong-b.yaml"])
def test_the_paragraph_before_a_table_stays_on_its_page(name, tmp_path):
    """A decision's "… gồm các ông (bà) có tên sau:" or a plan's heading never ends a page with its table on
    the next: the paragraph is kept with the table's first row."""
    assert run("render", str(EXAMPLES / name), "-o", str(tmp_path / "out.docx")).code == 0
    document = open_docx((tmp_path / "out.docx").read_bytes())
    body = list(blocks(document))
    before = [body[i - 1] for i, block in enumerate(body) if isinstance(block, Table) and i > 0
              and not isinstance(body[i - 1], Table) and block is not body[0]]
    tables_in_body = [b for b in before if b.text.strip()]
    assert tables_in_body, "the example has a table in its body"
    for paragraph in tables_in_body:
        kept = paragraph.paragraph_format.keep_with_next or paragraph.style.paragraph_format.keep_with_next
        assert kept, paragraph.text
