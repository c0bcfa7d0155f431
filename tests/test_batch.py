"""`kehoach batch`: a roster with real-world quirks and bad rows in, one complete joint plan per good row out."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pdfcheck
import pytest
from docx.table import Table
from docxread import blocks, layout_problems, open_docx, read, table_paragraphs
from support import (DISTRICT_MEMO, EXAMPLES, HEADER, PLAN, ROSTER, add_cached_value, initials, parts,
                     run, save_workbook, school_a, school_b, summary)

from openpyxl.utils import get_column_letter

from kehoach.input.roster import COLUMNS

SCHOOLS = EXAMPLES / "batch" / "truong-hoang-mai-ung-hoa.yaml"


def quirky_roster(tmp_path: Path) -> Path:
    """Title row merged across the sheet, numbers and dates in every form, blank, hidden and bad rows."""
    rows = [
        ["DANH SÁCH CÁC CẶP TRƯỜNG KẾT NGHĨA PHƯỜNG ĐỊNH CÔNG - XÃ HÒA XÁ"],
        HEADER,
        [1, "5", "16/9/2025", *school_a(), *school_b(),  # 3: number as text, date as text, trailing spaces
         "Phòng Văn hóa - Xã hội; Ban đại diện cha mẹ học sinh", "ghi chú bỏ qua"],
        [None, "", " ", *[None] * 18],  # 4 blank
        [2, 7, 45916, *school_a("Định Công", "Trần Văn Hùng"), *school_b("Hòa Xá", "Đỗ Thị Mai"), None],  # 5: serial
        [3, None, None, *school_a("Giáp Bát"), *school_b("Hòa Nam"), None],  # 6: hidden
        [4, None, None, *school_a("Lĩnh Nam"), '=UPPER("Trường Tiểu học Phương Tú")', "TH Phương Tú", "THPT",
         "UBND XÃ ỨNG HÒA", "UBND xã Ứng Hòa", "xã Ứng Hòa", "Vũ Văn Nam", None],  # 7: formula with a cached value
        [5, None, "31/2/2025", *school_a("Mai Động"), *school_b("Viên An"), None],  # 8: impossible date
        [6, None, None, *school_a("Tân Mai"), *school_b("Viên Nội", principal=None), None],  # 9: no principal
        [7, None, None, "khong_co_ma", *[None] * 8, *school_b("Đông Lỗ"), None],  # 10: bad code
        [8, "5", "16/9/2025", *school_a(), *school_b(), None],  # 11: the same pair as row 3
        [9, None, None, "hm_thcs_hoang_liet", *[None] * 8,
         *school_b("Vân Đình", "Lương Văn Khánh"), None],  # 12: school 1 from the schools file
    ]

    def edit(sheet):
        sheet.merge_cells("A1:U1")
        sheet.row_dimensions[6].hidden = True

    path = save_workbook(tmp_path, rows, edit=edit)
    add_cached_value(path, "M7", "TRƯỜNG TIỂU HỌC PHƯƠNG TÚ")
    return path


def contents(outdir: Path) -> dict[str, dict[str, bytes]]:
    """Each DOCX's parts (zip entry times differ from run to run; the content must not)."""
    return {path.name: parts(path) for path in outdir.glob("*.docx")}


def header_and_signatures(path: Path):
    document = open_docx(path.read_bytes())
    tables = [b for b in blocks(document) if isinstance(b, Table)]
    return document, tables[0], tables[-1]


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def recipients(signatures: Table) -> list[str]:
    """The recipient lines of a joint plan: the signature table's second row, across both columns."""
    lines = [read(p.text) for p in signatures.rows[-1].cells[0].paragraphs]
    return lines[lines.index("Nơi nhận:") + 1:]


@pytest.fixture(scope="module")
def quirky(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    roster = quirky_roster(tmp)
    code = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp / "out")).code
    return roster, tmp / "out", code


def test_bad_rows_fail_alone_with_their_cells(quirky):
    roster, outdir, code = quirky
    assert code == 1
    rows = {int(r["Dòng"]): r for r in summary(outdir)}
    assert {n: r["Trạng thái"] for n, r in rows.items()} == {
        3: "đã tạo", 4: "bỏ qua", 5: "đã tạo", 6: "bỏ qua", 7: "đã tạo", 8: "lỗi", 9: "lỗi", 10: "lỗi",
        11: "đã tạo", 12: "đã tạo"}
    assert rows[4]["Lỗi"] == "dòng trống" and rows[6]["Lỗi"] == "dòng bị ẩn"
    assert rows[8]["Lỗi"].startswith(f"{roster}:Sheet1!C8: Ngày «31/2/2025» không có thật")
    assert rows[9]["Lỗi"].startswith(f"{roster}:Sheet1!S9: Thiếu «Hiệu trưởng trường 2».")
    assert rows[10]["Lỗi"].startswith(f"{roster}:Sheet1!D10: không có trường mã 'khong_co_ma'")
    assert rows[12]["Trường 1"] == "Trường Trung học cơ sở Hoàng Liệt"
    for number in (8, 9, 10):
        assert rows[number]["Tệp"] == "" and rows[number]["Trường 2"]  # what could be read is listed
    made = sorted(p.name for p in outdir.glob("*.docx"))
    assert made == sorted(rows[n]["Tệp"] for n in (3, 5, 7, 11, 12))


