"""Downloads from the real app in headless Chromium: a chart and a table from a page, and the report pack."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image, ImageStat
from playwright.sync_api import Page, expect

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def demo_server(start_server: Callable[[Path], Server], demo_db: Path) -> Server:
    return start_server(demo_db)


def _download(page: Page, label: str) -> Path:
    button = page.locator("[data-testid='stDownloadButton'] button", has_text=label).first
    expect(button).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.failure() is None
    path = Path(download.path())
    return path.rename(path.with_name(download.suggested_filename))


def _open_menu(page: Page, index: int) -> None:
    page.get_by_role("button", name="Tải xuống").nth(index).click()


def test_chart_and_table_download_from_rankings(page: Page, demo_server: Server) -> None:
    page.goto(f"{demo_server.url}/rankings")
    wait_ready(page, "[data-testid='stPlotlyChart']")
    _open_menu(page, 0)  # the first chart's menu
    png = _download(page, "Ảnh PNG (in ấn)")
    assert png.name.startswith("rankings") and png.suffix == ".png"
    img = Image.open(png)
    assert img.width >= 2000 and ImageStat.Stat(img.convert("L")).stddev[0] > 20
    page.keyboard.press("Escape")

    table_menu = page.locator("[data-testid='stDataFrame']").first
    expect(table_menu).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    menus = page.get_by_role("button", name="Tải xuống")
    menus.nth(menus.count() - 1).click()  # the last menu on the page belongs to a table
    book = _download(page, "Excel (.xlsx)")
    assert book.suffix == ".xlsx"
    ws = openpyxl.load_workbook(book).active
    assert ws.freeze_panes is not None and ws.auto_filter.ref
    # Above the table: the page it came from, the choices shown on the page, and the published version.
    above = [str(ws.cell(row, 1).value or "") for row in range(1, int(ws.freeze_panes[1:]))]
    assert above[0].startswith("Xếp hạng")
    filters = next(line for line in above if line.startswith("Điều kiện lọc: "))
    assert "Loại đơn vị: " in filters and "Năm: 2025" in filters, filters
    source = next(line for line in above if line.startswith("Nguồn: "))
    assert "Lạc Hồng" in source and "phiên bản dữ liệu" in source and "Nguồn: Nguồn" not in source, source
    page.keyboard.press("Escape")
    menus.nth(menus.count() - 1).click()
    rows = list(csv.reader(io.StringIO(_download(page, "CSV (UTF-8)").read_bytes().decode("utf-8-sig"))))
    assert len(rows) > 1 and rows[0][0]
    screenshot(page, "exports-rankings")


def test_report_page_builds_and_downloads_the_draft(page: Page, demo_server: Server) -> None:
    page.goto(f"{demo_server.url}/report")
    wait_ready(page, "[data-testid='stButton'] button")
    page.get_by_role("button", name="Soạn báo cáo").click()
    wait_ready(page)
    draft = _download(page, "Tải dự thảo Word (.docx)")
    assert draft.name.startswith("bao-cao-cchc_") and draft.suffix == ".docx"
    document = docx.Document(str(draft))
    assert document.paragraphs[0].text.startswith("Báo cáo kết quả thi đua cải cách hành chính năm")
    assert document.tables and document.inline_shapes
    pack = _download(page, "Tải gói biểu đồ và bảng (.zip)")
    assert pack.suffix == ".zip" and pack.stat().st_size > 100_000
    screenshot(page, "exports-report")
