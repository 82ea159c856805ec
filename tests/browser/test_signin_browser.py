"""Sign-in on the real server in Chromium: the form on a fresh server, the cookie across a reload, sign-out,
and a reverse proxy's header; nothing is fetched from anywhere but the server itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import fill_sample
from playwright.sync_api import Browser, Page, expect

from access import audit
from access.accounts import accounts_path
from access.accounts import add as add_account
from access.accounts import remove as remove_account
from core.i18n import t
from store.db import draft

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


def _session_cookie(page: Page) -> list[dict]:
    """The session cookie, once the hidden frame has fetched it from the server (a few page ticks)."""
    for _ in range(100):
        found = [c for c in page.context.cookies() if c["name"] == "parboard_session"]
        if found:
            return found
        page.wait_for_timeout(100)
    return []


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
    expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"))
    cookie = _session_cookie(page)
    # Set by the server, out of reach of any script in the page.
    assert cookie and cookie[0]["sameSite"] == "Strict" and cookie[0]["httpOnly"] is True
    assert page.evaluate("document.cookie").find("parboard_session") == -1

    page.reload()  # a new session: the cookie signs the reader in again, no form
    wait_ready(page, H1)
    expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"))

    # A copy of the cookie, kept as a thief would keep it.
    stolen = [c for c in page.context.cookies() if c["name"] == "parboard_session"]
    sidebar.get_by_role("button", name=t("access.signin.sign_out", "vi")).click()
    _form(page)
    page.wait_for_timeout(500)  # the hidden frame asks the server to delete the cookie
    page.reload()
    _form(page)  # signed out for good: the cookie is gone
    assert not [c for c in page.context.cookies() if c["name"] == "parboard_session"]
    # ...and the copy taken before the sign-out signs nobody in: the server ended that session.
    page.context.add_cookies(stolen)
    page.reload()
    _form(page)

    # Signed in with a cookie, then the account is removed: the next visit asks to sign in again.
    _sign_in(page, "bob", PASSWORD)
    expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"), timeout=PAGE_TIMEOUT_MS)
    remove_account(accounts_path(password_db), "bob")
    page.reload()
    _form(page)

    assert requested and all(url.startswith(server.url) for url in requested), sorted(
        {url for url in requested if not url.startswith(server.url)}
    )
    events = [
        (e["action"], e["outcome"], e["details"].get("method"))
        for e in reversed(audit.read(password_db))
        if e["action"] in ("sign_in", "sign_out")
    ]
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
    # The proxy runs on this machine: its address is every local program's, so it also sends a secret.
    secret = tmp_path_factory.mktemp("proxy") / "secret"
    secret.write_text("s3cret-known-only-to-the-proxy-" + "x" * 16 + "\n")
    server = start_server(
        db,
        auth="header",
        header="X-Remote-User",
        env={"PARBOARD_TRUSTED_PROXY": "127.0.0.1", "PARBOARD_PROXY_SECRET_FILE": str(secret)},
    )
    proof = {"X-Parboard-Proxy-Secret": secret.read_text().strip()}
    proxied = browser.new_context(extra_http_headers={"X-Remote-User": "ana", **proof})
    # Another program on the machine sends the header for an existing account, without the secret.
    local = browser.new_context(extra_http_headers={"X-Remote-User": "ana"})
    direct = browser.new_context(extra_http_headers={"X-Remote-User": "mallory", **proof})
    try:
        page = proxied.new_page()
        page.goto(server.url)
        wait_ready(page, H1)
        expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"))
        expect(page.locator(SIDEBAR).get_by_text("Ana Phân Tích")).to_be_visible()

        response = local.request.get(server.url + "/")
        assert response.status == 403
        page = local.new_page()
        page.goto(server.url)
        expect(page.locator("[data-testid='stApp']")).to_have_count(0)

        page = direct.new_page()  # a name the accounts file does not know
        page.goto(server.url)
        wait_ready(page, "[data-testid='stAlertContentError']")
        expect(page.locator(H1)).to_have_count(0)
        expect(page.get_by_text("X-Remote-User").first).to_be_visible()
    finally:
        proxied.close()
        local.close()
        direct.close()
    (event,) = [e for e in audit.read(db) if e["action"] == "sign_in"]
    assert (event["who"], event["via"], event["details"]["method"]) == ("ana", "header", "header")


EVIL = "[x](http://evil) ![i](http://evil/i.png)"


def test_downloads_and_metrics_need_a_session_headers_protect_the_page_and_data_shows_literally(
    browser: Browser, start_server: Callable[..., Server], tmp_path_factory: pytest.TempPathFactory
) -> None:
    db = tmp_path_factory.mktemp("guarded") / "parboard.duckdb"
    with draft(db) as d:
        fill_sample(d.con)
        d.con.execute("UPDATE unit SET name = ? WHERE unit_code = 'TST-S01'", [EVIL]).fetchall()
    add_account(accounts_path(db), "ana", "analyst", PASSWORD, "Ana Phân Tích")
    server = start_server(db, auth="password")
    reader = browser.new_context(viewport={"width": 1440, "height": 900})
    stranger = browser.new_context()
    try:
        page = reader.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        response = page.goto(server.url)
        assert response is not None
        headers = response.headers
        assert "frame-ancestors 'self'" in headers["content-security-policy"]
        assert "img-src 'self' data: blob:" in headers["content-security-policy"]
        assert (headers["x-frame-options"], headers["x-content-type-options"]) == ("SAMEORIGIN", "nosniff")
        assert headers["referrer-policy"] == "same-origin"
        _form(page)
        _sign_in(page, "ana", PASSWORD)
        expect(page.locator(H1)).to_have_text(t("dashboard.nav.overview", "vi"), timeout=PAGE_TIMEOUT_MS)
        assert _session_cookie(page)

        # The unit's name as typed: no link, no image, nothing fetched from another host.
        page.goto(f"{server.url}/profile?unit=TST-S01")
        wait_ready(page, H1)
        main = page.locator("[data-testid='stMain']")
        # As typed, less the invisible word joiner after "://" that keeps it from being read as an address.
        shown = EVIL.replace("://", "://\u2060")
        expect(main.get_by_text(shown, exact=True).first).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        expect(main.locator("a[href*='evil'], img[src*='evil']")).to_have_count(0)
        screenshot(page, "signin-literal-unit-name")

        # An export: served to this session, refused to a browser without one.
        page.goto(f"{server.url}/rankings")
        wait_ready(page, "[data-testid='stDataFrame']")
        menus = page.get_by_role("button", name="Tải xuống")
        menus.nth(menus.count() - 1).click()
        button = page.locator("[data-testid='stDownloadButton'] button", has_text="CSV (UTF-8)").first
        with page.expect_download(timeout=PAGE_TIMEOUT_MS) as info:
            button.click()
        url = info.value.url
        assert info.value.failure() is None and "/media/" in url, url
        assert reader.request.get(url).status == 200
        assert stranger.request.get(url).status == 403
        assert stranger.request.get(server.url + "/_stcore/metrics").status == 403
        assert reader.request.get(server.url + "/_stcore/metrics").status == 200
        # A ticket that was never issued sets no cookie.
        assert stranger.request.get(server.url + "/_parboard/session?ticket=guess").status == 403
        assert not stranger.cookies()

        assert requested and all(u.startswith(server.url) for u in requested), sorted(
            {u for u in requested if not u.startswith(server.url)}
        )
    finally:
        reader.close()
        stranger.close()
