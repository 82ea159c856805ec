"""The council's session on the real server in Chromium: on the Quota simulation page, fill in the document
details, record the council's vote on the tie at the cut-off, download the tally sheet; then build the year's
report and find the council's decision in the Word draft.

On the demo, Hà Tĩnh 2022's "Tập thể lao động xuất sắc (20%)" in 2021 has 2 departments awarded and
Sở Tài chính and Sở Du lịch tied at 86,39 points for the 1 seat left (see tests/test_council.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from playwright.sync_api import Page, expect

from core.i18n import t
from core.scope import Scope

from .conftest import PAGE_TIMEOUT_MS, Server, pick, screenshot, wait_ready

pytestmark = pytest.mark.browser

SIGNER = "Nguyễn Văn An"
PLACE = "Lạc Hồng"
BUILD_TIMEOUT_MS = 180_000


@pytest.fixture(scope="module")
def council_server(
    start_server: Callable[[Path], Server], demo_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Server:
    # A copy: the vote and the settings are written beside the database, and other tests read the shared demo.
    folder = tmp_path_factory.mktemp("council") / "demo"
    shutil.copytree(demo_db.parent, folder)
    return start_server(folder / demo_db.name)


def _c(key: str, **params: object) -> str:
    return t(f"council.{key}", "vi", **params)


def _settle(page: Page) -> None:
    page.wait_for_timeout(300)  # let a click start its rerun before waiting for it to end
    wait_ready(page)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)


def _download(page: Page, label: str, folder: Path) -> Path:
    button = page.locator("[data-testid='stDownloadButton'] button", has_text=label).first
    expect(button).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    with page.expect_download(timeout=PAGE_TIMEOUT_MS) as info:
        button.click()
    download = info.value
    assert download.failure() is None
    path = folder / download.suggested_filename
    download.save_as(path)
    return path


def _fill(page: Page, key: str, value: str) -> None:
    field = page.locator(f".st-key-{key} input, .st-key-{key} textarea").first
    field.fill(value)


def _texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs]


def _rows(document: docx.document.Document) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in document.tables for row in table.rows]


def test_record_the_vote_and_find_it_in_the_report(page: Page, council_server: Server, tmp_path: Path) -> None:
    page.goto(f"{council_server.url}/quota?preset=ha-tinh-2022&year=2021")
    wait_ready(page, "[data-testid='stMain'] h1")
    main = page.locator("[data-testid='stMain']")
    # The council's session is under the list, in the tab of the downloads.
    page.get_by_role("tab", name=t("quota.page.tab_files", "vi")).click()
    expect(main.get_by_text(_c("page.title"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)

    # The document details, filled in once.
    main.get_by_text(_c("page.settings"), exact=True).click()
    _fill(page, "doc_parent_issuer", "UBND tỉnh Lạc Hồng")
    _fill(page, "doc_issuer", "Hội đồng Thi đua - Khen thưởng")
    _fill(page, "doc_symbol", "HĐTĐKT")
    _fill(page, "doc_place", PLACE)
    _fill(page, "doc_signer_title", "Chủ tịch Hội đồng")
    _fill(page, "doc_signer_name", SIGNER)
    page.get_by_role("button", name=_c("page.settings_button")).click()
    _settle(page)

    # The vote on the tie: Sở Tài chính 7 for, 2 against, awarded; Sở Du lịch 4 for, 5 against.
    main.get_by_text(_c("page.record"), exact=True).click()
    _fill(page, "cv_members", "9")
    _fill(page, "cv_present", "8")
    _fill(page, "cv_issued", "8")
    _fill(page, "cv_returned", "8")
    _fill(page, "cv_0_for", "7")
    _fill(page, "cv_0_no", "1")
    page.locator(".st-key-cv_0_ok label").click()
    _fill(page, "cv_1_for", "4")
    _fill(page, "cv_1_no", "4")
    screenshot(page, "council-record-1440")
    page.get_by_role("button", name=_c("page.record_button")).click()
    _settle(page)
    recorded = main.get_by_text("Đã ghi nhận phiên họp ngày")
    expect(recorded).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(recorded).to_contain_text("8/9 thành viên có mặt")

    # The tally sheet carries the settings and the count: 7 of 9 members is 77,78 %, more than half: passes.
    tally = docx.Document(str(_download(page, _c("page.download_tally"), tmp_path)))
    text = "\n".join(_texts(tally) + [c for row in _rows(tally) for c in row])
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"{PLACE}, ngày" in text and SIGNER in text and "Số: ……/BB-HĐTĐKT" in text
    rows = _rows(tally)
    assert ["1", "Sở Tài chính", "86,39", "7", "1", "77,78 %", "Đạt", "Có"] in rows, rows[:6]
    assert ["2", "Sở Du lịch", "86,39", "4", "4", "44,44 %", "Không đạt", "Không"] in rows, rows[:6]
    # the session took up only the first group: the others' ties are said not voted, not failed
    assert ["3", "Ban Dân tộc", "86,39", "", "", "", "Chưa bỏ phiếu", ""] in rows
    screenshot(page, "council-recorded-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "council-recorded-390")
    page.set_viewport_size({"width": 1440, "height": 900})

    # The year's report now has the council's decision: the rule, the session and the votes.
    page.goto(f"{council_server.url}/report")
    wait_ready(page, "[data-testid='stButton'] button")
    scope = page.locator(".st-key-report_scope input")
    scope.click()
    year = Scope.year(2021).label("vi").capitalize()
    pick(page, scope, year, year)  # the whole label: "2021" alone also matches the periods above it
    _settle(page)
    page.get_by_role("button", name=t("report.page.build", "vi")).click()
    # Drawing every chart of the year takes a while on a busy machine: wait for the result, not a fixed time.
    built = page.locator("[data-testid='stDownloadButton'] button", has_text=t("report.page.download_docx", "vi"))
    expect(built).to_be_visible(timeout=BUILD_TIMEOUT_MS)
    _settle(page)
    draft = docx.Document(str(_download(page, t("report.page.download_docx", "vi"), tmp_path)))
    paragraphs = _texts(draft)
    heading = paragraphs.index(_c("report.heading"))
    intro = paragraphs[heading + 1]
    assert intro.startswith("Phiên họp ngày ") and "Hà Tĩnh 2022" in intro and "8/9 thành viên có mặt" in intro
    assert "quá nửa tổng số thành viên Hội đồng" in intro
    assert ["Sở Tài chính", "7", "1", "77,78", "Đạt", "Có",
            "Tập thể lao động xuất sắc (20%) — Phòng, ban, trung tâm (sở, ban, ngành)"] in _rows(draft)  # fmt: skip
    assert not [row for row in _rows(draft) if "Ban Dân tộc" in row and "0" in row]  # no vote, no row
    final = next(p for p in paragraphs[heading:] if p.startswith("Danh sách cuối cùng"))
    assert "Sở Tài chính — Tập thể lao động xuất sắc (20%)" in final
    assert "Sở Du lịch — Tập thể lao động xuất sắc (20%)" not in final
