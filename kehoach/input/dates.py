"""Dates as clerks write them: day first (16/9/2025, 16-09-2025, 16.9.2025), ISO (2025-09-16), or in
words ("ngày 16 tháng 9 năm 2025"). One reader for the plan files and the rosters; each says in its own
words what went wrong. One rule, too, for the years a document can be issued in."""

from __future__ import annotations

import re
from datetime import date

from kehoach.input.vietnamese import plain

DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
IN_WORDS = re.compile(r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})")  # compared without diacritics

# The years an issue date may have. A DOCX is a ZIP file whose timestamps (the issue date, see the writer)
# hold only 1980–2107; the documents kehoach makes follow rules of this century (Decree 30/2020), and a year
# outside it is a typo (1925 or 2205 for 2025). The roster template's Excel date check allows the same years.
FIRST_YEAR, LAST_YEAR = 2000, 2099


class NotADate(ValueError):
    """The text is not written as a date at all."""


class ImpossibleDate(ValueError):
    """The text is a date that does not exist (31/02/2025)."""

    def __init__(self, day: int, month: int, year: int):
        super().__init__(f"{day}/{month}/{year}")
        self.day, self.month, self.year = day, month, year

    @property
    def reason(self) -> str:
        """What is impossible, in Vietnamese: "không có tháng 13", "tháng 2 năm 2025 không có ngày 31"."""
        if not 1 <= self.month <= 12:
            return f"không có tháng {self.month}"
        return f"tháng {self.month} năm {self.year} không có ngày {self.day}"


def parse_date(text: str) -> date:
    """The date a clerk wrote; NotADate or ImpossibleDate otherwise."""
    text = text.strip()
    if found := DAY_FIRST.fullmatch(text) or IN_WORDS.fullmatch(plain(text)):
        day, month, year = (int(g) for g in found.groups())
    elif found := ISO.fullmatch(text):
        year, month, day = (int(g) for g in found.groups())
    else:
        raise NotADate(text)
    try:
        return date(year, month, day)
    except ValueError:
        raise ImpossibleDate(day, month, year) from None


class YearOutOfRange(ValueError):
    """A real date in a year no document of kehoach is issued in (see FIRST_YEAR, LAST_YEAR)."""

    def __init__(self, day: date):
        super().__init__(f"{day:%d/%m/%Y}")
        self.day = day
        self.reason = f"năm {day.year} nằm ngoài các năm {FIRST_YEAR}–{LAST_YEAR} mà một văn bản có thể mang"


def issue_date(day: date) -> date:
    """The date, if a document can be issued on it; YearOutOfRange otherwise."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise YearOutOfRange(day)
    return day