def test_unknown_column_warned_at_its_header_cell(tmp_path):
    roster = save_workbook(tmp_path, [HEADER, [1, None, None, *school_a(), *school_b(), None, "x"]])
    result = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert result.code == 0
    err = result.err
    assert f"Cảnh báo: {roster}:Sheet1!U1: Cột U «Ghi chú» không có trong mẫu nên bị bỏ qua." in err


def test_each_plan_is_complete_and_carries_its_row(quirky):
    roster, outdir, _ = quirky
    rows = {int(r["Dòng"]): r for r in summary(outdir)}

    document, header, signatures = header_and_signatures(outdir / rows[3]["Tệp"])
    assert texts(header.cell(0, 0)) == ["UBND PHƯỜNG ĐỊNH CÔNG", "TRƯỜNG TIỂU HỌC ĐẠI KIM",  # trailing spaces gone
                                        "UBND XÃ HÒA XÁ", "TRƯỜNG TIỂU HỌC HÒA LÂM"]
    assert header.cell(1, 0).text == "Số: 05/KHLT-THĐK-THHL"  # both issuers' abbreviations (ND30 I §II.3.b)
    assert header.cell(1, 1).text == "Định Công, ngày 16 tháng 9 năm 2025"
    left, right = signatures.rows[0].cells
    # «Địa bàn trường 1» is empty: "phường Định Công" comes from «Địa danh» and the managing body
    assert texts(left) == ["TRƯỜNG TH ĐẠI KIM\nPHƯỜNG ĐỊNH CÔNG", "HIỆU TRƯỞNG", "Nguyễn Thị Hà"]
    assert texts(right) == ["TRƯỜNG TH HÒA LÂM\nXÃ HÒA XÁ", "HIỆU TRƯỞNG", "Lê Văn Sơn"]
    assert recipients(signatures) == [  # the bodies of «Cơ quan quản lý», not a former district office
        "- UBND phường Định Công (để b/c);", "- UBND xã Hòa Xá (để b/c);",
        "- Trường Tiểu học Đại Kim (để t/h);", "- Trường Tiểu học Hòa Lâm (để t/h);",
        "- Phòng Văn hóa - Xã hội;", "- Ban đại diện cha mẹ học sinh;", "- Lưu: VT."]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "giữa trường TH Đại Kim phường Định Công và trường TH Hòa Lâm xã Hòa Xá" in body
    assert "báo cáo, đánh giá kết quả thực hiện phong trào về UBND phường Định Công, UBND xã Hòa Xá" in body
    assert body.count("Chương trình giáo dục phổ thông 2018") == 2

    document, header, signatures = header_and_signatures(outdir / rows[5]["Tệp"])
    body = "\n".join(p.text for p in document.paragraphs)  # the same sentences, rendered again with this row's names
    assert "giữa trường TH Định Công và trường TH Hòa Xá" in body and "Đại Kim" not in body
    assert header.cell(1, 0).text == "Số: 07/KHLT-THĐC-THHX"  # 7 typed as a number
    assert header.cell(1, 1).text == "Định Công, ngày 16 tháng 9 năm 2025"  # Excel serial 45916
    assert texts(signatures.rows[0].cells[1])[-1] == "Đỗ Thị Mai"

    _, header, _ = header_and_signatures(outdir / rows[7]["Tệp"])
    assert header.cell(1, 0).text == "Số:        /KHLT-THLN-THPT"  # no number: left for the văn thư
    assert header.cell(1, 1).text == "Định Công, ngày 20 tháng 10 năm 2025"  # the common plan's date
    assert texts(header.cell(0, 0))[-1] == "TRƯỜNG TIỂU HỌC PHƯƠNG TÚ"  # the formula's value

    _, header, signatures = header_and_signatures(outdir / rows[12]["Tệp"])
    assert texts(header.cell(0, 0))[:2] == ["UBND PHƯỜNG HOÀNG LIỆT", "TRƯỜNG TRUNG HỌC\nCƠ SỞ HOÀNG LIỆT"]  # issuer.name wraps, balanced
    assert header.cell(1, 0).text == "Số:        /KHLT-THCSHL-THVĐ"  # school 1's abbreviation from the schools file
    assert texts(signatures.rows[0].cells[0])[-1] == "Trịnh Thị Thanh Hoa"

    for row in (3, 5, 7, 11, 12):
        assert layout_problems(open_docx((outdir / rows[row]["Tệp"]).read_bytes())) == []


def test_names_unique_safe_and_stable_between_runs(quirky, tmp_path):
    roster, outdir, _ = quirky
    rows = {int(r["Dòng"]): r for r in summary(outdir)}
    assert rows[3]["Tệp"] == "TH Đại Kim - TH Hòa Lâm.docx"
    assert rows[11]["Tệp"] == "TH Đại Kim - TH Hòa Lâm (2).docx"  # the same pair twice
    before = contents(outdir)
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir)).code == 1
    assert contents(outdir) == before  # the same files replaced with the same content, nothing added
    assert [r["Tệp"] for r in summary(outdir)] == [r["Tệp"] for r in rows.values()]


def test_file_names_refuse_windows_reserved_and_bound_length(tmp_path):
    from kehoach.write.naming import FileNames

    names = FileNames(tmp_path)
    long = {"ten_ngan": "Trường " + "rất dài " * 40}
    odd = names.name([{"ten_ngan": 'CON'}, {"ten_ngan": 'A/B: "C"?'}])
    assert odd.name == "CON - A-B- -C.docx"
    first, second = names.name([long, long]), names.name([long, long])
    assert len(first.stem) <= 120 and second.stem == f"{first.stem} (2)"
    assert names.name([{"ten_ngan": "con"}, {}]).name == "van-ban-con.docx"
    assert names.name([{"ten_ngan": "tong-hop"}, {}]).name == "tong-hop (2).docx"  # never the summary's name


