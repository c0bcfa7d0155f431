"""Công văn, tờ trình, "Kính gửi", "Như trên" and the urgency and circulation marks, read back from the DOCX
as a receiving office checks them (nd30.md, "Other document types"); `kehoach new cong-van [--from]`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from docx.table import Table
from docxread import TWIPS_PER_MM, open_docx, para_format, read, run_format, table_paragraphs
from support import EXAMPLES, SCHOOLS, fill, run
from test_doctypes import JOINT, REPORT, docx_of, docx_of_data, paragraphs, tables
from test_register import number_in, rows, write_plan

from kehoach import nd30
from kehoach.errors import InputError
from kehoach.input.loader import load_file
from kehoach.model.reader import read_document
from kehoach.pipeline import render
from kehoach.write import measure
from kehoach.write.metadata import record

LETTER = EXAMPLES / "cong-van-gui-ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml"
SUBMISSION = EXAMPLES / "to-trinh-mn-hoa-sua-giao-luu-tien-phong-b.yaml"
LOAI_OF = {"công văn": "cong_van", "tờ trình": "to_trinh"}


def with_data(path: Path, **changes):
    """An example with some of its fields changed (None: removed), rendered: (document, plan)."""
    data = {**load_file(path).data, **changes}
    return docx_of_data({k: v for k, v in data.items() if v is not None}, path.name)


def number_cell(document):
    """The header's number cell (ô 3, 5b, 10b): the first table whose first cell names the issuing body."""
    header = next(t for t in tables(document) if len(t.columns) == 2)
    return header.cell(1, 0)


def width_mm(element, tag: str) -> float:
    return int(element.find(qn(tag)).get(qn("w:w"))) / TWIPS_PER_MM


def box(table: Table) -> dict:
    """A mark's box: its text, width and height (mm), height rule, vertical alignment, borders and indent."""
    tblPr, row = table._tbl.tblPr, table._tbl.tr_lst[0]
    height = row.trPr.find(qn("w:trHeight"))
    v_align = row.tc_lst[0].tcPr.find(qn("w:vAlign"))
    return {"text": table.cell(0, 0).text, "cells": len(table._tbl.tr_lst) * len(row.tc_lst),
            "width": width_mm(tblPr, "w:tblW"), "height": int(height.get(qn("w:val"))) / TWIPS_PER_MM,
            "rule": height.get(qn("w:hRule")), "v_align": v_align.get(qn("w:val")),
            "borders": {b.get(qn("w:val")) for b in tblPr.find(qn("w:tblBorders"))},
            "indent": width_mm(tblPr, "w:tblInd"), "format": run_format(table.cell(0, 0).paragraphs[0])}


# -- công văn: no title, "V/v" under the number, the urgency box ------------------------------------------------
def test_letter_has_no_title_and_its_abstract_under_the_number():
    document = docx_of(LETTER)
    cell = number_cell(document)
    number, abstract = [p for p in cell.paragraphs if p.text][:2]
    assert number.text == "Số: 12/MNHS-MNTPB"  # no type abbreviation, no unit appended to it
    assert abstract.text.replace("\n", " ").startswith("V/v gửi Kế hoạch phối hợp tổ chức phong trào")
    assert "\n" in abstract.text  # broken into balanced lines that fit the cell
    shape = para_format(abstract)
    assert shape["align"] == "center" and shape["before_pt"] == 6  # cv.trich-yeu: centred, 6 pt below the number
    for run in abstract.runs:
        found = run_format(abstract, run)
        assert 12 <= found["size"] <= 13 and not found["bold"] and not found["italic"]
    body = [p.text for p in paragraphs(document) if p.text.strip()]
    assert body[0] == "Kính gửi:"  # straight after the header: no "CÔNG VĂN", no abstract line
    assert "CÔNG VĂN" not in "\n".join(p.text for p in paragraphs(document))
    assert body[-1] == "Trân trọng./."


