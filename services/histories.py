"""Histories across the 2025 reorganisation as the reader chooses them (Progress and Reviews pages): the rules
the data supports for a kind (data/rules/reviews.yaml, `reconstruction`), their labels and chart footnotes,
the kinds' median lines with a rebuilt segment, and the home province's official PAR INDEX series rebuilt from
the former provinces' published scores through the 2025 crosswalk (the province lineage).

A rule the register cannot support (no population, no communes under a former unit) is not offered, and the
page says why in one line.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis import lineage as lin
from analysis import official as off
from analysis import rankings as ranks
from analysis import units_of_year as uoy
from core import fmt, programme
from core.i18n import Translator
from services import display, units_of_year
from services.published import Base

DEFAULT = lin.METHOD
NONE = lin.NONE


def day(lang: str) -> str:
    """The reorganisation's first day, as the reader writes dates."""
    return fmt.day(programme.reorganisation(), lang)


def current_units(b: Base, kind: str) -> list[str]:
    """The units of the kind's latest scored year: the ones a rebuilt history is for."""
    years = b.years(kind)
    return sorted(uoy.codes(b.units, years[-1], kinds=kind)) if years else []


def offered(b: Base, kind: str | None = None) -> list[str]:
    """The rules the data supports for the kind's units (every kind's when None), in the data file's order."""
    kinds = [kind] if kind else b.kinds()
    codes = [c for k in kinds for c in current_units(b, k)]
    return lin.offered(b.units, b.lineage, codes)


def not_offered(b: Base, kind: str | None, lang: str) -> list[str]:
    """One line per rule the register cannot support, saying which figure is missing."""
    say = Translator("histories", lang)
    shown = set(offered(b, kind))
    return [
        say("not_offered", figure=say(f"figure.{weight}"), rule=label(rule, lang))
        for rule, weight in lin.rules().items()
        if rule not in shown and weight is not None
    ]


def label(rule: str, lang: str) -> str:
    """The rule as the picker shows it."""
    return Translator("histories", lang)(f"rule.{rule}", day=day(lang))


def choose_label(lang: str) -> str:
    return Translator("histories", lang)("choose", day=day(lang))


def choose_help(lang: str) -> str:
    return Translator("histories", lang)("help", day=day(lang))


def legend(rule: str, lang: str) -> str:
    """The legend of a rebuilt (dashed) series: "tái dựng từ các đơn vị cũ (bình quân)"."""
    return Translator("histories", lang)(f"legend.{rule}") if rule != NONE else ""


def footnote(rule: str, lang: str) -> str:
    """The chart's footnote stating the rule (or that lines break at the reorganisation)."""
    return Translator("histories", lang)(f"footnote.{rule}", day=day(lang))


def partial_note(history: pl.DataFrame, lang: str) -> str:
    """The years rebuilt from only some of the former units (the others had no score that year), or ""."""
    if history.is_empty() or "predecessors_found" not in history.columns:
        return ""
    short = history.filter(pl.col("reconstructed") & (pl.col("predecessors_found") < pl.col("predecessors")))
    if short.is_empty():
        return ""
    years = sorted(short["year"].unique().to_list())
    return Translator("histories", lang)("partial", years=fmt.years(years))


def median_lines(b: Base, rule: str = NONE) -> pl.DataFrame:
    """kind, year, value, era, rebuilt: each kind's median total per year over that year's units. With a
    rebuilt rule, a year before the reorganisation in which some of the kind's current units have a rebuilt
    score takes the median of the current units' series instead (rebuilt=True), and the lines do not break."""
    medians = ranks.kind_averages(units_of_year.results(b)).select("kind", "year", pl.col("median").alias("value"))
    medians = medians.with_columns(
        pl.col("year").map_elements(uoy.era, return_dtype=pl.Int32).alias("era"), pl.lit(False).alias("rebuilt")
    )
    if rule == NONE:
        return medians
    parts = []
    for kind in b.kinds():
        series = lin.with_history(b.scores(kind), b.lineage, current_units(b, kind), rule, b.units)
        years = series.filter(pl.col("reconstructed"))["year"].unique()
        parts.append(
            series.filter(pl.col("year").is_in(years.implode()))
            .group_by("year")
            .agg(pl.col("score").median().round(2).alias("value"))
            .with_columns(pl.lit(kind).alias("kind"), pl.lit(True).alias("rebuilt"))
        )
    rebuilt = pl.concat(parts, how="diagonal_relaxed") if parts else pl.DataFrame()
    if rebuilt.is_empty():
        return medians
    kept = medians.join(rebuilt.select("kind", "year"), on=["kind", "year"], how="anti")
    out = pl.concat([kept, rebuilt.select("kind", "year", "value", "rebuilt")], how="diagonal_relaxed")
    return (
        out.with_columns(pl.lit(0, pl.Int32).alias("era"))
        .select("kind", "year", "value", "era", "rebuilt")
        .sort("kind", "year")
    )


@dataclass(frozen=True)
class OfficialChart:
    """The home province's PAR INDEX series for the history chart: label, year, score, reconstructed."""

    frame: pl.DataFrame
    title: str
    subtitle: str
    note: str
    source: str


def official_history(b: Base, rule: str = NONE) -> pl.DataFrame:
    """year, score, reconstructed, predecessors_found, predecessors of the home province's published PAR
    INDEX score, and with a rebuilt rule its years before the reorganisation from its former provinces'
    published scores (the province lineage: the 2025 crosswalk). Empty when nothing is published."""
    home = b.home_province()
    if home is None:
        return pl.DataFrame()
    if rule not in lin.offered(b.units, b.lineage.filter(pl.col("unit_code") == home), [home]):
        rule = NONE
    return off.rebuilt_trend(b.official, b.lineage, [home], rule, b.units).drop("unit_code")


def official_chart(b: Base, rule: str, lang: str) -> OfficialChart | None:
    """The home province's official series with its title and footnote, or None when nothing is published."""
    home = b.unit(b.home_province() or "")
    series = official_history(b, rule) if home else pl.DataFrame()
    if home is None or series.is_empty():
        return None
    say = Translator("histories", lang)
    return OfficialChart(
        series.with_columns(pl.lit(say("official.own")).alias("label")),
        say("official.title", unit=home["name"]),
        say("official.sub", day=day(lang)),
        chart_note(series, rule, has_predecessors(b, [home["unit_code"]]), lang),
        display.official_source(fmt.years(series.filter(~pl.col("reconstructed"))["year"].to_list()), lang),
    )


def median_note(b: Base, medians: pl.DataFrame, rule: str, lang: str) -> str:
    """The footnote of the kinds' median lines (median_lines)."""
    return chart_note(medians.rename({"rebuilt": "reconstructed"}), rule, not b.lineage.is_empty(), lang)


def chart_note(history: pl.DataFrame, rule: str, has_predecessors: bool, lang: str) -> str:
    """The footnote of a chart of histories: the rule when some years are rebuilt (and which years only
    partly), the break when the reader chose no rebuilt history for units that have predecessors, else ""."""
    rebuilt = not history.is_empty() and bool(history["reconstructed"].any())
    if rebuilt:
        return " ".join(x for x in (footnote(rule, lang), partial_note(history, lang)) if x)
    return footnote(NONE, lang) if rule == NONE and has_predecessors else ""


def has_predecessors(b: Base, codes: list[str]) -> bool:
    return b.lineage.filter(pl.col("unit_code").is_in(codes)).height > 0
