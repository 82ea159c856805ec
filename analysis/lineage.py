"""Histories across the 1 July 2025 reorganisation.

A unit that began during the period has no results of its own for the years before it began. Its
reconstructed history for such a year is the mean of its predecessors' totals that year, each predecessor
weighted equally (method "mean_of_predecessors"; a renamed unit's single predecessor is its history as is; a
predecessor split between several new units counts in full for each). Reconstructed rows are flagged and
keep the number of predecessors found and expected, so a page can label them and never rank a merged unit
against its own predecessors.
"""

from __future__ import annotations

import polars as pl

METHOD = "mean_of_predecessors"


def predecessors(lineage: pl.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in lineage.select("unit_code", "predecessor_code").iter_rows():
        out.setdefault(row[0], []).append(row[1])
    return out


def successors(lineage: pl.DataFrame) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for row in lineage.select("unit_code", "predecessor_code").iter_rows():
        out.setdefault(row[1], []).append(row[0])
    return out


def reconstruct(scores: pl.DataFrame, lineage: pl.DataFrame, unit_codes: list[str] | None = None) -> pl.DataFrame:
    """Reconstructed yearly totals of units with predecessors, for years they have no own result.

    scores: unit_code, year, score (all units of the kind). Returns unit_code, year, score, predecessors_found,
    predecessors (expected), reconstructed=True.
    """
    links = lineage.select("unit_code", "predecessor_code")
    if unit_codes is not None:
        links = links.filter(pl.col("unit_code").is_in(unit_codes))
    expected = links.group_by("unit_code").agg(pl.len().cast(pl.Int32).alias("predecessors"))
    own = scores.select("unit_code", "year").unique()
    rebuilt = (
        links.join(
            scores.select(pl.col("unit_code").alias("predecessor_code"), "year", "score").drop_nulls("score"),
            on="predecessor_code",
        )
        .group_by("unit_code", "year")
        .agg(pl.col("score").mean().round(2).alias("score"), pl.len().cast(pl.Int32).alias("predecessors_found"))
        .join(own, on=["unit_code", "year"], how="anti")
        .join(expected, on="unit_code")
        .with_columns(pl.lit(True).alias("reconstructed"))
    )
    return rebuilt.sort("unit_code", "year")


def with_history(scores: pl.DataFrame, lineage: pl.DataFrame, unit_codes: list[str] | None = None) -> pl.DataFrame:
    """Own results (reconstructed=False) and, before a unit began, its reconstructed ones (True)."""
    own = scores.select("unit_code", "year", "score").with_columns(
        pl.lit(None, pl.Int32).alias("predecessors_found"),
        pl.lit(None, pl.Int32).alias("predecessors"),
        pl.lit(False).alias("reconstructed"),
    )
    if unit_codes is not None:
        own = own.filter(pl.col("unit_code").is_in(unit_codes))
    return pl.concat([own, reconstruct(scores, lineage, unit_codes)], how="vertical_relaxed").sort("unit_code", "year")


def tier_of(scores: pl.DataFrame, bands: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Add tier and tier_rank to (year, score) rows from that year's tier bands of the kind (the same rule
    derive_unit_result.sql applies), for reconstructed scores that were never tiered."""
    b = bands.filter(pl.col("unit_kind") == kind).select(
        "year", "tier", "tier_rank", "lower_bound", "lower_inclusive", "upper_bound", "upper_inclusive"
    )
    if scores.is_empty() or b.is_empty():
        return scores.with_columns(pl.lit(None, pl.String).alias("tier"), pl.lit(None, pl.Int32).alias("tier_rank"))
    keyed = scores.with_row_index("_row")
    fits = keyed.join(b, on="year").filter(
        (
            pl.col("lower_bound").is_null()
            | (pl.col("score") > pl.col("lower_bound"))
            | (pl.col("lower_inclusive") & (pl.col("score") == pl.col("lower_bound")))
        )
        & (
            pl.col("upper_bound").is_null()
            | (pl.col("score") < pl.col("upper_bound"))
            | (pl.col("upper_inclusive") & (pl.col("score") == pl.col("upper_bound")))
        )
    )
    best = (
        fits.sort("_row", "tier_rank").group_by("_row", maintain_order=True).first().select("_row", "tier", "tier_rank")
    )
    return keyed.join(best, on="_row", how="left").sort("_row").drop("_row")
