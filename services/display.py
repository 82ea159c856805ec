"""What a reader sees, shaped once: cards and tables whose text is already in the reader's language.

No Streamlit here: the dashboard lays these out, the tests compare them with figures computed independently.
A display table holds text (numbers formatted by core.fmt, codes translated); `numeric` names the columns a page
aligns right like numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import polars as pl

from core import fmt, vocab
from core.i18n import Translator

TIERS = vocab.codes("tier")  # best first, as data/vocab.yaml lists them


@dataclass(frozen=True)
class Table:
    frame: pl.DataFrame
    numeric: tuple[str, ...] = ()
    note: str = ""  # shown under the table, e.g. the one issuer all rows share

    @property
    def empty(self) -> bool:
        return self.frame.is_empty()


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    note: str = ""
    help: str | None = None


# ---- words for stored codes and numbers ------------------------------------------------------------------


def codes(lang: str) -> Translator:
    """The dashboard's words for stored codes: `codes(lang).code('kinds', 'commune')`."""
    return Translator("dashboard", lang)


def kind_name(kind: str | None, lang: str) -> str:
    return codes(lang).code("kinds", kind)


def tier_name(tier: str | None, lang: str) -> str:
    return codes(lang).code("tiers", tier)


def tier_names(lang: str) -> dict[str, str]:
    return {tier: tier_name(tier, lang) for tier in TIERS}


def kind_names(kinds: Iterable[str], lang: str) -> dict[str, str]:
    return {kind: kind_name(kind, lang) for kind in kinds}


def columns(lang: str, *keys: str) -> dict[str, str]:
    """{key: column header} for the charts.cols keys, in the reader's language and the order given."""
    say = Translator("charts.cols", lang)
    return {key: say(key) for key in keys}


def score(value: float | None, lang: str) -> str:
    """Scores always with two decimals, as published: 91,65."""
    return fmt.number(value, lang, 2)


def signed(value: float | int | None, lang: str, decimals: int = 2) -> str:
    if value is None:
        return fmt.MISSING
    text = fmt.number(abs(value), lang, decimals)
    return text if value == 0 else ("+" if value > 0 else "−") + text


def unit_label(name: str | None, parent: str | None, code: str) -> str:
    """A unit's name, with its parent when names repeat across provinces ("Xã An Bình · Huyện Đông")."""
    base = name or code
    return f"{base} · {parent}" if parent else base


def source_line(meta: dict[str, str], version: int, lang: str) -> str:
    key = "source_synthetic" if meta.get("synthetic", "").lower() == "true" else "source"
    return Translator("charts", lang)(key, dataset=meta.get("dataset_name") or "parboard", version=version)


def official_source(year: int | str, lang: str) -> str:
    return Translator("charts", lang)("source_official", year=year)


# ---- building text tables fast ---------------------------------------------------------------------------


def each(frame: pl.DataFrame, cols: str | list[str], write: Callable[..., str]) -> pl.Series:
    """write(*values) for every row, called once per distinct combination of the columns' values.

    13,000 rows of a national table hold a few hundred distinct scores and ranks: formatting each row in
    Python cost ~0.3 s per table, formatting each distinct value a few ms. Same text, row for row."""
    names = [cols] if isinstance(cols, str) else cols
    keys = frame.select(names).unique(maintain_order=True)
    lookup = keys.with_columns(pl.Series("_text", [write(*row) for row in keys.iter_rows()], dtype=pl.String))
    return frame.select(names).join(lookup, on=names, how="left", nulls_equal=True, maintain_order="left")["_text"]


def text_table(cells: dict[str, pl.Series]) -> pl.DataFrame:
    """A frame of text columns from {header: series}."""
    return pl.DataFrame([series.cast(pl.String).alias(name) for name, series in cells.items()])


def records_table(records: list[dict[str, Any]], headers: Iterable[str]) -> pl.DataFrame:
    """A frame of text columns from row dicts (for short tables built row by row)."""
    return pl.DataFrame(records, schema=dict.fromkeys(headers, pl.String))


def unit_names(frame: pl.DataFrame) -> pl.Series:
    """The unit's name, else (null or empty) its code."""
    named = pl.col("name").is_not_null() & (pl.col("name") != "")
    return frame.select(pl.when(named).then(pl.col("name")).otherwise(pl.col("unit_code"))).to_series()


def parent_names(frame: pl.DataFrame) -> pl.Series:
    if "parent_name" not in frame.columns:
        return pl.Series([""] * frame.height, dtype=pl.String)
    return frame["parent_name"].fill_null("")


def score_texts(frame: pl.DataFrame, column: str, lang: str) -> pl.Series:
    """A score column as text (two decimals), formatted once per distinct value."""
    return each(frame, column, lambda v: score(v, lang))


# ---- numbers back from display text, for grids that sort -------------------------------------------------


@dataclass(frozen=True)
class Numbers:
    """A numeric column as numbers, so a grid sorts it as numbers while showing it as written."""

    values: pl.Series  # Float64, null where the text was missing ("–")
    decimals: int  # the most decimals any cell was written with
    signed: bool  # a change: "+1" / "−3"


def as_numbers(texts: pl.Series, lang: str) -> Numbers | None:
    """The numbers a column of core.fmt text holds ("1.234,5", "+1", "−3", "–"), or None when any cell is not
    a plain number (a "1/63" or "3 đơn vị" stays text)."""
    decimal_sep, thousands_sep = (",", ".") if lang == "vi" else (".", ",")
    values: list[float | None] = []
    decimals, signed = 0, False
    for cell in texts.cast(pl.String).to_list():
        text = (cell or "").strip()
        if text in ("", fmt.MISSING):
            values.append(None)
            continue
        sign = 1.0
        if text[0] in "+−-":
            signed = signed or text[0] in "+−"
            sign = -1.0 if text[0] in "−-" else 1.0
            text = text[1:]
        plain = text.replace(thousands_sep, "")
        whole, _, fraction = plain.partition(decimal_sep)
        if not whole.isdigit() or (fraction and not fraction.isdigit()):
            return None
        decimals = max(decimals, len(fraction))
        values.append(sign * float(f"{whole}.{fraction or 0}"))
    return Numbers(pl.Series(texts.name, values, dtype=pl.Float64), decimals, signed)


def constant_columns(frame: pl.DataFrame) -> dict[str, str]:
    """{column: its one value} for the text columns that repeat one value (or stay empty) on every row of a
    table of several rows: a page says it once under the table instead ("" when there is nothing to say)."""
    if frame.height < 2:
        return {}
    return {
        name: "" if frame[name][0] is None else str(frame[name][0])
        for name in frame.columns
        if frame[name].dtype == pl.String and frame[name].n_unique() == 1
    }
