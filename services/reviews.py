"""The Reviews page's figures: the mid-term and final reviews' period ranking of one unit kind, the units that
ended during the period listed apart. The report's period tables use the same summary."""

from __future__ import annotations

from typing import Any

import polars as pl

from analysis import lineage as lin
from analysis import reviews as rev
from core import fmt, programme
from core.i18n import Translator
from services import display
from services import histories as hist
from services.display import Card, Table
from services.published import Base

CHART_ROWS = 30
HISTORY_ROWS = 5  # lines a reader can still tell apart


def periods() -> dict[str, tuple[int, int]]:
    """{name: (first year, last year)} of the review periods (data/rules/reviews.yaml)."""
    return programme.review_periods()


def review(b: Base, kind: str, first: int, last: int, rule: str = lin.METHOD) -> pl.DataFrame:
    """The period summary of kind over first–last: mean, first and latest score, improvement, years in the best
    tier, years rebuilt by rule; units active at the end ranked by their mean, the others unranked."""
    return rev.period_summary(
        b.results, b.units, b.lineage, b.bands, kind, first, last, programme.top_tier_rank(), rule
    )


def histories(b: Base, kind: str, first: int, last: int, rule: str, rows: int = HISTORY_ROWS) -> pl.DataFrame:
    """label, year, score, reconstructed, predecessors_found, predecessors: the period's yearly totals of the
    first `rows` ranked units, their years before they began rebuilt by rule (none: own years only)."""
    top = ranked(review(b, kind, first, last, rule)).head(rows)
    codes = top["unit_code"].to_list()
    series = lin.with_history(b.scores(kind), b.lineage, codes, rule, b.units).filter(
        pl.col("year").is_between(first, last)
    )
    labels = pl.DataFrame(
        {
            "unit_code": codes,
            "label": [f"{r['period_rank']}. {r['name'] or r['unit_code']}" for r in top.iter_rows(named=True)],
        }
    )
    return (
        labels.join(series, on="unit_code", how="left")
        .drop_nulls("year")
        .select("label", "year", "score", "reconstructed")
    )


def ranked(summary: pl.DataFrame) -> pl.DataFrame:
    """The units the review ranks (active at the end of the period), in rank order."""
    return summary.filter(pl.col("period_rank").is_not_null())


def ended(summary: pl.DataFrame) -> pl.DataFrame:
    """The units that ended during the period: listed, never ranked against their successors."""
    return summary.filter(pl.col("status") == rev.ENDED)


def scored_years(b: Base, kind: str, first: int, last: int) -> list[int]:
    """The years of the period that have scores of kind."""
    rows = b.results.filter((pl.col("kind") == kind) & pl.col("year").is_between(first, last))
    return sorted(rows["year"].unique().to_list())


def last_scored_if_open(years: list[int], last: int) -> int | None:
    """The last year scored when the period is not over yet (its table is provisional), else None."""
    return years[-1] if years and years[-1] < last else None


def cards(summary: pl.DataFrame, years: list[int], lang: str) -> list[Card]:
    say = Translator("reviews", lang)
    shown = ranked(summary)
    return [
        Card(say("ranked"), fmt.integer(shown.height, lang)),
        Card(say("ended"), fmt.integer(ended(summary).height, lang)),
        Card(say("reconstructed"), fmt.integer(shown.filter(pl.col("years_reconstructed") > 0).height, lang)),
        Card(say("years"), fmt.years(years)),
    ]


def chart_rows(summary: pl.DataFrame, lang: str, rows: int = CHART_ROWS) -> pl.DataFrame:
    """The first ranked units for the bar chart: '1. name' (with * when years are reconstructed), mean text."""
    top = ranked(summary).head(rows)
    labels = [
        f"{r['period_rank']}. {r['name'] or r['unit_code']}" + (" *" if r["years_reconstructed"] else "")
        for r in top.select("period_rank", "name", "unit_code", "years_reconstructed").iter_rows(named=True)
    ]
    return top.with_columns(
        pl.Series("label", labels, dtype=pl.String), display.score_texts(top, "period_mean", lang).alias("mean_text")
    )


def review_table(frame: pl.DataFrame, lang: str) -> Table:
    keys = [
        "period_rank",
        "unit",
        "parent",
        "status",
        "period_mean",
        "first",
        "latest",
        "improvement",
        "years_scored",
        "years_top_tier",
        "years_reconstructed",
    ]
    c = display.columns(lang, *keys)
    status_word = Translator("charts.review_status", lang)
    each = display.each

    def status(value: str, valid_to: Any) -> str:
        if value == rev.ENDED and valid_to is not None:
            return status_word("ended_on", day=fmt.day(valid_to, lang))
        return status_word(value)

    cells = {
        "period_rank": each(frame, "period_rank", lambda v: fmt.integer(v, lang)),
        "unit": display.unit_names(frame),
        "parent": display.parent_names(frame),
        "status": each(frame, ["status", "valid_to"], status),
        "period_mean": display.score_texts(frame, "period_mean", lang),
        "first": each(frame, ["first_score", "first_year"], lambda v, y: f"{display.score(v, lang)} ({y})"),
        "latest": each(frame, ["latest_score", "latest_year"], lambda v, y: f"{display.score(v, lang)} ({y})"),
        "improvement": each(frame, "improvement", lambda v: display.signed(v, lang)),
        "years_scored": each(frame, "years_scored", lambda v: fmt.integer(v, lang)),
        "years_top_tier": each(frame, "years_top_tier", lambda v: fmt.integer(v, lang)),
        "years_reconstructed": each(frame, "years_reconstructed", lambda v: fmt.integer(v, lang) if v else ""),
    }
    numeric = tuple(c[k] for k in keys if k not in ("unit", "parent", "status", "code"))
    return Table(display.text_table({c[k]: cells[k] for k in keys}), numeric)


def tables(summary: pl.DataFrame, lang: str) -> tuple[Table, Table]:
    """(the ranked units, the units that ended) as display tables."""
    return review_table(ranked(summary), lang), review_table(ended(summary), lang)


def bars_note(chart: pl.DataFrame, rule: str, lang: str) -> str:
    """The bar chart's footnote: what * means (the rule) when a unit shown has rebuilt years, or that nothing is
    rebuilt when the reader chose so."""
    if rule == hist.NONE:
        return hist.footnote(rule, lang)
    return f"* {hist.legend(rule, lang)}" if chart.height and (chart["years_reconstructed"] > 0).any() else ""


def history_note(b: Base, kind: str, first: int, last: int, rule: str, lang: str) -> str:
    """The history chart's footnote (services.histories.chart_note) for the units it shows."""
    codes = ranked(review(b, kind, first, last, rule)).head(HISTORY_ROWS)["unit_code"].to_list()
    return hist.chart_note(histories(b, kind, first, last, rule), rule, hist.has_predecessors(b, codes), lang)
