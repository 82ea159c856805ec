"""What the leaders' pages show, assembled from named queries and analysis functions, cached per version.

Pages call these and lay the results out; no SQL and no rules here either (queries live in store/sql, rules in
analysis/). Everything is cached per published version file and parameters, so a rerun that changes only the
view re-reads nothing from the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from analysis import lineage as lin
from analysis import official as off
from analysis import progress, rankings, reviews
from analysis.rules import review_periods, top_tier_rank
from dashboard.context import _published, query
from store.queries import Published

# The internal kinds a province ranks, in reading order; the official index ranks provinces and ministries.
INTERNAL_KINDS = ("department", "district", "commune")
OFFICIAL_LEVELS = ("province", "ministry")
TOTAL = "total"


@dataclass(frozen=True)
class Base:
    """The frames every leaders' page starts from, read once per published version."""

    meta: dict[str, str]
    results: pl.DataFrame  # unit_results.sql
    units: pl.DataFrame  # units_register.sql
    lineage: pl.DataFrame  # unit_lineage_all.sql
    bands: pl.DataFrame  # tier_bands_all.sql
    components: pl.DataFrame  # framework_components.sql
    official: pl.DataFrame  # official_results_all.sql
    summary: pl.DataFrame  # official_summary_all.sql

    @property
    def empty(self) -> bool:
        return self.results.is_empty() and self.official.is_empty()

    def kinds(self) -> list[str]:
        present = set(self.results["kind"].unique().to_list())
        return [k for k in INTERNAL_KINDS if k in present] + sorted(present - set(INTERNAL_KINDS))

    def years(self, kind: str | None = None) -> list[int]:
        frame = self.results if kind is None else self.results.filter(pl.col("kind") == kind)
        return sorted(frame["year"].unique().to_list())

    def scores(self, kind: str) -> pl.DataFrame:
        """unit_code, year, score (the total) for one kind."""
        return self.results.filter(pl.col("kind") == kind).select("unit_code", "year", pl.col("total").alias("score"))

    def unit(self, code: str) -> dict | None:
        rows = self.units.filter(pl.col("unit_code") == code)
        return rows.row(0, named=True) if rows.height else None

    def home_province(self) -> str | None:
        """The province whose official results the Overview leads with: the register's province (init)."""
        return self.meta.get("province_code") or None


@st.cache_resource(max_entries=4, show_spinner=False)
def _base(db: str, version_file: str) -> Base:
    published = _published(db, version_file)
    q = published.query
    return Base(
        meta={r["key"]: r["value"] for r in q("dataset_meta").iter_rows(named=True)},
        results=q("unit_results"),
        units=q("units_register"),
        lineage=q("unit_lineage_all"),
        bands=q("tier_bands_all"),
        components=q("framework_components"),
        official=q("official_results_all"),
        summary=q("official_summary_all"),
    )


def base(db: Published) -> Base:
    return _base(str(db.db), str(db.file))


# ---- rankings ------------------------------------------------------------------------------------------


def component_options(b: Base, kind: str, year: int) -> list[tuple[str, str]]:
    """(component code, name) of the kind's framework that year, in framework order."""
    rows = b.components.filter((pl.col("unit_kind") == kind) & (pl.col("year") == year)).sort("ordinal")
    return [
        (r["component_code"], r["name"])
        for r in rows.unique("component_code", keep="first", maintain_order=True).iter_rows(named=True)
    ]


@st.cache_resource(max_entries=64, show_spinner=False)
def _ranking(db: str, version_file: str, kind: str, year: int, measure: str) -> pl.DataFrame:
    published = _published(db, version_file)
    b = _base(db, version_file)
    if measure == TOTAL:
        scores = b.scores(kind)
    else:
        parts = [query(published, "component_results_kind_year", kind=kind, year=y) for y in (year - 1, year)]
        scores = (
            pl.concat(parts)
            .filter(pl.col("component_code") == measure)
            .select("unit_code", "year", pl.col("points").alias("score"))
        )
    ranked = rankings.change_status(rankings.rank_year(scores, year), b.units, b.lineage, year)
    info = b.results.filter((pl.col("kind") == kind) & (pl.col("year") == year)).select(
        "unit_code", "tier", "tier_rank", "score_stage"
    )
    names = b.units.select("unit_code", "name", "parent_code", "parent_name", "valid_from", "valid_to")
    return (
        ranked.join(names, on="unit_code", how="left").join(info, on="unit_code", how="left").sort("rank", "unit_code")
    )


