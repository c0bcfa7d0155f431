"""Nothing a clerk or a hostile file types can exhaust the machine or crash kehoach: template bombs, dates a
DOCX cannot carry, characters XML cannot hold, deep nesting, PyYAML's own words. Each ends in a Vietnamese
message at its place and exit 1, the same in `check` and in `render`."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from docxread import all_paragraphs, open_docx
from support import BOMBS, ENGLISH, EXAMPLES, SCHOOL_HEADERS, TOTAL, pair, run, run_bounded, save_workbook

from kehoach.model.reader import read_schools
from kehoach.input.roster import read_roster

PLAN = EXAMPLES / "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml"
MEMO = EXAMPLES / "bien-ban-ghi-nho-hoang-mai-ung-hoa.yaml"


def plan_with(tmp_path: Path, old: str, new: str, source: Path = PLAN) -> Path:
    """A copy of an example plan with one piece of its text replaced (beside the schools file it may name)."""
    text = source.read_text("utf-8")
    assert old in text
    shutil.copy(EXAMPLES / "truong.yaml", tmp_path / "truong.yaml")
    path = tmp_path / "kh.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8", errors="surrogatepass")
    return path


def problems(err: str) -> list[str]:
    """The problem lines of a run's standard error, after checking each is Vietnamese and the count is there."""
    *lines, total = err.strip().splitlines()
    assert TOTAL.match(total), err
    for line in lines:
        assert not ENGLISH.search(line), line
    return lines


def check_and_render(*args: str, bounded: bool = False) -> list[tuple[int, str]]:
    """(exit code, standard error) of `check FILE` and of `render FILE -o …`."""
    plan = Path(args[0])
    out = plan.with_name("ket-qua.docx")
    runs = [("check", str(plan)), ("render", str(plan), "-o", str(out))]
    if bounded:
        return [run_bounded(*command)[::2] for command in runs]
    return [run(*command)[::2] for command in runs]


# ---------------------------------------------------------------- templates



@pytest.mark.parametrize("expression", BOMBS.values(), ids=BOMBS.keys())
def test_a_template_bomb_is_refused_at_its_text(tmp_path, expression):
    plan = plan_with(tmp_path, "luu: VT", "bien_bom: 1\nluu: '" + expression.replace("'", "''") + "'")
    plan.write_text(plan.read_text("utf-8").replace("bien_bom: 1\n", ""), "utf-8")  # keep luu: on line 74
    started = time.monotonic()
    for code, err in check_and_render(str(plan), bounded=True):
        assert code == 1, err
        lines = problems(err)
        assert len(lines) == 1 and lines[0].startswith(f"{plan}:74:6: câu văn"), err
    assert time.monotonic() - started < 30
    assert not (tmp_path / "ket-qua.docx").exists()


def test_a_bomb_on_a_later_line_of_a_text_is_placed_on_that_line(tmp_path):
    plan = plan_with(tmp_path, "luu: VT", "luu: |-\n  VT\n  {{ 'a' * 10**9 }}")
    (code, err), _ = check_and_render(str(plan))
    assert code == 1 and problems(err)[0].startswith(f"{plan}:76:"), err


def test_what_templates_are_for_still_works(tmp_path):
    # Loops, macros, formatting and arithmetic of a normal size are not touched by the bounds.
    text = ("{% macro ten(x) %}{{ x | upper }}{% endmacro %}{% for i in range(3) %}{{ ten('a') }}{% endfor %} "
            "{{ '%02d' % 5 }} {{ '{:>4}'.format(7) }} {{ 2 ** 10 }} {{ 'ab' * 3 }} {{ ('x' ~ 'y') | center(6) }} "
            "{{ '{:,}'.format(1500000) }} {{ '%d' % 2500000 }} {{ '%d' | format(3500000) }} {{ range(500) | sum }}")
    plan = plan_with(tmp_path, "luu: VT", "luu: '" + text.replace("'", "''") + "'")
    code, out, err = run("render", str(plan), "-o", str(tmp_path / "kq.docx"))
    assert code == 0, err
    paragraphs = [p.text for p in all_paragraphs(open_docx((tmp_path / "kq.docx").read_bytes()))]
    assert any("AAA 05    7 1024 ababab   xy   1,500,000 2500000 3500000 124750" in p for p in paragraphs), paragraphs


