"""Scenarios side by side: for every unit or person that any of them considered, what each scenario
decided (awarded by which rules; tied; left out at which position and how many points short; excluded by
which filters), and who gains or loses against the first (the baseline)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.quota.simulate import SimulationResult

# When a candidate appears under several rules of one scenario, the row shows its best outcome.
_STATUS_ORDER = {"awarded": 0, "tie_admitted": 0, "tie_council": 1, "tie_refused": 2, "left_out": 3, "excluded": 4}


@dataclass
class Comparison:
    """frame: recipient, id, name, unit_name and, for scenario k, s{k}_status (awarded | tie_council |
    tie_refused | left_out | excluded | absent), s{k}_rules (the awarding rule ids), s{k}_position,
    s{k}_gap, s{k}_filters, s{k}_measure; for k ≥ 1, s{k}_change (gains | loses | same) against s0."""

    results: list[SimulationResult]
    frame: pl.DataFrame

    def changes(self, k: int) -> pl.DataFrame:
        return self.frame.filter(pl.col(f"s{k}_change") != "same")


def _best(result: SimulationResult) -> pl.DataFrame:
    out = result.outcomes()
    if out.height == 0:
        return pl.DataFrame(
            schema={
                "recipient": pl.String,
                "id": pl.String,
                "name": pl.String,
                "unit_name": pl.String,
                "status": pl.String,
                "rules": pl.String,
                "position": pl.Int64,
                "gap": pl.Float64,
                "filters": pl.String,
                "measure": pl.Float64,
            }
        )
    out = out.with_columns(
        pl.col("status").replace_strict(_STATUS_ORDER, default=9, return_dtype=pl.Int32).alias("_o"),
        pl.when(pl.col("status") == "tie_admitted").then(pl.lit("awarded")).otherwise(pl.col("status")).alias("status"),
    )
    rules = (
        out.filter(pl.col("status") == "awarded")
        .group_by("recipient", "id")
        .agg(pl.col("rule_id").unique(maintain_order=True).str.join(", ").alias("rules"))
    )
    best = out.sort("_o", "gap", nulls_last=True).group_by("recipient", "id", maintain_order=True).first()
    return best.join(rules, on=["recipient", "id"], how="left").select(
        "recipient", "id", "name", "unit_name", "status", "rules", "position", "gap", "filters", "measure"
    )


def compare(results: list[SimulationResult]) -> Comparison:
    """results[0] is the baseline; at least two results."""
    if len(results) < 2:
        raise ValueError("compare needs two or more results")
    bests = [_best(r) for r in results]
    keys = pl.concat([b.select("recipient", "id", "name", "unit_name") for b in bests]).unique(
        ["recipient", "id"], keep="first", maintain_order=True
    )
    frame = keys
    for k, b in enumerate(bests):
        frame = frame.join(
            b.drop("name", "unit_name").rename(
                {c: f"s{k}_{c}" for c in ("status", "rules", "position", "gap", "filters", "measure")}
            ),
            on=["recipient", "id"],
            how="left",
        ).with_columns(pl.col(f"s{k}_status").fill_null("absent"))
    for k in range(1, len(results)):
        base, here = pl.col("s0_status") == "awarded", pl.col(f"s{k}_status") == "awarded"
        frame = frame.with_columns(
            pl.when(here & ~base)
            .then(pl.lit("gains"))
            .when(base & ~here)
            .then(pl.lit("loses"))
            .otherwise(pl.lit("same"))
            .alias(f"s{k}_change")
        )
    awarded_any = pl.any_horizontal([pl.col(f"s{k}_status") == "awarded" for k in range(len(results))])
    frame = (
        frame.with_columns(awarded_any.alias("_any"))
        .sort(["_any", "recipient", "name"], descending=[True, False, False])
        .drop("_any")
    )
    return Comparison(results, frame)
