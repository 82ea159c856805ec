"""The data-quality suites alone on a published database: seconds per run and per suite.

    .venv/bin/python -m bench.checks [--scale national] [--runs 3]

Builds the demo database of that scale once under bench/out/ (reused), then runs checks.run.run_checks on
the frames of the published file read-only (store.check_frames), as `parboard check` does. The first run in
the process includes importing Great Expectations and building its suites; the median is over the runs after
it. Then, per suite, its rows, how many of them some rule could fail on (all GE sees), and the seconds of SQL,
of pandas and of GE.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.suite import Figure

OUT = Path(__file__).parent / "out"


def _database(scale: str, seed: int) -> Path:
    from bench.load import _files
    from services.load import load_files
    from store.db import current_file

    db = OUT / f"checks-{scale}-{seed}" / "parboard.duckdb"
    if current_file(db) is None:
        report = load_files(db, _files(scale, seed), synthetic=True, fresh=True)
        assert report.published, [p.message("en") for p in report.errors[:5]]
    return db


def measure(db: Path, runs: int) -> list[Figure]:
    """The suites on the published national database, read-only as `parboard check` runs them: the first run
    in a process (Great Expectations imported, suites built) and the runs after it."""
    from checks.run import run_checks
    from store.check_frames import suite_frames
    from store.db import connect_read_only, current_file

    con = connect_read_only(current_file(db))
    try:
        start = time.perf_counter()
        with suite_frames(con) as frames:
            run_checks(frames)
        first = time.perf_counter() - start
        seconds = []
        for _ in range(runs):
            with suite_frames(con) as frames:
                seconds.append(run_checks(frames).seconds)
    finally:
        con.close()
    return [
        Figure("checks", "checks alone, national (warm)", "s", seconds, budget=10.0),
        Figure("checks", "checks alone, first run in a process (GE import)", "s", [first], budget=10.0),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("locality", "national"), default="national")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()

    from checks import gx
    from checks.config import load
    from checks.run import run_checks
    from store.check_frames import suite_frames
    from store.db import connect_read_only, current_file

    db = _database(args.scale, args.seed)
    con = connect_read_only(current_file(db))
    start = time.perf_counter()
    with suite_frames(con) as frames:
        first = run_checks(frames)
    print(
        f"first run (with GE import and suite set-up): {time.perf_counter() - start:.2f} s, "
        f"{first.failed('error'):,} error rows, {first.failed('warning'):,} warning rows"
    )
    seconds = []
    for run in range(args.runs):
        with suite_frames(con) as frames:
            result = run_checks(frames)
        seconds.append(result.seconds)
        print(f"run {run + 1}: {result.seconds:.2f} s", flush=True)
    print(
        f"\n{args.scale}: checks alone  median {statistics.median(seconds):.2f}  min {min(seconds):.2f}  "
        f"max {max(seconds):.2f}"
    )

    # Where the time goes: SQL (residual columns), to pandas, Great Expectations
    config = load()
    print(f"\n{'suite':18s} {'rows':>10s} {'to GE':>8s} {'sql s':>7s} {'pandas s':>9s} {'GE s':>7s}")
    with suite_frames(con, config=config) as frames:
        for suite in config.suites:
            t0 = time.perf_counter()
            checked, frame = frames.suite_frame(suite)
            t1 = time.perf_counter()
            needed = list(dict.fromkeys(c for r in suite.rules for c in r.target_columns))
            pdf = frame.select(needed).to_pandas()
            t2 = time.perf_counter()
            gx.validate(suite, pdf)
            t3 = time.perf_counter()
            print(f"{suite.name:18s} {checked:10,d} {frame.height:8,d} {t1 - t0:7.2f} {t2 - t1:9.2f} {t3 - t2:7.2f}")
    con.close()


if __name__ == "__main__":
    main()
