"""Robustness simulation speed: 10,000 draws over 3,321 communes (the whole country's commune count from
2025), the engine's vectorised Monte Carlo against a straightforward loop with one ranking per draw.

    .venv/bin/python -m bench.quota [--units 3321] [--draws 10000] [--runs 5] [--share 20]

The units get deterministic scores (seeded) with 45 scored criteria each; the rule gives 20 % of them a
certificate. Both sides draw the same kind of noise per unit and produce the probability of award per
unit; the script checks they agree (within sampling error) and prints the medians and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from analysis import quota
from analysis.quota import Inputs, Scope
from analysis.quota.montecarlo import _groups
from bench.suite import Figure


def _inputs(n: int, seed: int = 2025) -> Inputs:
    rng = np.random.default_rng(seed)
    codes = [f"X{i:05d}" for i in range(n)]
    totals = np.round(rng.normal(85, 6, n).clip(40, 100), 2)
    return Inputs.of(
        units={"unit_code": codes, "name": codes, "kind": ["commune"] * n},
        results={"unit_code": codes, "year": [2025] * n, "total": totals, "tier": ["tot"] * n, "n_items": [45] * n},
    )


def _scenario(share: int) -> quota.Scenario:
    return quota.parse(
        {
            "id": "bench",
            "name": "bench",
            "plan": {"title": "bench"},
            "rules": [
                {
                    "id": "r",
                    "name": "r",
                    "award": {"kind": "giay_khen", "label": "Giấy khen"},
                    "recipient": "collective",
                    "scope": "year",
                    "measure": "total",
                    "groups": [
                        {
                            "id": "communes",
                            "kinds": ["commune"],
                            "quota": {"percent": share, "base": "all", "rounding": "floor"},
                        }
                    ],
                }
            ],
        }
    )


def loop_reference(result: quota.SimulationResult, inputs: Inputs, noise: quota.Noise) -> np.ndarray:
    """The obvious way: one draw at a time, rank, count the top seats."""
    (g,) = _groups(result, inputs, noise)
    rng = np.random.default_rng(noise.seed)
    counts = np.zeros(len(g.ids))
    sd = g.sd_unit[g.unit_index]
    for _ in range(noise.draws):
        x = g.mean + sd * rng.standard_normal(len(g.ids))
        counts[np.argsort(-x)[: g.seats]] += 1
    return counts / noise.draws


def _run(units: int, draws: int, runs: int, share: int) -> tuple[list[float], list[float], float, int, dict]:
    inputs = _inputs(units)
    scope = Scope.year(2025)
    result = quota.simulate(_scenario(share), inputs, scope)
    noise = quota.Noise(criterion_sd=0.5, rounding_step=0.25, draws=draws, seed=2021)
    seats = result.group_results()[0].quota.seats

    fast, slow = [], []
    for _ in range(runs):
        start = time.perf_counter()
        rob = quota.robustness(result, inputs, noise)
        fast.append(time.perf_counter() - start)
        start = time.perf_counter()
        ref = loop_reference(result, inputs, noise)
        slow.append(time.perf_counter() - start)

    p_fast = dict(rob.frame.select("id", "probability").iter_rows())
    ids = result.group_results()[0].pool["id"].to_list()
    diff = max(abs(p_fast[i] - p) for i, p in zip(ids, ref, strict=True))
    return fast, slow, diff, seats, rob.summary()


def measure(runs: int = 5, units: int = 3321, draws: int = 10_000, share: int = 20) -> list[Figure]:
    fast, slow, _, _, _ = _run(units, draws, runs, share)
    return [
        Figure(
            "quota",
            f"quota Monte Carlo, {draws:,} draws × {units:,} communes",
            "s",
            fast,
            budget=1.0,
            reference=slow,
            reference_what="per-draw loop",
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--share", type=int, default=20)
    args = parser.parse_args()

    fast, slow, diff, seats, summary = _run(args.units, args.draws, args.runs, args.share)
    print(f"units {args.units:,}, seats {seats:,} ({args.share} %), draws {args.draws:,}, runs {args.runs}")
    print(
        f"vectorised (quota.robustness, whole call): median {statistics.median(fast):.3f} s "
        f"(min {min(fast):.3f}, max {max(fast):.3f})"
    )
    print(
        f"per-draw loop reference:                   median {statistics.median(slow):.3f} s "
        f"(min {min(slow):.3f}, max {max(slow):.3f})"
    )
    print(f"ratio loop / vectorised: {statistics.median(slow) / statistics.median(fast):.1f}×")
    print(f"largest difference in a unit's probability between the two: {diff:.4f} (sampling error)")
    print(f"verdicts: {summary}")


if __name__ == "__main__":
    main()
