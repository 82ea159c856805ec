"""The server's middleware (dashboard/guard.py) as uvicorn drives it: ASGI calls into the real Guard wrapped
around a real Starlette app with the session and sign-out routes and stand-ins for Streamlit's page, files,
metrics and health check. The accounts file and session tokens are real (access/accounts.py, sessions.py)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route, WebSocketRoute

from access import accounts, sessions
from access.mode import ENV_HEADER, ENV_MODE, ENV_PROXY_SECRET_FILE, ENV_TRUSTED_PROXY
from dashboard import guard

PROXY = "10.0.0.5"
READER = "203.0.113.7"


async def _page(request) -> Response:
    who = request.headers.get("x-forwarded-user", "")
    return HTMLResponse(f"<html>{who}</html>")


async def _framed(request) -> Response:
    return PlainTextResponse("own", headers={"X-Frame-Options": "DENY"})


async def _stream(request) -> Response:
    async def parts():
        yield b"a,b\n"
        yield b"1,2\n"

    return StreamingResponse(parts(), media_type="text/csv")


async def _socket(websocket) -> None:
    await websocket.accept()
    await websocket.close()


def _run(call: Any) -> None:
    """The ASGI call on an event loop of its own, in a thread: a browser test earlier in the same session leaves
    a loop running on the main thread, where asyncio.run refuses to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, call).result()


def _app() -> guard.Guard:
    inner = Starlette(
        routes=[
            Route("/", _page),
            Route("/framed", _framed),
            Route("/export.csv", _stream),
            Route("/media/{name}", lambda r: Response(b"\x89PNG", media_type="image/png")),
            Route("/_stcore/metrics", lambda r: PlainTextResponse("# metrics")),
            Route("/_stcore/health", lambda r: PlainTextResponse("ok")),
            Route(guard.SESSION_ROUTE, guard.session_route),
            Route(guard.SIGNOUT_ROUTE, guard.signout_route),
            WebSocketRoute("/_stcore/stream", _socket),
        ]
    )
    return guard.Guard(inner)


def _call(
    app: guard.Guard,
    path: str,
    *,
    peer: str = "127.0.0.1",
    scheme: str = "http",
    headers: dict[str, str] | None = None,
) -> tuple[int, list[tuple[str, str]], bytes]:
    """One GET as uvicorn hands it over: (status, headers, body)."""
    raw_path, _, query = path.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": scheme,
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()],
        "client": (peer, 50000),
        "server": ("127.0.0.1", 8501),
    }
    sent: list[dict[str, Any]] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if requests:
            return requests.pop()
        await asyncio.sleep(3600)  # the client stays connected; a response that listens for it is cancelled
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    _run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], [(k.decode().lower(), v.decode()) for k, v in start["headers"]], body


