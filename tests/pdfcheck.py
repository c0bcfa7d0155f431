"""Helpers to inspect a PDF in tests through poppler's command-line tools (pdfinfo, pdftotext, pdffonts),
and the JSON sidecar that goes with it (--metadata)."""

from __future__ import annotations

import html
import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import jsonschema

from kehoach.write.metadata import SCHEMA


@dataclass(frozen=True)
class PdfFont:
    """One row of pdffonts: the font's name (subset prefix removed), its type and whether it is embedded."""

    name: str
    type: str
    embedded: bool


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=True).stdout


def page_count(pdf: Path) -> int:
    """Number of pages, from pdfinfo."""
    for line in _run("pdfinfo", str(pdf)).splitlines():
        if line.startswith("Pages:"):
            return int(line.split(":", 1)[1])
    raise AssertionError(f"pdfinfo shows no page count for {pdf}")


def page_text(pdf: Path, page: int) -> str:
    """Text of one page (1-based), in reading order."""
    return _run("pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")


def first_line(pdf: Path, page: int) -> str:
    """The first non-empty line of a page as laid out (pdftotext -layout): where a page number sits."""
    text = _run("pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def page_texts(pdf: Path) -> list[str]:
    """Text of every page, in order."""
    return [page_text(pdf, page) for page in range(1, page_count(pdf) + 1)]


def fonts(pdf: Path) -> list[PdfFont]:
    """The fonts pdffonts lists, parsed by the column widths of its dashed header line."""
    lines = _run("pdffonts", str(pdf)).splitlines()
    dashes = lines[1].split(" ")
    widths = [len(dash) + 1 for dash in dashes]
    starts = [sum(widths[:index]) for index in range(len(widths))]
    result = []
    for line in lines[2:]:
        cells = [line[start : start + width].strip() for start, width in zip(starts, widths)]
        name = cells[0].split("+", 1)[1] if "+" in cells[0][:7] else cells[0]
        result.append(PdfFont(name=name, type=cells[1], embedded=cells[3] == "yes"))
    return result


MM = 72 / 25.4  # PDF points per millimetre


@dataclass(frozen=True)
class Word:
    """A word as poppler places it on the page: text and box in points from the top left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2


_LINE = re.compile(r"<line [^>]*>(.*?)</line>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def layout_lines(pdf: Path, page: int) -> list[list[Word]]:
    """The lines of a page as poppler's layout analysis finds them (pdftotext -bbox-layout), each a list
    of words left to right; a table cell or a column of the header is a block of its own."""
    xhtml = _run("pdftotext", "-bbox-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-")
    return [[Word(html.unescape(text), float(a), float(b), float(c), float(d))
             for a, b, c, d, text in _WORD.findall(line)] for line in _LINE.findall(xhtml)]


def rows_of_words(pdf: Path, page: int) -> list[list[Word]]:
    """Every word of a page grouped by the line it sits on across the whole width (same baseline within
    1 pt), top to bottom, each row left to right: side-by-side blocks share a row."""
    words = sorted((w for line in layout_lines(pdf, page) for w in line), key=lambda w: (w.y1, w.x0))
    rows: list[list[Word]] = []
    for word in words:
        if rows and abs(rows[-1][0].y1 - word.y1) <= 1:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(row, key=lambda w: w.x0) for row in rows]


def info(pdf: Path) -> dict[str, str]:
    """The Info dictionary as pdfinfo prints it (Title, Author, Subject, Keywords, Creator …), UTF-8."""
    fields = {}
    for line in _run("pdfinfo", "-enc", "UTF-8", str(pdf)).splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def pdfa_identification(pdf: Path) -> tuple[str, str] | None:
    """The PDF/A part and conformance its XMP metadata declares (("2", "B") for PDF/A-2b), or None."""
    xmp = _run("pdfinfo", "-meta", str(pdf)).strip()
    if not xmp:
        return None
    namespace = "{http://www.aiim.org/pdfa/ns/id/}"
    root = ElementTree.fromstring(xmp[xmp.index("<x:xmpmeta"):xmp.index("</x:xmpmeta>") + len("</x:xmpmeta>")])
    part, conformance = root.find(f".//{namespace}part"), root.find(f".//{namespace}conformance")
    if part is None or conformance is None:
        return None
    return part.text, conformance.text


def sidecar(path: Path) -> dict:
    """A --metadata sidecar read back and validated against the JSON Schema kehoach ships."""
    content = json.loads(path.read_text("utf-8"))
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text("utf-8"))).validate(content)
    return content
