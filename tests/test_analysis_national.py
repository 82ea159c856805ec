"""analysis.national on small frames written by hand: ranks of a partial year, movers, the 2025 break, the
internal-against-national gap and self-assessed against appraised points."""

from __future__ import annotations

import polars as pl

from analysis import national as nat
from core import indices

COLUMNS = ["index_code", "level", "year", "unit_code", "component_code", "component_name", "score", "rank", "sources"]


def claims(rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=COLUMNS, orient="row")


PCI = claims(
    [
        ("pci", "province", 2022, "22", "time_costs", "Chi phí thời gian", 7.89, 1, "a"),
        ("pci", "province", 2023, "22", "time_costs", "Chi phí thời gian", 8.54, None, "b"),
        ("pci", "province", 2023, "22", "time_costs", "Chi phí thời gian", 8.54, 1, "c"),
        ("pci", "province", 2022, "22", "business_support", "Hỗ trợ doanh nghiệp", 6.24, 1, "a"),
        ("pci", "province", 2023, "22", "business_support", "Hỗ trợ doanh nghiệp", 7.72, 2, "b"),
        ("pci", "province", 2023, "OLD-80", "time_costs", "Chi phí thời gian", 8.20, None, "b"),
    ]
)


def test_a_partial_year_shows_the_published_rank_from_any_source() -> None:
    year = nat.year_components(PCI, "pci", 2023, expected=63)
    qn = year.filter(pl.col("unit_code") == "22").sort("component_code")
    # 2 of 63 provinces: nothing is computed; the time-costs rank comes from the claim that gives it.
    assert qn.select("component_code", "score", "rank", "rank_basis").rows() == [
        ("business_support", 7.72, 2, "published"),
        ("time_costs", 8.54, 1, "published"),
    ]


def test_a_complete_year_computes_ranks_with_shared_ties() -> None:
    rows = claims(
        [
            ("papi", "province", 2023, u, "e_governance", "Quản trị điện tử", s, None, "x")
            for u, s in [("A", 4.1), ("B", 4.3), ("C", 4.1), ("D", 3.9)]
        ]
    )
    year = nat.year_components(rows, "papi", 2023, expected=4).sort("unit_code")
    assert year.select("unit_code", "rank", "rank_basis").rows() == [
        ("A", 2, "computed"),
        ("B", 1, "computed"),
        ("C", 2, "computed"),
        ("D", 4, "computed"),
    ]


def test_movers_put_the_largest_move_first() -> None:
    moved = nat.movers(PCI, "pci", "22", 2023)
    # Business support 7,72 - 6,24 = +1,48; time costs 8,54 - 7,89 = +0,65.
    assert moved.select("component_code", "change").rows() == [("business_support", 1.48), ("time_costs", 0.65)]


def test_the_series_marks_the_years_after_the_break() -> None:
    ranking = pl.DataFrame({"unit_code": ["22", "01"], "score": [92.0, 91.0], "rank": [1, 2]})
    series = nat.series([(2024, ranking), (2025, ranking.head(1))], "22", 2025)
    assert series.rows() == [(2024, 92.0, 1, 2, False), (2025, 92.0, 1, 1, True)]


def test_internal_results_near_excellent_while_the_province_ranks_low_are_flagged() -> None:
    internal = pl.DataFrame(
        {
            "year": [2023, 2023, 2023],
            "kind": ["department"] * 3,
            "component_code": ["LV3", "LV1", "LV9"],
            # The default framework's names: the registry's header forms place them on the national areas.
            "component_name": [
                "Cải cách thủ tục hành chính",
                "Công tác chỉ đạo, điều hành cải cách hành chính",
                "Điểm thưởng",
            ],
            "appraised_pct": [91.0, 80.0, 50.0],
            "self_pct": [95.0, 85.0, 50.0],
            "units": [20, 20, 20],
        }
    )
    national = pl.DataFrame(
        {
            "component_code": ["lv3_procedures", "lv1_direction"],
            "score": [11.2, 9.1],
            "rank": [60, 5],
            "units": [63, 63],
        }
    )
    high, low = indices.gap_rule()
    out = nat.internal_against_national(
        internal, national, lambda c, n: indices.national_area(c, n, 2023), high, low
    ).sort("component_code")
    # LV3: 91 % internally (≥ 85) and 60th of 63 (> 0,67 × 63 = 42,21): a gap. LV1: 80 %, 5th: none.
    # "Điểm thưởng" scores no national area: left out.
    assert out.select("component_code", "national_code", "national_rank", "gap").rows() == [
        ("LV1", "lv1_direction", 5, False),
        ("LV3", "lv3_procedures", 60, True),
    ]


def test_self_assessed_against_appraised_largest_gap_first() -> None:
    rows = pl.DataFrame(
        {
            "unit_code": ["S1", "S1", "S2"],
            "ordinal": [1, 3, 3],
            "self_points": [10.0, 14.0, 12.0],
            "appraised_points": [9.5, 11.1, 12.0],
            "max_points": [10.0, 14.5, 14.5],
        }
    ).with_columns((pl.col("self_points") - pl.col("appraised_points")).alias("gap"))
    out = nat.self_against_appraised(rows)
    # S1 area 3: 14 - 11,1 = 2,9 points, 2,9 / 14,5 = 20 % of the area; S1 area 1: 0,5 = 5 %.
    assert out.select("unit_code", "ordinal", "gap_pct").rows() == [("S1", 3, 20.0), ("S1", 1, 5.0), ("S2", 3, 0.0)]


def test_regions_cover_the_63_and_place_merged_codes() -> None:
    assert indices.region_of("22") == "dong_bang_song_hong"
    assert indices.region_of("OLD-80") == "dong_bang_song_cuu_long"
    assert indices.region_name("tay_nguyen") == "Tây Nguyên"


def test_the_regions_file_places_each_of_the_63_former_provinces_once() -> None:
    import yaml

    from core.paths import DATA

    regions = yaml.safe_load((DATA / "reference" / "regions.yaml").read_text(encoding="utf-8"))["regions"]
    codes = [c for body in regions.values() for c in body["codes"]]
    assert len(codes) == len(set(codes)) == 63
