"""The benchmark suite at national scale: every budget, measured side by side with its reference.

    .venv/bin/python -m bench [--runs 3] [--only load,checks,pages,browser,quota,memory,exports,sessions,inputs]
                              [--json FILE] [--compare EARLIER.json]

It builds the national demo files and database once (34 provinces, 3,321 communes, 2021–2030), runs each
benchmark several times, prints one table (median, p95, min, max, budget, reference, ratio, verdict) and
writes it as JSON (default bench/out/bench-<time>.json) so that two runs can be compared. It never runs as
part of the tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bench.suite import Figure, compare, table, write_json

OUT = Path(__file__).parent / "out"
NATIONAL_DB = OUT / "national-db" / "parboard.duckdb"
GROUPS = ("load", "checks", "pages", "browser", "quota", "memory", "exports", "sessions", "inputs")


def _machine() -> dict:
    import duckdb
    import polars
    import streamlit

    with open("/proc/meminfo") as fh:
        mem_kb = int(fh.readline().split()[1])
    return {
        "when": datetime.now().isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "memory_gib": round(mem_kb / 2**20, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "streamlit": streamlit.__version__,
        "load_average_at_start": _load_average(),
    }


def _load_average() -> list[str]:
    return Path("/proc/loadavg").read_text().split()[:3]


def _national_db() -> Path:
    """The national demo database that the page, memory and export benchmarks read, built once per run so
    it always comes from the code being measured."""
    print("building the national demo database…", file=sys.stderr, flush=True)
    cmd = [sys.executable, "-m", "cli.main", "demo", "--scale", "national", "--db", str(NATIONAL_DB), "--force"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return NATIONAL_DB


def _load(runs: int) -> list[Figure]:
    from bench import load, reference_load

    manifest = load.national_manifest()
    return load.measure(manifest, runs, reference=reference_load.measure(manifest, runs))


def _checks(runs: int) -> list[Figure]:
    from bench import checks

    return checks.measure(NATIONAL_DB, runs)


def _pages(runs: int) -> list[Figure]:
    from bench import pages

    # 20 samples at least: with fewer, the p95 that the budget bounds is simply the slowest run.
    return pages.measure(NATIONAL_DB, max(runs, 20))


def _browser(runs: int) -> list[Figure]:
    from bench import pages

    return pages.measure_browser(NATIONAL_DB, runs)


def _quota(runs: int) -> list[Figure]:
    from bench import quota

    return quota.measure(max(runs, 5))


def _memory(runs: int) -> list[Figure]:
    from bench import memory

    result = memory.measure(NATIONAL_DB, runs)
    return [
        Figure("memory", "dashboard peak memory after visiting every page", "MB", result["peak_mb"], budget=800.0),
        Figure("memory", "time to visit every page once (fresh server)", "s", result["visit_seconds"]),
    ]


def _exports(runs: int) -> list[Figure]:
    from bench import exports

    return exports.measure(NATIONAL_DB, warm=max(10, runs), packs=runs)


def _sessions(runs: int) -> list[Figure]:
    from bench import sessions

    # No budget: the figure sought is the reader count at which the p95 passes 2 s (bench/README.md).
    return sessions.measure(NATIONAL_DB, "national", list(sessions.DEFAULT_N), seconds=15.0, browser_runs=max(runs, 5))


def _inputs(runs: int) -> list[Figure]:
    from bench import inputs

    return inputs.measure(max(runs, 3))


_RUNNERS: dict[str, Callable[[int], list[Figure]]] = {
    "load": _load,
    "checks": _checks,
    "pages": _pages,
    "browser": _browser,
    "quota": _quota,
    "memory": _memory,
    "exports": _exports,
    "sessions": _sessions,
    "inputs": _inputs,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default=",".join(GROUPS), help="comma-separated: " + ", ".join(GROUPS))
    parser.add_argument("--json", type=Path, help="where to write the table as JSON")
    parser.add_argument("--compare", type=Path, help="an earlier run's JSON to compare medians with")
    args = parser.parse_args()
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    machine = _machine()
    started = time.perf_counter()
    if set(groups) & {"checks", "pages", "browser", "memory", "exports", "sessions"}:
        _national_db()
    figures: list[Figure] = []
    for group in groups:
        print(f"running {group}…", file=sys.stderr, flush=True)
        figures += _RUNNERS[group](args.runs)
    machine["load_average_at_end"] = _load_average()
    machine["suite_seconds"] = round(time.perf_counter() - started)

    print(table(figures))
    print(
        f"\n{machine['cpus']} cores, {machine['memory_gib']} GiB, Python {machine['python']}, "
        f"DuckDB {machine['duckdb']}, polars {machine['polars']}, Streamlit {machine['streamlit']}; "
        f"load average {' '.join(machine['load_average_at_start'])} → {' '.join(machine['load_average_at_end'])}; "
        f"{machine['suite_seconds']} s in all"
    )
    path = args.json or OUT / f"bench-{datetime.now():%Y%m%d-%H%M%S}.json"
    write_json(figures, path, machine)
    print(f"written: {path}")
    if args.compare:
        print("\n" + compare(args.compare, figures))


if __name__ == "__main__":
    main()
