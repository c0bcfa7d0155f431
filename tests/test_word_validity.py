"""Every DOCX kehoach can write opens in Microsoft Word without repair.

openxml-audit applies the Open XML SDK's validation rules (the schema of each part, the relationships
Word requires): Word repairs or refuses a file it would flag, where LibreOffice forgives. Each kind of
output is audited: the examples, every plan and memorandum of the example roster, the district
memorandum, the filled starters of `kehoach new`, the report and cover-letter starters, and every urgency and
circulation mark.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import docx
import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator
from support import DECISION, EXAMPLES, ROSTER, SCHOOLS, fill, run, xml_part

from kehoach import nd30
from kehoach.write.docx import ooxml
from kehoach.model.reader import is_schools_file
from kehoach.pipeline import render

PAIRS = 36  # the pairs of the example roster
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@cache
def auditor() -> OpenXmlValidator:
    return OpenXmlValidator(file_format=FileFormat.OFFICE_2016, max_errors=0)


def findings(*paths: Path) -> list[str]:
    """Every error and warning the audit reports for these files, one line each (none: Word opens them as they are)."""
    return [f"{path.name}: {found.part_uri} {found.path}: {found.description}"
            for path in paths for found in auditor().validate(path).errors]


def audit_folder(folder: Path, count: int) -> list[str]:
    written = sorted(folder.glob("*.docx"))
    assert len(written) == count
    return findings(*written)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml") if not is_schools_file(p)))
def test_every_example_opens_in_word(name, tmp_path):
    target = tmp_path / "van-ban.docx"
    target.write_bytes(render(EXAMPLES / name)[1].docx)
    assert findings(target) == []


@pytest.mark.parametrize("plan", ["ke-hoach-chung.yaml", "bien-ban-ghi-nho-toan-quan.yaml"])
def test_every_document_of_the_example_roster_opens_in_word(plan, tmp_path):
    code, _, err = run("batch", str(ROSTER), "--plan", str(EXAMPLES / "batch" / plan),
                       "-o", str(tmp_path))
    assert code == 0, err
    assert audit_folder(tmp_path, PAIRS) == []


def test_district_memorandum_opens_in_word(tmp_path):
    code, _, err = run("batch", str(ROSTER), "--plan",
                       str(EXAMPLES / "batch" / "bien-ban-ghi-nho-toan-quan.yaml"), "--gop", "-o", str(tmp_path))
    assert code == 0, err
    assert audit_folder(tmp_path, 1) == []


def test_filled_starters_open_in_word(tmp_path, monkeypatch):
    """The joint, the single-school and the decision starter, filled as little as `check` lets them render (as in test_new)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "joint").mkdir()
    assert run("new", "joint", "-o", "joint")[0] == 0
    fill(tmp_path / "joint" / "truong.yaml", SCHOOLS)
    fill(tmp_path / "joint" / "ke-hoach.yaml", [{"ky_hieu": "KH-MNHS-MNTPB", "ngay": "20/3/2025"}])
    assert run("new", "single", "-o", "mot.yaml")[0] == 0
    fill(tmp_path / "mot.yaml", [{**SCHOOLS[0], "ky_hieu": "MNHS", "ngay": "16/9/2025"}, {"ky_hieu": "KH-MNHS"}])
    assert run("new", "decision", "-o", "joint/quyet-dinh.yaml")[0] == 0
    fill(tmp_path / "joint" / "quyet-dinh.yaml", DECISION)
    written = {"joint/ke-hoach.yaml": "lien-truong.docx", "mot.yaml": "mot-don-vi.docx", "joint/quyet-dinh.yaml": "quyet-dinh.docx"}
    for plan, out in written.items():
        code, _, err = run("render", plan, "-o", out)
        assert code == 0, err
    assert findings(*(tmp_path / out for out in written.values())) == []


