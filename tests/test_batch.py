"""`kehoach batch`: a roster with real-world quirks and bad rows in, one complete joint plan per good row out."""

from __future__ import annotations

import csv
import sys
import zipfile
from pathlib import Path

import pdfcheck
import pytest
from conftest import EXAMPLES
from docx.table import Table
from docxread import blocks, layout_problems, open_docx, table_paragraphs
from test_roster import _add_cached_value, save

from kehoach.cli import main

PLAN = EXAMPLES / "batch" / "ke-hoach-chung.yaml"
ROSTER = EXAMPLES / "batch" / "danh-sach-cap-truong.xlsx"
SCHOOLS = EXAMPLES / "batch" / "truong-hoang-mai-ung-hoa.yaml"

HEADER = ["STT", "Số văn bản", "Ngày văn bản",
          "Mã trường 1", "Tên trường 1", "Tên ngắn trường 1", "Cơ quan chủ quản trường 1", "Địa bàn trường 1",
          "Địa danh trường 1", "Hiệu trưởng trường 1",
          "Tên trường 2", "Tên ngắn trường 2", "Cơ quan chủ quản trường 2", "Địa bàn trường 2", "Hiệu trưởng trường 2",
          "Nơi nhận thêm", "Ghi chú"]


def school_a(name="Đại Kim", principal="Nguyễn Thị Hà"):
    return ["", f"Trường Tiểu học {name}  ", f"TH {name}", "UBND QUẬN HOÀNG MAI", "quận Hoàng Mai", "Hoàng Mai",
            principal]


def school_b(name="Hòa Lâm", principal="Lê Văn Sơn"):
    return [f"Trường Tiểu học {name}", f"TH {name}", "UBND HUYỆN ỨNG HÒA", "huyện Ứng Hòa", principal]


def quirky_roster(tmp_path: Path) -> Path:
    """Title row merged across the sheet, numbers and dates in every form, blank, hidden and bad rows."""
    rows = [
        ["DANH SÁCH CÁC CẶP TRƯỜNG KẾT NGHĨA QUẬN HOÀNG MAI - HUYỆN ỨNG HÒA"],
        HEADER,
        [1, "5", "16/9/2025", *school_a(), *school_b(),  # 3: number as text, date as text, trailing spaces
         "Phòng Văn hóa - Xã hội; Ban đại diện cha mẹ học sinh", "ghi chú bỏ qua"],
        [None, "", " ", None, None, None, None, None, None, None, None, None, None, None, None, None, None],  # 4 blank
        [2, 7, 45916, *school_a("Định Công", "Trần Văn Hùng"), *school_b("Hòa Xá", "Đỗ Thị Mai"), None],  # 5: serial
        [3, None, None, *school_a("Giáp Bát"), *school_b("Hòa Nam"), None],  # 6: hidden
        [4, None, None, *school_a("Lĩnh Nam"), '=UPPER("Trường Tiểu học Phương Tú")', "TH Phương Tú",
         "UBND HUYỆN ỨNG HÒA", "huyện Ứng Hòa", "Vũ Văn Nam", None],  # 7: formula with a cached value
        [5, None, "31/2/2025", *school_a("Mai Động"), *school_b("Viên An"), None],  # 8: impossible date
        [6, None, None, *school_a("Tân Mai"), *school_b("Viên Nội", principal=None), None],  # 9: no principal
        [7, None, None, "khong_co_ma", None, None, None, None, None, None, *school_b("Đông Lỗ"), None],  # 10: bad code
        [8, "5", "16/9/2025", *school_a(), *school_b(), None],  # 11: the same pair as row 3
        [9, None, None, "hm_thcs_hoang_liet", None, None, None, None, None, None,
         *school_b("Vân Đình", "Lương Văn Khánh"), None],  # 12: school 1 from the schools file
    ]

    def edit(sheet):
        sheet.merge_cells("A1:Q1")
        sheet.row_dimensions[6].hidden = True

    path = save(tmp_path, rows, edit=edit)
    _add_cached_value(path, "K7", "TRƯỜNG TIỂU HỌC PHƯƠNG TÚ")
    return path


