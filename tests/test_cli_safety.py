"""The command line for a clerk: Vietnamese help and usage errors, no traceback, nothing half-written."""

from __future__ import annotations

import os
import shutil

import pytest
from docxread import open_docx
from support import EXAMPLES, SINGLE, run

ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "Error", "Missing", "No such", "Try ")


def _every_command() -> list[str]:
    from kehoach.cli import app

    return sorted(info.name for info in app.registered_commands)


@pytest.mark.parametrize("args", [["--help"], *([name, "--help"] for name in _every_command()), ["check", "-h"],
                                  ["check"], ["rendr"], ["render", "--bogus", "x.yaml"], ["batch"]])
def test_help_and_usage_errors_are_vietnamese(args):
    code, out, err = run(*args)
    text = out + err
    assert "Cách dùng:" in text
    assert not [word for word in ENGLISH if word in text]
    assert code == (0 if "--help" in args or "-h" in args else 2)


def test_a_bug_is_one_line_asking_for_a_report_with_exit_70(monkeypatch):
    import kehoach.pipeline

    monkeypatch.setattr(kehoach.pipeline, "check", lambda path: 1 / 0)
    code, out, err = run("check", str(SINGLE))
    assert code == 70
    assert err.count("\n") == 1 and "báo lỗi" in err and "Traceback" not in err


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_the_previous_file_intact(interruption, tmp_path, monkeypatch):
    from kehoach.errors import OutputError
    from kehoach.write.output import write_atomic

    target = tmp_path / "ke-hoach.docx"
    target.write_bytes(b"previous version")

    def fail(*args):
        raise interruption()

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises((KeyboardInterrupt, OutputError)):
        write_atomic(target, b"new version " * 1000)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["ke-hoach.docx"]


def test_unwritable_targets_are_explained_and_the_run_goes_on(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("a", "b", "c", "d"):
        shutil.copy(SINGLE, plans / f"{name}.yaml")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "a.docx").write_bytes(b"kept")
    (out_dir / "a.docx").chmod(0o444)  # read-only, as a clerk marks a signed copy
    (out_dir / "b.docx").mkdir()  # a folder where the file should go
    code, out, err = run("render", str(plans), "-o", str(out_dir))
    assert code == 3
    assert "chỉ đọc" in err and "thư mục" in err and "Tổng cộng 2 lỗi." in err
    assert (out_dir / "a.docx").read_bytes() == b"kept"
    for name in ("c", "d"):
        assert "KẾ HOẠCH" in [p.text for p in open_docx((out_dir / f"{name}.docx").read_bytes()).paragraphs]
    code, out, err = run("render", str(SINGLE), "-o", str(tmp_path / "thieu" / "x.docx"))
    assert code == 3 and "không tồn tại" in err


def test_yaml_11_traps_stay_text(tmp_path):
    from kehoach.pipeline import check

    for written, shown in (("010", "Số: 010/"), ("08", "Số: 08/"), ("5", "Số: 05/")):
        plan = tmp_path / "p.yaml"
        plan.write_text(SINGLE.read_text("utf-8").replace('so: "586"', f"so: {written}").replace("luu: VT", "luu: no"), "utf-8")
        tree = check(plan).tree
        assert tree.phan_dau.so_ky_hieu.startswith(shown)
        assert tree.noi_nhan.luu == "no"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_files_get_the_usual_permissions_not_a_temp_files_0600(tmp_path):
    from kehoach.write.output import write_atomic

    mask = os.umask(0o022)
    try:
        fresh = tmp_path / "moi.docx"
        write_atomic(fresh, b"x")
        assert fresh.stat().st_mode & 0o777 == 0o644  # readable by the office, like any saved file
        shared = tmp_path / "chung.docx"
        shared.write_bytes(b"old")
        shared.chmod(0o664)  # a group-writable file in a shared folder keeps its permissions
        write_atomic(shared, b"new")
        assert shared.stat().st_mode & 0o777 == 0o664 and shared.read_bytes() == b"new"
        # the batch summary and the roster template are written through the same move into place
        from kehoach.batch.summary import Summary
        from kehoach.write.roster_template import write_roster_template

        summary = Summary(tmp_path / "lo")
        summary.close()
        write_roster_template(tmp_path / "mau.xlsx")
        assert [p.stat().st_mode & 0o777 for p in (summary.path, tmp_path / "mau.xlsx")] == [0o644, 0o644]
    finally:
        os.umask(mask)


def _plan_text(paragraph: open_docx) -> list[str]:  # noqa: D103 - the paragraphs of a written DOCX
    return [p.text for p in open_docx(paragraph.read_bytes()).paragraphs]


