"""Peak memory of the dashboard server after a reader has visited every page.

    .venv/bin/python -m bench.memory [--db /tmp/nat/parboard.duckdb] [--runs 3]

Each run starts the real server (`parboard serve`'s command line) on a fresh port, opens every page in
headless Chromium one after the other in one tab, waits until each has finished running, and then reads the
server process's peak resident memory (VmHWM) and its resident memory at the end (VmRSS) from /proc.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import time
from pathlib import Path

from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, stop, wait_ready

# Every page of the router, in its order (dashboard/app.py).
PAGES = ("overview", "rankings", "profile", "progress", "reviews", "quota", "report", "data", "quality")


def _memory_mb(pid: int) -> tuple[float, float]:
    """(peak, current) resident memory of pid in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmHWM", "VmRSS"):
            fields[name] = int(value.split()[0]) / 1024
    return fields["VmHWM"], fields["VmRSS"]


def measure(db: Path, runs: int) -> dict[str, list[float]]:
    """Seconds to visit every page, and the server's peak and final memory, per run."""
    from playwright.sync_api import sync_playwright

    from dashboard.serve import PROJECT_ROOT, serve_command, serve_env

    out: dict[str, list[float]] = {"visit_seconds": [], "peak_mb": [], "final_mb": []}
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
                page = browser.new_page(viewport={"width": 1440, "height": 900})
                start = time.perf_counter()
                for path in PAGES:
                    page.goto(f"{url}/{path}")
                    wait_ready(page)
                out["visit_seconds"].append(time.perf_counter() - start)
                page.close()
                peak, final = _memory_mb(proc.pid)
                out["peak_mb"].append(peak)
                out["final_mb"].append(final)
            finally:
                stop(proc)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="/tmp/nat/parboard.duckdb")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    result = measure(Path(args.db).absolute(), args.runs)
    for name, values in result.items():
        print(f"{name:<14} median {statistics.median(values):8.1f}   min {min(values):8.1f}   max {max(values):8.1f}")


if __name__ == "__main__":
    main()