def run(*args: str, monkeypatch=None) -> int:
    """Run the kehoach command line; its exit code."""
    old = sys.argv
    sys.argv = ["kehoach", *args]
    try:
        main()
    except SystemExit as done:
        return done.code or 0
    finally:
        sys.argv = old
    return 0


def contents(outdir: Path) -> dict[str, dict[str, bytes]]:
    """Each DOCX's parts (zip entry times differ from run to run; the content must not)."""
    out = {}
    for path in outdir.glob("*.docx"):
        with zipfile.ZipFile(path) as archive:
            out[path.name] = {name: archive.read(name) for name in archive.namelist()}
    return out


def summary(outdir: Path) -> list[dict]:
    raw = (outdir / "tong-hop.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads the Vietnamese right
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def header_and_signatures(path: Path):
    document = open_docx(path.read_bytes())
    tables = [b for b in blocks(document) if isinstance(b, Table)]
    return document, tables[0], tables[-1]


def texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text]


def recipients(document) -> list[str]:
    """The recipient lines after the signature row of a joint plan."""
    lines = [p.text for p in document.paragraphs]
    return lines[lines.index("Nơi nhận:") + 1:]


@pytest.fixture(scope="module")
def quirky(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    roster = quirky_roster(tmp)
    code = run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp / "out"))
    return roster, tmp / "out", code


def test_bad_rows_fail_alone_with_their_cells(quirky, capsys):
    roster, outdir, code = quirky
    assert code == 1
    rows = {int(r["Dòng"]): r for r in summary(outdir)}
    assert {n: r["Trạng thái"] for n, r in rows.items()} == {
        3: "đã tạo", 4: "bỏ qua", 5: "đã tạo", 6: "bỏ qua", 7: "đã tạo", 8: "lỗi", 9: "lỗi", 10: "lỗi",
        11: "đã tạo", 12: "đã tạo"}
    assert rows[4]["Lỗi"] == "dòng trống" and rows[6]["Lỗi"] == "dòng bị ẩn"
    assert rows[8]["Lỗi"].startswith(f"{roster}:Sheet1!C8: Ngày «31/2/2025» không có thật")
    assert rows[9]["Lỗi"].startswith(f"{roster}:Sheet1!O9: Thiếu «Hiệu trưởng trường 2».")
    assert rows[10]["Lỗi"].startswith(f"{roster}:Sheet1!D10: không có trường mã 'khong_co_ma'")
    assert rows[12]["Trường 1"] == "Trường Trung học cơ sở Hoàng Liệt"
    for number in (8, 9, 10):
        assert rows[number]["Tệp"] == "" and rows[number]["Trường 2"]  # what could be read is listed
    made = sorted(p.name for p in outdir.glob("*.docx"))
    assert made == sorted(rows[n]["Tệp"] for n in (3, 5, 7, 11, 12))


def test_unknown_column_warned_at_its_header_cell(tmp_path, capsys):
    roster = save(tmp_path, [HEADER, [1, None, None, *school_a(), *school_b(), None, "x"]])
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out")) == 0
    err = capsys.readouterr().err
    assert f"Cảnh báo: {roster}:Sheet1!Q1: Cột Q «Ghi chú» không có trong mẫu nên bị bỏ qua." in err


