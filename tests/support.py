"""What the tests share: the example paths, the `kehoach` command run in-process, the parts of a DOCX or
XLSX package, and the inputs several test files build (rosters, starters, encodings)."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from kehoach.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEEDS = ROOT.parent / "shared" / "seeds"


# -- the command line -----------------------------------------------------------------------------------
def exit_code(*args: str) -> int:
    """Run `kehoach ARGS` through cli.main (the console script's entry point); its exit code. What it prints is
    left to the caller's capture."""
    old, sys.argv = sys.argv, ["kehoach", *args]
    try:
        main()
    except SystemExit as done:
        return int(done.code or 0)
    finally:
        sys.argv = old
    return 0


def run(capsys: pytest.CaptureFixture, *args: str) -> tuple[int, str, str]:
    """Run `kehoach ARGS` as a clerk's shell would: exit code, stdout, stderr."""
    code = exit_code(*args)
    out, err = capsys.readouterr()
    return code, out, err


# -- packages (DOCX, XLSX): zip files of XML parts ------------------------------------------------------
def parts(package: bytes | Path) -> dict[str, bytes]:
    """Every part of a package by name, as stored (zip entry times differ from run to run; the parts must not)."""
    with zipfile.ZipFile(io.BytesIO(package) if isinstance(package, bytes) else package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml_part(package: bytes | Path, name: str):
    """One XML part of a package, parsed."""
    return etree.fromstring(parts(package)[name])


def rewrite_part(path: Path, name: str, change) -> None:
    """Rewrite one part of a package file with `change(bytes) -> bytes`, for what the libraries cannot write."""
    found = parts(path)
    found[name] = change(found[name])
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in found.items():
            archive.writestr(member, data)


def pretty_xml(data: bytes) -> str:
    """An XML part one element a line, indented, each element's attributes sorted: a diff shows what changed."""
    root = etree.fromstring(data)
    for element in root.iter():
        ordered = sorted(element.attrib.items())
        element.attrib.clear()
        element.attrib.update(ordered)
    return etree.tostring(root, pretty_print=True, encoding="unicode")
