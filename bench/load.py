"""Load a demo dataset (locality or national) through the real pipeline; print rows, seconds, peak memory.

    .venv/bin/python -m bench.load [--scale national] [--runs 3] [--reference]

Each run is a fresh process loading into a fresh database, so its peak RSS is the load's own. The input
files are generated once (deterministic) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.suite import Figure

OUT = Path(__file__).parent / "out"


def _files(scale: str, seed: int) -> list[Path]:
    from demo import generate

    folder = OUT / f"{scale}-{seed}"
    manifest = folder / "files.json"
    if manifest.exists():
        return [Path(p) for p in json.loads(manifest.read_text())]
    files = generate(folder, scale, seed)  # type: ignore[arg-type]
    manifest.write_text(json.dumps([str(p) for p in files]))
    return files


def _child(db: Path, files: list[Path]) -> None:
    from services.load import load_files

    start = time.perf_counter()
    report = load_files(db, files, synthetic=True, fresh=True)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    rows = report.counts.new + report.counts.changed + report.counts.unchanged
    print(
        json.dumps(
            {
                "status": report.status,
                "rows": rows,
                "seconds": seconds,
                "peak_mb": peak_mb,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,  # every thread's, imports included
                "db_mb": db.resolve().stat().st_size / 2**20 if report.published else None,
                # the data-quality suites on the draft, included in seconds (GE import included)
                "checks_seconds": report.checks.seconds if report.checks else None,
                "warnings": report.checks.failed("warning") if report.checks else None,
            }
        )
    )


def national_manifest(seed: int = 2021) -> Path:
    """The national input files (generated once, reused), as the manifest children read."""
    _files("national", seed)
    return OUT / f"national-{seed}" / "files.json"


def run_children(manifest: Path, runs: int, module: str = "bench.load", db_name: str = "p.duckdb") -> list[dict]:
    """One fresh process per run (`python -m module --child DB MANIFEST`), each loading every file into a
    fresh database, so that a run's peak memory is its own; each child prints its figures as JSON."""
    return [_run_child(manifest, module, db_name) for _ in range(runs)]


def _run_child(manifest: Path, module: str, db_name: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-m", module, "--child", f"{tmp}/{db_name}", str(manifest)],
            check=True,
            capture_output=True,
            text=True,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def side_by_side(manifest: Path, runs: int) -> tuple[list[dict], list[dict]]:
    """The load and the plain reference script run after run, alternating, so both meet the same machine."""
    loads, references = [], []
    for _ in range(runs):
        loads.append(_run_child(manifest, "bench.load", "p.duckdb"))
        references.append(_run_child(manifest, "bench.reference_load", "ref.sqlite"))
    return loads, references


def _summary(what: str, results: list[dict]) -> str:
    seconds = [r["seconds"] for r in results]
    cpu = [r["cpu_seconds"] for r in results]
    peak = [r["peak_mb"] for r in results]
    return (
        f"{what:<10} wall median {statistics.median(seconds):6.2f} s (min {min(seconds):.2f}, max {max(seconds):.2f})"
        f"   CPU median {statistics.median(cpu):6.2f} s   peak RSS median {statistics.median(peak):5.0f} MB"
        f" (max {max(peak):.0f})"
    )


def measure(manifest: Path, runs: int, reference: list[dict] | None = None) -> list[Figure]:
    """The national load (read, map, check, publish) against the plain reference pipeline's runs."""
    results = run_children(manifest, runs)
    assert all(r["status"] == "published" for r in results), results
    rows = results[0]["rows"]
    return [
        Figure(
            "load",
            f"load of the national files, read·map·check·publish ({rows:,} rows)",
            "s",
            [r["seconds"] for r in results],
            budget=20.0,
            reference=[r["seconds"] for r in reference or []],
            reference_what="pandas + openpyxl + sqlite3",
        ),
        Figure("load", "checks inside the load", "s", [r["checks_seconds"] for r in results]),
        Figure(
            "load",
            "peak memory of the load",
            "MB",
            [r["peak_mb"] for r in results],
            reference=[r["peak_mb"] for r in reference or []],
            reference_what="pandas + openpyxl + sqlite3",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("locality", "national"), default="national")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--reference", action="store_true", help="alternate each run with the plain reference script")
    parser.add_argument("--child", nargs=2, metavar=("DB", "FILES_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), [Path(p) for p in json.loads(Path(args.child[1]).read_text())])
        return
    files = _files(args.scale, args.seed)
    manifest = OUT / f"{args.scale}-{args.seed}" / "files.json"
    if args.reference:
        before = os.getloadavg()
        loads, references = side_by_side(manifest, args.runs)
        after = os.getloadavg()
        assert all(r["status"] == "published" for r in loads), loads
        print(f"{args.scale}: {len(files)} files, {loads[0]['rows']:,} rows, {args.runs} runs each, alternating")
        print(_summary("load", loads))
        print(_summary("reference", references))
        ratio = statistics.median(r["seconds"] for r in loads) / statistics.median(r["seconds"] for r in references)
        cpu_ratio = statistics.median(r["cpu_seconds"] for r in loads) / statistics.median(
            r["cpu_seconds"] for r in references
        )
        print(f"ratio      wall {ratio:.2f}x   CPU {cpu_ratio:.2f}x")
        print("load average " + " ".join(f"{x:.1f}" for x in before) + " -> " + " ".join(f"{x:.1f}" for x in after))
        return
    results = run_children(manifest, args.runs)
    for run, result in enumerate(results, 1):
        print(
            f"run {run}: {result['status']}, {result['rows']:,} rows, {result['seconds']:.2f} s, "
            f"peak {result['peak_mb']:.0f} MB, database {result['db_mb']:.0f} MB, "
            f"checks {result['checks_seconds']:.2f} s ({result['warnings']:,} warning rows)",
            flush=True,
        )
    seconds = [r["seconds"] for r in results]
    print(f"\n{args.scale}: {len(files)} files, {results[0]['rows']:,} rows")
    print(f"load seconds  median {statistics.median(seconds):.2f}  min {min(seconds):.2f}  max {max(seconds):.2f}")
    print(f"rows / second median {results[0]['rows'] / statistics.median(seconds):,.0f}")
    checks = [r["checks_seconds"] for r in results]
    print(f"checks alone  median {statistics.median(checks):.2f}  min {min(checks):.2f}  max {max(checks):.2f}")
    print(f"peak RSS MB   median {statistics.median(r['peak_mb'] for r in results):.0f}")


if __name__ == "__main__":
    main()