def test_a_text_repeated_by_aliases_past_a_document_is_refused(tmp_path):
    long = "Phối hợp tổ chức các hoạt động giáo dục giữa hai nhà trường. " * 1000  # 60 000 characters
    items = "\n".join("  - doan: *dai" for _ in range(60))
    plan = plan_with(tmp_path, "bien:\n", f"bien:\n  dai: &dai {long}\n")  # the anchor, before its uses
    plan.write_text(plan.read_text("utf-8").replace("noi_dung:\n", f"noi_dung:\n{items}\n", 1), "utf-8")
    (code, err), (render_code, _) = check_and_render(str(plan))
    assert code == render_code == 1
    assert [line.split(": ", 1)[1][:35] for line in problems(err)] == ["văn bản dài quá 1.000.000 ký tự (từ"], err


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize("day", ["16/9/1925", "1/1/1979", "16/9/2108", "31/12/2199"])
def test_an_issue_date_no_document_can_carry_is_refused_by_check_as_by_render(tmp_path, day):
    plan = plan_with(tmp_path, "ngay: 16/9/2025", f"ngay: {day}")
    for code, err in check_and_render(str(plan)):
        assert code == 1, err
        [line] = problems(err)
        assert line.startswith(f"{plan}:13:7: ngay: ngày") and "2000–2099" in line, line
    assert not (tmp_path / "ket-qua.docx").exists()


def test_a_roster_date_cell_of_minus_five_is_that_cells_error(tmp_path):
    path = save_workbook(tmp_path, [["Ngày văn bản", *SCHOOL_HEADERS], [-5, *pair()], ["1/1/2108", *pair()], ["16/9/2025", *pair()]],
                edit=lambda sheet: setattr(sheet["A2"], "number_format", "DD/MM/YYYY"))
    roster = read_roster(path)
    assert [p.where.cell for p in roster.problems] == ["Sheet1!A2", "Sheet1!A3"]
    assert all("2000–2099" in p.message for p in roster.problems)
    assert [row.row for row in roster.rows] == [4]


def test_a_batch_goes_on_after_a_row_dated_outside_the_years(tmp_path):
    batch = EXAMPLES / "batch"
    schools = batch / "truong-hoang-mai-ung-hoa.yaml"
    codes = list(read_schools(schools)[0])[:2]
    roster = save_workbook(tmp_path, [["Ngày văn bản", "Mã trường 1", "Mã trường 2"], ["16/9/1925", *codes], ["16/9/2025", *codes]])
    code, out, err = run("batch", "-p", str(batch / "ke-hoach-chung.yaml"), str(roster),
                         "--truong", str(schools), "-o", str(tmp_path / "ra"))
    assert code == 1, err
    assert "Sheet1!A2" in err and "2000–2099" in err, err
    assert len(list((tmp_path / "ra").glob("*.docx"))) == 1


# ---------------------------------------------------------------- characters

ESCAPES = {"\\v": "U+000B", "\\x01": "U+0001", "\\0": "U+0000", "\\uffff": "U+FFFF", "\\ud800": "U+D800",
           "\\u202e": "U+202E", "\\x1b": "U+001B"}


@pytest.mark.parametrize("escape", ESCAPES, ids=ESCAPES.values())
def test_a_character_xml_cannot_hold_written_as_an_escape_is_refused_at_it(tmp_path, escape):
    plan = plan_with(tmp_path, "luu: VT", f'luu: "VT {escape} x"')
    for code, err in check_and_render(str(plan)):
        assert code == 1, err
        [line] = problems(err)
        assert line.startswith(f"{plan}:74:10: ") and ESCAPES[escape] in line and f"xóa mã {escape}" in line, line


def test_characters_as_typed_are_placed_exactly(tmp_path):
    plan = plan_with(tmp_path, "luu: VT", "luu: VT \u202eabc")  # a right-to-left override, typed
    code, out, err = run("check", str(plan))
    assert code == 1 and problems(err)[0].startswith(f"{plan}:74:9: có ký tự ẩn đổi chiều chữ"), err
    plan.write_text(plan.read_text("utf-8").replace("\u202eabc", "\uffffabc"), "utf-8")  # PyYAML refuses it itself
    code, out, err = run("check", str(plan))
    assert code == 1 and problems(err)[0].startswith(f"{plan}:74:9: có mã U+FFFF"), err


def test_zero_width_characters_are_removed_from_the_document_and_its_file_name(tmp_path):
    plan = plan_with(tmp_path, "ky_hieu: KH-GDNN-GDTXTT", 'ky_hieu: "KH-GDNN\\u200b-GDTXTT"')
    plan.write_text(plan.read_text("utf-8").replace("luu: VT", 'luu: "V\\u200dT\\u2060"'), "utf-8")
    code, out, err = run("render", str(plan))
    assert code == 0, err
    [written] = tmp_path.glob("*.docx")
    assert written.name == "586-KH-GDNN-GDTXTT 2025-09-16.docx"
    texts = [p.text for p in all_paragraphs(open_docx(written.read_bytes()))]
    assert "Số: 586/KH-GDNN-GDTXTT" in texts and "- Lưu: VT." in texts, texts


