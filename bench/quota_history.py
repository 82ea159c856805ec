"""Conditions over several years at the whole country's scale: 3,321 communes formed on 01/07/2025 from
three predecessors each (9,963 old communes scored 2021–2024), a 2025 rule of 20 % with the conditions of
VARIANTS (each merged commune's earlier years read through its three predecessors), against no condition.

    .venv/bin/python -m bench.quota_history [--units 3321] [--runs 5]

Prints the median simulation time of each and how many communes the conditions exclude.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date

import numpy as np

from analysis import quota
from analysis.quota import Inputs, Scope

TIERS = np.array(["xuat_sac", "tot", "kha"])


def _inputs(n: int, seed: int = 2025) -> Inputs:
    rng = np.random.default_rng(seed)
    new = [f"N{i:05d}" for i in range(n)]
    old = [f"O{i:05d}" for i in range(3 * n)]
    merged, ended = date(2025, 7, 1), date(2025, 6, 30)
    record_codes = [c for c in old for _ in range(4)] + new
    years = [y for _ in old for y in (2021, 2022, 2023, 2024)] + [2025] * n
    totals = np.round(rng.normal(85, 6, len(record_codes)).clip(40, 100), 2)
    tiers = TIERS[np.digitize(-totals, [-90, -80])]
    return Inputs.of(
        units={
            "unit_code": new + old,
            "name": new + old,
            "kind": ["commune"] * (4 * n),
            "valid_from": [merged] * n + [None] * (3 * n),
            "valid_to": [None] * n + [ended] * (3 * n),
        },
        results={"unit_code": new, "year": [2025] * n, "total": totals[-n:], "tier": tiers[-n:].tolist()},
        record={
            "unit_code": record_codes,
            "name": record_codes,
            "kind": ["commune"] * len(record_codes),
            "year": years,
            "total": totals,
            "tier": tiers.tolist(),
        },
        lineage={
            "unit_code": [new[i // 3] for i in range(3 * n)],
            "predecessor_code": old,
            "predecessor_name": old,
            "effective_date": [merged] * (3 * n),
        },
        given={
            "year": [2023] * (n // 10),
            "award_kind": ["bang_khen"] * (n // 10),
            "recipient_kind": ["collective"] * (n // 10),
            "unit_code": old[: n // 10],
        },
    )


VARIANTS: dict[str, list[dict[str, object]]] = {
    "without conditions": [],
    "Tốt or better 2 years in a row, no Bằng khen in 3 years": [
        {"kind": "tier_streak", "years": 2, "tier_min": "tot"},
        {"kind": "not_awarded", "years": 3, "forms": ["bang_khen"]},
    ],
    "the same and rank improved each of 4 years": [
        {"kind": "tier_streak", "years": 2, "tier_min": "tot"},
        {"kind": "not_awarded", "years": 3, "forms": ["bang_khen"]},
        {"kind": "rank_improved", "years": 4},
    ],
}


def _scenario(conditions: list[dict[str, object]]) -> quota.Scenario:
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
                    "groups": [{"id": "g", "kinds": ["commune"], "quota": {"percent": 20, "base": "all"}}],
                    "eligibility": {"history": conditions} if conditions else {},
                }
            ],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3321)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    inputs, scope = _inputs(args.units), Scope.year(2025)
    for label, conditions in VARIANTS.items():
        sc = _scenario(conditions)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            res = quota.simulate(sc, inputs, scope)
            times.append(time.perf_counter() - start)
        (g,) = res.group_results()
        print(
            f"{label}: median {statistics.median(times):.3f} s over {args.runs} runs; "
            f"{g.excluded['id'].n_unique()} of {g.population} communes excluded, {g.awarded.height} awarded"
        )


if __name__ == "__main__":
    main()
