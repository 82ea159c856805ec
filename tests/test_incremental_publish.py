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

from checks.run import run_checks
from services.load import load_files
from store import publish
from store.check_frames import suite_frames
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


def _stored_checks_equal_a_full_check(db: Path) -> None:
    """The check run stored with the version (suites the load left alone carried over) says, rule by rule and
    finding by finding, what running every suite on the published data says."""
    con = duckdb.connect(str(current_file(db)), read_only=True, config=CONNECT_CONFIG)
    try:
        latest = "run_id = (SELECT max(run_id) FROM check_run)"
        stored = con.sql(
            f"SELECT suite, rule, checked_rows, failed_rows FROM check_result "
            f"WHERE {latest} AND suite <> 'load_conflicts'"
        ).fetchall()
        stored_findings = con.sql(
            f"SELECT rule, table_name, unit_code, year, item_code, message_en FROM check_finding WHERE {latest}"
        ).fetchall()
        with suite_frames(con) as frames:
            run = run_checks(frames)
    finally:
        con.close()
    fresh = [(r.suite, r.rule, r.checked, r.failed) for r in run.results if r.suite != "load_conflicts"]
    assert sorted(stored) == sorted(fresh)
    assert any(failed for *_, failed in fresh)  # the demo has standing warnings: the comparison compares something
    found = [(f.code, f.table_name, f.unit_code, f.year, f.item_code, f.message("en")) for f in run.findings]
    assert sorted(stored_findings, key=str) == sorted(found, key=str)


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
    assert report.checks is not None
    assert {"units", "official", "registrations"} <= set(report.checks.carried)
    assert not {"scores", "components", "results"} & set(report.checks.carried)
    _stored_checks_equal_a_full_check(db)


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
    _stored_checks_equal_a_full_check(db)


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


