"""The sign-in gate in AppTest: what someone not signed in can see (nothing but the form), what each role may
do on the quota page, and what the audit trail records.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import fill_sample
from streamlit.testing.v1 import AppTest

from access import audit, throttle
from access.accounts import account, accounts_path, end_sessions, set_password, set_role
from access.accounts import add as add_account
from access.accounts import remove as remove_account
from access.policy import Denied, Principal
from access.sessions import cookie_settings, issue, signed_in
from analysis.quota import presets
from core.i18n import t
from dashboard import guard, signin
from dashboard.text import plain
from services import scenario_actions
from store.db import draft
from store.scenarios import ScenarioStore

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
QUOTA = str(ROOT / "dashboard" / "screens" / "quota.py")
TIMEOUT_S = 30
PASSWORD = "correct horse battery"
DATASET = "Tỉnh Thử Nghiệm"  # in the sample database's name, shown in the sidebar to signed-in readers


@pytest.fixture
def db(tmp_path: Path, sample_publisher: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sample database of this test's own (its audit trail, accounts and scenarios sit beside it)."""
    db = sample_publisher(tmp_path / "parboard.duckdb")
    monkeypatch.setenv("PARBOARD_DB", str(db))
    monkeypatch.setenv("PARBOARD_AUTH", "password")
    return db


@pytest.fixture(scope="module")
def accounts_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once (bcrypt is slow on purpose): an analyst, a viewer and an admin."""
    path = tmp_path_factory.mktemp("accounts") / "parboard.users.yaml"
    add_account(path, "ana", "analyst", PASSWORD, "Ana Phân Tích")
    add_account(path, "vic", "viewer", PASSWORD, "Vic Lãnh Đạo")
    add_account(path, "root", "admin", PASSWORD, "Quản Trị")
    return path


@pytest.fixture
def accounts(db: Path, accounts_file: Path) -> Path:
    """The accounts beside this test's database, where the server looks for them."""
    path = accounts_path(db)
    shutil.copy(accounts_file, path)
    return path


@pytest.fixture
def app() -> Callable[..., AppTest]:
    def make(lang: str | None = None, username: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        if lang:
            at.query_params["lang"] = lang
        if username:  # signed in earlier in this session (what the form or the cookie leaves behind)
            at.session_state["authentication_status"] = True
            at.session_state["username"] = username
        return at.run()

    return make


def _texts(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("title", "markdown", "caption", "error", "warning", "info", "code")
        for e in getattr(at, kind)
    ]
    parts += [e.value for kind in ("markdown", "caption", "warning") for e in getattr(at.sidebar, kind)]
    return "\n".join(str(p) for p in parts)


def _no_page(at: AppTest) -> None:
    """Nothing of any page rendered: no title, metric, table or chart, no dataset in the sidebar."""
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.title if e.value != t("access.signin.no_accounts_title")] == []
    assert not at.metric and not at.dataframe and not at.table and not at.get("plotly_chart")
    assert DATASET not in _texts(at)


def _sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def _events(db: Path, action: str) -> list[dict]:
    return [e for e in reversed(audit.read(db)) if e["action"] == action]


def test_without_accounts_the_page_says_how_to_create_the_first_admin(db: Path, app: Callable[..., AppTest]) -> None:
    at = app()
    _no_page(at)
    assert [e.value for e in at.title] == [t("access.signin.no_accounts_title", "vi")]
    assert [c.value for c in at.code] == ["parboard user add NAME --role admin"]
    assert str(accounts_path(db)) in _texts(at)
    assert not at.text_input  # no form to try passwords against
    at = app(lang="en")
    assert [e.value for e in at.title] == ["No accounts yet"]


def test_nobody_signed_in_sees_the_form_and_no_page(accounts: Path, app: Callable[..., AppTest]) -> None:
    at = app()
    _no_page(at)
    assert [w.label for w in at.text_input] == [t("access.signin.username", "vi"), t("access.signin.password", "vi")]
    assert at.text_input[1].proto.type == at.text_input[1].proto.PASSWORD
    assert [b.label for b in at.button] == [t("access.signin.submit", "vi")]
    # A link straight to a page shows the same form, not the page.
    at.switch_page(QUOTA).run()
    _no_page(at)
    assert len(at.text_input) == 2
    at = app(lang="en")
    assert [w.label for w in at.text_input] == ["Username", "Password"] and at.button[0].label == "Sign in"


