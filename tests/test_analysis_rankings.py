"""Rankings: ties share a rank, missing years and the 2025 reorganisation, and the official index as published."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from analysis import official, rankings
from store.queries import Published

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference" / "par_index_published_facts.csv"


def _scores(rows: list[tuple[str, int, float | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={"unit_code": pl.String, "year": pl.Int32, "score": pl.Float64}, orient="row")


def test_ties_share_a_rank_and_the_next_rank_skips() -> None:
    ranked = rankings.rank_year(
        _scores([("A", 2024, 91.65), ("B", 2024, 88.0), ("C", 2024, 88.0), ("D", 2024, 70.5), ("E", 2024, 88.0)]),
        2024,
    )
    assert dict(zip(ranked["unit_code"], ranked["rank"], strict=True)) == {"A": 1, "B": 2, "C": 2, "E": 2, "D": 5}
    assert ranked["ranked"].to_list() == [5] * 5


def test_missing_scores_are_not_ranked() -> None:
    ranked = rankings.rank_year(_scores([("A", 2024, 80.0), ("B", 2024, None), ("C", 2024, 90.0)]), 2024)
    assert ranked["unit_code"].to_list() == ["C", "A"]
    assert ranked["rank"].to_list() == [1, 2]


def test_previous_year_changes_and_missing_years() -> None:
    scores = _scores(
        [
            ("A", 2022, 80.0),
            ("A", 2023, 85.5),
            ("B", 2022, 90.0),
            ("B", 2023, 84.25),
            ("C", 2021, 70.0),
            ("C", 2023, 60.0),  # no 2022 result
        ]
    )
    ranked = rankings.rank_year(scores, 2023).sort("unit_code")
    assert ranked["prev_rank"].to_list() == [2, 1, None]
    assert ranked["rank"].to_list() == [1, 2, 3]
    assert ranked["score_change"].to_list() == [5.5, -5.75, None]
    assert ranked["rank_change"].to_list() == [1, -1, None]  # + is a gain of places


def test_units_that_began_or_ended_in_2025() -> None:
    units = pl.DataFrame(
        {
            "unit_code": ["OLD1", "OLD2", "NEW", "KEPT", "GAP"],
            "valid_from": [None, None, dt.date(2025, 7, 1), None, None],
            "valid_to": [dt.date(2025, 6, 30), dt.date(2025, 6, 30), None, None, None],
        }
    )
    lineage = pl.DataFrame(
        {
            "unit_code": ["NEW", "NEW"],
            "predecessor_code": ["OLD1", "OLD2"],
            "effective_date": [dt.date(2025, 7, 1)] * 2,
        }
    )
    scores = _scores(
        [
            ("OLD1", 2024, 80.0),
            ("OLD2", 2024, 90.0),
            ("KEPT", 2024, 75.0),
            ("GAP", 2023, 70.0),
            ("NEW", 2025, 86.0),
            ("KEPT", 2025, 77.0),
            ("GAP", 2025, 72.0),
        ]
    )
    ranked = rankings.change_status(rankings.rank_year(scores, 2025), units, lineage, 2025)
    status = dict(zip(ranked["unit_code"], ranked["change_status"], strict=True))
    assert status == {"NEW": rankings.NEW_UNIT, "KEPT": rankings.COMPARED, "GAP": rankings.NO_PREVIOUS}
    # The units that ended are not in 2025's ranking at all, and the new unit is not compared with them.
    assert set(ranked["unit_code"]) == {"NEW", "KEPT", "GAP"}
    assert ranked.filter(pl.col("unit_code") == "NEW")["score_change"].to_list() == [None]
    risers, fallers = rankings.movers(ranked)
    assert risers["unit_code"].to_list() == ["KEPT"]
    assert fallers.is_empty()


def _published_facts(year: int) -> list[dict[str, str]]:
    with open(REFERENCE, encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["year"] == str(year) and r["level"] == "province"]


def test_published_2023_top_five_reproduced_exactly(demo_db: Path) -> None:
    facts = sorted((r for r in _published_facts(2023) if r["rank"]), key=lambda r: int(r["rank"]))
    expected = [(r["unit"], int(r["rank"]), float(r["score_pct"])) for r in facts if int(r["rank"]) <= 5]
    assert [e[0] for e in expected] == ["Quảng Ninh", "Hải Phòng", "Hà Nội", "Bắc Giang", "Bà Rịa - Vũng Tàu"]

    table = official.ranking(Published(demo_db).query("official_results_all"), 2023, "province")
    top = table.filter(pl.col("rank") <= 5)
    assert list(zip(top["published_name"], top["rank"], top["score"], strict=True)) == expected
    # Hải Phòng's conflicting claim (91.81) is kept beside the figure most sources back, and flagged.
    hai_phong = table.filter(pl.col("published_name") == "Hải Phòng").row(0, named=True)
    assert hai_phong["conflict"] and hai_phong["other_scores"] == [91.81]
    assert not table["order_conflict"].any()


def test_2023_is_partial_and_the_published_rank_wins_over_the_score_order() -> None:
    claims = pl.DataFrame(
        {
            "index_code": ["par_index"] * 4,
            "year": [2023] * 4,
            "level": ["province"] * 4,
            "unit_code": ["P1", "P2", "P3", "P3"],
            "published_name": ["Một", "Hai", "Ba", "Ba"],
            "score": [90.0, 91.0, 80.0, 80.5],
            "rank": [1, 2, 3, 3],
            "source_count": [2, 2, 2, 1],
        }
    )
    table = official.ranking(claims, 2023)
    assert table["rank"].to_list() == [1, 2, 3]  # the published order, not the score order
    assert table["order_conflict"].to_list() == [True, True, False]
    assert table.filter(pl.col("unit_code") == "P3")["score"].to_list() == [80.0]  # backed by more sources
    assert official.coverage(claims, 2023).partial
    assert official.coverage(claims, 2023).expected == 63


@pytest.mark.parametrize(("year", "expected"), [(2024, 63), (2025, 34)])
def test_expected_provinces_follow_the_reorganisation(year: int, expected: int) -> None:
    empty = pl.DataFrame(
        schema={
            "index_code": pl.String,
            "year": pl.Int32,
            "level": pl.String,
            "unit_code": pl.String,
            "score": pl.Float64,
            "rank": pl.Int32,
        }
    )
    assert official.coverage(empty, year).expected == expected
