"""Shared by the Import tests: a private copy of the demo database, and real workbooks made from its inputs."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import openpyxl
import polars as pl

from access.policy import Principal
from store.db import current_file, versions_dir

ADMIN = Principal("ada", "Ada Admin", "admin", "password")
ANALYST = Principal("ana", "Ana Analyst", "analyst", "password")
VIEWER = Principal("vic", "Vic Viewer", "viewer", "password")

SCORE_COLUMN = "Điểm thẩm định"


def copy_db(demo_db: Path, folder: Path) -> Path:
    """The demo's published version under folder, linked as the demo links it (same version number)."""
    source = current_file(demo_db)
    assert source is not None
    db = folder / "parboard.duckdb"
    versions = versions_dir(db)
    versions.mkdir(parents=True)
    shutil.copyfile(source, versions / source.name)
    os.symlink(os.path.relpath(versions / source.name, folder), db)
    return db


def demo_input(demo_db: Path, name: str) -> Path:
    return demo_db.parent / f"{demo_db.stem}.inputs" / "demo-locality" / name


def scores_frame(demo_db: Path, kind: str = "department", year: int = 2023) -> pl.DataFrame:
    return pl.read_csv(demo_input(demo_db, f"scores_{kind}_{year}.csv"), infer_schema_length=0)


def with_scores(frame: pl.DataFrame, rows: list[int], value: float) -> pl.DataFrame:
    """frame with the appraised score of the given rows (0-based) set to value."""
    hit = pl.int_range(pl.len()).is_in(rows)
    return frame.with_columns(pl.when(hit).then(pl.lit(str(value))).otherwise(pl.col(SCORE_COLUMN)).alias(SCORE_COLUMN))


def xlsx(frame: pl.DataFrame, sheet: str = "Điểm") -> bytes:
    """A real workbook, numbers stored as numbers (as a unit's spreadsheet would hold them)."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(frame.columns)
    for row in frame.iter_rows():
        ws.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str | None) -> object:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        return value
    return int(number) if number.is_integer() and "." not in value else number
