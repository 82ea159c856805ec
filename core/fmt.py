"""Numbers, years and dates written the way the reader's language writes them.

Vietnamese uses a decimal comma and dot thousands ("1.234,5"; "91,65 điểm"), English the reverse
("1,234.5"; "91.65 points"). Pure functions: the dashboard, exports and the CLI share them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, datetime

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

MISSING = "–"  # an en dash: "not published / not scored", never zero

_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # (decimal, thousands)


def _lang(lang: str) -> str:
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _is_missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: float | int | None, lang: str = DEFAULT_LANGUAGE, decimals: int | None = None) -> str:
    """A number with the language's separators.

    decimals=None writes whole numbers without decimals and others with at most two (trailing zeros
    dropped: maxima such as 14,5); a fixed count always writes that many (scores: 91,65).
    """
    if value is None or _is_missing(value):
        return MISSING
    text = f"{value:,.{2 if decimals is None else decimals}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]  # -0,001 shown as "0", not "-0"
    decimal_sep, thousands_sep = _SEPARATORS[_lang(lang)]
    # Swap through a placeholder so "," and "." can trade places
    return text.replace(",", "\0").replace(".", decimal_sep).replace("\0", thousands_sep)


def integer(value: int | None, lang: str = DEFAULT_LANGUAGE) -> str:
    if value is None or _is_missing(value):
        return MISSING
    return number(int(value), lang)


def points(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int | None = None) -> str:
    """'91,65 điểm' / '91.65 points' ('1 point' in English)."""
    if _is_missing(value):
        return MISSING
    key = "dashboard.fmt.point_one" if value == 1 else "dashboard.fmt.points"
    return t(key, _lang(lang), value=number(value, lang, decimals))


def percent(value: float | None, lang: str = DEFAULT_LANGUAGE, decimals: int | None = None) -> str:
    """A share already in percent (32.0 → '32%'; 32.5 → '32,5%')."""
    return MISSING if _is_missing(value) else f"{number(value, lang, decimals)}%"


def years(values: Iterable[int]) -> str:
    """Runs of consecutive years joined: [2021, 2022, 2023, 2025] → '2021–2023, 2025'."""
    ordered = sorted(set(values))
    if not ordered:
        return MISSING
    runs: list[tuple[int, int]] = []
    for year in ordered:
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def day(value: date | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """dd/mm/yyyy in Vietnamese (as official documents write dates), ISO in English."""
    if value is None:
        return MISSING
    return value.strftime("%d/%m/%Y") if _lang(lang) == "vi" else value.strftime("%Y-%m-%d")


def moment(value: datetime | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A timestamp to the minute: '14/03/2025 09:30' / '2025-03-14 09:30'."""
    if value is None:
        return MISSING
    return f"{day(value, lang)} {value.strftime('%H:%M')}"