@pytest.mark.parametrize("mark, size_mm", [("KHẨN", 20), ("THƯỢNG KHẨN", 40), ("HỎA TỐC", 30)])
def test_urgency_mark_is_a_box_of_the_decrees_size_under_the_abstract(mark, size_mm):
    document, _ = with_data(LETTER, do_khan=mark)
    cell = number_cell(document)
    inner = [child for child in cell._tc if child.tag in (qn("w:p"), qn("w:tbl"))]
    kinds = [child.tag.split("}")[1] for child in inner]
    assert kinds == ["p", "p", "tbl", "p"]  # number, V/v, the box, the paragraph a cell ends with
    found = box(Table(inner[2], cell))
    assert found["text"] == mark and found["cells"] == 1
    assert found["width"] == pytest.approx(size_mm, abs=0.1) and found["height"] == pytest.approx(8, abs=0.1)
    assert found["rule"] == "exact" and found["v_align"] == "center" and found["borders"] == {"single"}
    assert found["format"]["bold"] and 13 <= found["format"]["size"] <= 14
    cell_text_mm = nd30.HEADER_LEFT_MM - 2 * nd30.CELL_MARGIN_MM  # centred under the number
    assert found["indent"] == pytest.approx((cell_text_mm - size_mm) / 2, abs=0.1)
    assert measure.text_width_mm(mark, 13, True) < size_mm
    sidecar = record(render(LETTER)[1].tree)  # what an e-office reads of the letter
    assert (sidecar["ten_loai"], sidecar["do_khan"]) == ("Công văn", "Khẩn") and sidecar["trich_yeu"].startswith("V/v gửi")


def test_circulation_mark_is_boxed_above_the_national_title():
    document, _ = with_data(SUBMISSION, luu_hanh="LƯU HÀNH NỘI BỘ")
    first = next(iter(tables(document)))
    found = box(first)
    assert found["text"] == "LƯU HÀNH NỘI BỘ" and found["borders"] == {"single"} and found["format"]["bold"]
    header = tables(document)[1]
    assert header.cell(0, 1).paragraphs[0].text == nd30.QUOC_HIEU_TEXT  # the box comes before the header
    # centred on the national title's column
    right_column_start = nd30.HEADER_LEFT_MM - nd30.HEADER_OUTDENT_MM
    centre = found["indent"] + found["width"] / 2
    assert centre == pytest.approx(right_column_start + nd30.HEADER_RIGHT_MM / 2, abs=0.2)
    assert found["width"] > measure.text_width_mm("LƯU HÀNH NỘI BỘ", 13, True)


@pytest.mark.parametrize("field, value, allowed", [
    ("do_khan", "khẩn lắm", "'KHẨN', 'THƯỢNG KHẨN' hoặc 'HỎA TỐC'"),
    ("luu_hanh", "MẬT", "'LƯU HÀNH NỘI BỘ', 'XEM XONG TRẢ LẠI'"),
])
def test_marks_outside_the_decrees_list_are_refused_with_the_list(field, value, allowed, tmp_path):
    path = copy_example(LETTER, tmp_path)
    path.write_text(path.read_text("utf-8").replace("do_khan: KHẨN", f"{field}: {value}"), "utf-8")
    code, _, err = run("check", str(path))
    line = next(n for n, text in enumerate(path.read_text("utf-8").splitlines(), 1) if text.startswith(field))
    assert code == 1 and f"{path.name}:{line}:" in err and f"'{value}' không hợp lệ" in err and allowed in err


# -- symbols --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("path, symbol, refused", [
    (LETTER, "CV-MNHS", "bỏ 'CV-': MNHS"),
    (LETTER, "KH-MNHS", "không có chữ viết tắt tên loại"),
    (SUBMISSION, "BC-MNHS", "tờ trình có ký hiệu bắt đầu bằng TTr"),
])
def test_symbol_of_letter_and_submission(path, symbol, refused):
    with pytest.raises(InputError) as error:
        with_data(path, ky_hieu=symbol)
    assert refused in str(error.value)


def test_letter_symbol_is_printed_as_written_and_submission_takes_its_units():
    document, _ = with_data(LETTER, ky_hieu="MNHS-VP")
    assert number_cell(document).paragraphs[0].text == "Số: 12/MNHS-VP"
    document, _ = with_data(SUBMISSION, ky_hieu="TTr")
    assert number_cell(document).paragraphs[0].text == "Số: 15/TTr-MNHS"


# -- tờ trình: title, abstract, Kính gửi on one line ---------------------------------------------------------
def test_submission_title_abstract_and_one_addressee_on_its_line():
    document = docx_of(SUBMISSION)
    body = [p for p in paragraphs(document) if p.text.strip()]
    assert body[0].text == "TỜ TRÌNH" and run_format(body[0])["bold"]
    assert body[1].text.startswith("Đề nghị phê duyệt")
    addressed = body[2]
    assert addressed.text == "Kính gửi: Phòng GD&ĐT quận Long Biên"  # kinh-gui.format: one, on the same line
    assert para_format(addressed)["align"] == "center"
    assert {(f["size"], f["bold"], f["italic"]) for f in map(lambda r: run_format(addressed, r), addressed.runs)} == {(14, False, False)}
    opening = body[4].text  # after the căn cứ: the standard sentence of templates/to_trinh
    assert opening.startswith("Trường MN Hoa Sữa quận Long Biên kính trình Phòng GD&ĐT quận Long Biên đề nghị phê duyệt")
    assert body[-1].text == "Trường MN Hoa Sữa quận Long Biên kính trình Phòng GD&ĐT quận Long Biên xem xét, phê duyệt./."
    recipients = [p.text for p in table_paragraphs(tables(document)[-1]) if p.text.startswith("- ")]
    assert recipients[0] == "- Như trên;"


