"""Roles, accounts, the audit trail and the commands that manage them, on real files."""

from __future__ import annotations

import io
import json
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from access import audit
from access.accounts import AccountError, accounts_path, read_config, set_password, set_role, verify
from access.accounts import account as find_account
from access.accounts import add as add_account
from access.accounts import remove as remove_account
from access.policy import ACTIONS, ROLES, Denied, Principal, allowed, require
from cli.main import main
from dashboard.serve import SAFE_FLAGS, serve_env
from services import scenario_actions
from store.scenarios import ScenarioStore, ScenarioStoreError, folder

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery"

# What the requirement grants each role; every action in data/rules/roles.yaml must appear here.
GRANTED = {
    "viewer": {"view", "export"},
    "analyst": {"view", "export", "save_scenario", "stage_files"},
    "admin": {"view", "export", "save_scenario", "stage_files", "publish_load", "manage_users"},
}


def _who(role: str) -> Principal:
    return Principal(f"u-{role}", role.title(), role, "password")


def _events(db: Path, action: str | None = None) -> list[dict]:
    """The audit trail oldest first, as recorded."""
    events = list(reversed(audit.read(db)))
    return [e for e in events if action is None or e["action"] == action]


# --- policy ---------------------------------------------------------------------------------------------


def test_roles_and_actions_come_from_the_rules_file() -> None:
    rules = yaml.safe_load((ROOT / "data" / "rules" / "roles.yaml").read_text(encoding="utf-8"))
    assert ROLES == ("viewer", "analyst", "admin") == tuple(rules["roles"])
    assert set(ACTIONS) == set(rules["actions"]) == GRANTED["admin"]


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
@pytest.mark.parametrize("action", sorted(GRANTED["admin"]))
def test_each_role_may_take_exactly_its_actions(role: str, action: str) -> None:
    who = _who(role)
    if action in GRANTED[role]:
        assert allowed(who, action) and who.may(action)
        require(who, action)
    else:
        assert not allowed(who, action)
        with pytest.raises(Denied) as err:
            require(who, action)
        assert err.value.action == action and err.value.principal == who


@pytest.mark.parametrize("action", sorted(GRANTED["admin"]))
def test_nobody_and_an_unknown_role_may_do_nothing(action: str) -> None:
    for who in (None, Principal("x", "X", "", "password"), Principal("x", "X", "superuser", "header")):
        assert not allowed(who, action)
        with pytest.raises(Denied):
            require(who, action)


def test_an_unknown_action_is_an_error_not_a_refusal() -> None:
    with pytest.raises(KeyError):
        allowed(_who("admin"), "launch_rockets")


# --- accounts -------------------------------------------------------------------------------------------


def test_accounts_add_passwd_role_remove(tmp_path: Path) -> None:
    path = tmp_path / "parboard.users.yaml"
    add_account(path, "ana", "admin", PASSWORD, "Ana Quản Trị")
    add_account(path, "vic", "viewer", PASSWORD + "!")
    assert verify(path, "ana", PASSWORD) and not verify(path, "ana", PASSWORD + "!")
    assert find_account(path, "vic").role == "viewer" and find_account(path, "vic").name == "vic"

    set_password(path, "vic", "another long secret")
    assert verify(path, "vic", "another long secret") and not verify(path, "vic", PASSWORD + "!")
    set_role(path, "vic", "analyst")
    assert find_account(path, "vic").role == "analyst"
    remove_account(path, "vic")
    assert find_account(path, "vic") is None and not verify(path, "vic", "another long secret")
    # The file is what streamlit-authenticator reads: credentials.usernames and a random cookie key.
    config = read_config(path)
    assert set(config["credentials"]["usernames"]) == {"ana"}
    assert len(config["cookie"]["key"]) >= 64 and config["cookie"]["name"]


