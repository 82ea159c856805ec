"""The fairness section of the Quota simulation page on the real server in Chromium: An Biên's preset on the
demo in 2023 proposes one staff member out of three individuals, under the plan's priority for staff."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from analysis import quota
from analysis.quota import presets
from core.i18n import t
from services import quota_fairness
from store.queries import Published

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def fairness_server(start_server: Callable[[Path], Server], demo_db: Path) -> Server:
    return start_server(demo_db)


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_the_section_warns_and_shows_each_dimension(
    page: Page, fairness_server: Server, demo_db: Path, width: int, height: int
) -> None:
    scope = quota.Scope.year(2023)
    inputs = quota.load_inputs(Published(demo_db), scope)
    view = quota_fairness.view(quota.simulate(presets.load("an-bien-2020"), inputs, scope), inputs, "vi")
    assert view is not None and view.warning
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{fairness_server.url}/quota?preset=an-bien-2020&year=2023", timeout=PAGE_TIMEOUT_MS)
    wait_ready(page)
    page.get_by_role("tab", name=t("quota.page.tab_fairness", "vi")).click()
    title = page.get_by_text(t("quota.fairness.title", "vi")).first
    expect(title).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.locator("[data-testid='stAlertContentWarning']", has_text=view.verdict)).to_have_count(1)
    districts = page.get_by_role("tab", name=t("quota.fairness.dimension.district", "vi"))
    districts.scroll_into_view_if_needed()
    districts.click()
    (_, _, table) = view.tables[2]
    proposed = [row[0] for row in table.rows() if row[1] != "0"]
    # the grid draws on a canvas; its cells exist as a hidden grid behind it, in the tab now shown
    panel = page.get_by_role("tabpanel", name=t("quota.fairness.dimension.district", "vi"))
    expect(panel.locator("[data-testid='stDataFrame']")).to_have_count(1)
    cells = panel.locator("[data-testid='stDataFrame'] td[role='gridcell']")
    expect(cells.filter(has_text=re.compile(f"^{re.escape(proposed[0])}$")).first).to_be_attached(
        timeout=PAGE_TIMEOUT_MS
    )
    title.scroll_into_view_if_needed()
    screenshot(page, f"quota-fairness-{width}")
