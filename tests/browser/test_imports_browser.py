"""Import end to end on the real server in Chromium: upload a workbook, confirm a unit, check, publish, and
see the new figure on the Rankings page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from import_helpers import copy_db, scores_frame, with_scores, xlsx
from playwright.sync_api import Page, expect
from published import query

from core.i18n import t
from services.display import score
from store.db import current_file, version_of

from .conftest import PAGE_TIMEOUT_MS, Server, pick, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"


def _total(db: Path, unit: str) -> float:
    [(total,)] = query(db, f"SELECT total FROM unit_result WHERE unit_code = '{unit}' AND year = 2023")
    return total


def test_upload_confirm_check_publish_and_see_it_on_rankings(
    page: Page, start_server: Callable[..., Server], demo_db: Path, tmp_path: Path
) -> None:
    db = copy_db(demo_db, tmp_path / "db")
    frame = scores_frame(demo_db)
    unit, name = frame["Mã đơn vị"][0], frame["Tên đơn vị"][0]
    typed = f"{name} tỉnh Lạc Hồng"  # a name the register does not know: the page offers candidates
    upload = (
        with_scores(frame, [0, 1, 2], 0.0)
        .drop("Mã đơn vị")
        .with_columns(
            pl.when(pl.col("Tên đơn vị") == name)
            .then(pl.lit(typed))
            .otherwise(pl.col("Tên đơn vị"))
            .alias("Tên đơn vị")
        )
    )
    workbook = tmp_path / "Điểm các sở 2023.xlsx"
    workbook.write_bytes(xlsx(upload, sheet="Sở 2023"))
    before_total, version = _total(db, unit), version_of(current_file(db))
    server = start_server(db, auth="off")

    page.goto(f"{server.url}/imports")
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(t("imports.page.title", "vi"))
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(workbook)
    expect(page.get_by_role("button", name=f"Remove {workbook.name}")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name=t("imports.page.stage", "vi")).click()
    wait_ready(page)

    # The preview: the sheet, the table recognised, and the unit name waiting for a choice.
    main = page.locator("[data-testid='stMain']")
    expect(main.get_by_text(f"{workbook.name} › Sở 2023").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_text("Điểm chỉ số CCHC của đơn vị").first).to_be_visible()
    question = page.locator("[class*='st-key-imp_pin_']").first
    expect(question).to_contain_text(typed)
    pick(
        page, question.locator("input[role='combobox']"), unit, t("imports.page.candidate", "vi", name=name, code=unit)
    )
    wait_ready(page)

    page.get_by_role("button", name=t("imports.page.run_checks", "vi")).click()
    wait_ready(page)
    expect(main.get_by_text(t("imports.page.passed", "vi"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    row = main.locator("table tr", has_text="Điểm của đơn vị")
    expect(row.locator("td")).to_have_text(
        ["Điểm của đơn vị", "0", "3", f"{frame.height - 3:,}".replace(",", "."), "0"]
    )
    screenshot(page, "import-checked-vi")

    page.get_by_role("button", name=t("imports.page.publish", "vi"), exact=True).click()
    wait_ready(page)
    expect(main.get_by_text(t("imports.page.published", "vi", version=version + 1))).to_be_visible(
        timeout=PAGE_TIMEOUT_MS
    )
    after_total = _total(db, unit)
    assert version_of(current_file(db)) == version + 1 and after_total < before_total

    page.goto(f"{server.url}/rankings?kind=department&year=2023")
    wait_ready(page, H1)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    expect(chart.locator("text", has_text=score(after_total, "vi")).first).to_be_attached(timeout=PAGE_TIMEOUT_MS)
    screenshot(page, "import-rankings-after-vi")
