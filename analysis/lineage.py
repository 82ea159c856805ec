"""Histories across the 1 July 2025 reorganisation.

A unit that began during the period has no results of its own for the years before it began. Its rebuilt
history for such a year comes from its predecessors' totals that year by a rule the reader chooses
(data/rules/reviews.yaml, `reconstruction`): the mean of the predecessors (each weighted equally, the rule the
national DTI 2024 used for the 34 new provinces), a mean weighted by population or by commune count where the
register carries that figure for every predecessor, or none (no rebuilt history). A renamed unit's single
predecessor is its history as is; a predecessor split between several new units counts in full for each.
Rebuilt rows are flagged and keep the number of predecessors found and expected, so a page can label them and
never rank a merged unit against its own predecessors.
"""

from __future__ import annotations

from datetime import timedelta

import polars as pl

from core import programme

METHOD = programme.reconstruction_method()  # the default rule
NONE = "none"
EQUAL, POPULATION, COMMUNES = "equal", "population", "communes"
_FIGURES = {POPULATION: "population", COMMUNES: "communes"}  # weight → the register column that holds it


def rules() -> dict[str, str | None]:
    """{rule: weight} in the order data/rules/reviews.yaml lists them."""
    return programme.reconstruction_rules()


def commune_counts(units: pl.DataFrame, lineage: pl.DataFrame) -> pl.DataFrame:
    """predecessor_code, communes: the register's communes under each predecessor (as children or
    grandchildren) on the predecessor's last day (the day before its lineage link takes effect). A predecessor
    with no commune under it in the register is left out: its count is unknown, not zero."""
    links = lineage.select("predecessor_code", (pl.col("effective_date") - timedelta(days=1)).alias("day")).unique(
        "predecessor_code"
    )
    parents = units.select("unit_code", "parent_code")
    communes = (
        units.filter(pl.col("kind") == "commune")
        .select("unit_code", "parent_code", "valid_from", "valid_to")
        .join(
            parents.rename({"unit_code": "parent_code", "parent_code": "grandparent_code"}),
            on="parent_code",
            how="left",
        )
    )
    under = pl.concat(
        [
            communes.select("unit_code", pl.col("parent_code").alias("predecessor_code"), "valid_from", "valid_to"),
            communes.select(
                "unit_code", pl.col("grandparent_code").alias("predecessor_code"), "valid_from", "valid_to"
            ),
        ]
    ).drop_nulls("predecessor_code")
    alive = (pl.col("valid_from").is_null() | (pl.col("valid_from") <= pl.col("day"))) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= pl.col("day"))
    )
    return (
        links.join(under, on="predecessor_code")
        .filter(alive)
        .group_by("predecessor_code")
        .agg(pl.col("unit_code").n_unique().cast(pl.Float64).alias("communes"))
    )


def weights(
    units: pl.DataFrame, lineage: pl.DataFrame, weight: str, unit_codes: list[str] | None = None
) -> pl.DataFrame | None:
    """predecessor_code, weight for every predecessor of unit_codes (all units when None), or None when the
    register lacks the figure (or holds zero) for any of them: that rule is then not offered."""
    links = lineage if unit_codes is None else lineage.filter(pl.col("unit_code").is_in(unit_codes))
    preds = links.select("predecessor_code").unique()
    if weight == EQUAL:
        return preds.with_columns(pl.lit(1.0).alias("weight"))
    if weight == COMMUNES:
        figures = commune_counts(units, links).rename({"communes": "weight"})
    elif weight in _FIGURES and _FIGURES[weight] in units.columns:
        figures = units.select(
            pl.col("unit_code").alias("predecessor_code"), pl.col(_FIGURES[weight]).cast(pl.Float64).alias("weight")
        )
    else:
        return None
    out = preds.join(figures, on="predecessor_code", how="left")
    if out.is_empty() or out["weight"].is_null().any() or (out["weight"] <= 0).any():
        return None
    return out


def offered(units: pl.DataFrame, lineage: pl.DataFrame, unit_codes: list[str] | None = None) -> list[str]:
    """The rules the data supports for these units, in the order of data/rules/reviews.yaml: the mean and
    none always; a weighted one only when every predecessor has its figure."""
    return [
        rule
        for rule, weight in rules().items()
        if weight in (None, EQUAL) or weights(units, lineage, weight, unit_codes) is not None
    ]


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


def reconstruct(
    scores: pl.DataFrame,
    lineage: pl.DataFrame,
    unit_codes: list[str] | None = None,
    rule: str = METHOD,
    units: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Rebuilt yearly totals of units with predecessors, for years they have no own result, by rule.

    scores: unit_code, year, score (all units of the kind); units: the register, for a weighted rule. Returns
    unit_code, year, score, predecessors_found, predecessors (expected), reconstructed=True; no rows for rule
    "none". A predecessor without a score that year is left out and the weights of the others rescaled."""
    links = lineage.select("unit_code", "predecessor_code")
    if unit_codes is not None:
        links = links.filter(pl.col("unit_code").is_in(unit_codes))
    if rule not in rules():
        raise ValueError(f"no rule {rule!r} in data/rules/reviews.yaml")
    weight = rules()[rule]
    found = (
        None if weight is None else weights(units if units is not None else pl.DataFrame(), lineage, weight, unit_codes)
    )
    if weight is None:  # no rebuilt history
        links = links.clear()
        w = links.select("predecessor_code").with_columns(pl.lit(1.0).alias("weight"))
    elif found is None:
        raise ValueError(f"the register does not support the rule {rule!r}")
    else:
        w = found
    expected = links.group_by("unit_code").agg(pl.len().cast(pl.Int32).alias("predecessors"))
    own = scores.select("unit_code", "year").unique()
    rebuilt = (
        links.join(w, on="predecessor_code")
        .join(
            scores.select(pl.col("unit_code").alias("predecessor_code"), "year", "score").drop_nulls("score"),
            on="predecessor_code",
        )
        .group_by("unit_code", "year")
        .agg(
            ((pl.col("score") * pl.col("weight")).sum() / pl.col("weight").sum()).round(2).alias("score"),
            pl.len().cast(pl.Int32).alias("predecessors_found"),
        )
        .join(own, on=["unit_code", "year"], how="anti")
        .join(expected, on="unit_code")
        .with_columns(pl.lit(True).alias("reconstructed"))
    )
    return rebuilt.sort("unit_code", "year")


def with_history(
    scores: pl.DataFrame,
    lineage: pl.DataFrame,
    unit_codes: list[str] | None = None,
    rule: str = METHOD,
    units: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Own results (reconstructed=False) and, before a unit began, its rebuilt ones by rule (True)."""
    own = scores.select("unit_code", "year", "score").with_columns(
        pl.lit(None, pl.Int32).alias("predecessors_found"),
        pl.lit(None, pl.Int32).alias("predecessors"),
        pl.lit(False).alias("reconstructed"),
    )
    if unit_codes is not None:
        own = own.filter(pl.col("unit_code").is_in(unit_codes))
    rebuilt = reconstruct(scores, lineage, unit_codes, rule, units)
    return pl.concat([own, rebuilt], how="vertical_relaxed").sort("unit_code", "year")


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
