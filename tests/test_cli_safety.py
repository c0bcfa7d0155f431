"""The command line for a clerk: Vietnamese help and usage errors, no traceback, nothing half-written."""

from __future__ import annotations

import os
import shutil

import pytest
from clirun import run
from conftest import EXAMPLES
from docxread import open_docx

SINGLE = EXAMPLES / "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml"
ENGLISH = ("Usage", "Options", "Commands", "Arguments", "Show this message", "Error", "Missing", "No such", "Try ")


def _every_command() -> list[str]:
    from kehoach.cli import app

    return sorted(info.name for info in app.registered_commands)


@pytest.mark.parametrize("args", [["--help"], *([name, "--help"] for name in _every_command()), ["check", "-h"],
                                  ["check"], ["rendr"], ["render", "--bogus", "x.yaml"], ["batch"]])
def test_help_and_usage_errors_are_vietnamese(args, capsys, monkeypatch):
    code, out, err = run(capsys, monkeypatch, *args)
    text = out + err
    assert "Cách dùng:" in text
    assert not [word for word in ENGLISH if word in text]
    assert code == (0 if "--help" in args or "-h" in args else 2)


def test_a_bug_is_one_line_asking_for_a_report_with_exit_70(capsys, monkeypatch):
    import kehoach.render

    monkeypatch.setattr(kehoach.render, "check", lambda path: 1 / 0)
    code, out, err = run(capsys, monkeypatch, "check", str(SINGLE))
    assert code == 70
    assert err.count("\n") == 1 and "báo lỗi" in err and "Traceback" not in err


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_an_interrupted_write_leaves_the_previous_file_intact(interruption, tmp_path, monkeypatch):
    from kehoach.errors import OutputError
    from kehoach.output import write_atomic

    target = tmp_path / "ke-hoach.docx"
    target.write_bytes(b"previous version")

    def fail(*args):
        raise interruption()

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises((KeyboardInterrupt, OutputError)):
        write_atomic(target, b"new version " * 1000)
    assert target.read_bytes() == b"previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["ke-hoach.docx"]


def test_unwritable_targets_are_explained_and_the_run_goes_on(tmp_path, capsys, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("a", "b", "c", "d"):
        shutil.copy(SINGLE, plans / f"{name}.yaml")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "a.docx").write_bytes(b"kept")
    (out_dir / "a.docx").chmod(0o444)  # read-only, as a clerk marks a signed copy
    (out_dir / "b.docx").mkdir()  # a folder where the file should go
    code, out, err = run(capsys, monkeypatch, "render", str(plans), "-o", str(out_dir))
    assert code == 3
    assert "chỉ đọc" in err and "thư mục" in err and "Tổng cộng 2 lỗi." in err
    assert (out_dir / "a.docx").read_bytes() == b"kept"
    for name in ("c", "d"):
        assert "KẾ HOẠCH" in [p.text for p in open_docx((out_dir / f"{name}.docx").read_bytes()).paragraphs]
    code, out, err = run(capsys, monkeypatch, "render", str(SINGLE), "-o", str(tmp_path / "thieu" / "x.docx"))
    assert code == 3 and "không tồn tại" in err


def test_yaml_11_traps_stay_text(tmp_path, capsys, monkeypatch):
    from kehoach.render import check

    for written, shown in (("010", "Số: 010/"), ("08", "Số: 08/"), ("5", "Số: 05/")):
        plan = tmp_path / "p.yaml"
        plan.write_text(SINGLE.read_text("utf-8").replace('so: "586"', f"so: {written}").replace("luu: VT", "luu: no"), "utf-8")
        tree = check(plan)
        assert tree.phan_dau.so_ky_hieu.startswith(shown)
        assert tree.noi_nhan.luu == "no"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_written_files_get_the_usual_permissions_not_a_temp_files_0600(tmp_path):
    from kehoach.output import write_atomic

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
        from kehoach.batch import Summary
        from kehoach.roster import write_roster_template

        summary = Summary(tmp_path / "lo")
        summary.close()
        write_roster_template(tmp_path / "mau.xlsx")
        assert [p.stat().st_mode & 0o777 for p in (summary.path, tmp_path / "mau.xlsx")] == [0o644, 0o644]
    finally:
        os.umask(mask)
