"""Rankings of units in a year, with the previous year's score and rank beside them.

Pure functions over polars frames. Ties share a rank and the next rank skips ("min" method: 1, 2, 2, 4), as
published rankings do. A unit with no result in the previous year has no change; whether that is because it
began with the 1 July 2025 reorganisation or because its result is missing is said in `change_status`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

# change_status values
COMPARED = "compared"  # a result in both years
NEW_UNIT = "new_unit"  # began after the previous year's start (e.g. on 1 July 2025): nothing to compare
NO_PREVIOUS = "no_previous"  # existed, but has no result in the previous year


def min_rank(column: str = "score") -> pl.Expr:
    """Highest first; ties share the rank, the next one skips (1, 2, 2, 4). Missing scores are not ranked."""
    return pl.col(column).rank(method="min", descending=True).cast(pl.Int32)


def rank_scores(scores: pl.DataFrame, over: list[str] | None = None) -> pl.DataFrame:
    """scores with a `rank` column (within each group of `over`, if given)."""
    expr = min_rank("score")
    return scores.with_columns((expr.over(over) if over else expr).alias("rank"))


def rank_year(scores: pl.DataFrame, year: int) -> pl.DataFrame:
    """Rank one kind's units in `year` and compare with `year - 1`.

    scores: unit_code, year, score (one row per unit and year). Returns the units scored in `year` with
    score, rank, prev_score, prev_rank, score_change (points) and rank_change (places gained: + is up),
    ordered by rank.
    """
    base = scores.select("unit_code", "year", "score")
    current = rank_scores(base.filter(pl.col("year") == year).drop_nulls("score"))
    previous = rank_scores(base.filter(pl.col("year") == year - 1).drop_nulls("score")).select(
        "unit_code", pl.col("score").alias("prev_score"), pl.col("rank").alias("prev_rank")
    )
    return (
        current.join(previous, on="unit_code", how="left")
        .with_columns(
            (pl.col("score") - pl.col("prev_score")).round(2).alias("score_change"),
            (pl.col("prev_rank") - pl.col("rank")).cast(pl.Int32).alias("rank_change"),
            pl.len().alias("ranked"),
        )
        .sort(["rank", "unit_code"])
    )


def change_status(ranked: pl.DataFrame, units: pl.DataFrame, lineage: pl.DataFrame, year: int) -> pl.DataFrame:
    """Add `change_status`: compared, new_unit (began after 1 January of the previous year, or has
    predecessors that merged into it since then) or no_previous (existed, but no result that year)."""
    since = dt.date(year - 1, 1, 2)
    began = units.filter(pl.col("valid_from").is_not_null() & (pl.col("valid_from") >= since))["unit_code"]
    merged = lineage.filter(pl.col("effective_date") >= since)["unit_code"]
    new_codes = set(began.to_list()) | set(merged.to_list())
    return ranked.with_columns(
        pl.when(pl.col("prev_score").is_not_null())
        .then(pl.lit(COMPARED))
        .when(pl.col("unit_code").is_in(list(new_codes)))
        .then(pl.lit(NEW_UNIT))
        .otherwise(pl.lit(NO_PREVIOUS))
        .alias("change_status")
    )


def movers(ranked: pl.DataFrame, n: int = 5) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(risers, fallers): the n largest score gains and losses among units compared with the previous year.
    Ties at the cut are kept in unit-code order; a change of 0 is neither."""
    compared = ranked.filter(pl.col("score_change").is_not_null())
    risers = compared.filter(pl.col("score_change") > 0).sort(["score_change", "unit_code"], descending=[True, False])
    fallers = compared.filter(pl.col("score_change") < 0).sort(["score_change", "unit_code"])
    return risers.head(n), fallers.head(n)


def tier_distribution(results: pl.DataFrame) -> pl.DataFrame:
    """Units per (kind, year, tier) with the tier's rank; results: kind, year, unit_code, tier, tier_rank."""
    return (
        results.filter(pl.col("tier").is_not_null())
        .group_by("kind", "year", "tier", "tier_rank")
        .agg(pl.col("unit_code").n_unique().alias("units"))
        .sort("kind", "year", "tier_rank")
    )


def kind_averages(results: pl.DataFrame) -> pl.DataFrame:
    """Mean and median total per (kind, year), and the number of units averaged."""
    return (
        results.drop_nulls("total")
        .group_by("kind", "year")
        .agg(
            pl.col("total").mean().round(2).alias("mean"),
            pl.col("total").median().round(2).alias("median"),
            pl.col("unit_code").n_unique().alias("units"),
        )
        .sort("kind", "year")
    )
