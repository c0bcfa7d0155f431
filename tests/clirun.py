"""Running the `kehoach` command in-process, as a clerk's shell would: exit code, stdout, stderr."""

from __future__ import annotations

import sys

import pytest

from kehoach.cli import main


def run(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str, str]:
    """Run `kehoach ARGS` through cli.main (the console script's entry point)."""
    monkeypatch.setattr(sys, "argv", ["kehoach", *args])
    with pytest.raises(SystemExit) as caught:
        main()
    out, err = capsys.readouterr()
    return int(caught.value.code or 0), out, err


MEMORY_LIMIT = 2 * 1024**3  # address space of one bounded run: a bomb fails, it does not swap the machine


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str, timeout: float = 60, cwd: str | None = None) -> tuple[int, str, str]:
    """Run `python -m kehoach ARGS` in a process with MEMORY_LIMIT and a time limit (Linux only; exit -9 on time out)."""
    import os
    import subprocess

    try:
        done = subprocess.run([sys.executable, "-m", "kehoach", *args], capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limit_memory, cwd=cwd, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    except subprocess.TimeoutExpired:
        return -9, "", f"hết {timeout} giây mà chưa xong"
    return done.returncode, done.stdout, done.stderr
