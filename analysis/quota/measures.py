"""Ranking measures as linear combinations of yearly figures.

Every measure is Σ coef × value over (year, source) terms, where a source is the year's total or one
component's points: the year's total is one term, a period mean is 1/k on each of k scored years, an
improvement is +1 on the last year and −1 on the first, a weighted mix adds its parts' terms times their
weights. The same terms give the value and, in the robustness simulation, the variance (Σ coef² × var).
"""

from __future__ import annotations

import polars as pl

from analysis.quota.model import Measure

TOTAL = "total"
DIGITS = 9  # measures are rounded to this many decimals so a mean's float noise never breaks a tie


def _comp(code: str) -> str:
    return f"component:{code}"


def values(results: pl.DataFrame, components: pl.DataFrame) -> pl.DataFrame:
    """Long (unit_code, year, source, value, n_items, scale) from results and component points."""
    totals = results.select(
        "unit_code", "year", pl.lit(TOTAL).alias("source"), pl.col("total").alias("value"), "n_items", "scale"
    )
    comps = components.select(
        "unit_code",
        "year",
        (pl.lit("component:") + pl.col("component_code")).alias("source"),
        pl.col("points").alias("value"),
        "n_items",
        pl.lit(1.0).alias("scale"),
    )
    return pl.concat([totals, comps], how="vertical_relaxed")


def scored_years(results: pl.DataFrame) -> pl.DataFrame:
    """(unit_code, year, first, last, k): the years each unit has a result in, within the loaded scope."""
    return (
        results.select("unit_code", "year")
        .unique()
        .with_columns(
            pl.col("year").min().over("unit_code").alias("first"),
            pl.col("year").max().over("unit_code").alias("last"),
            pl.len().over("unit_code").alias("k"),
        )
    )


def terms(measure: Measure, years: pl.DataFrame) -> pl.DataFrame:
    """(unit_code, year, source, coef) for every unit in years (from scored_years)."""
    if measure.kind == "weighted":
        parts = [terms(sub, years).with_columns(pl.col("coef") * weight) for weight, sub in measure.parts]
        return pl.concat(parts).group_by("unit_code", "year", "source").agg(pl.col("coef").sum())
    if measure.kind in ("total", "latest"):
        picked = years.filter(pl.col("year") == pl.col("last")).with_columns(coef=pl.lit(1.0))
        source = TOTAL
    elif measure.kind == "component":
        picked = years.filter(pl.col("year") == pl.col("last")).with_columns(coef=pl.lit(1.0))
        source = _comp(measure.component or "")
    elif measure.kind == "period_mean":
        picked = years.with_columns(coef=1.0 / pl.col("k"))
        source = TOTAL
    elif measure.kind == "improvement":
        picked = (
            years.filter(pl.col("k") >= 2)
            .filter((pl.col("year") == pl.col("last")) | (pl.col("year") == pl.col("first")))
            .with_columns(coef=pl.when(pl.col("year") == pl.col("last")).then(1.0).otherwise(-1.0))
        )
        source = TOTAL
    else:
        raise ValueError(measure.kind)
    return picked.select("unit_code", "year", pl.lit(source).alias("source"), pl.col("coef").cast(pl.Float64))


def evaluate(measure: Measure, years: pl.DataFrame, vals: pl.DataFrame) -> pl.DataFrame:
    """(unit_code, measure) for every unit in years; null when a needed figure is missing."""
    t = terms(measure, years).join(
        vals.select("unit_code", "year", "source", "value"), on=["unit_code", "year", "source"], how="left"
    )
    out = t.group_by("unit_code").agg(
        pl.when(pl.col("value").is_null().any())
        .then(None)
        .otherwise((pl.col("coef") * pl.col("value")).sum())
        .alias("measure")
    )
    units = years.select("unit_code").unique()
    return units.join(out, on="unit_code", how="left").with_columns(pl.col("measure").round(DIGITS))


def variance(
    measure: Measure, years: pl.DataFrame, vals: pl.DataFrame, item_var: float, total_var: float | None
) -> pl.DataFrame:
    """(unit_code, var): the measure's noise variance when each scored item carries item_var (criterion
    noise, summed over the items behind a figure and stretched by its rescaling) or, with total_var, when
    each figure carries total_var itself. Years are independent; so are components."""
    per = pl.lit(total_var) if total_var is not None else pl.col("n_items") * item_var * pl.col("scale") ** 2
    t = terms(measure, years).join(
        vals.select("unit_code", "year", "source", "n_items", "scale"), on=["unit_code", "year", "source"], how="left"
    )
    return t.group_by("unit_code").agg((pl.col("coef") ** 2 * per).sum().alias("var"))