def test_each_plan_is_complete_and_carries_its_row(quirky):
    roster, outdir, _ = quirky
    rows = {int(r["Dòng"]): r for r in summary(outdir)}

    document, header, signatures = header_and_signatures(outdir / rows[3]["Tệp"])
    assert texts(header.cell(0, 0)) == ["UBND QUẬN HOÀNG MAI", "TRƯỜNG TIỂU HỌC ĐẠI KIM",  # trailing spaces gone
                                        "UBND HUYỆN ỨNG HÒA", "TRƯỜNG TIỂU HỌC HÒA LÂM"]
    assert header.cell(1, 0).text == "Số: 05/KHLT"
    assert header.cell(1, 1).text == "Hoàng Mai, ngày 16 tháng 9 năm 2025"
    left, right = signatures.rows[0].cells
    assert texts(left) == ["TRƯỜNG TH ĐẠI KIM\nQUẬN HOÀNG MAI", "HIỆU TRƯỞNG", "Nguyễn Thị Hà"]
    assert texts(right) == ["TRƯỜNG TH HÒA LÂM\nHUYỆN ỨNG HÒA", "HIỆU TRƯỞNG", "Lê Văn Sơn"]
    assert recipients(document) == [
        "- Phòng GD&ĐT quận Hoàng Mai (để b/c);", "- Phòng GD&ĐT huyện Ứng Hòa (để b/c);",
        "- Trường Tiểu học Đại Kim (để t/h);", "- Trường Tiểu học Hòa Lâm (để t/h);",
        "- Phòng Văn hóa - Xã hội;", "- Ban đại diện cha mẹ học sinh;", "- Lưu: VT."]
    body = "\n".join(p.text for p in document.paragraphs)
    assert "giữa trường TH Đại Kim quận Hoàng Mai và trường TH Hòa Lâm huyện Ứng Hòa" in body
    assert body.count("Chương trình giáo dục phổ thông 2018") == 2

    _, header, signatures = header_and_signatures(outdir / rows[5]["Tệp"])
    assert header.cell(1, 0).text == "Số: 07/KHLT"  # 7 typed as a number
    assert header.cell(1, 1).text == "Hoàng Mai, ngày 16 tháng 9 năm 2025"  # Excel serial 45916
    assert texts(signatures.rows[0].cells[1])[-1] == "Đỗ Thị Mai"

    _, header, _ = header_and_signatures(outdir / rows[7]["Tệp"])
    assert header.cell(1, 0).text == "Số:        /KHLT"  # no number: left for the văn thư
    assert header.cell(1, 1).text == "Hoàng Mai, ngày 20 tháng 10 năm 2023"  # the common plan's date
    assert texts(header.cell(0, 0))[-1] == "TRƯỜNG TIỂU HỌC PHƯƠNG TÚ"  # the formula's value

    _, header, signatures = header_and_signatures(outdir / rows[12]["Tệp"])
    assert texts(header.cell(0, 0))[:2] == ["UBND QUẬN HOÀNG MAI", "TRƯỜNG TRUNG HỌC\nCƠ SỞ HOÀNG LIỆT"]  # issuer.name wraps, balanced
    assert texts(signatures.rows[0].cells[0])[-1] == "Trịnh Thị Thanh Hoa"

    for row in (3, 5, 7, 11, 12):
        assert layout_problems(open_docx((outdir / rows[row]["Tệp"]).read_bytes())) == []


def test_names_unique_safe_and_stable_between_runs(quirky, tmp_path):
    roster, outdir, _ = quirky
    rows = {int(r["Dòng"]): r for r in summary(outdir)}
    assert rows[3]["Tệp"] == "TH Đại Kim - TH Hòa Lâm.docx"
    assert rows[11]["Tệp"] == "TH Đại Kim - TH Hòa Lâm (2).docx"  # the same pair twice
    before = contents(outdir)
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(outdir)) == 1
    assert contents(outdir) == before  # the same files replaced with the same content, nothing added
    assert [r["Tệp"] for r in summary(outdir)] == [r["Tệp"] for r in rows.values()]


def test_file_names_refuse_windows_reserved_and_bound_length(tmp_path):
    from kehoach.batch import FileNames

    names = FileNames(tmp_path)
    long = {"ten_ngan": "Trường " + "rất dài " * 40}
    odd = names.name([{"ten_ngan": 'CON'}, {"ten_ngan": 'A/B: "C"?'}])
    assert odd.name == "CON - A-B- -C.docx"
    first, second = names.name([long, long]), names.name([long, long])
    assert len(first.stem) <= 120 and second.stem == f"{first.stem} (2)"
    assert names.name([{"ten_ngan": "con"}, {}]).name == "van-ban-con.docx"
    assert names.name([{"ten_ngan": "tong-hop"}, {}]).name == "tong-hop (2).docx"  # never the summary's name


