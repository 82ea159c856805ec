"""Server time of the leaders' pages and of each interaction, the raw query time behind them, and the time until
the first page is usable in headless Chromium.

    .venv/bin/python -m bench.pages [--db /tmp/nat/parboard.duckdb] [--runs 15] [--browser-runs 5]

Build the national database first (about 15 s): `.venv/bin/parboard demo --scale national --db
/tmp/nat/parboard.duckdb`.

- page: a fresh session opening the page (AppTest, in this process; caches warm after one warm-up run, as
  on a server that has served the page once since the last publish); `first in process` is the very first run
  (modules imported, caches empty, as on a server that has just started).
- after a publish: the page's first run on a running server when a new version has just been published (every
  cache keyed by the version is empty and the version's connection is new), median and p95 of `--runs` runs;
  `ratio` is that median over the raw queries' median.
- interaction: one widget change and the rerun it causes, in an open session.
- raw queries: the named queries the page's figures come from, straight on DuckDB, uncached, so the overhead
  of the page over its data is visible.
- browser: from navigation to the first chart drawn on /overview, server started fresh each run (cold) and a
  second tab on the same server (warm).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from bench.suite import Figure

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def _stats(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return statistics.median(ordered), p95


# Every printed row is also kept as a Figure (in ms) for `python -m bench`.
_FIGURES: list[Figure] = []


def _row(
    name: str, values: list[float], raw: list[float] | None = None, *, group: str = "pages", budgeted: bool = True
) -> None:
    ms = [v * 1000 for v in values]
    if group == "browser":
        _FIGURES.append(Figure(group, f"first page usable in Chromium: {name}", "s", values, budget=3.0))
    else:
        _FIGURES.append(
            Figure(
                group,
                name,
                "ms",
                ms,
                budget=300.0 if budgeted else None,
                stat="p95",
                reference=[r * 1000 for r in raw or []],
                reference_what="raw queries",
                ratio_budget=2.0 if raw and budgeted else None,
            )
        )
    med, p95 = _stats(values)
    text = f"{name:<44} median {med * 1000:7.0f} ms   p95 {p95 * 1000:7.0f} ms"
    if raw:
        rmed, rp95 = _stats(raw)
        text += f"   | raw queries median {rmed * 1000:6.0f} ms  p95 {rp95 * 1000:6.0f} ms  ratio {med / rmed:4.2f}"
    print(text, flush=True)


def _quiet() -> None:
    """AppTest driven from a plain thread makes Streamlit warn about a missing script context on every cached
    call; the benchmark prints figures only."""
    import logging

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _forget_version() -> None:
    """What a publish does to a running server: every cache keyed by the version file misses and the new
    version's connection is opened afresh. Modules stay imported, as they do on a server that keeps running."""
    import streamlit as st

    from store import queries

    st.cache_resource.clear()
    st.cache_data.clear()
    with queries._lock:
        for con in queries._open.values():
            con.close()
        queries._open.clear()


# The queries each page's figures come from (the same names and parameters the pages run).
def _page_queries(unit: str, kind: str, year: int) -> dict[str, list[tuple[str, dict]]]:
    base = [
        ("dataset_meta", {}),
        ("unit_results", {}),
        ("units_register", {}),
        ("unit_lineage_all", {}),
        ("tier_bands_all", {}),
        ("framework_components", {}),
        ("official_results_all", {}),
        ("official_summary_all", {}),
    ]
    return {
        "overview": [*base, ("open_findings", {})],
        "rankings": [*base, ("component_results_kind_year", {"kind": kind, "year": year})],
        "profile": [
            *base,
            ("component_results_unit", {"unit": unit}),
            ("component_medians", {"kind": kind}),
            ("unit_criterion_scores", {"unit": unit, "year": year}),
            ("unit_records", {"unit": unit}),
        ],
        "progress": [*base, ("component_results_unit", {"unit": unit}), ("component_medians", {"kind": kind})],
        "reviews": base,
    }


def _raw(db: Path, queries: list[tuple[str, dict]], runs: int) -> list[float]:
    import duckdb

    from store.db import CONNECT_CONFIG, current_file, read_sql
    from store.frames import frame

    con = duckdb.connect(str(current_file(db)), read_only=True, config=CONNECT_CONFIG)
    times = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            for name, params in queries:
                # A database published before the checks stored findings has no open_findings to read.
                with contextlib.suppress(duckdb.CatalogException):
                    frame(con.sql(read_sql(name), params=params or None))
            times.append(time.perf_counter() - start)
    finally:
        con.close()
    return times


# Server time is the script run itself, timed inside Streamlit's script thread: AppTest's own polling and its
# per-instance component scan are not server time.
_RUNS: list[float] = []


def _instrument() -> None:
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def timed(self, rerun_data):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return original(self, rerun_data)
        finally:
            _RUNS.append(time.perf_counter() - start)

    ScriptRunner._run_script = timed  # type: ignore[method-assign]


def _server_time(run: Callable[[], object]) -> float:
    """The script time of run() (all script runs it caused, e.g. a rerun asked by the page)."""
    before = len(_RUNS)
    run()
    return sum(_RUNS[before:])


