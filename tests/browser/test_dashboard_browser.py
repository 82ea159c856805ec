"""The real server in Chromium: Vietnamese first, English by the switch, the choice kept in the URL."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from core.i18n import t

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
SWITCH = ".st-key-lang-switch"


def _title(lang: str) -> str:
    return t("dashboard.home.title", lang)


def _no_exception(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def _choose(page: Page, code: str) -> None:
    page.locator(SWITCH).get_by_role("radio", name=re.compile(f"^{code}$", re.IGNORECASE)).click()


def _active_language(page: Page) -> str:
    return page.locator(SWITCH).get_by_role("radio", checked=True).inner_text().strip().lower()


def _grid_cell(page: Page, text: str) -> None:
    """Dataframes draw on a canvas; their cells exist as a hidden grid behind it."""
    cell = page.locator("[data-testid='stDataFrame'] td[role='gridcell']", has_text=re.compile(f"^{re.escape(text)}$"))
    expect(cell.first).to_be_attached()


def test_home_in_vietnamese_then_english(page: Page, sample_server: Server) -> None:
    page.goto(f"{sample_server.url}/data")
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(_title("vi"))
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text("Đây là dữ liệu mẫu để trình diễn")).to_be_visible()
    expect(main.get_by_text("Sở, ban, ngành").first).to_be_visible()
    expect(main.get_by_text("Số liệu quốc gia chỉ là một phần.")).to_be_visible()
    # Vietnamese number and date formats reach the browser
    _grid_cell(page, "14/03/2025 09:30")
    expect(main.get_by_role("cell", name="4 (1 chưa thẩm định)").first).to_be_visible()
    _no_exception(page)
    assert _active_language(page) == "vi"
    assert "lang=" not in page.url  # the default stays out of the URL
    screenshot(page, "home-vi")

    _choose(page, "en")
    expect(page.locator(H1)).to_have_text(_title("en"), timeout=PAGE_TIMEOUT_MS)
    wait_ready(page)
    expect(main.get_by_text("This is demo data, not real figures.")).to_be_visible()
    expect(main.get_by_text("Departments").first).to_be_visible()
    _grid_cell(page, "2025-03-14 09:30")
    expect(main.get_by_role("cell", name="4 (1 not yet appraised)").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))
    _no_exception(page)
    screenshot(page, "home-en")


def test_language_in_url_survives_reload_and_page_switches(page: Page, sample_server: Server) -> None:
    page.goto(f"{sample_server.url}/data?lang=en")
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(_title("en"))
    assert _active_language(page) == "en"

    page.reload()
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(_title("en"))

    # Every page in the navigation keeps English and the URL parameter (Streamlit shows no
    # navigation while there is a single page: then the page already open is the only one).
    links = page.locator("[data-testid='stSidebarNav'] a")
    for i in range(max(links.count(), 1)):
        if links.count():
            links.nth(i).click()
            wait_ready(page, H1)
        assert _active_language(page) == "en"
        expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))
        _no_exception(page)
        slug = urlsplit(page.url).path.strip("/").replace("/", "-") or "home"
        screenshot(page, f"page-{slug}-en")


def test_empty_database_shows_what_to_run(page: Page, empty_server: Server) -> None:
    page.goto(f"{empty_server.url}/data")
    wait_ready(page, H1)
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_role("heading", name=t("dashboard.empty.title", "vi"))).to_be_visible()
    expect(main.get_by_text("parboard demo", exact=True)).to_be_visible()
    expect(main.get_by_text(t("dashboard.empty.load_command", "vi"), exact=True)).to_be_visible()
    _no_exception(page)
    screenshot(page, "home-empty-vi")
