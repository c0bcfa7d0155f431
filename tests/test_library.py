"""The library a script calls (kehoach.render_file, kehoach.batch.run), and the warnings channel with --strict."""

from __future__ import annotations

import pytest
from docxread import open_docx
from support import PLAN, ROSTER, SINGLE, run, summary

import kehoach
from kehoach import batch
from kehoach.errors import ExitCode, InputError


def test_a_script_renders_a_plan_file_as_the_command_does(tmp_path):
    written = kehoach.render_file(SINGLE, tmp_path / "kh.docx")
    assert written == tmp_path / "kh.docx"
    assert run("render", str(SINGLE), "-o", str(tmp_path / "lenh.docx")).code == 0
    assert written.read_bytes() == (tmp_path / "lenh.docx").read_bytes()  # deterministic: the same document
    assert any("KẾ HOẠCH" in p.text for p in open_docx(written.read_bytes()).paragraphs)


def test_a_scripts_mistake_is_raised_located_with_nothing_written(tmp_path):
    plan = tmp_path / "kh.yaml"
    plan.write_text(SINGLE.read_text("utf-8").replace("ngay:", "ngay_sai:", 1), "utf-8")
    with pytest.raises(InputError) as raised:
        kehoach.render_file(plan, tmp_path / "kh.docx")
    assert all(str(p.where).startswith(f"{plan}:") for p in raised.value.problems)
    assert not (tmp_path / "kh.docx").exists()


def test_a_script_runs_a_batch_as_the_command_does(tmp_path):
    done = []
    result = batch.run(str(ROSTER), str(PLAN), str(tmp_path / "out"), each=lambda outcome, expected: done.append(outcome))
    assert result.exit_code == ExitCode.OK and not result.stopped and not result.errors
    assert result.summary == tmp_path / "out" / "tong-hop.csv"
    made = sorted(o.file.name for o in done if o.status == batch.DA_TAO)
    assert made == sorted(p.name for p in (tmp_path / "out").glob("*.docx")) and len(made) == result.counts[batch.DA_TAO] > 0
    assert [r["Trạng thái"] for r in summary(tmp_path / "out")] == [o.status for o in done]
    assert run("batch", str(ROSTER), "--plan", str(PLAN), "-o", str(tmp_path / "lenh")).code == 0
    assert all((tmp_path / "lenh" / name).read_bytes() == (tmp_path / "out" / name).read_bytes() for name in made)


def unused_variable(tmp_path):
    """The example plan with a variable no sentence uses: suspicious (a mistyped name?), not wrong."""
    plan = tmp_path / "kh.yaml"
    text = SINGLE.read_text("utf-8")
    plan.write_text(text.replace("bien:\n", "bien:\n  nam_hoc: 2025-2026\n", 1), "utf-8")
    line = text.splitlines().index("bien:") + 2
    return plan, f"Cảnh báo: {plan}:{line}:3: biến 'nam_hoc' không được câu văn nào dùng — chèn {{{{ nam_hoc }}}} vào câu"


@pytest.mark.parametrize("command", [["render"], ["check"]])
def test_a_warning_is_said_and_strict_turns_it_into_exit_7(tmp_path, command):
    plan, warning = unused_variable(tmp_path)
    plain = run(*command, str(plan))
    assert plain.code == 0 and plain.err.startswith(warning)
    strict = run(*command, str(plan), "--strict")
    assert strict.code == ExitCode.WARNINGS == 7 and strict.err == plain.err
    clean = [*command, str(SINGLE), *(["-o", str(tmp_path / "ra.docx")] if command == ["render"] else [])]
    assert run(*clean, "--strict") == (0, run(*clean).out, "")  # no warning, no failure


def test_strict_keeps_a_real_mistakes_own_exit_code(tmp_path):
    plan, _ = unused_variable(tmp_path)
    broken = tmp_path / "hong.yaml"
    broken.write_text(plan.read_text("utf-8").replace("ngay:", "ngay_sai:", 1), "utf-8")
    assert run("check", str(plan), str(broken), "--strict").code == ExitCode.INPUT
