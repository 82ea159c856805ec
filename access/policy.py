"""Roles and the actions they allow, read from data/rules/roles.yaml.

`require(principal, action)` is the one check every privileged action calls on the server side before it
acts; pages may also hide what a role cannot use, but that is a courtesy, never the check.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from functools import cache

from core import yamlfile
from core.paths import RULES

_RULES = RULES / "roles.yaml"


@cache
def _rules() -> tuple[tuple[str, ...], dict[str, str]]:
    data = yamlfile.load(_RULES.read_text(encoding="utf-8"))
    roles = tuple(data["roles"])
    actions = dict(data["actions"])
    unknown = {role for role in actions.values() if role not in roles}
    if unknown:
        raise ValueError(f"{_RULES}: actions name unknown roles {sorted(unknown)}")
    return roles, actions


ROLES: tuple[str, ...] = _rules()[0]
ACTIONS: tuple[str, ...] = tuple(_rules()[1])


@dataclass(frozen=True)
class Principal:
    """Someone using parboard. via: password | header | off (sign-in switched off) | cli (an OS account)."""

    username: str
    name: str
    role: str
    via: str

    def may(self, action: str) -> bool:
        return allowed(self, action)


def os_principal() -> Principal:
    """Whoever runs a `parboard` command: the operating-system account, acting as administrator (whoever can
    write the database and the accounts file beside it administers them)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Principal(name, name, "admin", "cli")


class Denied(Exception):
    """A privileged action refused to its caller; worded by access.denied in the catalogs."""

    code = "access_denied"

    def __init__(self, action: str, principal: Principal | None):
        self.action = action
        self.principal = principal
        who = principal.username if principal else "anonymous"
        super().__init__(f"{who} may not {action}")


def minimum_role(action: str) -> str:
    actions = _rules()[1]
    if action not in actions:
        raise KeyError(f"unknown action {action!r}; known: {sorted(actions)}")
    return actions[action]


def allowed(principal: Principal | None, action: str) -> bool:
    """Whether principal may take action; nobody signed in may do nothing, and an unknown role nothing."""
    needed = minimum_role(action)
    if principal is None or principal.role not in ROLES:
        return False
    return ROLES.index(principal.role) >= ROLES.index(needed)


def require(principal: Principal | None, action: str) -> None:
    """Raise Denied unless principal may take action."""
    if not allowed(principal, action):
        raise Denied(action, principal)
