"""The Rankings page's figures (services/rankings.py) without Streamlit, on the sample database: one ranking
with names, tiers and the change on the previous year, the filters a reader applies, the chart's rows and the
display table row for row with the ranking. The page itself runs in test_pages_leaders.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from services import published, rankings
from services.published import Base
from services.rankings import ALL, TOTAL
from store.queries import Published


@pytest.fixture(scope="module")
def b(sample_db: Path) -> Base:
    return published.read(Published(sample_db))


def test_a_ranking_carries_names_tiers_and_the_previous_year(b: Base) -> None:
    ranked = rankings.ranking(b, "department", 2024)
    rows = {r["unit_code"]: r for r in ranked.iter_rows(named=True)}
    assert ranked["unit_code"].to_list() == ["TST-S01", "TST-S02", "TST-S03", "TST-S04"]
    assert (rows["TST-S01"]["rank"], rows["TST-S01"]["prev_rank"], rows["TST-S01"]["score_change"]) == (1, 1, 1.45)
    assert rows["TST-S03"]["name"] == "Sở Tư pháp" and rows["TST-S03"]["parent_name"] == "Tỉnh Thử Nghiệm"
    assert (rows["TST-S04"]["tier"], rows["TST-S04"]["score_stage"]) == ("kha", "self_assessed")
    assert set(ranked["change_status"]) == {"compared"}


def test_the_page_offers_the_kinds_scored_then_the_official_levels(b: Base) -> None:
    assert rankings.kinds(b) == ["department", "commune", "province"]
    assert rankings.is_official("province") and not rankings.is_official("commune")
    assert list(rankings.component_options(b, "department", 2024)) == ["LV1", "LV2", "LV3"]
    assert rankings.max_points(b, "department", 2024, "LV3") == 20.0
    assert rankings.max_points(b, "department", 2024, TOTAL) is None
    assert rankings.measure_name("LV3", {"LV3": "Tác động"}, "vi") == "LV3. Tác động"


def test_filters_keep_the_display_table_row_for_row(b: Base) -> None:
    ranked = rankings.ranking(b, "department", 2024)
    assert rankings.tiers_present(ranked) == ["xuat_sac", "tot", "kha"]  # best first, as vocab.yaml lists them
    assert rankings.parents(ranked) == {"TST": "Tỉnh Thử Nghiệm"}
    table = rankings.ranking_table(ranked, "en")
    keep = rankings.mask(ranked, "tot", ALL)
    assert ranked.filter(keep)["unit_code"].to_list() == ["TST-S02", "TST-S03"]
    assert table.frame.filter(keep)["Unit"].to_list() == ranked.filter(keep)["name"].to_list()
    assert "Unit code" not in table.frame.columns  # a unit is read by its name: no code on the screen
    assert rankings.mask(ranked, ALL, "TST").all() and not rankings.mask(ranked, ALL, "OTHER").any()


def test_display_table_and_chart_rows_in_the_readers_language(b: Base) -> None:
    ranked = rankings.ranking(b, "department", 2024)
    table = rankings.ranking_table(ranked, "vi")
    first = table.frame.row(0, named=True)
    assert (first["Điểm"], first["Xếp loại"]) == ("93,10", "Xuất sắc")
    assert "Điểm" in table.numeric
    assert "Xếp loại" not in rankings.ranking_table(ranked, "vi", with_tier=False).frame.columns
    chart = rankings.chart_rows(ranked, 2, "vi", with_parent=True, total=True)
    assert chart["label"].to_list() == ["1. Sở Nội vụ · Tỉnh Thử Nghiệm", "2. Sở Tài chính · Tỉnh Thử Nghiệm"]
    assert chart["score_text"].to_list() == ["93,10", "88,00"]
    by_component = rankings.chart_rows(ranked, 2, "vi", with_parent=False, total=False)
    assert by_component["label"][0] == "1. Sở Nội vụ" and by_component["tier"].is_null().all()


def test_the_official_index_is_charted_as_published(b: Base) -> None:
    assert rankings.official_years(b, "province") == [2023, 2024]
    table, cov = rankings.official_ranking(b, 2023, "province")
    assert (cov.units, cov.expected, cov.partial) == (2, 63, True)
    chart = rankings.official_chart_rows(table, "en")
    assert chart["label"].to_list() == ["2. Hải Phòng"]  # An Giang has a rank but no score
    shown = rankings.official_table(table, "en").frame
    assert shown["Rank"].to_list() == ["2", "63"]
