"""Robustness: how likely each candidate is to be awarded when the scores carry noise.

Noise per criterion: each scored item of a figure gets independent normal noise of criterion_sd points
plus a rounding error uniform over ±rounding_step/2 (variance step²/12), so a figure built from n items
(stretched by its rescaling s) gets variance n·s²·(criterion_sd² + step²/12). Noise per total: each
yearly figure gets total_sd itself. A measure Σ cⱼ·xⱼ then has variance Σ cⱼ²·var(xⱼ) (measures.variance).
Eligibility filters are held fixed; only the ranking measure moves.

Draws form a (draws × candidates) matrix, made in chunks to bound memory; in each draw a group's seats go
to its largest values (one np.partition per chunk and group, no Python loop per draw). Rules run in
order per draw, so a rule excluding an earlier rule's winners excludes that draw's winners. People of one
unit share their unit's noise; their own order (tie-breaks) is kept by a tiny offset.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from analysis.quota import measures
from analysis.quota.inputs import Inputs
from analysis.quota.robust_model import Noise, RobustnessResult
from analysis.quota.simulate import SimulationResult

CHUNK = 256
_OFFSET = 1e-7  # keeps the deterministic order among candidates with the same noisy value


def select_top(x: np.ndarray, seats: int, may_be_excluded: bool = True) -> np.ndarray:
    """Per row of x (draws × candidates), True for the `seats` largest finite values (-inf: excluded)."""
    n = x.shape[1]
    if seats <= 0 or n == 0:
        return np.zeros_like(x, dtype=bool)
    if seats >= n:
        return np.isfinite(x)
    kth = np.partition(x, n - seats, axis=1)[:, n - seats]
    top = x >= kth[:, None]
    if may_be_excluded:
        top &= np.isfinite(x)
    return top


@dataclass
class _Group:
    rule_id: str
    group_id: str
    excludes: tuple[str, ...]
    ids: np.ndarray
    mean: np.ndarray
    sd_unit: np.ndarray  # per distinct unit
    unit_index: np.ndarray  # candidate → its unit's noise column
    seats: int
    shared: bool = False  # some candidates share a unit (people): their noise is gathered per unit


def _groups(result: SimulationResult, inputs: Inputs, noise: Noise) -> list[_Group]:
    scope = result.scope
    results = inputs.results.filter(pl.col("year").is_between(scope.first, scope.last))
    comps = inputs.components.filter(pl.col("year").is_between(scope.first, scope.last))
    vals = measures.values(results, comps)
    years = measures.scored_years(results)
    out = []
    for rr in result.rules:
        var = measures.variance(rr.rule.measure, years, vals, noise.item_var, noise.total_var)
        for g in rr.groups:
            pool = g.pool.join(var, on="unit_code", how="left").with_columns(pl.col("var").fill_null(0.0))
            units = pool["unit_code"].unique(maintain_order=True)
            index = {u: i for i, u in enumerate(units.to_list())}
            unit_sd = (pool.unique("unit_code", keep="first", maintain_order=True)["var"].to_numpy()) ** 0.5
            offsets = -_OFFSET * np.arange(pool.height)
            unit_index = np.array([index[u] for u in pool["unit_code"].to_list()], dtype=np.int64)
            out.append(
                _Group(
                    rr.rule.id,
                    g.group.id,
                    rr.rule.exclude_awarded_by,
                    pool["id"].to_numpy(),
                    pool["measure"].to_numpy().astype(np.float64) + offsets,
                    unit_sd,
                    unit_index,
                    g.quota.seats,
                    len(unit_index) != len(unit_sd) or bool(np.any(unit_index != np.arange(len(unit_sd)))),
                )
            )
    return out


def probabilities(groups: list[_Group], draws: int, seed: int, chunk: int = CHUNK) -> list[np.ndarray]:
    """Awards counted over draws for each group's candidates (vectorised per chunk of draws)."""
    rng = np.random.default_rng(seed)
    counts = [np.zeros(len(g.ids)) for g in groups]
    for start in range(0, draws, chunk):
        d = min(chunk, draws - start)
        won: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {}
        for gi, g in enumerate(groups):
            x = rng.standard_normal((d, len(g.sd_unit)))
            x *= g.sd_unit
            if g.shared:  # people of one unit share its noise
                x = x[:, g.unit_index]
            x += g.mean
            excluded = False
            for other in g.excludes:
                for ids, hit in won.get(other, []):
                    cols_here, cols_there = _match(g.ids, ids)
                    if len(cols_here):
                        x[:, cols_here] = np.where(hit[:, cols_there], -np.inf, x[:, cols_here])
                        excluded = True
            sel = select_top(x, g.seats, excluded)
            counts[gi] += np.count_nonzero(sel, axis=0)
            won.setdefault(g.rule_id, []).append((g.ids, sel))
    return [c / draws for c in counts]


def _match(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    where = {v: i for i, v in enumerate(b.tolist())}
    pairs = [(i, where[v]) for i, v in enumerate(a.tolist()) if v in where]
    if not pairs:
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    here, there = zip(*pairs, strict=True)
    return np.array(here), np.array(there)


def robustness(result: SimulationResult, inputs: Inputs, noise: Noise | None = None) -> RobustnessResult:
    """Each candidate's probability of award under noise; safe / coin flip by the scenario's thresholds."""
    r = result.scenario.robustness
    noise = noise or Noise(r.criterion_sd, r.rounding_step, None, r.draws, r.seed)
    groups = _groups(result, inputs, noise)
    probs = probabilities(groups, noise.draws, noise.seed)
    frames = []
    for order, (g, gr, p) in enumerate(zip(groups, result.group_results(), probs, strict=True)):
        info = pl.concat(
            [
                gr.ranked.select("id", "name", "unit_code", "status"),
                gr.excluded.filter(pl.col("filter") == "one_award")
                .select("id", "name", "unit_code", pl.lit("one_award").alias("status"))
                .unique("id"),
            ]
        )
        frames.append(
            pl.DataFrame({"id": g.ids, "probability": p, "sd": g.sd_unit[g.unit_index], "measure": gr.pool["measure"]})
            .join(info, on="id", how="left")
            .with_columns(rule_id=pl.lit(g.rule_id), group_id=pl.lit(g.group_id), order=pl.lit(order))
        )
    schema = pl.Schema(
        {
            "rule_id": pl.String,
            "group_id": pl.String,
            "id": pl.String,
            "name": pl.String,
            "unit_code": pl.String,
            "measure": pl.Float64,
            "sd": pl.Float64,
            "status": pl.String,
            "probability": pl.Float64,
            "order": pl.Int64,
        }
    )
    frame = pl.concat([f.select(list(schema)).cast(schema) for f in frames]) if frames else pl.DataFrame(schema=schema)
    frame = (
        frame.with_columns(
            pl.when(pl.col("probability") >= r.safe)
            .then(pl.lit("safe_in"))
            .when(pl.col("probability") <= r.unsafe)
            .then(pl.lit("safe_out"))
            .otherwise(pl.lit("coin_flip"))
            .alias("verdict")
        )
        .sort("order", "probability", "measure", descending=[False, True, True])
        .drop("order")
    )
    return RobustnessResult(frame, noise, r.safe, r.unsafe)