def test_mistake_in_common_plan_stops_before_any_row(tmp_path):
    plan = tmp_path / "chung.yaml"
    plan.write_text(PLAN.read_text("utf-8").replace("{{ don_vi[0].dia_ban }} và {{ don_vi[1].dia_ban }}.",
                                                    "{{ don_vi[0].quan }}."), "utf-8")
    (tmp_path / SCHOOLS.name).write_bytes(SCHOOLS.read_bytes())
    roster = save_workbook(tmp_path, [HEADER, [1, None, None, *school_a(), *school_b(), None, None]])
    code, _, err = run("batch", str(roster), "--plan", str(plan), "-o", str(tmp_path / "out"))
    assert code == 1
    line = next(n for n, text in enumerate(plan.read_text("utf-8").splitlines(), 1) if "don_vi[0].quan" in text)
    assert f"{plan}:{line}:" in err
    assert not (tmp_path / "out").exists()


def test_parallel_run_gives_the_same_files_in_roster_order(tmp_path):
    one, two = tmp_path / "mot", tmp_path / "hai"
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(one), "--jobs", "1").code == 0
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(two), "--jobs", "2").code == 0
    assert summary(one) == summary(two)
    assert contents(one) == contents(two)


def test_example_roster_renders_every_pair_to_decree_30(tmp_path):
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(tmp_path)).code == 0
    rows = summary(tmp_path)
    assert len(rows) == 36 and {r["Trạng thái"] for r in rows} == {"đã tạo"}
    levels = set()
    for row in rows:
        document, header, signatures = header_and_signatures(tmp_path / row["Tệp"])
        issuers = texts(header.cell(0, 0))
        assert issuers[0].startswith("UBND PHƯỜNG ") and issuers[2].startswith("UBND XÃ ")
        printed = [issuers[1].replace("\n", " "), issuers[3].replace("\n", " ")]  # a long name wraps (issuer.name)
        assert [p.upper() for p in (row["Trường 1"], row["Trường 2"])] == printed
        assert all(len(texts(cell)) == 3 for cell in signatures.rows[0].cells)  # unit, title, name
        assert layout_problems(document) == []
        levels.add(issuers[1].split()[1])
    assert levels == {"MẦM", "TIỂU", "TRUNG"}


def test_example_batch_is_post_reform_with_bodies_from_the_data(tmp_path):
    """A 2025-2026 plan names no quận, huyện or district office: recipients and bodies come from the roster."""
    from kehoach.input.roster import read_roster

    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(tmp_path)).code == 0
    by_row = {(r.sheet, r.row): r for r in read_roster(ROSTER).rows}
    for line in summary(tmp_path):
        document, header, signatures = header_and_signatures(tmp_path / line["Tệp"])
        every_text = "\n".join([p.text for p in document.paragraphs] +
                                [c.text for t in document.tables for r in t.rows for c in r.cells]).lower()
        assert not any(word in every_text for word in ("quận", "huyện", "phòng gd")), line["Tệp"]
        assert header.cell(1, 1).text.endswith("năm 2025")  # dated after 1 July 2025
        units = by_row[(line["Trang tính"], int(line["Dòng"]))].data["don_vi"]
        if units[0].get("ma"):  # named by code: the schools file gives the abbreviations
            continue
        symbol = header.cell(1, 0).text
        assert symbol.endswith(f"/KHLT-{units[0]['ky_hieu']}-{units[1]['ky_hieu']}"), symbol
        assert recipients(signatures)[:2] == [f"- {u['co_quan_quan_ly']} (để b/c);" for u in units]

    # a school named after its own phường is not named twice ("trường TH Lĩnh Nam phường Lĩnh Nam")
    lead = next(line for line in summary(tmp_path)
                if (line["Trường 1"], line["Trường 2"]) == ("Trường Tiểu học Lĩnh Nam", "Trường Tiểu học Hòa Xá"))
    document = open_docx((tmp_path / lead["Tệp"]).read_bytes())
    title = [p.text for p in document.paragraphs]
    abstract = " ".join(read(title[title.index("KẾ HOẠCH") + 1]).split())  # broken into balanced lines
    assert abstract.endswith("năm học 2025-2026 giữa trường TH Lĩnh Nam và trường TH Hòa Xá")


def test_pdf_without_libreoffice_keeps_the_docx(tmp_path, monkeypatch):
    import kehoach.write.pdf

    monkeypatch.setattr(kehoach.write.pdf, "find_soffice", lambda: None)
    roster = save_workbook(tmp_path, [HEADER, [1, None, None, *school_a(), *school_b(), None, None]])
    result = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"), "--pdf")
    assert result.code == 4
    assert "Không tìm thấy LibreOffice" in result.err
    assert [p.name for p in (tmp_path / "out").glob("*.docx")] == ["TH Đại Kim - TH Hòa Lâm.docx"]


def test_roster_template_command(tmp_path):
    from kehoach.input.roster import read_roster

    assert run("roster-template", str(tmp_path / "mau.xlsx")).code == 0
    roster = read_roster(tmp_path / "mau.xlsx")
    assert roster.rows == [] and len(roster.skipped) == 1  # only the sample row, which is no plan