def ranking(db: Published, kind: str, year: int, measure: str = TOTAL) -> pl.DataFrame:
    return _ranking(str(db.db), str(db.file), kind, year, measure)


def official_ranking(db: Published, year: int, level: str) -> tuple[pl.DataFrame, off.Coverage]:
    b = base(db)
    return off.ranking(b.official, year, level), off.coverage(b.official, year, level)


# ---- overview ------------------------------------------------------------------------------------------


def check_results(db: Published) -> pl.DataFrame:
    """The stored results of this version's last check run, per rule (none before checks were stored)."""
    try:
        return query(db, "check_results")
    except duckdb.CatalogException:
        return pl.DataFrame()


def open_findings(db: Published) -> pl.DataFrame:
    """The open data-quality findings of this version (none for a database published before checks)."""
    try:
        return query(db, "open_findings")
    except duckdb.CatalogException:
        return pl.DataFrame(
            schema={
                "severity": pl.String,
                "unit_code": pl.String,
                "year": pl.Int64,
                "table_name": pl.String,
                "message_vi": pl.String,
                "message_en": pl.String,
            }
        )


def units_with_findings(db: Published, year: int) -> pl.DataFrame:
    """Units with open findings about this year (or any year): unit, name, kind, findings, first message."""
    findings = open_findings(db)
    if findings.is_empty():
        return findings.select("unit_code").with_columns(pl.lit(0, pl.UInt32).alias("findings")).head(0)
    b = base(db)
    rows = findings.filter(pl.col("unit_code").is_not_null() & (pl.col("year").is_null() | (pl.col("year") == year)))
    return (
        rows.group_by("unit_code")
        .agg(
            pl.len().alias("findings"),
            pl.col("message_vi").first(),
            pl.col("message_en").first(),
            pl.col("severity").first(),
        )
        .join(b.units.select("unit_code", "name", "kind"), on="unit_code", how="left")
        .sort(["findings", "unit_code"], descending=[True, False])
    )


# ---- profile -------------------------------------------------------------------------------------------


def unit_history(db: Published, code: str) -> pl.DataFrame:
    """The unit's own years and, before it began, its reconstructed ones (flagged), with tiers."""
    b = base(db)
    u = b.unit(code)
    if u is None:
        return pl.DataFrame()
    scores = b.scores(u["kind"])
    history = lin.with_history(scores, b.lineage, [code])
    tiers = b.results.filter(pl.col("unit_code") == code).select("year", "tier", "tier_rank", "score_stage")
    own = history.filter(~pl.col("reconstructed")).join(tiers, on="year", how="left")
    rebuilt = lin.tier_of(history.filter(pl.col("reconstructed")), b.bands, u["kind"]).with_columns(
        pl.lit(None, pl.String).alias("score_stage")
    )
    return pl.concat([own, rebuilt], how="diagonal_relaxed").sort("year")


def kind_ranks(db: Published, code: str) -> pl.DataFrame:
    """The unit's rank among its kind in each year it was scored."""
    b = base(db)
    u = b.unit(code)
    if u is None:
        return pl.DataFrame()
    ranked = rankings.rank_scores(b.scores(u["kind"]).drop_nulls("score"), over=["year"])
    counts = ranked.group_by("year").agg(pl.len().alias("ranked"))
    return (
        ranked.filter(pl.col("unit_code") == code).join(counts, on="year").select("year", "rank", "ranked").sort("year")
    )


def component_profile(db: Published, code: str, year: int) -> pl.DataFrame:
    """The unit's components that year against the maximum and the median of its kind."""
    b = base(db)
    u = b.unit(code)
    comps = query(db, "component_results_unit", unit=code).filter(pl.col("year") == year)
    if u is None or comps.is_empty():
        return comps
    medians = query(db, "component_medians", kind=u["kind"]).filter(pl.col("year") == year)
    medians = medians.filter(pl.col("framework_id").is_in(comps["framework_id"].unique().to_list()))
    return progress.holding_back(comps, medians.select("component_code", "median_points")).sort("ordinal")


def criterion_profile(db: Published, code: str, year: int) -> pl.DataFrame:
    rows = query(db, "unit_criterion_scores", unit=code, year=year)
    if rows.is_empty():
        return rows
    medians = pl.concat([query(db, "criterion_medians", framework=f) for f in rows["framework_id"].unique().to_list()])
    return rows.join(medians.select("item_code", "median_points"), on="item_code", how="left")


