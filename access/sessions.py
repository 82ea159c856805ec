"""Sign-in tokens: what the session cookie holds, and whether it still signs anyone in.

A token is `<payload>.<signature>`: the payload (base64 of JSON: user, session generation, expiry) signed
with HMAC-SHA256 under the cookie key of the accounts file. It signs its user in only while the signature
holds, it has not expired, and the account still exists, has a role, and is at the same session generation
(`Account.epoch`): sign-out, a new password, a new role or removal move the generation on and so end every
session of the account, on every device, on the server side.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from pathlib import Path

from access.accounts import Account, AccountError, account, read_config

COOKIE_DAYS_MAX = 30.0


def cookie_settings(path: Path) -> tuple[str, bytes, float]:
    """(cookie name, signing key, lifetime in seconds) from the accounts file."""
    cookie = read_config(path)["cookie"]
    days = min(float(cookie.get("expiry_days") or 1.0), COOKIE_DAYS_MAX)
    return str(cookie["name"]), str(cookie["key"]).encode("utf-8"), days * 86400.0


def issue(key: bytes, who: Account, lifetime_s: float, now: float | None = None) -> str:
    now = time.time() if now is None else now
    body = json.dumps({"u": who.username, "g": who.epoch, "x": int(now + lifetime_s)}, separators=(",", ":"))
    payload = base64.urlsafe_b64encode(body.encode("utf-8")).decode("ascii").rstrip("=")
    return f"{payload}.{_sign(key, payload)}"


def claims(key: bytes, token: str, now: float | None = None) -> tuple[str, int] | None:
    """(username, generation) of a well-signed, unexpired token; None for anything else."""
    now = time.time() if now is None else now
    if not isinstance(token, str):
        return None
    payload, _, signature = token.partition(".")
    if not payload or not hmac.compare_digest(signature, _sign(key, payload)):
        return None
    try:
        data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        username, epoch, expires = str(data["u"]), int(data["g"]), float(data["x"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    return (username, epoch) if expires > now else None


def signed_in(path: Path, token: str, now: float | None = None) -> Account | None:
    """The account a cookie signs in now, or None (bad, expired or revoked token; account gone or roleless)."""
    try:
        _, key, _ = cookie_settings(path)
    except (AccountError, OSError):
        return None
    found = claims(key, token, now)
    if found is None:
        return None
    try:
        who = account(path, found[0])
    except AccountError:
        return None
    if who is None or not who.role or who.epoch != found[1]:
        return None
    return who


def _sign(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode("ascii", "replace"), hashlib.sha256).hexdigest()
