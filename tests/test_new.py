"""`kehoach new`: a commented starter a clerk completes; blanks fail `check` where they are, filled it renders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx.table import Table
from docxread import blocks, open_docx, table_paragraphs
from support import DECISION, SCHOOLS, errors, fill, run, views

def blank_lines(path: Path) -> list[int]:
    """The numbers of the lines `key:` left empty (not the heads of a block) in a YAML file."""
    lines = path.read_text("utf-8").splitlines()
    indent = [len(line) - len(line.lstrip(" -")) for line in lines] + [0]  # where the key starts
    return [n + 1 for n, line in enumerate(lines)
            if re.fullmatch(r" *(- )?\w+:( *#.*)?", line) and indent[n + 1] <= indent[n]]


def schema_line(path: Path) -> str:
    return path.read_text("utf-8").splitlines()[0]


@pytest.mark.parametrize("kind", ["joint", "lien-truong"])
def test_joint_starter_fails_at_its_blanks_then_renders_the_filled_schools(kind, tmp_path, monkeypatch):
    from kehoach.model.schema import schema_text

    monkeypatch.chdir(tmp_path)
    code, out, err = run("new", kind)
    assert code == 0 and err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.schema.json", "ke-hoach.yaml", "truong.schema.json", "truong.yaml"]
    assert schema_line(tmp_path / "ke-hoach.yaml") == "# yaml-language-server: $schema=./ke-hoach.schema.json"
    assert schema_line(tmp_path / "truong.yaml") == "# yaml-language-server: $schema=./truong.schema.json"
    for stem in ("ke-hoach", "truong"):
        assert (tmp_path / f"{stem}.schema.json").read_text("utf-8") == schema_text(stem)

    # One run of `check` names every line still to fill, each in the file where it is filled: the plan's symbol
    # and date, and every line of the schools file (the managing body the header prints, the short name …).
    code, out, err = run("check", "ke-hoach.yaml")
    assert code == 1
    *problems, total = err.splitlines()
    assert total == f"Tổng cộng {len(problems)} lỗi."
    plan_lines = (tmp_path / "ke-hoach.yaml").read_text("utf-8").splitlines()
    expected = [("ke-hoach.yaml", plan_lines.index("ky_hieu:") + 1), ("ke-hoach.yaml", plan_lines.index("ngay:") + 1),
                *(("truong.yaml", n) for n in blank_lines(tmp_path / "truong.yaml"))]
    assert [(p.split(":")[0], int(p.split(":")[1])) for p in problems] == expected
    assert len(expected) == 18 and all(" — điền " in p for p in problems)
    assert any("truong.truong_2.co_quan_chu_quan: chưa điền (cho dòng cơ quan chủ quản" in p for p in problems)

    # Filling exactly what it named is enough: the second run is clean, and the DOCX prints every value.
    fill(tmp_path / "ke-hoach.yaml", [{"ky_hieu": "KH-MNHS-MNTPB", "ngay": "20/3/2025"}])
    fill(tmp_path / "truong.yaml", SCHOOLS)
    assert errors("ke-hoach", views((tmp_path / "ke-hoach.yaml").read_text("utf-8"))["vscode"]) == []
    assert errors("truong", views((tmp_path / "truong.yaml").read_text("utf-8"))["vscode"]) == []
    assert run("check", "ke-hoach.yaml")[0] == 0
    code, out, err = run("render", "ke-hoach.yaml", "-o", "kh.docx")
    assert code == 0, err
    document = open_docx((tmp_path / "kh.docx").read_bytes())
    header = next(b for b in blocks(document) if isinstance(b, Table))
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == [
        "UBND PHƯỜNG PHÚC LỢI", "TRƯỜNG MẦM NON HOA SỮA", "UBND XÃ TIẾN THẮNG", "TRƯỜNG MẦM NON TIÊN PHONG B"]
    assert header.cell(1, 1).text == "Phúc Lợi, ngày 20 tháng 3 năm 2025"
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Căn cứ Kế hoạch số 4340/KH-SGDĐT ngày 12/12/2022" in text
    assert "trường MN Hoa Sữa phường Phúc Lợi và trường MN Tiên Phong B xã Tiến Thắng" in text
    # Since 1 July 2025 schools report to their phường/xã: the managing body comes from the data, no "Phòng GDĐT".
    assert "báo cáo UBND phường Phúc Lợi và UBND xã Tiến Thắng" in text and "Phòng GDĐT" not in text
    signatures = [b for b in blocks(document) if isinstance(b, Table)][-1]  # recipients: its row under the signatures
    recipients = [p.text for p in table_paragraphs(signatures) if p.text.startswith("- ")][-5:]
    assert recipients[:2] == ["- UBND phường Phúc Lợi (để b/c);", "- UBND xã Tiến Thắng (để b/c);"]
    assert "None" not in text and "{" not in text


@pytest.mark.parametrize("kind", ["single", "mot-don-vi"])
def test_single_starter_fails_at_its_blanks_then_renders(kind, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("new", kind, "-o", "kh.yaml")[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.schema.json", "kh.yaml"]
    assert schema_line(tmp_path / "kh.yaml") == "# yaml-language-server: $schema=./ke-hoach.schema.json"
    code, out, err = run("check", "kh.yaml")
    assert code == 1
    # Every line left to fill, in one run: the unit's lines (its managing body, short name, place …), symbol, date.
    lines = (tmp_path / "kh.yaml").read_text("utf-8").splitlines()
    to_fill = [n for n in blank_lines(tmp_path / "kh.yaml") if lines[n - 1] not in ("so:", "ket_thuc:")]
    assert [int(line.split(":")[1]) for line in err.splitlines()[:-1]] == to_fill and len(to_fill) == 10
    assert [line.split(": ", 1)[1].split(" (")[0] for line in err.splitlines()[:3]] == [
        "don_vi[1].ten: chưa điền — điền nội dung sau dấu hai chấm", "don_vi[1].ten_ngan: chưa điền",
        "don_vi[1].ky_hieu: chưa điền"]
    fill(tmp_path / "kh.yaml", [{**SCHOOLS[0], "ky_hieu": "MNHS", "ngay": "16/9/2025"}, {"ky_hieu": "KH-MNHS"}])
    assert errors("ke-hoach", views((tmp_path / "kh.yaml").read_text("utf-8"))["vscode"]) == []
    code, out, err = run("render", "kh.yaml", "-o", "kh.docx")
    assert code == 0, err
    document = open_docx((tmp_path / "kh.docx").read_bytes())
    header = next(b for b in blocks(document) if isinstance(b, Table))
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == ["UBND PHƯỜNG PHÚC LỢI", "TRƯỜNG MẦM NON HOA SỮA"]
    assert header.cell(1, 0).text.endswith("/KH-MNHS")
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Trường MN Hoa Sữa phường Phúc Lợi xây dựng kế hoạch" in text and "None" not in text
    assert "kết quả thực hiện phong trào về UBND phường Phúc Lợi." in text  # its own managing body, from the data


@pytest.mark.parametrize("kind", ["decision", "quyet-dinh"])
def test_decision_starter_fails_at_its_blanks_then_renders_the_steering_board(kind, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("new", kind)
    assert code == 0 and err == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ke-hoach.schema.json", "quyet-dinh.yaml", "truong.schema.json", "truong.yaml"]
    assert schema_line(tmp_path / "quyet-dinh.yaml") == "# yaml-language-server: $schema=./ke-hoach.schema.json"

    # One run names every line to fill: the decision's own (date, school year, members, the charter căn cứ; its
    # number stays blank for the văn thư) and the lines of the school it names, then the twinned school's name.
    code, out, err = run("check", "quyet-dinh.yaml")
    assert code == 1
    *problems, total = err.splitlines()
    assert total == f"Tổng cộng {len(problems)} lỗi."
    lines = (tmp_path / "quyet-dinh.yaml").read_text("utf-8").splitlines()
    own = [n for n in blank_lines(tmp_path / "quyet-dinh.yaml") if lines[n - 1] != "so:"]
    expected = [*(("quyet-dinh.yaml", n) for n in own), *(("truong.yaml", n) for n in blank_lines(tmp_path / "truong.yaml"))]
    assert [(p.split(":")[0], int(p.split(":")[1])) for p in problems] == expected[:len(problems)]
    assert len(own) == 9 and len(problems) == len(own) + 9  # truong_1's eight lines, truong_2's name (a schools file needs it)
    assert all("chưa điền" in p for p in problems)
    assert any(p.startswith("truong.yaml:9:") and "truong.truong_1.ky_hieu: chưa điền (để ghép vào ký hiệu văn bản QĐ-…" in p
               for p in problems)

    fill(tmp_path / "quyet-dinh.yaml", DECISION)
    fill(tmp_path / "truong.yaml", SCHOOLS)
    assert errors("ke-hoach", views((tmp_path / "quyet-dinh.yaml").read_text("utf-8"))["vscode"]) == []
    code, out, err = run("render", "quyet-dinh.yaml", "-o", "qd.docx")
    assert code == 0, err
    document = open_docx((tmp_path / "qd.docx").read_bytes())
    header = next(b for b in blocks(document) if isinstance(b, Table))
    assert [p.text for p in header.cell(0, 0).paragraphs if p.text] == ["UBND PHƯỜNG PHÚC LỢI", "TRƯỜNG MẦM NON HOA SỮA"]
    assert header.cell(1, 0).text.endswith("/QĐ-MNHS") and header.cell(1, 1).text == "Phúc Lợi, ngày 15 tháng 9 năm 2025"
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts[:3] == ["QUYẾT ĐỊNH", "Về việc thành lập Ban chỉ đạo phong trào “Nhà trường cùng chung tay\n"
                         "phát triển - Thầy cô cùng sẻ chia trách nhiệm” năm học 2025-2026".replace(" - ", "\u00a0-\u00a0"),
                         "HIỆU TRƯỞNG TRƯỜNG MẦM NON HOA SỮA"]
    assert texts[3].startswith("Căn cứ Thông tư số 52/2020/TT-BGDĐT") and texts[5] == "Theo đề nghị của Phó Hiệu trưởng phụ trách chuyên môn."
    members = [b for b in blocks(document) if isinstance(b, Table)][1]
    assert [[c.text for c in r.cells][1:] for r in members.rows[1:3]] == [
        ["Phạm Thị Miên", "Hiệu trưởng", "Trưởng ban"], ["Nguyễn Thị Lan", "Phó Hiệu trưởng", "Phó Trưởng ban"]]
    text = "\n".join(texts)
    assert "báo cáo kết quả về UBND phường Phúc Lợi." in text and "None" not in text and "{" not in text
    recipients = [p.text for p in table_paragraphs([b for b in blocks(document) if isinstance(b, Table)][-1]) if p.text.startswith("- ")]
    assert recipients == ["- Như Điều 3;", "- UBND phường Phúc Lợi (để b/c);", "- Lưu: VT."]


def test_new_never_overwrites_without_force_and_keeps_an_existing_schools_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ke-hoach.yaml").write_text("# đang soạn\n", "utf-8")
    (tmp_path / "truong.yaml").write_text("truong: {}\n", "utf-8")
    code, out, err = run("new", "joint")
    assert code == 3
    assert err.splitlines() == ["ke-hoach.yaml: tệp đã có, không ghi đè — chọn tên tệp khác, hoặc thêm --force để ghi đè"]
    assert (tmp_path / "ke-hoach.yaml").read_text("utf-8") == "# đang soạn\n"
    code, out, err = run("new", "joint", "--force")
    assert code == 0 and "Dùng tệp danh sách trường có sẵn" in out and "thêm trường truong_1 và truong_2 vào đó" in out
    assert schema_line(tmp_path / "ke-hoach.yaml").startswith("# yaml-language-server:")
    assert (tmp_path / "truong.yaml").read_text("utf-8") == "truong: {}\n"  # shared by other plans: never replaced
    code, out, err = run("new", "decision")  # the decision calls one school of it
    assert code == 0 and "thêm trường truong_1 vào đó, hoặc đổi mã trong quyet-dinh.yaml" in out


def test_new_into_a_folder(tmp_path):
    (tmp_path / "ThuMuc").mkdir()
    assert run("new", "single", "-o", str(tmp_path / "ThuMuc"))[0] == 0
    assert sorted(p.name for p in (tmp_path / "ThuMuc").iterdir()) == ["ke-hoach.schema.json", "ke-hoach.yaml"]


def test_an_unknown_kind_is_a_usage_error_in_vietnamese(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("new", "bien-ban")
    assert code == 2 and "không có loại 'bien-ban'" in err and "lien-truong (joint)" in err
    assert list(tmp_path.iterdir()) == []


def test_check_reads_a_schools_file_as_a_schools_file(tmp_path, monkeypatch):
    from support import EXAMPLES

    code, out, err = run("check", str(EXAMPLES / "truong.yaml"))
    assert (code, err) == (0, "") and out.strip().endswith("truong.yaml: danh sách trường, không có lỗi")
    monkeypatch.chdir(tmp_path)
    assert run("new", "joint")[0] == 0
    code, out, err = run("check", "truong.yaml")
    assert code == 1
    # Each line left blank, at its line, named in the schools file's terms (not as a plan's missing keys).
    assert [int(line.split(":")[1]) for line in err.splitlines()[:-1]] == blank_lines(tmp_path / "truong.yaml")
    assert "don_vi" not in err and "truong.truong_1.co_quan_chu_quan: chưa điền" in err


@pytest.mark.parametrize("starter", ["lien-truong.yaml", "mot-don-vi.yaml", "quyet-dinh.yaml", "truong.yaml"])
def test_starters_are_post_reform(starter):
    # Since 1 July 2025 there is no quận/huyện: bodies and places come from the schools' data, never the starter.
    from support import ROOT

    text = (ROOT / "kehoach" / "data" / "starters" / starter).read_text("utf-8")
    written = "\n".join(line.split("#")[0] for line in text.splitlines())  # the values, not the comments' examples
    assert not re.search(r"(?i)quận|huyện|phòng g", written)
    if starter != "truong.yaml":
        assert "{{ don_vi[0].co_quan_quan_ly }} (để b/c)" in text


def test_render_says_a_schools_file_is_not_a_plan():
    from support import EXAMPLES

    code, out, err = run("render", str(EXAMPLES / "truong.yaml"), "-o", "khong-ghi.docx")
    assert code == 1 and "đây là tệp danh sách trường, không phải kế hoạch — " in err and "kehoach check truong.yaml" in err
    assert err.count("\n") == 2  # one problem, then the count: not a plan's seven missing keys
