"""Run every suite of rules.yaml on a database connection (the load's draft, or the published file read-only)
and turn failing rows into findings.

Frames come from checks/sql/<suite>.sql (DuckDB computes the residual columns) into a temporary table; the
rows some rule could fail on (checks/candidates.py) go to pandas and are validated by Great Expectations
(checks/gx.py, imported here lazily). Every rule counts the whole frame as checked.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from checks.candidates import could_fail
from checks.config import Config, Rule, Suite, load
from checks.findings import Finding

_SQL = Path(__file__).with_name("sql")
_FRAME = "check_frame"  # the suite's whole frame, a temporary table of the checking cursor
_FLOATS = ("DOUBLE", "FLOAT", "REAL")
_WHERE = ("table_name", "unit_code", "year", "item_code", "file_name", "sheet", "source_row", "source_id")


@dataclass(frozen=True)
class RuleResult:
    suite: str
    rule: str
    severity: str
    expectation: str
    checked: int
    failed: int


@dataclass
class CheckRun:
    ran_at: datetime
    seconds: float = 0.0
    results: list[RuleResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def failed(self, severity: str) -> int:
        return sum(r.failed for r in self.results if r.severity == severity)

    @property
    def status(self) -> str:
        return "errors" if self.failed("error") else "warnings" if self.failed("warning") else "passed"


@cache
def _sql(name: str) -> str:
    return (_SQL / f"{name}.sql").read_text(encoding="utf-8")


def _setting_frames(config: Config) -> dict[str, pl.DataFrame]:
    s = config.settings
    totals = [
        {"total": item["total"], "metric": metric, "required": metric in item["required"]}
        for item in s["summary_totals"]
        for metric in item["metrics"]
    ]
    groups = [{"grp": g["grp"], "min": g.get("min"), "below": g.get("below")} for g in s["official_groups"]]
    return {
        "check_official_expected": pl.DataFrame(s["official_expected"]),
        "check_official_groups": pl.DataFrame(
            groups, schema={"grp": pl.String, "min": pl.Float64, "below": pl.Float64}
        ),
        "check_summary_totals": pl.DataFrame(totals),
        "check_note_markers": pl.DataFrame({"marker": [m.upper() for m in s["disputed_note_markers"]]}),
    }


def _finding(rule: Rule, row: dict, names: dict[str, str]) -> Finding:
    year = row.get("year")
    source_row = row.get("source_row")
    return Finding(
        rule.rule,
        severity=rule.severity,  # type: ignore[arg-type]
        file=row.get("file_name"),
        sheet=row.get("sheet"),
        row=int(source_row) if source_row is not None else None,
        params={p: row.get(p) for p in rule.params},
        suite=rule.suite,
        table_name=row.get("table_name") or "",
        unit_code=row.get("unit_code"),
        unit_name=names.get(row.get("unit_code") or ""),
        year=int(year) if year is not None else None,
        item_code=row.get("item_code"),
    )


LOAD_ROWS_SCHEMA = {
    "table_name": pl.String, "key_text": pl.String, "value_hash": pl.UInt64, "unit_code": pl.String,
    "year": pl.Int32, "item_code": pl.String, "file_name": pl.String, "sheet": pl.String, "source_row": pl.Int32,
    "ordinal": pl.Int32,
}


def suite_frame(cursor: duckdb.DuckDBPyConnection, suite: Suite, load_id: int = -1) -> tuple[int, pl.DataFrame]:
    """The suite's frame kept in DuckDB: how many rows it has, and (in its order) those a rule could fail on."""
    sql = _sql(suite.sql).rstrip().rstrip(";")
    return candidate_rows(cursor, sql, suite.rules, {"load_id": load_id} if "$load_id" in sql else None)


def candidate_rows(
    cursor: duckdb.DuckDBPyConnection, sql: str, rules: tuple[Rule, ...], params: dict | None = None
) -> tuple[int, pl.DataFrame]:
    """Run sql into a temporary table; its row count, and its rows any of the rules could fail on."""
    cursor.sql(f"CREATE OR REPLACE TEMP TABLE {_FRAME} AS {sql}", params=params)
    checked = int(cursor.sql(f"SELECT count(*) FROM {_FRAME}").fetchall()[0][0])
    floats = frozenset(
        name for name, kind, *_ in cursor.sql(f"DESCRIBE {_FRAME}").fetchall() if str(kind) in _FLOATS
    )
    where = " OR ".join(f"({could_fail(rule, _FRAME, floats)})" for rule in rules) or "false"
    return checked, cursor.sql(f"SELECT * FROM {_FRAME} f WHERE {where} ORDER BY f.rowid").pl()


def prepare_in_background(config: Config | None = None) -> threading.Thread:
    """Import Great Expectations and build the suites on a thread (seconds of Python a load's reading can hide).

    A failure there is left for run_checks to meet again and report. A daemon: a load refused before its
    checks (a bad file, a full disk) exits at once instead of waiting seconds for an import it no longer needs."""

    def work() -> None:
        with contextlib.suppress(Exception):
            from checks import gx

            gx.prepare((config or load()).suites)

    thread = threading.Thread(target=work, name="checks-prepare", daemon=True)
    thread.start()
    return thread


