"""The Import page's steps on a demo database: stage, preview, check (a dry run) and publish one workbook.

    .venv/bin/python -m bench.imports [--scale national] [--runs 5]

The workbook holds one unit's 2023 scores from the demo's inputs as an .xlsx with three appraised scores
changed (a different value each run, so every check finds 3 changed rows and every publish writes a version). A check
copies the whole published database into a draft, like a load, so its time grows with the database.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path


def _workbook(inputs: Path, value: float) -> bytes:
    """Every score of the first unit in the first 2023 score file, three appraised scores set to value."""
    import io

    import openpyxl
    import polars as pl

    path = sorted(inputs.rglob("scores_*_2023.*"))[0]
    frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema_length=0)
    frame = frame.cast(pl.String)
    code = frame.columns[0]
    frame = frame.filter(pl.col(code) == frame[code][0])
    appraised = frame.columns.index("Điểm thẩm định")
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(frame.columns)
    for i, row in enumerate(frame.iter_rows()):
        cells = list(row)
        if i < 3:
            cells[appraised] = str(value)
        ws.append([float(c) if c and j >= 4 else c for j, c in enumerate(cells)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="locality", choices=("locality", "national"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from access.policy import Principal
    from cli.main import main as cli
    from services import importing

    admin = Principal("bench", "Bench", "admin", "cli")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "parboard.duckdb"
        assert cli(["demo", "--db", str(db), "--scale", args.scale]) == 0
        inputs = db.parent / f"{db.stem}.inputs"
        times: dict[str, list[float]] = {"stage": [], "preview": [], "check": [], "publish": []}
        for run in range(args.runs):
            data = _workbook(inputs, 0.125 + 0.25 * run)  # a value no demo score has: every run changes 3 rows
            start = time.perf_counter()
            batch = importing.stage(db, admin, [("diem.xlsx", data)])
            times["stage"].append(time.perf_counter() - start)
            start = time.perf_counter()
            importing.preview(db, admin, batch)
            times["preview"].append(time.perf_counter() - start)
            start = time.perf_counter()
            checked = importing.check(db, admin, batch)
            times["check"].append(time.perf_counter() - start)
            assert checked.passed, [p.message("en") for p in checked.report.errors]
            start = time.perf_counter()
            assert importing.publish(db, admin, batch).published
            times["publish"].append(time.perf_counter() - start)
        size = (db.resolve().stat().st_size) / 2**20
    print(f"import steps, {args.scale} demo ({size:.0f} MB database), {args.runs} runs, median (min–max) seconds:")
    for step, values in times.items():
        print(f"  {step:8s} {statistics.median(values):7.2f}  ({min(values):.2f}–{max(values):.2f})")


if __name__ == "__main__":
    main()
