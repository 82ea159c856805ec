"""The sign-in gate in AppTest: what someone not signed in can see (nothing but the form), what each role may
do on the quota page, and what the audit trail records.
"""

from __future__ import annotations

import shutil
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from access import audit
from access.accounts import accounts_path, set_role
from access.accounts import add as add_account
from access.accounts import remove as remove_account
from access.policy import Denied, Principal
from analysis.quota import presets
from core.i18n import t
from services import scenario_actions
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
