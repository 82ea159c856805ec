"""Sign-in on the real server in Chromium: the form on a fresh server, the cookie across a reload, sign-out,
and a reverse proxy's header; nothing is fetched from anywhere but the server itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from access import audit
from access.accounts import accounts_path
from access.accounts import add as add_account
from access.accounts import remove as remove_account
from core.i18n import t

from .conftest import PAGE_TIMEOUT_MS, Server, screenshot, wait_ready

pytestmark = pytest.mark.browser

H1 = "[data-testid='stMain'] h1"
SIDEBAR = "[data-testid='stSidebar']"
PASSWORD = "correct horse battery"


def _db(tmp_path_factory: pytest.TempPathFactory, publish: Callable[[Path], Path], name: str) -> Path:
    db = publish(tmp_path_factory.mktemp(name) / "parboard.duckdb")
    add_account(accounts_path(db), "ana", "analyst", PASSWORD, "Ana Phân Tích")
    return db


@pytest.fixture(scope="module")
def password_db(tmp_path_factory: pytest.TempPathFactory, sample_publisher: Callable[[Path], Path]) -> Path:
    db = _db(tmp_path_factory, sample_publisher, "password")
    add_account(accounts_path(db), "bob", "viewer", PASSWORD, "Bob")
    return db


def _form(page: Page) -> None:
    wait_ready(page, "[data-testid='stForm']")
    expect(page.get_by_label(t("access.signin.username", "vi"))).to_be_visible()
    expect(page.locator(H1)).to_have_count(0)  # no page
    expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)


def _sign_in(page: Page, username: str, password: str) -> None:
    page.get_by_label(t("access.signin.username", "vi")).fill(username)
    page.get_by_label(t("access.signin.password", "vi"), exact=True).fill(password)
    page.get_by_role("button", name=t("access.signin.submit", "vi")).click()


def test_sign_in_with_the_form_stay_signed_in_across_a_reload_then_sign_out(
    page: Page, start_server: Callable[..., Server], password_db: Path
) -> None:
    server = start_server(password_db, auth="password")  # fresh: this is its first session
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    # The cookie component's first answer reruns the script, which would hide a form drawn with the ids of a
    # fresh server's first run; without it, the first attempt must still reach the server.
    page.route("**/component/**", lambda route: route.abort())
    page.goto(server.url)
    _form(page)
    screenshot(page, "signin-form")
    _sign_in(page, "ana", "not the password")
    expect(page.get_by_text(t("access.signin.refused", "vi"))).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.locator(H1)).to_have_count(0)
    page.unroute("**/component/**")

    _sign_in(page, "ana", PASSWORD)
    expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"), timeout=PAGE_TIMEOUT_MS)
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text("Ana Phân Tích")).to_be_visible()
    expect(page.locator("[data-testid='stForm']")).to_have_count(0)
    wait_ready(page)
    screenshot(page, "signin-overview")
    cookie = [c for c in page.context.cookies() if c["name"] == "parboard_session"]
    assert cookie and cookie[0]["sameSite"] == "Strict"

    page.reload()  # a new session: the cookie signs the reader in again, no form
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"))

    sidebar.get_by_role("button", name=t("access.signin.sign_out", "vi")).click()
    _form(page)
    page.wait_for_timeout(500)  # the cookie is deleted by a script in the page
    page.reload()
    _form(page)  # signed out for good: the cookie is gone
    assert not [c for c in page.context.cookies() if c["name"] == "parboard_session"]

    # Signed in with a cookie, then the account is removed: the next visit asks to sign in again.
    _sign_in(page, "bob", PASSWORD)
    expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"), timeout=PAGE_TIMEOUT_MS)
    remove_account(accounts_path(password_db), "bob")
    page.reload()
    _form(page)

    assert requested and all(url.startswith(server.url) for url in requested), sorted(
        {url for url in requested if not url.startswith(server.url)}
    )
    events = [(e["action"], e["outcome"], e["details"].get("method")) for e in reversed(audit.read(password_db))]
    assert events == [
        ("sign_in", "refused", None),
        ("sign_in", "done", "form"),
        ("sign_in", "done", "cookie"),
        ("sign_out", "done", None),
        ("sign_in", "done", "form"),
    ]


def test_behind_a_proxy_the_header_names_the_reader(
    browser: Browser,
    start_server: Callable[..., Server],
    tmp_path_factory: pytest.TempPathFactory,
    sample_publisher: Callable[[Path], Path],
) -> None:
    db = _db(tmp_path_factory, sample_publisher, "header")
    server = start_server(db, auth="header", header="X-Remote-User")
    proxied = browser.new_context(extra_http_headers={"X-Remote-User": "ana"})
    direct = browser.new_context(extra_http_headers={"X-Remote-User": "mallory"})
    try:
        page = proxied.new_page()
        page.goto(server.url)
        wait_ready(page, H1)
        expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"))
        expect(page.locator(SIDEBAR).get_by_text("Ana Phân Tích")).to_be_visible()

        page = direct.new_page()  # a name the accounts file does not know
        page.goto(server.url)
        wait_ready(page, "[data-testid='stAlertContentError']")
        expect(page.locator(H1)).to_have_count(0)
        expect(page.get_by_text("X-Remote-User").first).to_be_visible()
    finally:
        proxied.close()
        direct.close()
    (event,) = [e for e in audit.read(db) if e["action"] == "sign_in"]
    assert (event["who"], event["via"], event["details"]["method"]) == ("ana", "header", "header")
