"""Reviews across the 2025 reorganisation, reconstructed histories, progress and the projection to 2030."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl
import pytest

from analysis import lineage, progress, projection, reviews

OLD = dt.date(2025, 6, 30)
NEW = dt.date(2025, 7, 1)

# Two old communes merge into N1; X3 is renamed N2; the district H1 is abolished; N3 begins in 2030.
UNITS = pl.DataFrame(
    {
        "unit_code": ["X1", "X2", "X3", "N1", "N2", "N3"],
        "name": ["Xã Một", "Xã Hai", "Xã Ba", "Xã Mới", "Phường Ba", "Đặc khu"],
        "kind": ["commune"] * 6,
        "parent_name": [None] * 6,
        "valid_from": [None, None, None, NEW, NEW, dt.date(2030, 1, 1)],
        "valid_to": [OLD, OLD, OLD, None, None, None],
    }
)
LINEAGE = pl.DataFrame(
    {
        "unit_code": ["N1", "N1", "N2"],
        "predecessor_code": ["X1", "X2", "X3"],
        "effective_date": [NEW] * 3,
        "relation": ["merge", "merge", "rename"],
    }
)
BANDS = pl.DataFrame(
    {
        "unit_kind": ["commune"] * 2 * 10,
        "year": [y for y in range(2021, 2031) for _ in range(2)],
        "tier": ["xuat_sac", "tot"] * 10,
        "tier_rank": [1, 2] * 10,
        "lower_bound": [90.0, None] * 10,
        "lower_inclusive": [True, True] * 10,
        "upper_bound": [None, 90.0] * 10,
        "upper_inclusive": [True, False] * 10,
    }
)


def _results() -> pl.DataFrame:
    rows = []
    for year in range(2021, 2025):
        rows += [("X1", year, 80.0 + year - 2021), ("X2", year, 90.0), ("X3", year, 95.0)]
    rows += [("N1", 2025, 92.0), ("N2", 2025, 88.0)]
    frame = pl.DataFrame(rows, schema={"unit_code": pl.String, "year": pl.Int32, "total": pl.Float64}, orient="row")
    return frame.with_columns(
        pl.lit("commune").alias("kind"),
        pl.when(pl.col("total") >= 90).then(pl.lit("xuat_sac")).otherwise(pl.lit("tot")).alias("tier"),
        pl.when(pl.col("total") >= 90).then(1).otherwise(2).alias("tier_rank"),
    )


def test_reconstructed_history_is_the_equal_weighted_mean_of_predecessors() -> None:
    scores = _results().select("unit_code", "year", pl.col("total").alias("score"))
    rebuilt = lineage.reconstruct(scores, LINEAGE).sort("unit_code", "year")
    n1 = rebuilt.filter(pl.col("unit_code") == "N1")
    assert n1["year"].to_list() == [2021, 2022, 2023, 2024]
    assert n1["score"].to_list() == [round((80.0 + d + 90.0) / 2, 2) for d in range(4)]
    assert n1["predecessors_found"].to_list() == [2] * 4
    assert rebuilt.filter(pl.col("unit_code") == "N2")["score"].to_list() == [95.0] * 4  # a rename: as is
    assert rebuilt["reconstructed"].all()
    # Never for a year the unit has its own result
    assert rebuilt.filter(pl.col("year") == 2025).is_empty()


def test_midterm_review_never_ranks_a_merged_unit_against_its_predecessors() -> None:
    summary = reviews.period_summary(_results(), UNITS, LINEAGE, BANDS, "commune", 2021, 2025)
    by_code = {r["unit_code"]: r for r in summary.iter_rows(named=True)}
    assert {c for c, r in by_code.items() if r["period_rank"] is not None} == {"N1", "N2"}
    assert all(by_code[c]["status"] == reviews.ENDED and by_code[c]["period_rank"] is None for c in ("X1", "X2", "X3"))

    n1 = by_code["N1"]
    history = [85.0, 85.5, 86.0, 86.5, 92.0]  # 4 reconstructed years and 2025
    assert n1["period_mean"] == round(sum(history) / 5, 2)
    assert (n1["first_score"], n1["latest_score"], n1["improvement"]) == (85.0, 92.0, 7.0)
    assert (n1["years_scored"], n1["years_reconstructed"]) == (5, 4)
    assert n1["years_top_tier"] == 1  # the reconstructed years (85–86.5) fall in "tốt" under the bands
    n2 = by_code["N2"]
    assert n2["period_mean"] == round((95.0 * 4 + 88.0) / 5, 2)
    assert n2["years_top_tier"] == 4
    assert (n2["period_rank"], n1["period_rank"]) == (1, 2)

    x1 = by_code["X1"]
    assert (x1["period_mean"], x1["improvement"], x1["years_scored"]) == (81.5, 3.0, 4)


def test_ties_share_the_period_rank() -> None:
    results = _results().with_columns(
        pl.when(pl.col("unit_code") == "N2").then(92.0).otherwise(pl.col("total")).alias("total")
    )
    plain = LINEAGE.filter(pl.col("unit_code") == "N0")  # no lineage: only own years count
    summary = reviews.period_summary(results, UNITS, plain, BANDS, "commune", 2025, 2025)
    assert summary.filter(pl.col("period_rank").is_not_null())["period_rank"].to_list() == [1, 1]


def test_improvement_uses_a_reconstructed_baseline_for_new_units() -> None:
    scores = _results().select("unit_code", "year", pl.col("total").alias("score"))
    imp = progress.improvement(scores, LINEAGE, 2025)
    row = imp.filter(pl.col("unit_code") == "N1").row(0, named=True)
    assert (row["baseline"], row["baseline_reconstructed"], row["change"]) == (85.0, True, 7.0)


def test_holding_back_sorts_by_points_lost() -> None:
    comps = pl.DataFrame(
        {
            "component_code": ["LV1", "LV2", "LV3"],
            "component_name": ["a", "b", "c"],
            "points": [9.0, 10.0, 12.0],
            "max_points": [10.0, 14.5, 16.0],
        }
    )
    medians = pl.DataFrame({"component_code": ["LV1", "LV2", "LV3"], "median_points": [8.0, 12.0, 12.0]})
    out = progress.holding_back(comps, medians)
    assert out["component_code"].to_list() == ["LV2", "LV3", "LV1"]
    assert out["lost"].to_list() == [4.5, 4.0, 1.0]
    assert out["vs_median"].to_list() == [-2.0, 0.0, 1.0]


def test_targets_against_results_and_projection() -> None:
    checks = progress.check_targets(
        {2024: (90.0, 3), 2025: (95.0, None), 2030: (97.0, None)}, {2024: (91.0, 2), 2025: (94.0, 5)}, {2030: 96.0}
    )
    assert [c.met for c in checks] == [True, False, None]
    assert checks[2].projected == 96.0


def test_projection_needs_three_points() -> None:
    result = projection.linear([2024, 2025], [80.0, 82.0])
    assert not result.made and result.reason == "too_few_points" and result.n == 2


def test_projection_line_and_prediction_interval() -> None:
    years = [2021, 2022, 2023, 2024, 2025]
    scores = [70.0, 72.5, 73.0, 76.0, 77.5]
    result = projection.linear(years, scores)
    slope, intercept = np.polyfit(years, scores, 1)
    assert result.slope == pytest.approx(slope, abs=1e-4)
    assert result.years == [2026, 2027, 2028, 2029, 2030]
    fitted, lower, upper = result.at(2030)
    assert fitted == pytest.approx(intercept + slope * 2030, abs=0.01)
    residuals = np.array(scores) - (intercept + slope * np.array(years))
    se = math.sqrt((residuals**2).sum() / 3)
    x = np.array(years, dtype=float)
    half = 3.182 * se * math.sqrt(1 + 1 / 5 + (2030 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    assert (lower, upper) == (pytest.approx(fitted - half, abs=0.01), pytest.approx(fitted + half, abs=0.01))
    # The interval widens the further the year is from the data
    widths = [u - lo for u, lo in zip(result.upper, result.lower, strict=True)]
    assert widths == sorted(widths)


def test_projection_is_clipped_to_the_scale_and_says_so() -> None:
    result = projection.linear([2023, 2024, 2025], [96.0, 98.0, 99.5])
    assert result.clipped
    assert max(result.upper) == 100.0