def _socket_call(app: guard.Guard, peer: str) -> list[dict[str, Any]]:
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": "/_stcore/stream",
        "raw_path": b"/_stcore/stream",
        "query_string": b"",
        "root_path": "",
        "headers": [],
        "client": (peer, 50000),
        "server": ("127.0.0.1", 8501),
        "subprotocols": [],
    }
    sent: list[dict[str, Any]] = []
    inbox = [{"type": "websocket.connect"}, {"type": "websocket.disconnect", "code": 1000}]

    async def receive() -> dict[str, Any]:
        return inbox.pop(0) if inbox else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    _run(app(scope, receive, send))
    return sent


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Password sign-in over a real accounts file with one analyst."""
    db = tmp_path / "parboard.duckdb"
    monkeypatch.setenv("PARBOARD_DB", str(db))
    monkeypatch.delenv("PARBOARD_USERS", raising=False)
    for name in (ENV_TRUSTED_PROXY, ENV_PROXY_SECRET_FILE, ENV_HEADER, guard.ENV_SECURE):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(ENV_MODE, "password")
    path = accounts.accounts_path(db)
    accounts.add(path, "lan", "analyst", "mat-khau-dai-du-12")
    return path


def _token(path: Path) -> str:
    _name, key, lifetime = sessions.cookie_settings(path)
    who = accounts.account(path, "lan")
    assert who is not None
    return sessions.issue(key, who, lifetime)


def _cookie(path: Path, token: str) -> dict[str, str]:
    name, _, _ = sessions.cookie_settings(path)
    return {"Cookie": f"{name}={token}"}


def _set_cookie(app: guard.Guard, path: Path, **call: Any) -> str:
    ticket = guard.new_ticket(_token(path))
    status, headers, _ = _call(app, f"{guard.SESSION_ROUTE}?ticket={ticket}", **call)
    assert status == 200
    [cookie] = [v for k, v in headers if k == "set-cookie"]
    return cookie


# --- security headers --------------------------------------------------------------------------------------


def test_every_kind_of_answer_carries_the_security_headers(users: Path) -> None:
    app = _app()
    token = _token(users)
    answers = {
        "page": _call(app, "/"),
        "not found": _call(app, "/khong-co"),
        "refused": _call(app, "/media/bieu-do.png"),
        "file": _call(app, "/media/bieu-do.png", headers=_cookie(users, token)),
        "streamed": _call(app, "/export.csv"),
        "health": _call(app, "/_stcore/health"),
        "bad ticket": _call(app, f"{guard.SESSION_ROUTE}?ticket=gia"),
        "sign-out": _call(app, guard.SIGNOUT_ROUTE),
    }
    assert {k: a[0] for k, a in answers.items()} == {
        "page": 200,
        "not found": 404,
        "refused": 403,
        "file": 200,
        "streamed": 200,
        "health": 200,
        "bad ticket": 403,
        "sign-out": 200,
    }
    for kind, (_status, headers, _body) in answers.items():
        got = dict(headers)
        for name, value in guard.SECURITY_HEADERS:
            assert got.get(name.decode()) == value.decode(), (kind, name)
    csp = dict(answers["page"][1])["content-security-policy"]
    assert "frame-ancestors 'self'" in csp and "script-src 'self'" in csp and "img-src 'self' data: blob:" in csp


def test_a_header_the_app_set_itself_is_kept_not_doubled(users: Path) -> None:
    _status, headers, _ = _call(_app(), "/framed")

    assert [v for k, v in headers if k == "x-frame-options"] == ["DENY"]


# --- the session cookie ------------------------------------------------------------------------------------


def test_the_session_cookie_is_httponly_strict_and_not_secure_over_plain_http(users: Path) -> None:
    cookie = _set_cookie(_app(), users)

    parts = [p.strip() for p in cookie.split(";")]
    assert "HttpOnly" in parts and "SameSite=Strict" in parts and "Path=/" in parts
    assert "Secure" not in parts  # a browser would drop a Secure cookie on http://localhost


def test_the_session_cookie_is_secure_over_https(users: Path) -> None:
    cookie = _set_cookie(_app(), users, scheme="https")  # uvicorn serving TLS itself

    assert "Secure" in [p.strip() for p in cookie.split(";")]


def test_the_session_cookie_is_secure_behind_a_trusted_proxy_that_says_https(
    users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_TRUSTED_PROXY, PROXY)
    app = _app()
    behind = {"X-Forwarded-Proto": "https", "X-Forwarded-For": READER}

    from_proxy = _set_cookie(app, users, peer=PROXY, headers=behind)
    from_elsewhere = _set_cookie(app, users, peer=READER, headers=behind)

    assert "Secure" in [p.strip() for p in from_proxy.split(";")]
    # Anyone else's X-Forwarded-Proto counts for nothing.
    assert "Secure" not in [p.strip() for p in from_elsewhere.split(";")]


def test_secure_cookies_can_be_required_for_a_proxy_that_does_not_say_its_scheme(
    users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(guard.ENV_SECURE, "1")

    cookie = _set_cookie(_app(), users)

    assert "Secure" in [p.strip() for p in cookie.split(";")]


def test_a_ticket_is_good_once(users: Path) -> None:
    app = _app()
    ticket = guard.new_ticket(_token(users))

    first = _call(app, f"{guard.SESSION_ROUTE}?ticket={ticket}")
    again = _call(app, f"{guard.SESSION_ROUTE}?ticket={ticket}")

    assert (first[0], again[0]) == (200, 403)
    assert not [v for k, v in again[1] if k == "set-cookie"]


def test_sign_out_deletes_the_cookie(users: Path) -> None:
    _status, headers, _ = _call(_app(), guard.SIGNOUT_ROUTE)

    [cookie] = [v for k, v in headers if k == "set-cookie"]
    assert "Max-Age=0" in cookie and "HttpOnly" in cookie


# --- files and metrics need a session --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/media/bieu-do.png", "/_stcore/metrics"])
def test_files_and_metrics_are_refused_without_a_live_session(path: str, users: Path) -> None:
    app = _app()
    token = _token(users)
    name, _, _ = sessions.cookie_settings(users)

    anonymous = _call(app, path)
    forged = _call(app, path, headers={"Cookie": f"{name}={token[:-4]}abcd"})
    garbled = _call(app, path, headers={"Cookie": f'{name}="unterminated; x'})
    signed_in = _call(app, path, headers=_cookie(users, token))
    accounts.end_sessions(users, "lan")  # sign-out everywhere, a password or role change
    revoked = _call(app, path, headers=_cookie(users, token))

    assert [a[0] for a in (anonymous, forged, garbled, signed_in, revoked)] == [403, 403, 403, 200, 403]
    assert signed_in[2] in (b"\x89PNG", b"# metrics")
    assert anonymous[2] == b"403"


def test_the_health_check_answers_everyone(users: Path) -> None:
    assert _call(_app(), "/_stcore/health", peer=READER)[:1] == (200,)


# --- header sign-in ----------------------------------------------------------------------------------------


def test_header_mode_without_a_trusted_proxy_serves_no_one(users: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`parboard serve --auth header` refuses to start without --trusted-proxy (tests/test_access.py); a server
    started some other way without one still lets no request through, not even from this machine."""
    monkeypatch.setenv(ENV_MODE, "header")
    app = _app()

    local = _call(app, "/", headers={"X-Forwarded-User": "lan"})
    health = _call(app, "/_stcore/health")
    socket = _socket_call(app, "127.0.0.1")

    assert local[0] == 403 and health[0] == 200
    assert socket == [{"type": "websocket.close", "code": 1008}]


