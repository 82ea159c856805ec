"""Streamlit's own files as the real server sends them (dashboard/assets.py): compressed to a browser that
accepts gzip, byte-for-byte the files Streamlit ships once unpacked, still under the security headers, and the
chart chunk named in the page for the browser to fetch ahead; and the Overview drawn by Chromium from them."""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from dashboard import assets

from .conftest import Server, wait_ready


@pytest.fixture(scope="module")
def server(sample_server: Server) -> Server:
    return sample_server


def _get(server: Server, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One GET with exactly these headers (http.client sends no Accept-Encoding of its own)."""
    url = urlparse(server.url)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def test_the_chart_chunk_is_known_and_named_in_every_page(server: Server) -> None:
    # A Streamlit upgrade that renames its Plotly chunk leaves nothing to preload: fail here, not silently.
    preloads = assets.preloads()
    assert preloads and Path(preloads[0]).name.startswith("PlotlyChart.")
    for page in ("/", "/overview", "/rankings"):
        status, headers, body = _get(server, page)
        assert status == 200 and headers["content-type"].startswith("text/html")
        html = body.decode("utf-8")
        for path in preloads:
            assert f'<link rel="modulepreload" crossorigin href=".{path}">' in html
        assert html.index("modulepreload") < html.index("</head>")
        assert int(headers["content-length"]) == len(body)
        assert "content-security-policy" in headers  # the guard still wraps the rewritten page
    for path in preloads:
        status, _, body = _get(server, path)
        assert status == 200 and body == (assets.STATIC / path.lstrip("/")).read_bytes()


def test_static_files_are_gzipped_for_a_browser_that_accepts_it(server: Server) -> None:
    path = assets.preloads()[0]
    shipped = (assets.STATIC / path.lstrip("/")).read_bytes()
    status, headers, body = _get(server, path, {"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200
    assert headers["content-encoding"] == "gzip" and headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == shipped
    assert len(body) < len(shipped) / 2
    assert headers["cache-control"] == assets.IMMUTABLE.decode()
    assert headers["content-type"].startswith(("text/javascript", "application/javascript"))
    assert "content-security-policy" in headers and headers["x-content-type-options"] == "nosniff"
    # Without gzip in Accept-Encoding: Streamlit's own answer, the plain file.
    status, headers, body = _get(server, path, {"Accept-Encoding": "identity"})
    assert status == 200 and "content-encoding" not in headers and body == shipped


@pytest.mark.parametrize(
    "path",
    ["/static/js/../../index.html", "/static/js/%2e%2e/%2e%2e/index.html", "/static/js/missing.js", "/static/x.js"],
)
def test_only_streamlits_own_bundles_are_compressed(server: Server, path: str) -> None:
    _, headers, body = _get(server, path, {"Accept-Encoding": "gzip"})
    assert headers.get("content-encoding") != "gzip" and not body.startswith(b"\x1f\x8b")
    assert assets.gzipped(path) is None


def test_chromium_draws_the_overview_from_the_compressed_files(page: Page, server: Server) -> None:
    answers: dict[str, str] = {}
    page.on("response", lambda r: answers.__setitem__(urlparse(r.url).path, r.headers.get("content-encoding", "")))
    page.goto(f"{server.url}/overview")
    wait_ready(page, "[data-testid='stPlotlyChart'] g.trace")
    assert page.locator("[data-testid='stException']").count() == 0
    chunk = assets.preloads()[0]
    assert answers.get(chunk) == "gzip"
    scripts = [p for p in answers if p.startswith("/static/js/")]
    assert scripts and all(answers[p] == "gzip" for p in scripts if assets.gzipped(p) is not None)