# -- Kính gửi with several addressees: dashes lined up under the colon ---------------------------------------
def kinh_gui_block(document) -> list:
    body = paragraphs(document)
    start = next(i for i, p in enumerate(body) if p.text.startswith("Kính gửi"))
    block = [body[start]]
    for paragraph in body[start + 1:]:
        if not paragraph.text.startswith("-\t"):
            break
        block.append(paragraph)
    return block


def line_start_mm(paragraph) -> float:
    """Where a paragraph's first line starts: its left indent less its hanging indent (mm)."""
    ind = paragraph._p.pPr.find(qn("w:ind"))
    return (int(ind.get(qn("w:left"), 0)) - int(ind.get(qn("w:hanging"), 0))) / TWIPS_PER_MM


LONG = ["Ủy ban nhân dân phường Hoàng Liệt thành phố Hà Nội (Phòng Văn hóa - Xã hội, bộ phận phụ trách giáo dục)",
        "Phòng GD&ĐT huyện Mê Linh", "Sở Giáo dục và Đào tạo Hà Nội"]


@pytest.mark.parametrize("names", [None, LONG])
def test_several_addressees_each_on_its_line_dashes_under_the_colon(names):
    document = docx_of(LETTER) if names is None else with_data(LETTER, kinh_gui=names)[0]
    label, *lines = kinh_gui_block(document)
    expected = names or ["Phòng GD&ĐT quận Long Biên", "Phòng GD&ĐT huyện Mê Linh"]
    assert label.text == "Kính gửi:"  # several: "xuống dòng" after the label
    assert [read(p.text) for p in lines] == [f"-\t{n};" for n in expected[:-1]] + [f"-\t{expected[-1]}."]
    dashes = {round(line_start_mm(p), 2) for p in lines}
    assert len(dashes) == 1  # kinh-gui.align: lined up with each other
    colon = para_format(label)["left_mm"] + measure.text_width_mm("Kính gửi", 14, False)
    assert dashes.pop() == pytest.approx(colon, abs=0.3)  # … under the colon
    for paragraph in lines:  # the text after each dash at a tab stop on the hanging indent: wrapped lines align
        stop = paragraph._p.pPr.find(qn("w:tabs"))[0]
        assert int(stop.get(qn("w:pos"))) / TWIPS_PER_MM == pytest.approx(para_format(paragraph)["left_mm"], abs=0.1)
        assert {(f["size"], f["bold"], f["italic"]) for f in map(lambda r: run_format(paragraph, r), paragraph.runs)} == {(14, False, False)}


def test_report_with_kinh_gui_addresses_its_managing_body():
    document = docx_of(REPORT)
    body = [p.text for p in paragraphs(document) if p.text.strip()]
    assert body[0] == "BÁO CÁO" and body[2] == "Kính gửi: Phòng GD&ĐT quận Long Biên"  # after title and abstract
    recipients = [p.text for p in table_paragraphs(tables(document)[-1]) if p.text.startswith("- ")]
    assert recipients[0] == "- Như trên;"
    plan_without = docx_of(JOINT)  # a plan that does not say where it goes has no Kính gửi
    assert not any(p.text.startswith("Kính gửi") for p in paragraphs(plan_without))


# -- Như trên and a required Kính gửi: checked, located, with the fix ---------------------------------------------
def copy_example(path: Path, folder: Path) -> Path:
    shutil.copy(EXAMPLES / "truong.yaml", folder / "truong.yaml")
    return Path(shutil.copy(path, folder / path.name))


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text("utf-8").splitlines(), 1) if line.strip() == text)


def test_kinh_gui_without_nhu_tren_is_reported_at_the_first_recipient(tmp_path):
    path = copy_example(REPORT, tmp_path)
    path.write_text(path.read_text("utf-8").replace("  - Như trên\n", ""), "utf-8")
    code, _, err = run("check", str(path))
    line = line_of(path, "- Trường MN Tiên Phong B (để p/h)")
    assert code == 1 and f"{path.name}:{line}:5: văn bản có phần Kính gửi nên nơi nhận mở đầu bằng 'Như trên'" in err
    assert "thêm dòng `- Như trên` ngay dưới `noi_nhan:`" in err and "Traceback" not in err


