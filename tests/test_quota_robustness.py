"""Monte Carlo robustness and scenario comparison on hand-made tables."""

from __future__ import annotations

import numpy as np
import polars as pl
from quota_helpers import group, result, rule, run, scenario, unit

from analysis import quota
from analysis.quota import Inputs, Scope, explain
from analysis.quota.montecarlo import select_top


def _frames(totals: dict[str, float], n_items: int = 25) -> dict:
    return {
        "units": [unit(c) for c in totals],
        "results": [result(c, 2024, t, n_items=n_items) for c, t in totals.items()],
    }


def _robust(sc: quota.Scenario, frames: dict, noise: quota.Noise) -> quota.RobustnessResult:
    inputs = Inputs.of(**frames)
    res = quota.simulate(sc, inputs, Scope.year(2024))
    return quota.robustness(res, inputs, noise)


def test_the_vectorised_selection_equals_a_loop_per_draw() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(80, 5, size=(200, 31))
    x[:, 3] = -np.inf  # an excluded candidate is never selected
    for seats in (0, 1, 5, 30, 31, 40):
        fast = select_top(x, seats)
        for row, picked in zip(x, fast, strict=True):
            order = [i for i in np.argsort(-row, kind="stable") if np.isfinite(row[i])]
            assert set(np.flatnonzero(picked)) == set(order[:seats])


def test_far_apart_scores_are_safe_and_a_tie_is_a_coin_flip() -> None:
    # Per criterion 0.5 points over 25 criteria: sd = sqrt(25 × (0.25 + 0.25²/12)) ≈ 2.51 per total.
    sc = scenario(rule(groups=[group(count=2)]))
    rob = _robust(
        sc,
        _frames({"A": 99, "B": 85, "C": 85, "D": 60}),
        quota.Noise(criterion_sd=0.5, rounding_step=0.25, draws=4000, seed=1),
    )
    p = dict(rob.frame.select("id", "probability").iter_rows())
    assert p["A"] == 1.0 and p["D"] == 0.0
    assert abs(p["B"] - 0.5) < 0.05 and abs(p["C"] - 0.5) < 0.05
    assert abs(p["B"] + p["C"] - 1.0) < 1e-9  # exactly one of them takes the second seat in every draw
    verdict = dict(rob.frame.select("id", "verdict").iter_rows())
    assert verdict == {"A": "safe_in", "B": "coin_flip", "C": "coin_flip", "D": "safe_out"}
    sd = dict(rob.frame.select("id", "sd").iter_rows())["A"]
    assert abs(sd - (25 * (0.25 + 0.25**2 / 12)) ** 0.5) < 1e-9
    assert rob.summary() == {"safe_in": 1, "coin_flip": 2, "safe_out": 1}


def test_noise_per_total_and_a_period_mean() -> None:
    # A two-year mean with 2 points per total has variance (4 + 4) / 4 = 2; B's mean trails A's by 0.7071.
    frames = {
        "units": [unit("A"), unit("B")],
        "results": [result("A", 2023, 90), result("A", 2024, 90), result("B", 2023, 88.5858), result("B", 2024, 90)],
    }
    sc = scenario(rule(groups=[group(count=1)], scope="review", review=[2023, 2024], measure="period_mean"))
    inputs = Inputs.of(**frames)
    res = quota.simulate(sc, inputs, Scope(2023, 2024))
    rob = quota.robustness(res, inputs, quota.Noise(total_sd=2.0, draws=20000, seed=3))
    p = dict(rob.frame.select("id", "probability").iter_rows())
    sd = dict(rob.frame.select("id", "sd").iter_rows())
    assert abs(sd["A"] - 2**0.5) < 1e-9
    # B − A has variance 2 + 2 = 4: P(B beats A) = P(2·Z > 0.7071) = P(Z > 0.3536) ≈ 0.3618
    assert abs(p["B"] - 0.3618) < 0.015


def test_one_award_holds_in_every_draw() -> None:
    higher = rule("higher", groups=[group(count=1)])
    lower = rule("lower", groups=[group(count=1)], exclude_awarded_by=["higher"])
    rob = _robust(
        scenario(higher, lower), _frames({"A": 90, "B": 90, "C": 50}), quota.Noise(total_sd=1.0, draws=3000, seed=5)
    )
    f = rob.frame
    p = {(r, i): v for r, i, v in f.select("rule_id", "id", "probability").iter_rows()}
    # A and B share both certificates, never twice to the same unit; C never gets one.
    assert abs(p[("higher", "A")] + p[("lower", "A")] - 1.0) < 1e-9
    assert abs(p[("higher", "B")] + p[("lower", "B")] - 1.0) < 1e-9
    assert p[("lower", "C")] == 0.0


def test_seeded_draws_repeat() -> None:
    sc = scenario(rule(groups=[group(count=2)]))
    frames = _frames({"A": 91, "B": 90, "C": 89.5, "D": 89})
    a = _robust(sc, frames, quota.Noise(draws=500, seed=11)).frame
    b = _robust(sc, frames, quota.Noise(draws=500, seed=11)).frame
    assert a.equals(b)


def test_compare_says_who_gains_who_loses_and_why() -> None:
    frames = _frames({"A": 95, "B": 90, "C": 85})
    frames["tasks"] = [{"unit_code": c, "year": 2024, "completion_pct": 100.0 if c != "B" else 90.0} for c in "ABC"]
    base = run(scenario(rule(groups=[group(count=2)])), **frames)
    strict = run(scenario(rule(groups=[group(count=2)], eligibility={"completion_min": 100})), **frames)
    one = run(scenario(rule(groups=[group(count=1)])), **frames)
    cmp = quota.compare([base, strict, one])
    rows = {r["id"]: r for r in cmp.frame.iter_rows(named=True)}
    assert (rows["A"]["s1_change"], rows["A"]["s2_change"]) == ("same", "same")
    assert (rows["B"]["s1_change"], rows["B"]["s1_status"], rows["B"]["s1_filters"]) == (
        "loses",
        "excluded",
        "completion_min",
    )
    assert (rows["C"]["s1_change"], rows["C"]["s1_status"]) == ("gains", "awarded")
    assert (rows["B"]["s2_change"], rows["B"]["s2_status"], rows["B"]["s2_gap"]) == ("loses", "left_out", 5.0)
    assert set(cmp.changes(1)["id"]) == {"B", "C"}
    table = explain.comparison_table(cmp, ["Gốc", "Chặt", "Một suất"], "vi")
    b_row = table.filter(pl.col(table.columns[0]) == "Đơn vị B").row(0, named=True)
    assert b_row["Chặt"] == "Không đủ điều kiện: Hoàn thành nhiệm vụ"
    assert b_row["Một suất"] == "Ngoài chỉ tiêu (#2; −5,00)"
    assert b_row["Thay đổi (Chặt)"] == "Mất"