def test_mistake_in_common_plan_stops_before_any_row(tmp_path, capsys):
    plan = tmp_path / "chung.yaml"
    plan.write_text(PLAN.read_text("utf-8").replace("{{ don_vi[0].dia_ban }} và {{ don_vi[1].dia_ban }}.",
                                                    "{{ don_vi[0].quan }}."), "utf-8")
    (tmp_path / SCHOOLS.name).write_bytes(SCHOOLS.read_bytes())
    roster = save(tmp_path, [HEADER, [1, None, None, *school_a(), *school_b(), None, None]])
    assert run("batch", str(roster), "--plan", str(plan), "-o", str(tmp_path / "out")) == 1
    line = next(n for n, text in enumerate(plan.read_text("utf-8").splitlines(), 1) if "don_vi[0].quan" in text)
    assert f"{plan}:{line}:" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_parallel_run_gives_the_same_files_in_roster_order(tmp_path):
    one, two = tmp_path / "mot", tmp_path / "hai"
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(one), "--jobs", "1") == 0
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(two), "--jobs", "2") == 0
    assert summary(one) == summary(two)
    assert contents(one) == contents(two)


def test_example_roster_renders_every_pair_to_decree_30(tmp_path):
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(tmp_path)) == 0
    rows = summary(tmp_path)
    assert len(rows) >= 30 and {r["Trạng thái"] for r in rows} == {"đã tạo"}
    levels = set()
    for row in rows:
        document, header, signatures = header_and_signatures(tmp_path / row["Tệp"])
        issuers = texts(header.cell(0, 0))
        assert issuers[0] == "UBND QUẬN HOÀNG MAI" and issuers[2] == "UBND HUYỆN ỨNG HÒA"
        printed = [issuers[1].replace("\n", " "), issuers[3].replace("\n", " ")]  # a long name wraps (issuer.name)
        assert [p.upper() for p in (row["Trường 1"], row["Trường 2"])] == printed
        assert all(len(texts(cell)) == 3 for cell in signatures.rows[0].cells)  # unit, title, name
        assert layout_problems(document) == []
        levels.add(issuers[1].split()[1])
    assert levels == {"MẦM", "TIỂU", "TRUNG"}


def test_pdf_without_libreoffice_keeps_the_docx(tmp_path, monkeypatch, capsys):
    import kehoach.pdf

    monkeypatch.setattr(kehoach.pdf, "find_soffice", lambda: None)
    roster = save(tmp_path, [HEADER, [1, None, None, *school_a(), *school_b(), None, None]])
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out"), "--pdf") == 4
    assert "Không tìm thấy LibreOffice" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "out").glob("*.docx")] == ["TH Đại Kim - TH Hòa Lâm.docx"]


def test_roster_template_command(tmp_path):
    from kehoach.roster import read_roster

    assert run("roster-template", str(tmp_path / "mau.xlsx")) == 0
    assert len(read_roster(tmp_path / "mau.xlsx").rows) == 1


def test_csv_roster(tmp_path):
    roster = tmp_path / "ds.csv"
    with roster.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(HEADER[:-1])
        writer.writerow([1, "12", "05/01/2024", *school_a(), *school_b(), ""])
    assert run("batch", str(roster), "--plan", str(PLAN), "-o", str(tmp_path / "out")) == 0
    _, header, _ = header_and_signatures(tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx")
    assert header.cell(1, 0).text == "Số: 12/KHLT"
    assert header.cell(1, 1).text == "Hoàng Mai, ngày 05 tháng 01 năm 2024"


def test_plan_check_errors_in_row_values_point_at_the_row(tmp_path, capsys):
    # The schools file has no principal for this school: check_plan finds it, at the row's code cell.
    schools = tmp_path / "truong.yaml"
    schools.write_text("truong:\n  th_x:\n    ten: Trường Tiểu học X\n    dia_danh: Hoàng Mai\n", "utf-8")
    roster = save(tmp_path, [["Mã trường 1", *HEADER[10:15]], ["th_x", *school_b()]])
    assert run("batch", str(roster), "--plan", str(PLAN), "--truong", str(schools), "-o", str(tmp_path / "out")) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"{roster}:Sheet1!A2: đơn vị 'Trường Tiểu học X' chưa có họ tên thủ trưởng")


# -- memorandums from the same roster (issue 7): one per pair, or one listing every pair ---------------

