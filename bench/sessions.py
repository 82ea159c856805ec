"""Page times of the real server under N concurrent readers, and the N at which the p95 passes 2 s.

    .venv/bin/python -m bench.sessions [--scale locality|national] [--n 1,2,4,8,16,32] [--seconds 20]
                                       [--think 0] [--db PATH] [--browser-runs 10]

One server (what `parboard serve` runs, sign-in off) on the demo database of the scale. For each N, N readers
(websocket sessions speaking Streamlit's own protocol, bench/st_session.py: what a browser tab sends and
receives, without drawing) walk the pages in a leader's order — overview, rankings, the communes' ranking,
a commune's profile, its progress, reviews, quota, report, data, quality — each from its own starting point,
for `--seconds`, pausing `--think` seconds between pages (0: the next click as soon as a page has arrived,
the harshest case). A page's time runs from the request to the end of its script run as the reader receives
it. Per N: median, p95 and max page time, pages that failed (an exception shown, no answer within 60 s, a
dropped connection), and pages served per second. The server is warmed first (every page once), as a server
that has served since its last publish is.

`--browser-runs`: once, the same page switch in headless Chromium (click in the sidebar → the new page's
script finished) beside the websocket reader's time for it, so the reader's figure can be judged as a proxy.

The locality database is built once under bench/out/ (`parboard demo`, ~6 s); the national one is the suite's
(bench/out/national-db, `parboard demo --scale national`, ~30 s), reused when present.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.st_session import Render, run, serve, session
from bench.suite import Figure

OUT = Path(__file__).parent / "out"
DBS = {"locality": OUT / "locality-db" / "parboard.duckdb", "national": OUT / "national-db" / "parboard.duckdb"}
LIMIT_S = 2.0
DEFAULT_N = (1, 2, 4, 8, 16, 32)


def ensure_db(scale: str, db: Path | None = None, rebuild: bool = False) -> Path:
    """The demo database of the scale, built (`parboard demo`) when missing or asked to."""
    from store.db import current_file

    db = db or DBS[scale]
    if rebuild or current_file(db) is None:
        print(f"building the {scale} demo database at {db}…", file=sys.stderr, flush=True)
        cmd = [sys.executable, "-m", "cli.main", "demo", "--scale", scale, "--db", str(db), "--force"]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return db


def walk(db: Path) -> list[tuple[str, str]]:
    """A leader's walk through the dashboard as (url path, query string): "" is the overview."""
    import polars as pl

    from store.queries import Published

    results = Published(db).query("unit_results").filter(pl.col("kind") == "commune")
    year = int(results["year"].max())
    unit = results.filter(pl.col("year") == year).sort("unit_code")["unit_code"][0]
    commune = f"kind=commune&year={year}"
    return [
        ("", ""),
        ("rankings", ""),
        ("rankings", commune),
        ("profile", f"{commune}&unit={unit}"),
        ("progress", f"{commune}&unit={unit}"),
        ("reviews", ""),
        ("quota", ""),
        ("report", ""),
        ("data", ""),
        ("quality", ""),
    ]


@dataclass
class Level:
    """What N readers got in the time given."""

    n: int
    seconds: float  # wall time from the first request to the last page's arrival
    renders: list[Render]

    @property
    def times(self) -> list[float]:
        return [r.seconds for r in self.renders if r.ok]

    @property
    def errors(self) -> int:
        return sum(not r.ok for r in self.renders)

    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))] if ordered else float("nan")

    def row(self) -> str:
        t = self.times
        if not t:
            return f"| {self.n} | {len(self.renders)} | – | – | – | {self.errors} | – |"
        return (
            f"| {self.n} | {len(self.renders)} | {statistics.median(t):.2f} | {self.p95():.2f} | {max(t):.2f} | "
            f"{self.errors} | {len(self.renders) / self.seconds:.1f} |"
        )


async def _reader(
    url: str, pages: list[tuple[str, str]], start: int, until: float, think: float, cookie: str | None = None
) -> list[Render]:
    got: list[Render] = []
    async with session(url, describe_elements=False, cookie=cookie) as s:
        i = start
        while time.perf_counter() < until:
            page, query = pages[i % len(pages)]
            got.append(await s.open(page, query))
            i += 1
            if think:
                await asyncio.sleep(think)
    return got


async def _level(
    url: str, pages: list[tuple[str, str]], n: int, seconds: float, think: float, cookies: bool = False
) -> Level:
    """cookies: each reader sends a Streamlit cookie of its own, as browsers do (a sticky proxy routes by it)."""
    begin = time.perf_counter()
    # Readers start spread over the walk, as readers who arrived at different moments would be.
    per_reader = await asyncio.gather(
        *(
            _reader(
                url,
                pages,
                i * len(pages) // n,
                begin + seconds,
                think,
                f"_streamlit_xsrf=reader-{i}-{secrets.token_hex(8)}" if cookies else None,
            )
            for i in range(n)
        )
    )
    return Level(n, time.perf_counter() - begin, [r for reader in per_reader for r in reader])


async def _warm(url: str, pages: list[tuple[str, str]]) -> None:
    async with session(url, describe_elements=False) as s:
        for page, query in pages:
            render = await s.open(page, query)
            if not render.ok:
                raise RuntimeError(f"{page or 'overview'}?{query}: {render.exceptions} {render.errors}")


