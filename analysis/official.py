"""The official national PAR INDEX as published: ranks are data, reproduced exactly, never recomputed.

The database keeps one row per source claim, so a unit may have two scores for one year when sources
disagree. One claim is shown (the one most sources back; on a tie, the first loaded) and the others are listed
beside it. A score order that contradicts the published ranks is flagged, never "corrected". A year is
partial when fewer units have a published rank or score than the index scores (data/rules/official_index.yaml).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis import lineage as lin
from analysis.rankings import min_rank
from analysis.rules import expected_official_units


@dataclass(frozen=True)
class Coverage:
    year: int
    level: str
    units: int  # units with a published rank or score
    expected: int | None

    @property
    def partial(self) -> bool:
        return self.expected is None or self.units < self.expected


def _claims(official: pl.DataFrame, index_code: str, level: str) -> pl.DataFrame:
    return official.filter((pl.col("index_code") == index_code) & (pl.col("level") == level)).with_row_index("_order")


def ranking(official: pl.DataFrame, year: int, level: str = "province", index_code: str = "par_index") -> pl.DataFrame:
    """One row per unit for the year, in published order: rank (published), score, grp, delta, note, the
    source file and row, `conflict` (sources disagree), `other_scores` / `other_ranks` (the other claims),
    and `order_conflict` (its score and published rank put it in a different order against the others)."""
    claims = _claims(official, index_code, level).filter(pl.col("year") == year)
    if claims.is_empty():
        return claims.drop("_order").with_columns(
            pl.lit(None, pl.Boolean).alias("conflict"),
            pl.lit(None, pl.List(pl.Float64)).alias("other_scores"),
            pl.lit(None, pl.List(pl.Int32)).alias("other_ranks"),
            pl.lit(None, pl.Boolean).alias("order_conflict"),
        )
    primary = (
        claims.sort(["unit_code", "source_count", "_order"], descending=[False, True, False])
        .group_by("unit_code", maintain_order=True)
        .first()
    )
    spread = claims.group_by("unit_code").agg(
        pl.col("score").drop_nulls().unique().alias("_scores"),
        pl.col("rank").drop_nulls().unique().alias("_ranks"),
    )
    out = primary.join(spread, on="unit_code").with_columns(
        ((pl.col("_scores").list.len() > 1) | (pl.col("_ranks").list.len() > 1)).alias("conflict"),
        pl.col("_scores").list.set_difference(pl.concat_list(pl.col("score"))).alias("other_scores"),
        pl.col("_ranks").list.set_difference(pl.concat_list(pl.col("rank"))).alias("other_ranks"),
    )
    # Among units with both a score and a rank, the order by score must equal the order by rank.
    both = out.filter(pl.col("score").is_not_null() & pl.col("rank").is_not_null()).with_columns(
        min_rank("score").alias("_by_score"),
        pl.col("rank").rank(method="min").cast(pl.Int32).alias("_by_rank"),
    )
    flags = both.select("unit_code", (pl.col("_by_score") != pl.col("_by_rank")).alias("order_conflict"))
    return (
        out.join(flags, on="unit_code", how="left")
        .with_columns(pl.col("order_conflict").fill_null(False))
        .sort(
            [pl.col("rank").is_null(), "rank", pl.col("score").is_null(), "score", "_order"],
            descending=[False, False, False, True, False],
        )
        .drop("_scores", "_ranks", "_order")
    )


def coverage(official: pl.DataFrame, year: int, level: str = "province", index_code: str = "par_index") -> Coverage:
    claims = _claims(official, index_code, level).filter(
        (pl.col("year") == year) & (pl.col("rank").is_not_null() | pl.col("score").is_not_null())
    )
    return Coverage(year, level, claims["unit_code"].n_unique(), expected_official_units(level, year))


def trend(
    official: pl.DataFrame, unit_codes: list[str], level: str = "province", index_code: str = "par_index"
) -> pl.DataFrame:
    """The published score and rank of these units (a province and its predecessors) year by year."""
    rows = []
    for year in sorted(_claims(official, index_code, level)["year"].unique().to_list()):
        ranked = ranking(official, year, level, index_code).filter(pl.col("unit_code").is_in(unit_codes))
        cov = coverage(official, year, level, index_code)
        for row in ranked.iter_rows(named=True):
            rows.append({**row, "partial": cov.partial, "expected": cov.expected})
    if not rows:
        return pl.DataFrame(
            schema={
                "unit_code": pl.String,
                "year": pl.Int64,
                "score": pl.Float64,
                "rank": pl.Int32,
                "partial": pl.Boolean,
            }
        )
    return pl.DataFrame(rows, infer_schema_length=None).sort("year", "unit_code")


def years(official: pl.DataFrame, level: str = "province", index_code: str = "par_index") -> list[int]:
    return sorted(_claims(official, index_code, level)["year"].unique().to_list())


def rebuilt_trend(
    official: pl.DataFrame,
    lineage: pl.DataFrame,
    unit_codes: list[str],
    rule: str,
    units: pl.DataFrame,
    level: str = "province",
    index_code: str = "par_index",
) -> pl.DataFrame:
    """unit_code, year, score, reconstructed, predecessors_found, predecessors: the published score of these
    units (the 34 provinces from 2025) and, for the years before they began, their score rebuilt by rule
    (analysis.lineage) from their predecessors' published scores (the 63 former provinces, through the 2025
    crosswalk in the lineage). A former province with no score published that year is left out, and said so
    by predecessors_found."""
    preds = lineage.filter(pl.col("unit_code").is_in(unit_codes))["predecessor_code"].unique().to_list()
    published = (
        trend(official, sorted(set(unit_codes) | set(preds)), level, index_code)
        .drop_nulls("score")
        .select("unit_code", pl.col("year").cast(pl.Int64), pl.col("score").cast(pl.Float64))
    )
    return lin.with_history(published, lineage, unit_codes, rule, units)
