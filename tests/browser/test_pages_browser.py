"""The leaders' pages on the real server in Chromium: charts drawn, the language switch, shared links."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.i18n import t

from .conftest import ALL_PAGES, PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
CHART = "[data-testid='stPlotlyChart'] .main-svg"
PAGES = ("overview", "rankings", "profile", "progress", "reviews")


@pytest.fixture(scope="module")
def demo_server(start_server: Callable[[Path], Server], demo_db: Path) -> Server:
    return start_server(demo_db)


def _no_exception(page: Page) -> None:
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def _charts_drawn(page: Page) -> int:
    expect(page.locator(CHART).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    # Plotly has drawn marks (bars, lines, cells), not only an empty frame
    expect(page.locator("[data-testid='stPlotlyChart'] g.trace").first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    return page.locator("[data-testid='stPlotlyChart']").count()


def _selected(page: Page, key: str) -> str:
    return page.locator(f".st-key-w-{key} input[role='combobox']").input_value().strip()


def test_every_page_renders_its_charts_in_vietnamese(page: Page, demo_server: Server) -> None:
    for name in PAGES:
        page.goto(f"{demo_server.url}/{name}")
        wait_ready(page, H1)
        expect(page.locator(H1)).to_have_text(t(f"{name}.title", "vi"))
        assert _charts_drawn(page) >= 1
        _no_exception(page)
        # The chart's own title, unit and source are inside the figure (they end up in reports)
        chart = page.locator("[data-testid='stPlotlyChart']").first
        expect(chart.locator(".gtitle")).to_have_count(1)
        expect(chart.locator(".annotation-text", has_text="Nguồn").first).to_be_attached()
        screenshot(page, f"leaders-{name}-vi")


def test_language_switch_and_a_shared_link_reproduce_the_view(page: Page, demo_server: Server) -> None:
    page.goto(f"{demo_server.url}/rankings?kind=commune&year=2024&comp=LV2&tier=tot")
    wait_ready(page, H1)
    _charts_drawn(page)
    title = page.locator("[data-testid='stPlotlyChart'] .gtitle").first
    expect(title).to_contain_text("2024")
    assert _selected(page, "kind") == t("dashboard.kinds.commune", "vi")
    assert _selected(page, "tier") == t("dashboard.tiers.tot", "vi")
    # Scores in the table are numbers (the grid sorts them as numbers; its accessibility layer gives the value,
    # and the cells are drawn as the reader's language writes them: test_rankings_page checks "85,25")
    cells = page.locator("[data-testid='stDataFrame'] td[role='gridcell']")
    expect(cells.filter(has_text=re.compile(r"^\d{1,3}\.\d\d$")).first).to_be_attached(timeout=PAGE_TIMEOUT_MS)

    page.locator(".st-key-lang-switch").get_by_role("radio", name=re.compile("^en$", re.IGNORECASE)).click()
    expect(page.locator(H1)).to_have_text(t("rankings.title", "en"), timeout=PAGE_TIMEOUT_MS)
    wait_ready(page)
    expect(page).to_have_url(re.compile(r"[?&]lang=en\b"))
    assert _selected(page, "kind") == t("dashboard.kinds.commune", "en")
    expect(cells.filter(has_text=re.compile(r"^\d{1,3}\.\d\d$")).first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    shared = page.url
    screenshot(page, "leaders-rankings-shared-en")

    # The same link in a fresh page shows the same view
    other = page.context.new_page()
    other.goto(shared)
    wait_ready(other, H1)
    expect(other.locator(H1)).to_have_text(t("rankings.title", "en"))
    assert _selected(other, "kind") == t("dashboard.kinds.commune", "en")
    assert _selected(other, "tier") == t("dashboard.tiers.tot", "en")
    expect(other.locator("[data-testid='stPlotlyChart'] .gtitle").first).to_contain_text("2024")
    other.close()

    # Switching page keeps the reader's choices (and language)
    page.locator("[data-testid='stSidebarNav'] a", has_text=t("dashboard.nav.reviews", "en")).click()
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(t("reviews.title", "en"))
    assert _selected(page, "kind") == t("dashboard.kinds.commune", "en")
    expect(page).to_have_url(re.compile(r"[?&]kind=commune\b"))
    _charts_drawn(page)
    _no_exception(page)
    screenshot(page, "leaders-reviews-en")


def test_a_merged_unit_profile_and_targets_from_a_link(page: Page, demo_server: Server) -> None:
    page.goto(f"{demo_server.url}/progress?kind=commune&unit=DEMO-LH-N001&targets=2030s95")
    wait_ready(page, H1)
    _charts_drawn(page)
    main = page.locator("[data-testid='stMain']")
    # The target and the projection band are drawn in the projection chart
    expect(main.locator(".legendtext", has_text=t("charts.legend.target", "vi")).first).to_be_attached()
    expect(main.get_by_text(t("charts.legend.reconstructed", "vi")).first).to_be_attached()
    _no_exception(page)
    screenshot(page, "leaders-progress-merged-unit")


SIZES = {"desktop": (1440, 900), "phone": (390, 844)}

# Each chart's words and tick labels as Chromium drew them: a text reaching past the chart's own box (cut off
# on screen) or a slanted tick label.
_CHART_TEXTS = """() => {
  const found = [];
  for (const chart of document.querySelectorAll("[data-testid='stPlotlyChart']")) {
    const svg = chart.querySelector(".main-svg");
    if (!svg) continue;
    const box = svg.getBoundingClientRect();
    const texts = ".gtitle, .annotation-text, .legendtext, .g-xtitle text, .g-ytitle text, .xtick text, .ytick text";
    for (const el of chart.querySelectorAll(texts)) {
      const r = el.getBoundingClientRect();
      if (r.width && (r.left < box.left - 1 || r.right > box.right + 1)) {
        const span = `${Math.round(r.left - box.left)}..${Math.round(r.right - box.left)} of ${Math.round(box.width)}`;
        found.push(`cut: ${el.textContent.slice(0, 50)} (${span})`);
      }
    }
    for (const el of chart.querySelectorAll(".xtick text, .ytick text")) {
      if (/rotate\\((?!0[,)])/.test(el.getAttribute("transform") || "")) found.push(`slanted: ${el.textContent}`);
    }
  }
  return found;
}"""


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_at_desktop_and_phone_size(page: Page, demo_server: Server, lang: str, size: str) -> None:
    """Every page in both languages at 1440×900 and 390×844, screenshots in test-artifacts/ to look at; no chart
    text cut at the chart's edge and no slanted tick label."""
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    problems = {}
    for name in ALL_PAGES:
        page.goto(f"{demo_server.url}/{name}?lang={lang}")
        # A page computing its first figures on a busy machine may run past the usual wait
        page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
        wait_ready(page, H1)
        _no_exception(page)
        if page.locator("[data-testid='stPlotlyChart']").count():
            _charts_drawn(page)
        screenshot(page, f"screen-{name}-{lang}-{width}x{height}")
        found = page.evaluate(_CHART_TEXTS)
        if found:
            problems[name] = found
    assert problems == {}
