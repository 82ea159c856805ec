"""The cost of an award list: count × multiplier × the base salary in force on the decision date, per award
form and recipient; worked out by hand for each preset's list on the demo, across the decree change of
01/07/2025 and the base salary changes, and said to be incomplete — never 0 — when a multiplier is missing.

The multipliers of Nghị định 98/2023 and 152/2025 were not found in the decrees' text, so the shipped table
leaves them to fill in; the tests below fill them in as a reader would (the scenario's `cost.multipliers`),
with figures chosen for the test, not claimed to be the decree's."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from quota_helpers import group, result, rule, run, scenario, unit

from analysis import quota
from analysis.quota import cost as list_cost
from analysis.quota import cost_words, presets
from exports import award_annex
from exports.report import awards
from exports.report.content import ReportTable
from exports.report.scope import Scope as ReportScope
from store.queries import Published

# What a reader fills in where the decree's text was not found (test figures).
FILLED = {
    "giay_khen_ubnd_huyen": {"individual": 0.3, "collective": 0.6},
    "bang_khen_bo_tinh": {"individual": 1.0, "collective": 2.0},
    "chien_si_thi_dua_co_so": {"individual": 1.0},
    "tap_the_lao_dong_xuat_sac": {"collective": 1.5},
}


def _simulate(db: Path, data: dict[str, Any], scope_text: str) -> quota.SimulationResult:
    scope = quota.Scope.parse(scope_text)
    return quota.simulate(quota.parse(data), quota.load_inputs(Published(db), scope), scope)


def _filled(name: str, **cost: Any) -> dict[str, Any]:
    data = presets.raw(name)
    data["cost"] = {"multipliers": FILLED, **cost}
    return data


def test_the_shipped_table_leaves_unfound_multipliers_to_fill_and_says_the_cost_is_incomplete(demo_db: Path) -> None:
    res = _simulate(demo_db, presets.raw("nga-nam-2022"), "2024")
    cost = list_cost.cost(res)
    # 3 collective + 3 individual Giấy khen, decided on the reference date 31/12/2024 (Nghị định 98/2023).
    assert [(c.rule_id, c.count, c.decree.number if c.decree else None) for c in cost.lines] == [
        ("yearly-collective", 3, "98/2023/NĐ-CP"),
        ("yearly-individual", 3, "98/2023/NĐ-CP"),
    ]
    assert [c.missing for c in cost.lines] == ["to_fill", "to_fill"]
    assert [c.subtotal for c in cost.lines] == [None, None]
    assert not cost.complete and cost.total == 0
    text = cost_words.summary(cost, "vi")
    assert text == "Chưa tính được kinh phí: 2 dòng chưa có mức thưởng (lý do ghi ở từng dòng)."
    assert cost_words.total_text(cost, "vi") == "chưa có mức thưởng"  # never "0 đ"
    assert cost_words.missing_lines(cost, "vi")[1].startswith(
        "Giấy khen của Chủ tịch UBND cấp huyện (cá nhân): chưa tra được hệ số trong văn bản Nghị định 98/2023/NĐ-CP"
    )
    table = cost_words.table(cost, "vi")
    assert table["Thành tiền"].to_list() == ["chưa có mức thưởng", "chưa có mức thưởng"]
    assert table["Căn cứ"][0].startswith("chưa tra được hệ số trong văn bản Nghị định 98/2023/NĐ-CP")


# (preset, scope) → per line (rule, count, amount of one award, subtotal) and the total, by hand:
# base salary 2,340,000 đ on 31/12/2024 and on 31/12/2025 (Nghị định 73/2024, until 30/06/2026);
# 0.3 × 2,340,000 = 702,000; 0.6 × 2,340,000 = 1,404,000; 1.0 × = 2,340,000; 2.0 × = 4,680,000;
# 1.5 × 2,340,000 = 3,510,000. Neither Nghị định 98/2023 nor 152/2025 rounds (no rounding found in the text).
HAND = {
    ("nga-nam-2022", "2024"): (
        # 1 department + 2 communes; 3 people
        [("yearly-collective", 3, 1_404_000, 4_212_000), ("yearly-individual", 3, 702_000, 2_106_000)],
        6_318_000,  # 4,212,000 + 2,106,000
    ),
    ("nga-nam-2022", "2025"): (
        [("yearly-collective", 3, 1_404_000, 4_212_000), ("yearly-individual", 3, 702_000, 2_106_000)],
        6_318_000,
    ),
    ("an-bien-2020", "2024"): (
        # 20 % of the units: 20 collectives; 3 people (3 more tied for the council are not in the list)
        [("collective", 20, 1_404_000, 28_080_000), ("individual", 3, 702_000, 2_106_000)],
        30_186_000,  # 28,080,000 + 2,106,000
    ),
    ("an-bien-2020", "2025"): (
        # 11 collectives × 1,404,000 = 15,444,000; 46 people × 702,000 = 32,292,000
        [("collective", 11, 1_404_000, 15_444_000), ("individual", 46, 702_000, 32_292_000)],
        47_736_000,
    ),
    ("ha-tinh-2022", "2024"): (
        [
            ("ttld-xuat-sac", 3, 3_510_000, 10_530_000),  # 3 × 1.5 × 2,340,000
            ("bang-khen-tap-the", 3, 4_680_000, 14_040_000),  # 3 × 2.0 × 2,340,000
            ("chien-si-thi-dua", 13, 2_340_000, 30_420_000),  # 13 × 1.0 × 2,340,000
            ("bang-khen-ca-nhan", 15, 2_340_000, 35_100_000),  # 15 × 1.0 × 2,340,000
        ],
        90_090_000,  # 10,530,000 + 14,040,000 + 30,420,000 + 35,100,000
    ),
    ("ha-tinh-2022", "2025"): (
        [
            ("ttld-xuat-sac", 3, 3_510_000, 10_530_000),
            ("bang-khen-tap-the", 3, 4_680_000, 14_040_000),
            ("chien-si-thi-dua", 12, 2_340_000, 28_080_000),  # 12 × 2,340,000
            ("bang-khen-ca-nhan", 15, 2_340_000, 35_100_000),
        ],
        87_750_000,  # 10,530,000 + 14,040,000 + 28,080,000 + 35,100,000
    ),
    ("tt02-2024", "2024"): (
        [("ttld-xuat-sac", 21, 3_510_000, 73_710_000)],  # 3 departments + 1 district + 17 communes
        73_710_000,
    ),
    ("tt02-2024", "2025"): (
        [("ttld-xuat-sac", 14, 3_510_000, 49_140_000)],  # 3 departments + 11 communes (no district after 07/2025)
        49_140_000,
    ),
}


@pytest.mark.parametrize(("name", "year"), sorted(HAND))
def test_each_preset_list_costs_what_the_hand_arithmetic_says(demo_db: Path, name: str, year: str) -> None:
    res = _simulate(demo_db, _filled(name), year)
    cost = list_cost.cost(res)
    lines, total = HAND[(name, year)]
    assert [(c.rule_id, c.count, c.each, c.subtotal) for c in cost.lines] == lines
    assert cost.complete and cost.total == total
    decree = "98/2023/NĐ-CP" if year == "2024" else "152/2025/NĐ-CP"
    assert {(c.decree.number if c.decree else "", c.salary.amount if c.salary else 0) for c in cost.lines} == {
        (decree, 2_340_000)
    }
    assert all(c.filled_in for c in cost.lines)


def test_the_decree_in_force_on_the_decision_date_applies(demo_db: Path) -> None:
    # Made-up multipliers that differ between the decrees, so the boundary shows in the amounts.
    amounts = list_cost.parse_amounts(
        {
            "base_salary": [{"from": "2024-07-01", "amount": 2_340_000, "decree": "73/2024/NĐ-CP"}],
            "decrees": [
                {"id": "nd98-2023", "number": "98/2023/NĐ-CP", "from": "2024-01-01"},
                {"id": "nd152-2025", "number": "152/2025/NĐ-CP", "from": "2025-07-01"},
            ],
            "forms": [
                {
                    "id": "giay_khen_ubnd_huyen",
                    "name": {"vi": "Giấy khen"},
                    "multipliers": {
                        "nd98-2023": {"individual": {"value": 0.3, "article": "Điều X"}, "collective": 0.6},
                        "nd152-2025": {"individual": {"value": 0.5, "article": "Điều Y"}, "collective": 1.0},
                    },
                }
            ],
        }
    )
    costs = {}
    for day in ("2025-06-30", "2025-07-01"):
        data = presets.raw("nga-nam-2022")
        data["cost"] = {"decision_date": day}
        costs[day] = list_cost.cost(_simulate(demo_db, data, "2025"), amounts)
    before, after = costs["2025-06-30"], costs["2025-07-01"]
    assert {c.decree.number for c in before.lines if c.decree} == {"98/2023/NĐ-CP"}
    assert {c.decree.number for c in after.lines if c.decree} == {"152/2025/NĐ-CP"}
    # 30/06/2025: 3 × 0.6 × 2,340,000 = 4,212,000 and 3 × 0.3 × 2,340,000 = 2,106,000 → 6,318,000
    assert [c.subtotal for c in before.lines] == [4_212_000, 2_106_000] and before.total == 6_318_000
    # 01/07/2025: 3 × 1.0 × 2,340,000 = 7,020,000 and 3 × 0.5 × 2,340,000 = 3,510,000 → 10,530,000
    assert [c.subtotal for c in after.lines] == [7_020_000, 3_510_000] and after.total == 10_530_000
    assert cost_words.basis(after.lines[1], "vi") == (
        "Hệ số theo Nghị định 152/2025/NĐ-CP, Điều Y; "
        "lương cơ sở theo Nghị định 73/2024/NĐ-CP (ngày quyết định 01/07/2025)"
    )


def test_the_base_salary_in_force_on_the_decision_date_applies(demo_db: Path) -> None:
    amounts = list_cost.load_amounts()
    assert [amounts.salary_on(date.fromisoformat(d)).amount for d in ("2023-06-30", "2023-07-01")] == [  # type: ignore[union-attr]
        1_490_000,
        1_800_000,
    ]
    assert [amounts.salary_on(date.fromisoformat(d)).amount for d in ("2026-06-30", "2026-07-01")] == [  # type: ignore[union-attr]
        2_340_000,
        2_530_000,
    ]
    totals = {}
    for day in ("2024-06-30", "2024-07-01"):
        res = _simulate(demo_db, _filled("nga-nam-2022", decision_date=day), "2024")
        totals[day] = [c.subtotal for c in list_cost.cost(res).lines]
    # 30/06/2024: 1,800,000 đ → 3 × 0.6 × 1,800,000 = 3,240,000; 3 × 0.3 × 1,800,000 = 1,620,000
    assert totals["2024-06-30"] == [3_240_000, 1_620_000]
    # 01/07/2024: 2,340,000 đ → 4,212,000 and 2,106,000
    assert totals["2024-07-01"] == [4_212_000, 2_106_000]


def test_the_2017_decree_figures_found_in_its_text_round_up_to_ten_thousand(demo_db: Path) -> None:
    # Nghị định 91/2017 (in force until 31/12/2023), Điều 73: a commune chairman's Giấy khen is 0.15 × the base
    # salary for a person, twice that for a collective; Điều 68 khoản 2: rounded up to the ten thousand đồng.
    data = presets.raw("nga-nam-2022")
    for r in data["rules"]:
        r["award"]["form"] = "giay_khen_ubnd_xa"
    cost = list_cost.cost(_simulate(demo_db, data, "2022"))
    assert {(c.decree.number if c.decree else "", c.salary.amount if c.salary else 0) for c in cost.lines} == {
        ("91/2017/NĐ-CP", 1_490_000)
    }
    # collective: 0.3 × 1,490,000 = 447,000 → 450,000; × 3 = 1,350,000
    # individual: 0.15 × 1,490,000 = 223,500 → 230,000; × 3 = 690,000
    assert [(c.count, c.each, c.subtotal) for c in cost.lines] == [(3, 450_000, 1_350_000), (3, 230_000, 690_000)]
    assert cost.complete and cost.total == 2_040_000
    assert not any(c.filled_in for c in cost.lines)
    assert cost_words.summary(cost, "vi") == "Tổng kinh phí: 2.040.000 đ cho 6 suất khen thưởng."
    assert cost_words.summary(cost, "en") == "Total cost: 2,040,000 VND for 6 awards."
    assert "Làm tròn lên bội số 10.000 đ theo Nghị định 91/2017/NĐ-CP, Điều 68, khoản 2." in cost_words.basis(
        cost.lines[1], "vi"
    )


def test_one_missing_multiplier_makes_the_cost_incomplete_not_smaller() -> None:
    units = [unit("A"), unit("B"), unit("S", "department")]
    results = [result("A", 2024, 95), result("B", 2024, 90), result("S", 2024, 80)]
    sc = scenario(
        rule("c", groups=[group(count=2)], award={"kind": "giay_khen", "form": "giay_khen_ubnd_huyen", "label": "GK"}),
        rule(
            "t",
            groups=[group("d", ["department"], count=1)],
            award={"kind": "title", "form": "tap_the_lao_dong_xuat_sac", "label": "TTLĐXS"},
        ),
        cost={"decision_date": "2024-12-31", "multipliers": {"giay_khen_ubnd_huyen": {"collective": 0.6}}},
    )
    cost = list_cost.cost(run(sc, units=units, results=results))
    # 2 × 0.6 × 2,340,000 = 2,808,000 is known; the title's multiplier is not: the total is not the cost.
    assert [(c.count, c.subtotal, c.missing) for c in cost.lines] == [(2, 2_808_000, None), (1, None, "to_fill")]
    assert not cost.complete and cost.total == 2_808_000
    assert cost_words.summary(cost, "vi") == (
        "Chưa tính đủ kinh phí: 1 dòng chưa có mức thưởng. Tổng 2.808.000 đ chỉ gồm các dòng đã có mức; "
        "đây không phải tổng kinh phí."
    )
    assert cost_words.total_label(cost, "vi") == "Tổng kinh phí (chưa đủ)"
    # A rule naming no award form is priced as missing too, never as 0.
    sc2 = scenario(rule("c", groups=[group(count=2)]))
    (line,) = list_cost.cost(run(sc2, units=units, results=results)).lines
    assert (line.count, line.missing) == (2, "no_form")


def test_a_wrong_cost_block_is_told_field_by_field() -> None:
    errors = quota.validate(
        {
            **presets.raw("nga-nam-2022"),
            "cost": {"decision_date": "31/12/2024", "multipliers": {"giay_khen_ubnd_huyen": {"individual": "x"}}},
        }
    )
    assert [(e.path, e.code) for e in errors] == [
        ("cost.decision_date", "bad_date"),
        ("cost.multipliers.giay_khen_ubnd_huyen.individual", "not_a_number"),
    ]


def test_the_comparison_states_the_cost_difference(demo_db: Path) -> None:
    nga_nam = list_cost.cost(_simulate(demo_db, _filled("nga-nam-2022"), "2024"))
    tt02 = list_cost.cost(_simulate(demo_db, _filled("tt02-2024"), "2024"))
    # 73,710,000 − 6,318,000 = 67,392,000
    assert cost_words.difference(nga_nam, tt02, "Ngã Năm", "vi") == (
        "Chênh lệch kinh phí so với Ngã Năm: +67.392.000 đ (73.710.000 đ so với 6.318.000 đ)."
    )
    assert cost_words.difference(tt02, nga_nam, "TT02", "en").startswith(
        "Cost difference against TT02: −67,392,000 VND"
    )
    shipped = list_cost.cost(_simulate(demo_db, presets.raw("tt02-2024"), "2024"))
    assert cost_words.difference(nga_nam, shipped, "Ngã Năm", "vi").startswith("Chưa so được kinh phí với Ngã Năm")


def test_the_annex_carries_the_cost(demo_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "annex.xlsx"
    path.write_bytes(award_annex.to_xlsx(_simulate(demo_db, _filled("nga-nam-2022"), "2024"), "vi", version=1))
    cells = [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    # The award list's rows are the only numbered ones, per section: 1 department, 2 communes, 3 people.
    assert [row[0] for row in cells if isinstance(row[0], int)] == [1, 1, 2, 1, 2, 3]
    at = next(i for i, row in enumerate(cells) if row[0] == "KINH PHÍ KHEN THƯỞNG")
    assert cells[at + 1][:4] == [None, "Hình thức khen thưởng", "Số lượng × Hệ số × Mức lương cơ sở", "Thành tiền"]
    assert cells[at + 2][:4] == [
        None,
        "Giấy khen của Chủ tịch UBND cấp huyện (tập thể)",
        "3 × 0,6 × 2.340.000 đ",
        "4.212.000 đ",
    ]
    assert cells[at + 3][:4] == [
        None,
        "Giấy khen của Chủ tịch UBND cấp huyện (cá nhân)",
        "3 × 0,3 × 2.340.000 đ",
        "2.106.000 đ",
    ]
    assert cells[at + 4][1:4] == ["Tổng kinh phí", "6", "6.318.000 đ"]
    assert cells[at + 5][0] == "Tổng kinh phí: 6.318.000 đ cho 6 suất khen thưởng."
    # With the shipped table the annex says the cost is incomplete, row by row.
    path.write_bytes(award_annex.to_xlsx(_simulate(demo_db, presets.raw("nga-nam-2022"), "2024"), "vi"))
    cells = [list(row) for row in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    at = next(i for i, row in enumerate(cells) if row[0] == "KINH PHÍ KHEN THƯỞNG")
    assert cells[at + 2][3] == "chưa có mức thưởng"
    assert cells[at + 4][1:4] == ["Tổng kinh phí (chưa đủ)", "6", "chưa có mức thưởng"]
    assert cells[at + 5][0].startswith("Chưa tính được kinh phí: 2 dòng")


def test_the_report_carries_the_cost(demo_db: Path) -> None:
    section = awards.section(Published(demo_db), ReportScope(2024, 2024), "vi", "ha-tinh-2022")
    (table,) = [b for b in section.blocks if isinstance(b, ReportTable) and b.name == "kinh-phi-khen-thuong"]
    assert table.frame.columns == [
        "Hình thức khen thưởng",
        "Đối tượng",
        "Số lượng",
        "Hệ số",
        "Mức lương cơ sở",
        "Mức thưởng mỗi suất",
        "Thành tiền",
        "Căn cứ",
    ]
    assert table.frame["Số lượng"].to_list() == ["3", "3", "13", "15"]
    texts = [b for b in section.blocks if isinstance(b, str)]
    assert any(s.startswith("Chưa tính được kinh phí: 4 dòng chưa có mức thưởng") for s in texts)


def test_every_preset_rule_names_a_form_the_table_prices_and_the_table_is_dated() -> None:
    amounts = list_cost.load_amounts()
    for name in presets.names():
        for r in presets.load(name).rules:
            assert r.award_form in amounts.forms, (name, r.id)
            form = amounts.forms[r.award_form]
            # every decree of the table says something (a figure or "to fill in") for this recipient
            assert all(r.recipient in form.multipliers[d.id] for d in amounts.decrees), (name, r.id)
    assert [d.number for d in amounts.decrees] == ["91/2017/NĐ-CP", "98/2023/NĐ-CP", "152/2025/NĐ-CP"]
    assert [amounts.decree_on(date.fromisoformat(d)).number for d in ("2023-12-31", "2024-01-01")] == [  # type: ignore[union-attr]
        "91/2017/NĐ-CP",
        "98/2023/NĐ-CP",
    ]
    # before the first base salary the table knows, a list cannot be priced
    assert amounts.salary_on(date(2019, 6, 30)) is None
