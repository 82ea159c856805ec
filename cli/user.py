"""`parboard user add/remove/passwd/role/list`: the dashboard's sign-in accounts (access/accounts.py).

Passwords are asked twice without echo, or read from the first line of standard input with
--password-stdin (for scripts); never taken as an argument, where they would stay in the shell history and
the process list. Whoever can write the accounts file administers it: each change is recorded in the audit
trail as `manage_users` by the operating-system account, via the command line.
Exit codes: 0 done, 1 refused (nothing changed), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from access import audit
from access.accounts import AccountError, accounts, accounts_path, set_password, set_role
from access.accounts import add as add_account
from access.accounts import remove as remove_account
from access.policy import ROLES, os_principal
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t
from store.db import resolve_db_path

ACTION = "manage_users"


def _lang() -> str:
    lang = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _say(key: str, **params: object) -> None:
    print(t(f"access.{key}", _lang(), **params))


def _err(key: str, **params: object) -> None:
    print(t(f"access.{key}", _lang(), **params), file=sys.stderr)


def account_error(exc: AccountError, lang: str) -> str:
    """An accounts error in the user's words (access.account.<code>)."""
    return t(f"access.account.{exc.code}", lang, **exc.params)


def _role_name(role: str) -> str:
    return f"{role} ({t(f'access.role.{role}', _lang())})"


def _password(username: str, from_stdin: bool) -> str | None:
    """The new password, or None (after saying why) when there is none to use."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            _err("cli.password_missing")
            return None
        return password
    first = getpass.getpass(t("access.cli.password_prompt", _lang(), username=username))
    second = getpass.getpass(t("access.cli.password_again", _lang()))
    if first != second:
        _err("cli.password_mismatch")
        return None
    return first


def run(args: argparse.Namespace) -> int:
    db = resolve_db_path(args.db)
    path = accounts_path(db)
    op = args.user_command
    if op == "list":
        return _list(path)
    who = os_principal()
    username = args.username
    details: dict[str, object] = {"operation": op}
    try:
        if op == "add":
            password = _password(username, args.password_stdin)
            if password is None:
                return 1
            account = add_account(path, username, args.role, password, args.name or "")
            details["role"] = args.role
            _say("cli.added", username=username, name=account.name, role=_role_name(args.role), file=str(path))
        elif op == "passwd":
            password = _password(username, args.password_stdin)
            if password is None:
                return 1
            set_password(path, username, password)
            _say("cli.passwd_changed", username=username)
        elif op == "role":
            set_role(path, username, args.role)
            details["role"] = args.role
            _say("cli.role_changed", username=username, role=_role_name(args.role))
        elif op == "remove":
            remove_account(path, username)
            _say("cli.removed", username=username)
    except AccountError as exc:
        audit.record(db, who, ACTION, audit.REFUSED, username, reason=exc.code, **details)
        _err("cli.refused", reason=account_error(exc, _lang()))
        return 1
    except OSError as exc:  # the folder is read-only, the disk is full…
        audit.record(db, who, ACTION, audit.FAILED, username, reason=type(exc).__name__, **details)
        _err("cli.refused", reason=f"{path}: {exc.strerror or exc}")
        return 1
    audit.record(db, who, ACTION, audit.DONE, username, **details)
    return 0


def _list(path: Path) -> int:
    try:
        found = accounts(path)
    except AccountError as exc:
        _err("cli.refused", reason=account_error(exc, _lang()))
        return 1
    if not found:
        _say("cli.list_empty", file=str(path))
        return 0
    _say("cli.list_header", file=str(path))
    for account in found:
        role = _role_name(account.role) if account.role else "—"
        _say("cli.list_row", username=account.username, role=role, name=account.name)
    return 0


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lang = _lang()

    def h(key: str) -> str:
        return t(f"access.cli.{key}", lang)

    p = sub.add_parser("user", help=h("help_user"), description=h("help_user"))
    ops = p.add_subparsers(dest="user_command", required=True)

    def op(name: str) -> argparse.ArgumentParser:
        q = ops.add_parser(name, help=h(f"help_user_{name}"), description=h(f"help_user_{name}"))
        q.add_argument("--db", help=t("cli.help.db", lang))
        q.set_defaults(func=run)
        return q

    q = op("add")
    q.add_argument("username", metavar="NAME", help=h("help_username"))
    q.add_argument("--role", required=True, choices=ROLES, help=h("help_role"))
    q.add_argument("--name", help=h("help_name"))
    q.add_argument("--password-stdin", action="store_true", help=h("help_password_stdin"))
    q = op("remove")
    q.add_argument("username", metavar="NAME", help=h("help_username"))
    q = op("passwd")
    q.add_argument("username", metavar="NAME", help=h("help_username"))
    q.add_argument("--password-stdin", action="store_true", help=h("help_password_stdin"))
    q = op("role")
    q.add_argument("username", metavar="NAME", help=h("help_username"))
    q.add_argument("role", metavar="ROLE", choices=ROLES, help=h("help_role"))
    op("list")
