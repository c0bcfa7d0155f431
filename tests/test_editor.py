"""VS Code and `check` agree: files opened in the real yaml-language-server (as Red Hat's YAML extension runs it).

What check accepts is never marked; what it refuses is marked where a schema can say so, in Vietnamese;
completion inserts no `null`, hover shows each title once, and only the keys of the document's own type.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support import DECISION, EXAMPLES, ROOT, SCHOOLS, SINGLE, STARTERS, fill, run
from yamlls import YamlLanguageServer

MEMORANDUM = EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml"
JOINT = EXAMPLES / "ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml"
LETTER = EXAMPLES / "cong-van-gui-ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml"
# What the server says in English when a schema gives no message of its own.
ENGLISH = re.compile(r"Incorrect type|Property|Missing property|not allowed|Value is not accepted|String |Array |Expected")


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    root = tmp_path_factory.mktemp("vscode")
    for schema in (ROOT / "schema").glob("*.schema.json"):
        shutil.copy(schema, root)
    server = YamlLanguageServer(root)
    yield server, root
    server.close()


def in_vscode(root: Path, source: Path, text: str | None = None) -> tuple[Path, str]:
    """Where a file opens beside the shipped schemas, and its text with the schema line `kehoach new` writes."""
    text = source.read_text("utf-8") if text is None else text
    stem = "truong" if source.name.startswith("truong") else "ke-hoach"
    if not text.startswith("# yaml-language-server:"):
        text = f"# yaml-language-server: $schema=./{stem}.schema.json\n{text}"
    return root / source.name, text


def diagnostics(editor, source: Path, text: str | None = None) -> list[str]:
    server, root = editor
    return [d["message"] for d in server.open(*in_vscode(root, source, text))]


ACCEPTED = [*sorted(EXAMPLES.glob("*.yaml")), *sorted((EXAMPLES / "batch").glob("*.yaml")), *sorted(STARTERS.glob("*.yaml"))]


@pytest.mark.parametrize("source", ACCEPTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_what_check_accepts_is_never_red(editor, source):
    # Examples, the batch's common files (without don_vi: each roster row gives it), unfilled starters.
    assert diagnostics(editor, source) == []


def test_filled_starters_are_never_red(editor, tmp_path, monkeypatch):
    server, _ = editor
    monkeypatch.chdir(tmp_path)
    assert run("new", "joint")[0] == 0
    assert run("new", "single", "-o", "mot.yaml")[0] == 0
    assert run("new", "decision")[0] == 0  # beside them: the schools file is shared, never replaced
    fill(tmp_path / "quyet-dinh.yaml", DECISION)
    fill(tmp_path / "truong.yaml", SCHOOLS)
    fill(tmp_path / "ke-hoach.yaml", [{"ky_hieu": "KH-MNHS-MNTPB", "ngay": "ngày 20 tháng 3 năm 2025"}])
    fill(tmp_path / "mot.yaml", [{**SCHOOLS[0], "ky_hieu": "MNHS", "ngay": "16/9/2025"}, {"ky_hieu": "KH-MNHS"}])
    code, out, err = run("check", "ke-hoach.yaml", "mot.yaml", "quyet-dinh.yaml", "truong.yaml")
    assert (code, err) == (0, ""), err
    for name in ("ke-hoach.yaml", "mot.yaml", "quyet-dinh.yaml", "truong.yaml"):  # opened where `new` wrote them, beside its schemas
        assert server.open(tmp_path / name) == [], name


def test_blank_marks_are_not_red(editor, tmp_path):
    from kehoach.pipeline import check

    text = LETTER.read_text("utf-8").replace("do_khan: KHẨN", "do_khan:\nluu_hanh:")
    shutil.copy(EXAMPLES / "truong.yaml", tmp_path)
    (tmp_path / LETTER.name).write_text(text, "utf-8")
    check(tmp_path / LETTER.name)
    assert diagnostics(editor, LETTER, text) == []


def test_a_date_in_words_is_not_red(editor, tmp_path):
    from kehoach.pipeline import check

    text = SINGLE.read_text("utf-8").replace("ngay: 16/9/2025", "ngay: ngày 15 tháng 9 năm 2025")
    (tmp_path / SINGLE.name).write_text(text, "utf-8")
    check(tmp_path / SINGLE.name)
    assert diagnostics(editor, SINGLE, text) == []


MISTAKES = [  # (file, line, mistaken line, what the editor says)
    (SINGLE, "luu: VT", "luu: VT\nnguoi_nhan: Ban giám hiệu", "khóa này không có trong kế hoạch"),
    (SINGLE, "luu: VT", "luu: VT\ndia_diem: Hội trường", "khóa này không có trong kế hoạch"),  # a memorandum's key
    (SINGLE, "    ten: Trung tâm GDNN-GDTX Thanh Trì", "    ten: Trung tâm GDNN-GDTX Thanh Trì\n    ten_gon: TT",
     "khóa này không có trong đơn vị ban hành"),
    (SINGLE, "      - so: 4340/KH-SGDĐT", "      - so: 4340/KH-SGDĐT\n        ghi_chu: x", "khóa này không có trong văn bản căn cứ"),
    (JOINT, "  - 4340/KH-SGDĐT", "  - so: 4340/KH-SGDĐT\n    ghi_chu: x", "khóa này không có trong đoạn căn cứ"),
    (SINGLE, "ngay: 16/9/2025", "ngay: hai mươi tháng ba", "Ngày ban hành: không phải là ngày"),
    (SINGLE, "ky_hieu: KH-GDNN-GDTXTT", "ky_hieu: ''", "Ký hiệu: giá trị phải là văn bản"),
    (SINGLE, "don_vi:", "loai: ke_hoach_chung\ndon_vi:", "Loại văn bản: chỉ dùng một trong: ke_hoach, bien_ban_ghi_nho, bao_cao"),
    (JOINT, "  - truong: mn_tien_phong_b", "  - truong: mn_tien_phong_b\n  - truong: mn_hoa_sua",
     "Đơn vị ban hành: giá trị phải là danh sách"),
    (LETTER, "do_khan: KHẨN", "do_khan: khẩn", "Độ khẩn: chỉ dùng một trong: KHẨN, THƯỢNG KHẨN, HỎA TỐC"),
    (LETTER, "do_khan: KHẨN", "luu_hanh: MẬT", "Phạm vi lưu hành: chỉ dùng một trong: LƯU HÀNH NỘI BỘ"),
]


@pytest.mark.parametrize("source, old, new, said", MISTAKES,
                         ids=[next(line for line in m[2].split("\n") if line not in m[1].split("\n")).strip() for m in MISTAKES])
def test_what_check_refuses_is_red_in_vietnamese(editor, tmp_path, source, old, new, said):
    text = source.read_text("utf-8")
    assert old in text
    text = text.replace(old, new, 1)
    shutil.copy(EXAMPLES / "truong.yaml", tmp_path)
    (tmp_path / source.name).write_text(text, "utf-8")
    assert run("check", str(tmp_path / source.name))[0] == 1  # check refuses it …
    found = diagnostics(editor, source, text)  # … and the editor marks it, in Vietnamese
    assert any(said in message for message in found), found
    assert not [message for message in found if ENGLISH.search(message)], found


def _completion(editor, source: Path, text: str, line: int, column: int) -> list[dict]:
    server, root = editor
    path, text = in_vscode(root, source, text)
    return server.completion(path, text, line + 1, column)  # + 1: the schema line put on top


def test_completion_inserts_no_null_and_offers_the_keys_of_the_type(editor):
    plan = SINGLE.read_text("utf-8")
    top = _completion(editor, SINGLE, plan + "\n", len(plan.splitlines()), 0)
    labels = {item["label"] for item in top}
    assert {"danh_sach_truong", "dia_danh", "nguoi_ky"} <= labels
    assert not labels & {"dia_diem", "so_ban"}  # a memorandum's keys are not offered in a plan
    lines = plan.splitlines()
    unit = lines.index("    chuc_vu_thu_truong: GIÁM ĐỐC")
    inside = _completion(editor, SINGLE, "\n".join([*lines[:unit + 1], "    ", *lines[unit + 1:]]), unit + 1, 4)
    assert {"ten_ngan", "co_quan_quan_ly", "dia_ban"} <= {item["label"] for item in inside}
    for item in top + inside:
        inserted = item.get("insertText") or item.get("textEdit", {}).get("newText", "")
        assert "null" not in inserted, item

    memorandum = MEMORANDUM.read_text("utf-8").replace("dia_diem: Phòng GD&ĐT quận Hoàng Mai\nso_ban: \"04\"\n", "")
    offered = {item["label"] for item in _completion(editor, MEMORANDUM, memorandum + "\n", len(memorandum.splitlines()), 0)}
    assert {"dia_diem", "so_ban"} <= offered


def test_hover_shows_each_title_once(editor):
    server, root = editor
    path, text = in_vscode(root, SINGLE)
    shown = 0
    for number, line in enumerate(text.splitlines()):
        key = re.match(r"( *(?:- )?)(\w+):", line)
        if not key:
            continue
        hover = server.hover(path, text, number, len(key.group(1)) + 1)
        if hover:
            shown += 1
            shown_text = hover.split("Source:")[0]
            assert "||" not in shown_text and shown_text.count("#### ") == 1, (line, hover)
    assert shown >= 15
    so = server.hover(path, text.replace('so: "586"', "so:"), text.splitlines().index('so: "586"'), 1)
    assert so.startswith("#### Số văn bản\n") and so.count("Số văn bản") == 2  # the title, and its description


def test_each_document_type_is_offered_with_its_vietnamese_name(editor):
    from kehoach.model.doctypes import LOAI

    offered = {item["label"]: item.get("documentation") for item in _completion(editor, LETTER, "loai: \n", 0, 6)}
    assert offered == {kind.ma: kind.ten_thuong.capitalize() for kind in LOAI.values()}
    assert offered["cong_van"] == "Công văn" and offered["to_trinh"] == "Tờ trình"
