"""Numbers and dates in the reader's language."""

from __future__ import annotations

import math
from datetime import date, datetime

import polars as pl
import pytest

from core import fmt


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (91.65, 2, "91,65", "91.65"),
        (91.6, 2, "91,60", "91.60"),
        (3321, None, "3.321", "3,321"),
        (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
        (14.5, None, "14,5", "14.5"),
        (100.0, None, "100", "100"),
        (0, None, "0", "0"),
        (1000, None, "1.000", "1,000"),
        (-2.75, None, "-2,75", "-2.75"),
        (-0.001, None, "0", "0"),
        (12.3456, None, "12,35", "12.35"),
    ],
)
def test_number(value: float, decimals: int | None, vi: str, en: str) -> None:
    assert fmt.number(value, "vi", decimals) == vi
    assert fmt.number(value, "en", decimals) == en


def test_points_as_leaders_read_them() -> None:
    assert fmt.points(91.65, "vi", 2) == "91,65 điểm"
    assert fmt.points(91.65, "en", 2) == "91.65 points"
    assert fmt.points(1, "en") == "1 point"
    assert fmt.points(1, "vi") == "1 điểm"


@pytest.mark.parametrize("missing", [None, math.nan])
def test_missing_is_a_dash_never_zero(missing: float | None) -> None:
    assert fmt.number(missing, "vi") == fmt.MISSING
    assert fmt.points(missing, "en") == fmt.MISSING
    assert fmt.percent(missing, "vi") == fmt.MISSING
    assert fmt.integer(None, "vi") == fmt.MISSING


def test_integer_and_percent() -> None:
    assert fmt.integer(3321, "vi") == "3.321"
    assert fmt.integer(3321, "en") == "3,321"
    assert fmt.percent(32.5, "vi") == "32,5%"
    assert fmt.percent(20, "en") == "20%"


def test_unknown_language_falls_back_to_vietnamese() -> None:
    assert fmt.number(1234.5, "fr") == "1.234,5"


@pytest.mark.parametrize(
    ("values", "text"),
    [
        ([2021, 2022, 2023, 2025], "2021–2023, 2025"),
        ([2024], "2024"),
        ([2024, 2023, 2023], "2023–2024"),
        ([], fmt.MISSING),
    ],
)
def test_years(values: list[int], text: str) -> None:
    assert fmt.years(values) == text


def test_dates() -> None:
    assert fmt.day(date(2025, 7, 1), "vi") == "01/07/2025"
    assert fmt.day(date(2025, 7, 1), "en") == "2025-07-01"
    assert fmt.moment(datetime(2025, 3, 14, 9, 30, 59), "vi") == "14/03/2025 09:30"
    assert fmt.moment(None, "en") == fmt.MISSING


def test_fmt_does_not_import_streamlit() -> None:
    import subprocess
    import sys

    code = "import sys, core.fmt; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_display_numbers_back_from_their_text_for_grids_that_sort() -> None:
    from services import display

    vi = display.as_numbers(pl.Series(["1.234,5", "+10", "−3", "–", "+1"]), "vi")
    assert vi is not None and vi.values.to_list() == [1234.5, 10.0, -3.0, None, 1.0]
    assert (vi.decimals, vi.signed) == (1, True)
    en = display.as_numbers(pl.Series(["1,234.50", "2"]), "en")
    assert en is not None and en.values.to_list() == [1234.5, 2.0] and (en.decimals, en.signed) == (2, False)
    assert display.as_numbers(pl.Series(["1/63", "2"]), "vi") is None  # not a plain number: stays text
    assert display.as_numbers(pl.Series(["3 đơn vị"]), "vi") is None
    frame = pl.DataFrame({"a": ["x", "x"], "b": ["1", "2"], "c": ["", ""]})
    assert display.constant_columns(frame) == {"a": "x", "c": ""}
    assert display.constant_columns(frame.head(1)) == {}  # one row: nothing repeats
