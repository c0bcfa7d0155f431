"""What `pip install .` (not -e) puts on a fresh machine: every package of the source tree."""

from __future__ import annotations

import tomllib

from support import ROOT


def test_every_package_folder_is_in_the_distribution():
    """A package missing from pyproject's list installs without error and fails at import on the clerk's machine
    (an editable install, as in development, hides it)."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    folders = {".".join(init.parent.relative_to(ROOT).parts) for init in (ROOT / "kehoach").rglob("__init__.py")}
    assert folders | {"kehoach.templates"} == listed