# A report of every plan; the cover letter of the plans and report whose schools name the bodies they report to.
FROM_A_PLAN = [("report", p) for p in sorted(p.name for p in EXAMPLES.glob("ke-hoach-*.yaml"))] + [
    ("cong-van", p) for p in ("ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml", "ke-hoach-co-lich-hoat-dong.yaml",
                              "bao-cao-mn-hoa-sua-2023-2024.yaml")]


@pytest.mark.parametrize("kind, plan", FROM_A_PLAN)
def test_a_starter_made_from_a_plan_opens_in_word(kind, plan, tmp_path):
    code, _, err = run("new", kind, "--from", str(EXAMPLES / plan), "-o", str(tmp_path / "made.yaml"))
    assert code == 0, err
    code, _, err = run("render", str(tmp_path / "made.yaml"), "-o", str(tmp_path / "made.docx"))
    assert code == 0, err
    assert findings(tmp_path / "made.docx") == []


def test_letter_and_submission_starters_and_every_mark_open_in_word(tmp_path, monkeypatch):
    """The công văn and tờ trình starters filled, each urgency mark with a circulation mark (both boxes)."""
    monkeypatch.chdir(tmp_path)
    for kind, symbol in (("cong-van", "MNHS-VP"), ("to-trinh", "TTr")):
        assert run("new", kind)[0] == 0
        fill(tmp_path / f"{kind}.yaml", [{**SCHOOLS[0], "ky_hieu": "MNHS", "ngay": "16/9/2025", "trich_yeu": "gửi báo cáo"},
                                         {"ky_hieu": symbol}])
    marks = list(zip(("KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"), ("LƯU HÀNH NỘI BỘ", "XEM XONG TRẢ LẠI", "TRẢ LẠI SAU KHI HỌP")))
    for index, (urgency, circulation) in enumerate(marks):
        text = (tmp_path / "cong-van.yaml").read_text("utf-8")
        (tmp_path / f"dau-{index}.yaml").write_text(text + f"do_khan: {urgency}\nluu_hanh: {circulation}\n", "utf-8")
    written = []
    for name in ("cong-van", "to-trinh", *(f"dau-{i}" for i in range(len(marks)))):
        code, _, err = run("render", f"{name}.yaml", "-o", f"{name}.docx")
        assert code == 0, err
        written.append(tmp_path / f"{name}.docx")
    assert findings(*written) == []


# ECMA-376 Part 1, §17.4.60: the children of w:tblPr, in the one order the schema allows.
TBL_PR = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
          "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription", "tblPrChange")


def test_table_properties_in_schema_order(rendered):
    """Header, body table (centred, bordered) and signature row: tblLook last, after tblW, jc, tblInd …"""
    body = xml_part(rendered["ke-hoach-co-lich-hoat-dong"], "word/document.xml")
    orders = [[etree.QName(child).localname for child in tblPr] for tblPr in body.iter(f"{W}tblPr")]
    assert len(orders) == 3 and "jc" in orders[1]
    for order in orders:
        assert set(order) <= set(TBL_PR) and order == sorted(order, key=TBL_PR.index), order
        assert order[-1] == "tblLook"


def test_rule_line_border_goes_after_the_paragraphs_earlier_properties():
    """A rule line kept with what follows: keepNext precedes pBdr in the schema, ind follows it."""
    paragraph = docx.Document().add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    ooxml.line_paragraph(paragraph, 10, 10, 0.5)
    assert [etree.QName(child).localname for child in paragraph._p.pPr] == ["keepNext", "pBdr", "ind"]


def test_font_table_and_theme_name_the_documents_font(rendered):
    """Word finds the font's metrics (or a substitute) in the font table; theme fonts are the same face."""
    written = rendered["ke-hoach-co-lich-hoat-dong"]
    fonts, theme = xml_part(written, "word/fontTable.xml"), xml_part(written, "word/theme/theme1.xml")
    assert [f.get(f"{W}name") for f in fonts.iter(f"{W}font")] == [nd30.FONT]
    latin = theme.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}latin")
    assert {f.get("typeface") for f in latin} == {nd30.FONT}
