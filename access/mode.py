"""How the dashboard knows who is reading it, chosen when the server starts (`parboard serve --auth`).

- password (the default): sign-in with an account from the accounts file (access/accounts.py);
- header: a reverse proxy that has already authenticated the user passes the username in a trusted header
  (off unless chosen). The server must be told the proxy's address (`--trusted-proxy`); requests from any
  other peer are refused. A proxy on this same machine shares the address of every local process, so it
  must also send a shared secret (`--proxy-secret-file`) in the X-Parboard-Proxy-Secret header;
- off: no sign-in, for a single-user local run (the quick start): whoever reaches the server is an admin,
  and every page says so.

`parboard serve` passes the choice to the server process in these environment variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MODES = ("password", "header", "off")
DEFAULT_MODE = "password"
DEFAULT_HEADER = "X-Forwarded-User"
ENV_MODE = "PARBOARD_AUTH"
ENV_HEADER = "PARBOARD_AUTH_HEADER"
ENV_TRUSTED_PROXY = "PARBOARD_TRUSTED_PROXY"
ENV_PROXY_SECRET_FILE = "PARBOARD_PROXY_SECRET_FILE"
LOCAL_USER = "local"


@dataclass(frozen=True)
class AuthMode:
    mode: str
    header: str = DEFAULT_HEADER


def auth_mode() -> AuthMode:
    """The server's sign-in mode; anything unrecognised falls back to password sign-in, never to off."""
    mode = os.environ.get(ENV_MODE, DEFAULT_MODE).strip().lower()
    return AuthMode(mode if mode in MODES else DEFAULT_MODE, os.environ.get(ENV_HEADER) or DEFAULT_HEADER)


def proxy_secret() -> str:
    """The shared secret the trusted proxy sends, from the file named at start (first line); "" for none."""
    path = os.environ.get(ENV_PROXY_SECRET_FILE)
    if not path:
        return ""
    with open(path, encoding="utf-8") as fh:
        return fh.readline().strip()


def env_for(
    mode: str, header: str | None = None, trusted_proxy: str | None = None, secret_file: str | None = None
) -> dict[str, str]:
    if mode not in MODES:
        raise ValueError(f"auth mode {mode!r} not in {MODES}")
    env = {ENV_MODE: mode}
    if header:
        env[ENV_HEADER] = header
    if trusted_proxy:
        env[ENV_TRUSTED_PROXY] = trusted_proxy
    if secret_file:
        env[ENV_PROXY_SECRET_FILE] = secret_file
    return env
