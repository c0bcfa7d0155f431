"""The PDF is set in Times New Roman's metric twin with Vietnamese letters, or kehoach says it is not.

Debian's fonts-liberation (1.07) has a face named "Liberation Serif" without ư, ệ, ữ …; LibreOffice
then takes those letters from DejaVu Serif and header names re-wrap. What counts is coverage of a
Vietnamese letter, not a name.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pdfcheck
import pytest
from support import EXAMPLES, run, unavailable

from kehoach.write.pdf import FONT_PACKAGE, font_warning

METRIC_TWIN_NAMES = ("LiberationSerif", "TimesNewRoman")


def fake_fc_list(folder: Path, families: str) -> Path:
    """An fc-list on PATH that answers every query with the given family lines, as fontconfig prints them."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "fc-list"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' {' '.join(repr(line) for line in families.splitlines())}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def test_this_machine_has_a_metric_twin_with_vietnamese_letters():
    if font_warning() is not None:
        unavailable(f"no Times New Roman-metric face covers U+1EC7 here; install {FONT_PACKAGE}")


def test_a_face_named_liberation_without_vietnamese_is_not_enough(tmp_path, monkeypatch):
    # What fontconfig lists for ':charset=1ec7' on a machine with only fonts-liberation 1.07.
    monkeypatch.setenv("PATH", str(fake_fc_list(tmp_path / "bin", "DejaVu Serif\nDejaVu Sans,DejaVu Sans Condensed")))
    warning = font_warning()
    assert warning is not None
    assert "tiếng Việt" in warning and f"sudo apt install {FONT_PACKAGE}" in warning


@pytest.mark.parametrize("listed", ["Liberation Serif", "Times New Roman", "DejaVu Serif\nLiberation Serif,Liberation Serif Bold"])
def test_a_vietnamese_metric_twin_is_enough(tmp_path, monkeypatch, listed):
    monkeypatch.setenv("PATH", str(fake_fc_list(tmp_path / "bin", listed)))
    assert font_warning() is None


def test_no_fontconfig_means_the_system_font(tmp_path, monkeypatch):
    # Windows and macOS have no fc-list; Times New Roman comes with the system there.
    monkeypatch.setenv("PATH", str(tmp_path))
    assert font_warning() is None


def test_render_pdf_warns_in_vietnamese_and_still_converts(soffice, tmp_path, monkeypatch):
    fake = fake_fc_list(tmp_path / "bin", "DejaVu Serif")
    monkeypatch.setenv("PATH", f"{fake}{os.pathsep}{Path(soffice).parent}{os.pathsep}{os.environ['PATH']}")
    source = EXAMPLES / "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml"
    code, out, err = run("render", str(source), "-o", str(tmp_path / "kh.docx"), "--pdf")
    assert code == 0, err
    assert f"sudo apt install {FONT_PACKAGE}" in err
    assert (tmp_path / "kh.pdf").is_file()


def test_example_pdf_uses_no_fallback_face(soffice, tmp_path):
    """Every face in the PDF is the metric twin: a Vietnamese letter taken from another face shows up here."""
    source = EXAMPLES / "ke-hoach-lien-truong-hoa-sua-tien-phong-b.yaml"
    code, _, err = run("render", str(source), "-o", str(tmp_path / "kh.docx"), "--pdf")
    assert code == 0, err
    assert "Cảnh báo" not in err
    fonts = pdfcheck.fonts(tmp_path / "kh.pdf")
    assert fonts and all(font.name.startswith(METRIC_TWIN_NAMES) for font in fonts), fonts
