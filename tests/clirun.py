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