DISTRICT_MEMO = EXAMPLES / "batch" / "bien-ban-ghi-nho-toan-quan.yaml"


def test_one_memorandum_per_pair_through_the_batch_command(tmp_path):
    rows = [HEADER, [1, "5", "16/9/2025", *school_a(), *school_b(), None, None]]
    roster = save(tmp_path, rows)
    memorandum = EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml"
    assert run("batch", str(roster), "--plan", str(memorandum), "-o", str(tmp_path / "out")) == 0
    document = open_docx((tmp_path / "out" / "TH Đại Kim - TH Hòa Lâm.docx").read_bytes())
    texts = [b.text for b in blocks(document) if not isinstance(b, Table)]
    assert "BIÊN BẢN GHI NHỚ" in texts and "Bên B: Trường Tiểu học Hòa Lâm huyện Ứng Hòa" in texts
    signatures = [b for b in blocks(document) if isinstance(b, Table)][-1]
    assert [c.paragraphs[0].text for c in signatures.rows[0].cells] == [
        "ĐẠI DIỆN TRƯỜNG TH ĐẠI KIM\nQUẬN HOÀNG MAI", "ĐẠI DIỆN TRƯỜNG TH HÒA LÂM\nHUYỆN ỨNG HÒA"]
    header = next(b for b in blocks(document) if isinstance(b, Table))
    assert header.cell(1, 0).text == "Số: 05/BGN-PGDĐTHM-PGDĐTUH"  # the row's number, leading zero


def test_one_district_memorandum_lists_every_pair_of_the_roster(tmp_path):
    assert run("batch", str(ROSTER), "--plan", str(DISTRICT_MEMO), "--gop", "-o", str(tmp_path)) == 0
    document = open_docx((tmp_path / "bien-ban-ghi-nho-toan-quan.docx").read_bytes())
    tables = [b for b in blocks(document) if isinstance(b, Table)]
    pairs = tables[1]
    assert [c.text for c in pairs.rows[0].cells] == ["TT", "Trường thứ nhất", "Hiệu trưởng", "Trường thứ hai", "Hiệu trưởng"]
    assert len(pairs.rows) - 1 == 36  # every pair of the example roster, numbered 1 … 36
    assert [r.cells[0].text for r in pairs.rows[1:]] == [str(n) for n in range(1, 37)]
    # the two pairs given by code in the roster are filled from the schools file
    assert "THCS Hoàng Liệt, quận Hoàng Mai" in [r.cells[1].text for r in pairs.rows]
    assert [c.paragraphs[0].text for c in tables[-1].rows[0].cells] == [
        "ĐẠI DIỆN PHÒNG GD&ĐT\nQUẬN HOÀNG MAI", "ĐẠI DIỆN PHÒNG GD&ĐT\nHUYỆN ỨNG HÒA"]
    assert layout_problems(document) == []


def test_a_bad_row_stops_the_district_memorandum_at_its_cell(tmp_path, capsys):
    rows = [HEADER, [1, None, None, *school_a(), *school_b(), None, None],
            [2, None, None, "khong_co_ma", None, None, None, None, None, None, *school_b("Đông Lỗ"), None, None]]
    roster = save(tmp_path, rows)
    assert run("batch", str(roster), "--plan", str(DISTRICT_MEMO), "--gop", "-o", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert f"{roster}:Sheet1!D3: không có trường mã 'khong_co_ma'" in err
    assert not (tmp_path / "out").exists()  # a list of pairs with one missing is not written at all


def test_metadata_without_pdf_writes_a_sidecar_per_row_without_page_count(tmp_path):
    out = tmp_path / "out"
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(out), "--metadata", "--jobs", "2") == 0
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
    assert run("batch", str(ROSTER), "--plan", str(DISTRICT_MEMO), "--gop", "--metadata", "-o", str(tmp_path)) == 0
    sidecar = pdfcheck.sidecar(tmp_path / f"{DISTRICT_MEMO.stem}.json")
    assert sidecar["ten_loai"] == "Biên bản ghi nhớ" and len(sidecar["co_quan_ban_hanh"]) == 2
    assert sidecar["tep"] == {"docx": f"{DISTRICT_MEMO.stem}.docx", "pdf": None}
