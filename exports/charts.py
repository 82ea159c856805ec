"""Charts as files for print and Word: PNG (at least 2× scale), SVG, PDF, and a self-contained HTML page.

Images are drawn on the server by kaleido in Debian's Chromium. Starting Chromium costs seconds, so one
instance is started on the first export and kept warm for the life of the process (~0.1–0.2 s per image
afterwards). It runs on its own event-loop thread; every caller (Streamlit runs each session on its own
thread) waits on its own future with a time limit, so a Chromium that dies or hangs costs one failed
export and a restart, never a frozen page. kaleido's bundled global server is not used for that reason:
when Chromium cannot start it leaves callers waiting forever, and its callers share one result queue.

MathJax is off (kaleido would fetch it from a CDN) and plotly.js comes from the installed plotly package,
so nothing is fetched at run time.

The chart's title, unit, year or period and source are part of the figure (the charts package puts them
there); export never adds or removes them. `missing_parts` says what a figure lacks, so a caller can report it
instead of shipping a chart without its source.
"""

from __future__ import annotations

import asyncio
import atexit
import html
import logging
import os
import re
import shutil
import threading
from collections.abc import Coroutine
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go

from charts.frame import SOURCE_ANNOTATION
from charts.theme import HEIGHT, WIDTH, themed
from core.errors import ParboardError
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

log = logging.getLogger(__name__)

Format = Literal["png", "svg", "pdf", "html"]
FORMATS: dict[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "html": "text/html",
}
IMAGE_FORMATS = ("png", "svg", "pdf")

PRINT_SCALE = 2  # WIDTH at 2× is 380 dpi across an A4 page's body

START_TIMEOUT_S = 60.0
RENDER_TIMEOUT_S = 60.0

_YEAR = re.compile(r"\b20\d\d\b")


class ChartExportError(ParboardError, RuntimeError):
    """An export that could not be made, with a message for the reader in their language."""

    area = "exports.errors"


def browser_path() -> str | None:
    """$BROWSER_PATH, else Debian's chromium on PATH, else None."""
    configured = os.environ.get("BROWSER_PATH")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium") or (shutil.which("chromium-browser"))


class _Renderer:
    """One Chromium with one kaleido tab, driven from a private event-loop thread."""

    def __init__(self, browser: str):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="chart-export", daemon=True)
        self._thread.start()
        self._kaleido: Any = None
        try:
            self._kaleido = self._run(self._open(browser), START_TIMEOUT_S)
        except BaseException:
            self.close()
            raise

    async def _open(self, browser: str) -> Any:
        import kaleido  # imported here: pages that never export do not pay for it

        k = kaleido.Kaleido(n=1, mathjax=False, timeout=RENDER_TIMEOUT_S, path=browser)
        await k.open()
        return k

    def _run(self, coro: Coroutine[Any, Any, Any], timeout: float) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def image(self, fig: dict[str, Any], opts: dict[str, Any]) -> bytes:
        return bytes(self._run(self._kaleido.calc_fig(fig, opts=opts), RENDER_TIMEOUT_S + 5))

    def close(self) -> None:
        if self._kaleido is not None:
            try:
                self._run(self._kaleido.close(), 10)
            except Exception:  # a dead browser cannot be closed politely; the process is gone anyway
                log.debug("closing chart renderer failed", exc_info=True)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


_lock = threading.Lock()
_renderer: _Renderer | None = None


def _get_renderer() -> _Renderer:
    global _renderer
    with _lock:
        if _renderer is None:
            browser = browser_path()
            if browser is None:
                raise ChartExportError("chromium_missing")
            try:
                _renderer = _Renderer(browser)
            except (FutureTimeout, TimeoutError) as exc:
                raise ChartExportError("chromium_start", detail="timeout") from exc
            except Exception as exc:
                raise ChartExportError("chromium_start", detail=_one_line(exc)) from exc
        return _renderer


def _discard(renderer: _Renderer) -> None:
    """Forget a renderer that failed, so the next export starts a fresh Chromium."""
    global _renderer
    with _lock:
        if _renderer is renderer:
            _renderer = None
    threading.Thread(target=renderer.close, daemon=True).start()


def shutdown() -> None:
    """Stop the warm Chromium (at exit; tests that want a cold start)."""
    global _renderer
    with _lock:
        renderer, _renderer = _renderer, None
    if renderer is not None:
        renderer.close()


atexit.register(shutdown)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"[:300]


def _size(fig: go.Figure, width: int | None, height: int | None) -> tuple[int, int]:
    return int(width or fig.layout.width or WIDTH), int(height or fig.layout.height or HEIGHT)


def image(
    fig: go.Figure,
    fmt: Literal["png", "svg", "pdf"],
    *,
    width: int | None = None,
    height: int | None = None,
    scale: float = PRINT_SCALE,
) -> bytes:
    """The chart drawn by the warm Chromium. PNG is drawn at `scale` (never below 2) for print."""
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"not an image format: {fmt}")
    fig = themed(fig)
    w, h = _size(fig, width, height)
    opts = {"format": fmt, "width": w, "height": h, "scale": max(scale, PRINT_SCALE) if fmt == "png" else 1}
    renderer = _get_renderer()
    try:
        return renderer.image(fig.to_dict(), opts)
    except (FutureTimeout, TimeoutError) as exc:
        _discard(renderer)
        raise ChartExportError("render_timeout", seconds=int(RENDER_TIMEOUT_S)) from exc
    except Exception as exc:
        _discard(renderer)
        raise ChartExportError("render_failed", detail=_one_line(exc)) from exc


def html_page(fig: go.Figure, title: str | None = None, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """A standalone page with plotly.js inlined (~5 MB): opens offline, stays interactive."""
    fig = themed(fig)
    page = fig.to_html(
        full_html=True,
        include_plotlyjs=True,
        include_mathjax=False,
        config={"displaylogo": False, "responsive": True},
        default_width="100%",
        default_height=f"{_size(fig, None, None)[1]}px",
    )
    name = html.escape(title if title is not None else title_text(fig))
    page = page.replace("<html>", f'<html lang="{lang}">', 1).replace("<head>", f"<head><title>{name}</title>", 1)
    return page.encode("utf-8")


def render(fig: go.Figure, fmt: Format, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """fig in one of FORMATS, at print settings."""
    if fmt == "html":
        return html_page(fig, lang=lang)
    return image(fig, fmt)


def title_text(fig: go.Figure) -> str:
    """The figure's title without HTML tags (plotly titles may hold <br> and <sub>)."""
    text = fig.layout.title.text or ""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text)).strip()


def _is_source(annotation: Any) -> bool:
    if annotation.name == SOURCE_ANNOTATION:
        return True
    text = re.sub(r"<[^>]+>", "", annotation.text or "").strip().lower()
    return text.startswith(tuple(t("exports.chart.source_prefix", lang).lower() for lang in LANGUAGES))


def missing_parts(fig: go.Figure) -> tuple[str, ...]:
    """What a printable chart must show but this figure does not: 'title', 'period', 'source'.

    The unit of measure is checked by the figure builders' own tests: it may sit in the title, an axis
    or the hover text, which cannot be told apart from here.
    """
    missing = []
    if not title_text(fig):
        missing.append("title")
    annotations = fig.layout.annotations or ()
    texts = [title_text(fig), *(a.text or "" for a in annotations)]
    texts += [fig.layout.xaxis.title.text or "", fig.layout.yaxis.title.text or ""]
    if not any(_YEAR.search(text) for text in texts):
        missing.append("period")
    if not any(_is_source(a) for a in annotations):
        missing.append("source")
    return tuple(missing)
