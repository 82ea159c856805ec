"""The Reviews page's figures (services/reviews.py) without Streamlit, on the sample database: a unit that ended
during the period is listed apart and never ranked. The page itself runs in test_pages_leaders.py."""

from __future__ import annotations

from pathlib import Path

from core import programme
from services import published, reviews
from store.queries import Published


def test_midterm_review_of_the_departments(sample_db: Path) -> None:
    b = published.read(Published(sample_db))
    assert reviews.periods() == programme.review_periods()
    first, last = reviews.periods()["midterm"]
    summary = reviews.review(b, "department", first, last)
    assert reviews.ranked(summary)["unit_code"].to_list() == ["TST-S01", "TST-S02", "TST-S03"]
    assert reviews.ended(summary)["unit_code"].to_list() == ["TST-S04"]  # ended on 31 December 2024

    years = reviews.scored_years(b, "department", first, last)
    assert years == [2023, 2024]
    assert reviews.last_scored_if_open(years, last) == 2024  # the period is not over: provisional
    assert reviews.last_scored_if_open(years, 2024) is None
    cards = {c.label: c.value for c in reviews.cards(summary, years, "en")}
    assert cards == {
        "Units ranked": "3",
        "Units that ended": "1",
        "Units with reconstructed years": "0",
        "Years scored": "2023–2024",
    }

    chart = reviews.chart_rows(summary, "en", rows=2)
    assert chart["label"].to_list() == ["1. Sở Nội vụ", "2. Sở Tài chính"]
    assert chart["mean_text"].to_list() == ["92.38", "86.25"]
    ranked, ended = reviews.tables(summary, "en")
    assert ranked.frame["Unit"].to_list()[:2] == ["Sở Nội vụ", "Sở Tài chính"]
    assert "Unit code" not in ranked.frame.columns  # a unit is read by its name: no code on the screen
    assert ended.frame.row(0, named=True)["Status"] == "Ended on 2024-12-31"
    assert ended.frame["Period rank"].to_list() == ["–"]
