"""Write the demo input files in the order parboard loads them."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from demo import inputs
from demo.rules import build_frameworks, write_rules
from demo.scores import score_frames
from demo.units import Layout, Scale, build_layout, lineage_table, unit_table


def _csv(frame: pl.DataFrame, path: Path) -> Path:
    frame.write_csv(path, date_format="%Y-%m-%d")
    return path


def generate(out_dir: Path, scale: Scale = "locality", seed: int = 2021) -> list[Path]:
    """Write the demo inputs under `out_dir` and return them in load order:
    units, lineage, rules, scores, then the award inputs. Same (scale, seed) → same bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    layout = build_layout(scale, seed)
    written = [_csv(unit_table(layout), out_dir / "units.csv"), _csv(lineage_table(layout), out_dir / "lineage.csv")]
    written += write_rules(layout, out_dir)
    totals: list[pl.DataFrame] = []
    written += _write_scores(layout, out_dir, totals)
    totals_frame = pl.concat(totals)

    uy = inputs.unit_years(layout)
    regs = inputs.registrations(layout, uy)
    tasks = inputs.task_completion(layout, uy)
    py = inputs.people(layout, uy)
    cases = inputs.sanctions(layout, py, totals_frame)
    given = inputs.awards(layout, uy, totals_frame, regs, tasks, py, cases)
    written += [
        _csv(regs, out_dir / "registrations.csv"),
        _csv(tasks, out_dir / "task_completion.csv"),
        _csv(inputs.individuals_table(py), out_dir / "individuals.csv"),
        _csv(inputs.sanctions_table(cases), out_dir / "sanctions.csv"),
        _csv(given, out_dir / "awards.csv"),
    ]
    return written


def _write_scores(layout: Layout, out_dir: Path, totals: list[pl.DataFrame]) -> list[Path]:
    written = []
    for kind, year, frame, unit_totals in score_frames(layout, build_frameworks(layout)):
        totals.append(unit_totals)
        if layout.scale == "national":
            # millions of rows: parquet keeps the types and loads an order of magnitude faster than CSV
            path = out_dir / f"scores_{kind}_{year}.parquet"
            frame.write_parquet(path, compression="zstd", statistics=True)
        else:
            path = _csv(frame, out_dir / f"scores_{kind}_{year}.csv")
        written.append(path)
    return written
