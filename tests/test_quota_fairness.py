"""Who the individuals' awards go to (analysis.quota.fairness, services.quota_fairness), counted by hand.

A small locality in 2024: Sở Nội vụ (S1, under the province), Huyện Một (H1) with Xã Một (C1) and Xã Hai
(C2), Huyện Hai (H2) with Xã Ba (C3). Unit totals: S1 95, C1 90, C2 85, C3 80, H1 70, H2 60. People:

    p1 S1 Giám đốc (leader)          p5 C2 Phó Chủ tịch UBND (leader)
    p2 S1 Chuyên viên (staff)        p6 C3 Công chức Văn hóa - Xã hội (staff)
    p3 C1 Chủ tịch UBND (leader)     p7 H1 Trưởng phòng Nội vụ (manager)
    p4 C1 Công chức Tư pháp (staff)  p8 H2 Chuyên viên Phòng Nội vụ (staff)

Four certificates by the unit's total: p1, p2 (95) and p3, p4 (90) — 2 leaders, 2 staff, 0 managers.
Considered: 8 — leaders 3 (37,5 %), managers 1 (12,5 %), staff 4 (50 %).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from import_helpers import copy_db
from quota_helpers import group, result, rule, run, scenario

from analysis import quota
from analysis.quota import Inputs, fairness, positions, presets
from core.i18n import t
from services import quota_fairness
from store.queries import Published

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")

UNITS = [
    ("P", "Tỉnh Thử", "province", None),
    ("S1", "Sở Nội vụ", "department", "P"),
    ("H1", "Huyện Một", "district", "P"),
    ("H2", "Huyện Hai", "district", "P"),
    ("C1", "Xã Một", "commune", "H1"),
    ("C2", "Xã Hai", "commune", "H1"),
    ("C3", "Xã Ba", "commune", "H2"),
]
TOTALS = {"S1": 95, "C1": 90, "C2": 85, "C3": 80, "H1": 70, "H2": 60}
PEOPLE = [
    ("p1", "S1", "Giám đốc"),
    ("p2", "S1", "Chuyên viên"),
    ("p3", "C1", "Chủ tịch UBND"),
    ("p4", "C1", "Công chức Tư pháp - Hộ tịch"),
    ("p5", "C2", "Phó Chủ tịch UBND"),
    ("p6", "C3", "Công chức Văn hóa - Xã hội"),
    ("p7", "H1", "Trưởng phòng Nội vụ"),
    ("p8", "H2", "Chuyên viên Phòng Nội vụ"),
]


def simulate(preference: dict[str, Any] | None = None, count: int = 4) -> Any:
    extra = {"fairness": preference} if preference else {}
    sc = scenario(
        rule(recipient="individual", groups=[group(kinds=["department", "district", "commune"], count=count)]),
        **extra,
    )
    frames = {
        "units": [
            {"unit_code": c, "name": n, "kind": k, "parent_code": p, "valid_from": None, "valid_to": None}
            for c, n, k, p in UNITS
        ],
        "results": [result(c, 2024, s) for c, s in TOTALS.items()],
        "persons": [
            {"person_id": i, "full_name": f"Người {i}", "unit_code": u, "position": pos, "year": 2024}
            for i, u, pos in PEOPLE
        ],
    }
    return run(sc, "2024", **frames), Inputs.of(**frames)


def rows(res: fairness.FairnessResult, dimension: str) -> dict[str, tuple[int, float, int, float]]:
    return {
        k: (p, round(pp, 2), c, round(cp, 2))
        for k, p, pp, c, cp in res.dimension(dimension)
        .select("key", "proposed", "proposed_pct", "considered", "considered_pct")
        .iter_rows()
    }


def test_positions_are_classed_from_the_vocabulary_file() -> None:
    assert [positions.classify(p) for _, _, p in PEOPLE] == [
        "leader",
        "staff",
        "leader",
        "staff",
        "leader",
        "staff",
        "manager",
        "staff",
    ]
    assert positions.classify("Tài xế") == positions.OTHER
    assert positions.classify(None) == positions.OTHER


def test_shares_by_position_kind_and_district() -> None:
    sim, inputs = simulate()
    res = fairness.fairness(sim, inputs)
    assert res is not None
    assert (res.proposed, res.considered) == (4, 8)
    assert rows(res, "position") == {
        "leader": (2, 50.0, 3, 37.5),
        "manager": (0, 0.0, 1, 12.5),
        "staff": (2, 50.0, 4, 50.0),
    }
    assert rows(res, "kind") == {
        "department": (2, 50.0, 2, 25.0),
        "commune": (2, 50.0, 4, 50.0),
        "district": (0, 0.0, 2, 25.0),
    }
    # H1: C1, C2 and the district's own office (p3, p4, p5, p7); H2: p6, p8; the department under no district.
    assert rows(res, "district") == {
        "H1": (2, 50.0, 4, 50.0),
        "H2": (0, 0.0, 2, 25.0),
        fairness.NO_DISTRICT: (2, 50.0, 2, 25.0),
    }
    assert res.preference is None and not res.departs


@pytest.mark.parametrize(("min_share", "departs"), [(60, True), (50, False)])
def test_a_list_under_the_stated_preference_is_warned(min_share: float, departs: bool) -> None:
    sim, inputs = simulate({"favour": "staff", "min_share": min_share, "source": "49/KH-UBND, mục III.1.b"})
    res = fairness.fairness(sim, inputs)
    assert res is not None
    assert (res.favoured, res.favoured_share, res.departs) == (2, 50.0, departs)
    view = quota_fairness.view(sim, inputs, "vi")
    assert view is not None and view.warning is departs
    if departs:
        assert view.verdict == (
            "Danh sách lệch khỏi ưu tiên của quy tắc: nhóm “Người trực tiếp làm công tác” chiếm 50,0% số cá nhân "
            "được đề nghị (2/4), dưới mức 60%. Căn cứ: 49/KH-UBND, mục III.1.b."
        )
    else:
        assert view.verdict.startswith("Danh sách đạt ưu tiên của quy tắc")


def test_the_tables_are_in_the_readers_language() -> None:
    sim, inputs = simulate({"favour": "staff", "min_share": 60})
    view = quota_fairness.view(sim, inputs, "en")
    assert view is not None
    assert view.summary == "4 individuals proposed out of 8 considered."
    (_, h1, positions_table), (_, h2, _kinds), (_, h3, districts) = view.tables
    assert (h1, h2, h3) == ("By position", "By unit kind", "By district")
    assert positions_table.rows() == [
        ("Leaders of the body", "2", "50.0%", "3", "37.5%"),
        ("Heads of sections and offices", "0", "0.0%", "1", "12.5%"),
        ("Staff doing the work", "2", "50.0%", "4", "50.0%"),
    ]
    assert districts.rows()[-1][0] == "Under no district (departments; communes from 01/07/2025)"
    assert [r[0] for r in districts.rows()[:2]] == ["Huyện Hai", "Huyện Một"]


def test_no_individuals_rule_no_section() -> None:
    sc = scenario(rule())
    res = run(sc, "2024", units=[], results=[])
    assert fairness.fairness(res, Inputs.of()) is None


def test_the_quota_page_shows_who_is_proposed(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Biên's preset on the demo, 2023: the page shows the section, the verdict the engine gives on the
    same database, and the three tables with their headers in Vietnamese."""
    from streamlit.testing.v1 import AppTest

    db = copy_db(demo_db, tmp_path)
    monkeypatch.setenv("PARBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["year"] = "2023"
    at.query_params["preset"] = "an-bien-2020"
    at.run()
    at.switch_page("screens/quota.py").run()
    assert not at.exception, [e.value for e in at.exception]
    scope = quota.Scope.year(2023)
    inputs = quota.load_inputs(Published(db), scope)
    expected = quota_fairness.view(quota.simulate(presets.load("an-bien-2020"), inputs, scope), inputs, "vi")
    assert expected is not None
    assert any(t("quota.fairness.title", "vi") in s.value for s in at.subheader)
    shown = [w.value for w in [*at.warning, *at.info]]
    assert expected.verdict in shown
    assert expected.verdict.startswith(("Danh sách lệch", "Danh sách đạt"))  # An Biên states a preference
    headers = [c for df in at.dataframe for c in df.value.columns]
    assert headers.count(t("quota.fairness.col.proposed_pct", "vi")) == 3
    labels = [tab.label for tab in at.tabs]  # the page's own tabs, then the fairness section's, nested in one
    fairness = ["Theo chức vụ", "Theo loại đơn vị", "Theo huyện"]
    assert any(labels[i : i + 3] == fairness for i in range(len(labels))), labels


def test_the_award_annex_says_who_the_awards_go_to() -> None:
    import io

    import openpyxl

    from exports import award_annex

    sim, inputs = simulate({"favour": "staff", "min_share": 60, "source": "49/KH-UBND, mục III.1.b"})
    lines = quota_fairness.lines(sim, inputs, "vi")
    assert lines[0] == "Cân đối đối tượng được đề nghị (cá nhân)"
    assert lines[-1] == ("Người trực tiếp làm công tác: 2/4 người được đề nghị (50,0%); trong số được xét 4/8 (50,0%)")
    sheet = openpyxl.load_workbook(io.BytesIO(award_annex.to_xlsx(sim, "vi", fairness=lines))).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert lines[0] in cells
    assert f"• {lines[2]}" in cells and lines[2].startswith("Danh sách lệch khỏi ưu tiên")
    assert quota_fairness.lines(run(scenario(rule()), "2024", units=[], results=[]), Inputs.of(), "vi") == []


def test_nobody_proposed_says_so_and_shows_no_share_of_the_list() -> None:
    sim, inputs = simulate({"favour": "staff", "min_share": 50}, count=0)
    view = quota_fairness.view(sim, inputs, "en")
    assert view is not None and not view.warning
    assert view.verdict == "No individual is proposed: there are no shares to compare."
    _, _, table = view.tables[0]
    assert table.columns == ["Group", "Proposed", "Considered", "Share of those considered"]
    assert table.rows()[2] == ("Staff doing the work", "0", "4", "50.0%")
