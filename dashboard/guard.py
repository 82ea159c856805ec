"""What the server checks before Streamlit sees a request: the proxy, the session for files, security headers.

Installed by dashboard/asgi.py (Streamlit's `st.App` takes middleware and routes):
- a request from the trusted proxy (`parboard serve --trusted-proxy`, plus the shared secret when the proxy is
  on this machine) gives the reader's address (X-Forwarded-For) and scheme (X-Forwarded-Proto); from anyone
  else those headers count for nothing (uvicorn's own proxy handling is switched off in serve_env);
- with `--auth header`, any request that does not come from the trusted proxy is refused (only the health
  check answers), so the username header can only come from the proxy;
- with `--auth password`, downloads (`/media/…`) and `/_stcore/metrics` need a valid session cookie;
- every HTTP answer carries the security headers below;
- `/_parboard/session?ticket=…` turns a one-time ticket the sign-in form made into the HttpOnly session cookie
  (JavaScript can neither set nor read it), `/_parboard/signout` deletes it.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from access.accounts import accounts_path
from access.mode import ENV_TRUSTED_PROXY, auth_mode, proxy_secret
from access.sessions import cookie_settings, signed_in

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SESSION_ROUTE = "/_parboard/session"
SIGNOUT_ROUTE = "/_parboard/signout"
SECRET_HEADER = "x-parboard-proxy-secret"
ENV_SECURE = "PARBOARD_SECURE_COOKIES"
TICKET_S = 60.0
OPEN_PATHS = ("/_stcore/health",)  # answers everyone: it says only "ok"
SESSION_PATHS = ("/media/", "/_stcore/metrics")

# Streamlit draws its page with inline styles (emotion) and loads everything else from its own origin; no
# script, image, font or frame from elsewhere, and no other site may frame the dashboard.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

_tickets: dict[str, tuple[str, float]] = {}
_tickets_lock = threading.Lock()


def new_ticket(token: str) -> str:
    """A one-time, short-lived ticket the browser exchanges for the cookie holding token."""
    ticket = secrets.token_urlsafe(32)
    now = time.monotonic()
    with _tickets_lock:
        for old in [k for k, (_, until) in _tickets.items() if until < now]:
            del _tickets[old]
        _tickets[ticket] = (token, now + TICKET_S)
    return ticket


def _redeem(ticket: str) -> str | None:
    with _tickets_lock:
        token, until = _tickets.pop(ticket, ("", 0.0))
    return token if token and until >= time.monotonic() else None


@dataclass(frozen=True)
class _Settings:
    mode: str
    header: str
    trusted_proxy: str
    secret: str
    secure: bool
    db: Path


def _settings() -> _Settings:
    mode = auth_mode()
    return _Settings(
        mode.mode,
        mode.header.lower(),
        os.environ.get(ENV_TRUSTED_PROXY, ""),
        proxy_secret(),
        os.environ.get(ENV_SECURE) == "1",
        Path(os.environ.get("PARBOARD_DB", "parboard.duckdb")),
    )


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or []}


def _cookie(headers: dict[str, str], name: str) -> str:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header is no cookie
        return ""
    return jar[name].value if name in jar else ""


class Guard:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.settings = _settings()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        s = self.settings
        headers = _headers(scope)
        peer = (scope.get("client") or ("", 0))[0]
        from_proxy = bool(s.trusted_proxy) and peer == s.trusted_proxy
        if from_proxy and s.secret:
            from_proxy = hmac.compare_digest(headers.get(SECRET_HEADER, ""), s.secret)
        scope = dict(scope)
        if from_proxy:
            forwarded = [a.strip() for a in headers.get("x-forwarded-for", "").split(",") if a.strip()]
            if forwarded:  # the proxy appends the address it saw: the last one is the one it vouches for
                scope["client"] = (forwarded[-1], 0)
            proto = headers.get("x-forwarded-proto", "").strip().lower()
            if proto in ("http", "https"):
                scope["scheme"] = {"http": "ws", "https": "wss"}[proto] if scope["type"] == "websocket" else proto
        else:
            # A name in the user header from anyone but the proxy counts for nothing, in every mode.
            scope["headers"] = [
                (k, v) for k, v in scope.get("headers") or [] if k.decode("latin-1").lower() != s.header
            ]
        path = str(scope.get("path") or "")
        if s.mode == "header" and not from_proxy and path not in OPEN_PATHS:
            await _refuse(scope, send)
            return
        if s.mode == "password" and path.startswith(SESSION_PATHS) and not self._session(headers):
            await _refuse(scope, send)
            return
        if scope["type"] == "websocket":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                names = {k.lower() for k, _ in message.get("headers") or []}
                message["headers"] = [
                    *(message.get("headers") or []),
                    *(h for h in SECURITY_HEADERS if h[0] not in names),
                ]
            await send(message)

        await self.app(scope, receive, with_headers)

    def _session(self, headers: dict[str, str]) -> bool:
        path = accounts_path(self.settings.db)
        try:
            name, _, _ = cookie_settings(path)
        except Exception:
            return False
        token = _cookie(headers, name)
        return bool(token) and signed_in(path, token) is not None


async def _refuse(scope: Scope, send: Send) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": b"403"})


def _secure(scope: Scope, settings: _Settings) -> bool:
    return settings.secure or scope.get("scheme") == "https"


def _cookie_header(name: str, value: str, max_age: int, secure: bool) -> bytes:
    parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


async def session_route(request: Request) -> Response:
    """GET /_parboard/session?ticket=…: set the session cookie for a ticket the sign-in just made."""
    settings = _settings()
    token = _redeem(request.query_params.get("ticket", ""))
    if not token:
        return Response(status_code=403, headers={"cache-control": "no-store"})
    name, _, lifetime = cookie_settings(accounts_path(settings.db))
    response = Response(status_code=200, headers={"cache-control": "no-store"})
    response.raw_headers.append(
        (b"set-cookie", _cookie_header(name, token, int(lifetime), _secure(request.scope, settings)))
    )
    return response


async def signout_route(request: Request) -> Response:
    """GET /_parboard/signout: delete the session cookie (the sign-out already revoked its token)."""
    settings = _settings()
    response = Response(status_code=200, headers={"cache-control": "no-store"})
    try:
        name, _, _ = cookie_settings(accounts_path(settings.db))
    except Exception:  # no readable accounts file: there is no cookie of ours to delete
        return response
    response.raw_headers.append((b"set-cookie", _cookie_header(name, "", 0, _secure(request.scope, settings))))
    return response
