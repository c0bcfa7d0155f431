"""The corpus of bad inputs: each tests/bad/NAME.yaml gives exactly the lines in NAME.err (file:line:col)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from support import run

BAD = Path(__file__).resolve().parent / "bad"
HELPERS = {"hop-le.yaml", "truong-mau.yaml", "truong-loi.yaml", "truong-loi-chinh-ta.yaml"}  # referenced by the bad plans
CASES = sorted(p.name for p in BAD.glob("*.yaml") if p.name not in HELPERS)
POSITION = re.compile(r"^[^:]+\.yaml:\d+:\d+: ")


def test_corpus_is_large_enough():
    assert len(CASES) >= 40


def test_the_corpus_is_what_its_script_writes():
    """A file edited by hand would be lost the next time the script runs: the folder and the script agree."""
    spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    written = script.corpus()
    assert sorted(written) == sorted(p.name for p in BAD.glob("*.yaml"))
    assert [name for name, data in written.items() if (BAD / name).read_bytes() != data] == []


def test_the_base_plan_of_the_corpus_is_valid(monkeypatch):
    monkeypatch.chdir(BAD)
    assert run("check", "hop-le.yaml")[0] == 0


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gives_the_expected_messages(name, monkeypatch, request):
    monkeypatch.chdir(BAD)
    code, out, err = run("check", name)
    assert code == 1
    assert "Traceback" not in err and out == ""
    golden = BAD / f"{Path(name).stem}.err"
    if request.config.getoption("--update-golden"):
        golden.write_text(err, "utf-8")
    assert err == golden.read_text("utf-8")
    *problems, total = err.splitlines()
    assert total == f"Tổng cộng {len(problems)} lỗi."
    assert problems and all(p.startswith(f"{name}") or p.startswith("truong-") for p in problems)
    assert all(" — " in p for p in problems), "every problem says how to fix it"
    positioned = [p for p in problems if POSITION.match(p)]
    lines = [tuple(int(x) for x in p.split(":")[1:3]) for p in positioned]
    assert lines == sorted(lines), "problems are sorted by position"
