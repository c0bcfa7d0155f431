"""How long text prints in Times New Roman, and where kehoach breaks a name into lines.

The writer measures with these (rule lines as long as a text, names that must not be left to Word's
wrapping, table columns that hold their header); nd30.py keeps only the decree's numbers.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib.resources import files

# Word and LibreOffice set a line a little differently from the advance widths (rounding to device
# units, kerning): a name measured within this of the box is broken by kehoach rather than left to them.
FIT_SLACK_MM = 0.5
DASHES = ("-", "–")
_SPACED_DASHES = tuple(f" {dash}" for dash in DASHES)
# Two-syllable words of bodies' names that a break should not split ("TRƯỜNG TRUNG" / "HỌC CƠ SỞ …"):
# balance alone cannot tell a word from two, so these few, the kinds of school and office, are named.
COMPOUNDS = frozenset(("TRUNG HỌC", "CƠ SỞ", "PHỔ THÔNG", "TIỂU HỌC", "MẦM NON", "TRUNG TÂM", "GIÁO DỤC",
                       "ĐÀO TẠO", "NGHỀ NGHIỆP", "THƯỜNG XUYÊN", "NHÀ TRƯỜNG", "ỦY BAN", "NHÂN DÂN"))


@cache
def _widths() -> dict[str, dict[str, int]]:
    return json.loads(files("kehoach").joinpath("data/tnr_widths.json").read_text("utf-8"))


@lru_cache(maxsize=65536)  # a batch prints the same words in every plan: each is summed once
def _word_units(word: str, bold: bool) -> int:
    table = _widths()["bold" if bold else "regular"]
    fallback = table["n"]  # an unknown character counts as an average lower-case letter
    return sum(table.get(ch, fallback) for ch in word)


@lru_cache(maxsize=16384)  # names and titles are measured again in every plan of a batch
def text_width_mm(text: str, size: float, bold: bool = False) -> float:
    """Printed length of one line of Times New Roman text (from its metric twin's advance widths)."""
    words = text.split(" ")
    units = sum(_word_units(word, bold) for word in words) + (len(words) - 1) * _word_units(" ", bold)
    return units / 1000 * size * 25.4 / 72


def break_lines(text: str, size: float, bold: bool, width_mm: float) -> list[str]:
    """A name too long for width_mm broken at spaces by kehoach, not left to Word's wrapping.

    Fewest lines; then no single word alone on the last line ("… HÒA" / "XÁ"); then balanced lines
    that narrow downwards, as offices set a centred name ("TRUNG TÂM GDNN-GDTX" / "THANH TRÌ",
    "TRƯỜNG TRUNG HỌC" / "CƠ SỞ HOÀNG LIỆT"): the least sum of squared room left on each line, plus
    the square of each line's excess over the line above it, and a line's worth for splitting one
    of COMPOUNDS. Dynamic programming over (line start, line end) among the breakings with the fewest
    lines, so the work grows with the words times at most the square of the words one line holds,
    never with the combinations of cuts. A word longer than the box stays on a line of its own, where
    Word wraps it.
    """
    if text_width_mm(text, size, bold) <= width_mm - FIT_SLACK_MM:
        return [text]
    return list(_breaks(text, size, bold, width_mm))


@lru_cache(maxsize=4096)  # a batch prints the same titles, bodies and places in every plan
def _breaks(text: str, size: float, bold: bool, width_mm: float) -> tuple[str, ...]:
    """break_lines's lines of a text that does not fit on one."""
    words: list[str] = []
    for token in text.split():  # a spaced dash is held to both neighbours, as in running text
        if words and (token in DASHES or words[-1].endswith(_SPACED_DASHES)):
            words[-1] += " " + token
        else:
            words.append(token)
    if not words:
        return (text,)
    room = width_mm - FIT_SLACK_MM
    space = text_width_mm(" ", size, bold)
    ends = [0.0]  # ends[i]: printed length of words[:i] with single spaces, plus one trailing space
    for word in words:
        ends.append(ends[-1] + text_width_mm(word, size, bold) + space)
    # words[start:end] fits on a line when it is one word or ends[end] - ends[start] - space <= room
    count = len(words)
    # rest[i]: the fewest lines words[i:] can take (each line filled in turn: no breaking takes fewer).
    rest, far = [0] * (count + 1), count  # far: the end of the fullest line from i, which only moves back
    for i in range(count - 1, -1, -1):
        while far - i > 1 and ends[far] - ends[i] - space > room:
            far -= 1
        rest[i] = 1 + rest[far]
    if rest[0] == 1:
        return (" ".join(words),)
    # Only breakings with the fewest lines count: a prefix words[:i] then has rest[0] - rest[i] lines,
    # so a line words[start:end] follows a line words[before:start] only if rest[start] == rest[end] + 1.
    # first[e]: the first word a line ending before word e can start with; span[r]: the positions i
    # with rest[i] == r (rest only falls as i grows, so they are a range).
    first, start = [0] * (count + 1), 0
    for end in range(1, count + 1):
        while end - start > 1 and ends[end] - ends[start] - space > room:
            start += 1
        first[end] = start
    span: dict[int, tuple[int, int]] = {}
    for i in range(count + 1):
        low, _ = span.get(rest[i], (i, i))
        span[rest[i]] = (low, i)
    # best[end][start]: the least cost of words[:end] whose last line is words[start:end], with back[end][start]
    # the start of the line before it (-1: none); costs only grow as lines are added, so the best prefix
    # stays the best. Each start's reachable lines before it are listed once (reaching), not per end.
    best: list[dict[int, float]] = [{} for _ in range(count + 1)]
    back: list[dict[int, int]] = [{} for _ in range(count + 1)]
    reaching: list[tuple[list[int], list[float], list[float], float] | None] = [None] * (count + 1)
    for end in range(1, count + 1):
        low, high = span.get(rest[end] + 1, (0, -1))
        for start in range(max(low, first[end]), min(high, end - 1) + 1):
            if start and not best[start]:  # no breaking with the fewest lines reaches this start: most of them
                continue
            line = ends[end] - ends[start] - space
            if start == 0:
                best[end][0], back[end][0] = max(room - line, 0.0) ** 2, -1
                continue
            if reaching[start] is None:  # the lines words[before:start] reached (their starts, costs and widths),
                # and what a break before words[start] costs: a line's worth if it splits one of COMPOUNDS
                split = f"{words[start - 1].rsplit(' ', 1)[-1]} {words[start].split(' ', 1)[0]}".upper() in COMPOUNDS
                reaching[start] = (list(best[start]), list(best[start].values()),
                                   [ends[start] - ends[before] - space for before in best[start]],
                                   room ** 2 if split else 0.0)
            befores, previous, above, split_cost = reaching[start]
            slack = max(room - line, 0.0) ** 2 + split_cost
            # a line's excess over the one above it, squared (0 when not longer)
            costs = [cost + slack + ((line - width) ** 2 if line > width else 0.0)
                     for cost, width in zip(previous, above)]
            least = min(costs)
            best[end][start], back[end][start] = least, befores[costs.index(least)]  # the first of the least
    start = min(best[count], key=lambda s: (count - s == 1, best[count][s]))
    lines, end = [], count
    while start >= 0:
        lines.append(" ".join(words[start:end]))
        start, end = back[end][start], start
    return tuple(lines[::-1])