@pytest.mark.parametrize("given", ["ket-qua", "ket-qua/", "moi/ket-qua", "."])
def test_o_ending_in_a_separator_or_naming_a_missing_path_without_suffix_is_a_folder(given, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run("render", str(SINGLE), "-o", given)
    assert (code, err) == (0, "")
    folder = tmp_path / given
    assert folder.is_dir()
    assert "KẾ HOẠCH" in _plan_text(folder / f"{SINGLE.stem}.docx")


@pytest.mark.parametrize("command", ["preview", "render"])
def test_a_result_under_a_file_is_a_message_with_exit_3(command, tmp_path):
    (tmp_path / "tep").write_text("không phải thư mục", "utf-8")
    code, out, err = run(command, str(SINGLE), "-o", str(tmp_path / "tep" / "con"))
    assert code == 3
    assert f"{tmp_path / 'tep' / 'con'}: không tạo được thư mục kết quả (một phần của đường dẫn là tệp" in err
    assert "Lỗi nội bộ" not in err and "Traceback" not in err
    assert (tmp_path / "tep").read_text("utf-8") == "không phải thư mục"


@pytest.mark.parametrize("victim", ["kh.yaml", "truong.yaml", "ds.xlsx", "ghi-chu", "ghi-chu.txt"])
def test_no_result_replaces_an_input_or_a_file_kehoach_does_not_write(victim, tmp_path):
    plan = tmp_path / "kh.yaml"
    shutil.copy(SINGLE, plan)
    for name in ("truong.yaml", "ds.xlsx", "ghi-chu", "ghi-chu.txt"):
        (tmp_path / name).write_text(f"tệp của văn thư: {name}", "utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    code, out, err = run("render", str(plan), "-o", str(tmp_path / victim))
    assert code == 3 and "không ghi đè" in err and err.startswith(f"{tmp_path / victim}: ")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # nothing replaced, nothing added


def test_a_missing_file_result_must_be_a_docx(tmp_path):
    code, out, err = run("render", str(SINGLE), "-o", str(tmp_path / "ket-qua.txt"))
    assert code == 3 and "phải có đuôi .docx" in err and "ket-qua.docx" in err
    assert list(tmp_path.iterdir()) == []


def test_other_commands_keep_a_clerks_files(tmp_path):
    plan = tmp_path / "kh.yaml"
    shutil.copy(SINGLE, plan)
    roster = tmp_path / "ds.xlsx"
    roster.write_bytes(b"a roster already filled in")
    assert run("schema", "-o", str(plan))[0] == 3
    assert run("roster-template", str(roster))[0] == 3
    assert plan.read_bytes() == SINGLE.read_bytes() and roster.read_bytes() == b"a roster already filled in"
    assert run("roster-template", str(roster), "--force")[0] == 0  # asked for explicitly
    assert roster.read_bytes().startswith(b"PK")


def test_two_inputs_with_one_result_name_stop_before_anything_is_written(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SINGLE, tmp_path / folder / "kh.yaml")
    out_dir = tmp_path / "out"
    code, out, err = run("render", str(tmp_path / "a" / "kh.yaml"), str(tmp_path / "b" / "kh.yaml"),
                         "-o", str(out_dir))
    assert code == 3
    assert f"{tmp_path / 'b' / 'kh.yaml'}: cho ra cùng tệp kết quả '{out_dir / 'kh.docx'}' với '{tmp_path / 'a' / 'kh.yaml'}'" in err
    assert not out_dir.exists()
    # named by the document (no -o): two copies of one plan in a folder give one name too; case does not tell them apart
    shutil.copy(SINGLE, tmp_path / "a" / "KH.yml")
    code, out, err = run("render", str(tmp_path / "a"))
    assert code == 3 and "cho ra cùng tệp kết quả" in err
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["KH.yml", "kh.yaml"]


def test_a_variable_named_like_a_built_in_is_an_error_at_its_key(tmp_path):
    from kehoach.compose.document import TEN_CO_SAN
    from kehoach.errors import InputError
    from kehoach.pipeline import check

    text = SINGLE.read_text("utf-8")
    line = text.splitlines().index("bien:") + 2
    plan = tmp_path / "kh.yaml"
    plan.write_text(text.replace("bien:\n", "bien:\n  nam: 2020\n  so_ban: hai\n"), "utf-8")
    with pytest.raises(InputError) as caught:
        check(plan)
    assert [str(p).split(" — ")[0] for p in caught.value.problems] == [
        f"{plan}:{line}:3: biến 'nam' trùng tên có sẵn nên không dùng được",
        f"{plan}:{line + 1}:3: biến 'so_ban' trùng tên có sẵn nên không dùng được"]
    assert "các tên có sẵn: ten_loai, so, ky_hieu, nam" in caught.value.problems[0].hint
    # the list is the names compose really provides: a misspelt name's hint lists them with the plan's own
    # (in `luu:`, the last text composed, when every name is there)
    plan.write_text(text.replace("luu: VT", "luu: VT {{ sai }}"), "utf-8")
    with pytest.raises(InputError) as caught:
        check(plan)
    usable = caught.value.problems[0].hint.split("các tên dùng được: ")[1].split(";")[0].split(", ")
    assert sorted(usable) == sorted([*TEN_CO_SAN, "phong_trao"])


def test_every_commands_line_in_the_help_is_whole():
    from kehoach.cli import app

    code, out, err = run("-h")
    listing = " ".join(out.split())
    for info in app.registered_commands:
        first = " ".join(info.callback.__doc__.split("\n\n")[0].split())
        first = first[:first.index(". ") + 1] if ". " in first else first  # Click shows the first sentence
        assert f"{info.name} {first}" in listing
    commands = out[out.index("Lệnh:"):].splitlines()
    assert not [line for line in commands if line.endswith("...")]  # what Click's cut ended with


@pytest.mark.parametrize("command", [
    ("render", "{long}.yaml"), ("check", "{long}.yaml"), ("preview", "{long}.yaml"),
    ("batch", "{long}.xlsx", "--plan", str(EXAMPLES / "batch" / "ke-hoach-chung.yaml")),
    ("render", str(SINGLE), "-o", "{long}.docx"),
])
def test_a_path_the_system_cannot_use_is_the_clerks_to_change_not_a_bug(tmp_path, monkeypatch, command):
    # A name past the file system's 255 bytes makes even "is it a folder?" fail (ENAMETOOLONG).
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*(part.format(long="a" * 300) for part in command))
    assert code == 1, err
    assert "quá dài" in err and "Lỗi nội bộ" not in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