def test_csv_roster(tmp_path):
    roster = tmp_path / "ds.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER[:-1])
        writer.writerow([1, "12", "05/01/2026", *school_a(), *school_b(), ""])
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out")).code == 0
    _, header, _ = header_and_signatures(tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx")
    assert header.cell(1, 0).text == "Số: 12/KHLT-THĐK-THHL"
    assert header.cell(1, 1).text == "Định Công, ngày 05 tháng 01 năm 2026"


def test_plan_check_errors_in_row_values_point_at_the_row(tmp_path):
    # The schools file has no principal for this school: check_document finds it, at the row's code cell.
    schools = tmp_path / "truong.yaml"
    schools.write_text("truong:\n  th_x:\n    ten: Trường Tiểu học X\n    ky_hieu: THX\n    dia_danh: Hoàng Mai\n"
                       "    dia_ban: phường Hoàng Mai\n    co_quan_quan_ly: UBND phường Hoàng Mai\n"
                       "    co_quan_chu_quan: UBND PHƯỜNG HOÀNG MAI\n", "utf-8")
    roster = save_workbook(tmp_path, [["Mã trường 1", *HEADER[12:19]], ["th_x", *school_b()]])
    result = run("batch", str(roster), "--plan", str(PLAN), "--truong", str(schools), "-o", str(tmp_path / "out"))
    assert result.code == 1
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"{roster}:Sheet1!A2: đơn vị 'Trường Tiểu học X' chưa có họ tên thủ trưởng")


# -- memorandums from the same roster (issue 7): one per pair, or one listing every pair ---------------



