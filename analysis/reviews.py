"""The mid-term (2021–2025) and final (2021–2030) reviews: one line per unit over the period.

Per unit: the period mean, the first and latest score, the improvement (latest − first), the years scored and
the years in the top tier (consistency), and the period rank by the period mean that the review's awards use.

The 1 July 2025 reorganisation runs through both periods. Only units that still exist at the end of the
period are ranked: a unit that ended (merged into a new one, or a district abolished) is listed with its own
years up to its end, unranked, so a merged unit is never ranked against its own predecessors. A unit that
began during the period counts its reconstructed years (analysis/lineage.py) and says how many.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from analysis import lineage as lin
from analysis import units_of_year as uoy
from analysis.rankings import min_rank

CURRENT = "current"  # exists at the end of the period: ranked
ENDED = "ended"  # ended during the period: listed, not ranked


def period_summary(
    results: pl.DataFrame,
    units: pl.DataFrame,
    lineage: pl.DataFrame,
    bands: pl.DataFrame,
    kind: str,
    start: int,
    end: int,
    top_tier_rank: int = 1,
    rule: str = lin.METHOD,
) -> pl.DataFrame:
    """results: unit_code, kind, year, total, tier_rank (all kinds or one); units: the register;
    lineage: unit_lineage; bands: tier bands with unit_kind and year; rule: how a unit that began during the
    period gets its earlier years (analysis.lineage; "none": only its own years count)."""
    own = (
        results.filter((pl.col("kind") == kind) & pl.col("year").is_between(start, end))
        .select("unit_code", "year", pl.col("total").alias("score"), "tier", "tier_rank")
        .drop_nulls("score")
    )
    if own.is_empty():
        return _empty()
    register = units.filter(pl.col("kind") == kind).select("unit_code", "name", "parent_name", "valid_from", "valid_to")
    # The units of the period are the units of its last year (analysis.units_of_year).
    current = list(uoy.codes(register, end))
    began = register.filter(pl.col("valid_from").is_not_null() & (pl.col("valid_from") > dt.date(start, 1, 1)))
    current_set = set(current)  # once: a set built per unit made this quadratic (13,000 units nationally)
    rebuilt = lin.reconstruct(
        own.select("unit_code", "year", "score"),
        lineage,
        [c for c in began["unit_code"].to_list() if c in current_set],
        rule,
        units,
    )
    rebuilt = rebuilt.filter(pl.col("year").is_between(start, end))
    rebuilt = lin.tier_of(rebuilt, bands, kind)
    series = pl.concat(
        [
            own.with_columns(pl.lit(False).alias("reconstructed")),
            rebuilt.select("unit_code", "year", "score", "tier", "tier_rank", "reconstructed"),
        ],
        how="vertical_relaxed",
    ).sort("unit_code", "year")
    summary = series.group_by("unit_code").agg(
        pl.col("score").mean().round(2).alias("period_mean"),
        pl.col("score").first().alias("first_score"),
        pl.col("year").first().alias("first_year"),
        pl.col("score").last().alias("latest_score"),
        pl.col("year").last().alias("latest_year"),
        pl.len().cast(pl.Int32).alias("years_scored"),
        (pl.col("tier_rank") == top_tier_rank).sum().cast(pl.Int32).alias("years_top_tier"),
        pl.col("reconstructed").sum().cast(pl.Int32).alias("years_reconstructed"),
    )
    summary = summary.join(register, on="unit_code", how="left").with_columns(
        (pl.col("latest_score") - pl.col("first_score")).round(2).alias("improvement"),
        pl.when(pl.col("unit_code").is_in(current)).then(pl.lit(CURRENT)).otherwise(pl.lit(ENDED)).alias("status"),
    )
    ranked = summary.filter(pl.col("status") == CURRENT).with_columns(min_rank("period_mean").alias("period_rank"))
    out = summary.join(ranked.select("unit_code", "period_rank"), on="unit_code", how="left")
    return out.sort(
        [pl.col("period_rank").is_null(), "period_rank", "period_mean", "unit_code"],
        descending=[False, False, True, False],
    )


def _empty() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "unit_code": pl.String,
            "period_mean": pl.Float64,
            "first_score": pl.Float64,
            "first_year": pl.Int32,
            "latest_score": pl.Float64,
            "latest_year": pl.Int32,
            "years_scored": pl.Int32,
            "years_top_tier": pl.Int32,
            "years_reconstructed": pl.Int32,
            "name": pl.String,
            "parent_name": pl.String,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
            "improvement": pl.Float64,
            "status": pl.String,
            "period_rank": pl.Int32,
        }
    )
