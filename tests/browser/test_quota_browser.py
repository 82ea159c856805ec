"""The Quota simulation page on the real server in Chromium: build a scenario in the form, compare it with
a preset, download the proposal annex and read it back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from import_helpers import copy_db
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from core.i18n import t

from .conftest import PAGE_TIMEOUT_MS, Server, pick, screenshot, wait_ready

pytestmark = pytest.mark.browser

NAME = "Thử: 1 sở + 3 xã"
# Ngã Năm's award, in each language
AWARD = {"vi": "Giấy khen của Chủ tịch UBND thị xã", "en": "Certificate of merit of the town chairman"}


@pytest.fixture(scope="module")
def quota_server(start_server: Callable[[Path], Server], demo_db: Path) -> Server:
    return start_server(demo_db)


@pytest.fixture(scope="module")
def untouched_server(
    start_server: Callable[[Path], Server], demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Server:
    """A copy of the demo nobody has built, saved or recorded anything beside: the page as a first reader sees it."""
    return start_server(copy_db(demo_db, tmp_path_factory.mktemp("untouched")))


def _q(key: str, **params: object) -> str:
    return t(f"quota.{key}", "vi", **params)


def _download(page: Page, label: str, folder: Path) -> Path:
    button = page.locator("[data-testid='stDownloadButton'] button", has_text=label).first
    expect(button).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    wait_ready(page)
    try:
        with page.expect_download(timeout=PAGE_TIMEOUT_MS / 2) as info:
            button.click()
    except PlaywrightTimeoutError:
        # A rerun that ends between the button showing and the click gives the button a new file id and drops the
        # old one, so that click fetches nothing; a reader clicks again, and so does this test, once.
        wait_ready(page)
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as info:
            button.click()
    download = info.value
    assert download.failure() is None
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def _settle(page: Page) -> None:
    page.wait_for_timeout(300)  # let a click start its rerun before waiting for it to end
    wait_ready(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def test_build_compare_and_download(page: Page, quota_server: Server, tmp_path: Path) -> None:
    page.goto(f"{quota_server.url}/quota?year=2023")
    wait_ready(page, "[data-testid='stMain'] h1")
    main = page.locator("[data-testid='stMain']")
    expect(main.locator("h1")).to_have_text(_q("page.title"))
    # The preset's list for 2023, stated with its basis.
    expect(main.get_by_text("Ngã Năm 2022 — Kế hoạch 50/KH-UBND — năm 2023")).to_be_visible()
    expect(main.get_by_text("Căn cứ: 50/KH-UBND ngày 23/05/2022").first).to_be_visible()

    # Build a scenario: one department and three communes, tasks all done, no bar on disciplined members.
    page.locator(".st-key-src").get_by_role("radio", name=_q("page.source_build")).click()
    _settle(page)
    page.locator(".st-key-f_name input").fill(NAME)
    page.locator(".st-key-f_g2_count input").fill("3")
    page.locator(".st-key-f_done input").fill("100")
    page.get_by_role("button", name=_q("page.build_submit")).click()
    _settle(page)
    expect(main.get_by_text(_q("page.build_ok"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_text(f"{NAME} — năm 2023")).to_be_visible()

    # Compare with the preset: Sở Du lịch (a member under a warning) gains, Thanh tra tỉnh loses.
    _tab(page, "tab_compare")
    search = page.locator(".st-key-compare input")
    search.click()
    pick(page, search, "Ngã Năm", "Ngã Năm 2022 — Kế hoạch 50/KH-UBND")
    page.keyboard.press("Escape")
    _settle(page)
    # The grid draws on a canvas: read the comparison through its own CSV download.
    menu = page.locator(".st-key-compare-table-menu button").first
    expect(menu).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    screenshot(page, "quota-compare")
    menu.click()
    rows = list(csv.reader(io.StringIO(_download(page, "CSV (UTF-8)", tmp_path).read_text(encoding="utf-8-sig"))))
    page.keyboard.press("Escape")
    header, body = rows[0], {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    preset = "Ngã Năm 2022 — Kế hoạch 50/KH-UBND"
    assert header[2:] == [NAME, preset, f"Thay đổi ({preset})"]
    assert body["Sở Du lịch"][NAME].startswith("Được khen")
    assert body["Sở Du lịch"][preset] == "Không đủ điều kiện: Thành viên bị kỷ luật"
    assert body["Sở Du lịch"][f"Thay đổi ({preset})"] == "Mất"
    assert body["Thanh tra tỉnh"][f"Thay đổi ({preset})"] == "Được thêm"

    # Download the proposal annex of the built scenario and read it back.
    _tab(page, "tab_files")
    path = _download(page, _q("page.download_xlsx"), tmp_path)
    assert path.name.endswith("_2023.xlsx")
    ws = openpyxl.load_workbook(path).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    # Under the issuer, the motto and the place and date (rows 1 to 4): "Phụ lục", the title, the decision.
    assert [rows[5][0], rows[6][0]] == ["Phụ lục", _q("annex.title")]
    assert rows[8][0] == f"{NAME} — năm 2023"
    header = rows.index(("STT", "Tên đơn vị / Họ và tên", "Đơn vị", "Thành tích / điểm", "Hình thức khen thưởng"))
    listed = [r[1] for r in rows[header + 1 :] if isinstance(r[0], int)]
    assert listed == ["Sở Du lịch", "Xã Phú Hòa", "Phường Thới Xuân", "Xã Hiệp Long"]
    scores = {r[1]: r[3] for r in rows[header + 1 :] if isinstance(r[0], int)}
    assert scores["Sở Du lịch"] == 92.53
    statements = [r[0] for r in rows if isinstance(r[0], str)]
    assert f"Quy tắc: {NAME}" in statements
    assert "Nhóm xã, phường: chỉ tiêu 3" in statements


@pytest.mark.parametrize("width, height", [(1440, 900), (390, 844)])
def test_the_list_states_its_cost(page: Page, quota_server: Server, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{quota_server.url}/quota?year=2024&preset=tt02-2024")
    wait_ready(page, "[data-testid='stMain'] h1")
    main = page.locator("[data-testid='stMain']")
    _tab(page, "tab_cost")
    heading = main.get_by_role("heading", name=_q("cost.heading"))
    expect(heading).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    heading.scroll_into_view_if_needed()
    # The 21 titles (3 departments, 1 district, 17 communes) of 2024: Nghị định 98/2023's multiplier for
    # “Tập thể lao động xuất sắc” was not found in its text, so the cost says it is incomplete, not 0.
    metric = main.locator("[data-testid='stMetric']", has_text=_q("cost.total_incomplete"))
    expect(metric).to_contain_text(_q("cost.pending"), timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_text("Chưa tính được kinh phí: 1 dòng chưa có mức thưởng", exact=False)).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    screenshot(page, f"quota-cost-{width}")


def _tab(page: Page, key: str, lang: str = "vi") -> None:
    page.get_by_role("tab", name=t(f"quota.page.{key}", lang)).click()
    page.wait_for_timeout(150)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_the_list_comes_first(page: Page, untouched_server: Server, lang: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{untouched_server.url}/quota?year=2023&lang={lang}")
    wait_ready(page, "[data-testid='stMain'] h1")
    main = page.locator("[data-testid='stMain']")
    say = lambda key, **p: t(f"quota.{key}", lang, **p)  # noqa: E731
    heading = main.get_by_role("heading", name=say("page.list_heading"))
    expect(heading).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    table = main.locator("[data-testid='stDataFrame']").first  # the first grid on the page: the list
    expect(table).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    # Ngã Năm 2023: 1 department and 2 communes, and 3 individuals, each with the town chairman's Giấy khen
    line = main.get_by_text(
        say("page.list_rule", award=AWARD[lang], recipient=say("recipient.individual"), count=3),
        exact=False,
    )
    expect(line.first).to_be_visible()
    if width == 1440:
        # The grids draw one after another once their data has arrived: the list's may come after the group
        # tables below it, so the first grid's top is read until the page has settled (or the wait runs out).
        tops: list[float] = []
        for _ in range(PAGE_TIMEOUT_MS // 250):
            box = table.bounding_box()
            tops.append(box["y"] if box else float("inf"))
            if tops[-1] < height:
                break
            page.wait_for_timeout(250)
        assert tops[-1] < height, tops[-3:]  # the list's top, without scrolling
    screenshot(page, f"quota-list-{lang}-{width}")


def test_the_robustness_run_stays_and_is_drawn(page: Page, untouched_server: Server, browser: Browser) -> None:
    page.goto(f"{untouched_server.url}/quota?year=2023")
    wait_ready(page, "[data-testid='stMain'] h1")
    main = page.locator("[data-testid='stMain']")
    _tab(page, "tab_robust")
    page.get_by_role("button", name=_q("page.run_robust")).click()
    _settle(page)
    chart = page.locator(".st-key-robust-chart-0 .js-plotly-plot")
    expect(chart).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    # the bars' labels are the units' names, written flat
    expect(chart.locator(".ytick text", has_text="Phường Thới Xuân")).to_have_count(1)
    assert all(
        not (a or "").startswith("rotate")
        for a in chart.locator(".ytick text").evaluate_all("e => e.map(x => x.getAttribute('transform'))")
    )
    metric = main.locator("[data-testid='stMetric']", has_text=_q("page.robust_metrics_flip"))
    expect(metric).to_be_visible()
    screenshot(page, "quota-robustness-vi-1440")

    # Another widget: compare with a preset. The run is still there, said to be kept.
    _tab(page, "tab_compare")
    search = page.locator(".st-key-compare input")
    search.click()
    pick(page, search, "Thông tư", "Thông tư 02/2024 — 20%, ít nhất 1")
    page.keyboard.press("Escape")
    _settle(page)
    # the comparison is drawn before going back
    expect(page.locator(".st-key-compare-table-menu button").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    _tab(page, "tab_robust")
    expect(chart).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_text(_q("page.robust_kept"))).to_be_visible()
    expect(metric).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    screenshot(page, "quota-robustness-vi-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    # Another reader of the same address sees no run until they start one.
    other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    try:
        other.goto(f"{untouched_server.url}/quota?year=2023")
        wait_ready(other, "[data-testid='stMain'] h1")
        _tab(other, "tab_robust")
        expect(other.get_by_role("button", name=_q("page.run_robust"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        expect(other.locator(".st-key-robust-chart-0")).to_have_count(0)
        expect(other.get_by_text(_q("page.robust_kept"))).to_have_count(0)
    finally:
        other.context.close()

    # In English, on a new page.
    page.goto(f"{untouched_server.url}/quota?year=2023&lang=en")
    wait_ready(page, "[data-testid='stMain'] h1")
    _tab(page, "tab_robust", "en")
    page.get_by_role("button", name=t("quota.page.run_robust", "en")).click()
    _settle(page)
    expect(chart).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    screenshot(page, "quota-robustness-en-1440")