def test_a_wrong_password_is_refused_and_recorded_then_the_right_one_opens_the_dashboard(
    db: Path, accounts: Path, app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: object) -> None:
        raise AssertionError(f"network connection attempted: {args}")

    # Sign-in needs no network: any connection attempt from the server side fails the run.
    monkeypatch.setattr(socket.socket, "connect", offline)
    monkeypatch.setattr(socket.socket, "connect_ex", offline)
    at = _sign_in(app(), "ana", "not the password")
    _no_page(at)
    assert [e.value for e in at.error] == [t("access.signin.refused", "vi")]
    at = _sign_in(at, "nobody", PASSWORD)
    assert [e.value for e in at.error] == [t("access.signin.refused", "vi")]

    at = _sign_in(at, "ana", PASSWORD)
    assert not at.exception and not at.error
    assert not at.text_input  # the form is gone
    assert [e.value for e in at.title][:1] == [t("dashboard.nav.overview", "vi")]  # the overview page ran
    assert DATASET in _texts(at)
    assert "Ana Phân Tích" in _texts(at) and t("access.role.analyst", "vi") in _texts(at)
    at.run()  # another rerun of the same session records nothing new

    refused, done = _events(db, "sign_in")[:2], _events(db, "sign_in")[2:]
    assert [(e["outcome"], e["target"], e["details"]["known"]) for e in refused] == [
        ("refused", "ana", True),
        ("refused", "", False),  # an unknown name is not written down
    ]
    assert [(e["outcome"], e["who"], e["role"], e["via"]) for e in done] == [("done", "ana", "analyst", "password")]


def test_sign_out_returns_to_the_form_and_is_recorded(db: Path, accounts: Path, app: Callable[..., AppTest]) -> None:
    at = _sign_in(app(), "vic", PASSWORD)
    assert DATASET in _texts(at)
    (sign_out,) = [b for b in at.sidebar.button if b.label == t("access.signin.sign_out", "vi")]
    at = sign_out.click().run()
    _no_page(at)
    assert len(at.text_input) == 2
    assert [(e["outcome"], e["who"]) for e in _events(db, "sign_out")] == [("done", "vic")]


def test_a_viewer_gets_no_save_controls_and_the_service_refuses_them(
    db: Path, accounts: Path, app: Callable[..., AppTest]
) -> None:
    ScenarioStore(db).save("Bản có sẵn", presets.raw("an-bien-2020"), "Ana Phân Tích")
    at = app(username="vic")
    at.switch_page(QUOTA).run()
    assert not at.exception
    assert "Bản có sẵn" in _texts(at)  # the saved scenarios are listed, read-only
    labels = {b.label for b in at.button}
    page = "quota.page."
    assert not labels & {t(page + k, "vi") for k in ("save_button", "duplicate", "delete")}
    assert not [w for w in at.text_input if w.label == t(page + "save_name", "vi")]

    # The button is hidden, and the server refuses anyway.
    vic = Principal("vic", "Vic Lãnh Đạo", "viewer", "password")
    with pytest.raises(Denied):
        scenario_actions.save(db, vic, "Của Vic", presets.raw("an-bien-2020"))
    with pytest.raises(Denied):
        scenario_actions.delete(db, vic, "Bản có sẵn")
    assert [s.name for s in ScenarioStore(db).list()] == ["Bản có sẵn"]
    assert [(e["outcome"], e["who"], e["details"]["operation"]) for e in _events(db, "save_scenario")] == [
        ("denied", "vic", "save"),
        ("denied", "vic", "delete"),
    ]


