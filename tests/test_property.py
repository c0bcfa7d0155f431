"""Mutated plans never crash kehoach: each run ends in a DOCX that opens, or in messages with a line number.

Mutations act on the YAML text (delete or duplicate a line, cut the file at a byte, re-encode it) and on the
loaded data re-dumped as YAML (delete a key, change a value's type), over both example plans, through the
real command line in-process.
"""

from __future__ import annotations

import codecs
import re
import shutil
import unicodedata

import yaml
from docxread import open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import EXAMPLES, cp1258, run

PLANS = {p.name: p.read_text("utf-8") for p in sorted(EXAMPLES.glob("ke-hoach-*.yaml"))}
POSITIONED = re.compile(r"^.+:\d+:\d+: ")
TOTAL = re.compile(r"^Tổng cộng (\d+) lỗi\.$")


def _paths(data: object, path: tuple = ()) -> list[tuple]:
    """Every place in the data: keys of mappings and indices of lists."""
    out = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _paths(value, (*path, index))
    return out


def _parent(data: object, path: tuple) -> object:
    for part in path[:-1]:
        data = data[part]
    return data


RETYPED = [lambda v: "chữ", lambda v: [v, v], lambda v: {"khoa": v}, lambda v: 7, lambda v: None, lambda v: True]


@st.composite
def mutated_data(draw: st.DrawFn, text: str) -> bytes:
    """Delete a key or list item, or give a value another type; then dump the data as YAML again."""
    data = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar as text, as kehoach's loader reads them
    path = draw(st.sampled_from(_paths(data)[1:]))
    parent = _parent(data, path)
    if draw(st.booleans()):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(st.sampled_from(RETYPED))(parent[path[-1]])
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


def _reencode(text: str, how: str) -> bytes:
    if how == "utf-16":
        return text.encode("utf-16")
    if how == "utf-8-bom":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if how == "cp1258":
        return cp1258(text)
    return unicodedata.normalize("NFD", text).encode("utf-8")


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> bytes:
    """Delete or duplicate a line, cut the file at a byte, or re-encode it."""
    lines = text.splitlines(keepends=True)
    kind = draw(st.sampled_from(["delete", "duplicate", "cut", "encode"]))
    if kind == "delete":
        del lines[draw(st.integers(0, len(lines) - 1))]
    elif kind == "duplicate":
        index = draw(st.integers(0, len(lines) - 1))
        lines.insert(index, lines[index])
    elif kind == "cut":
        data = text.encode("utf-8")
        return data[: draw(st.integers(0, len(data)))]
    else:
        return _reencode(text, draw(st.sampled_from(["utf-16", "utf-8-bom", "cp1258", "nfd"])))
    return "".join(lines).encode("utf-8")


@st.composite
def mutated_plan(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(PLANS)))
    text = PLANS[name]
    strategy = mutated_text(text) if draw(st.booleans()) else mutated_data(text)
    return name, draw(strategy)


@settings(derandomize=True, max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=mutated_plan())
def test_a_mutated_plan_renders_or_is_explained_line_by_line(case, tmp_path):
    name, data = case
    shutil.copy(EXAMPLES / "truong.yaml", tmp_path / "truong.yaml")
    plan, result = tmp_path / name, tmp_path / "ket-qua.docx"
    plan.write_bytes(data)
    result.unlink(missing_ok=True)
    code, out, err = run("render", str(plan), "-o", str(result))
    assert code in (0, 1), err
    if code == 0:
        assert "KẾ HOẠCH" in [p.text for p in open_docx(result.read_bytes()).paragraphs]
        return
    *problems, total = err.splitlines()
    assert TOTAL.match(total) and int(TOTAL.match(total).group(1)) == len(problems), err
    assert problems and all(POSITIONED.match(p) for p in problems), err


def test_an_abstract_longer_than_the_file_title_allows_still_renders(tmp_path):
    # Found by the test above: the DOCX's title property holds at most 255 characters.
    name = "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml"
    long = "Phối hợp tổ chức phong trào giữa các nhà trường trên địa bàn " * 6
    (tmp_path / name).write_text(re.sub(r"(?ms)^trich_yeu: \|-\n.*?\n\n", f"trich_yeu: {long}\n\n", PLANS[name]), "utf-8")
    code, out, err = run("render", str(tmp_path / name), "-o", str(tmp_path / "kq.docx"))
    assert code == 0, err
    document = open_docx((tmp_path / "kq.docx").read_bytes())
    assert long.strip() in [" ".join(p.text.split()) for p in document.paragraphs]  # broken into balanced lines
    assert len(document.core_properties.title) == 255
