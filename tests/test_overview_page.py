"""The Overview page: its figures (services/overview.py) without Streamlit on the sample database, and its
internal charts in tabs that run only when open: each tab, when open, shows its figure."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t
from services import overview, published, rankings
from services.published import Base
from store.queries import Published

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TABS_KEY = "overview-internal"


def _chart_titles(monkeypatch: pytest.MonkeyPatch, db: Path, open_tab: str | None) -> str:
    monkeypatch.setenv("PARBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["year"] = "2024"
    if open_tab is not None:
        at.session_state[TABS_KEY] = open_tab  # the reader clicked that tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    titles = " ".join(json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart"))
    return titles.replace("<br>", " ")  # long titles are wrapped to a phone's chart


def test_only_the_open_tab_runs_and_each_shows_its_chart(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    tiers, averages = t("overview.tiers_title", "vi", year=2024), t("overview.avg_title", "vi")
    first_view = _chart_titles(monkeypatch, demo_db, None)
    assert tiers in first_view and averages not in first_view
    opened = _chart_titles(monkeypatch, demo_db, averages)
    assert averages in opened and tiers not in opened


@pytest.fixture(scope="module")
def b(sample_db: Path) -> Base:
    return published.read(Published(sample_db))


def test_years_and_the_official_index_without_a_home_province(b: Base) -> None:
    assert overview.years(b) == [2023, 2024]
    assert overview.default_year(b) == 2024
    official = overview.official(b, 2024, "en")
    assert not official.home  # the sample names no province: the country's leader leads
    cards = {c.label: c for c in official.cards}
    assert (cards["Top of the country"].value, cards["Top of the country"].note) == ("Hải Phòng", "96.17 points")
    assert (cards["Provinces with figures"].value, cards["Provinces with figures"].note) == (
        "1/63",
        "Partial: not every province",
    )
    assert official.trend.rows() == [(2023, 91.87, 2, True, "Hải Phòng"), (2024, 96.17, 1, True, "Hải Phòng")]
    assert official.trend_source is not None and "2023–2024" in official.trend_source


def test_kind_cards_compare_with_the_year_before(b: Base) -> None:
    cards = {c.label: c for c in overview.kind_cards(b, 2024, "en")}
    # Departments: mean of 93.1, 88, 81.75, 72 = 83.71; in 2023, of 91.65, 84.5, 77.25, 69 = 80.6
    assert (cards["Departments"].value, cards["Departments"].note) == ("83.71", "4 units · +3.11 on previous year")
    assert cards["Communes"].note == "3 units · – on previous year"  # no commune scored in 2023
    assert overview.kind_lines(b).filter(pl.col("kind") == "department")["value"].to_list() == [80.6, 83.71]
    counts = overview.tier_counts(b, 2024, "en")
    assert counts.filter(pl.col("kind") == "department").select("tier", "units", "group").rows() == [
        ("xuat_sac", 1, "Departments"),
        ("tot", 2, "Departments"),
        ("kha", 1, "Departments"),
    ]


def test_movers_and_findings(b: Base) -> None:
    assert overview.mover_kinds(b, 2024) == ["department", "commune"]
    movers = overview.movers(rankings.ranking(b, "department", 2024), "en", n=2)
    assert movers.rows() == [
        ("Sở Tư pháp · Tỉnh Thử Nghiệm", 4.5, "+4.50"),
        ("Sở Tài chính · Tỉnh Thử Nghiệm", 3.5, "+3.50"),
    ]
    assert overview.units_with_findings(b, 2024).is_empty()
    flagged = pl.DataFrame(
        {
            "unit_code": ["TST-S01"],
            "name": [None],
            "kind": ["department"],
            "findings": [2],
            "message_vi": ["Thiếu điểm"],
            "message_en": ["Score missing"],
        },
        schema_overrides={"name": pl.String, "findings": pl.UInt32},
    )
    table = overview.findings_table(flagged, "en")
    assert table.frame.rows() == [("TST-S01", "Departments", "2", "Score missing")]
    assert table.numeric == ("Warnings",)


def test_the_shared_frames_of_a_version(b: Base, empty_db: Path) -> None:
    assert b.kinds() == ["department", "commune"]  # districts have no score in the sample
    assert (b.scored, b.synthetic, b.version) == (True, True, 1)
    assert b.dataset_name.startswith("Tỉnh Thử Nghiệm")
    assert b.years("commune") == [2024]
    assert b.unit("TST-X01") is not None and b.unit("NOPE") is None
    empty = published.read(Published(empty_db))
    assert empty.empty and not empty.scored and overview.default_year(empty) is None
    assert {"severity", "unit_code", "year", "message_vi", "message_en"} <= set(published.open_findings(b.db).columns)


def test_the_glance_names_best_worst_and_movers_with_their_change(b: Base) -> None:
    # Departments 2024: 93.10, 88, 81.75, 72 (2023: 91.65, 84.5, 77.25, 69); see test_kind_cards above
    g = overview.glance_of(b, "department", 2024, "vi")
    assert g is not None
    assert (g.name, g.mean, g.delta, g.units) == ("Sở, ban, ngành", "83,71", "+3,11", 4)
    assert g.best == overview.Standing("TST-S01", "Sở Nội vụ", "93,10", "+1,45")
    assert g.worst == overview.Standing("TST-S04", "Sở Lao động - Thương binh và Xã hội", "72,00", "+3,00")
    assert g.riser == overview.Standing("TST-S03", "Sở Tư pháp", "81,75", "+4,50")
    assert g.faller is None  # every department rose
    assert g.tiers == [("Xuất sắc", 1), ("Tốt", 2), ("Khá", 1)]
    communes = overview.glance_of(b, "commune", 2024, "en")
    assert communes is not None and (communes.delta, communes.best.change, communes.riser) == ("–", "", None)
    assert overview.glance_of(b, "district", 2024, "vi") is None  # no district scored


def test_the_overview_counts_warnings_about_the_provinces_own_data_once() -> None:
    findings = pl.DataFrame(
        {
            "table_name": ["official_result", "official_summary", "unit_result", "unit_result", "unit_score"],
            "unit_code": [None, None, "TST-S01", "TST-S01", None],
            "year": [2024, 2024, 2024, 2023, None],
            "severity": ["warning"] * 5,
            "message_vi": ["a", "b", "c", "d", "e"],
            "message_en": ["a", "b", "c", "d", "e"],
        },
        schema_overrides={"unit_code": pl.String, "year": pl.Int64},
    )
    own = overview.own_findings(findings, 2024)
    # The national figures' gaps are not the province's; 2023's finding is not 2024's; a yearless one is
    assert own["message_en"].to_list() == ["c", "e"]


def test_overview_warning_line_and_links_on_the_demo(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    monkeypatch.setenv("PARBOARD_DB", str(demo_db))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["year"] = "2024"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    b = published.read(Published(demo_db))
    own = overview.own_findings(published.open_findings(b.db), 2024)
    # One number: the line at the top and the quality section agree (the demo's 2024 findings are national)
    assert own.is_empty()
    assert [s.value for s in at.success] == [t("overview.warnings_none", "vi")]
    assert not any("cảnh báo chất lượng chưa xử lý" in w.value for w in at.warning)
    assert t("overview.no_findings", "vi") in [c.value for c in at.caption]
    links = {(p.proto.page, p.proto.query_string) for p in at.get("page_link")}
    best = b.results.filter((pl.col("year") == 2024) & (pl.col("kind") == "department")).sort("total")
    assert ("profile", f"kind=department&unit={best['unit_code'][-1]}") in links  # the best, a click away
    assert ("profile", f"kind=department&unit={best['unit_code'][0]}") in links  # and the worst
    assert ("rankings", "kind=department&year=2024") in links
