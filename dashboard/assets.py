"""How the browser gets Streamlit's own files quickly: compressed, and the chart code asked for up front.

Installed by dashboard/asgi.py, inside the guard (so every answer still carries its security headers):
- Streamlit serves its JavaScript and CSS uncompressed (it leaves that to a proxy, which a province's office
  often does not have): 7.6 MB for the first page, 4.7 MB of it Plotly's chunk. Here each file under
  /static/ is gzipped once, on its first request (in a worker thread, never on the event loop), kept in
  memory and sent to every browser that accepts gzip: about a third of the bytes. The files are
  content-hashed, so they are cached by browsers for a year, as Streamlit already says.
- The page's HTML names Plotly's chunk (and the chunks it imports) as `modulepreload`: the browser fetches
  and compiles the biggest file of the page while it connects and the first script runs, instead of only
  when the first chart arrives. Every page of the dashboard draws charts, the Overview first of all.
Nothing is fetched from another host; only files of Streamlit's own static folder are read.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
import threading
import zlib
from collections.abc import Awaitable, Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

import streamlit

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STATIC = Path(streamlit.__file__).resolve().parent / "static"
# What Streamlit answers for its content-hashed bundles (starlette_static_routes), kept on the compressed copy.
IMMUTABLE = b"public, immutable, max-age=31536000"
# Only plain names in the three folders Streamlit serves its bundles from: no "..", no other file.
_ASSET = re.compile(r"^/static/(js|css|media)/[A-Za-z0-9][A-Za-z0-9._-]*\.(js|css|json|svg|txt|ttf|map)$")
# The chart chunk and what it imports, preloaded with the page (see the module docstring).
PRELOAD_ROOTS = ("PlotlyChart",)
_IMPORT = re.compile(rb'from"\./([A-Za-z0-9._-]+\.js)"|import"\./([A-Za-z0-9._-]+\.js)"')
GZIP_LEVEL = 6
MIN_SIZE = 1024

_gzipped: dict[str, bytes] = {}
_lock = threading.Lock()


def gzipped(path: str) -> bytes | None:
    """The gzip of the static file at url path `path` (compressed once, then from memory); None for a path
    that is not one of Streamlit's static bundles."""
    if not _ASSET.match(path):
        return None
    with _lock:
        done = _gzipped.get(path)
    if done is not None:
        return done
    file = STATIC / path.lstrip("/")
    if not file.is_file():
        return None
    data = file.read_bytes()
    if len(data) < MIN_SIZE:
        return None
    packer = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # wbits 31: the gzip container
    body = packer.compress(data) + packer.flush()
    with _lock:
        _gzipped[path] = body
    return body


@cache
def preloads() -> tuple[str, ...]:
    """The url paths of the chart chunk and the chunks it imports that the page's HTML does not load already."""
    js = STATIC / "static" / "js"
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    found: list[str] = []
    todo = [f.name for root in PRELOAD_ROOTS for f in sorted(js.glob(f"{root}.*.js"))]
    while todo:
        name = todo.pop(0)
        if name in found or f"./static/js/{name}" in html or not (js / name).is_file():
            continue
        found.append(name)
        for match in _IMPORT.finditer((js / name).read_bytes()):
            todo.append((match.group(1) or match.group(2)).decode("ascii"))
    return tuple(f"/static/js/{name}" for name in found)


def with_preloads(html: bytes) -> bytes:
    """index.html with a modulepreload link per chunk of preloads(), before its closing </head>."""
    links = "".join(f'<link rel="modulepreload" crossorigin href=".{path}">' for path in preloads())
    return html.replace(b"</head>", links.encode("ascii") + b"</head>", 1)


def prepare() -> None:
    """Compress ahead what every first visit asks for: the files the page's HTML names, and the preloads.
    The server calls it in a thread of its own at start (dashboard/launch.py); the rest is done on demand."""
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    named = re.findall(r'(?:src|href)="\.(/static/[^"]+)"', html)
    for path in (*named, *preloads()):
        gzipped(path)


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope.get("headers") or []:
        if name.lower() == b"accept-encoding":
            return any(part.split(b";")[0].strip() == b"gzip" for part in value.lower().split(b","))
    return False


def _is_document(path: str) -> bool:
    """A page address (/, /overview, /rankings…), which Streamlit answers with its index.html."""
    return path == "/" or re.fullmatch(r"/[a-z][a-z0-9_-]*/?", path) is not None


class Assets:
    """The ASGI middleware described in the module docstring."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path") or "")
        if path.startswith("/static/") and _accepts_gzip(scope):
            body = await asyncio.to_thread(gzipped, path)
            if body is not None:
                await _send_gzipped(scope, send, path, body)
                return
        elif _is_document(path):
            await self._document(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def _document(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Streamlit's answer for a page address, its HTML given the preload links (other answers untouched)."""
        # Uncompressed from Streamlit (5 kB) so that the HTML can be read and extended.
        inner = dict(scope)
        inner["headers"] = [(k, v) for k, v in scope.get("headers") or [] if k.lower() != b"accept-encoding"]
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = list(start.get("headers") or [])
            kind = next((v for k, v in headers if k.lower() == b"content-type"), b"")
            if start["status"] == 200 and kind.startswith(b"text/html"):
                body = with_preloads(body)
                headers = [(k, v) for k, v in headers if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode("ascii")))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})

        await self.app(inner, receive, capture)


async def _send_gzipped(scope: Scope, send: Send, path: str, body: bytes) -> None:
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "application/json", "image/svg+xml"):
        kind += "; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", kind.encode("ascii")),
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"cache-control", IMMUTABLE),
                (b"vary", b"Accept-Encoding"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})
