"""Conditions over several years (analysis.quota.history), with expectations worked out by hand.

The locality of these tests: on 01/07/2025 Xã An (A) and Xã Bình (B) merged into Xã Hòa Bình (X), Xã Cát (C)
and Xã Đông (D) into Xã Cát Đông (Y); Xã Giang (Z) was not touched. Their results:

    year  A            B          C         D            Z          X            Y
    2023  85 Tốt       82 Tốt     84 Tốt    91 Xuất sắc  72 Khá     —            —
    2024  92 Xuất sắc  75 Khá     83 Tốt    86 Tốt       81 Tốt     —            —
    2025  —            —          —         —            80 Tốt     93 Xuất sắc  88 Tốt

Ranks among the communes of each year (1 = best): 2023 D 1, A 2, C 3, B 4, Z 5 (of 5); 2024 A 1, D 2, C 3,
Z 4, B 5 (of 5); 2025 X 1, Y 2, Z 3 (of 3).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from quota_helpers import group, group_result, result, rule, run, scenario, unit

from analysis import quota
from analysis.quota import explain
from core.i18n import t
from store.db import draft
from store.queries import Published

END, START = date(2025, 6, 30), date(2025, 7, 1)
NAMES = {
    "A": "Xã An",
    "B": "Xã Bình",
    "C": "Xã Cát",
    "D": "Xã Đông",
    "Z": "Xã Giang",
    "X": "Xã Hòa Bình",
    "Y": "Xã Cát Đông",
}
UNITS = [
    *[unit(c, valid_to=END, name=NAMES[c]) for c in "ABCD"],
    unit("X", valid_from=START, name=NAMES["X"]),
    unit("Y", valid_from=START, name=NAMES["Y"]),
    unit("Z", name=NAMES["Z"]),
]
RECORD = [
    ("A", 2023, 85, "tot"),
    ("A", 2024, 92, "xuat_sac"),
    ("B", 2023, 82, "tot"),
    ("B", 2024, 75, "kha"),
    ("C", 2023, 84, "tot"),
    ("C", 2024, 83, "tot"),
    ("D", 2023, 91, "xuat_sac"),
    ("D", 2024, 86, "tot"),
    ("Z", 2023, 72, "kha"),
    ("Z", 2024, 81, "tot"),
    ("Z", 2025, 80, "tot"),
    ("X", 2025, 93, "xuat_sac"),
    ("Y", 2025, 88, "tot"),
]
LINEAGE = [
    {"unit_code": u, "predecessor_code": p, "predecessor_name": NAMES[p], "effective_date": START}
    for u, p in (("X", "A"), ("X", "B"), ("Y", "C"), ("Y", "D"))
]


def frames(**extra: Any) -> dict[str, Any]:
    return {
        "units": UNITS,
        "results": [result(c, y, s, t) for c, y, s, t in RECORD if y == 2025],
        "record": [
            {"unit_code": c, "name": NAMES[c], "kind": "commune", "year": y, "total": s, "tier": t}
            for c, y, s, t in RECORD
        ],
        "lineage": LINEAGE,
        **extra,
    }


def simulate(*conditions: dict[str, Any], scope: str = "2025", **extra: Any) -> quota.GroupResult:
    sc = scenario(rule(groups=[group(count=3)], eligibility={"history": list(conditions)}))
    return group_result(run(sc, scope, **frames(**extra)), "r", "g")


def failed(g: quota.GroupResult) -> dict[str, list[int]]:
    """unit → the years that failed, in order."""
    out: dict[str, list[int]] = {}
    for unit_code, year in g.excluded.select("unit_code", "year").iter_rows():
        out.setdefault(unit_code, [])
        if year not in out[unit_code]:
            out[unit_code].append(year)
    return out


def reasons(g: quota.GroupResult, unit_code: str, lang: str = "vi") -> list[str]:
    rows = g.excluded.filter(g.excluded["unit_code"] == unit_code)
    return [explain.reason(*r, lang=lang) for r in rows.select("filter", "year", "value", "required").iter_rows()]


def test_tier_streak_across_the_merger_needs_every_predecessor() -> None:
    # 3 years Tốt or better, 2023–2025. X: 2023 A Tốt, B Tốt; 2024 A Xuất sắc but B Khá → 2024 fails;
    # 2025 its own Xuất sắc. Y: C and D Tốt or better both years, own Tốt 2025 → passes. Z: Khá in 2023.
    g = simulate({"kind": "tier_streak", "years": 3, "tier_min": "tot"})
    assert failed(g) == {"X": [2024], "Z": [2023]}
    assert g.awarded["id"].to_list() == ["Y"]
    assert reasons(g, "X") == [
        "Năm 2024: xếp loại Khá (theo đơn vị trước sáp nhập: Xã Bình); cần từ Tốt trở lên liên tục 3 năm"
    ]
    assert reasons(g, "Z", "en") == ["2023: tier Fair; Good or better needed for 3 consecutive years"]


def test_tier_streak_of_two_years_only_looks_back_one() -> None:
    # 2024–2025 Khá or better: B's Khá is enough now, and Z's 2023 is outside the window.
    g = simulate({"kind": "tier_streak", "years": 2, "tier_min": "kha"})
    assert failed(g) == {}
    assert sorted(g.awarded["id"].to_list()) == ["X", "Y", "Z"]


def test_a_missing_predecessor_result_fails_the_year() -> None:
    # Without B's 2024 result the merged commune has no full record for 2024.
    g = simulate(
        {"kind": "tier_streak", "years": 2, "tier_min": "kha"},
        record=[
            {"unit_code": c, "name": NAMES[c], "kind": "commune", "year": y, "total": s, "tier": t}
            for c, y, s, t in RECORD
            if (c, y) != ("B", 2024)
        ],
    )
    assert failed(g) == {"X": [2024]}
    assert reasons(g, "X") == [
        "Năm 2024: không có kết quả xếp loại (theo đơn vị trước sáp nhập: Xã Bình); cần từ Khá trở lên liên tục 2 năm"
    ]


def test_rank_improved_compares_place_in_the_field() -> None:
    # Place = (rank - 1) / (n - 1). 2024 against 2023, then 2025 against 2024:
    # X: A 2/5 → 1/5 improves, B 4/5 → 5/5 does not (2024 fails); 2025 X 1/3 (0) against A 1/5 (0): not
    #    better (fails), against B 5/5 (1): better.
    # Y: C 3/5 → 3/5 fails, D 1/5 → 2/5 fails (2024); 2025 Y 2/3 (0.5) against C 3/5 (0.5) fails, against D
    #    2/5 (0.25) fails.
    # Z: 5/5 → 4/5 improves; 2025 3/3 (1) against 4/5 (0.75) fails.
    g = simulate({"kind": "rank_improved", "years": 2})
    assert failed(g) == {"X": [2024, 2025], "Y": [2024, 2025], "Z": [2025]}
    assert reasons(g, "X") == [
        "Năm 2024: hạng 5/5, không cao hơn năm trước (hạng 4/5) (theo đơn vị trước sáp nhập: Xã Bình); "
        "cần tăng hạng mỗi năm trong 2 năm",
        "Năm 2025: hạng 1/3, không cao hơn năm trước (hạng 1/5) (theo đơn vị trước sáp nhập: Xã An); "
        "cần tăng hạng mỗi năm trong 2 năm",
    ]
    assert len(reasons(g, "Y")) == 4  # each predecessor, each year


def test_not_awarded_counts_a_predecessors_award() -> None:
    # A Bằng khen to Xã Cát for 2024 bars Xã Cát Đông from a rule excluding Bằng khen in the last 2 years; a
    # Giấy khen to Xã Giang does not count, nor a Bằng khen of 2023 to Xã An (outside 2024–2025).
    given = [
        {"year": 2024, "award_kind": "bang_khen", "recipient_kind": "collective", "unit_code": "C"},
        {"year": 2024, "award_kind": "giay_khen", "recipient_kind": "collective", "unit_code": "Z"},
        {"year": 2023, "award_kind": "bang_khen", "recipient_kind": "collective", "unit_code": "A"},
    ]
    g = simulate({"kind": "not_awarded", "years": 2, "forms": ["bang_khen"]}, given=given)
    assert failed(g) == {"Y": [2024]}
    assert reasons(g, "Y") == [
        "Năm 2024: đã được tặng Bằng khen (theo đơn vị trước sáp nhập: Xã Cát); "
        "không được tặng Bằng khen trong 2 năm gần nhất"
    ]
    g3 = simulate({"kind": "not_awarded", "years": 3, "forms": ["bang_khen"]}, given=given)
    assert failed(g3) == {"X": [2023], "Y": [2024]}


def test_collective_title_each_year_needs_every_predecessor() -> None:
    # Tập thể lao động xuất sắc in 2024 and 2025: X's predecessors A and B both held it in 2024 and X in
    # 2025; for Y only D held it in 2024 (C held Tập thể lao động tiên tiến); Z never did.
    tlx, tlt = "Tập thể lao động xuất sắc", "Tập thể lao động tiên tiến"
    given = [
        {"year": y, "award_kind": "title", "recipient_kind": "collective", "unit_code": u, "title": ti}
        for y, u, ti in ((2024, "A", tlx), (2024, "B", tlx), (2025, "X", tlx), (2024, "C", tlt), (2024, "D", tlx))
    ] + [{"year": 2025, "award_kind": "title", "recipient_kind": "collective", "unit_code": "Y", "title": tlx}]
    g = simulate({"kind": "title_each_year", "years": 2, "titles": [tlx]}, given=given)
    assert failed(g) == {"Y": [2024], "Z": [2024, 2025]}
    assert reasons(g, "Y") == [
        "Năm 2024: không đạt danh hiệu Tập thể lao động xuất sắc (đạt: Tập thể lao động tiên tiến) "
        "(theo đơn vị trước sáp nhập: Xã Cát); cần đạt mỗi năm trong 2 năm"
    ]


def test_a_review_period_condition_covers_every_year_of_it() -> None:
    # "scope": each year of 2021–2025 must be Tốt or better. Z has no 2021 or 2022 result and Khá in 2023.
    sc = scenario(
        rule(
            groups=[group(count=3)],
            scope="review",
            review=[2021, 2025],
            measure="latest",
            eligibility={"history": [{"kind": "tier_streak", "years": "scope", "tier_min": "tot"}]},
        )
    )
    g = group_result(run(sc, "2021-2025", **frames()), "r", "g")
    assert failed(g)["Z"] == [2021, 2022, 2023]


PERSONS = [
    {"person_id": p, "full_name": n, "unit_code": "Z", "position": "Chuyên viên", "year": 2025, "title": None}
    for p, n in (("P1", "Nguyễn Văn An"), ("P2", "Trần Thị Bình"), ("P3", "Lê Văn Cường"))
]


def test_individual_titles_and_awards_over_several_years() -> None:
    # Chiến sĩ thi đua cơ sở in each of 2023–2025: P1 yes; P2 only Lao động tiên tiến in 2024; P3 had a
    # Bằng khen in 2024, which the second condition bars.
    cstd, ldtt = "Chiến sĩ thi đua cơ sở", "Lao động tiên tiến"
    held = [("P1", 2023, cstd), ("P1", 2024, cstd), ("P1", 2025, cstd), ("P2", 2023, cstd), ("P2", 2024, ldtt)]
    held += [("P2", 2025, cstd), ("P3", 2023, cstd), ("P3", 2024, cstd), ("P3", 2025, cstd)]
    sc = scenario(
        rule(
            recipient="individual",
            groups=[group(count=3)],
            eligibility={
                "history": [
                    {"kind": "title_each_year", "years": 3, "titles": [cstd]},
                    {"kind": "not_awarded", "years": 2, "forms": ["bang_khen"]},
                ]
            },
        )
    )
    res = run(
        sc,
        "2025",
        **frames(
            persons=PERSONS,
            person_titles=[{"person_id": p, "year": y, "title": ti} for p, y, ti in held],
            given=[
                {
                    "year": 2024,
                    "award_kind": "bang_khen",
                    "recipient_kind": "individual",
                    "unit_code": "Z",
                    "person_id": "P3",
                }
            ],
        ),
    )
    g = group_result(res, "r", "g")
    assert g.awarded["id"].to_list() == ["P1"]
    rows = {(i, f, y) for i, f, y in g.excluded.select("id", "filter", "year").iter_rows()}
    assert rows == {("P2", "history:title_each_year", 2024), ("P3", "history:not_awarded", 2024)}
    p2 = g.excluded.filter(g.excluded["id"] == "P2").row(0, named=True)
    assert explain.reason(p2["filter"], p2["year"], p2["value"], p2["required"], "vi") == (
        "Năm 2024: không đạt danh hiệu Chiến sĩ thi đua cơ sở (đạt: Lao động tiên tiến); cần đạt mỗi năm trong 3 năm"
    )


def test_the_statement_names_the_conditions_and_the_merger_rule() -> None:
    sc = scenario(
        rule(
            eligibility={
                "history": [
                    {"kind": "tier_streak", "years": 3, "tier_min": "tot"},
                    {"kind": "not_awarded", "years": 2, "forms": ["bang_khen", "co_thi_dua"]},
                ]
            }
        )
    )
    text = "\n".join(explain.statement(sc, sc.rules[0], "vi"))
    assert "xếp loại từ Tốt trở lên trong 3 năm liền gần nhất" in text
    assert "không được tặng Bằng khen, Cờ thi đua trong 2 năm liền gần nhất" in text
    assert "mọi đơn vị cũ đều đạt" in text


@pytest.mark.parametrize(
    ("condition", "recipient", "path", "code"),
    [
        ({"kind": "streak", "years": 2}, "collective", "rules[0].eligibility.history[0].kind", "one_of"),
        ({"kind": "tier_streak", "years": 2}, "collective", "rules[0].eligibility.history[0].tier_min", "required"),
        (
            {"kind": "tier_streak", "years": 0, "tier_min": "tot"},
            "collective",
            "rules[0].eligibility.history[0].years",
            "out_of_range",
        ),
        ({"kind": "not_awarded", "years": 2}, "collective", "rules[0].eligibility.history[0].forms", "required"),
        (
            {"kind": "tier_streak", "years": 2, "tier_min": "tot"},
            "individual",
            "rules[0].eligibility.history[0].kind",
            "not_for_recipient",
        ),
        ({"kind": "title_each_year", "years": 2}, "collective", "rules[0].eligibility.history[0].titles", "required"),
    ],
)
def test_a_wrong_condition_is_named_by_its_field(
    condition: dict[str, Any], recipient: str, path: str, code: str
) -> None:
    data = {
        "id": "t",
        "name": "Thử",
        "plan": {"title": "Kế hoạch thử"},
        "rules": [rule(recipient=recipient, eligibility={"history": [condition]})],
    }
    errors = quota.validate(data)
    assert (path, code) in {(e.path, e.code) for e in errors}


def test_the_published_database_gives_the_merged_communes_record(tmp_path: Path) -> None:
    """The same locality written into a real DuckDB file: quota_record, quota_lineage and quota_given
    reach back before the scope and across the merger."""
    db = tmp_path / "parboard.duckdb"
    with draft(db) as d:
        con = d.con
        con.executemany(
            "INSERT INTO unit (unit_code, name, name_key, kind, valid_from, valid_to) "
            "VALUES (?, ?, lower(?), 'commune', ?, ?)",
            [(u["unit_code"], u["name"], u["name"], u["valid_from"], u["valid_to"]) for u in UNITS],
        )
        con.executemany(
            "INSERT INTO unit_lineage (unit_code, predecessor_code, effective_date, relation) "
            "VALUES (?, ?, ?, 'merge')",
            [(r["unit_code"], r["predecessor_code"], r["effective_date"]) for r in LINEAGE],
        )
        con.executemany(
            "INSERT INTO unit_result (framework_id, unit_code, unit_kind, year, total, tier, basis, score_stage) "
            "VALUES ('F', ?, 'commune', ?, ?, ?, 'criteria', 'appraised')",
            RECORD,
        )
        con.executemany(
            "INSERT INTO award (award_id, scope, award_kind, recipient_kind, unit_code, source_id) "
            "VALUES (?, ?, 'bang_khen', 'collective', ?, 1)",
            [("a1", "2024", "C"), ("a2", "2021-2023", "A")],
        )
    inputs = quota.load_inputs(Published(db), quota.Scope.year(2025))
    assert sorted(inputs.record["year"].unique().to_list()) == [2023, 2024, 2025]
    assert sorted(inputs.given.select("unit_code", "year").rows()) == [("A", 2023), ("C", 2024)]
    sc = scenario(
        rule(
            groups=[group(count=3)],
            eligibility={
                "history": [
                    {"kind": "tier_streak", "years": 3, "tier_min": "tot"},
                    {"kind": "not_awarded", "years": 2, "forms": ["bang_khen"]},
                ]
            },
        )
    )
    g = group_result(quota.simulate(sc, inputs, quota.Scope.year(2025)), "r", "g")
    # X: B's Khá in 2024; Y: C's Bằng khen for 2024; Z: its own Khá in 2023.
    assert failed(g) == {"X": [2024], "Y": [2024], "Z": [2023]}
    assert g.awarded.height == 0


def test_the_form_states_conditions_and_names_a_wrong_one() -> None:
    from analysis.quota.form import scenario_from_form
    from services import quota as quota_service

    base = {
        "name": "Thử",
        "award_label": "Giấy khen",
        "recipient": "collective",
        "groups": [{"kinds": ["commune"], "quota_kind": "count", "count": 3}],
    }
    data = scenario_from_form(
        {
            **base,
            "history_tier_years": 3,
            "history_tier": "tot",
            "history_award_years": 2,
            "history_forms": ["bang_khen"],
            "history_title_years": None,
            "history_rank_years": None,
        }
    )
    sc = quota.parse(data)
    assert sc.rules[0].eligibility.history == (
        quota.model.HistoryCondition("tier_streak", 3, "tot"),
        quota.model.HistoryCondition("not_awarded", 2, forms=("bang_khen",)),
    )
    g = group_result(quota.simulate(sc, quota.Inputs.of(**frames()), quota.Scope.year(2025)), "rule", "g1")
    assert failed(g) == {"X": [2024], "Z": [2023]}
    # a tier streak for individuals is refused next to the form's section, in words
    _, errors = quota_service.from_form(
        {**base, "recipient": "individual", "history_tier_years": 2, "history_tier": "kha"}
    )
    assert [quota_service.form_error(e, "vi") for e in errors] == [
        "- **Điều kiện nhiều năm › loại điều kiện**: "
        + t("quota.validation.not_for_recipient", "vi", recipient="individual")
    ]


def test_a_condition_without_its_award_kinds_is_named_in_the_form() -> None:
    from services import quota as quota_service

    _, errors = quota_service.from_form(
        {
            "name": "Thử",
            "award_label": "Giấy khen",
            "recipient": "collective",
            "groups": [{"kinds": ["commune"], "quota_kind": "count", "count": 3}],
            "history_award_years": 2,
            "history_forms": [],
        }
    )
    assert [quota_service.form_error(e, "en") for e in errors] == [
        f"- **Conditions over several years › award kinds**: {t('quota.validation.required', 'en')}"
    ]
