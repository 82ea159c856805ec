"""Where a province stands on the national indices, component by component: pure functions over the frames of
store/sql/official_components_all.sql (one row per source claim) and official_results_all.sql.

One claim per unit, component and year is used (the first loaded with a score; the checks list the others).
A component's rank is the published one when the source gives it; when every unit the index scores that year
has a score, it is computed from the scores instead (competition ranking: ties share the best rank).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import polars as pl

RegionOf = Callable[[str], str | None]


def _one_claim(components: pl.DataFrame) -> pl.DataFrame:
    """One row per unit, component and year: the first loaded claim's score and the first published rank."""
    keys = ["index_code", "level", "year", "unit_code", "component_code"]
    return (
        components.with_row_index("_order")
        .sort("_order")
        .group_by(keys, maintain_order=True)
        .agg(
            pl.col("component_name").first(),
            pl.col("score").drop_nulls().first(),
            pl.col("rank").drop_nulls().first(),
        )
    )


def year_components(
    components: pl.DataFrame, index_code: str, year: int, level: str = "province", expected: int | None = None
) -> pl.DataFrame:
    """One row per unit and component of the year: score, published_rank, rank (the one shown) and rank_basis
    ("computed" from the scores of a complete year, else "published"), units (scored on that component)."""
    year_rows = _one_claim(
        components.filter((pl.col("index_code") == index_code) & (pl.col("level") == level) & (pl.col("year") == year))
    )
    counted = year_rows.filter(pl.col("score").is_not_null()).group_by("component_code").agg(pl.len().alias("units"))
    out = year_rows.join(counted, on="component_code", how="left").with_columns(pl.col("units").fill_null(0))
    complete = pl.lit(expected is not None) & (pl.col("units") >= (expected or 0))
    computed = (
        pl.when(pl.col("score").is_not_null())
        .then(pl.col("score").rank(method="min", descending=True).over("component_code"))
        .cast(pl.Int64)
    )
    return out.with_columns(
        pl.col("rank").cast(pl.Int64).alias("published_rank"),
        pl.when(complete).then(computed).otherwise(pl.col("rank").cast(pl.Int64)).alias("rank"),
        pl.when(complete).then(pl.lit("computed")).otherwise(pl.lit("published")).alias("rank_basis"),
    )


def unit_components(year_frame: pl.DataFrame, unit_code: str) -> pl.DataFrame:
    """The unit's rows of year_components: component_code, score, rank, rank_basis, units."""
    return year_frame.filter(pl.col("unit_code") == unit_code).select(
        "component_code", "component_name", "score", "rank", "rank_basis", "units"
    )


def movers(
    components: pl.DataFrame, index_code: str, unit_code: str, year: int, level: str = "province"
) -> pl.DataFrame:
    """The unit's components against the year before: component_code, score, previous, change; largest move
    first (by its size, up or down). Components without both years are left out."""
    rows = _one_claim(
        components.filter(
            (pl.col("index_code") == index_code)
            & (pl.col("level") == level)
            & (pl.col("unit_code") == unit_code)
            & pl.col("year").is_in([year - 1, year])
            & pl.col("score").is_not_null()
        )
    )
    now = rows.filter(pl.col("year") == year).select("component_code", "component_name", "score")
    before = rows.filter(pl.col("year") == year - 1).select("component_code", pl.col("score").alias("previous"))
    return (
        now.join(before, on="component_code", how="inner")
        .with_columns((pl.col("score") - pl.col("previous")).round(4).alias("change"))
        .sort(pl.col("change").abs(), "component_code", descending=[True, False])
    )


def comparison(
    year_frame: pl.DataFrame,
    unit_code: str,
    region_of: RegionOf,
    peers: Iterable[str] = (),
) -> pl.DataFrame:
    """Per component: the unit's score, the national average, the average of the unit's region (its own score
    included) and of the chosen peers (the unit left out), each with how many units it averages."""
    scored = year_frame.filter(pl.col("score").is_not_null())
    region = region_of(unit_code)
    regions = scored.with_columns(
        pl.col("unit_code").map_elements(region_of, return_dtype=pl.Utf8, skip_nulls=False).alias("_region")
    )
    peer_set = [p for p in peers if p != unit_code]
    national = scored.group_by("component_code").agg(
        pl.col("score").mean().alias("national_avg"), pl.len().alias("national_units")
    )
    regional = (
        regions.filter(pl.col("_region") == region)
        .group_by("component_code")
        .agg(pl.col("score").mean().alias("region_avg"), pl.len().alias("region_units"))
    )
    peer = (
        scored.filter(pl.col("unit_code").is_in(peer_set))
        .group_by("component_code")
        .agg(pl.col("score").mean().alias("peers_avg"), pl.len().alias("peer_units"))
    )
    own = scored.filter(pl.col("unit_code") == unit_code).select("component_code", "component_name", "score", "rank")
    return (
        own.join(national, on="component_code", how="left")
        .join(regional, on="component_code", how="left")
        .join(peer, on="component_code", how="left")
        .with_columns(pl.lit(region).alias("region"))
    )


