"""Histories across the 2025 reorganisation as the reader chooses them: a small register, lineage and scores
written by hand, and the rebuilt series each rule of data/rules/reviews.yaml gives, computed by hand here.

Communes (all years 2021–2024 scored by hand; the former units end 30/06/2025, the new ones begin 01/07/2025):
    A 80, B 90 (B has no score in 2023)  → N1 (merge)     mean 85 each year, 80 in 2023 (1 of 2 found)
    S 70 split between N2 and N3; C 60   → N2 ← S: 70;  N3 ← S, C: 65
    N4 has no predecessor                → no rebuilt years
Provinces: P ← OP1 (score 80; 3 communes: 2 under district OD1, 1 under OD2) and OP2 (score 90; 1 commune).
    mean 85; commune-weighted (80·3 + 90·1) / 4 = 82.5; population-weighted (1 M and 3 M): (80 + 270) / 4 = 87.5
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis import lineage as lin
from analysis import official as off
from analysis import reviews as rev
from core import programme

END, START = date(2025, 6, 30), date(2025, 7, 1)
OLD_YEARS = [2021, 2022, 2023, 2024]


def _unit(code: str, kind: str, parent: str | None, old: bool | None) -> dict[str, object]:
    return {
        "unit_code": code,
        "name": code,
        "kind": kind,
        "parent_code": parent,
        "parent_name": parent,
        "valid_from": START if old is False else None,
        "valid_to": END if old else None,
    }


UNITS = pl.DataFrame(
    [
        *(_unit(c, "commune", None, True) for c in ("A", "B", "S", "C")),
        *(_unit(c, "commune", None, False) for c in ("N1", "N2", "N3", "N4")),
        _unit("OP1", "province", None, True),
        _unit("OP2", "province", None, True),
        _unit("P", "province", None, False),
        _unit("OD1", "district", "OP1", True),
        _unit("OD2", "district", "OP1", True),
        _unit("X1", "commune", "OD1", True),
        _unit("X2", "commune", "OD1", True),
        _unit("X3", "commune", "OD2", True),
        _unit("X4", "commune", "OP2", True),
        # a commune that had already ended before the eve of the merger does not count for OP2
        {**_unit("X5", "commune", "OP2", True), "valid_to": date(2023, 12, 31)},
    ],
    schema_overrides={"valid_from": pl.Date, "valid_to": pl.Date},
)
LINEAGE = pl.DataFrame(
    {
        "unit_code": ["N1", "N1", "N2", "N3", "N3", "P", "P"],
        "predecessor_code": ["A", "B", "S", "S", "C", "OP1", "OP2"],
        "effective_date": [START] * 7,
        "relation": ["merge", "merge", "split", "split", "merge", "merge", "merge"],
    }
)


def _scores(rows: dict[str, float], years: list[int]) -> list[dict[str, object]]:
    return [{"unit_code": u, "year": y, "score": s} for u, s in rows.items() for y in years]


SCORES = pl.DataFrame(
    [
        *_scores({"A": 80.0, "S": 70.0, "C": 60.0}, OLD_YEARS),
        *_scores({"B": 90.0}, [2021, 2022, 2024]),
        *_scores({"N1": 88.0, "N2": 75.0, "N3": 71.0, "N4": 90.0}, [2025]),
    ]
)
PROVINCES = pl.DataFrame([*_scores({"OP1": 80.0, "OP2": 90.0}, OLD_YEARS), *_scores({"P": 86.0}, [2025])])


def _series(frame: pl.DataFrame, code: str) -> dict[int, float]:
    return dict(frame.filter(pl.col("unit_code") == code).select("year", "score").iter_rows())


def test_the_rules_and_their_default_are_data() -> None:
    assert programme.reconstruction_method() == "mean_of_predecessors"
    assert lin.rules() == {
        "mean_of_predecessors": "equal",
        "population_weighted": "population",
        "commune_weighted": "communes",
        "none": None,
    }


def test_mean_of_predecessors_by_hand_merge_split_and_no_predecessor() -> None:
    rebuilt = lin.reconstruct(SCORES, LINEAGE, ["N1", "N2", "N3", "N4"], "mean_of_predecessors")
    assert _series(rebuilt, "N1") == {2021: 85.0, 2022: 85.0, 2023: 80.0, 2024: 85.0}
    found = dict(rebuilt.filter(pl.col("unit_code") == "N1").select("year", "predecessors_found").iter_rows())
    assert found == {2021: 2, 2022: 2, 2023: 1, 2024: 2}  # 2023: B has no score, said so
    assert _series(rebuilt, "N2") == dict.fromkeys(OLD_YEARS, 70.0)  # the split unit counts in full for each
    assert _series(rebuilt, "N3") == dict.fromkeys(OLD_YEARS, 65.0)
    assert _series(rebuilt, "N4") == {}
    assert rebuilt["reconstructed"].all()
    # a unit's own years are never replaced
    assert 2025 not in _series(rebuilt, "N1")


def test_rule_none_rebuilds_nothing() -> None:
    history = lin.with_history(SCORES, LINEAGE, ["N1", "N3"], "none")
    assert not history["reconstructed"].any()
    assert _series(history, "N1") == {2025: 88.0}


def test_commune_and_population_weights_by_hand() -> None:
    assert _series(lin.reconstruct(PROVINCES, LINEAGE, ["P"], "mean_of_predecessors", UNITS), "P") == dict.fromkeys(
        OLD_YEARS, 85.0
    )
    counts = dict(lin.commune_counts(UNITS, LINEAGE).iter_rows())
    assert counts == {"OP1": 3.0, "OP2": 1.0}  # X5 ended in 2023: not under OP2 on 30/06/2025
    by_communes = lin.reconstruct(PROVINCES, LINEAGE, ["P"], "commune_weighted", UNITS)
    assert _series(by_communes, "P") == dict.fromkeys(OLD_YEARS, 82.5)
    with_population = UNITS.with_columns(
        pl.when(pl.col("unit_code") == "OP1")
        .then(1_000_000)
        .when(pl.col("unit_code") == "OP2")
        .then(3_000_000)
        .alias("population")
    )
    by_people = lin.reconstruct(PROVINCES, LINEAGE, ["P"], "population_weighted", with_population)
    assert _series(by_people, "P") == dict.fromkeys(OLD_YEARS, 87.5)


def test_only_the_rules_the_register_supports_are_offered() -> None:
    # No population column; provinces' predecessors have communes, communes' predecessors have none.
    assert lin.offered(UNITS, LINEAGE, ["P"]) == ["mean_of_predecessors", "commune_weighted", "none"]
    assert lin.offered(UNITS, LINEAGE, ["N1", "N3"]) == ["mean_of_predecessors", "none"]
    with pytest.raises(ValueError, match="population_weighted"):
        lin.reconstruct(PROVINCES, LINEAGE, ["P"], "population_weighted", UNITS)


def test_a_merged_unit_is_never_ranked_against_its_predecessors_whatever_the_rule() -> None:
    results = SCORES.rename({"score": "total"}).with_columns(
        pl.lit("commune").alias("kind"),
        pl.lit(None, pl.String).alias("tier"),
        pl.lit(None, pl.Int32).alias("tier_rank"),
    )
    bands = pl.DataFrame(
        schema={
            "unit_kind": pl.String,
            "year": pl.Int64,
            "tier": pl.String,
            "tier_rank": pl.Int32,
            "lower_bound": pl.Float64,
            "lower_inclusive": pl.Boolean,
            "upper_bound": pl.Float64,
            "upper_inclusive": pl.Boolean,
        }
    )
    for rule in ("mean_of_predecessors", "none"):
        summary = rev.period_summary(results, UNITS, LINEAGE, bands, "commune", 2021, 2025, rule=rule)
        ranked = summary.filter(pl.col("period_rank").is_not_null())["unit_code"].to_list()
        assert sorted(ranked) == ["N1", "N2", "N3", "N4"]
        assert set(summary.filter(pl.col("status") == rev.ENDED)["unit_code"]) == {"A", "B", "S", "C"}
    mean = rev.period_summary(results, UNITS, LINEAGE, bands, "commune", 2021, 2025)
    n1 = mean.filter(pl.col("unit_code") == "N1").row(0, named=True)
    assert n1["years_reconstructed"] == 4 and n1["period_mean"] == round((85 * 3 + 80 + 88) / 5, 2)
    none = rev.period_summary(results, UNITS, LINEAGE, bands, "commune", 2021, 2025, rule="none")
    assert none.filter(pl.col("unit_code") == "N1").row(0, named=True)["period_mean"] == 88.0


def test_official_series_of_a_new_province_rebuilt_from_the_former_provinces_published_scores() -> None:
    claims = [
        ("OP1", 2023, 80.0, 30),
        ("OP2", 2023, 90.0, 5),
        ("OP1", 2024, 82.0, 28),  # OP2's 2024 score not published in text
        ("P", 2025, 86.0, 10),
    ]
    official = pl.DataFrame(
        [
            {
                "index_code": "par_index",
                "level": "province",
                "year": y,
                "unit_code": u,
                "published_name": u,
                "score": s,
                "rank": r,
                "source_count": 1,
            }
            for u, y, s, r in claims
        ]
    )
    series = off.rebuilt_trend(official, LINEAGE, ["P"], "mean_of_predecessors", UNITS)
    rows = {r["year"]: r for r in series.iter_rows(named=True)}
    assert {y: r["score"] for y, r in rows.items()} == {2023: 85.0, 2024: 82.0, 2025: 86.0}
    assert [rows[y]["reconstructed"] for y in (2023, 2024, 2025)] == [True, True, False]
    assert (rows[2024]["predecessors_found"], rows[2024]["predecessors"]) == (1, 2)
    none = off.rebuilt_trend(official, LINEAGE, ["P"], "none", UNITS)
    assert none.select("year", "score").rows() == [(2025, 86.0)]
