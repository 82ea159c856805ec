"""A load that changes scores rebuilds the derived results of the unit-years it touched only; what it publishes
must be the same data, table by table, as rebuilding every derived result of the database."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest
from db_state import _tables

from services.load import load_files
from store import publish
from store.db import CONNECT_CONFIG, current_file


def _own_copy(demo_db: Path, folder: Path) -> Path:
    """A database of its own holding the demo's published version."""
    db = folder / "parboard.duckdb"
    versions = folder / "parboard.duckdb.versions"
    versions.mkdir()
    published = current_file(demo_db)
    assert published is not None
    shutil.copyfile(published, versions / published.name)
    os.symlink(os.path.relpath(versions / published.name, folder), db)
    return db


def _scores(demo_db: Path, kind: str, year: int) -> pl.DataFrame:
    inputs = demo_db.parent / f"{demo_db.stem}.inputs"
    return pl.read_csv(sorted(inputs.rglob(f"scores_{kind}_{year}.csv"))[0], infer_schema_length=0)


def _results(db: Path) -> dict[tuple[str, int], float]:
    con = duckdb.connect(str(current_file(db)), read_only=True, config=CONNECT_CONFIG)
    try:
        return {(u, y): t for u, y, t in con.sql("SELECT unit_code, year, total FROM unit_result").fetchall()}
    finally:
        con.close()


def _same_as_full_derive(db: Path, tmp_path: Path) -> None:
    """Every table of the published version equals the same version with every derived result rebuilt."""
    published = current_file(db)
    assert published is not None
    rebuilt = tmp_path / "rebuilt.duckdb"
    shutil.copyfile(published, rebuilt)
    con = duckdb.connect(str(rebuilt), config=CONNECT_CONFIG)
    try:
        assert publish.derive(con) == "all"
        full = _tables(con)
    finally:
        con.close()
    con = duckdb.connect(str(published), read_only=True, config=CONNECT_CONFIG)
    try:
        incremental = _tables(con)
    finally:
        con.close()
    assert [t for t, *_ in incremental] == [t for t, *_ in full]
    assert "unit_result" in {t for t, *_ in full} and "component_result" in {t for t, *_ in full}
    for mine, theirs in zip(incremental, full, strict=True):
        assert mine == theirs, mine[0]


def test_a_correction_rebuilds_its_unit_years_only_and_equals_a_full_rebuild(demo_db: Path, tmp_path: Path) -> None:
    db = _own_copy(demo_db, tmp_path)
    before = _results(db)
    department = _scores(demo_db, "department", 2023)
    code = department.columns[0]
    first = department[code][0]
    commune = _scores(demo_db, "commune", 2022)
    other = commune[commune.columns[0]][3]
    # one department's 2023 appraisal lowered on three criteria, one commune's 2022 self-assessment on one
    lowered = department.filter(pl.col(code) == first).head(3).with_columns(pl.lit("0.125").alias("Điểm thẩm định"))
    self_scored = (
        commune.filter(pl.col(commune.columns[0]) == other)
        .head(1)
        .with_columns(pl.lit("0.25").alias("Điểm tự đánh giá"))
    )
    files = [tmp_path / "sua_so.csv", tmp_path / "sua_xa.csv"]
    lowered.write_csv(files[0])
    self_scored.write_csv(files[1])

    report = load_files(db, files)

    assert report.published, [p.message("en") for p in report.errors]
    assert report.derived == "unit_years"
    assert report.counts.per_table["unit_score"]["changed"] == 4
    after = _results(db)
    assert after[(first, 2023)] < before[(first, 2023)]  # the correction reached the unit's total
    assert {k for k in after if after[k] != before.get(k)} == {(first, 2023)}
    _same_as_full_derive(db, tmp_path)


def test_a_replaced_unit_year_loses_criteria_and_equals_a_full_rebuild(demo_db: Path, tmp_path: Path) -> None:
    db = _own_copy(demo_db, tmp_path)
    before = _results(db)
    department = _scores(demo_db, "department", 2024)
    code = department.columns[0]
    unit = department[code][1]
    kept = department.filter(pl.col(code) == unit).head(30)  # ten criteria fewer than the framework
    file = tmp_path / "thay_the.csv"
    kept.write_csv(file)

    report = load_files(db, [file], replace=True)

    assert report.published, [p.message("en") for p in report.errors]
    assert report.derived == "unit_years"
    assert report.counts.per_table["unit_score"]["removed"] > 0
    assert _results(db)[(unit, 2024)] != before[(unit, 2024)]
    _same_as_full_derive(db, tmp_path)


@pytest.mark.parametrize("touched", ["framework_item", "tier_band"])
def test_a_change_of_framework_or_cut_offs_rebuilds_everything(touched: str) -> None:
    counts = publish.Counts()
    counts.add("unit_score", 0, 1, 0, 0)
    counts.add(touched, 0, 1, 0, 0)
    con = duckdb.connect(":memory:", config=CONNECT_CONFIG)
    try:
        con.sql(publish.read_sql("schema"))
        publish.derive(con)  # records which derive queries built the results
        assert publish.derive(con, counts) == "all"
        only_scores = publish.Counts()
        only_scores.add("unit_score", 0, 1, 0, 0)
        con.sql("CREATE TEMP TABLE derive_scope (unit_code VARCHAR, year INTEGER)")
        assert publish.derive(con, only_scores) == "unit_years"
        assert publish.derive(con, publish.Counts()) == "nothing"
        con.sql("UPDATE meta SET value = 'earlier' WHERE key = 'derive_sql'")
        assert publish.derive(con, only_scores) == "all"  # results an earlier release derived: rebuilt whole
    finally:
        con.close()
