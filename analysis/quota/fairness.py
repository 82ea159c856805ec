"""Who the individuals' awards go to: the share of those proposed by position class (leaders, managers,
staff who do the work), by unit kind and by district, against the share among everyone considered; and
whether a list departs from the preference its scenario states (Scenario.fairness).

Pure: the simulation's outcomes, the persons' positions and the units; no words (services.quota_fairness).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.quota import positions
from analysis.quota.inputs import Inputs
from analysis.quota.model import Fairness
from analysis.quota.select import AWARDED
from analysis.quota.simulate import SimulationResult

DIMENSIONS = ("position", "kind", "district")
NO_DISTRICT = ""  # the key of people whose unit is under no district (departments; communes after 2025)


@dataclass(frozen=True)
class FairnessResult:
    # dimension, key, label (a unit's name for districts, else empty), proposed, considered, and both as % of
    # their totals; one row per key met among those considered.
    shares: pl.DataFrame
    proposed: int
    considered: int
    preference: Fairness | None
    favoured: int  # proposed people in the preferred class

    @property
    def favoured_share(self) -> float | None:
        return 100 * self.favoured / self.proposed if self.proposed else None

    @property
    def departs(self) -> bool:
        """The list proposes people and fewer of them than the preference asks are in its class."""
        share = self.favoured_share
        return self.preference is not None and share is not None and share < self.preference.min_share

    def dimension(self, name: str) -> pl.DataFrame:
        return self.shares.filter(pl.col("dimension") == name)


def people(result: SimulationResult, inputs: Inputs) -> pl.DataFrame:
    """(id, unit_code, proposed, position, class, kind, district, district_name): one row per person any
    individuals' rule considered; proposed when some rule awards them."""
    out = result.outcomes()
    if out.height == 0 or "recipient" not in out.columns:
        return pl.DataFrame(
            schema={"id": pl.String, "unit_code": pl.String, "proposed": pl.Boolean, "position": pl.String}
        )
    ind = out.filter(pl.col("recipient") == "individual")
    who = ind.group_by("id", maintain_order=True).agg(
        pl.col("unit_code").first(), pl.col("status").is_in(AWARDED).any().alias("proposed")
    )
    position = (
        inputs.persons.sort("person_id", "year")
        .group_by("person_id")
        .agg(pl.col("position").drop_nulls().last())
        .rename({"person_id": "id"})
    )
    units = inputs.units.select("unit_code", "name", "kind", "parent_code")
    districts = units.filter(pl.col("kind") == "district").select(
        pl.col("unit_code").alias("parent_code"), pl.col("name").alias("parent_name")
    )
    placed = (
        who.join(position, on="id", how="left")
        .join(units, on="unit_code", how="left")
        .join(districts, on="parent_code", how="left")
        .with_columns(
            pl.col("position")
            .map_elements(positions.classify, return_dtype=pl.String)
            .fill_null(positions.OTHER)
            .alias("class"),
            pl.when(pl.col("kind") == "district")
            .then(pl.col("unit_code"))
            .when(pl.col("parent_name").is_not_null())
            .then(pl.col("parent_code"))
            .otherwise(pl.lit(NO_DISTRICT))
            .alias("district"),
            pl.when(pl.col("kind") == "district")
            .then(pl.col("name"))
            .otherwise(pl.col("parent_name"))
            .alias("district_name"),
        )
    )
    return placed.select("id", "unit_code", "proposed", "position", "class", "kind", "district", "district_name")


def _shares(frame: pl.DataFrame, dimension: str, key: str, label: str | None) -> pl.DataFrame:
    n_proposed = max(frame.filter(pl.col("proposed")).height, 1)
    n_considered = max(frame.height, 1)
    agg = frame.group_by(pl.col(key).fill_null("").alias("key")).agg(
        (pl.col(label).drop_nulls().first() if label else pl.lit("")).fill_null("").alias("label"),
        pl.col("proposed").sum().cast(pl.Int64).alias("proposed"),
        pl.len().cast(pl.Int64).alias("considered"),
    )
    return agg.select(
        pl.lit(dimension).alias("dimension"),
        "key",
        pl.col("label").cast(pl.String),
        "proposed",
        (100 * pl.col("proposed") / n_proposed).alias("proposed_pct"),
        "considered",
        (100 * pl.col("considered") / n_considered).alias("considered_pct"),
    )


def fairness(result: SimulationResult, inputs: Inputs) -> FairnessResult | None:
    """The shares of a simulation's individuals' lists; None when no individuals' rule ran."""
    if not any(r.rule.recipient == "individual" for r in result.rules):
        return None
    who = people(result, inputs)
    order = {c: i for i, c in enumerate(positions.names())}
    parts = [
        _shares(who, "position", "class", None).sort(
            pl.col("key").replace_strict(order, default=len(order), return_dtype=pl.Int32)
        ),
        _shares(who, "kind", "kind", None).sort("key"),
        _shares(who, "district", "district", "district_name").sort(pl.col("key") == NO_DISTRICT, "label"),
    ]
    pref = result.scenario.fairness
    favoured = who.filter(pl.col("proposed") & (pl.col("class") == (pref.favour if pref else ""))).height
    return FairnessResult(
        pl.concat(parts),
        who.filter(pl.col("proposed")).height,
        who.height,
        pref,
        favoured,
    )
