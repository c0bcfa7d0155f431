"""measure.py: printed lengths and the line breaker of names, which must stay fast for any name."""

from __future__ import annotations

import time

import pytest

from kehoach.write import measure

# A real centre's full name runs to 30 words and more; the old breaker tried every combination of
# cuts (25 words 1 s, 28 words 8 s, 32 words over 300 s).
LONG_NAME = ("TRUNG TÂM GIÁO DỤC NGHỀ NGHIỆP GIÁO DỤC THƯỜNG XUYÊN VÀ HƯỚNG NGHIỆP DẠY NGHỀ CHO NGƯỜI "
             "KHUYẾT TẬT PHƯỜNG HOÀNG LIỆT THÀNH PHỐ HÀ NỘI KHU VỰC PHÍA NAM SỐ HAI MƯƠI BỐN")
SIZE, BOLD, BOX = 13, True, 80  # issuer.name in the header's left cell


def widths(lines: list[str]) -> list[float]:
    return [measure.text_width_mm(line, SIZE, BOLD) for line in lines]


def greedy(text: str) -> list[str]:
    """Each line filled with as many words as fit: the fewest lines, not balanced."""
    lines = [""]
    for word in text.split():
        wider = f"{lines[-1]} {word}".strip()
        if measure.text_width_mm(wider, SIZE, BOLD) <= BOX - measure.FIT_SLACK_MM:
            lines[-1] = wider
        else:
            lines.append(word)
    return lines


def test_vietnamese_capitals_are_measured_by_their_own_widths():
    # Ư is wider than U; an unknown letter would be counted as an "n", and names then overflow their cell.
    widths = [measure.text_width_mm(letter, 13, True) for letter in "ƯUn"]
    assert widths[0] > widths[1] > widths[2]
    assert measure.text_width_mm("TRƯỜNG TRUNG HỌC CƠ SỞ HÒA XÁ", 13, True) > 82


def test_a_34_word_name_breaks_at_once_into_balanced_lines():
    assert len(LONG_NAME.split()) == 34
    started = time.perf_counter()
    lines = measure.break_lines(LONG_NAME, SIZE, BOLD, BOX)
    assert time.perf_counter() - started < 0.2
    assert " ".join(lines) == LONG_NAME
    printed = widths(lines)
    assert max(printed) <= BOX
    # as few lines as filling each line in turn gives, and balanced: no line much shorter than the widest
    assert len(lines) == len(greedy(LONG_NAME))
    assert min(printed) >= 0.6 * max(printed), list(zip(lines, printed))
    assert all(len(line.split()) > 1 for line in lines)


def test_a_long_batch_name_of_many_words_stays_linear():
    words = " ".join(["HÀ NỘI"] * 1000)
    started = time.perf_counter()
    lines = measure.break_lines(words, SIZE, BOLD, BOX)
    assert time.perf_counter() - started < 2
    assert max(widths(lines)) <= BOX


@pytest.mark.parametrize(("name", "expected"), [
    ("TRƯỜNG TRUNG HỌC CƠ SỞ HÒA XÁ", ["TRƯỜNG TRUNG HỌC", "CƠ SỞ HÒA XÁ"]),
    ("TRƯỜNG TRUNG HỌC CƠ SỞ ĐẠI KIM", ["TRƯỜNG TRUNG HỌC", "CƠ SỞ ĐẠI KIM"]),
    ("TRƯỜNG TRUNG HỌC CƠ SỞ QUẢNG PHÚ CẦU", ["TRƯỜNG TRUNG HỌC", "CƠ SỞ QUẢNG PHÚ CẦU"]),
    ("TRUNG TÂM GDNN-GDTX THANH TRÌ", ["TRUNG TÂM GDNN-GDTX", "THANH TRÌ"]),  # narrowing downwards
    ("TRƯỜNG MẦM NON TIÊN PHONG B", ["TRƯỜNG MẦM NON TIÊN PHONG B"]),  # fits: one line
])
def test_names_break_into_balanced_lines_without_a_lone_word(name, expected):
    assert measure.break_lines(name, SIZE, BOLD, BOX) == expected


def test_a_word_wider_than_the_box_stands_alone():
    word = "X" * 60
    assert measure.break_lines(f"AB {word} CD", SIZE, BOLD, BOX) == ["AB", word, "CD"]


def test_a_spaced_dash_in_a_name_never_ends_or_starts_a_line():
    name = "TRUNG TÂM GIÁO DỤC NGHỀ NGHIỆP - GIÁO DỤC THƯỜNG XUYÊN VÀ HƯỚNG NGHIỆP DẠY NGHỀ QUẬN HOÀNG MAI"
    lines = measure.break_lines(name, SIZE, BOLD, BOX)
    assert len(lines) > 1 and " ".join(lines) == name
    assert not [line for line in lines if line.endswith("-") or line.startswith("-")]
