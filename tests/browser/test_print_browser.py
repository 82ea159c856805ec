"""Every page printed (the browser's Print, Save as PDF): Chromium's print media and PDF on the real server.

On paper a page has no sidebar, header or toolbar, its charts are no wider than the paper, and each scrolling grid
gives way to a plain table with every one of its rows (a grid draws on a canvas only the rows in its view)."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from core.i18n import t
from dashboard.style import PRINT_TABLE

from .conftest import ALL_PAGES, ARTIFACTS, PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
A4_LANDSCAPE_PT = (842, 595)
PAPER_PX = 277 / 25.4 * 96  # A4 landscape less 10 mm margins, in CSS pixels
NOT_ON_PAPER = ("stSidebar", "stHeader", "stToolbar", "stStatusWidget", "stPopover", "stDataFrame")

# Each chart's drawn width and its container's, once Streamlit has drawn it again at the paper's width.
_CHART_WIDTHS = """() => [...document.querySelectorAll("[data-testid='stPlotlyChart'] .main-svg")]
    .map(svg => svg.getBoundingClientRect().width)"""
_MAIN_WIDTH = "() => document.querySelector(\"[data-testid='stMainBlockContainer']\").getBoundingClientRect().width"
# Per plain copy, the rows its grid holds, as the grid tells assistive technology (aria-rowcount counts the header
# row too), or -1 while the grid is not drawn yet; the copy follows its grid on the page. A grid in a closed expander
# or another tab is not shown, and neither it nor its copy is printed: null.
_GRID_ROWS = f"""() => [...document.querySelectorAll("[class*='st-key-{PRINT_TABLE}']")].map(copy => {{
    const grid = [...document.querySelectorAll("[data-testid='stDataFrame']")]
        .filter(g => g.compareDocumentPosition(copy) & Node.DOCUMENT_POSITION_FOLLOWING).pop();
    if (!grid) return -1;
    if (!grid.checkVisibility()) return null;
    const table = grid.querySelector("[aria-rowcount]");
    return table ? Number(table.getAttribute('aria-rowcount')) - 1 : -1;
}})"""
_PAPER_ROWS = f"""() => [...document.querySelectorAll("[class*='st-key-{PRINT_TABLE}']")].map(copy =>
    copy.checkVisibility() ? copy.querySelectorAll('tbody tr').length : null)"""


@pytest.fixture(scope="module")
def demo_server(start_server: Callable[[Path], Server], demo_db: Path) -> Server:
    return start_server(demo_db)


def _print(page: Page, url: str, name: str) -> tuple[list[int], bytes]:
    """Open the page, then switch to print media; returns the rows of its grids on screen and the PDF."""
    page.goto(url)
    wait_ready(page, H1)
    # Every grid drawn before the rows are counted.
    drawn = page.wait_for_function(
        f"() => {{ const rows = ({_GRID_ROWS})(); return rows.includes(-1) ? false : rows; }}",
        timeout=PAGE_TIMEOUT_MS,
    )
    grids = drawn.json_value()
    # On screen the grids alone: no copy is shown.
    assert page.evaluate(_PAPER_ROWS) == [None] * len(grids)
    screenshot(page, f"screen-{name}")
    page.emulate_media(media="print")
    # Streamlit draws each chart again at its container's new width.
    page.wait_for_function(f"() => ({_CHART_WIDTHS})().every(w => w <= ({_MAIN_WIDTH})() + 1)", timeout=PAGE_TIMEOUT_MS)
    screenshot(page, f"print-{name}")
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"print-{name}.pdf").write_bytes(pdf)
    return grids, pdf


@pytest.mark.parametrize("name", ALL_PAGES)
def test_every_page_prints_without_the_sidebar_charts_within_the_paper_and_tables_whole(
    page: Page, demo_server: Server, name: str
) -> None:
    grids, pdf = _print(page, f"{demo_server.url}/{name}", f"{name}-vi")
    title = page.locator(H1).inner_text().strip()
    for testid in NOT_ON_PAPER:
        for element in page.locator(f"[data-testid='{testid}']").all():
            expect(element).to_be_hidden()
    main = page.evaluate(_MAIN_WIDTH)
    assert main <= PAPER_PX + 1
    assert all(0 < width <= main + 1 for width in page.evaluate(_CHART_WIDTHS))
    # Each grid shown on screen gives way on paper to its plain copy, with every row the grid holds.
    assert page.evaluate(_PAPER_ROWS) == grids
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE_PT
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert title in text
    # The sidebar's menu is not printed: another page's name appears on no printed page.
    assert t("dashboard.nav.imports" if name != "imports" else "dashboard.nav.quality", "vi") not in text


def test_a_long_ranking_prints_every_unit_in_english(page: Page, demo_server: Server) -> None:
    grids, pdf = _print(page, f"{demo_server.url}/rankings?kind=commune&year=2024&lang=en", "rankings-commune-en")
    assert grids and grids[0] > 50  # more rows than a grid shows in its view
    copy = page.locator(f"[class*='st-key-{PRINT_TABLE}'] tbody tr")
    expect(copy).to_have_count(grids[0])
    last = copy.last.locator("td").all_inner_texts()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    # The last unit's rank and figures are on paper.
    figures = [cell.strip() for cell in last if re.fullmatch(r"[+\-−]?[\d.,]+", cell.strip())]
    assert len(figures) >= 3 and all(figure in text for figure in figures)
    assert page.locator(H1).inner_text().strip() in text
