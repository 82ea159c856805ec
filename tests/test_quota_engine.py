"""The quota engine on small hand-made tables: every expected list below was worked out by hand."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import polars as pl
import pytest
from quota_helpers import awarded, group, group_result, result, rule, run, scenario, unit

from analysis import quota
from analysis.quota import explain
from analysis.quota.quotas import round_share


@pytest.mark.parametrize(
    ("percent", "base", "rounding", "seats"),
    [
        (20, 15, "floor", 3),
        (20, 15, "ceil", 3),
        (20, 15, "nearest", 3),  # exactly 3: never 3.0000000000000004
        (20, 17, "floor", 3),
        (20, 17, "nearest", 3),
        (20, 17, "ceil", 4),  # 3.4
        (25, 10, "floor", 2),
        (25, 10, "nearest", 3),
        (25, 10, "ceil", 3),  # 2.5: half up
        (20, 3, "floor", 0),
        (20, 3, "nearest", 1),
        (20, 3, "ceil", 1),
        (20, 3, "at_least_one", 1),  # 0.6
        (20, 2, "nearest", 0),
        (20, 2, "at_least_one", 1),  # 0.4: fewer than 1
        (20, 12, "at_least_one", 2),  # 2.4: at least 1 is still rounded down above 1
        (20, 0, "at_least_one", 0),
        (20, 0, "ceil", 0),  # nobody to take a share of
        (15, 100, "floor", 15),
        (12.5, 7, "floor", 0),
        (12.5, 8, "floor", 1),
    ],
)
def test_rounding_modes(percent: float, base: int, rounding: str, seats: int) -> None:
    assert round_share(Fraction(str(percent)) * base / 100, rounding) == seats


def _five(totals: list[float]) -> dict:
    codes = [f"X{i}" for i in range(1, len(totals) + 1)]
    return {
        "units": [unit(c) for c in codes],
        "results": [result(c, 2024, t) for c, t in zip(codes, totals, strict=True)],
    }


def test_percent_quota_through_simulate_states_its_arithmetic() -> None:
    # 3 eligible communes, 20 % of all 3 = 0.6: floor gives no seat (and says so), at least 1 gives one.
    frames = _five([90, 80, 70])
    res = run(scenario(rule(groups=[group(percent=20, base="all", rounding="floor")])), **frames)
    g = res.group_results()[0]
    assert (g.quota.seats, g.quota.base, g.quota.exact) == (0, 3, Fraction(3, 5))
    assert awarded(res) == [] and [n.code for n in g.notices] == ["quota_zero"]
    res = run(scenario(rule(groups=[group(percent=20, base="all", rounding="at_least_one")])), **frames)
    assert awarded(res) == ["X1"]
    text = explain.quota_text(res.scenario.rules[0].groups[0], "vi", res.group_results()[0].quota)
    assert text == "20% tổng số đơn vị của nhóm (3) = 0,6 → làm tròn xuống, nếu dưới 1 thì được 1: 1"


@pytest.mark.parametrize(
    ("mode", "statuses", "count", "notice"),
    [
        ("admit_all", ["awarded", "tie_admitted", "tie_admitted", "left_out"], 3, "tie_admitted"),
        ("admit_none", ["awarded", "tie_refused", "tie_refused", "left_out"], 1, "tie_refused"),
        ("flag", ["awarded", "tie_council", "tie_council", "left_out"], 1, "tie_council"),
    ],
)
def test_tie_at_the_cutoff_in_each_mode(mode: str, statuses: list[str], count: int, notice: str) -> None:
    # 90, 85, 85, 80 for 2 seats: X2 and X3 tie for the second seat.
    res = run(scenario(rule(groups=[group(count=2)], at_cutoff=mode)), **_five([90, 85, 85, 80]))
    g = res.group_results()[0]
    assert g.ranked["id"].to_list() == ["X1", "X2", "X3", "X4"]
    assert g.ranked["status"].to_list() == statuses
    assert g.ranked["position"].to_list() == [1, 2, 2, 4]
    assert g.awarded.height == count
    (n,) = g.notices
    assert (n.code, n.params["tied"], n.params["seats"]) == (notice, 2, 1)
    # The first left out needed 5 points to reach the tied measure.
    assert g.left_out.select("id", "gap").rows() == [("X4", 5.0)]


def test_a_tie_break_settles_the_tie_before_the_cutoff_rule() -> None:
    frames = _five([90, 85, 85, 80])
    frames["registrations"] = [
        {"unit_code": "X2", "year": 2024, "registered_on": date(2024, 5, 2), "title": None},
        {"unit_code": "X3", "year": 2024, "registered_on": date(2024, 3, 1), "title": None},
    ]
    res = run(scenario(rule(groups=[group(count=2)], tie_break=["registered_on"])), **frames)
    g = res.group_results()[0]
    assert awarded(res) == ["X1", "X3"]
    assert g.ranked.filter(pl.col("id") == "X2").select("status", "gap").row(0) == ("left_out", 0.0)
    assert g.notices == []


def test_one_achievement_earns_one_award() -> None:
    higher = rule("higher", groups=[group(count=1)], award={"kind": "bang_khen", "label": "Bằng khen"})
    lower = rule("lower", groups=[group(count=2)], exclude_awarded_by=["higher"])
    res = run(scenario(higher, lower), **_five([90, 85, 80, 75]))
    assert awarded(res, "higher") == ["X1"]
    assert awarded(res, "lower") == ["X2", "X3"]
    ex = group_result(res, "lower", "g").excluded
    assert ex.select("id", "filter", "value").rows() == [("X1", "one_award", "higher")]
    assert explain.reason("one_award", None, "higher", None, "vi") == (
        "Đã được khen theo quy tắc “higher” (một thành tích một hình thức)"
    )
    # Without the link, the same unit would be chosen twice.
    res = run(scenario(higher, rule("lower", groups=[group(count=2)])), **_five([90, 85, 80, 75]))
    assert awarded(res, "lower") == ["X1", "X2"]


def test_an_empty_group_says_so() -> None:
    sc = scenario(rule(groups=[group("districts", kinds=["district"], count=2), group("communes", count=1)]))
    res = run(sc, **_five([90, 80]))
    districts = group_result(res, "r", "districts")
    assert districts.population == 0 and districts.awarded.height == 0
    assert [n.code for n in districts.notices] == ["empty_group"]
    assert awarded(res, group_id="communes") == ["X1"]


def _reorganised() -> dict:
    # O existed throughout; E ended on 30/06/2025 (scored 2021–2024); N began on 01/07/2025 (scored 2025).
    units = [unit("O"), unit("E", valid_to=date(2025, 6, 30)), unit("N", valid_from=date(2025, 7, 1))]
    results = (
        [result("O", y, t) for y, t in zip(range(2021, 2026), [80, 82, 84, 86, 88], strict=True)]
        + [result("E", y, 95) for y in range(2021, 2025)]
        + [result("N", 2025, 90)]
    )
    return {"units": units, "results": results}


def test_units_that_ended_or_began_in_2025_inside_a_review() -> None:
    review = {"scope": "review", "review": [2021, 2025]}
    sc = scenario(rule(groups=[group(count=3)], measure="period_mean", eligibility={"exists_at_end": True}, **review))
    res = run(sc, "2021-2025", **_reorganised())
    g = res.group_results()[0]
    # E (mean 95) ended before the review's end: not a unit of the review, so neither ranked nor listed as an
    # exclusion, only summarised; N is ranked on its one year, O on the mean of five (84).
    assert g.ranked.select("id", "measure", "years_scored").rows() == [("N", 90.0, 1), ("O", 84.0, 5)]
    assert g.excluded.is_empty()
    assert g.reference == date(2025, 12, 31) and g.units_counted == 2
    assert explain.not_counted_lines(g, "vi") == ["1 đơn vị cũ kết thúc ngày 30/06/2025, không tính"]
    assert explain.reason("exists_at_end", None, "2025-06-30", "2025-12-31", "vi") == (
        "Kết thúc hoạt động ngày 30/06/2025, trước ngày 31/12/2025"
    )

    sc = scenario(
        rule(
            groups=[group(count=3)],
            measure="period_mean",
            eligibility={"exists_at_end": True, "min_years": 2},
            **review,
        )
    )
    g = run(sc, "2021-2025", **_reorganised()).group_results()[0]
    assert awarded(run(sc, "2021-2025", **_reorganised())) == ["O"]
    assert ("N", "min_years", "1") in g.excluded.select("id", "filter", "value").rows()

    # Improvement needs two years: N cannot be measured and says why; O gained 8 points; E, ended, is not
    # ranked against the unit that replaced it.
    sc = scenario(rule(groups=[group(count=3)], measure="improvement", **review))
    g = run(sc, "2021-2025", **_reorganised()).group_results()[0]
    assert g.ranked.select("id", "measure").rows() == [("O", 8.0)]
    assert g.excluded.select("id", "filter").rows() == [("N", "measure_missing")]

    # A rule stating the day before the reorganisation counts the former units instead: E and O, not N.
    sc = scenario(rule(groups=[group(count=3)], measure="improvement", reference_date="06-30", **review))
    g = run(sc, "2021-2025", **_reorganised()).group_results()[0]
    assert g.ranked.select("id", "measure").rows() == [("O", 8.0), ("E", 0.0)]
    assert g.reference == date(2025, 6, 30)
    assert explain.not_counted_lines(g, "en") == ["1 units beginning on 2025-07-01, not counted"]


def test_no_eligible_unit_gives_a_clear_message() -> None:
    frames = _five([90, 80])
    frames["tasks"] = [
        {"unit_code": "X1", "year": 2024, "completion_pct": 90.0},
        {"unit_code": "X2", "year": 2024, "completion_pct": 99.5},
    ]
    res = run(scenario(rule(groups=[group(count=1)], eligibility={"completion_min": 100})), **frames)
    g = res.group_results()[0]
    assert g.eligible == 0 and g.ranked.height == 0
    assert [n.code for n in g.notices] == ["no_eligible"]
    assert [n.code for n in res.notices] == ["nothing_eligible"]
    assert explain.notice(g.notices[0], "vi").startswith("Không có đơn vị/cá nhân nào đủ điều kiện trong số 2")
    reasons = [explain.reason(*r, lang="en") for r in g.excluded.select("filter", "year", "value", "required").rows()]
    assert reasons == ["90% of tasks done in 2024, needs 100%", "99.5% of tasks done in 2024, needs 100%"]


def test_a_scope_without_rules_is_named() -> None:
    res = run(scenario(rule()), "2021-2025", **_five([90]))
    assert res.rules == [] and [n.code for n in res.notices] == ["no_rule_for_scope"]


def test_every_filter_excludes_with_its_value() -> None:
    units = [unit(c) for c in ("A", "B", "C", "D", "E", "F", "G")]
    results = [
        result("A", 2024, 95, "xuat_sac"),
        result("B", 2024, 94, "tot"),
        result("C", 2024, 93, "xuat_sac"),
        result("D", 2024, 92, "xuat_sac"),
        result("E", 2024, 91, "xuat_sac"),
        result("F", 2024, 70, "kha"),
        result("G", 2024, 89, "xuat_sac"),
    ]
    regs = [
        {"unit_code": c, "year": 2024, "registered_on": date(2024, 7, 31 if c != "C" else 30), "title": "TT"}
        for c in "ABDEFG"
    ] + [{"unit_code": "C", "year": 2024, "registered_on": date(2024, 8, 1), "title": "TT"}]
    comps = [
        {"unit_code": c, "year": 2024, "component_code": "LV1", "points": 8.0 if c != "G" else 4.0, "max_points": 10.0}
        for c in "ABCDEFG"
    ]
    sanctions = [
        {
            "sanction_id": "s1",
            "subject_kind": "unit",
            "unit_code": "D",
            "person_id": None,
            "kind": "investigation",
            "level": None,
            "start_date": date(2023, 3, 1),
            "end_date": None,
        },
        {
            "sanction_id": "s2",
            "subject_kind": "person",
            "unit_code": "E",
            "person_id": "p1",
            "kind": "discipline",
            "level": "canh_cao",
            "start_date": date(2024, 2, 1),
            "end_date": date(2025, 1, 31),
        },
        {
            "sanction_id": "s3",
            "subject_kind": "person",
            "unit_code": "A",
            "person_id": "p2",
            "kind": "discipline",
            "level": "khien_trach",
            "start_date": date(2024, 2, 1),
            "end_date": date(2025, 1, 31),
        },
    ]
    elig = {
        "registered_by": "07-31",
        "tier_min": "xuat_sac",
        "total_min": 80,
        "no_case": ["investigation"],
        "member_discipline_from": "canh_cao",
        "component_min": {"LV1": {"pct": 50}},
    }
    res = run(
        scenario(rule(groups=[group(count=7)], eligibility=elig)),
        units=units,
        results=results,
        registrations=regs,
        components=comps,
        sanctions=sanctions,
    )
    g = res.group_results()[0]
    assert awarded(res) == ["A"]  # A's member has only a reprimand
    failed = {(r[0], r[1]) for r in g.excluded.select("id", "filter").rows()}
    assert failed == {
        ("B", "tier_min"),
        ("C", "registered_by"),
        ("D", "no_case"),
        ("E", "member_discipline"),
        ("F", "tier_min"),
        ("F", "total_min"),
        ("G", "component_min:LV1"),
    }
    words = {
        r[0]: explain.reason(*r[1:], lang="vi")
        for r in g.excluded.select("id", "filter", "year", "value", "required").rows()
        if r[1] != "total_min"
    }
    assert words["C"] == "Đăng ký ngày 01/08/2024, sau hạn 31/07/2024 (năm 2024)"
    assert words["D"] == "Đang bị điều tra từ 01/03/2023 (chưa kết thúc)"
    assert words["E"] == "Có thành viên bị kỷ luật cảnh cáo từ 01/02/2024 đến 31/01/2025"
    assert words["G"] == "Lĩnh vực LV1: 4 điểm năm 2024, cần 5"


def test_individuals_come_from_qualified_units_and_say_their_measure_is_the_units() -> None:
    units = [unit("A"), unit("B"), unit("C")]
    results = [result("A", 2024, 95, "xuat_sac"), result("B", 2024, 91, "xuat_sac"), result("C", 2024, 99, "tot")]
    persons = [
        {
            "person_id": f"P{i}",
            "full_name": f"Người {i}",
            "unit_code": u,
            "year": 2024,
            "title": "Lao động tiên tiến",
            "initiative": "Sáng kiến" if i == 3 else None,
        }
        for i, u in enumerate("AABBC", start=1)
    ]
    people = rule(
        "people",
        recipient="individual",
        groups=[group("all", count=2)],
        eligibility={"unit_tier_min": "xuat_sac"},
        tie_break=["initiative"],
    )
    res = run(scenario(people), units=units, results=results, persons=persons)
    g = res.group_results()[0]
    # P1 and P2 share A's 95; then B's two people share 91 — P3 has an initiative, P4 does not.
    assert g.ranked.select("id", "measure", "status").rows() == [
        ("P1", 95.0, "awarded"),
        ("P2", 95.0, "awarded"),
        ("P3", 91.0, "left_out"),
        ("P4", 91.0, "left_out"),
    ]
    assert g.excluded.select("id", "filter", "value").rows() == [("P5", "unit_tier_min", "tot")]
    assert [n.code for n in res.rules[0].notices] == ["individual_measure_proxy"]


def test_validation_names_the_wrong_fields() -> None:
    data = {
        "id": "Bad Id",
        "name": "x",
        "rules": [
            {
                "id": "r",
                "name": "r",
                "award": {"kind": "medal", "label": "x"},
                "recipient": "collective",
                "scope": "year",
                "groups": [{"id": "g", "kinds": ["commune"], "quota": {"percent": 120, "rounding": "sideways"}}],
                "eligibility": {"registered_by": "31/07", "initiative": True},
                "exclude_awarded_by": ["later"],
                "tie_break": ["component"],
                "at_cutoff": "coin",
            }
        ],
    }
    errors = {(e.path, e.code) for e in quota.validate(data)}
    assert errors == {
        ("id", "bad_id"),
        ("rules[0].award.kind", "one_of"),
        ("rules[0].groups[0].quota.percent", "out_of_range"),
        ("rules[0].groups[0].quota.rounding", "one_of"),
        ("rules[0].eligibility.registered_by", "bad_month_day"),
        ("rules[0].eligibility.initiative", "not_for_recipient"),
        ("rules[0].exclude_awarded_by[0]", "unknown_earlier_rule"),
        ("rules[0].tie_break[0]", "component_code_required"),
        ("rules[0].at_cutoff", "one_of"),
    }
    with pytest.raises(quota.ScenarioError):
        quota.parse(data)
    assert quota.validate({"id": "x", "name": "x", "rules": []})[0].code == "at_least_one_rule"


def test_a_form_scenario_validates_and_errors_point_at_form_fields() -> None:
    from analysis.quota.form import field_of, scenario_from_form

    values = {
        "name": "Thử",
        "award_label": "Giấy khen",
        "award_kind": "giay_khen",
        "recipient": "collective",
        "review": None,
        "groups": [
            {"name": "Sở", "kinds": ["department"], "quota_kind": "count", "count": 1},
            {
                "name": "Xã",
                "kinds": ["commune"],
                "quota_kind": "percent",
                "percent": 20,
                "base": "all",
                "rounding": "at_least_one",
            },
        ],
        "completion_min": 100,
        "no_case": ["discipline"],
        "measure": "total",
        "tie_break": ["registered_on"],
        "at_cutoff": "admit_none",
    }
    sc = quota.parse(scenario_from_form(values))
    (r,) = sc.rules
    assert [g.quota.kind for g in r.groups] == ["count", "percent"]
    assert (r.eligibility.completion_min, r.at_cutoff, r.tie_break[0].key) == (100, "admit_none", "registered_on")
    bad = dict(
        values,
        registered_by="31/7",
        groups=[
            dict(values["groups"][1], percent=150),
            {"name": "", "kinds": [], "quota_kind": "range", "low": 3, "high": 2},
        ],
    )
    where = {field_of(e) for e in quota.validate(scenario_from_form(bad))}
    assert where == {(None, "registered_by"), (1, "quota_percent"), (2, "quota_low"), (2, "kinds")}
