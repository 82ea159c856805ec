"""A reader of the real dashboard server without a browser: Streamlit's own websocket protocol.

A browser tab is one websocket to /_stcore/stream carrying protobufs: the tab sends a BackMsg `rerun_script`
naming the page (its url path and query string) and the server answers with ForwardMsgs — `new_session` when
a script run starts, one `delta` per element, and `script_finished` when the run ends. `Session.open(page)`
does what a tab does when a reader clicks a page in the sidebar, and returns how long the server took to send
the whole page and what the page showed, element by element, so tests can compare renders and benchmarks can
drive many readers from one process.

Without an Origin header the server accepts the connection without the XSRF token (a browser always sends
one); the token only guards Streamlit's own sign-in cookie, which the dashboard does not use.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import subprocess
import time
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from websockets.asyncio.client import ClientConnection, connect

STREAM = "/_stcore/stream"
T = TypeVar("T")
PAGE_TIMEOUT_S = 60.0
START_TIMEOUT_S = 30.0

# Elements whose words are the content itself; every other element is known by a digest of its proto.
_TEXT = {"markdown": "body", "heading": "body", "text": "body", "alert": "body", "code": "code_text"}
# Fields that name the element rather than say what it shows: widget ids, and the per-session address of a
# download's file (its bytes come from the table shown beside it, which is compared itself).
_IDENTITY_FIELDS = ("id", "form_id", "url", "deferred_file_id")


@dataclass(frozen=True)
class Render:
    """One page as the server sent it."""

    page: str
    seconds: float  # from the request to the end of the script run, as the client received it
    content: tuple[str, ...]  # one line per element, in page order (main area, then the sidebar)
    exceptions: tuple[str, ...]  # "Type: message" of every exception element
    errors: tuple[str, ...]  # what went wrong outside the page: not found, compile error, timeout, closed

    @property
    def ok(self) -> bool:
        return not self.exceptions and not self.errors


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def describe(element) -> str:  # type: ignore[no-untyped-def]
    """One line saying what an Element proto shows: its words for text, a digest of its data otherwise."""
    kind = element.WhichOneof("type")
    body = getattr(element, kind)
    if kind in _TEXT:
        extra = f"[{body.element_type}]" if kind == "markdown" else ""
        return f"{kind}{extra}: {getattr(body, _TEXT[kind])}"
    if kind == "metric":
        return f"metric: {body.label} = {body.body} ({body.delta})"
    if kind == "exception":
        return f"exception: {body.type}: {body.message}"
    if kind == "plotly_chart":
        return f"plotly_chart: {_digest(body.spec.encode())}"
    if kind in ("dataframe", "table"):
        data = body.arrow_data.data
        if kind == "dataframe" and body.HasField("lazy_data"):
            data = body.lazy_data.initial_chunk.data + str(body.lazy_data.row_count).encode()
        return f"{kind}: {_digest(data)}"
    copy = type(body)()
    copy.CopyFrom(body)
    for name in _IDENTITY_FIELDS:
        if name in copy.DESCRIPTOR.fields_by_name:
            copy.ClearField(name)
    return f"{kind}: {_digest(copy.SerializeToString(deterministic=True))}"


class Session:
    """One reader's tab: a websocket to the server that opens pages one after another."""

    def __init__(self, ws: ClientConnection, describe_elements: bool = True):
        self._ws = ws
        self._describe = describe_elements

    async def open(self, page: str = "", query: str = "", timeout: float = PAGE_TIMEOUT_S) -> Render:
        """Open the page at url path `page` ("" for the first page) with `query` ("lang=en&year=2024")."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        request.rerun_script.page_name = page
        request.rerun_script.query_string = query
        elements: dict[tuple[int, ...], str] = {}
        exceptions: list[str] = []
        errors: list[str] = []
        start = time.perf_counter()
        await self._ws.send(request.SerializeToString())
        try:
            async with asyncio.timeout(timeout):
                while True:
                    msg = ForwardMsg()
                    msg.ParseFromString(await self._ws.recv())
                    kind = msg.WhichOneof("type")
                    if kind == "new_session":  # a run starts (again, after a rerun the page asked for)
                        elements.clear()
                        exceptions.clear()
                    elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                        element = msg.delta.new_element
                        if element.WhichOneof("type") == "exception":
                            exceptions.append(f"{element.exception.type}: {element.exception.message}")
                        if self._describe:
                            elements[tuple(msg.metadata.delta_path)] = describe(element)
                    elif kind == "page_not_found":
                        errors.append(f"page not found: {page!r}")
                    elif kind == "script_finished":
                        status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                        if status == "FINISHED_WITH_COMPILE_ERROR":
                            errors.append("compile error")
                        if status != "FINISHED_EARLY_FOR_RERUN":
                            break
        except TimeoutError:
            errors.append(f"no script_finished within {timeout:.0f} s")
        except OSError as exc:  # the connection dropped
            errors.append(f"connection: {exc}")
        except Exception as exc:  # websockets' ConnectionClosed and protobuf errors
            errors.append(f"{type(exc).__name__}: {exc}")
        seconds = time.perf_counter() - start
        content = tuple(elements[path] for path in sorted(elements))
        return Render(page, seconds, content, tuple(exceptions), tuple(errors))


def run(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run(coro) in a thread of its own: the caller's thread may already run an event loop (Playwright's
    sync API leaves one running in a test session that has driven a browser)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


@contextlib.asynccontextmanager
async def session(url: str, describe_elements: bool = True, cookie: str | None = None):  # type: ignore[no-untyped-def]
    """A Session on the server at url (http://host:port); describe_elements=False skips the content (load
    benchmarks keep the client's own CPU out of the way). cookie: a Cookie header, as a browser sends the one
    Streamlit set (a reverse proxy with sticky sessions routes by it)."""
    ws_url = url.replace("http://", "ws://", 1).replace("https://", "wss://", 1) + STREAM
    # No websocket pings: a browser sends none either (Streamlit has its own heartbeat message).
    async with connect(
        ws_url,
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=START_TIMEOUT_S,
        ping_interval=None,
        additional_headers={"Cookie": cookie} if cookie else None,
    ) as ws:
        yield Session(ws, describe_elements)


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]
    log: Path


@contextlib.contextmanager
def serve(db: Path, log: Path) -> Iterator[Server]:
    """The real server (what `parboard serve` runs) on db with sign-in off, on a free port, until the block ends."""
    from bench.browser import free_port, healthy, stop
    from dashboard.serve import PROJECT_ROOT, serve_command, serve_env

    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:  # a file, not a pipe: a chatty server never blocks on a full pipe
        proc = subprocess.Popen(
            serve_command(port=port),
            env=serve_env(db, auth="off"),
            cwd=PROJECT_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(f"http://127.0.0.1:{port}", proc, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(server.url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server not healthy:\n{log.read_text(errors='replace')}")
            time.sleep(0.2)
        yield server
    finally:
        stop(proc)
