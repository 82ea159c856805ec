"""What a robustness run takes and gives: the noise put on the scores and the probability of award per
candidate. Apart from the Monte Carlo itself (montecarlo.py) so that a simulation, its words and its command
can name these without importing numpy."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Noise:
    criterion_sd: float = 0.5
    rounding_step: float = 0.25
    total_sd: float | None = None  # set: noise per total instead of per criterion
    draws: int = 10_000
    seed: int = 2021

    @property
    def item_var(self) -> float:
        return self.criterion_sd**2 + self.rounding_step**2 / 12

    @property
    def total_var(self) -> float | None:
        return None if self.total_sd is None else self.total_sd**2


@dataclass
class RobustnessResult:
    """frame: rule_id, group_id, id, name, unit_code, measure, sd, status (the deterministic one),
    probability, verdict (safe_in | coin_flip | safe_out)."""

    frame: pl.DataFrame
    noise: Noise
    safe: float
    unsafe: float

    def summary(self) -> dict[str, int]:
        counts = dict(self.frame.group_by("verdict").len().iter_rows()) if self.frame.height else {}
        return {v: int(counts.get(v, 0)) for v in ("safe_in", "coin_flip", "safe_out")}
