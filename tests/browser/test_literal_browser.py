"""Data shows as typed on every page a person reads: names someone loaded or wrote (units, criteria areas, the
dataset, a saved quota scenario's name, rules, groups and notes) holding Markdown and HTML specials render
literally in Chromium, and the page fetches nothing from another host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import fill_sample
from playwright.sync_api import Page, expect

from access.policy import Principal
from services import quota as quota_service
from store.db import draft

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

MAIN = "[data-testid='stMain']"
# Each a thing Markdown, Streamlit or a browser would act on: emphasis, a link, an image, raw HTML, LaTeX, a
# code span, a heading, a Streamlit colour directive.
UNIT = "Sở *Nội* _vụ_ [x](http://evil.example) <img src=x onerror=alert(1)>"
AREA = "LV `1` $x^2$ # :red[đỏ] ![i](http://evil.example/i.png)"
DATASET = "Bộ <b>đậm</b> **sao** [y](http://evil.example/y)"
SCENARIO = "Kịch bản *20%* _nháp_ [z](http://evil.example)"
RULE = "Quy tắc `mã` <script>alert(1)</script> $a$"
GROUP = "Nhóm # **một** [g](http://evil.example/g)"
NOTE = "Ghi chú: ![ảnh](http://evil.example/n.png) <i>nghiêng</i>"


# What a name must never become: a link or image to another host, the raw <img>, a script, rendered LaTeX (a
# heading's own "#…" anchor, made from its words, stays on the page).
_ACTIVE = "a[href*='evil']:not([href^='#']), img[src*='evil'], img[src='x'], script, .katex"


@pytest.fixture(scope="module")
def literal_server(start_server: Callable[..., Server], tmp_path_factory: pytest.TempPathFactory) -> Server:
    db = tmp_path_factory.mktemp("literal") / "parboard.duckdb"
    with draft(db) as d:
        fill_sample(d.con)
        d.con.execute("UPDATE unit SET name = ? WHERE unit_code = 'TST-S01'", [UNIT]).fetchall()
        d.con.execute(
            "UPDATE framework_item SET name = ? WHERE item_code = 'LV1' AND framework_id = 'TST/department/2024'",
            [AREA],
        ).fetchall()
        d.con.execute("UPDATE meta SET value = ? WHERE key = 'dataset_name'", [DATASET]).fetchall()
    preset = Path(__file__).resolve().parents[2] / "data" / "rules" / "quota" / "tt02-2024.yaml"
    data = yaml.safe_load(preset.read_text(encoding="utf-8"))
    data["notes"] = [{"vi": NOTE, "en": NOTE}]
    data["rules"][0]["name"] = {"vi": RULE, "en": RULE}
    data["rules"][0]["groups"][0]["name"] = {"vi": GROUP, "en": GROUP}
    analyst = Principal("ana", "Ana", "analyst", "cli")
    quota_service.save(db, analyst, data, SCENARIO, author="Ana <b>")
    return start_server(db)


def _shows(page: Page, texts: list[str]) -> None:
    """Each text appears in the page as typed. The escaping puts an invisible word joiner after "://" (so no
    address is turned into a link): what a person reads is the text without it."""
    expect(page.locator(MAIN)).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    seen = page.locator(MAIN).inner_text().replace("\u2060", "")
    seen += page.locator("[data-testid='stSidebar']").inner_text().replace("\u2060", "")
    missing = [t for t in texts if t not in seen]
    assert not missing, (missing, seen[:2000])


def _literal(page: Page, url: str, texts: list[str], shot: str) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    wait_ready(page, f"{MAIN} h1")
    main = page.locator(MAIN)
    _shows(page, texts)
    found = main.locator(_ACTIVE)
    assert found.count() == 0, [found.nth(i).evaluate("e => e.outerHTML")[:300] for i in range(found.count())]
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, shot)
    origin = url.split("/", 3)[:3]
    assert all(u.startswith("/".join(origin)) for u in requested), sorted(set(requested))


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_names_with_markdown_and_html_show_as_typed_on_every_page(
    literal_server: Server, page: Page, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    url = literal_server.url
    size = f"{width}x{height}"
    _literal(page, f"{url}/profile?unit=TST-S01", [UNIT], f"literal-profile-{size}")
    _literal(page, f"{url}/rankings?kind=department&year=2024&comp=LV1", [AREA], f"literal-rankings-{size}")
    _literal(page, f"{url}/progress?unit=TST-S01", [UNIT], f"literal-progress-{size}")
    _literal(page, f"{url}/data", [DATASET], f"literal-data-{size}")


def test_a_saved_scenario_shows_its_names_and_notes_as_typed(literal_server: Server, page: Page) -> None:
    from urllib.parse import quote

    page.set_viewport_size({"width": 1440, "height": 900})
    url = f"{literal_server.url}/quota?year=2024&scenario={quote(SCENARIO)}"
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(url)
    wait_ready(page, f"{MAIN} h1")
    main = page.locator(MAIN)
    # the rules and groups are explained in the first tab under the list, opened
    for expander in main.locator("[data-testid='stExpander'] summary").all():
        if expander.is_visible():
            expander.click()
    wait_ready(page)
    _shows(page, [RULE, GROUP, NOTE, SCENARIO])
    found = main.locator(_ACTIVE)
    assert found.count() == 0, [found.nth(i).evaluate("e => e.outerHTML")[:300] for i in range(found.count())]
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    screenshot(page, "literal-quota-1440x900")
    assert all(u.startswith(literal_server.url) for u in requested), sorted(set(requested))