def test_an_analyst_saves_from_the_page_and_loses_the_controls_when_demoted(
    db: Path, accounts: Path, app: Callable[..., AppTest]
) -> None:
    at = app(username="ana")
    at.switch_page(QUOTA).run()
    (name,) = [w for w in at.text_input if w.label == t("quota.page.save_name", "vi")]
    (author,) = [w for w in at.text_input if w.label == t("quota.page.save_author", "vi")]
    assert author.value == "Ana Phân Tích"  # filled in from the account
    name.input("Bản của Ana")
    (save,) = [b for b in at.button if b.label == t("quota.page.save_button", "vi")]
    at = save.click().run()
    assert not at.exception and not at.error
    assert [s.name for s in ScenarioStore(db).list()] == ["Bản của Ana"]
    assert ScenarioStore(db).get("Bản của Ana").author == "Ana Phân Tích"
    (event,) = _events(db, "save_scenario")
    assert (event["outcome"], event["who"], event["role"], event["target"]) == ("done", "ana", "analyst", "Bản của Ana")

    # The role is read at each step: demoted, the same session sees no controls on its next rerun.
    set_role(accounts, "ana", "viewer")
    at.run()
    assert not [b for b in at.button if b.label == t("quota.page.save_button", "vi")]


def test_a_removed_account_is_signed_out_at_its_next_step(accounts: Path, app: Callable[..., AppTest]) -> None:
    at = app(username="vic")
    assert DATASET in _texts(at)
    remove_account(accounts, "vic")
    at.run()
    _no_page(at)
    assert len(at.text_input) == 2
    assert t("access.signin.account_gone", "vi", username="vic") in _texts(at)


