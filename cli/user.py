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
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, t

ACTION = "manage_users"


def _lang() -> str:
    lang = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def account_error(exc: AccountError, lang: str) -> str:
    """An accounts error in the user's words (access.account.<code>)."""
    return t(f"access.account.{exc.code}", lang, **exc.params)


def _role_name(role: str) -> str:
    return f"{role} ({t(f'access.role.{role}', _lang())})"


def _password(username: str, from_stdin: bool) -> str | None:
    """The new password, or None (after saying why) when there is none to use."""
    say = Translator("access.cli", _lang())
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            print(say("password_missing"), file=sys.stderr)
            return None
        return password
    first = getpass.getpass(say("password_prompt", username=username))
    second = getpass.getpass(say("password_again"))
    if first != second:
        print(say("password_mismatch"), file=sys.stderr)
        return None
    return first


def run(args: argparse.Namespace) -> int:
    from store.db import resolve_db_path  # here, not at the top: it loads DuckDB, which `user` never opens

    say = Translator("access.cli", _lang())
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
            print(say("added", username=username, name=account.name, role=_role_name(args.role), file=str(path)))
        elif op == "passwd":
            password = _password(username, args.password_stdin)
            if password is None:
                return 1
            set_password(path, username, password)
            print(say("passwd_changed", username=username))
        elif op == "role":
            set_role(path, username, args.role)
            details["role"] = args.role
            print(say("role_changed", username=username, role=_role_name(args.role)))
        elif op == "remove":
            remove_account(path, username)
            print(say("removed", username=username))
    except AccountError as exc:
        audit.record(db, who, ACTION, audit.REFUSED, username, reason=exc.code, **details)
        print(say("refused", reason=account_error(exc, _lang())), file=sys.stderr)
        return 1
    except OSError as exc:  # the folder is read-only, the disk is full…
        audit.record(db, who, ACTION, audit.FAILED, username, reason=type(exc).__name__, **details)
        print(say("refused", reason=f"{path}: {exc.strerror or exc}"), file=sys.stderr)
        return 1
    audit.record(db, who, ACTION, audit.DONE, username, **details)
    return 0


def _list(path: Path) -> int:
    say = Translator("access.cli", _lang())
    try:
        found = accounts(path)
    except AccountError as exc:
        print(say("refused", reason=account_error(exc, _lang())), file=sys.stderr)
        return 1
    if not found:
        print(say("list_empty", file=str(path)))
        return 0
    print(say("list_header", file=str(path)))
    for account in found:
        role = _role_name(account.role) if account.role else "—"
        print(say("list_row", username=account.username, role=role, name=account.name))
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lang = _lang()
    h = Translator("access.cli", lang)

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
