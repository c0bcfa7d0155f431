"""`kehoach schema`: the editor's schema accepts what kehoach accepts, as VS Code reads the YAML, and no unknown key."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
from support import EXAMPLES, ROOT, SINGLE, STARTERS, errors, run, schema, views

from kehoach.model.vanban import DonVi

PLANS = sorted(EXAMPLES.glob("ke-hoach-*.yaml"))


@pytest.mark.parametrize("args, name", [(["schema"], "ke-hoach"), (["schema", "--truong"], "truong")])
def test_shipped_schemas_are_what_the_command_prints(args, name, tmp_path):
    code, out, err = run(*args)
    assert code == 0 and err == ""
    assert out == (ROOT / "schema" / f"{name}.schema.json").read_text("utf-8")
    code, _, _ = run(*args, "-o", str(tmp_path / "s.json"))
    assert code == 0 and (tmp_path / "s.json").read_text("utf-8") == out
    jsonschema.Draft7Validator.check_schema(json.loads(out))


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: p.stem)
@pytest.mark.parametrize("view", ["vscode", "safe_load"])
def test_example_plans_are_valid_for_the_editor(plan, view):
    assert errors("ke-hoach", views(plan.read_text("utf-8"))[view]) == []


@pytest.mark.parametrize("view", ["vscode", "safe_load"])
def test_example_schools_file_is_valid_for_the_editor(view):
    assert errors("truong", views((EXAMPLES / "truong.yaml").read_text("utf-8"))[view]) == []


# Lines the loader reads as text and the model accepts (a symbol must start with its type's, KH…), which YAML 1.1 or 1.2 reads as numbers, dates, booleans.
ACCEPTED = ['so: 586', 'so: 010', 'ngay: 2025-09-16', 'ngay: 16-09-2025', 'luu: no', 'luu: true', 'luu: 12']


@pytest.mark.parametrize("line", ACCEPTED)
def test_what_the_loader_reads_as_text_is_accepted(line, tmp_path):
    from kehoach.pipeline import check

    key = line.split(":")[0]
    text = re.sub(rf"(?m)^{key}:.*$", line, SINGLE.read_text("utf-8"), count=1)
    (tmp_path / "p.yaml").write_text(text, "utf-8")
    check(tmp_path / "p.yaml")  # kehoach accepts it …
    for view, data in views(text).items():  # … and so does the editor, however it reads the scalar
        assert errors("ke-hoach", data) == [], view


@pytest.mark.parametrize("old, new, where", [
    ("luu: VT", "luu: VT\nnguoi_nhan: Ban giám hiệu", "[]"),  # unknown top-level key
    ("    ten: Trung tâm GDNN-GDTX Thanh Trì", "    ten: Trung tâm GDNN-GDTX Thanh Trì\n    ten_gon: TT", "['don_vi', 0]"),
    ("  - muc: Tổ chức thực hiện", "  - muc: Tổ chức thực hiện\n    noidung: x", "['noi_dung', 2]"),
    ("ngay: 16/9/2025", "ngay: hai mươi tháng ba", "['ngay']"),
    ("luu: VT", "luu: VT\nnguoi_ky:\n  - chuc_vu: A\n    ho_ten: B\n    quyen_han: KT", "['nguoi_ky']"),  # (under the anyOf of list or null)
])
def test_the_editor_flags_mistakes(old, new, where):
    text = SINGLE.read_text("utf-8")
    assert old in text
    for view, data in views(text.replace(old, new, 1)).items():
        found = errors("ke-hoach", data)
        assert found and all(e.startswith(where[:-1]) for e in found), (view, found)


def test_schools_schema_rejects_an_unknown_key():
    text = (EXAMPLES / "truong.yaml").read_text("utf-8").replace("    ky_hieu: MNHS\n", "    ky_hieu: MNHS\n    ki_hieu: X\n")
    assert errors("truong", views(text)["vscode"]) == [f"['truong', 'mn_hoa_sua']: 'ki_hieu' is not one of {list(DonVi.model_fields)}"]


def _properties(node: object):
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield key, value
        for key, value in node.items():
            if key != "if":  # the condition on `loai` of type-specific keys
                yield from _properties(value)
    elif isinstance(node, list):
        for value in node:
            yield from _properties(value)


@pytest.mark.parametrize("name", ["ke-hoach", "truong"])
def test_every_field_has_a_vietnamese_title_and_description(name):
    defs = schema(name)["$defs"]
    fields = list(_properties(schema(name)))
    assert len(fields) >= (40 if name == "ke-hoach" else 11)
    for key, field in fields:
        if "$ref" in field:  # a model's field shows the model's title
            field = {**defs[field["$ref"].split("/")[-1]], **field}
        assert field["title"] != key.replace("_", " ").title(), key  # not pydantic's made-up English title
        assert re.search(r"[^\x00-\x7f]", field["title"] + field["description"]), key  # Vietnamese letters


UNFILLED = [EXAMPLES / "batch" / "ke-hoach-chung.yaml", EXAMPLES / "batch" / "bien-ban-ghi-nho-toan-quan.yaml",
            EXAMPLES / "batch" / "truong-hoang-mai-ung-hoa.yaml", *sorted(STARTERS.glob("*.yaml"))]


@pytest.mark.parametrize("path", UNFILLED, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("view", ["vscode", "safe_load"])
def test_common_plans_and_unfilled_starters_are_valid(path, view):
    # A batch's common plan leaves out don_vi (each roster row gives it); a starter's blank lines are still to fill.
    name = "truong" if path.name.startswith("truong") else "ke-hoach"
    assert errors(name, views(path.read_text("utf-8"))[view]) == []


def test_dates_in_words_are_valid_as_check_reads_them(tmp_path):
    from kehoach.pipeline import check

    for written in ("ngày 15 tháng 9 năm 2025", "Ngày 5 tháng 10 năm 2025"):
        text = SINGLE.read_text("utf-8").replace("ngay: 16/9/2025", f"ngay: {written}")
        (tmp_path / "p.yaml").write_text(text, "utf-8")
        check(tmp_path / "p.yaml")
        assert errors("ke-hoach", views(text)["vscode"]) == [], written