def test_one_memorandum_per_pair_through_the_batch_command(tmp_path):
    rows = [HEADER, [1, "5", "16/9/2025", *school_a(), *school_b(), None, None]]
    roster = save_workbook(tmp_path, rows)
    memorandum = EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml"
    assert run("batch", str(roster), "--plan", str(memorandum), "-o", str(tmp_path / "out")).code == 0
    document = open_docx((tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx").read_bytes())
    texts = [b.text for b in blocks(document) if not isinstance(b, Table)]
    assert "BIÊN BẢN GHI NHỚ" in texts and "Bên B: Trường Tiểu học Hòa Lâm xã Hòa Xá" in texts
    signatures = [b for b in blocks(document) if isinstance(b, Table)][-1]
    assert [c.paragraphs[0].text for c in signatures.rows[0].cells] == [
        "ĐẠI DIỆN TRƯỜNG TH ĐẠI KIM\nPHƯỜNG ĐỊNH CÔNG", "ĐẠI DIỆN TRƯỜNG\nTH HÒA LÂM\nXÃ HÒA XÁ"]  # balanced, fitting the cell
    header = next(b for b in blocks(document) if isinstance(b, Table))
    assert header.cell(1, 0).text == "Số: 05/BGN-PGDĐTHM-PGDĐTUH"  # the row's number, leading zero


def test_one_district_memorandum_lists_every_pair_of_the_roster(tmp_path):
    assert run("batch", str(ROSTER), "--plan", str(DISTRICT_MEMO), "--gop", "-o", str(tmp_path)).code == 0
    document = open_docx((tmp_path / "bien-ban-ghi-nho-toan-quan.docx").read_bytes())
    tables = [b for b in blocks(document) if isinstance(b, Table)]
    pairs = tables[1]
    assert [c.text for c in pairs.rows[0].cells] == ["TT", "Trường thứ nhất", "Hiệu trưởng", "Trường thứ hai", "Hiệu trưởng"]
    assert len(pairs.rows) - 1 == 36  # every pair of the example roster, numbered 1 … 36
    assert [r.cells[0].text for r in pairs.rows[1:]] == [str(n) for n in range(1, 37)]
    # the two pairs given by code in the roster are filled from the schools file
    assert "THCS Hoàng Liệt, phường Hoàng Liệt" in [r.cells[1].text for r in pairs.rows]
    assert [c.paragraphs[0].text for c in tables[-1].rows[0].cells] == [
        "ĐẠI DIỆN PHÒNG GD&ĐT\nQUẬN HOÀNG MAI", "ĐẠI DIỆN PHÒNG GD&ĐT\nHUYỆN ỨNG HÒA"]
    assert layout_problems(document) == []


def test_a_bad_row_stops_the_district_memorandum_at_its_cell(tmp_path):
    rows = [HEADER, [1, None, None, *school_a(), *school_b(), None, None],
            [2, None, None, "khong_co_ma", *[None] * 8, *school_b("Đông Lỗ"), None, None]]
    roster = save_workbook(tmp_path, rows)
    result = run("batch", str(roster), "--plan", str(DISTRICT_MEMO), "--gop", "-o", str(tmp_path / "out"))
    assert result.code == 1
    err = result.err
    assert f"{roster}:Sheet1!D3: không có trường mã 'khong_co_ma'" in err
    assert not (tmp_path / "out").exists()  # a list of pairs with one missing is not written at all


def test_metadata_without_pdf_writes_a_sidecar_per_row_without_page_count(tmp_path):
    out = tmp_path / "out"
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(out), "--metadata", "--jobs", "2").code == 0
    documents = sorted(out.glob("*.docx"))
    assert documents and not list(out.glob("*.pdf"))
    for document in documents:
        sidecar = pdfcheck.sidecar(document.with_suffix(".json"))
        read = open_docx(document.read_bytes())
        printed = " ".join(" ".join(paragraph.text for block in blocks(read) for paragraph in
                                    (table_paragraphs(block) if isinstance(block, Table) else [block])).split())
        assert sidecar["tep"] == {"docx": document.name, "pdf": None} and sidecar["so_trang"] is None
        assert len(sidecar["co_quan_ban_hanh"]) == 2
        assert all(unit.casefold() in printed.casefold() for unit in sidecar["co_quan_ban_hanh"])
        assert f"/{sidecar['ky_hieu']}" in printed and sidecar["trich_yeu"].casefold() in printed.casefold()
        # and the DOCX's own properties, which LibreOffice carries into the PDF, agree with it
        assert read.core_properties.subject == f"Số: {sidecar['so'] or ''}/{sidecar['ky_hieu']}"
        assert read.core_properties.author == "; ".join(sidecar["co_quan_ban_hanh"])


def test_memorandum_of_all_pairs_gets_its_sidecar(tmp_path):
    assert run("batch", str(ROSTER), "--plan", str(DISTRICT_MEMO), "--gop", "--metadata", "-o", str(tmp_path)).code == 0
    sidecar = pdfcheck.sidecar(tmp_path / f"{DISTRICT_MEMO.stem}.json")
    assert sidecar["ten_loai"] == "Biên bản ghi nhớ" and len(sidecar["co_quan_ban_hanh"]) == 2
    assert sidecar["tep"] == {"docx": f"{DISTRICT_MEMO.stem}.docx", "pdf": None}


# -- rosters as districts keep them (issue 10 §3) ----------------------------------------------------


def district_roster(tmp_path: Path, headers: list[str], rows: list[dict], name="ds.xlsx") -> Path:
    """A roster with these headers; each row gives values by header (missing ones stay empty)."""
    return save_workbook(tmp_path, [headers, *[[row.get(h) for h in headers] for row in rows]], name=name)


PAIRS = [("Đại Kim", "Hòa Lâm"), ("Định Công", "Hòa Xá"), ("Giáp Bát", "Hòa Nam"), ("Lĩnh Nam", "Phương Tú"),
         ("Mai Động", "Viên An")]


def one_place_row(number: int, first: str, second: str) -> dict:
    row = {"STT": number, "Cấp học": "Tiểu học"}
    for side, (school, body, place) in enumerate(((first, "UBND PHƯỜNG HOÀNG MAI", "Hoàng Mai"),
                                                  (second, "UBND XÃ ỨNG HÒA", "Ứng Hòa")), start=1):
        row |= {f"Tên trường {side}": f"Trường Tiểu học {school}", f"Tên ngắn trường {side}": f"TH {school}",
                f"Ký hiệu trường {side}": f"TH{initials(school)}", f"Cơ quan chủ quản trường {side}": body,
                f"Cơ quan quản lý trường {side}": body.replace("PHƯỜNG HOÀNG MAI", "phường Hoàng Mai")
                .replace("XÃ ỨNG HÒA", "xã Ứng Hòa"),
                f"Địa danh trường {side}": place, f"Hiệu trưởng trường {side}": f"Nguyễn Văn {school}"}
    return row


# the template's columns, but one place column per school and one level column per pair (as real rosters are)
ONE_PLACE_HEADERS = ["STT", "Số văn bản", "Ngày văn bản", "Cấp học",
                     *[f"{h} trường {n}" for n in (1, 2) for h in (
                         "Tên", "Tên ngắn", "Ký hiệu", "Cơ quan chủ quản", "Cơ quan quản lý", "Địa danh", "Hiệu trưởng")]]


def test_one_place_column_per_school_and_one_level_column_per_pair(tmp_path):
    roster = district_roster(tmp_path, ONE_PLACE_HEADERS, [one_place_row(n, *p) for n, p in enumerate(PAIRS, 1)])
    result = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert result.code == 0
    err = result.err
    assert err == ""  # every column is read as written, and nothing is blamed on the common plan
    assert [r["Trạng thái"] for r in summary(tmp_path / "out")] == ["đã tạo"] * 5
    document, _, signatures = header_and_signatures(tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx")
    body = "\n".join(p.text for p in document.paragraphs)
    # "phường Hoàng Mai" from «Địa danh» Hoàng Mai and UBND PHƯỜNG HOÀNG MAI; the level from the shared column
    assert "giữa trường TH Đại Kim phường Hoàng Mai và trường TH Hòa Lâm xã Ứng Hòa" in body
    assert "tại phường Hoàng Mai và xã Ứng Hòa" in body
    assert body.count("Chương trình giáo dục phổ thông 2018") == 2
    assert [texts(c)[0] for c in signatures.rows[0].cells] == ["TRƯỜNG TH ĐẠI KIM\nPHƯỜNG HOÀNG MAI",
                                                               "TRƯỜNG TH HÒA LÂM\nXÃ ỨNG HÒA"]


def test_a_missing_value_is_reported_once_at_the_roster_cell(tmp_path):
    rows = [one_place_row(1, *PAIRS[0]), one_place_row(2, *PAIRS[1]), one_place_row(3, *PAIRS[2])]
    rows[0]["Cơ quan quản lý trường 2"] = None  # row 2: the recipients and two sentences need it
    rows[1]["Cơ quan chủ quản trường 1"] = "UBND HOÀNG MAI"  # row 3: which kind of unit is Hoàng Mai?
    rows[1]["Cơ quan quản lý trường 1"] = "UBND Hoàng Mai"
    rows[2]["Ký hiệu trường 2"] = None  # row 4: the joint symbol KHLT-…-… needs it
    roster = district_roster(tmp_path, ONE_PLACE_HEADERS, rows)
    result = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert result.code == 1
    lines = result.err.strip().splitlines()
    plan_lines = [(n, t) for n, t in enumerate(PLAN.read_text("utf-8").splitlines(), 1) if not t.startswith("#")]
    plan_line = next(n for n, t in plan_lines if "don_vi[1].co_quan_quan_ly" in t)  # its first use
    place_line = next(n for n, t in plan_lines if "don_vi[0].dia_ban" in t)
    assert lines == [
        f"{roster}:Sheet1!P2: «Cơ quan quản lý trường 2» còn trống mà câu văn của kế hoạch chung cần "
        f"({PLAN}:{plan_line}:19) — ghi «Cơ quan quản lý trường 2» ở dòng này",
        f"{roster}:Sheet1!J3: «Địa bàn trường 1» còn trống mà câu văn của kế hoạch chung cần ({PLAN}:{place_line}:23) "
        "— thêm cột «Địa bàn trường 1» vào danh sách rồi ghi vào dòng này (hoặc ghi «Địa danh trường 1» và "
        "«Cơ quan chủ quản trường 1» dạng UBND PHƯỜNG …/UBND XÃ … cùng một nơi, để tự suy ra)",
        f"{roster}:Sheet1!N4: «Ký hiệu trường 2» còn trống (để ghép vào ký hiệu văn bản KHLT-…, nếu kế hoạch không "
        "viết đủ ký hiệu) — ghi «Ký hiệu trường 2» ở dòng này"]


def test_renamed_headers_are_read_with_a_warning_each(tmp_path):
    renamed = {"STT": "TT", "Tên trường 1": "Trường thứ nhất", "Hiệu trưởng trường 1": "Họ tên hiệu trưởng trường 1",
               "Tên trường 2": "Trường 2", "Hiệu trưởng trường 2": "Hiệu trưởng 2", "Cấp học": "Cấp",
               "Ký hiệu trường 1": "Chữ viết tắt trường 1", "Địa danh trường 2": "Địa danh 2"}
    headers = [renamed.get(h, h) for h in ONE_PLACE_HEADERS]
    rows = [{renamed.get(k, k): v for k, v in one_place_row(1, *PAIRS[0]).items()}]
    roster = district_roster(tmp_path, headers, rows)
    result = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert result.code == 0
    warnings = result.err.strip().splitlines()
    column = {h: get_column_letter(i) for i, h in enumerate(headers, 1)}
    read_as = [(renamed[h], h) for h in ONE_PLACE_HEADERS if h in renamed and h != "STT"]
    assert [w.split(" — ")[0] for w in warnings] == [
        f"Cảnh báo: {roster}:Sheet1!{column[text]}1: Cột {column[text]} «{text}» được đọc là «{canonical}»."
        for text, canonical in sorted(read_as, key=lambda pair: headers.index(pair[0]))]
    _, header, _ = header_and_signatures(tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx")
    assert texts(header.cell(0, 0))[1] == "TRƯỜNG TIỂU HỌC ĐẠI KIM" and header.cell(1, 0).text.endswith("KHLT-THĐK-THHL")


def typed_template(tmp_path: Path):
    """The roster template `kehoach roster-template` writes, open as a clerk opens it to type pairs below its sample."""
    template = tmp_path / "ds.xlsx"
    assert run("roster-template", str(template)).code == 0
    workbook = openpyxl.load_workbook(template)
    return template, workbook, workbook["Danh sách"]


def test_the_template_sample_row_never_becomes_a_plan(tmp_path):
    template, workbook, sheet = typed_template(tmp_path)
    values = {"don_vi.0.ten": "Trường Tiểu học Đại Kim", "don_vi.0.ten_ngan": "TH Đại Kim", "don_vi.0.ky_hieu": "THĐK",
              "don_vi.0.hieu_truong": "Nguyễn Thị Hà", "don_vi.1.ten": "Trường Tiểu học Hòa Lâm",
              "don_vi.1.ten_ngan": "TH Hòa Lâm", "don_vi.1.ky_hieu": "THHL", "don_vi.1.hieu_truong": "Lê Văn Sơn"}
    sheet.append([values.get(c.key, sheet.cell(2, i).value) for i, c in enumerate(COLUMNS, 1)])  # typed below it
    workbook.save(template)
    result = run("batch", str(template), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert result.code == 0
    err = result.err
    sample = "Trường Mầm non Hoàng Liệt - Trường Mầm non Hoa Sơn"
    assert err.startswith(f"Cảnh báo: {template}:Danh sách!A2: dòng 2 là dòng mẫu của tệp mẫu ({sample}) nên bị bỏ qua")
    rows = summary(tmp_path / "out")
    assert [(r["Dòng"], r["Trạng thái"], r["Tệp"]) for r in rows] == [
        ("2", "bỏ qua", ""), ("3", "đã tạo", "TH Đại Kim - TH Hòa Lâm.docx")]
    assert "dòng mẫu của tệp mẫu" in rows[0]["Lỗi"]
    assert [p.name for p in (tmp_path / "out").glob("*.docx")] == ["TH Đại Kim - TH Hòa Lâm.docx"]


def test_a_pair_listed_twice_is_warned_naming_both_rows(quirky, tmp_path):
    roster, outdir, _ = quirky
    rows = {int(r["Dòng"]): r for r in summary(outdir)}
    warning = f"{roster}:Sheet1!E11: Cặp trường ở dòng 11 trùng với cặp ở dòng 3 (Sheet1!E3)."
    assert rows[11]["Lỗi"].startswith(f"Cảnh báo: {warning}")  # noted in the summary, the plan still made
    assert rows[11]["Trạng thái"] == "đã tạo" and rows[3]["Lỗi"] == ""
    # the same two schools in the other order are the same pair
    listed = [one_place_row(1, *PAIRS[0]), one_place_row(2, *PAIRS[1]), one_place_row(3, *reversed(PAIRS[0]))]
    again = district_roster(tmp_path, ONE_PLACE_HEADERS, listed)
    result = run("batch", str(again), "--plan", str(PLAN), "-o", str(tmp_path / "out"))
    assert result.code == 0
    [line] = result.err.strip().splitlines()
    assert line.startswith(f"Cảnh báo: {again}:Sheet1!E4: Cặp trường ở dòng 4 trùng với cặp ở dòng 2 (Sheet1!E2). — "
                           "Nếu ghi nhầm, xoá một trong hai dòng (Sheet1!E2 hoặc Sheet1!E4)")


# -- joint symbols (issue 10 §4) ------------------------------------------------------------------------


def test_a_bare_symbol_carries_each_units_abbreviation():
    from kehoach.compose.document import so_ky_hieu

    assert so_ky_hieu("9", "KHLT", ("THLN", "THHL")) == "Số: 09/KHLT-THLN-THHL"
    assert so_ky_hieu(None, "KH", ("MNHS",)) == f"Số:{' ' * 8}/KH-MNHS"
    assert so_ky_hieu("9", "KH-MNHS-MNTPB", ("A", "B")) == "Số: 09/KH-MNHS-MNTPB"  # written in full: as it is


def test_a_bare_symbol_without_a_units_abbreviation_is_reported_at_the_unit(tmp_path):
    plan = tmp_path / "kh.yaml"
    text = (EXAMPLES / "ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml").read_text("utf-8")
    plan.write_text(text.replace("ky_hieu: KH-MNHS-MNTPB", "ky_hieu: KH"), "utf-8")
    (tmp_path / "truong.yaml").write_text((EXAMPLES / "truong.yaml").read_text("utf-8")
                                          .replace("    ky_hieu: MNTPB\n", ""), "utf-8")
    result = run("render", str(plan), "-o", str(tmp_path / "kh.docx"))
    assert result.code == 1
    line, total = result.err.strip().splitlines()
    assert line.startswith(f"{tmp_path / 'truong.yaml'}:") and total == "Tổng cộng 1 lỗi."
    assert "ky_hieu: chưa điền (để ghép vào ký hiệu văn bản KH-…" in line
    # composing never prints a half symbol ("KH-MNHS-"), whichever way the plan reached it
    from kehoach.compose.document import compose
    from kehoach.errors import InputError
    from kehoach.input.loader import load_file
    from kehoach.model.reader import check_document

    with pytest.raises(InputError) as caught:
        compose(check_document(load_file(plan), tmp_path))
    [problem] = caught.value.problems
    second = [n for n, t in enumerate(plan.read_text("utf-8").splitlines(), 1) if "- truong:" in t][1]
    assert (problem.where.file, problem.where.line) == (str(plan), second)
    assert "chưa có ky_hieu (chữ viết tắt) mà ký hiệu văn bản 'KH' cần" in problem.message


def test_the_district_memorandum_warns_of_a_pair_listed_twice_and_skips_the_sample(tmp_path):
    template, workbook, sheet = typed_template(tmp_path)
    for _ in range(2):  # the same pair twice below the kept sample row
        sheet.append([{"don_vi.0.ten": "Trường Tiểu học Đại Kim", "don_vi.0.hieu_truong": "Nguyễn Thị Hà",
                       "don_vi.1.ten": "Trường Tiểu học Hòa Lâm", "don_vi.1.hieu_truong": "Lê Văn Sơn"}.get(c.key)
                      for c in COLUMNS])
    workbook.save(template)
    result = run("batch", str(template), "--plan", str(DISTRICT_MEMO), "--gop", "-o", str(tmp_path / "out"))
    assert result.code == 0
    err = result.err.splitlines()
    assert [line.split(" — ")[0] for line in err] == [
        f"Cảnh báo: {template}:Danh sách!A2: dòng 2 là dòng mẫu của tệp mẫu "
        "(Trường Mầm non Hoàng Liệt - Trường Mầm non Hoa Sơn) nên bị bỏ qua",
        f"Cảnh báo: {template}:Danh sách!E4: Cặp trường ở dòng 4 trùng với cặp ở dòng 3 (Danh sách!E3)."]
    pairs = [b for b in blocks(open_docx((tmp_path / "out" / f"{DISTRICT_MEMO.stem}.docx").read_bytes()))
             if isinstance(b, Table)][1]
    assert [r.cells[1].text for r in pairs.rows[1:]] == ["Trường Tiểu học Đại Kim"] * 2  # the sample is not listed


@pytest.mark.parametrize("text, needs", [
    ("{{ don_vi[0].dia_ban }} và {{ don_vi[1]['co_quan_quan_ly'] }}", {(0, "dia_ban"), (1, "co_quan_quan_ly")}),
    ("{% for d in don_vi %}{{ d.hieu_truong }}{% endfor %}", {(None, "hieu_truong")}),
    ("{% if don_vi[0].co_quan_quan_ly %}báo cáo {{ don_vi[0].co_quan_quan_ly }}{% endif %}", set()),  # guarded
    ("{% if don_vi[0].cap_hoc == 'Mầm non' %}mầm non{% else %}{{ don_vi[1].dia_ban }}{% endif %}", {(1, "dia_ban")}),
    ("{{ don_vi[0].co_quan_quan_ly or 'UBND' }} {{ don_vi[1].dia_ban | default('') }}", set()),  # with a fallback
    ("{{ don_vi[0].ten_goi }} {{ cac_don_vi }}", set()),  # composed by kehoach, never blank
])
def test_the_common_plan_needs_what_its_sentences_print(text, needs):
    from kehoach.batch.rows import _fields_used
    from kehoach.compose.document import environment

    assert _fields_used(environment().parse(text)) == needs


def test_the_date_lines_place_is_asked_for_once_at_its_cell(tmp_path):
    """One rule (reader.unit_needs) says the first school gives the date line's place when the plan has none:
    a row without it gets one message at its «Địa danh trường 1» cell, also when a sentence prints it too."""
    plan = tmp_path / "chung.yaml"
    plan.write_text(PLAN.read_text("utf-8").replace("nội thành và ngoại thành.",
                                                    "nội thành và ngoại thành tại {{ don_vi[0].dia_danh }}."), "utf-8")
    (tmp_path / SCHOOLS.name).write_bytes(SCHOOLS.read_bytes())
    roster = district_roster(tmp_path, ONE_PLACE_HEADERS, [one_place_row(1, *PAIRS[0]) | {"Địa danh trường 1": None}])
    result = run("batch", str(roster), "--plan", str(plan), "-o", str(tmp_path / "out"))
    assert result.code == 1
    place = [line for line in result.err.splitlines() if "địa danh" in line.lower().split(" — ")[0]]
    assert place == [f"{roster}:Sheet1!J2: «Địa danh trường 1» còn trống mà câu văn của kế hoạch chung cần "
                     f"({plan}:23:19) — ghi «Địa danh trường 1» ở dòng này"]


def test_strict_turns_a_batchs_warnings_into_exit_7_its_files_made(tmp_path):
    headers = ["Cấp" if h == "Cấp học" else h for h in ONE_PLACE_HEADERS]  # a header read with a guess: a warning
    rows = [{"Cấp" if k == "Cấp học" else k: v for k, v in one_place_row(1, *PAIRS[0]).items()}]
    roster = district_roster(tmp_path, headers, rows)
    plain = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "a"))
    strict = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "b"), "--strict")
    assert (plain.code, strict.code) == (0, 7)
    assert strict.err == plain.err and strict.err.startswith(f"Cảnh báo: {roster}:Sheet1!D1: Cột D «Cấp» được đọc là «Cấp học».")
    made = "TH Đại Kim - TH Hòa Lâm.docx"
    assert (tmp_path / "b" / made).read_bytes() == (tmp_path / "a" / made).read_bytes()
    # a row's real mistake keeps its own exit code
    rows.append({"Cấp" if k == "Cấp học" else k: v for k, v in one_place_row(2, *PAIRS[1]).items()} | {"Hiệu trưởng trường 2": None})
    roster = district_roster(tmp_path, headers, rows, name="loi.xlsx")
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "c"), "--strict").code == 1
    # --gop: the memorandum of all pairs, the same channel
    memo = run("batch", str(district_roster(tmp_path, headers, rows[:1], name="gop.xlsx")), "--plan", str(DISTRICT_MEMO),
               "--gop", "-o", str(tmp_path / "d"), "--strict")
    assert memo.code == 7 and memo.err.startswith("Cảnh báo: ") and list((tmp_path / "d").glob("*.docx"))