def test_passwords_are_stored_only_as_bcrypt_hashes_in_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "parboard.users.yaml"
    add_account(path, "ana", "admin", PASSWORD)
    stored = read_config(path)["credentials"]["usernames"]["ana"]["password"]
    assert stored != PASSWORD and stored.startswith("$2")
    assert PASSWORD not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    set_password(path, "ana", "another long secret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # still private after a rewrite
    # The same password twice gives two different hashes (salted).
    add_account(path, "bob", "viewer", "another long secret")
    users = read_config(path)["credentials"]["usernames"]
    assert users["ana"]["password"] != users["bob"]["password"]


@pytest.mark.parametrize(
    ("username", "password", "role", "code"),
    [
        ("ana", "short", "viewer", "weak_password"),
        ("ana", "x" * 73, "viewer", "weak_password"),
        ("ana", " correct horse", "viewer", "password_spaces"),
        ("Ana", PASSWORD, "viewer", "bad_username"),
        ("a", PASSWORD, "viewer", "bad_username"),
        ("ana smith", PASSWORD, "viewer", "bad_username"),
        ("../etc", PASSWORD, "viewer", "bad_username"),
        ("ana", PASSWORD, "boss", "bad_role"),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_written(
    tmp_path: Path, username: str, password: str, role: str, code: str
) -> None:
    path = tmp_path / "parboard.users.yaml"
    with pytest.raises(AccountError) as err:
        add_account(path, username, role, password)
    assert err.value.code == code
    assert not path.exists()


def test_the_last_admin_cannot_be_demoted_or_removed(tmp_path: Path) -> None:
    path = tmp_path / "parboard.users.yaml"
    add_account(path, "ana", "admin", PASSWORD)
    add_account(path, "vic", "viewer", PASSWORD)
    for change in (lambda: set_role(path, "ana", "viewer"), lambda: remove_account(path, "ana")):
        with pytest.raises(AccountError) as err:
            change()
        assert err.value.code == "last_admin"
    assert find_account(path, "ana").role == "admin"
    set_role(path, "vic", "admin")
    set_role(path, "ana", "viewer")  # another admin exists now
    assert find_account(path, "ana").role == "viewer"
    for change in (lambda: add_account(path, "vic", "viewer", PASSWORD), lambda: set_role(path, "zed", "admin")):
        with pytest.raises(AccountError) as err:
            change()
        assert err.value.code in ("exists", "not_found")


def test_a_damaged_accounts_file_is_reported_not_guessed(tmp_path: Path) -> None:
    path = tmp_path / "parboard.users.yaml"
    path.write_text("credentials: [not, a, mapping\n", encoding="utf-8")
    with pytest.raises(AccountError) as err:
        read_config(path)
    assert err.value.code == "unreadable"


def test_no_accounts_file_ships_with_parboard() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert tracked.strip(), "git ls-files listed nothing"
    assert not [name for name in tracked.splitlines() if name.endswith(".users.yaml")]


# --- the commands ---------------------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., int]:
    """main([...]) against tmp_path/parboard.duckdb, with stdin holding the given text."""
    db = tmp_path / "parboard.duckdb"
    monkeypatch.setenv("PARBOARD_DB", str(db))
    monkeypatch.setenv("PARBOARD_LANG", "en")

    def run(*argv: str, stdin: str = "") -> int:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        return main(list(argv))

    return run


def test_user_commands_manage_the_file_and_audit_each_change(
    cli: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "parboard.duckdb"
    path = accounts_path(db)
    assert path == tmp_path / "parboard.users.yaml"
    assert (
        cli(
            "user", "add", "ana", "--role", "admin", "--name", "Ana Quản Trị", "--password-stdin", stdin=PASSWORD + "\n"
        )
        == 0
    )
    assert verify(path, "ana", PASSWORD) and find_account(path, "ana").name == "Ana Quản Trị"
    assert cli("user", "add", "vic", "--role", "viewer", "--password-stdin", stdin="another long secret\n") == 0
    assert cli("user", "passwd", "vic", "--password-stdin", stdin="a third long secret\n") == 0
    assert verify(path, "vic", "a third long secret")
    assert cli("user", "role", "vic", "analyst") == 0
    capsys.readouterr()
    assert cli("user", "list") == 0
    listed = capsys.readouterr().out
    assert "ana" in listed and "Ana Quản Trị" in listed and "vic" in listed and "analyst (Analyst)" in listed
    assert cli("user", "remove", "vic") == 0
    assert find_account(path, "vic") is None

    events = _events(db, "manage_users")
    assert [(e["outcome"], e["target"], e["details"]["operation"]) for e in events] == [
        ("done", "ana", "add"),
        ("done", "vic", "add"),
        ("done", "vic", "passwd"),
        ("done", "vic", "role"),
        ("done", "vic", "remove"),
    ]
    assert all(e["via"] == "cli" and e["role"] == "admin" and e["who"] for e in events)
    assert PASSWORD not in audit.trail_path(db).read_text(encoding="utf-8")


def test_refused_user_commands_exit_1_say_why_and_are_audited(
    cli: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "parboard.duckdb"
    assert cli("user", "add", "ana", "--role", "admin", "--password-stdin", stdin="short\n") == 1
    assert "at least 10 characters" in capsys.readouterr().err
    assert cli("user", "add", "ana", "--role", "admin", "--password-stdin", stdin="") == 1
    assert "No password" in capsys.readouterr().err
    assert cli("user", "add", "ana", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert cli("user", "role", "ana", "viewer") == 1
    assert "last administrator" in capsys.readouterr().err
    assert cli("user", "remove", "nobody") == 1
    assert "no account “nobody”" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli("user", "add", "bob", "--role", "boss")
    assert usage.value.code == 2
    with pytest.raises(SystemExit) as usage:  # a password is never an argument
        cli("user", "add", "bob", "--role", "viewer", "--password", PASSWORD)
    assert usage.value.code == 2
    outcomes = [(e["outcome"], e["details"].get("reason")) for e in _events(db, "manage_users")]
    assert outcomes == [
        ("refused", "weak_password"),
        ("done", None),
        ("refused", "last_admin"),
        ("refused", "not_found"),
    ]
    assert find_account(accounts_path(db), "ana").role == "admin"


def test_the_password_is_asked_twice_when_not_piped(
    cli: Callable[..., int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "parboard.users.yaml"
    typed = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(typed))
    assert cli("user", "add", "ana", "--role", "admin") == 1  # the two differ
    assert not path.exists()
    typed = iter([PASSWORD, PASSWORD])
    assert cli("user", "add", "ana", "--role", "admin") == 0
    assert verify(path, "ana", PASSWORD)


def test_audit_command_prints_the_trail_newest_first(
    cli: Callable[..., int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "parboard.duckdb"
    assert cli("audit") == 0
    assert "no events yet" in capsys.readouterr().out
    audit.record(db, _who("analyst"), "save_scenario", audit.DONE, "Bản thử", operation="save")
    audit.record(db, None, "sign_in", audit.REFUSED, "", known=False)
    assert cli("audit") == 0
    lines = capsys.readouterr().out.splitlines()
    assert "(not signed in)" in lines[1] and "sign-in" in lines[1] and "refused" in lines[1]
    assert "u-analyst" in lines[2] and "award scenario" in lines[2] and "Bản thử (operation=save)" in lines[2]
    assert cli("audit", "--json", "--limit", "1") == 0
    (only,) = capsys.readouterr().out.splitlines()
    assert json.loads(only)["action"] == "sign_in"


def test_cli_loads_are_audited_as_publish_load(demo_db: Path, cli: Callable[..., int], tmp_path: Path) -> None:
    # The session's demo database was built by `parboard demo`: its trail says so.
    (demo,) = _events(demo_db, "publish_load")
    assert demo["outcome"] == "done" and demo["via"] == "cli" and demo["details"]["command"] == "demo"
    assert demo["details"]["status"] == "published" and demo["details"]["version"] == 1
    assert demo["details"]["new"] > 1000 and "registrations.csv" in demo["target"].split(", ")
    # A load refused before reading anything is recorded too, with the file it named.
    db = tmp_path / "parboard.duckdb"
    assert cli("load", str(tmp_path / "missing.xlsx")) == 1
    (refused,) = _events(db, "publish_load")
    assert refused["outcome"] == "refused" and refused["target"] == "missing.xlsx"


# --- serve ----------------------------------------------------------------------------------------------


def test_serve_refuses_unsafe_or_impossible_sign_in(
    cli: Callable[..., int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[dict] = []
    monkeypatch.setattr("dashboard.serve.serve", lambda db, **kw: started.append(kw) or 0)
    assert cli("serve", "--auth", "off", "--address", "0.0.0.0") == 2
    assert "--auth off" in capsys.readouterr().err
    assert cli("serve") == 1  # password sign-in is the default, and there is no account yet
    assert "parboard user add NAME --role admin" in capsys.readouterr().err
    assert started == []

    assert cli("serve", "--auth", "off") == 0  # on this machine only: allowed, and said
    assert "OFF" in capsys.readouterr().out
    # Header mode believes the header only from a named proxy: refused without one.
    assert cli("serve", "--auth", "header", "--address", "0.0.0.0", "--auth-header", "X-Remote-User") == 2
    assert "--trusted-proxy" in capsys.readouterr().err
    header = ("serve", "--auth", "header", "--address", "0.0.0.0", "--auth-header", "X-Remote-User")
    assert cli(*header, "--trusted-proxy", "10.0.0.5") == 0
    assert "10.0.0.5" in capsys.readouterr().out  # the mode line names the proxy
    assert cli("user", "add", "ana", "--role", "admin", "--password-stdin", stdin=PASSWORD + "\n") == 0
    assert cli("serve", "--port", "8600") == 0
    assert [(kw["auth"], kw["header"], kw["address"], kw["trusted_proxy"]) for kw in started] == [
        ("off", None, "127.0.0.1", None),
        ("header", "X-Remote-User", "0.0.0.0", "10.0.0.5"),
        ("password", None, "127.0.0.1", None),
    ]


def test_the_server_environment_carries_the_sign_in_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARBOARD_AUTH_HEADER", "X-Left-Over")
    env = serve_env(tmp_path / "x.duckdb")
    assert env["PARBOARD_AUTH"] == "password" and "PARBOARD_AUTH_HEADER" not in env
    env = serve_env(tmp_path / "x.duckdb", auth="header", header="X-Remote-User")
    assert env["PARBOARD_AUTH"] == "header" and env["PARBOARD_AUTH_HEADER"] == "X-Remote-User"
    # uvicorn would believe X-Forwarded-* from any local process: only the guard reads them, from the proxy.
    assert env["FORWARDED_ALLOW_IPS"] == "none" and "PARBOARD_TRUSTED_PROXY" not in env
    env = serve_env(tmp_path / "x.duckdb", "header", "X-U", trusted_proxy="10.0.0.5", secure_cookies=True)
    assert (env["PARBOARD_TRUSTED_PROXY"], env["PARBOARD_SECURE_COOKIES"]) == ("10.0.0.5", "1")
    with pytest.raises(ValueError):
        serve_env(tmp_path / "x.duckdb", auth="none")
    assert SAFE_FLAGS["server.maxUploadSize"] == "50"


# --- privileged actions ---------------------------------------------------------------------------------


def test_saving_scenarios_checks_the_role_on_the_server_and_audits(tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    data = {"id": "ban-thu", "name": {"vi": "Bản thử"}}
    for who in (_who("viewer"), None):
        with pytest.raises(Denied):
            scenario_actions.save(db, who, "Bản thử", data)
    assert not folder(db).exists()

    analyst = _who("analyst")
    saved = scenario_actions.save(db, analyst, "Bản thử", data)
    assert saved.author == "Analyst" and ScenarioStore(db).get("Bản thử").scenario == data
    with pytest.raises(ScenarioStoreError):
        scenario_actions.save(db, analyst, "Bản thử", data)  # taken, overwrite not asked
    scenario_actions.duplicate(db, analyst, "Bản thử", "Bản sao")
    with pytest.raises(Denied):
        scenario_actions.delete(db, _who("viewer"), "Bản sao")
    scenario_actions.delete(db, _who("admin"), "Bản sao")
    assert [s.name for s in ScenarioStore(db).list()] == ["Bản thử"]

    events = [(e["who"], e["outcome"], e["target"], e["details"]["operation"]) for e in _events(db, "save_scenario")]
    assert events == [
        ("u-viewer", "denied", "Bản thử", "save"),
        (None, "denied", "Bản thử", "save"),
        ("u-analyst", "done", "Bản thử", "save"),
        ("u-analyst", "refused", "Bản thử", "save"),
        ("u-analyst", "done", "Bản thử", "duplicate"),
        ("u-viewer", "denied", "Bản sao", "delete"),
        ("u-admin", "done", "Bản sao", "delete"),
    ]


def test_a_save_the_disk_refuses_is_audited_as_failed(tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    folder(db).write_text("a file where the scenarios folder should be", encoding="utf-8")
    with pytest.raises(OSError):
        scenario_actions.save(db, _who("analyst"), "Bản thử", {"id": "x"})
    (event,) = _events(db, "save_scenario")
    assert event["outcome"] == "failed" and event["details"]["reason"] in ("NotADirectoryError", "FileExistsError")
