"""The Map page on the real server in Chromium: both levels, both languages, on the demo and on an `init`
database, with no request to any host but the server's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from cli.main import main
from core.i18n import t

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
CHART = "[data-testid='stPlotlyChart'] .main-svg"


@pytest.fixture(scope="module")
def init_server(start_server: Callable[[Path], Server], tmp_path_factory: pytest.TempPathFactory) -> Server:
    db = tmp_path_factory.mktemp("init-map") / "parboard.duckdb"
    assert main(["init", "--province", "Cà Mau", "--db", str(db)]) == 0
    return start_server(db)


@pytest.fixture(scope="module")
def demo_map_server(start_server: Callable[[Path], Server], demo_db: Path) -> Server:
    return start_server(demo_db)


def _open(page: Page, url: str, lang: str) -> None:
    page.goto(url)
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(t("maps.title", lang))
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def _filled_shapes(page: Page) -> int:
    expect(page.locator(CHART).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.locator("[data-testid='stPlotlyChart'] g.trace").first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    # one filled path per province (Plotly draws a scatter's fill as path.js-fill)
    return page.locator("[data-testid='stPlotlyChart'] g.cartesianlayer path.js-fill").count()


def _points(page: Page) -> int:
    return page.locator("[data-testid='stPlotlyChart'] g.cartesianlayer g.points path.point").count()


def test_map_levels_and_languages_on_init_and_demo_fetch_nothing_elsewhere(
    page: Page, init_server: Server, demo_map_server: Server
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for name, server in (("init", init_server), ("demo", demo_map_server)):
        for lang in ("vi", "en"):
            suffix = "" if lang == "vi" else "&lang=en"
            _open(page, f"{server.url}/map?level=province&year=2023&measure=par_index.score{suffix}", lang)
            assert _filled_shapes(page) == 63
            expect(page.get_by_text(t("maps.class.q1", lang)).first).to_be_attached()
            screenshot(page, f"map-{name}-province-2023-{lang}")
            _open(page, f"{server.url}/map?level=province&year=2025{suffix}", lang)
            assert _filled_shapes(page) == 34
            _open(page, f"{server.url}/map?level=commune&year=2025{suffix}", lang)
            if name == "init":
                _filled_shapes(page)
                # Cà Mau's 64 communes and wards, plus nothing else drawn as a point
                assert _points(page) == 64
                screenshot(page, f"map-{name}-commune-2025-{lang}")
                _open(page, f"{server.url}/map?level=commune&year=2024{suffix}", lang)
                _filled_shapes(page)
                assert _points(page) == 164
            else:
                # the demo's invented communes have no location: said, not drawn
                expect(page.get_by_text(t("maps.no_home", lang))).to_be_visible()
    hosts = {urlparse(u).hostname for u in requested if urlparse(u).scheme in ("http", "https", "ws", "wss")}
    assert hosts <= {"127.0.0.1"}, sorted(hosts)


def test_a_click_on_a_commune_offers_its_profile(page: Page, init_server: Server) -> None:
    _open(page, f"{init_server.url}/map?level=commune&year=2025", "vi")
    _filled_shapes(page)
    point = page.locator("[data-testid='stPlotlyChart'] g.cartesianlayer g.points path.point").first
    box = point.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.locator("g.hovertext").first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link = page.locator("[data-testid='stPageLink'] a", has_text="Mở hồ sơ")
    expect(link).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    href = link.get_attribute("href") or ""
    assert href.startswith("profile?kind=commune&unit=") and not href.endswith("unit="), href
    screenshot(page, "map-init-commune-2025-clicked")


def test_a_click_on_a_province_offers_its_place_in_the_national_ranking(page: Page, init_server: Server) -> None:
    _open(page, f"{init_server.url}/map?level=province&year=2023&measure=par_index.score&lang=en", "en")
    _filled_shapes(page)
    # the last trace holds one point per province, carrying its code
    point = page.locator("[data-testid='stPlotlyChart'] g.cartesianlayer g.trace.scatter").last.locator("path.point")
    expect(point).to_have_count(63)
    box = point.first.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    link = page.locator("[data-testid='stPageLink'] a", has_text="national index ranking of 2023")
    expect(link).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert (link.get_attribute("href") or "") == "rankings?kind=province&year=2023&lang=en"


def test_map_on_a_phone(page: Page, init_server: Server) -> None:
    url = f"{init_server.url}/map?level=province&year=2023&measure=par_index.grp"
    page.set_viewport_size({"width": 390, "height": 844})
    _open(page, url, "vi")
    assert _filled_shapes(page) == 63
    screenshot(page, "map-init-province-2023-phone")
    page.set_viewport_size({"width": 1440, "height": 900})
    _open(page, url, "vi")
    _filled_shapes(page)
    screenshot(page, "map-init-province-2023-group")