def _open(page: str, params: dict[str, str]):  # type: ignore[no-untyped-def]
    """A new session on the page with params in its URL, and the server time of the page's run alone."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "overview":
        at.switch_page(f"screens/{page}.py")
    seconds = _server_time(at.run)
    assert not at.exception, [e.value for e in at.exception]
    return at, seconds


def bench_server(db: Path, runs: int) -> None:
    import polars as pl

    from store.queries import Published

    os.environ["PARBOARD_DB"] = str(db)
    os.environ["PARBOARD_AUTH"] = "off"  # the pages themselves, not the sign-in form (bench/signin.py times that)
    _instrument()
    published = Published(db)
    results = published.query("unit_results")
    kind = "commune"
    year = int(results.filter(pl.col("kind") == kind)["year"].max())
    unit = results.filter((pl.col("kind") == kind) & (pl.col("year") == year))["unit_code"][0]
    parent = published.query("units_register").filter(pl.col("unit_code") == unit)["parent_code"][0]
    params = {"kind": kind, "year": str(year), "unit": unit, "parent": parent}
    queries = _page_queries(unit, kind, year)
    print(f"database {db} · {results.height:,} unit-year results · unit {unit} · {kind} {year}\n")

    print("Opening a page (server time of the script run)")
    raws = {page: _raw(db, page_queries, runs) for page, page_queries in queries.items()}
    for page in queries:
        cold = _open(page, params)[1]
        _quiet()
        times = [_open(page, params)[1] for _ in range(runs)]
        _row(f"open {page} (warm caches; first in process {cold * 1000:.0f} ms)", times, raws[page])

    print("\nFirst run of a page after a publish (caches empty, new connection, modules imported), when the")
    print("server's watcher has warmed the new version (dashboard/warm.py, within a second of the publish),")
    print("and when the reader comes before it has")
    from dashboard import warm

    for page in queries:
        warmed, before = [], []
        for _ in range(runs):
            _forget_version()
            warm.warm(db)
            warmed.append(_open(page, params)[1])
            _forget_version()
            before.append(_open(page, params)[1])
        _row(f"open {page}, first run after a publish (version warmed)", warmed, raws[page])
        _row(f"open {page}, first run after a publish, before the warm-up", before, raws[page], budgeted=False)

    print("\nInteractions (one change and its rerun, session open)")
    register = published.query("units_register").filter(pl.col("parent_code") == parent).sort("name", "unit_code")
    scored = set(results.filter(pl.col("kind") == kind)["unit_code"].to_list())
    codes = [c for c in register["unit_code"].to_list() if c in scored][:6]

    def pick(key: str, values: list) -> Callable:
        return lambda at, i: at.selectbox(key=key).set_value(values[i % len(values)])

    cases: list[tuple[str, str, Callable]] = [
        ("rankings: change year", "rankings", pick("w-year", [year - 1, year - 2])),
        ("rankings: change component", "rankings", pick("w-comp", ["LV1", "LV2", "LV3"])),
        ("rankings: tier filter", "rankings", pick("w-tier", ["tot", "kha"])),
        ("overview: change year", "overview", pick("w-year", [year - 1, year - 2])),
        ("profile: change unit", "profile", pick("w-unit", codes[1:])),
        ("progress: change unit", "progress", pick("w-unit", codes[1:])),
        ("reviews: change period", "reviews", pick("w-period", ["final", "midterm"])),
    ]
    for name, page, change in cases:
        at, _ = _open(page, params)
        times = []
        for i in range(runs):
            change(at, i)
            times.append(_server_time(at.run))
            assert not at.exception, [e.value for e in at.exception]
        _row(name, times)


def bench_browser(db: Path, runs: int) -> None:
    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, stop
    from dashboard.serve import PROJECT_ROOT, serve_command, serve_env

    print("\nFirst page usable in headless Chromium (/overview: navigation → first chart drawn)")
    cold, warm = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            port = free_port()
            proc = subprocess.Popen(
                serve_command(port=port),
                env=serve_env(db, auth="off"),
                cwd=PROJECT_ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            try:
                url = f"http://127.0.0.1:{port}"
                while not healthy(url):
                    time.sleep(0.1)
                for bucket in (cold, warm):
                    page = browser.new_page(viewport={"width": 1440, "height": 900})
                    start = time.perf_counter()
                    page.goto(f"{url}/overview")
                    page.wait_for_selector("[data-testid='stPlotlyChart'] g.trace", timeout=60_000)
                    bucket.append(time.perf_counter() - start)
                    page.close()
            finally:
                stop(proc)
        browser.close()
    _row("first visit after server start (cold caches)", cold, group="browser")
    _row("next visit, same server (warm caches)", warm, group="browser")


def measure(db: Path, runs: int) -> list[Figure]:
    """Server time per page and interaction, each against the raw time of its queries."""
    _FIGURES.clear()
    bench_server(db, runs)
    return list(_FIGURES)


def measure_browser(db: Path, runs: int) -> list[Figure]:
    """First page usable in headless Chromium, on a freshly started server and on a warm one."""
    _FIGURES.clear()
    bench_browser(db, runs)
    return list(_FIGURES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/nat/parboard.duckdb")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--browser-runs", type=int, default=5)
    args = parser.parse_args()
    db = Path(args.db).absolute()
    if args.runs:
        bench_server(db, args.runs)
    if args.browser_runs:
        bench_browser(db, args.browser_runs)


if __name__ == "__main__":
    main()
