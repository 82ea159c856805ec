"""The national indices page on the real server in Chromium, on an `init` database with a published PAR INDEX
annex by area loaded: the home province's rank per component and the national and regional averages."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cli.main import main
from core.i18n import t

from .conftest import Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
ANNEX = Path(__file__).parent.parent / "fixtures" / "national" / "files" / "par_index_2023_linh_vuc.xlsx"


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
