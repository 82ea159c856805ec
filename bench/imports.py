"""The Import page's steps on a demo database: stage, preview, check (a dry run) and publish one workbook.

    .venv/bin/python -m bench.imports [--scale national] [--runs 5] [--before CHECKOUT] [--profile FILE]
                                      [--province]

The workbook holds one unit's 2023 scores from the demo's inputs as an .xlsx with three appraised scores
changed (a different value each run, so every check finds 3 changed rows and every publish writes a version).
With `--province` it holds the 2023 scores of every commune of that unit's province, each appraised score
lowered by that run's value: a province's appraisal sent again, every row and unit-year of it changed.

The demo database is built once under bench/out/imports-<scale>/ and reused. Each run copies its published
version into a fresh folder and times the steps in a fresh process that has already done one untimed check (so
Great Expectations and every module are imported, as they are in the dashboard's process): what the Import
page costs in the server. With `--before` (a `git worktree add --detach /tmp/pub-before <commit>`), every run
also times that checkout's code (first on PYTHONPATH) on its own copy, interleaved, so a busy machine slows
both alike. `--profile FILE` writes a cProfile of one check and its publish (this code) to FILE.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
STEPS = ("stage", "preview", "check", "publish")


def _workbook(inputs: Path, value: float, province: bool = False) -> bytes:
    """Every score of the first unit in the first 2023 score file, three appraised scores set to value; with
    province, every 2023 score of the communes of that unit's province instead, each appraised score lowered by
    value (floored at 0): the province's appraisal sent again, changed throughout."""
    import io

    import openpyxl
    import polars as pl

    path = sorted(inputs.rglob("scores_*_2023.*"))[0]
    frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, infer_schema_length=0)
    frame = frame.cast(pl.String)
    code = frame.columns[0]
    appraised = frame.columns.index("Điểm thẩm định")
    if province:
        frame = frame.filter(pl.col(code).is_in(_province_units(inputs, frame[code][0])))
        lowered = (pl.col("Điểm thẩm định").cast(pl.Float64) - value).clip(lower_bound=0).cast(pl.String)
        frame = frame.with_columns(lowered.alias("Điểm thẩm định"))
    else:
        frame = frame.filter(pl.col(code) == frame[code][0])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(frame.columns)
    for i, row in enumerate(frame.iter_rows()):
        cells = list(row)
        if i < 3 and not province:
            cells[appraised] = str(value)
        ws.append([float(c) if c and j >= 4 else c for j, c in enumerate(cells)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _province_units(inputs: Path, unit: str) -> list[str]:
    """The units under the same top-level unit (province) as unit, by the parent codes of the demo's units.csv."""
    import csv

    with (next(inputs.rglob("units.csv"))).open(encoding="utf-8") as f:
        parent = {row[0]: row[3] for row in list(csv.reader(f))[1:]}

    def root(code: str) -> str:
        while parent.get(code):
            code = parent[code]
        return code

    top = root(unit)
    return [code for code in parent if root(code) == top]


def demo_db(scale: str) -> Path:
    """The demo database of this scale, built once (through the command line) and reused."""
    db = OUT / f"imports-{scale}" / "parboard.duckdb"
    if not db.exists():
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        cli = Path(sys.executable).parent / "parboard"
        subprocess.run([str(cli), "demo", "--db", str(db), "--scale", scale], check=True, capture_output=True)
    return db


def _copy(db: Path, folder: Path) -> Path:
    """A database of its own holding the demo's published version (history left behind)."""
    target = folder / db.name
    versions = target.with_name(target.name + ".versions")
    versions.mkdir(parents=True)
    current = db.resolve()
    shutil.copyfile(current, versions / current.name)
    os.symlink(os.path.relpath(versions / current.name, folder), target)
    return target


def _child(db: Path, inputs: Path, value: float, profile: str | None, province: bool) -> None:
    from access.policy import Principal
    from services import importing

    admin = Principal("bench", "Bench", "admin", "cli")
    # Untimed: the first check warms every cache, and every suite is built in Great Expectations, as a server's
    # first check has done: the timed steps see what a server's later checks see.
    warm = importing.stage(db, admin, [("diem.xlsx", _workbook(inputs, value + 0.0625, province))])
    importing.check(db, admin, warm)
    from checks import gx
    from checks.config import load as check_rules

    gx.prepare(check_rules().suites)
    data = _workbook(inputs, value, province)
    times: dict[str, float] = {}

    def timed(step: str, work):  # wall seconds, and CPU seconds of this process and its children (the reader)
        cpu, start = _cpu(), time.perf_counter()
        out = work()
        times[step], times[f"{step} cpu"] = time.perf_counter() - start, _cpu() - cpu
        return out

    batch = timed("stage", lambda: importing.stage(db, admin, [("diem.xlsx", data)]))
    timed("preview", lambda: importing.preview(db, admin, batch))
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    checked = timed("check", lambda: importing.check(db, admin, batch))
    if checked.report.status == "unchanged":  # the one-off publish into the demo, already done by an earlier run
        print(json.dumps(times))
        return
    assert checked.passed, [p.message("en") for p in checked.report.errors]
    assert timed("publish", lambda: importing.publish(db, admin, batch)).published
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    print(json.dumps(times))


def _cpu() -> float:
    import resource

    return sum(
        u.ru_utime + u.ru_stime
        for u in (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def _run(
    db: Path, inputs: Path, value: float, code: Path | None, profile: str | None, province: bool = False
) -> dict[str, float]:
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    # the script by its path, its folder not on sys.path (-P): the project comes from PYTHONPATH when given
    cmd = [sys.executable, "-P", str(Path(__file__).absolute()), "--child", str(db), str(inputs), str(value)]
    if profile:
        cmd += ["--profile", profile]
    if province:
        cmd.append("--province")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{cmd}: exit {done.returncode}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="locality", choices=("locality", "national"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", metavar="CHECKOUT", help="also time this checkout's code, interleaved")
    parser.add_argument("--profile", metavar="FILE", help="cProfile one publish of this code into FILE")
    parser.add_argument(
        "--province", action="store_true", help="a province's communes' 2023 scores, every appraised score changed"
    )
    parser.add_argument("--child", nargs=3, metavar=("DB", "INPUTS", "VALUE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]), float(args.child[2]), args.profile, args.province)
        return

    db = demo_db(args.scale)
    inputs = db.parent / f"{db.stem}.inputs"
    variants: dict[str, Path | None] = {"": None}
    if args.before:
        variants[" (before)"] = Path(args.before).absolute()
    # Each code's own copy of the demo, published into once by that code: a database last published by other
    # code has its derived results rebuilt whole (when the derive queries differ) and its schema compared, which
    # every run would otherwise repeat. Two values, so that one of them changes the data and publishes.
    bases: dict[str, Path] = {}
    for suffix, code in variants.items():
        bases[suffix] = _copy(db, Path(tempfile.mkdtemp(dir=OUT)))
        for value in (0.0625, 0.03125):
            _run(bases[suffix], inputs, value, code, None)
    figures_of = [*STEPS, *(f"{s} cpu" for s in STEPS)]
    times: dict[str, dict[str, list[float]]] = {v: {s: [] for s in figures_of} for v in variants}
    load_start = os.getloadavg()[0]
    for run in range(args.runs):
        # the order alternates run by run, so neither code always runs first
        order = list(variants.items()) if run % 2 == 0 else list(reversed(variants.items()))
        for suffix, code in order:
            with tempfile.TemporaryDirectory(dir=OUT) as folder:
                copy = _copy(bases[suffix], Path(folder))
                # a value no demo score has (and within every criterion's maximum): every run changes 3 rows
                figures = _run(copy, inputs, 0.125 + 0.25 * run, code, None, args.province)
            for step in figures_of:
                times[suffix][step].append(figures[step])
    if args.profile:
        with tempfile.TemporaryDirectory(dir=OUT) as folder:
            _run(_copy(bases[""], Path(folder)), inputs, 0.1875, None, args.profile, args.province)
    for base in bases.values():
        shutil.rmtree(base.parent, ignore_errors=True)
    size = db.resolve().stat().st_size / 2**20
    what = "one province's communes' scores" if args.province else "one unit's scores"
    print(
        f"import steps, {what}, {args.scale} demo ({size:.0f} MB database), {args.runs} runs, interleaved; "
        f"load average {load_start:.1f} → {os.getloadavg()[0]:.1f}; median (min–max) seconds, wall and CPU:"
    )
    print("| step | " + " | ".join(f"this code{v}" if v else "this code" for v in variants) + " |")
    print("|---|" + "---:|" * len(variants))
    for step in figures_of:
        cells = []
        for suffix in variants:
            values = times[suffix][step]
            cells.append(f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})")
        print(f"| {step} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
