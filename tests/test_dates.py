"""The one reader of dates for plan files and rosters."""

from datetime import date

import pytest

from kehoach.input.dates import ImpossibleDate, NotADate, parse_date


@pytest.mark.parametrize("text", ["16/9/2025", "16/09/2025", "16-9-2025", "16.9.2025", " 16/9/2025 ", "2025-09-16",
                                  "ngày 16 tháng 9 năm 2025", "Ngày 16 Tháng 09 Năm 2025"])
def test_every_way_a_clerk_writes_a_date(text):
    assert parse_date(text) == date(2025, 9, 16)


@pytest.mark.parametrize("text, reason", [("31/02/2025", "tháng 2 năm 2025 không có ngày 31"),
                                          ("29/2/2023", "tháng 2 năm 2023 không có ngày 29"),
                                          ("2025-13-01", "không có tháng 13")])
def test_impossible_dates_say_what_is_impossible(text, reason):
    with pytest.raises(ImpossibleDate) as caught:
        parse_date(text)
    assert caught.value.reason == reason


@pytest.mark.parametrize("text", ["tháng 9", "16/9/25", "2025/09/16", "hôm nay", ""])
def test_text_that_is_not_a_date(text):
    with pytest.raises(NotADate):
        parse_date(text)


def test_a_plan_accepts_the_date_in_words(tmp_path):
    from support import EXAMPLES

    from kehoach.pipeline import check

    text = (EXAMPLES / "ke-hoach-586-gdnn-gdtx-thanh-tri.yaml").read_text("utf-8")
    plan = tmp_path / "kh.yaml"
    plan.write_text(text.replace("ngay: 16/9/2025", "ngay: ngày 16 tháng 9 năm 2025"), "utf-8")
    assert check(plan).tree.phan_dau.dia_danh_ngay == "Ngọc Hồi, ngày 16 tháng 9 năm 2025"
