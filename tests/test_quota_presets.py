"""Each preset on a small table whose award list was worked out by hand from the plan's text, and each
preset's citation checked against the plan it quotes."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from quota_helpers import awarded, group_result, result, run, unit

from analysis.quota import explain, presets

SEEDS = Path("/work/shared/seeds")
TT = "Tập thể lao động tiên tiến"
XS = "Tập thể lao động xuất sắc"


def test_the_presets_exist_and_cite_their_plans() -> None:
    assert presets.names() == ["an-bien-2020", "cstd-cap-tinh", "ha-tinh-2022", "nga-nam-2022", "tt02-2024"]
    expected = {
        "nga-nam-2022": ("50/KH-UBND", date(2022, 5, 23)),
        "an-bien-2020": ("49/KH-UBND", date(2020, 3, 30)),
        "ha-tinh-2022": ("05/KH-SNV", date(2022, 1, 28)),
        "tt02-2024": ("02/2024/TT-VKSTC", date(2024, 8, 12)),
        "cstd-cap-tinh": ("06/2022/QH15", date(2022, 6, 15)),
    }
    for name, (number, day) in expected.items():
        sc = presets.load(name)
        assert (sc.id, sc.plan.number, sc.plan.date) == (name, number, day)
        assert sc.plan.title and sc.plan.issuer and sc.plan.source
        for r in sc.rules:
            assert r.citation.section and r.citation.quote, (name, r.id)
            assert explain.citation(sc, r, "vi").startswith(f"Căn cứ: {number} ngày {day:%d/%m/%Y}")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", " ", "".join(c for c in text if not unicodedata.combining(c)).lower())


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source plans are kept outside the repository")
def test_the_quotes_are_in_the_plans() -> None:
    # The OCR'd plans lost their diacritics (and some letters): compare words without them, and require
    # most of each quote's words to appear in the plan.
    for name in ("nga-nam-2022", "an-bien-2020", "ha-tinh-2022"):
        sc = presets.load(name)
        plan = _fold((SEEDS.parent / sc.plan.source).read_text(encoding="utf-8"))
        for r in sc.rules:
            words = [w for w in _fold(r.citation.quote).split() if len(w) > 2]
            found = sum(w in plan for w in words)
            assert found >= 0.85 * len(words), (name, r.id, [w for w in words if w not in plan])


def test_nga_nam_yearly() -> None:
    # 1 department + 2 communes, all tasks done, no discipline; 3 individuals by their unit's result.
    units = [
        unit("S1", "department"),
        unit("S2", "department"),
        unit("S3", "department"),
        unit("X1"),
        unit("X2"),
        unit("X3"),
        unit("X4"),
    ]
    totals = {"S1": 92, "S2": 90, "S3": 85, "X1": 96, "X2": 94, "X3": 93, "X4": 91}
    tasks = [{"unit_code": c, "year": 2023, "completion_pct": 95.0 if c in ("S1", "X2") else 100.0} for c in totals]
    sanctions = [
        {
            "sanction_id": "c1",
            "subject_kind": "unit",
            "unit_code": "X1",
            "person_id": None,
            "kind": "complaint",
            "level": None,
            "start_date": date(2023, 10, 1),
            "end_date": date(2023, 12, 1),
        }
    ]
    persons = [
        {
            "person_id": f"P{c}",
            "full_name": f"Người {c}",
            "unit_code": c,
            "year": 2023,
            "title": None,
            "initiative": None,
        }
        for c in ("S2", "S3", "X3", "X4")
    ]
    res = run(
        presets.load("nga-nam-2022"),
        "2023",
        units=units,
        tasks=tasks,
        sanctions=sanctions,
        persons=persons,
        results=[result(c, 2023, t) for c, t in totals.items()],
    )
    # S1 did 95 %: S2 gets the department's certificate; X1 has a complaint, X2 did 95 %: X3 and X4.
    assert awarded(res, "yearly-collective", "departments") == ["S2"]
    assert awarded(res, "yearly-collective", "communes") == ["X3", "X4"]
    assert awarded(res, "yearly-individual") == ["PX3", "PX4", "PS2"]  # units' 93, 91, 90
    assert [r.rule.id for r in res.rules] == ["yearly-collective", "yearly-individual"]


def test_nga_nam_mid_term_review() -> None:
    # 2 departments + 3 communes on the mean of the period; the commune that ended in 2025 is out.
    units = [
        unit("S1", "department"),
        unit("S2", "department"),
        unit("S3", "department"),
        unit("X1"),
        unit("X2"),
        unit("X3"),
        unit("XE", valid_to=date(2025, 6, 30)),
        unit("XN", valid_from=date(2025, 7, 1)),
    ]
    rows = []
    for code, totals in {
        "S1": [80, 90],
        "S2": [70, 70],
        "S3": [88, 88],
        "X1": [90, 80],
        "X2": [60, 90],
        "X3": [70, 72],
        "XE": [99, 99],
    }.items():
        rows += [result(code, 2021, totals[0]), result(code, 2024, totals[1])]
    rows.append(result("XN", 2025, 75))
    tasks = [{"unit_code": r["unit_code"], "year": r["year"], "completion_pct": 100.0} for r in rows]
    res = run(presets.load("nga-nam-2022"), "2021-2025", units=units, results=rows, tasks=tasks)
    assert awarded(res, "midterm-collective", "departments") == ["S3", "S1"]  # 88, 85 (S2: 70)
    # X1 85, then X2 (60 → 90) and XN (75 in its only year) tie at 75 for the last two seats: both in.
    assert awarded(res, "midterm-collective", "communes") == ["X1", "X2", "XN"]
    g = group_result(res, "midterm-collective", "communes")
    # XE is not a unit of the review (it ended before 31/12/2025): summarised, not listed as an exclusion.
    assert g.excluded.filter(pl.col("id") == "XE").is_empty()
    assert explain.not_counted_lines(g, "vi") == ["1 đơn vị cũ kết thúc ngày 30/06/2025, không tính"]


def test_an_bien() -> None:
    # 10 communes: ≤ 20 % = 2 certificates among those registered by 31/07 and rated xuất sắc, highest first.
    codes = [f"X{i}" for i in range(10)]
    totals = [97, 96, 95, 94, 93, 85, 84, 83, 82, 81]
    units = [unit(c) for c in codes]
    results = [result(c, 2020, t, "xuat_sac" if t >= 90 else "tot") for c, t in zip(codes, totals, strict=True)]
    regs = [
        {
            "unit_code": c,
            "year": 2020,
            "registered_on": date(2020, 8, 2) if c == "X0" else date(2020, 7, 31),
            "title": None,
        }
        for c in codes
        if c != "X1"
    ]
    persons = [
        {
            "person_id": f"P{i}",
            "full_name": f"Người {i}",
            "unit_code": codes[i % 10],
            "year": 2020,
            "title": None,
            "initiative": None,
        }
        for i in range(15)
    ]
    res = run(presets.load("an-bien-2020"), "2020", units=units, results=results, registrations=regs, persons=persons)
    g = group_result(res, "collective", "one-stop-desks")
    assert (g.quota.seats, g.quota.base) == (2, 10)
    assert awarded(res, "collective") == ["X2", "X3"]  # X0 registered late, X1 did not register
    assert {(r[0], r[1]) for r in g.excluded.select("id", "filter").rows()} >= {
        ("X0", "registered_by"),
        ("X1", "registered_by"),
    }
    # Individuals: 20 % of 15 people = 3, from units rated xuất sắc (X0–X4), highest unit first.
    people = group_result(res, "individual", "individuals")
    assert (people.quota.seats, people.quota.base) == (3, 15)
    # P0 and P10 (X0, 97) take two seats; P1 and P11 (X1, 96) tie for the third: the council decides.
    assert people.ranked.head(4).select("id", "status").rows() == [
        ("P0", "awarded"),
        ("P10", "awarded"),
        ("P1", "tie_council"),
        ("P11", "tie_council"),
    ]
    assert set(people.ranked["unit_code"].to_list()) == {"X0", "X1", "X2", "X3", "X4"}


def test_ha_tinh() -> None:
    # 11 departments, 10 holding Tập thể lao động tiên tiến (or xuất sắc): 20 % of 10 = 2 titles xuất sắc;
    # 2–3 higher merits; 15 % of 20 people Chiến sĩ thi đua cơ sở = 3, only among Lao động tiên tiến.
    codes = [f"S{i:02d}" for i in range(11)]
    units = [unit(c, "department") for c in codes]
    results = [result(c, 2022, 90 - i) for i, c in enumerate(codes)]
    regs = [
        {"unit_code": c, "year": 2022, "registered_on": date(2022, 2, 1), "title": XS if i < 3 else TT}
        for i, c in enumerate(codes)
        if i != 0
    ]
    persons = [
        {
            "person_id": f"P{i:02d}",
            "full_name": f"Người {i}",
            "unit_code": codes[i // 2],
            "year": 2022,
            "title": "Lao động tiên tiến" if i not in (2, 3) else None,
            "initiative": None,
        }
        for i in range(20)
    ]
    res = run(presets.load("ha-tinh-2022"), "2022", units=units, results=results, registrations=regs, persons=persons)
    xs = group_result(res, "ttld-xuat-sac", "departments")
    assert (xs.quota.base, xs.quota.seats) == (10, 2)
    assert awarded(res, "ttld-xuat-sac") == ["S01", "S02"]  # S00 holds no title
    merit = group_result(res, "bang-khen-tap-the", "departments")
    assert awarded(res, "bang-khen-tap-the") == ["S00", "S01", "S02"]
    assert merit.awarded["optional"].to_list() == [False, False, True]  # the third seat of "2–3"
    cstd = group_result(res, "chien-si-thi-dua", "civil-servants")
    assert (cstd.quota.base, cstd.quota.seats) == (20, 3)
    # P00, P01 (S00, 90) then P04 and P05 (S02, 88) tie for the last seat: P02, P03 (S01) hold no title.
    assert cstd.ranked.head(4).select("id", "status").rows() == [
        ("P00", "awarded"),
        ("P01", "awarded"),
        ("P04", "tie_council"),
        ("P05", "tie_council"),
    ]


def test_tt02_at_least_one() -> None:
    # 3 departments holding the tiên tiến title: 20 % = 0.6, fewer than 1, so 1.
    units = [unit(c, "department") for c in ("S1", "S2", "S3", "S4")]
    results = [result("S1", 2024, 80), result("S2", 2024, 90), result("S3", 2024, 85), result("S4", 2024, 99)]
    regs = [{"unit_code": c, "year": 2024, "registered_on": date(2024, 2, 1), "title": TT} for c in ("S1", "S2", "S3")]
    res = run(presets.load("tt02-2024"), "2024", units=units, results=results, registrations=regs)
    g = group_result(res, "ttld-xuat-sac", "departments")
    assert (g.quota.base, g.quota.seats) == (3, 1)
    assert awarded(res) == ["S2"]  # S4 holds no title
    assert [n.code for n in group_result(res, "ttld-xuat-sac", "communes").notices] == ["empty_group"]


def test_raw_gives_a_fresh_copy_each_call() -> None:
    first = presets.raw("nga-nam-2022")
    first["id"] = "changed"
    first.setdefault("rules", []).clear()
    again = presets.raw("nga-nam-2022")
    assert again["id"] != "changed"
    assert again["rules"], "the parsed preset was changed through an earlier caller's copy"
    assert presets.load("nga-nam-2022").id == again["id"]