def test_a_batch_of_letters_asks_no_school_for_an_abbreviation(tmp_path):
    """A công văn's symbol is its issuer's as written ("VP"): unlike a plan's bare KHLT, it is not joined with each
    school's abbreviation, so a roster without «Ký hiệu» columns filled makes every letter."""
    letter = (EXAMPLES / "cong-van-gui-ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml").read_text("utf-8")
    letter = letter.replace('danh_sach_truong: "truong.yaml"\ndon_vi:\n  - truong: "mn_hoa_sua"\n'
                            '  - truong: "mn_tien_phong_b"\n', "").replace('ky_hieu: "MNHS-MNTPB"', 'ky_hieu: "VP"')
    common = tmp_path / "cong-van-chung.yaml"
    common.write_text(letter, "utf-8")
    rows = [one_place_row(n, *pair) for n, pair in enumerate(PAIRS[:2], 1)]
    for row in rows:
        row["Ký hiệu trường 1"] = row["Ký hiệu trường 2"] = None
    roster = district_roster(tmp_path, ONE_PLACE_HEADERS, rows)
    result = run("batch", str(roster), "--plan", str(common), "-o", str(tmp_path / "out"))
    assert result.code == 0, result.err
    assert [r["Trạng thái"] for r in summary(tmp_path / "out")] == ["đã tạo"] * 2
    header = open_docx((tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx").read_bytes()).tables[0]
    assert header.cell(1, 0).text.startswith("Số: 12/VP")
