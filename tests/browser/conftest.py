"""The real dashboard server in a child process, and Debian's Chromium to look at it.

Each server runs `dashboard.serve.serve_command` (what `parboard serve` runs) in its own process group,
so teardown can stop Streamlit and anything it started, even after a failed test. The process and browser
helpers are shared with the benchmarks (bench/browser.py).
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, stop
from dashboard.serve import PROJECT_ROOT, serve_command, serve_env

# Every page of the dashboard, one per file in dashboard/screens (a page's file, address and title share its
# name): a new page is walked, printed and photographed without being listed here.
ALL_PAGES = tuple(sorted(p.stem for p in (PROJECT_ROOT / "dashboard" / "screens").glob("*.py") if p.stem != "__init__"))
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
START_TIMEOUT_S = 30.0
PAGE_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session", autouse=True)
def _chromium_installed() -> None:
    # A missing browser is a missing install step, not a reason to skip: `./parboard.sh test` installs it.
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: run ./parboard.sh test, or apt-get install -y chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}}


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Server]]:
    """start_server(db, auth="off", header=None, env=None) → a healthy server on a free port; every server is
    stopped at session end. Sign-in is off unless a test asks for a mode (env: extra variables, e.g.
    PARBOARD_USERS for an accounts file)."""
    started: list[Server] = []

    def start(db: Path, auth: str = "off", header: str | None = None, env: dict[str, str] | None = None) -> Server:
        port = free_port()
        log = tmp_path_factory.mktemp("server") / "streamlit.log"
        with open(log, "wb") as out:
            # A file, not a pipe: a chatty server can never block on a full pipe buffer.
            proc = subprocess.Popen(
                serve_command(port=port),
                env={**serve_env(db, auth=auth, header=header), **(env or {})},
                cwd=PROJECT_ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Server(f"http://127.0.0.1:{port}", proc, log)
        started.append(server)
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(server.url):
            if proc.poll() is not None:
                pytest.fail(f"server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                stop(proc)
                pytest.fail(f"server not healthy after {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        return server

    yield start
    for server in started:
        stop(server.proc)


@pytest.fixture(scope="session")
def sample_server(start_server: Callable[[Path], Server], sample_db: Path) -> Server:
    return start_server(sample_db)


@pytest.fixture(scope="session")
def empty_server(start_server: Callable[[Path], Server], empty_db: Path) -> Server:
    return start_server(empty_db)


def wait_ready(page: Page, content: str | None = None) -> None:
    """Connected, script finished, and (if given) a content selector visible: as Streamlit's own e2e suite."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=PAGE_TIMEOUT_MS)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=PAGE_TIMEOUT_MS)
    if content:
        expect(page.locator(content).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)


def screenshot(page: Page, name: str) -> Path:
    """The whole page, not only the viewport: Streamlit scrolls inside its main block, not the body."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    viewport = page.viewport_size or {"width": 1440, "height": 900}
    height = page.evaluate(
        "() => Math.max(...['stMain', 'stAppViewContainer', 'stSidebarContent']"
        ".map(id => document.querySelector(`[data-testid='${id}']`))"
        ".filter(Boolean).map(el => el.scrollHeight), document.body.scrollHeight)"
    )
    page.set_viewport_size({"width": viewport["width"], "height": min(int(height) + 40, 12_000)})
    try:
        page.wait_for_timeout(300)  # let the tables re-measure to the taller viewport
        page.screenshot(path=path, full_page=True)
    finally:
        page.set_viewport_size(viewport)
    return path


def pick(page: Page, combobox: Locator, typed: str, option: str, *, exact: bool = True) -> None:
    """Type into a select box, then take `option` with the keyboard.

    The list is virtualised and re-drawn whenever the page lays out or runs again, so a mouse click can land on a
    node that has just been replaced, and a rerun while the list is open can commit the focused option by itself.
    Moving the list's own focus to the option and pressing Enter cannot miss, and a box that already holds the
    option is done. `exact=False` takes the first option whose text contains `option`."""

    def matches(text: str) -> bool:
        return text.strip() == option if exact else option in text

    combobox.press_sequentially(typed)  # typing opens the list, filtered
    focused = page.locator("[role='option'][data-focused='true']")
    deadline = time.monotonic() + PAGE_TIMEOUT_MS / 1000
    closed_since: float | None = None
    while time.monotonic() < deadline:
        open_list = page.get_by_role("option").count() > 0
        held = combobox.input_value()
        if held.strip() != typed.strip() and matches(held):  # a rerun committed it while the list was open
            if open_list:
                combobox.press("Escape")
            return
        if not open_list:
            # A rerun that draws the box again closes its list: open it again, typing again if it was emptied.
            closed_since = closed_since or time.monotonic()
            if time.monotonic() - closed_since > 1.0:
                if held.strip():
                    combobox.press("ArrowDown")
                else:
                    combobox.press_sequentially(typed)
                closed_since = None
            page.wait_for_timeout(100)
            continue
        closed_since = None
        texts = focused.all_inner_texts()
        if texts and matches(texts[0]):
            combobox.press("Enter")  # the caller checks what the choice did: a multiselect's input empties
            return
        # Move the focus towards the option, up or down, then let the list mark it before looking again: keys
        # pressed faster than a busy page redraws the list run past it.
        shown = page.get_by_role("option").all_inner_texts()
        wanted = next((i for i, text in enumerate(shown) if matches(text)), None)
        at = shown.index(texts[0]) if texts and texts[0] in shown else None
        combobox.press("ArrowUp" if wanted is not None and at is not None and at > wanted else "ArrowDown")
        page.wait_for_timeout(100)
    raise AssertionError(
        f"{option!r} was neither offered nor chosen after typing {typed!r}: {combobox.input_value()!r}"
    )