def test_a_control_byte_in_a_csv_cell_is_that_cells_error(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_text(",".join(SCHOOL_HEADERS) + "\nTrường A\x01,Lê An,Trường B,Lê Bình\nTrường C,Lê Cúc,Trường D,Lê Dung\n",
                    "utf-8")
    roster = read_roster(path)
    [problem] = roster.problems
    assert problem.where.cell.endswith("!A2") and "U+0001" in problem.message
    assert [row.data["don_vi"][0]["ten"] for row in roster.rows] == ["Trường C"]


# ---------------------------------------------------------------- nesting and PyYAML's words


@pytest.mark.parametrize("value", ["[" * 300 + "]" * 300, "&a [*a, 1]", "{a: " * 300 + "1" + "}" * 300])
def test_nesting_hundreds_deep_is_refused_with_its_place(tmp_path, value):
    plan = plan_with(tmp_path, "luu: VT", f"luu: {value}")
    for code, err in check_and_render(str(plan), bounded=True):
        assert code == 1, err
        [line] = problems(err)
        assert line.startswith(f"{plan}:74:") and "lồng nhau quá sâu" in line, line


def test_parts_nested_hundreds_deep_are_refused_with_their_place(tmp_path):
    deep = "".join("  " * i + "- khoan: x\n" + "  " * i + "  noi_dung:\n" for i in range(250)) + "  " * 250 + "- doan: y\n"
    plan = plan_with(tmp_path, "noi_dung:\n", f"noi_dung:\n{deep}bo_qua:\n")
    for code, err in check_and_render(str(plan), bounded=True):
        assert code == 1, err
        assert "lồng nhau quá sâu" in problems(err)[0], err


SYNTAX = ["luu: [VT, a", "luu: {a: 1", "luu: !!python/name:os.system x", "luu: *khong_co", "luu: &a x\ntam: &a y",
          "luu: VT\n---\nx: 1", "luu: |9x\n  a", "luu: \"a\\x4\"", "luu: %x", "luu: ? a", "luu: VT\nx:\n  - a\n - b", "luu: @x",
          "luu: 'a", "luu: !<tag:x y", "luu: !a!b c", "luu: - a", "luu: VT\n...\nx", "%YAML 1.1\n%YAML 1.1\n---\nx: 1"]


@pytest.mark.parametrize("snippet", SYNTAX)
def test_every_yaml_syntax_mistake_is_told_in_vietnamese_at_its_place(tmp_path, snippet):
    plan = plan_with(tmp_path, "luu: VT", snippet)
    code, out, err = run("check", str(plan))
    assert code == 1, err
    [line] = problems(err)
    assert re.match(rf"{re.escape(str(plan))}:\d+:\d+: ", line), line


@pytest.mark.parametrize("key", ["so", "so_ban"])
def test_a_number_of_thousands_of_digits_is_refused_at_it(tmp_path, key):
    # Python reads at most 4300 digits as a number: exit 70 before.
    plan = plan_with(tmp_path, "so: \"586\"" if key == "so" else "so_ban: \"04\"", f"{key}: \"{'9' * 5000}\"",
                     source=PLAN if key == "so" else MEMO)
    for code, err in check_and_render(str(plan)):
        assert code == 1, err
        [line] = problems(err)
        assert re.match(rf"{re.escape(str(plan))}:\d+:\d+: {key}: ", line), line


@pytest.mark.parametrize("width", ["9" * 400, "nan", "inf"])
def test_a_table_width_no_page_can_hold_is_refused_at_it(tmp_path, width):
    # Found by the long fuzz run: 400 digits read as an infinite width, then NaN in the layout, exit 70.
    plan = plan_with(tmp_path, "do_rong: [0.6, 1.5, 4, 1.7, 2.2]", f"do_rong: [0.6, 1.5, {width}, 1.7, 2.2]",
                     source=EXAMPLES / "ke-hoach-co-lich-hoat-dong.yaml")
    for code, err in check_and_render(str(plan)):
        assert code == 1, err
        [line] = problems(err)
        assert line.startswith(f"{plan}:31:") and "do_rong cần 5 số dương đến 1000" in line, line


def test_a_schools_file_name_longer_than_the_system_allows_is_not_found(tmp_path):
    plan = plan_with(tmp_path, "danh_sach_truong: truong.yaml", f"danh_sach_truong: {'a' * 300}.yaml", source=MEMO)
    for code, err in check_and_render(str(plan)):
        assert code == 1, err
        assert problems(err)[0].startswith(f"{plan}:5:19: không tìm thấy tệp danh sách trường"), err