def test_header_mode_believes_the_user_header_only_from_the_proxy(users: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_MODE, "header")
    monkeypatch.setenv(ENV_TRUSTED_PROXY, PROXY)
    app = _app()

    from_proxy = _call(app, "/", peer=PROXY, headers={"X-Forwarded-User": "lan", "X-Forwarded-For": READER})
    local = _call(app, "/", peer="127.0.0.1", headers={"X-Forwarded-User": "lan"})

    assert from_proxy[0] == 200 and from_proxy[2] == b"<html>lan</html>"
    assert local[0] == 403


def test_a_loopback_proxy_must_also_send_the_shared_secret(
    users: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = tmp_path / "proxy.secret"
    secret.write_text("bi-mat-chung-dai\n", encoding="utf-8")
    monkeypatch.setenv(ENV_MODE, "header")
    monkeypatch.setenv(ENV_TRUSTED_PROXY, "127.0.0.1")
    monkeypatch.setenv(ENV_PROXY_SECRET_FILE, str(secret))
    app = _app()
    user = {"X-Forwarded-User": "lan"}

    with_secret = _call(app, "/", headers={**user, guard.SECRET_HEADER: "bi-mat-chung-dai"})
    without = _call(app, "/", headers=user)
    wrong = _call(app, "/", headers={**user, guard.SECRET_HEADER: "doan-bua"})

    assert (with_secret[0], without[0], wrong[0]) == (200, 403, 403)
    assert with_secret[2] == b"<html>lan</html>"


def test_in_password_mode_a_user_header_from_anyone_is_dropped(users: Path) -> None:
    _status, _headers, body = _call(_app(), "/", headers={"X-Forwarded-User": "admin"})

    assert body == b"<html></html>"
