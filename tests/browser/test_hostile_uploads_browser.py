"""Hostile uploads on the real server: a workbook whose one stray cell at XFD1048576 made the Excel reader
abort the whole server, and a framework YAML of nested aliases that took gigabytes. Each is refused with its
reason on the Import page, and the server goes on serving other pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_files import abort_workbook
from import_helpers import copy_db
from playwright.sync_api import Page, expect

from core.i18n import t

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"


def _upload(page: Page, file: Path) -> None:
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(file)
    expect(page.get_by_role("button", name=f"Remove {file.name}")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    page.get_by_role("button", name=t("imports.page.stage", "vi")).click()
    wait_ready(page)


def test_the_abort_workbook_and_the_alias_bomb_are_refused_and_the_server_serves_on(
    page: Page, start_server: Callable[..., Server], demo_db: Path, tmp_path: Path
) -> None:
    db = copy_db(demo_db, tmp_path / "db")
    book = abort_workbook(tmp_path / "diem_2024.xlsx")
    levels = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "khung_2024.yaml"
    bomb.write_text("rules: framework\nname: Khung\n" + "\n".join(levels) + "\nareas: [*i, *i]\n", encoding="utf-8")
    server = start_server(db, auth="off")
    main = page.locator("[data-testid='stMain']")

    page.goto(f"{server.url}/imports")
    wait_ready(page, H1)
    _upload(page, book)
    expect(main.get_by_text("Trang tính trải rộng 16384 cột").first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(main.get_by_text("diem_2024.xlsx › trang tính «Điểm 2024»", exact=False).first).to_be_visible()
    screenshot(page, "import-abort-refused-vi")
    assert server.proc.poll() is None

    page.goto(f"{server.url}/imports")
    wait_ready(page, H1)
    _upload(page, bomb)
    page.get_by_role("button", name=t("imports.page.run_checks", "vi")).click()
    wait_ready(page)
    expect(main.get_by_text("bí danh YAML", exact=False).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    screenshot(page, "import-alias-bomb-refused-vi")
    assert server.proc.poll() is None

    page.goto(f"{server.url}/rankings")
    wait_ready(page, H1)
    expect(page.locator(H1)).not_to_be_empty()
