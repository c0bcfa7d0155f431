"""Regenerate kehoach/data/tnr_widths.json: advance widths of Times New Roman's metric twin.

Liberation Serif has Times New Roman's metrics by design, so its advance widths tell how long a
line of text is in Word. The writer needs them to draw ND30's rule lines as long as the text
(the motto's line) or a fraction of it (issuer and abstract lines). Run once, by a developer:
    pip install fonttools && python scripts/make_font_widths.py
"""

import json
from pathlib import Path

from fontTools.ttLib import TTFont

FONTS = Path("/usr/share/fonts/truetype/liberation2")  # fonts-liberation2: version 1 has no Vietnamese letters
FACES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf"}
# Printable ASCII, Latin-1, Latin Extended-A/B and Vietnamese (U+1EA0–U+1EF9), typographic punctuation.
CODEPOINTS = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x1EA0, 0x1EFA), *range(0x2010, 0x2027)]


def widths(path: Path) -> dict[str, int]:
    font = TTFont(path)
    scale = 1000 / font["head"].unitsPerEm
    cmap, hmtx = font.getBestCmap(), font["hmtx"]
    return {chr(cp): round(hmtx[cmap[cp]][0] * scale) for cp in CODEPOINTS if cp in cmap}


out = Path(__file__).resolve().parent.parent / "kehoach" / "data" / "tnr_widths.json"
out.write_text(json.dumps({face: widths(FONTS / f) for face, f in FACES.items()}, ensure_ascii=False), "utf-8")
print(out, out.stat().st_size)