def test_with_sign_in_off_every_page_says_so(
    db: Path, app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARBOARD_AUTH", "off")
    at = app()
    assert not at.exception and DATASET in _texts(at)
    assert [w.value for w in at.sidebar.warning] == [t("access.signin.off_notice", "vi")]
    at.switch_page(QUOTA).run()
    assert [w.value for w in at.sidebar.warning] == [t("access.signin.off_notice", "vi")]
    assert t("quota.page.save_button", "vi") in {b.label for b in at.button}  # the local user is admin
    at = app(lang="en")
    assert [w.value for w in at.sidebar.warning] == [t("access.signin.off_notice", "en")]


def test_header_mode_without_the_proxy_header_shows_no_page(
    accounts: Path, app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    # AppTest sends no headers: this is a request that did not come through the proxy.
    monkeypatch.setenv("PARBOARD_AUTH", "header")
    monkeypatch.setenv("PARBOARD_AUTH_HEADER", "X-Remote-User")
    at = app(username="ana")  # a session flag from password mode counts for nothing here
    _no_page(at)
    assert not at.text_input
    assert [e.value for e in at.error] == [t("access.signin.header_missing", "vi", header="X-Remote-User", username="")]


# --- Repeated wrong passwords -------------------------------------------------------------------------------


def _locked_prefix(lang: str = "vi") -> str:
    """The locked message up to the time it names (the time itself depends on when the lock started)."""
    return t("access.signin.locked", lang, time="§", minutes="§").split("§")[0]


def test_lock_out_grows_and_is_capped() -> None:
    waits = [throttle.lock_for(n) for n in range(1, throttle.FREE_FAILURES + 8)]
    assert waits[: throttle.FREE_FAILURES - 1] == [0.0] * (throttle.FREE_FAILURES - 1)
    assert waits[throttle.FREE_FAILURES - 1 : throttle.FREE_FAILURES + 2] == [30.0, 60.0, 120.0]
    assert max(waits) == throttle.MAX_LOCK_S


def test_the_lock_is_per_account_and_per_address_and_fades(tmp_path: Path) -> None:
    path = tmp_path / "parboard.users.yaml"
    now = 1_000_000.0
    # Five wrong passwords for ana, each from another address: the account locks, no address does.
    for i in range(throttle.FREE_FAILURES):
        lock = throttle.failed(path, throttle.keys("ana", f"10.0.0.{i}", known=True), now=now)
    assert lock is not None and (lock.key, lock.until) == ("account:ana", now + throttle.FIRST_LOCK_S)
    assert throttle.check(path, throttle.keys("ana", "10.9.9.9", known=True), now=now + 1) == lock
    assert throttle.check(path, throttle.keys("vic", "10.9.9.9", known=True), now=now + 1) is None
    # Five wrong names from one address: the address locks, for every account, and unknown names are not kept.
    for i in range(throttle.FREE_FAILURES):
        lock = throttle.failed(path, throttle.keys(f"guess{i}", "10.1.1.1", known=False), now=now)
    assert lock is not None and lock.key == "address:10.1.1.1"
    assert throttle.check(path, throttle.keys("vic", "10.1.1.1", known=True), now=now + 1) == lock
    assert not any("guess" in key for key in json.loads(throttle.state_path(path).read_text()))
    # Locks end; a right password clears its account's count, not the address's.
    assert throttle.check(path, throttle.keys("ana", "10.9.9.9", known=True), now=now + 31) is None
    throttle.succeeded(path, "ana", now=now + 31)
    assert throttle.failed(path, throttle.keys("ana", "10.9.9.9", known=True), now=now + 32) is None
    # Failures older than the window no longer count.
    later = now + throttle.WINDOW_S + 60
    assert throttle.failed(path, throttle.keys("x", "10.1.1.1", known=False), now=later) is None


def test_wrong_passwords_lock_the_account_in_every_session_with_a_message_and_a_record(
    db: Path, accounts: Path, app: Callable[..., AppTest]
) -> None:
    at = app()
    for _ in range(throttle.FREE_FAILURES - 1):
        at = _sign_in(at, "ana", "not the password")
        assert [e.value for e in at.error] == [t("access.signin.refused", "vi")]
    at = _sign_in(at, "ana", "not the password")
    (locked,) = [e.value for e in at.error]
    assert locked.startswith(_locked_prefix())
    # The right password now changes nothing, here, in another tab, or for another account from this address.
    at = _sign_in(at, "ana", PASSWORD)
    _no_page(at)
    assert next(e.value for e in at.error).startswith(_locked_prefix())
    for username in ("ana", "vic"):
        other = _sign_in(app(), username, PASSWORD)
        _no_page(other)
        assert next(e.value for e in other.error).startswith(_locked_prefix())
    english = _sign_in(app(lang="en"), "ana", PASSWORD)
    assert next(e.value for e in english.error).startswith(_locked_prefix("en"))

    events = [e for e in _events(db, "sign_in")]
    assert all(e["outcome"] == "refused" for e in events)
    assert [e["details"].get("locked") for e in events[: throttle.FREE_FAILURES]] == [None] * (
        throttle.FREE_FAILURES - 1
    ) + ["account"]
    later = events[throttle.FREE_FAILURES :]
    assert all(e["details"].get("locked") in ("account", "address") for e in later)
    # vic's own account had no failures: only the address stopped it.
    assert [e["details"]["locked"] for e in later if e["target"] == "vic"] == ["address"]

    # Time passes (the lock's end is moved to the past): the right password signs in and clears the count.
    state = throttle.state_path(accounts)
    expired = {k: {**v, "until": 0.0} for k, v in json.loads(state.read_text()).items()}
    state.write_text(json.dumps(expired))
    at = _sign_in(app(), "ana", PASSWORD)
    assert not at.error and DATASET in _texts(at)
    assert "account:ana" not in json.loads(state.read_text())


# --- Sessions end on the server ----------------------------------------------------------------------------


def test_a_token_stops_working_after_sign_out_a_new_password_a_new_role_or_removal(accounts: Path) -> None:
    _, key, lifetime = cookie_settings(accounts)

    def token(username: str) -> str:
        found = account(accounts, username)
        assert found is not None
        return issue(key, found, lifetime)

    old = token("ana")
    assert signed_in(accounts, old) == account(accounts, "ana")
    assert signed_in(accounts, old + "0") is None  # a changed signature
    assert signed_in(accounts, old, now=time.time() + lifetime + 1) is None  # expired
    set_password(accounts, "ana", "another long password")
    assert signed_in(accounts, old) is None
    fresh = token("ana")
    set_role(accounts, "ana", "viewer")
    assert signed_in(accounts, fresh) is None
    fresh = token("ana")
    end_sessions(accounts, "ana")  # what sign-out does
    assert signed_in(accounts, fresh) is None
    # Removed, then added again under the same name: the old token does not fit the new account.
    fresh = token("vic")
    remove_account(accounts, "vic")
    add_account(accounts, "vic", "viewer", PASSWORD)
    assert signed_in(accounts, fresh) is None


def test_a_new_password_ends_an_open_session_at_its_next_step(
    db: Path, accounts: Path, app: Callable[..., AppTest]
) -> None:
    at = _sign_in(app(), "ana", PASSWORD)
    assert DATASET in _texts(at)
    set_password(accounts, "ana", "another long password")
    at.run()
    _no_page(at)
    assert t("access.signin.session_ended", "vi") in _texts(at)
    assert len(at.text_input) == 2


def test_signing_out_in_one_tab_ends_the_other_tabs(db: Path, accounts: Path, app: Callable[..., AppTest]) -> None:
    first = _sign_in(app(), "vic", PASSWORD)
    second = _sign_in(app(), "vic", PASSWORD)
    assert DATASET in _texts(second)
    (sign_out,) = [b for b in first.sidebar.button if b.label == t("access.signin.sign_out", "vi")]
    sign_out.click().run()
    second.run()
    _no_page(second)
    assert t("access.signin.session_ended", "vi") in _texts(second)


def test_the_form_asks_the_server_for_the_cookie_with_a_one_time_ticket(
    accounts: Path, app: Callable[..., AppTest]
) -> None:
    at = _sign_in(app(), "ana", PASSWORD)
    frame = at.session_state[signin._COOKIE_FRAME]
    assert frame.startswith(guard.SESSION_ROUTE + "?ticket=")
    ticket = frame.split("=", 1)[1]
    token = guard._redeem(ticket)
    assert token and signed_in(accounts, token) == account(accounts, "ana")
    assert guard._redeem(ticket) is None  # one time only
    assert ticket not in token and "ana" not in ticket  # the ticket says nothing itself


# --- Starting the server ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--auth", "header"], "header_needs_proxy"),
        (["--auth", "header", "--trusted-proxy", "127.0.0.1"], "proxy_needs_secret"),
        (["--auth", "header", "--trusted-proxy", "proxy.example"], "bad_proxy"),
        (["--auth", "header", "--trusted-proxy", "10.0.0.5", "--proxy-secret-file", "SHORT"], "secret_unreadable"),
    ],
)
def test_header_mode_refuses_to_start_without_a_trusted_proxy(
    db: Path, tmp_path: Path, args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from cli.main import main

    short = tmp_path / "secret"
    short.write_text("too short\n")
    args = [str(short) if a == "SHORT" else a for a in args]
    assert main(["serve", "--db", str(db), *args]) == 2
    err = capsys.readouterr().err
    prefix = t(f"access.cli.{message}", "vi", header="§", proxy="§", file="§", minimum="§").split("§")[0]
    assert err.startswith(prefix), err


# --- Data shown literally -----------------------------------------------------------------------------------

EVIL = "[x](http://evil) ![i](http://evil/i.png)"


def test_a_unit_named_like_markdown_shows_literally(
    tmp_path: Path, app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "parboard.duckdb"
    with draft(db) as d:
        fill_sample(d.con)
        d.con.execute("UPDATE unit SET name = ? WHERE unit_code = 'TST-S01'", [EVIL]).fetchall()
    monkeypatch.setenv("PARBOARD_DB", str(db))
    monkeypatch.setenv("PARBOARD_AUTH", "off")
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params["unit"] = "TST-S01"
    at.run()
    at.switch_page(str(ROOT / "dashboard" / "screens" / "profile.py")).run()
    assert not at.exception
    (heading,) = [h.value for h in at.subheader if "evil" in h.value]
    # What Markdown renders from the escaped heading is the name as typed, with no link and no image.
    assert _rendered(heading).replace("\u2060", "") == EVIL  # less the word joiner that stops autolinks
    assert "](" not in heading.replace("\\]\\(", "")


def _rendered(markdown: str) -> str:
    """The text a CommonMark renderer shows for markdown (backslash escapes resolved)."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize(
    "value", [EVIL, ":red[x] :material/home: $x^2$", "# heading\n- item", "<img src=x>", "`code` **b** ~~s~~ | t |"]
)
def test_plain_makes_markdown_show_the_value_as_typed(value: str) -> None:
    escaped = plain(value)
    # (a word joiner, invisible, follows "://" so that no renderer finds a web address to link)
    assert _rendered(escaped).replace("\u2060", "") == value.replace("\n", " ")
    # No Markdown construct survives: every special character is behind a backslash.
    assert not re.search(r"(?<!\\)[\[\]()!`*:$#<>|~]", escaped)
