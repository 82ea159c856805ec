"""Guided mapping end to end on the real server in Chromium: a council's workbook parboard does not recognise is
uploaded, explained column by column with select boxes, checked, saved and published; next year's workbook of
the same layout is then read with the saved answer and published without a single question."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from guided_helpers import AREAS, ROWS_2023, ROWS_2024, SHORT_NAME, council_workbook
from import_helpers import copy_db
from playwright.sync_api import Locator, Page, expect
from published import query

from core.i18n import t
from store.db import current_file, version_of
from store.saved_mappings import MappingStore

from .conftest import PAGE_TIMEOUT_MS, Server, pick, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"


def _say(key: str, **params: object) -> str:
    return t(f"imports.{key}", "vi", **params)


def _totals(db: Path, year: int) -> dict[str, tuple[float, str]]:
    codes = ", ".join(f"'{code}'" for code, *_ in ROWS_2023)
    rows = query(db, f"SELECT unit_code, total, tier FROM unit_result WHERE year = {year} AND unit_code IN ({codes})")
    return {code: (total, tier) for code, total, tier in rows}


def _upload(page: Page, workbook: Path) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(workbook)
    expect(page.get_by_role("button", name=f"Remove {workbook.name}")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name=_say("page.stage")).click()
    wait_ready(page)


def _choose(page: Page, box: Locator, typed: str, option: str, *, exact: bool = True) -> None:
    pick(page, box.locator("input[role='combobox']"), typed, option, exact=exact)


def _check(page: Page, main: Locator) -> None:
    main.get_by_text(_say("page.replace")).click()  # the council's areas replace the demo's criteria whole
    wait_ready(page)
    page.get_by_role("button", name=_say("page.run_checks")).click()
    wait_ready(page)
    expect(main.get_by_text(_say("page.passed"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def test_map_an_unknown_layout_in_the_page_then_the_next_year_is_read_without_asking(
    page: Page, start_server: Callable[..., Server], demo_db: Path, tmp_path: Path
) -> None:
    db = copy_db(demo_db, tmp_path / "db")
    first = tmp_path / "KQ thẩm định các sở 2023.xlsx"
    first.write_bytes(council_workbook(2023, ROWS_2023))
    second = tmp_path / "KQ thẩm định các sở 2024.xlsx"
    second.write_bytes(council_workbook(2024, ROWS_2024))
    version = version_of(current_file(db))
    server = start_server(db, auth="off")

    page.goto(f"{server.url}/imports")
    wait_ready(page, H1)
    _upload(page, first)
    main = page.locator("[data-testid='stMain']")
    # Not recognised: the page asks, showing the header it found and the first rows.
    expect(main.get_by_text(_say("guided.title"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_text(_say("page.table_unknown")).first).to_be_visible()
    boxes = page.locator("[class*='st-key-imp_g_role_']")
    expect(boxes).to_have_count(12)

    def box(i: int) -> Locator:  # the select box of the file's column i (0-based), laid out three a row
        return boxes.filter(has_text=_say("guided.column", n=i + 1, header=""))

    expect(box(1)).to_contain_text("Đơn vị được đánh giá")
    expect(box(2)).to_contain_text("Điểm HĐ thẩm định LV1")
    screenshot(page, "guided-mapping-ask-1440-vi")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "guided-mapping-ask-390-vi")
    page.set_viewport_size({"width": 1440, "height": 900})

    _choose(page, box(1), "Tên", _say("field.unit"))
    for i, area in enumerate(AREAS):
        _choose(page, box(2 + i), f"{area} ·", f"{area} ·", exact=False)
    _choose(page, box(10), "Tổng", _say("field.total"))
    _choose(page, box(11), "Xếp loại", _say("field.tier"))
    screenshot(page, "guided-mapping-answered-1440-vi")
    page.get_by_role("button", name=_say("guided.recheck")).click()
    wait_ready(page)
    # The check ran with the answer, then the page ran again to show how the file now reads: wait for that.
    expect(main.get_by_role("heading").filter(has_text=_say("page.result"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_ready(page)

    # The check ran with the answer: the one name the register does not know is asked about, with candidates.
    question = page.locator("[class*='st-key-imp_pin_']").first
    expect(question).to_contain_text(SHORT_NAME, timeout=PAGE_TIMEOUT_MS)
    name = query(db, "SELECT name FROM unit WHERE unit_code = 'DEMO-LH-S04'")[0][0]
    _choose(page, question, "DEMO-LH-S04", _say("page.candidate", name=name, code="DEMO-LH-S04"))
    wait_ready(page)
    _check(page, main)
    page.get_by_role("button", name=_say("guided.save")).click()
    wait_ready(page)
    expect(main.get_by_text(_say("guided.saved_done"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert len(MappingStore(db).all()) == 1
    page.get_by_role("button", name=_say("page.publish"), exact=True).click()
    wait_ready(page)
    expect(main.get_by_text(_say("page.published", version=version + 1))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert _totals(db, 2023) == {
        "DEMO-LH-S01": (73.0, "kha"),
        "DEMO-LH-S02": (84.5, "tot"),
        "DEMO-LH-S03": (65.5, "trung_binh"),
        "DEMO-LH-S04": (92.0, "xuat_sac"),
    }

    # Next year's file of the same layout: recognised with the saved answer, no question, published.
    _upload(page, second)
    expect(main.get_by_text("KQ thẩm định các sở 2023.xlsx", exact=False).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_role("button", name=_say("guided.stop"))).to_be_visible()
    expect(main.get_by_text(_say("guided.title"))).to_have_count(0)
    expect(page.locator("[class*='st-key-imp_pin_']")).to_have_count(0)
    screenshot(page, "guided-mapping-recognised-1440-vi")
    _check(page, main)
    expect(page.locator("[class*='st-key-imp_pin_']")).to_have_count(0)
    page.get_by_role("button", name=_say("page.publish"), exact=True).click()
    wait_ready(page)
    expect(main.get_by_text(_say("page.published", version=version + 2))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    assert _totals(db, 2024) == {
        "DEMO-LH-S01": (73.5, "kha"),
        "DEMO-LH-S02": (85.0, "tot"),
        "DEMO-LH-S03": (66.0, "trung_binh"),
        "DEMO-LH-S04": (92.5, "xuat_sac"),
    }