def run_checks(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: int = -1,
    load_rows: pl.DataFrame | None = None,
    config: Config | None = None,
) -> CheckRun:
    """Validate what con holds. load_id names the load whose draft this is (-1: not a load); load_rows are the
    keys that files of that load sent with differing values (parboard/pipeline.py), none outside a load."""
    from checks import gx

    config = config or load()
    started = time.perf_counter()
    run = CheckRun(ran_at=datetime.now())
    cap = int(config.setting("findings_per_rule"))
    cursor = con.cursor()
    names: dict[str, str] | None = None
    sources: dict[int, tuple[str, str | None]] = {}
    frames: dict[str, pl.DataFrame] = {}
    try:
        frames = _setting_frames(config)
        frames["check_load_rows"] = load_rows if load_rows is not None else pl.DataFrame(schema=LOAD_ROWS_SCHEMA)
        for name, frame in frames.items():
            cursor.register(name, frame)
        for suite in config.suites:
            checked, frame = suite_frame(cursor, suite, load_id)
            # GE sees only the columns its expectations read; the rows' whereabouts stay in the polars frame
            needed = list(dict.fromkeys(c for r in suite.rules for c in r.target_columns))
            for outcome in gx.validate(suite, frame.select(needed).to_pandas()):
                rule = outcome.rule
                run.results.append(
                    RuleResult(suite.name, rule.rule, rule.severity, outcome.expectation, checked, outcome.failed)
                )
                if outcome.failed_index:
                    keep = [c for c in dict.fromkeys((*_WHERE, *rule.params)) if c in frame.columns]
                    rows = frame.select(keep)[list(outcome.failed_index[:cap])].to_dicts()
                    if names is None:  # unit names and sources for the messages, read once and only when needed
                        names = dict(cursor.sql("SELECT unit_code, name FROM unit").fetchall())
                        listed = cursor.sql("SELECT source_id, file_name, sheet FROM source").fetchall()
                        sources = {source_id: (file, sheet) for source_id, file, sheet in listed}
                    for row in rows:
                        if "file_name" not in row and row.get("source_id") is not None:
                            row["file_name"], row["sheet"] = sources.get(row["source_id"], (None, None))
                    run.findings.extend(_finding(rule, row, names) for row in rows)
    finally:
        with contextlib.suppress(duckdb.Error):
            cursor.sql(f"DROP TABLE IF EXISTS {_FRAME}")
        for name in frames:
            with contextlib.suppress(duckdb.Error):
                cursor.unregister(name)
        cursor.close()
    run.seconds = time.perf_counter() - started
    return run


def record(con: duckdb.DuckDBPyConnection, run: CheckRun, load_id: int | None) -> int:
    """Write the run into the database it checked (a draft about to be published); returns its run_id."""
    from checks.tables import ensure_tables
    from store.publish import next_id

    ensure_tables(con)
    run_id = next_id(con, "check_run", "run_id")
    con.execute(
        "INSERT INTO check_run VALUES (?, ?, ?, ?, ?, ?, ?)",
        [run_id, load_id, run.ran_at, run.status, run.failed("error"), run.failed("warning"), run.seconds],
    ).fetchall()
    results = pl.DataFrame(
        [{"run_id": run_id, **r.__dict__} for r in run.results],
        schema={"run_id": pl.Int32, "suite": pl.String, "rule": pl.String, "severity": pl.String,
                "expectation": pl.String, "checked": pl.Int64, "failed": pl.Int64},
    )
    con.register("check_results_frame", results)
    con.sql("INSERT INTO check_result SELECT * FROM check_results_frame")
    con.unregister("check_results_frame")
    findings = findings_frame(run.findings, run_id)
    con.register("check_findings_frame", findings)
    con.sql("INSERT INTO check_finding SELECT * FROM check_findings_frame")
    con.unregister("check_findings_frame")
    return run_id


FINDING_SCHEMA = {
    "run_id": pl.Int32, "suite": pl.String, "rule": pl.String, "severity": pl.String, "table_name": pl.String,
    "unit_code": pl.String, "year": pl.Int32, "item_code": pl.String, "file_name": pl.String, "sheet": pl.String,
    "source_row": pl.Int32, "message_vi": pl.String, "message_en": pl.String,
}


def findings_frame(findings: list[Finding], run_id: int) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "run_id": run_id, "suite": f.suite, "rule": f.code, "severity": f.severity,
                "table_name": f.table_name, "unit_code": f.unit_code, "year": f.year, "item_code": f.item_code,
                "file_name": f.file, "sheet": f.sheet, "source_row": f.row,
                "message_vi": f.message("vi"), "message_en": f.message("en"),
            }
            for f in findings
        ],
        schema=FINDING_SCHEMA,
    )
