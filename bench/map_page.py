"""How long the Map page takes in headless Chromium on a warm server: navigation → the province shapes drawn,
and → the commune points drawn, after one visit has warmed the server's caches.

    .venv/bin/parboard init --province "Cà Mau" --db /tmp/map/parboard.duckdb
    .venv/bin/python -m bench.map_page --db /tmp/map/parboard.duckdb [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, stop, wait_ready

VIEWS = {
    "provinces 2023 (63 shapes)": ("/map?level=province&year=2023&measure=par_index.score", 63),
    "provinces 2025 (34 shapes)": ("/map?level=province&year=2025", 34),
    "communes 2025 (points)": ("/map?level=commune&year=2025", 1),
}
FILLS = "[data-testid='stPlotlyChart'] g.cartesianlayer path.js-fill"


def measure(db: Path, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    from dashboard.serve import PROJECT_ROOT, serve_command, serve_env

    port = free_port()
    proc = subprocess.Popen(
        serve_command(port=port),
        env=serve_env(db, auth="off"),
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    out: dict[str, list[float]] = {name: [] for name in VIEWS}
    try:
        url = f"http://127.0.0.1:{port}"
        while not healthy(url):
            time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for name, (path, least) in VIEWS.items():
                for i in range(runs + 1):  # the first visit warms the caches and is not counted
                    start = time.perf_counter()
                    page.goto(url + path)
                    wait_ready(page)
                    # the page's CSP forbids evaluated strings: wait on the n-th shape's selector instead
                    page.locator(FILLS).nth(least - 1).wait_for(state="attached", timeout=60_000)
                    if i:
                        out[name].append(time.perf_counter() - start)
            browser.close()
    finally:
        stop(proc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    for name, times in measure(Path(args.db).absolute(), args.runs).items():
        print(f"{name}: median {statistics.median(times):.2f} s, min {min(times):.2f}, max {max(times):.2f}")


if __name__ == "__main__":
    main()
