"""The accounts file: who may sign in, with which role, and the key that signs sign-in cookies.

YAML (`credentials.usernames.<name>.{name, email, password, roles, session_epoch}` and
`cookie.{name, key, expiry_days}`, the shape streamlit-authenticator read, so older files still work),
managed by `parboard user add/remove/passwd`. Passwords are
stored only as bcrypt hashes; the cookie key is random per file. No account and no password ship with
parboard: a server with password sign-in and no accounts file says how to create the first admin.

The file lives at $PARBOARD_USERS, else beside the database (`<db dir>/<db stem>.users.yaml`), and is
written atomically and private (0600).
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from access.policy import ROLES
from core import yamlfile
from core.errors import ParboardError
from core.files import write_atomic

MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72  # bcrypt ignores what follows; refuse rather than silently truncate
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")
COOKIE_NAME = "parboard_session"
COOKIE_DAYS = 1.0


class AccountError(ParboardError, ValueError):
    """code: a key under access.account in the catalogs (bad_username, bad_role, weak_password,
    password_spaces, exists, not_found, last_admin, unreadable)."""

    area = "access.account"


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    # The session generation: every sign-in token carries the one it was issued under, and a token whose
    # generation is not the account's current one signs nobody in. Sign-out, a new password, a new role and
    # removal move it on, which ends every session of the account on the server side (access/sessions.py).
    epoch: int = 0


def accounts_path(db: Path) -> Path:
    value = os.environ.get("PARBOARD_USERS")
    if value:
        return Path(value).expanduser().absolute()
    db = Path(db)
    return db.parent / f"{db.stem}.users.yaml"


def read_config(path: Path) -> dict[str, Any]:
    """The whole file; a new, empty one (with a fresh cookie key) when there is no file."""
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return _empty()
    except (OSError, yaml.YAMLError) as exc:
        raise AccountError("unreadable", file=str(path), detail=str(exc)) from exc
    if not isinstance(data, dict) or not isinstance(data.get("credentials", {}).get("usernames", {}), dict):
        raise AccountError("unreadable", file=str(path), detail="credentials.usernames")
    data.setdefault("credentials", {}).setdefault("usernames", {})
    data["credentials"]["usernames"] = data["credentials"]["usernames"] or {}
    if not data.get("cookie", {}).get("key"):
        data["cookie"] = _empty()["cookie"]
    return data


def _empty() -> dict[str, Any]:
    return {
        "cookie": {"name": COOKIE_NAME, "key": secrets.token_hex(32), "expiry_days": COOKIE_DAYS},
        "credentials": {"usernames": {}},
    }


def _write(path: Path, data: dict[str, Any]) -> None:
    header = "# parboard accounts: change with `parboard user add/remove/passwd`; passwords are bcrypt hashes.\n"
    text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    write_atomic(path, text.encode("utf-8"))  # mkstemp makes the file 0600 before it is renamed into place


def accounts(path: Path) -> list[Account]:
    users = read_config(path)["credentials"]["usernames"]
    return [_account(name, entry) for name, entry in sorted(users.items())]


def account(path: Path, username: str) -> Account | None:
    """The account as the file says now (a removed or demoted user loses rights at their next action).

    Asked on every page run and action, so the parsed file is kept until its modification time or size
    changes (every change is an atomic rename, which gives the file a new inode and time)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise AccountError("unreadable", file=str(path), detail=str(exc)) from exc
    return _snapshot(str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size).get(username)


@lru_cache(maxsize=8)
def _snapshot(path: str, _inode: int, _mtime_ns: int, _size: int) -> dict[str, Account]:
    # inode, mtime and size are the cache key only: a rewritten file is read again.
    users = read_config(Path(path))["credentials"]["usernames"]
    return {name: _account(name, entry) for name, entry in users.items()}


def _account(name: str, entry: dict[str, Any]) -> Account:
    return Account(name, str(entry.get("name") or name), _role(entry), _epoch(entry))


def _epoch(entry: dict[str, Any]) -> int:
    try:
        return int(entry.get("session_epoch") or 0)
    except (TypeError, ValueError):
        return 0


def _next_epoch(entry: dict[str, Any]) -> None:
    entry["session_epoch"] = _epoch(entry) + 1


def _role(entry: dict[str, Any]) -> str:
    roles = [r for r in entry.get("roles") or [] if r in ROLES]
    # Several roles listed: the highest counts. None known: no rights at all.
    return max(roles, key=ROLES.index) if roles else ""


def check_username(username: str) -> str:
    if not _USERNAME.match(username or ""):
        raise AccountError("bad_username", username=username)
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccountError("weak_password", minimum=MIN_PASSWORD, maximum=MAX_PASSWORD_BYTES)
    if password != password.strip():
        # The sign-in form strips what is typed: such a password could be set but never used.
        raise AccountError("password_spaces")
    return password


def hash_password(password: str) -> str:
    return bcrypt.hashpw(check_password(password).encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def verify(path: Path, username: str, password: str) -> bool:
    entry = read_config(path)["credentials"]["usernames"].get(username)
    stored = str((entry or {}).get("password") or "")
    if not stored.startswith("$2"):
        return False
    return bcrypt.checkpw(password.encode("utf-8"), stored.encode("ascii"))


def add(path: Path, username: str, role: str, password: str, name: str = "") -> Account:
    check_username(username)
    if role not in ROLES:
        raise AccountError("bad_role", role=role, roles=", ".join(ROLES))
    data = read_config(path)
    users = data["credentials"]["usernames"]
    if username in users:
        raise AccountError("exists", username=username)
    users[username] = {
        "name": name or username,
        "email": "",
        "password": hash_password(password),
        "roles": [role],
        # Random, not 0: a token kept from a removed account of the same name must not fit the new one.
        "session_epoch": secrets.randbelow(2**31),
    }
    _write(path, data)
    return _account(username, users[username])


def set_password(path: Path, username: str, password: str) -> None:
    data = read_config(path)
    entry = data["credentials"]["usernames"].get(username)
    if entry is None:
        raise AccountError("not_found", username=username)
    entry["password"] = hash_password(password)
    _next_epoch(entry)  # whoever held the old password is signed out everywhere
    _write(path, data)


def set_role(path: Path, username: str, role: str) -> None:
    if role not in ROLES:
        raise AccountError("bad_role", role=role, roles=", ".join(ROLES))
    data = read_config(path)
    entry = data["credentials"]["usernames"].get(username)
    if entry is None:
        raise AccountError("not_found", username=username)
    if _role(entry) == "admin" and role != "admin" and _admins(data) == [username]:
        raise AccountError("last_admin", username=username)
    if entry.get("roles") != [role]:
        entry["roles"] = [role]
        _next_epoch(entry)  # open sessions sign in again under the new role
    _write(path, data)


def end_sessions(path: Path, username: str) -> None:
    """Sign the account out everywhere: every token issued so far stops signing anyone in."""
    data = read_config(path)
    entry = data["credentials"]["usernames"].get(username)
    if entry is None:
        raise AccountError("not_found", username=username)
    _next_epoch(entry)
    _write(path, data)


def remove(path: Path, username: str) -> None:
    data = read_config(path)
    users = data["credentials"]["usernames"]
    if username not in users:
        raise AccountError("not_found", username=username)
    if _admins(data) == [username] and len(users) > 1:
        raise AccountError("last_admin", username=username)
    del users[username]
    _write(path, data)


def _admins(data: dict[str, Any]) -> list[str]:
    return [name for name, entry in data["credentials"]["usernames"].items() if _role(entry) == "admin"]
