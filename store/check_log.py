"""A check run written into the database it checked (a draft about to be published): check_run, one
check_result per rule and one check_finding per failing row kept, which the Data quality page and the
banners read from the version they show.

The tables are the data-quality section of store/sql/schema.sql, run before every write so a database
published before that section existed gains it (every statement there is IF NOT EXISTS).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import polars as pl

from checks.findings import Finding
from store.db import read_sql
from store.frames import frame as to_frame
from store.publish import next_id

if TYPE_CHECKING:
    from checks.run import CheckRun

MARKER = "-- >>> data quality"

RESULT_SCHEMA = {
    "run_id": pl.Int32,
    "suite": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "expectation": pl.String,
    "checked": pl.Int64,
    "failed": pl.Int64,
}
FINDING_SCHEMA = {
    "run_id": pl.Int32,
    "suite": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "table_name": pl.String,
    "unit_code": pl.String,
    "year": pl.Int32,
    "item_code": pl.String,
    "file_name": pl.String,
    "sheet": pl.String,
    "source_row": pl.Int32,
    "message_vi": pl.String,
    "message_en": pl.String,
}


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    schema = read_sql("schema")
    con.sql(schema[schema.index(MARKER) :])


def record(
    con: duckdb.DuckDBPyConnection, run: CheckRun, load_id: int | None, unit_years: pl.DataFrame | None = None
) -> int:
    """Write the run into the database it checked; returns its run_id. unit_years: the load's unit-years, on
    which the suites of run.scoped were checked (the previous run's findings elsewhere are kept)."""
    ensure_tables(con)
    run_id = next_id(con, "check_run", "run_id")
    if run.carried:  # the suites the load left as they were keep the previous run's findings
        con.execute(
            """INSERT INTO check_finding SELECT ?, * EXCLUDE (run_id) FROM check_finding
               WHERE run_id = ? AND list_contains(?, suite)""",
            [run_id, run_id - 1, list(run.carried)],
        ).fetchall()
    con.execute(
        "INSERT INTO check_run VALUES (?, ?, ?, ?, ?, ?, ?)",
        [run_id, load_id, run.ran_at, run.status, run.failed("error"), run.failed("warning"), run.seconds],
    ).fetchall()
    results = pl.DataFrame([{"run_id": run_id, **r.__dict__} for r in run.results], schema=RESULT_SCHEMA)
    con.register("check_results_frame", results)
    con.sql("INSERT INTO check_result SELECT * FROM check_results_frame")
    con.unregister("check_results_frame")
    findings = findings_frame(run.findings, run_id)
    con.register("check_findings_frame", findings)
    con.sql("INSERT INTO check_finding SELECT * FROM check_findings_frame")
    con.unregister("check_findings_frame")
    if run.scoped and unit_years is not None:
        _keep_other_unit_years(con, run, run_id, unit_years)
    return run_id


def _keep_other_unit_years(
    con: duckdb.DuckDBPyConnection, run: CheckRun, run_id: int, unit_years: pl.DataFrame
) -> None:
    """The previous run's findings of the scoped suites outside the load's unit-years, after the new ones, up to
    the findings kept per rule."""
    con.register("check_scope_frame", unit_years)
    try:
        con.execute(
            read_sql("check_findings_kept"), [run_id, run_id - 1, list(run.scoped), run.findings_per_rule]
        ).fetchall()
    finally:
        con.unregister("check_scope_frame")


# What makes two findings the same standing warning, from one version to the next.
FindingKey = tuple[str, str, str | None, int | None, str | None]


def finding_key(f: Finding) -> FindingKey:
    return (f.code, f.table_name, f.unit_code, f.year, f.item_code)


def known_findings(con: duckdb.DuckDBPyConnection) -> set[FindingKey]:
    """The findings stored with the version this connection holds (its latest check run), by finding_key."""
    ensure_tables(con)
    frame = to_frame(con.sql(read_sql("open_findings")))
    return {
        (r["rule"], r["table_name"], r["unit_code"], r["year"], r["item_code"])
        for r in frame.select("rule", "table_name", "unit_code", "year", "item_code").iter_rows(named=True)
    }


def findings_frame(findings: list[Finding], run_id: int) -> pl.DataFrame:
    return pl.DataFrame(
        [{"run_id": run_id, **f.record()} for f in findings],
        schema=FINDING_SCHEMA,
    )
