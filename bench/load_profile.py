"""Where the national load's time and memory go, stage by stage: one load in this process, instrumented.

    .venv/bin/python -m bench.load_profile [--scale national] [--cprofile out.prof] [--tracemalloc]

Each stage of services.load is wrapped (read, map, row checks, cross-file claims, merge into the draft, derive,
the data-quality suites, the draft's checkpoint and swap) and its wall and CPU seconds are summed; a thread
samples the resident memory every 20 ms, so each stage gets the highest RSS seen while it ran and the RSS it
left behind. `--tracemalloc` adds the Python heap (current and peak) at each stage's end — polars' and DuckDB's
own buffers are not in it, which is why the RSS is the figure to read; `--cprofile` writes a profile of the
whole load (read it with `python -m pstats`).
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import os
import resource
import threading
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.load import OUT, _files

_PAGE = os.sysconf("SC_PAGE_SIZE")


class _Sampler(threading.Thread):
    """Resident memory every `every` seconds, as (perf_counter, bytes)."""

    def __init__(self, every: float = 0.02):
        super().__init__(daemon=True)
        self.every = every
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        with open("/proc/self/statm") as statm:
            while not self.done.is_set():
                statm.seek(0)
                self.samples.append((time.perf_counter(), int(statm.read().split()[1]) * _PAGE))
                self.done.wait(self.every)


class _Stages:
    def __init__(self, heap: bool):
        self.spans: list[tuple[str, float, float, float]] = []  # stage, start, end, cpu seconds
        self.heap = heap
        self.heap_at_end: dict[str, tuple[int, int]] = {}
        self._depth = 0
        self.claims_mb = 0.0

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self._depth:  # a stage inside another is counted in the outer one
                return fn(*args, **kwargs)
            self._depth += 1
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
                self.spans.append((stage, start, time.perf_counter(), time.process_time() - cpu))
                if self.heap:
                    current, peak = tracemalloc.get_traced_memory()
                    self.heap_at_end[stage] = (current, max(peak, self.heap_at_end.get(stage, (0, 0))[1]))
                    tracemalloc.reset_peak()

        return timed


def _instrument(stages: _Stages) -> None:
    import services.load as load
    from store import db, publish

    load.read_file = stages.wrap("read", load.read_file)  # type: ignore[attr-defined]
    load.read_rules = stages.wrap("read", load.read_rules)  # type: ignore[attr-defined]
    load.map_table = stages.wrap("map", load.map_table)  # type: ignore[attr-defined]
    load.check_incoming = stages.wrap("row checks", load.check_incoming)  # type: ignore[attr-defined]
    load._claims = stages.wrap("cross-file claims", load._claims)  # type: ignore[attr-defined]
    load._kind_changes = stages.wrap("cross-file claims", load._kind_changes)  # type: ignore[attr-defined]
    load._context = stages.wrap("context", load._context)  # type: ignore[attr-defined]
    publish.apply_rows = stages.wrap("merge", publish.apply_rows)  # type: ignore[method-assign]
    publish.derive = stages.wrap("derive", publish.derive)  # type: ignore[method-assign]
    conflicting = load._conflicting_claims

    def measured(claims: list[Any]) -> Any:
        stages.claims_mb = sum(len(c.packed) for c in claims) / 2**20
        return conflicting(claims)

    load._conflicting_claims = measured  # type: ignore[attr-defined]
    load._run_suites = stages.wrap("GE suites", load._run_suites)  # type: ignore[attr-defined]
    db._fsync = stages.wrap("publish (fsync, swap)", db._fsync)  # type: ignore[attr-defined]


def profile(files: list[Path], db: Path, *, cprofile: Path | None, heap: bool) -> dict[str, Any]:
    from services.load import load_files

    stages = _Stages(heap)
    _instrument(stages)
    sampler = _Sampler()
    sampler.start()
    if heap:
        tracemalloc.start()
    profiler = cProfile.Profile() if cprofile else None
    start, cpu = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    report = load_files(db, files, synthetic=True, fresh=True)
    if profiler:
        profiler.disable()
        profiler.dump_stats(cprofile)
    total, total_cpu = time.perf_counter() - start, time.process_time() - cpu
    sampler.done.set()
    sampler.join()
    per: dict[str, dict[str, float]] = defaultdict(lambda: {"wall": 0.0, "cpu": 0.0, "calls": 0, "peak": 0, "after": 0})
    for stage, s, e, c in stages.spans:
        p = per[stage]
        p["wall"] += e - s
        p["cpu"] += c
        p["calls"] += 1
        inside = [rss for t, rss in sampler.samples if s <= t <= e]
        after = [rss for t, rss in sampler.samples if t > e]
        p["peak"] = max(p["peak"], *inside, 0)
        p["after"] = after[0] if after else p["after"]
    return {
        "status": report.status,
        "rows": report.counts.new + report.counts.changed + report.counts.unchanged,
        "seconds": total,
        "cpu": total_cpu,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "claims_mb": stages.claims_mb,
        "stages": dict(per),
        "heap": stages.heap_at_end,
        "rss": [(t - start, rss) for t, rss in sampler.samples],
    }


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=("locality", "national"), default="national")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--cprofile", type=Path)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--duckdb-memory-limit", help="DuckDB's bound on the draft instead of store.db's, e.g. 1GB")
    parser.add_argument("--rss-out", type=Path, help="write the RSS samples (seconds, MB) as JSON")
    args = parser.parse_args()
    files = _files(args.scale, args.seed)
    if args.duckdb_memory_limit:
        from store import db

        db.DRAFT_MEMORY_LIMIT = args.duckdb_memory_limit
    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        result = profile(files, Path(tmp) / "p.duckdb", cprofile=args.cprofile, heap=args.tracemalloc)
    print(
        f"{result['status']}, {result['rows']:,} rows: {result['seconds']:.2f} s wall, {result['cpu']:.2f} s CPU, "
        f"peak RSS {result['peak_mb']:.0f} MB (load average {os.getloadavg()[0]:.1f})"
    )
    print(f"cross-file claims held until the suites: {result['claims_mb']:.0f} MB")
    print(f"{'stage':<24}{'calls':>6}{'wall s':>9}{'CPU s':>9}{'peak RSS MB':>13}{'RSS after MB':>14}")
    accounted = 0.0
    for stage, p in sorted(result["stages"].items(), key=lambda kv: -kv[1]["wall"]):
        accounted += p["wall"]
        print(
            f"{stage:<24}{p['calls']:>6}{p['wall']:>9.2f}{p['cpu']:>9.2f}"
            f"{p['peak'] / 2**20:>13.0f}{p['after'] / 2**20:>14.0f}"
        )
    print(f"{'(rest: draft, bookkeeping)':<24}{'':>6}{result['seconds'] - accounted:>9.2f}")
    for stage, (current, peak) in result["heap"].items():
        print(f"python heap after {stage:<22} current {current / 2**20:7.0f} MB   peak in stage {peak / 2**20:7.0f} MB")
    if args.rss_out:
        args.rss_out.write_text(json.dumps([(round(t, 3), round(r / 2**20)) for t, r in result["rss"]]))


if __name__ == "__main__":
    main()
