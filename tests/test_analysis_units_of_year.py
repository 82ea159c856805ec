"""The units of a year: a hand-built register across the 2025 reorganisation with counts written by hand, and
property tests over generated registers with merges and splits (the counts, the quota bases and the award
lists only ever hold units that exist on the reference date; awards never exceed the cap)."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quota_helpers import group, result, rule, run, scenario, unit

from analysis import units_of_year as uoy
from analysis.quota import explain
from analysis.quota.select import AWARDED

END_OLD, START_NEW = date(2025, 6, 30), date(2025, 7, 1)


def _register(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "unit_code": pl.String,
            "name": pl.String,
            "kind": pl.String,
            "subkind": pl.String,
            "parent_code": pl.String,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
        },
    )


# A province, written by hand: two departments (unchanged); two districts and five communes that ended on
# 30/06/2025; X6, a commune created on 01/01/2023 that also ended on 30/06/2025; three new communes from
# 01/07/2025: N1 = X1 + X2 (merge), N2 = X3 + part of X5, N3 = X4 + X6 + part of X5 (X5 split).
HAND = _register(
    [
        unit("D1", "department"),
        unit("D2", "department"),
        unit("H1", "district", valid_to=END_OLD),
        unit("H2", "district", valid_to=END_OLD),
        *[unit(f"X{i}", valid_to=END_OLD) for i in range(1, 6)],
        unit("X6", valid_from=date(2023, 1, 1), valid_to=END_OLD),
        *[unit(f"N{i}", valid_from=START_NEW) for i in range(1, 4)],
    ]
)
LINEAGE = pl.DataFrame(
    {
        "unit_code": ["N1", "N1", "N2", "N2", "N3", "N3", "N3"],
        "predecessor_code": ["X1", "X2", "X3", "X5", "X4", "X5", "X6"],
    }
)

# (departments, districts, communes) on 31 December of each year, counted by hand from the rows above.
BY_HAND = {
    2021: (2, 2, 5),
    2022: (2, 2, 5),
    2023: (2, 2, 6),
    2024: (2, 2, 6),
    2025: (2, 0, 3),
    **{y: (2, 0, 3) for y in range(2026, 2031)},
}


def test_hand_register_counts_every_year() -> None:
    for year, (departments, districts, communes) in BY_HAND.items():
        assert uoy.of_year(HAND, year, kinds="department").height == departments, year
        assert uoy.of_year(HAND, year, kinds="district").height == districts, year
        assert uoy.of_year(HAND, year, kinds="commune").height == communes, year
        assert uoy.of_year(HAND, year).height == departments + districts + communes, year


def test_2025_counts_the_new_units_and_summarises_the_former() -> None:
    split = uoy.split(HAND, 2025)
    assert split.on == date(2025, 12, 31)
    assert split.codes == {"D1", "D2", "N1", "N2", "N3"}
    # 2 districts + 6 communes ended on 30/06/2025: one line, not a list.
    assert split.changes() == [uoy.Change(True, END_OLD, 8)]
    communes = uoy.split(HAND, 2025, kinds="commune")
    assert communes.count == 3 and communes.changes() == [uoy.Change(True, END_OLD, 6)]


def test_a_stated_reference_date_takes_the_units_of_that_day() -> None:
    # On a decision date of 30/06/2025 the former units still exist; the new ones have not begun.
    split = uoy.split(HAND, 2025, on=(6, 30))
    assert split.on == END_OLD
    assert split.codes == {"D1", "D2", "H1", "H2", "X1", "X2", "X3", "X4", "X5", "X6"}
    assert split.changes() == [uoy.Change(False, START_NEW, 3)]
    assert uoy.of_year(HAND, 2025, on=(7, 1), kinds="commune")["unit_code"].to_list() == ["N1", "N2", "N3"]


def test_eras_break_at_the_reorganisation_and_ended_units_are_marked() -> None:
    assert [uoy.era(y) for y in (2021, 2024, 2025, 2030)] == [0, 0, 1, 1]
    assert uoy.era(2025, (6, 30)) == 0  # the day before the reorganisation (core.programme)
    ended = uoy.ended_in_year(HAND, 2025)
    assert sorted(ended["unit_code"].to_list()) == ["H1", "H2", "X1", "X2", "X3", "X4", "X5", "X6"]
    assert uoy.ended_in_year(HAND, 2024).is_empty()
    assert not uoy.exists_at_start(HAND, "X5", date(2025, 12, 31))
    assert uoy.exists_at_start(HAND, "N2", date(2025, 12, 31))


def test_a_quota_on_the_hand_register() -> None:
    # Every unit that existed in 2025 has a 2025 result; "at most 50 %" of the communes of 2025:
    # 50 % × 3 = 1,5 → 1 (the six former communes are not in the base, whatever their scores).
    results = [result(c, 2025, 99 - i) for i, c in enumerate(["X1", "X2", "X3", "X4", "X5", "X6"])]
    results += [result("N1", 2025, 80), result("N2", 2025, 85), result("N3", 2025, 70)]
    sc = scenario(rule(groups=[group(percent=50, base="all", rounding="floor")]))
    g = run(sc, "2025", units=HAND.to_dicts(), results=results).group_results()[0]
    assert g.quota.base == 3 and g.quota.seats == 1
    assert g.awarded["id"].to_list() == ["N2"]
    assert g.excluded.is_empty()
    assert explain.base_lines(g, "vi") == [
        "50 % của 3 xã, phường tồn tại ngày 31/12/2025 = 1,5 → 1",
        "6 đơn vị cũ kết thúc ngày 30/06/2025, không tính",
    ]
    assert explain.base_statement(g, "en") == "50 % of the 3 communes and wards existing on 2025-12-31 = 1.5 → 1"


# ---- generated registers ------------------------------------------------------------------------------------

DAY0 = date(2019, 1, 1)


@st.composite
def registers(draw: st.DrawFn) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """Departments with random lives; former communes ending 30/06/2025; new communes from 01/07/2025, each
    from a non-empty set of former ones (a merge), a former commune sometimes shared (a split); and a few
    communes with other change dates."""
    rows = []
    for i in range(draw(st.integers(0, 5))):
        start = draw(st.none() | st.integers(0, 4000).map(lambda d: DAY0 + timedelta(d)))
        length = draw(st.none() | st.integers(0, 4000))
        end = None if length is None else (start or DAY0) + timedelta(length)
        rows.append(unit(f"D{i}", "department", valid_from=start, valid_to=end))
    old = [f"X{i}" for i in range(draw(st.integers(1, 14)))]
    rows += [unit(c, valid_to=END_OLD) for c in old]
    links: list[tuple[str, str]] = []
    n_new = draw(st.integers(1, len(old)))
    for j in range(n_new):
        rows.append(unit(f"N{j}", valid_from=START_NEW))
    for c in old:  # every former commune goes to one new commune, or is split over two
        targets = draw(st.lists(st.integers(0, n_new - 1), min_size=1, max_size=2, unique=True))
        links += [(f"N{t}", c) for t in targets]
    for k in range(draw(st.integers(0, 3))):
        start = DAY0 + timedelta(draw(st.integers(0, 4000)))
        rows.append(unit(f"Y{k}", valid_from=start, valid_to=start + timedelta(draw(st.integers(0, 2000)))))
    return _register(rows), links


def _exists(row: dict[str, Any], day: date) -> bool:
    return (row["valid_from"] is None or row["valid_from"] <= day) and (
        row["valid_to"] is None or row["valid_to"] >= day
    )


ref_days = st.none() | st.tuples(st.integers(1, 12), st.integers(1, 28))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), ref_days)
def test_every_count_is_the_units_existing_on_the_reference_date(
    reg: tuple[pl.DataFrame, list[tuple[str, str]]], on: tuple[int, int] | None
) -> None:
    units, _ = reg
    for year in range(2021, 2031):
        day = uoy.reference_date(year, on)
        expected = {r["unit_code"] for r in units.to_dicts() if _exists(r, day)}
        assert uoy.codes(units, year, on) == expected
        split = uoy.split(units, year, on)
        assert split.count == len(expected)
        assert sum(c.count for c in split.changes()) == split.not_counted.height
        assert not (set(split.not_counted["unit_code"].to_list()) & expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    registers(),
    st.integers(1, 100),
    st.sampled_from(["all", "eligible"]),
    st.sampled_from(["admit_all", "admit_none", "flag"]),
    st.none() | st.sampled_from(["06-30", "07-01", "12-31"]),
    st.data(),
)
def test_quota_bases_and_award_lists_hold_only_units_of_the_year(
    reg: tuple[pl.DataFrame, list[tuple[str, str]]],
    percent: int,
    base: str,
    at_cutoff: str,
    reference: str | None,
    data: st.DataObject,
) -> None:
    units, _ = reg
    rows = units.to_dicts()
    for year in (2024, 2025, 2026):
        # Every unit that existed at some time in the year is scored, on a coarse scale so ties happen.
        alive = [
            r for r in rows if _exists(r, date(year, 12, 31)) or _exists(r, date(year, 1, 1)) or _exists(r, END_OLD)
        ]
        scores = data.draw(st.lists(st.integers(60, 70), min_size=len(alive), max_size=len(alive)))
        results = [result(r["unit_code"], year, float(s)) for r, s in zip(alive, scores, strict=True)]
        fields: dict[str, Any] = {"at_cutoff": at_cutoff}
        if reference:
            fields["reference_date"] = reference
        sc = scenario(rule(groups=[group(kinds=["commune", "department"], percent=percent, base=base)], **fields))
        g = run(sc, str(year), units=rows, results=results).group_results()[0]
        month, day = map(int, (reference or "12-31").split("-"))
        existing = {r["unit_code"] for r in rows if _exists(r, date(year, month, day))}
        assert g.reference == date(year, month, day)
        assert g.units_counted == len(existing)
        assert set(g.ranked["id"].to_list()) <= existing
        assert set(g.excluded["id"].to_list()) <= existing
        assert set(g.awarded["id"].to_list()) <= existing
        if base == "all":
            assert g.quota.base == len(existing)
            assert g.quota.seats == math.floor(percent * len(existing) / 100)
        plain = g.ranked.filter(pl.col("status") == "awarded").height
        admitted = g.ranked.filter(pl.col("status") == "tie_admitted").height
        assert plain <= g.quota.seats
        assert g.awarded.height <= g.quota.seats + (admitted if at_cutoff == "admit_all" else 0)
        assert set(g.awarded["status"].to_list()) <= set(AWARDED)