def all_units_table(year_frame: pl.DataFrame, headline: pl.DataFrame, component_order: list[str]) -> pl.DataFrame:
    """A row per unit of the year: unit_code, score and rank of the index (headline), then one column per
    component in the registry's order (its score). Sorted by the headline rank, then the unit."""
    wide = (
        year_frame.pivot(on="component_code", index="unit_code", values="score", aggregate_function="first")
        if year_frame.height
        else pl.DataFrame({"unit_code": []}, schema={"unit_code": pl.Utf8})
    )
    for code in component_order:
        if code not in wide.columns:
            wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(code))
    head = headline.select("unit_code", "score", "rank") if headline.height else None
    if head is not None:
        wide = head.join(wide, on="unit_code", how="full", coalesce=True)
    else:
        wide = wide.with_columns(pl.lit(None, pl.Float64).alias("score"), pl.lit(None, pl.Int64).alias("rank"))
    return wide.select("unit_code", "score", "rank", *component_order).sort("rank", "unit_code", nulls_last=True)


def series(official_ranking_per_year: list[tuple[int, pl.DataFrame]], unit_code: str, break_year: int) -> pl.DataFrame:
    """The unit's score and rank per year from analysis.official.ranking frames, with units (how many were
    ranked or scored that year) and `after_break` (the year is on or after the 2025 reorganisation: 34
    provinces, not comparable with the 63 before)."""
    rows = []
    for year, ranking in official_ranking_per_year:
        own = ranking.filter(pl.col("unit_code") == unit_code)
        units = ranking.filter(pl.col("rank").is_not_null() | pl.col("score").is_not_null()).height
        if own.height:
            r = own.row(0, named=True)
            rows.append({"year": year, "score": r["score"], "rank": r["rank"], "units": units})
    frame = pl.DataFrame(rows, schema={"year": pl.Int64, "score": pl.Float64, "rank": pl.Int64, "units": pl.Int64})
    return frame.with_columns((pl.col("year") >= break_year).alias("after_break")).sort("year")


def internal_against_national(
    internal: pl.DataFrame,
    national: pl.DataFrame,
    area_of: Callable[[str, str], str | None],
    high_pct: float,
    low_share: float,
) -> pl.DataFrame:
    """The province's internal average per area beside the national component of the same area.

    internal: year, kind, component_code, component_name, appraised_pct, self_pct, units (internal_component_averages);
    national: the province's rows of year_components (component_code, score, rank, units) for the same year;
    area_of(code, name): the national component an internal area scores (None when none does).
    `gap` is true when the internal average is high (≥ high_pct) while the national rank is in the low share.
    """
    mapped = internal.with_columns(
        pl.struct("component_code", "component_name")
        .map_elements(lambda s: area_of(s["component_code"], s["component_name"]), return_dtype=pl.Utf8)
        .alias("national_code")
    ).filter(pl.col("national_code").is_not_null())
    nat = national.select(
        pl.col("component_code").alias("national_code"),
        pl.col("score").alias("national_score"),
        pl.col("rank").alias("national_rank"),
        pl.col("units").alias("national_units"),
    )
    out = mapped.join(nat, on="national_code", how="left")
    low = pl.col("national_rank") > (pl.col("national_units") * low_share)
    return out.with_columns(((pl.col("appraised_pct") >= high_pct) & low).fill_null(False).alias("gap"))


def self_against_appraised(rows: pl.DataFrame) -> pl.DataFrame:
    """Per unit and area: self-assessed and appraised points, the gap, and the gap as a percent of the area's
    maximum (self_vs_appraised.sql rows); largest gap first."""
    return rows.with_columns((100.0 * pl.col("gap") / pl.col("max_points")).round(2).alias("gap_pct")).sort(
        pl.col("gap").abs(), "unit_code", "ordinal", descending=[True, False, False], nulls_last=True
    )


__all__ = [
    "all_units_table",
    "comparison",
    "internal_against_national",
    "movers",
    "self_against_appraised",
    "series",
    "unit_components",
    "year_components",
]
