"""Typed values from the text people type in cells, column at a time.

Each parser takes a Utf8 series (the number parsers also a numeric one: a parquet file's numbers, which the
reader keeps typed and rounded as their text would be) and returns (parsed series, mask of cells that were
filled but could not be read), so the caller can name every bad cell's row and column.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from core.text import fold
from core.vocab import vocabulary

Parsed = tuple[pl.Series, pl.Series]


def _blank(text: pl.Series) -> pl.Series:
    return text.is_null() | (text.str.strip_chars() == "") | text.str.strip_chars().is_in(["-", "—", "–"])


def _filled_but_null(text: pl.Series, parsed: pl.Series) -> pl.Series:
    return (~_blank(text)) & parsed.is_null()


def as_text(values: pl.Series) -> pl.Series:
    """A column as the text the user sees: a parquet number column kept typed gives the text it stood for
    (shortest exact digits, "2" for 2.0), so a field that wants text and every message read the same."""
    if values.dtype == pl.Utf8:
        return values
    text = values.cast(pl.Utf8)
    return text.str.replace(r"\.0$", "") if values.dtype.is_float() else text


def _typed(values: pl.Series) -> bool:
    """A Float64 or integer column: numbers read from their text give back exactly these values."""
    if values.dtype.is_integer():
        return True
    return values.dtype == pl.Float64 and bool(values.is_finite().all())  # inf and NaN read as text do not


def parse_number(text: pl.Series, *, allow_negative: bool = False) -> Parsed:
    """'91,65', '91.65', ' 91,65 ', '91.65%' -> 91.65. Blank and '-' are missing, not zero."""
    if text.dtype != pl.Utf8 and _typed(text):
        parsed = text.cast(pl.Float64)
        bad = pl.Series(text.name, [False] * len(text))
    else:
        text = as_text(text)
        cleaned = (
            text.str.strip_chars()
            .str.replace_all(r"[\s\u00a0]", "")
            .str.replace(r"%$", "")
            .str.replace(",", ".", literal=True)
        )
        cleaned = pl.Series(text.name, cleaned).set(_blank(text), None)
        parsed = cleaned.cast(pl.Float64, strict=False)
        bad = _filled_but_null(text, parsed)
    # NaN and infinity (a parquet file's NaN, "NaN" or "inf" typed in a cell) are not scores: refused, never 0.
    not_finite = parsed.is_not_null() & ~parsed.is_finite()
    bad = bad | not_finite
    parsed = parsed.set(not_finite, None)
    if not allow_negative:
        negative = parsed.fill_null(0) < 0
        bad = bad | negative
        parsed = parsed.set(negative, None)
    # Scores are published with two decimals; more digits are float noise from spreadsheets.
    return parsed.round(6), bad


def parse_integer(text: pl.Series) -> Parsed:
    number, bad = parse_number(text)
    whole = number.is_not_null() & (number != number.round(0))
    return number.set(whole, None).cast(pl.Int64), bad | whole


def parse_year(text: pl.Series) -> Parsed:
    """A year must be a whole number; the range (2021–2030) is the quality stage's rule."""
    number, bad = parse_integer(text)
    return number.cast(pl.Int32), bad


def parse_date(text: pl.Series) -> Parsed:
    """ISO (2023-07-15, as readers write spreadsheet dates) or Vietnamese day-first (15/7/2023, 15-07-2023)."""
    cleaned = text.str.strip_chars().str.replace(r"[ T]00:00:00(\.0+)?$", "")
    iso = cleaned.str.to_date("%Y-%m-%d", strict=False)
    dayfirst = cleaned.str.replace_all(r"[.\-]", "/").str.to_date("%d/%m/%Y", strict=False)
    parsed = iso.fill_null(dayfirst)
    return parsed, _filled_but_null(text, parsed)


def parse_code(text: pl.Series) -> Parsed:
    """Codes keep their text: '01' stays '01'; a spreadsheet's '1.0' for a numeric code becomes '1'."""
    cleaned = text.str.strip_chars().str.replace(r"^(\d+)\.0$", "${1}")
    cleaned = cleaned.set(_blank(text), None)
    return cleaned, pl.Series(text.name, [False] * len(text))


def parse_text(text: pl.Series) -> Parsed:
    cleaned = text.str.strip_chars().str.replace_all(r"\s+", " ")
    return cleaned.set(_blank(text), None), pl.Series(text.name, [False] * len(text))


def vocabulary_parser(name: str) -> Callable[[pl.Series], Parsed]:
    def parse(text: pl.Series) -> Parsed:
        words = vocabulary()[name]
        # Each distinct cell text folded once (a column of 100,000 rows holds a handful of words).
        distinct = text.unique().drop_nulls().to_list()
        known = {v: words[f] for v in distinct if (f := fold(v)) in words}
        parsed = text.replace_strict(known, default=None, return_dtype=pl.Utf8)
        return parsed, _filled_but_null(text, parsed)

    return parse


PARSERS: dict[str, Callable[[pl.Series], Parsed]] = {
    "text": parse_text,
    "code": parse_code,
    "unit_ref": parse_text,
    "item_ref": parse_code,
    "year": parse_year,
    "score": parse_number,
    "score_signed": lambda s: parse_number(s, allow_negative=True),
    "number": lambda s: parse_number(s, allow_negative=True),
    "percent": parse_number,
    "integer": parse_integer,
    "date": parse_date,
    "tier": vocabulary_parser("tier"),
    "unit_kind": vocabulary_parser("unit_kind"),
    "relation": vocabulary_parser("relation"),
    "index_code": vocabulary_parser("index_code"),
    "level": vocabulary_parser("level"),
    "sanction_kind": vocabulary_parser("sanction_kind"),
    "sanction_level": vocabulary_parser("sanction_level"),
    "recipient_kind": vocabulary_parser("recipient_kind"),
    "award_kind": vocabulary_parser("award_kind"),
}

# Field types whose parser reads a number column as it is (etl/readers.py keeps a parquet file's numbers).
NUMBER_TYPES = frozenset({"year", "score", "score_signed", "number", "percent", "integer"})

# Which message to give for a cell a parser could not read.
BAD_VALUE_PROBLEM = {
    "year": "bad_year",
    "score": "bad_score",
    "score_signed": "bad_number",
    "number": "bad_number",
    "percent": "bad_percent",
    "integer": "bad_integer",
    "date": "bad_date",
}