def predecessors_of(db: Published, code: str) -> pl.DataFrame:
    return base(db).lineage.filter(pl.col("unit_code") == code)


def successors_of(db: Published, code: str) -> pl.DataFrame:
    return base(db).lineage.filter(pl.col("predecessor_code") == code)


# ---- progress and reviews -------------------------------------------------------------------------------


@st.cache_resource(max_entries=32, show_spinner=False)
def _review(db: str, version_file: str, kind: str, period: str) -> pl.DataFrame:
    b = _base(db, version_file)
    start, end = review_periods()[period]
    return reviews.period_summary(b.results, b.units, b.lineage, b.bands, kind, start, end, top_tier_rank())


def review(db: Published, kind: str, period: str) -> pl.DataFrame:
    return _review(str(db.db), str(db.file), kind, period)


@st.cache_resource(max_entries=32, show_spinner=False)
def _improvement(db: str, version_file: str, kind: str, year: int) -> pl.DataFrame:
    b = _base(db, version_file)
    names = b.units.select("unit_code", "name", "parent_name")
    out = progress.improvement(b.scores(kind), b.lineage, year).join(names, on="unit_code", how="left")
    return out.sort([pl.col("change").is_null(), "change", "unit_code"], descending=[False, True, False])


def improvement(db: Published, kind: str, year: int) -> pl.DataFrame:
    return _improvement(str(db.db), str(db.file), kind, year)


def unit_records(db: Published, code: str) -> pl.DataFrame:
    return query(db, "unit_records", unit=code)


def history_of(db: Published, kind: str, codes: list[str]) -> pl.DataFrame:
    """Own and reconstructed totals of these units of one kind (unit_code, year, score, reconstructed)."""
    b = base(db)
    return lin.with_history(b.scores(kind), b.lineage, codes)


# ---- display tables, formatted once per version, view and language ----------------------------------------
# Formatting thousands of rows (decimal commas, translated codes) costs more than the analysis behind them,
# so the text a page shows is cached too; pages filter the cached rows with masks from the analysis frame.


@st.cache_resource(max_entries=64, show_spinner=False)
def _ranking_display(db: str, version_file: str, kind: str, year: int, measure: str, lang: str):
    from dashboard import display

    return display.ranking_table(_ranking(db, version_file, kind, year, measure), lang, with_tier=measure == TOTAL)


def ranking_display(db: Published, kind: str, year: int, measure: str, lang: str) -> tuple[pl.DataFrame, tuple]:
    """The ranking's display table, row for row in the order of ranking(db, kind, year, measure)."""
    return _ranking_display(str(db.db), str(db.file), kind, year, measure, lang)


@st.cache_resource(max_entries=32, show_spinner=False)
def _review_display(db: str, version_file: str, kind: str, period: str, lang: str):
    from dashboard import display

    summary = _review(db, version_file, kind, period)
    ranked = summary.filter(pl.col("period_rank").is_not_null())
    ended = summary.filter(pl.col("status") == reviews.ENDED)
    return display.review_table(ranked, lang), display.review_table(ended, lang)


def review_display(db: Published, kind: str, period: str, lang: str) -> tuple[tuple, tuple]:
    """((ranked table, numeric columns), (ended table, numeric columns)) of the review."""
    return _review_display(str(db.db), str(db.file), kind, period, lang)


@st.cache_resource(max_entries=32, show_spinner=False)
def _improvement_display(db: str, version_file: str, kind: str, year: int, lang: str):
    from dashboard import display

    return display.improvement_table(_improvement(db, version_file, kind, year), lang)


def improvement_display(db: Published, kind: str, year: int, lang: str) -> tuple[pl.DataFrame, tuple]:
    return _improvement_display(str(db.db), str(db.file), kind, year, lang)


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(db: str, version_file: str, key: str, lang: str, _build: Callable[[], Any]) -> Any:
    # _build is not hashed (leading underscore): key must name everything the figure depends on.
    return _build()


def figure(db: Published, key: str, lang: str, build: Callable[[], Any]) -> Any:
    """A Plotly figure built once per version, view key and language (building one costs tens of ms)."""
    return _figure(str(db.db), str(db.file), key, lang, build)