def test_nhu_tren_without_kinh_gui_is_reported(tmp_path):
    path = copy_example(REPORT, tmp_path)
    text = path.read_text("utf-8")
    path.write_text(text.replace('kinh_gui:\n  - "{{ don_vi[0].co_quan_quan_ly }}"\n', ""), "utf-8")
    code, _, err = run("check", str(path))
    assert code == 1 and f"{path.name}:{line_of(path, '- Như trên')}:5: nơi nhận ghi 'Như trên' nhưng văn bản không có phần Kính gửi" in err


@pytest.mark.parametrize("path, name", [(LETTER, "công văn"), (SUBMISSION, "tờ trình")])
def test_letter_and_submission_need_kinh_gui(path, name, tmp_path):
    path = copy_example(path, tmp_path)
    path.write_text(re.sub(r"kinh_gui:\n(  - .*\n)+", "", path.read_text("utf-8")), "utf-8")
    code, _, err = run("check", str(path))
    assert code == 1 and f"{path.name}:{line_of(path, f'loai: {LOAI_OF[name]}')}:7: {name} cần phần Kính gửi" in err


def test_memorandum_has_no_kinh_gui():
    with pytest.raises(InputError) as error:
        with_data(EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml", kinh_gui=["Sở Giáo dục và Đào tạo Hà Nội"])
    assert "biên bản ghi nhớ không có phần Kính gửi" in str(error.value)


# -- kehoach new cong-van [--from], new to-trinh ------------------------------------------------------------------
def test_cover_letter_from_a_plan_cites_it_and_addresses_each_units_body(tmp_path):
    target = tmp_path / "cv.yaml"
    code, _, err = run("new", "cong-van", "--from", str(JOINT), "-o", str(target))
    assert code == 0, err
    plan = read_document(target)
    assert plan.model.loai == "cong_van" and plan.model.ky_hieu == "MNHS-MNTPB" and plan.model.noi_nhan[0] == "Như trên"
    assert plan.model.kinh_gui == ["{{ don_vi[0].co_quan_quan_ly }}", "{{ don_vi[1].co_quan_quan_ly }}"]
    code, _, err = run("render", str(target), "-o", str(tmp_path / "cv.docx"))
    assert code == 0, err
    document = open_docx((tmp_path / "cv.docx").read_bytes())
    text = "\n".join(p.text for p in paragraphs(document))
    assert "Phòng GD&ĐT quận Long Biên và Phòng GD&ĐT huyện Mê Linh Kế hoạch ngày 20/3/2023 về phối hợp" in text
    assert number_cell(document).paragraphs[1].text.replace("\n", " ").startswith("V/v gửi Kế hoạch phối hợp")
    before = target.read_bytes()
    code, _, err = run("new", "cong-van", "--from", str(JOINT), "-o", str(target))
    assert code == 3 and target.read_bytes() == before  # never overwritten


def test_cover_letter_of_units_under_one_body_addresses_it_once(tmp_path):
    schools = tmp_path / "truong.yaml"
    schools.write_text((EXAMPLES / "truong.yaml").read_text("utf-8").replace(
        "Phòng GD&ĐT huyện Mê Linh", "Phòng GD&ĐT quận Long Biên"), "utf-8")
    plan = Path(shutil.copy(JOINT, tmp_path / JOINT.name))
    code, _, err = run("new", "cong-van", "--from", str(plan))
    assert code == 0, err
    written = read_document(tmp_path / f"cong-van-{JOINT.stem}.yaml")
    assert written.model.kinh_gui == ["{{ don_vi[0].co_quan_quan_ly }}"]


@pytest.mark.parametrize("kind, symbol, name", [("cong-van", "MNHS-VP", "cong-van.yaml"), ("letter", "MNHS-VP", "cong-van.yaml"),
                                                ("to-trinh", "TTr", "to-trinh.yaml")])
def test_starters_fail_at_their_blanks_then_render(kind, symbol, name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("new", kind)[0] == 0
    path = tmp_path / name
    code, _, err = run("check", name)
    assert code == 1 and f"{name}:" in err and "trich_yeu" in err
    fill(path, [{**SCHOOLS[0], "ky_hieu": "MNHS", "ngay": "16/9/2025",
                 "trich_yeu": "gửi báo cáo kết quả phong trào năm học 2025-2026"}, {"ky_hieu": symbol}])
    code, _, err = run("render", name, "-o", "out.docx")
    assert code == 0, err
    document = open_docx((tmp_path / "out.docx").read_bytes())
    texts = [p.text for p in paragraphs(document) if p.text.strip()]
    assert "Kính gửi: UBND phường Phúc Lợi" in texts
    assert [p.text for p in table_paragraphs(tables(document)[-1]) if p.text.startswith("- ")][0] == "- Như trên;"


def test_cover_letter_of_a_unit_without_its_body_names_the_line_to_fill(tmp_path):
    single = EXAMPLES / "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml"  # its centre does not say whom it reports to
    target = tmp_path / "cv.yaml"
    assert run("new", "cong-van", "--from", str(single), "-o", str(target))[0] == 0
    code, _, err = run("check", str(target))
    unit = line_of(target, "- co_quan_chu_quan: \"SỞ GIÁO DỤC VÀ ĐÀO TẠO HÀ NỘI\"")
    assert code == 1 and f"cv.yaml:{unit}:5: don_vi[1].co_quan_quan_ly: chưa điền" in err


def test_letters_are_registered_by_their_v_v_abstract(tmp_path):
    """Two công văn of one unit on one day differ by their abstract ("V/v …", ô 5b): two numbers, two register lines."""
    register = str(tmp_path / "so-dang-ky.sqlite")
    letters = []
    for name, abstract in (("a", "gửi kế hoạch phối hợp năm học 2025-2026"), ("b", "đăng ký tham gia hội thi")):
        path = write_plan(tmp_path, name, abstract)
        text = path.read_text("utf-8").replace("ky_hieu: KH-THHL", "loai: cong_van\nky_hieu: THHL-VP\nkinh_gui: [UBND phường Hoàng Liệt]")
        path.write_text(text.replace("  - UBND phường Hoàng Liệt\n", "  - Như trên\n"), "utf-8")
        letters.append(str(path))
    code, _, err = run("render", *letters, "-o", str(tmp_path / "out"), "--cap-so", "--so-dang-ky", register)
    assert code == 0, err
    assert [number_in(tmp_path / "out" / f"{n}.docx").split("\n")[0] for n in "ab"] == ["Số: 01/THHL-VP", "Số: 02/THHL-VP"]
    assert [r.ten_loai_trich_yeu for r in rows(register)] == [
        "Công văn gửi kế hoạch phối hợp năm học 2025-2026", "Công văn đăng ký tham gia hội thi"]


def test_a_bare_letter_symbol_is_the_issuer_and_needs_no_unit_abbreviation(tmp_path):
    path = copy_example(LETTER, tmp_path)
    schools = tmp_path / "truong.yaml"
    schools.write_text(schools.read_text("utf-8").replace("    ky_hieu: MNHS\n", "").replace("    ky_hieu: MNTPB\n", ""), "utf-8")
    path.write_text(path.read_text("utf-8").replace('ky_hieu: "MNHS-MNTPB"', "ky_hieu: MNHS"), "utf-8")
    code, _, err = run("render", str(path), "-o", str(tmp_path / "cv.docx"))
    assert code == 0, err
    assert number_cell(open_docx((tmp_path / "cv.docx").read_bytes())).paragraphs[0].text == "Số: 12/MNHS"


def test_cover_letter_of_a_report_cites_its_number_and_asks_to_take_it_into_account(tmp_path):
    target = tmp_path / "cv.yaml"
    assert run("new", "cong-van", "--from", str(REPORT), "-o", str(target))[0] == 0
    code, _, err = run("render", str(target), "-o", str(tmp_path / "cv.docx"))
    assert code == 0, err
    texts = [read(p.text) for p in paragraphs(open_docx((tmp_path / "cv.docx").read_bytes())) if p.text.strip()]
    assert texts[:2] == ["Kính gửi: Phòng GD&ĐT quận Long Biên",  # one unit, one body: on the label's line
                         "Trường MN Hoa Sữa quận Long Biên trân trọng gửi Phòng GD&ĐT quận Long Biên Báo cáo số 45/BC-MNHS "
                         "ngày 7/6/2024 về kết quả thực hiện phong trào “Nhà trường cùng chung tay phát triển - Thầy cô cùng "
                         "sẻ chia trách nhiệm” năm học 2023-2024 (gửi kèm công văn này)."]
    assert texts[2] == "Kính đề nghị Phòng GD&ĐT quận Long Biên xem xét, tổng hợp."
