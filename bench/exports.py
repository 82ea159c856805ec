"""Seconds per chart export (first, with Chromium starting, and warm) and per report pack.

    .venv/bin/python -m bench.exports [--warm 15] [--locality-db PATH] [--national-db PATH]

Chart figures: a ranking bar chart of 20 departments (as the pages and the report draw them), exported as
PNG (2× scale), SVG, PDF and standalone HTML. "first" is the first export in a fresh process, so it
includes starting Chromium; "warm" is the median of the next --warm exports of the same format.
Report packs: `exports.report.build` (docx + zip with every chart as PNG and SVG and every table as
.xlsx) for a year and the mid-term review, on the locality demo and on the national demo (built with
`parboard demo --scale national` when --national-db is not given: ~15 s). Each pack is built twice in
the same process: the first includes reading the database and warming caches.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import plotly.graph_objects as go

from bench.suite import Figure


def _figure() -> go.Figure:
    from charts.frame import SOURCE_ANNOTATION

    names = [f"Sở số {i:02d} — Lạc Hồng" for i in range(20)]
    fig = go.Figure(go.Bar(x=[95 - i * 1.7 for i in range(20)], y=names, orientation="h"))
    fig.update_layout(title="Tổng điểm CCHC các sở, ban, ngành năm 2024 (điểm, thang 100)", height=640)
    fig.add_annotation(
        text="Nguồn: kết quả chấm điểm CCHC (dữ liệu mô phỏng)",
        name=SOURCE_ANNOTATION,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-60,
        showarrow=False,
    )
    return fig


def _chart_times(warm: int) -> dict[str, tuple[float, list[float]]]:
    """Per format: the first export in this process (Chromium starting) and each warm one."""
    from exports import charts

    fig = _figure()
    times: dict[str, tuple[float, list[float]]] = {}
    for fmt in ("png", "svg", "pdf", "html"):
        start = time.perf_counter()
        charts.render(fig, fmt)  # type: ignore[arg-type]
        first = time.perf_counter() - start
        warm_times = []
        for _ in range(warm):
            start = time.perf_counter()
            charts.render(fig, fmt)  # type: ignore[arg-type]
            warm_times.append(time.perf_counter() - start)
        times[fmt] = (first, warm_times)
    return times


def _charts(warm: int) -> list[tuple[str, float, float]]:
    return [(fmt, first, statistics.median(w)) for fmt, (first, w) in _chart_times(warm).items()]


def _demo(scale: str, folder: Path) -> Path:
    db = folder / scale / "parboard.duckdb"
    cmd = [sys.executable, "-m", "cli.main", "demo", "--scale", scale, "--db", str(db)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return db


def _pack_seconds(db: Path, scope_name: str, runs: int) -> tuple[list[float], int, int]:
    from exports.report import Scope, build
    from store.queries import Published

    scope = Scope.year(2024) if scope_name == "2024" else Scope.review_period(scope_name)
    seconds, sizes = [], (0, 0)
    for _ in range(runs):
        start = time.perf_counter()
        files = build(Published(db), scope, scenario="nga-nam-2022")
        seconds.append(time.perf_counter() - start)
        sizes = (len(files.docx), len(files.zip))
    return seconds, *sizes


def _packs(db: Path, label: str) -> list[tuple[str, str, float, float, int, int]]:
    rows = []
    for scope_name, shown in (("2024", "year 2024"), ("midterm", "mid-term review 2021–2025")):
        (first, again), docx_bytes, zip_bytes = _pack_seconds(db, scope_name, 2)
        rows.append((label, shown, first, again, docx_bytes, zip_bytes))
    return rows


def measure(national_db: Path, warm: int = 10, packs: int = 3) -> list[Figure]:
    """Chart exports (first and warm, per format) and report packs at national scale."""
    figures = []
    for fmt, (first, warm_times) in _chart_times(warm).items():
        figures.append(Figure("exports", f"chart export {fmt.upper()}, warm", "s", warm_times, budget=0.5))
        figures.append(Figure("exports", f"chart export {fmt.upper()}, first in a process", "s", [first]))
    for scope_name, shown in (("2024", "year 2024"), ("midterm", "mid-term review")):
        seconds, _, _ = _pack_seconds(national_db, scope_name, packs)
        figures.append(Figure("exports", f"report pack (docx + zip), {shown}", "s", seconds, budget=30.0))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warm", type=int, default=15, help="warm exports per format (median reported)")
    parser.add_argument("--locality-db", type=Path)
    parser.add_argument("--national-db", type=Path)
    parser.add_argument("--skip-national", action="store_true")
    args = parser.parse_args()

    print(f"# Chart export, seconds (first = Chromium starting; warm = median of {args.warm})")
    print(f"{'format':8} {'first':>8} {'warm':>8}")
    for fmt, first, warm in _charts(args.warm):
        print(f"{fmt:8} {first:8.3f} {warm:8.3f}")

    with tempfile.TemporaryDirectory(prefix="parboard-bench-exports-") as tmp:
        dbs = [("locality", args.locality_db or _demo("locality", Path(tmp)))]
        if not args.skip_national:
            dbs.append(("national", args.national_db or _demo("national", Path(tmp))))
        print("\n# Report pack (docx + zip), seconds")
        print(f"{'scale':9} {'scope':28} {'first':>7} {'again':>7} {'docx KB':>8} {'zip KB':>8}")
        for label, db in dbs:
            for scale, scope, first, again, docx_bytes, zip_bytes in _packs(db, label):
                print(f"{scale:9} {scope:28} {first:7.2f} {again:7.2f} {docx_bytes // 1024:8d} {zip_bytes // 1024:8d}")
    print("\nThe machine has 2 cores shared with other work: figures may be noisy; rerun for a trend.")


if __name__ == "__main__":
    main()