def test_every_suite_names_the_tables_it_reads() -> None:
    """A suite is carried over when a load changes none of its tables: every table its query reads must be
    named (a table left out would keep stale results), and every name must be a table."""
    from checks.config import load as check_config
    from store.check_frames import suite_sql

    con = duckdb.connect(":memory:", config=CONNECT_CONFIG)
    try:
        con.sql(publish.read_sql("schema"))
        tables = {r[0] for r in con.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
    finally:
        con.close()
    for suite in check_config().suites:
        assert suite.whole
        assert set(suite.reads) <= tables | {"load"}, suite.name
        sql = suite_sql(suite).lower()
        # a per-unit-year table is read through its view check_<table> (store/check_frames.py)
        used = {
            t
            for t in tables
            for name in (t, f"check_{t}")
            if f"from {name} " in sql or f"join {name} " in sql or f"from {name}\n" in sql
        }
        assert used - {"source"} <= set(suite.reads), (suite.name, used - set(suite.reads))


def _failed(db: Path, rule: str) -> tuple[int, int]:
    """A rule's failing rows in the latest stored check run, and the findings kept for it."""
    con = duckdb.connect(str(current_file(db)), read_only=True, config=CONNECT_CONFIG)
    try:
        latest = "run_id = (SELECT max(run_id) FROM check_run)"
        failed = con.execute(f"SELECT failed_rows FROM check_result WHERE {latest} AND rule = ?", [rule]).fetchall()
        kept = con.execute(f"SELECT count(*) FROM check_finding WHERE {latest} AND rule = ?", [rule]).fetchall()
        return int(failed[0][0]), int(kept[0][0])
    finally:
        con.close()


def test_a_correction_checks_its_unit_years_alone_and_counts_as_a_full_check(demo_db: Path, tmp_path: Path) -> None:
    db = _own_copy(demo_db, tmp_path)
    department = _scores(demo_db, "department", 2023)
    code, appraised = department.columns[0], "Điểm thẩm định"
    first, second = department[code].unique(maintain_order=True)[:2]
    one, other = department.filter(pl.col(code) == first), department.filter(pl.col(code) == second)

    def unappraised(rows: pl.DataFrame) -> pl.DataFrame:
        return rows.with_columns(pl.lit(None, dtype=pl.String).alias(appraised))

    # the council's score left out of three criteria of one department and two of another: five warnings
    file = tmp_path / "thieu_tham_dinh.csv"
    pl.concat([unappraised(one.head(3)), unappraised(other.head(2))]).write_csv(file)
    report = load_files(db, [file])
    assert report.published, [p.message("en") for p in report.errors]
    assert report.checks is not None and set(report.checks.scoped) == {"scores", "components"}
    assert _failed(db, "dq_appraised_score_missing") == (5, 5)
    _stored_checks_equal_a_full_check(db)

    # the first department's scores given back on two of them and left out of a fourth: the other department,
    # which this load does not touch, keeps its two
    fix = tmp_path / "bo_sung.csv"
    pl.concat([one.slice(1, 2), unappraised(one.slice(3, 1))]).write_csv(fix)
    report = load_files(db, [fix])
    assert report.published, [p.message("en") for p in report.errors]
    assert report.checks is not None
    assert report.checks.scoped["scores"]["dq_appraised_score_missing"] == 2  # found in the load's unit-year
    assert _failed(db, "dq_appraised_score_missing") == (4, 4)
    _stored_checks_equal_a_full_check(db)
    unchanged = [p for p in report.notes if p.code == "dq_known_unchanged"]
    assert unchanged and unchanged[0].params["count"] >= 2  # the other department's two, told apart from news


def test_a_scoped_run_keeps_the_other_unit_years_findings_after_its_own_up_to_the_cap(tmp_path: Path) -> None:
    from datetime import datetime

    from checks.findings import Finding
    from checks.run import CheckRun
    from store.check_log import ensure_tables, record

    def finding(unit: str, item: str) -> Finding:
        return Finding(
            "dq_appraised_score_missing",
            severity="warning",
            params={"self_score": 1.0},
            suite="scores",
            table_name="unit_score",
            unit_code=unit,
            year=2023,
            item_code=item,
        )

    con = duckdb.connect(str(tmp_path / "log.duckdb"), config=CONNECT_CONFIG)
    try:
        ensure_tables(con)
        earlier = CheckRun(ran_at=datetime(2026, 1, 1), findings_per_rule=3)
        earlier.findings = [finding("S01", "1.1"), finding("S02", "1.1"), finding("S02", "1.2"), finding("S03", "2.1")]
        assert record(con, earlier, None) == 1
        # S01 and S03 were loaded again: S01 still fails on 1.1 and now on 1.3, S03 no more
        run = CheckRun(
            ran_at=datetime(2026, 1, 2), findings_per_rule=3, scoped={"scores": {"dq_appraised_score_missing": 2}}
        )
        run.findings = [finding("S01", "1.1"), finding("S01", "1.3")]
        scope = pl.DataFrame({"unit_code": ["S01", "S03"], "year": [2023, 2023]}, schema_overrides={"year": pl.Int32})
        assert record(con, run, None, scope) == 2
        kept = con.sql("SELECT unit_code, item_code FROM check_finding WHERE run_id = 2 ORDER BY rowid").fetchall()
    finally:
        con.close()
    # the load's own two, then the first of S02's two (three in all); nothing of S03 or of the old S01
    assert kept == [("S01", "1.1"), ("S01", "1.3"), ("S02", "1.1")]


def test_a_total_on_half_a_hundredth_rounds_up_as_excel_does(demo_db: Path, tmp_path: Path) -> None:
    db = _own_copy(demo_db, tmp_path)
    department = _scores(demo_db, "department", 2023)
    code, criterion, appraised = department.columns[0], "Mã tiêu chí", "Điểm thẩm định"
    unit = department[code][0]
    rows = department.filter(pl.col(code) == unit)
    assert rows.filter(pl.col(criterion) == "1.2")[appraised].to_list() == ["1.0"]
    con = duckdb.connect(str(current_file(db)), read_only=True, config=CONNECT_CONFIG)
    try:
        total, raw_max = con.execute(
            "SELECT total, raw_max FROM unit_result WHERE unit_code = ? AND year = 2023", [unit]
        ).fetchall()[0]
    finally:
        con.close()
    assert raw_max == 100  # the total is the raw points
    # criterion 1.2 appraised at 1.005 instead of 1.0: the points end in half a hundredth (the double sum is
    # 60.27499999999999 for a total of 60.27), and ROUND(…; 2) in Excel, like the published tables, goes up
    file = tmp_path / "nua_phan_tram.csv"
    rows.with_columns(
        pl.when(pl.col(criterion) == "1.2").then(pl.lit("1.005")).otherwise(pl.col(appraised)).alias(appraised)
    ).write_csv(file)
    report = load_files(db, [file])
    assert report.published, [p.message("en") for p in report.errors]
    assert _results(db)[(unit, 2023)] == round(total + 0.01, 2)
    _same_as_full_derive(db, tmp_path)
