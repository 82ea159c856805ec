"""Progress over 2021–2030: improvement against the 2021 baseline, components that hold a unit back, targets.

The baseline of a unit that began after 2021 is its reconstructed 2021 score (analysis/lineage.py), flagged.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis import lineage as lin
from core import programme

BASELINE_YEAR = programme.first_year()


def improvement(
    scores: pl.DataFrame,
    lineage: pl.DataFrame,
    year: int,
    baseline_year: int = BASELINE_YEAR,
    rule: str = lin.METHOD,
    units: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Per unit scored in `year`: score, baseline (own or rebuilt by rule), change; sorted by change, best first.

    scores: unit_code, year, score for one kind; units: the register, for a weighted rule."""
    current = scores.filter(pl.col("year") == year).select("unit_code", "score")
    history = lin.with_history(scores, lineage, current["unit_code"].to_list(), rule, units)
    base = history.filter(pl.col("year") == baseline_year).select(
        "unit_code", pl.col("score").alias("baseline"), pl.col("reconstructed").alias("baseline_reconstructed")
    )
    return (
        current.join(base, on="unit_code", how="left")
        .with_columns((pl.col("score") - pl.col("baseline")).round(2).alias("change"))
        .sort([pl.col("change").is_null(), "change", "unit_code"], descending=[False, True, False])
    )


def heatmap(scores: pl.DataFrame, unit_codes: list[str]) -> pl.DataFrame:
    """unit × year matrix (rows in the order of unit_codes, one column per year, None where not scored)."""
    subset = scores.filter(pl.col("unit_code").is_in(unit_codes))
    if subset.is_empty():
        return pl.DataFrame({"unit_code": unit_codes})
    wide = subset.pivot(on="year", index="unit_code", values="score", aggregate_function="first", sort_columns=True)
    order = pl.DataFrame({"unit_code": unit_codes}).with_row_index("_o")
    return order.join(wide, on="unit_code", how="left").sort("_o").drop("_o")


def holding_back(components: pl.DataFrame, medians: pl.DataFrame | None = None) -> pl.DataFrame:
    """A unit's components in one year, the ones losing most points first.

    components: component_code, component_name, points, max_points (one year, one unit); medians (optional):
    component_code, median_points of the unit's kind. Adds lost (max − points), share (points / max, %),
    vs_median (points − median)."""
    out = components.with_columns(
        (pl.col("max_points") - pl.col("points")).round(2).alias("lost"),
        (100 * pl.col("points") / pl.col("max_points")).round(1).alias("share"),
    )
    if medians is not None and not medians.is_empty():
        out = out.join(medians.select("component_code", "median_points"), on="component_code", how="left").with_columns(
            (pl.col("points") - pl.col("median_points")).round(2).alias("vs_median")
        )
    else:
        out = out.with_columns(
            pl.lit(None, pl.Float64).alias("median_points"), pl.lit(None, pl.Float64).alias("vs_median")
        )
    return out.sort(["lost", "component_code"], descending=[True, False])


@dataclass(frozen=True)
class TargetCheck:
    year: int
    target_score: float | None
    target_rank: int | None
    score: float | None  # actual, if scored
    rank: int | None
    projected: float | None  # when not scored yet
    met: bool | None  # None: not decidable yet


def check_targets(
    targets: dict[int, tuple[float | None, int | None]],
    actual: dict[int, tuple[float | None, int | None]],
    projected: dict[int, float],
) -> list[TargetCheck]:
    """Each target against the actual result of its year (met / not met), or the projection (met is None)."""
    checks = []
    for year in sorted(targets):
        t_score, t_rank = targets[year]
        score, rank = actual.get(year, (None, None))
        met: bool | None = None
        if score is not None:
            conditions = []
            if t_score is not None:
                conditions.append(score >= t_score)
            if t_rank is not None and rank is not None:
                conditions.append(rank <= t_rank)
            met = all(conditions) if conditions else None
        checks.append(TargetCheck(year, t_score, t_rank, score, rank, projected.get(year), met))
    return checks