def run_levels(url: str, pages: list[tuple[str, str]], ns: list[int], seconds: float, think: float) -> list[Level]:
    run(_warm(url, pages))
    levels = []
    for n in ns:
        level = run(_level(url, pages, n, seconds, think))
        levels.append(level)
        print(level.row(), flush=True)
    return levels


def slowest_pages(level: Level, top: int = 3) -> str:
    """The pages with the highest p95 at one N: which pages drive the tail."""
    by_page: dict[str, list[float]] = {}
    for r in level.renders:
        if r.ok:
            by_page.setdefault(r.page or "overview", []).append(r.seconds)
    ranked = sorted(by_page.items(), key=lambda kv: -sorted(kv[1])[min(len(kv[1]) - 1, round(0.95 * len(kv[1])) - 1)])
    return ", ".join(f"{page} (median {statistics.median(t):.2f} s, max {max(t):.2f} s)" for page, t in ranked[:top])


def crossing(levels: list[Level]) -> str:
    over = [lv.n for lv in levels if lv.p95() > LIMIT_S]
    if over:
        return f"p95 passes {LIMIT_S:g} s at N = {min(over)}"
    return f"p95 never passes {LIMIT_S:g} s: not reached up to N = {max(lv.n for lv in levels)}"


# ---- the same page switch in Chromium, to judge the websocket reader as a proxy ----------------------------


def browser_vs_websocket(url: str, runs: int, pages: tuple[str, str] = ("rankings", "reviews")) -> tuple[list, list]:
    """Seconds of switching between two pages: in Chromium (click in the sidebar → the new page's title drawn
    and its script finished) and with the websocket reader (request → script finished), alternately."""
    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_ARGS, wait_ready

    async def titles_and_ws_times() -> tuple[dict[str, str], list[float]]:
        async with session(url) as s:
            titles = {
                p: next(line for line in (await s.open(p)).content if line.startswith("heading: ")) for p in pages
            }
            times = [(await s.open(pages[i % 2])).seconds for i in range(2 * runs)]
        return {p: title.removeprefix("heading: ") for p, title in titles.items()}, times

    titles, ws_times = run(titles_and_ws_times())
    browser_times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.goto(f"{url}/{pages[1]}")
        wait_ready(page)
        for i in range(2 * runs):
            target = pages[i % 2]
            link = page.locator(f"[data-testid='stSidebarNav'] a[href$='/{target}']")
            start = time.perf_counter()
            link.click()
            page.get_by_role("heading", name=titles[target], level=1).wait_for(timeout=30_000)
            wait_ready(page)
            browser_times.append(time.perf_counter() - start)
        browser.close()
    return browser_times, ws_times


def measure(
    db: Path, scale: str, ns: list[int], seconds: float, think: float = 0.0, browser_runs: int = 0
) -> list[Figure]:
    """The rows for `python -m bench`: page seconds per N (no budget: the point is where p95 passes 2 s)."""
    log = OUT / f"sessions-{scale}-server.log"
    with serve(db, log) as server:
        pages = walk(db)
        print(f"{scale}: {db} · {len(pages)} pages in the walk · {seconds:g} s per N · think {think:g} s", flush=True)
        print("| readers N | pages | median s | p95 s | max s | errors | pages/s |", flush=True)
        print("|---:|---:|---:|---:|---:|---:|---:|", flush=True)
        levels = run_levels(server.url, pages, ns, seconds, think)
        print(crossing(levels), flush=True)
        for lv in levels:
            print(f"slowest pages at N = {lv.n}: {slowest_pages(lv)}", flush=True)
        figures = [
            Figure(
                "sessions",
                f"page time, {lv.n} concurrent readers ({scale}; {lv.errors} errors, "
                f"{len(lv.renders) / lv.seconds:.1f} pages/s)",
                "s",
                lv.times or [float("nan")],
                stat="p95",
            )
            for lv in levels
        ]
        if browser_runs:
            chromium, ws = browser_vs_websocket(server.url, browser_runs)
            print(
                f"page switch rankings ↔ reviews: Chromium median {statistics.median(chromium):.3f} s "
                f"(max {max(chromium):.3f}), websocket reader median {statistics.median(ws):.3f} s "
                f"(max {max(ws):.3f})",
                flush=True,
            )
            figures.append(
                Figure(
                    "sessions",
                    f"page switch in Chromium ({scale})",
                    "s",
                    chromium,
                    reference=ws,
                    reference_what="websocket reader",
                )
            )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(DBS), default="locality")
    parser.add_argument("--n", default=",".join(map(str, DEFAULT_N)), help="comma-separated reader counts")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each N runs")
    parser.add_argument("--think", type=float, default=0.0, help="seconds a reader pauses between pages")
    parser.add_argument("--db", type=Path, help="a published database instead of the scale's demo")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the demo database first")
    parser.add_argument("--browser-runs", type=int, default=0, help="also time a page switch in Chromium")
    args = parser.parse_args()
    db = ensure_db(args.scale, args.db.absolute() if args.db else None, args.rebuild)
    ns = [int(n) for n in args.n.split(",") if n.strip()]
    measure(db, args.scale, ns, args.seconds, args.think, args.browser_runs)


if __name__ == "__main__":
    main()
