"""Properties of every selection, on random small groups (hypothesis): never more awards than the quota
(beyond it only ties the rule admits), every awarded unit passes every filter, and a unit measured
strictly better than an awarded one is awarded too or explicitly excluded."""

from __future__ import annotations

from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quota_helpers import group, result, rule, run, scenario, unit

units_st = st.lists(
    st.tuples(
        st.sampled_from([70.0, 80.0, 85.0, 85.5, 90.0, 95.0]),  # few values: ties are common
        st.sampled_from([90.0, 100.0]),  # task completion
        st.booleans(),  # registered on time
        st.booleans(),  # under investigation
        st.sampled_from(["commune", "department"]),
    ),
    min_size=0,
    max_size=12,
)
quota_st = st.one_of(
    st.builds(lambda n: {"count": n}, st.integers(0, 6)),
    st.builds(lambda a, b: {"range": [min(a, b), max(a, b)]}, st.integers(0, 4), st.integers(0, 4)),
    st.builds(
        lambda p, base, r: {"percent": p, "base": base, "rounding": r},
        st.sampled_from([10, 20, 25, 50]),
        st.sampled_from(["all", "eligible"]),
        st.sampled_from(["floor", "nearest", "ceil", "at_least_one"]),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(units_st, quota_st, st.sampled_from(["admit_all", "admit_none", "flag"]), st.booleans(), st.booleans())
def test_selection_properties(rows, quota_spec, mode, need_completion, need_registration) -> None:
    codes = [f"U{i:02d}" for i in range(len(rows))]
    frames = {
        "units": [unit(c, kind) for c, (*_, kind) in zip(codes, rows, strict=True)],
        "results": [result(c, 2024, total) for c, (total, *_) in zip(codes, rows, strict=True)],
        "tasks": [
            {"unit_code": c, "year": 2024, "completion_pct": done} for c, (_, done, *_) in zip(codes, rows, strict=True)
        ],
        "registrations": [
            {"unit_code": c, "year": 2024, "registered_on": date(2024, 7, 1) if ok else date(2024, 9, 1), "title": None}
            for c, (_, _, ok, *_) in zip(codes, rows, strict=True)
        ],
        "sanctions": [
            {
                "sanction_id": c,
                "subject_kind": "unit",
                "unit_code": c,
                "person_id": None,
                "kind": "investigation",
                "level": None,
                "start_date": date(2024, 1, 5),
                "end_date": None,
            }
            for c, (*_, case, _) in zip(codes, rows, strict=True)
            if case
        ],
    }
    eligibility = {"no_case": ["investigation"]}
    if need_completion:
        eligibility["completion_min"] = 100
    if need_registration:
        eligibility["registered_by"] = "07-31"
    groups = [group("communes", ["commune"], **quota_spec), group("departments", ["department"], **quota_spec)]
    res = run(scenario(rule(groups=groups, eligibility=eligibility, at_cutoff=mode)), **frames)
    facts = {c: r for c, r in zip(codes, rows, strict=True)}
    for g in res.group_results():
        won = g.awarded
        # 1. Never more awards than the quota; beyond it only tied units the rule admits.
        if mode == "admit_all":
            extra = won.height - g.quota.seats
            assert extra <= max(0, g.cutoff.tied - g.cutoff.tied_seats)
            assert extra <= 0 or won.filter(pl.col("status") == "tie_admitted").height == g.cutoff.tied
        else:
            assert won.height <= g.quota.seats
        # 2. Every awarded unit passes every filter, checked here from the raw facts.
        for code in won["id"]:
            total, done, on_time, case, _ = facts[code]
            assert not case
            assert done >= 100 or not need_completion
            assert on_time or not need_registration
        # 3. Strictly better than an awarded unit: awarded, or explicitly excluded with a reason.
        if won.height:
            worst = won["measure"].min()
            excluded = set(g.excluded["id"])
            for code, (total, *_, kind) in facts.items():
                if kind in g.group.kinds and total > worst:
                    assert code in set(won["id"]) or code in excluded, (code, total, worst)
        # Every candidate is accounted for once: ranked or excluded.
        assert set(g.ranked["id"]) | set(g.excluded["id"]) == {c for c, r in facts.items() if r[4] in g.group.kinds}
        assert not set(g.ranked["id"]) & set(g.excluded["id"])
