"""The national indices page on the real server in Chromium, on an `init` database with a published PAR INDEX
annex by area loaded (the home province's rank per component, the national and regional averages, the chart of
score and rank over the years) and on the demo with a hand-written file of one province's areas (its own units
against the national areas, self against appraised); both languages; the view kept in the address; nothing
requested from another host."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from cli.main import main
from core.i18n import t

from .conftest import Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
FILES = Path(__file__).parent.parent / "fixtures" / "national" / "files"
ANNEX = FILES / "par_index_2023_linh_vuc.xlsx"
PARTIAL_2024 = FILES / "par_index_2024_linh_vuc_mot_phan.csv"
CHART = "[data-testid='stPlotlyChart']"


@pytest.fixture(scope="module")
def indices_server(start_server: Callable[[Path], Server], tmp_path_factory: pytest.TempPathFactory) -> Server:
    db = tmp_path_factory.mktemp("indices") / "p.duckdb"
    assert main(["init", "--province", "22", "--db", str(db)]) == 0
    assert main(["load", str(ANNEX), "--db", str(db)]) == 0
    return start_server(db)


def test_the_home_province_by_component_in_vietnamese(page: Page, indices_server: Server) -> None:
    page.goto(f"{indices_server.url}/indices")
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(t("indices.title", "vi"))
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    main_block = page.locator("[data-testid='stMain']")
    # Quảng Ninh 2023: 92,18, first of 63; LV3 13,60 first; national average of LV3 12,78 (worked out in
    # tests/test_national_components.py), its region's 12,73 (140,06 / 11).
    expect(main_block).to_contain_text("92,18")
    expect(main_block).to_contain_text("1/63")
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()
    # Dataframes draw on a canvas (numbers as "13,60"); their cells exist as a hidden grid behind it, numeric
    # columns holding the number itself.
    # LV8 13,68 is 35th: above it the pattern rows k = 6…36 (14,30 - 0,02 × (k - 6) > 13,68) and three literal
    # rows (Hà Nội 13,73, Bắc Giang 14,06, Bà Rịa - Vũng Tàu 13,93).
    for text in ("Cải cách thủ tục hành chính", "13.6", "12.78", "12.73", "35/63"):
        cell = page.locator(
            "[data-testid='stDataFrame'] td[role='gridcell']", has_text=re.compile(f"^{re.escape(text)}$")
        )
        expect(cell.first).to_be_attached()
    for word in ("Choose", "options", "par_index", "lv3_procedures"):
        expect(main_block).not_to_contain_text(word)
    screenshot(page, "indices-vi-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{indices_server.url}/indices")
    wait_ready(page, H1)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "indices-vi-390")


@pytest.fixture(scope="module")
def init_server(start_server: Callable[[Path], Server], tmp_path_factory: pytest.TempPathFactory) -> Server:
    """An `init` database as a province starts with it: the shipped reference figures only."""
    db = tmp_path_factory.mktemp("indices-init") / "p.duckdb"
    assert main(["init", "--province", "22", "--db", str(db)]) == 0
    return start_server(db)


def test_the_chart_and_the_address_in_english(page: Page, init_server: Server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{init_server.url}/indices?lang=en&index=par_index&year=2023&prov=22&peers=OLD-31,01")
    wait_ready(page, CHART)
    expect(page.locator(H1)).to_have_text(t("indices.title", "en"))
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    chart = page.locator(CHART).first
    expect(chart).to_contain_text(t("indices.national_avg", "en"))
    expect(chart).to_contain_text(t("indices.rank_axis", "en"))
    # The peers picked in the address are the peers chosen on the page.
    picked = page.locator("[data-testid='stMultiSelect']")
    expect(picked).to_contain_text("Hải Phòng")
    expect(picked).to_contain_text("Hà Nội")
    expect(page).to_have_url(re.compile(r"[?&]prov=22\b"))
    expect(page).to_have_url(re.compile(r"[?&]peers=OLD-31(,|%2C)01\b"))
    screenshot(page, "indices-en-1440")
    # PCI 2021 by sub-index (data/reference/national_index_components.csv, pcivietnam.vn): Quảng Ninh's market
    # entry 7,98, first; land access 7,39, 15th of the 63 provinces PCI ranks (a partial year: the published rank).
    page.goto(f"{init_server.url}/indices?lang=en&index=pci&year=2021&prov=22")
    wait_ready(page, "[data-testid='stDataFrame']")
    for text in ("7.98", "1/63", "15/63", "7.39"):
        cell = page.locator(
            "[data-testid='stDataFrame'] td[role='gridcell']", has_text=re.compile(f"^{re.escape(text)}$")
        )
        expect(cell.first).to_be_attached()
    hosts = {urlparse(u).hostname for u in requested if u.startswith("http")}
    assert hosts <= {"127.0.0.1"}, sorted(hosts)


@pytest.fixture(scope="module")
def demo_indices_server(
    start_server: Callable[[Path], Server], demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Server:
    db = tmp_path_factory.mktemp("indices-demo") / "p.duckdb"
    shutil.copy(demo_db, db)
    assert main(["load", str(PARTIAL_2024), "--db", str(db)]) == 0
    return start_server(db)


def test_the_demo_sets_its_own_units_beside_the_national_areas(page: Page, demo_indices_server: Server) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{demo_indices_server.url}/indices?index=par_index&year=2024&prov=OLD-87")
    wait_ready(page, H1)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    main_block = page.locator("[data-testid='stMain']")
    expect(main_block).to_contain_text(t("indices.internal", "vi", year=2024))
    expect(main_block).to_contain_text(t("indices.self", "vi", year=2024))
    # The file ranks Đồng Tháp 55th of 63 on LV5, where the demo's districts average 86,9 %: flagged in words.
    warnings = page.locator("[data-testid='stAlertContentWarning']")
    expect(warnings.filter(has_text="55/63")).to_have_count(1)
    expect(warnings.filter(has_text="86,9%")).to_have_count(1)
    for text in ("58/63", "Cải cách thủ tục hành chính"):
        cell = page.locator(
            "[data-testid='stDataFrame'] td[role='gridcell']", has_text=re.compile(f"^{re.escape(text)}$")
        )
        expect(cell.first).to_be_attached()
    for word in ("par_index", "lv3_procedures", "OLD-87", "None"):
        expect(main_block).not_to_contain_text(word)
    screenshot(page, "indices-demo-vi-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    wait_ready(page, H1)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "indices-demo-vi-390")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{demo_indices_server.url}/indices?lang=en&index=par_index&year=2024&prov=OLD-87")
    wait_ready(page, H1)
    expect(main_block).to_contain_text(t("indices.internal", "en", year=2024))
    expect(page.locator("[data-testid='stAlertContentWarning']").filter(has_text="55/63")).to_have_count(1)
    hosts = {urlparse(u).hostname for u in requested if u.startswith("http")}
    assert hosts <= {"127.0.0.1"}, sorted(hosts)
