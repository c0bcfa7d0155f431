"""The three document types read back from their DOCX: symbol, title, articles, parties, tables; the plan→report step."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docxread import blocks, open_docx, read
from support import EXAMPLES, run

from kehoach import nd30
from kehoach.write import measure
from kehoach.compose.document import compose, templates_dir
from kehoach.write.docx.writer import write_docx
from kehoach.model.doctypes import LOAI
from kehoach.errors import InputError
from kehoach.input.loader import Document, load_file, load_text
from kehoach.model.vanban import VanBan
from kehoach.compose.pairs_table import PAIR_COLUMNS, district_memorandum
from kehoach.model.reader import check_plan, read_plan, read_schools
from kehoach.pipeline import render
from kehoach.compose.report_starter import report_yaml

MEMO = EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml"
REPORT = EXAMPLES / "bao-cao-mn-hoa-sua-2023-2024.yaml"
TIMETABLE = EXAMPLES / "ke-hoach-co-lich-hoat-dong.yaml"
JOINT = EXAMPLES / "ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml"
TWIPS_PER_MM = 1440 / 25.4


def docx_of(path: Path):
    return open_docx(render(path)[1].docx)


def docx_of_data(data: dict, name: str = "tai-lieu.yaml"):
    plan = check_plan(Document(str(EXAMPLES / name), data), EXAMPLES)
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
        check_plan(load_text(text, "sai.yaml"), EXAMPLES)
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
    check_plan(load_text(MEMO_HEAD + "ky_hieu: BBGN-PGDĐT\n", "dung.yaml"), EXAMPLES)  # the practice's symbol


def test_type_specific_rules_in_vietnamese():
    one_party = MEMO_HEAD.replace("  - truong: pgd_ung_hoa\n", "") + "ky_hieu: BGN-PGDĐT\n"
    assert problems_of(one_party) == ["sai.yaml:4:3: don_vi: biên bản ghi nhớ cần đúng 2 đơn vị (Bên A và Bên B), ở đây có 1"
                                     " — liệt kê hai bên dưới don_vi, mỗi bên một dòng '- truong: …'"]
    plan = MEMO_HEAD.replace("bien_ban_ghi_nho", "ke_hoach") + "ky_hieu: KH-PGD\ndia_diem: Hội trường\nnoi_nhan: [VT]\n"
    assert problems_of(plan) == ["sai.yaml:11:11: dia_diem: trường 'dia_diem' chỉ dùng cho biên bản ghi nhớ, "
                                 "không dùng cho kế hoạch — xóa dòng này, hoặc sửa `loai:` nếu đây là văn bản loại khác"]
    odd = MEMO_HEAD + "ky_hieu: BGN-PGD\nso_ban: '3'\n"
    assert problems_of(odd)[0].endswith("số bản '3' phải là số chẵn từ 2 trở lên, để mỗi bên giữ số bản bằng nhau — ví dụ: so_ban: 4")
    no_recipients = MEMO_HEAD.replace("bien_ban_ghi_nho", "bao_cao") + "ky_hieu: BC-PGD\n"
    assert problems_of(no_recipients) == ["sai.yaml:1:1: tệp: báo cáo cần ít nhất một nơi nhận — thêm `noi_nhan:`, "
                                          "mỗi nơi một dòng bắt đầu bằng '- '"]
    ragged = MEMO_HEAD + "  - bang: {cot: [A, B], dong: [[x]]}\nky_hieu: BGN-PGD\n"
    assert "dòng thứ 1 của bảng có 1 ô, bảng có 2 cột" in problems_of(ragged)[0]


def test_every_type_has_its_templates_and_a_model_value():
    assert set(LOAI) == set(VanBan.model_fields["loai"].annotation.__args__)
    for kind in LOAI.values():
        for name in ("mo_dau.j2", "ket_thuc.j2"):
            assert (templates_dir() / kind.ma / name).is_file()


# -- from a plan to its report -----------------------------------------------------------------

def report_from(plan_path: Path, tmp_path: Path):
    target = tmp_path / "bao-cao.yaml"
    target.write_text(report_yaml(read_plan(plan_path), plan_path, target, today=date(2024, 6, 7)), "utf-8")
    return read_plan(target)


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
    assert read_plan(target).model.loai == "bao_cao"
    before = target.read_bytes()
    code, _, err = run("new", "report", "--from", str(TIMETABLE), "-o", str(target))
    assert code == 3 and "tệp đã có, không ghi đè" in err and target.read_bytes() == before
    code, _, err = run("new", "report")
    assert code == 2 and "--from" in err


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
    plan = check_plan(Document(str(REPORT), data), EXAMPLES)
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
