"""The data-quality suites' frames, computed by DuckDB on the database being checked (the load's draft, or the
published file read-only): what checks.run.run_checks validates, through its FrameSource protocol.

Each suite's query is store/sql/checks/<suite>.sql (DuckDB computes the residual columns); its whole frame
goes into a temporary table, and only the rows some rule could fail on (store/check_candidates.py) come back
as a polars frame. The queries also read small frames made from rules.yaml's settings and, during a load, the
keys two of its files disagree on; `suite_frames` registers them on a cursor of its own and removes them after.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import polars as pl

from checks.config import Config, Rule, Suite, load
from core import indices
from store.check_candidates import could_fail
from store.db import read_sql
from store.frames import frame

if TYPE_CHECKING:
    from checks.run import RuleResult

_FRAME = "check_frame"  # the suite's whole frame, a temporary table of the checking cursor
_SCOPE = "check_scope"  # a load's unit-years (LoadScope), registered on the checking cursor
_BASE = "check_base"  # the version a load's draft replaces, attached read-only while its unit-years are checked
_FLOATS = ("DOUBLE", "FLOAT", "REAL")

# The keys and value hashes each file of a load sent, as the conflicts suite reads them (check_load_rows).
LOAD_ROWS_SCHEMA = pl.Schema(
    {
        "table_name": pl.String,
        "key_text": pl.String,
        "value_hash": pl.UInt64,
        "unit_code": pl.String,
        "year": pl.Int32,
        "item_code": pl.String,
        "file_name": pl.String,
        "sheet": pl.String,
        "source_row": pl.Int32,
        "ordinal": pl.Int32,
    }
)


@cache
def _sql(name: str) -> str:
    return read_sql(f"checks/{name}")


def suite_sql(suite: Suite) -> str:
    """The text of the suite's query, without its closing semicolon (it becomes a subquery)."""
    return _sql(suite.sql).rstrip().rstrip(";")


def setting_frames(config: Config) -> dict[str, pl.DataFrame]:
    """rules.yaml's settings as the frames the suites' queries join (check_official_expected, …)."""
    s = config.settings
    totals = [
        {"total": item["total"], "metric": metric, "required": metric in item["required"]}
        for item in s["summary_totals"]
        for metric in item["metrics"]
    ]
    groups = [
        {"index_code": g["index"], "grp": g["grp"], "min": g.get("min"), "below": g.get("below")}
        for g in s["official_groups"]
    ]
    return {
        "check_official_expected": pl.DataFrame(s["official_expected"]),
        "check_official_groups": pl.DataFrame(
            groups, schema={"index_code": pl.String, "grp": pl.String, "min": pl.Float64, "below": pl.Float64}
        ),
        "check_summary_totals": pl.DataFrame(totals),
        "check_note_markers": pl.DataFrame({"marker": [m.upper() for m in s["disputed_note_markers"]]}),
        "check_national_components": _national_components(),
    }


def _national_components() -> pl.DataFrame:
    """Every component maximum of the national indices registry (data/rules/national_indices), per edition."""
    rows = [
        {
            "index_code": i.code,
            "level": e.level,
            "first": e.first,
            "last": e.last,
            "component_code": c.code,
            "max": c.max_points,
        }
        for i in indices.indices().values()
        for e in i.editions
        for c in e.components
    ]
    schema = {
        "index_code": pl.String,
        "level": pl.String,
        "first": pl.Int64,
        "last": pl.Int64,
        "component_code": pl.String,
        "max": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema)


def candidate_rows(
    cursor: duckdb.DuckDBPyConnection, sql: str, rules: tuple[Rule, ...], params: dict | None = None
) -> tuple[int, pl.DataFrame]:
    """Run sql into a temporary table; its row count, and its rows any of the rules could fail on."""
    cursor.sql(f"CREATE OR REPLACE TEMP TABLE {_FRAME} AS {sql}", params=params)
    checked = int(cursor.sql(f"SELECT count(*) FROM {_FRAME}").fetchall()[0][0])
    floats = frozenset(name for name, kind, *_ in cursor.sql(f"DESCRIBE {_FRAME}").fetchall() if str(kind) in _FLOATS)
    where = " OR ".join(f"({could_fail(rule, _FRAME, floats)})" for rule in rules) or "false"
    return checked, frame(cursor.sql(f"SELECT * FROM {_FRAME} f WHERE {where} ORDER BY f.rowid"))


@dataclass(frozen=True)
class LoadScope:
    """What a load changed, for the suites whose frames bear on one unit-year at a time (rules.yaml:
    per_unit_year): its unit-years, and the published version its draft was copied from."""

    unit_years: pl.DataFrame  # unit_code, year
    base: Path


def _unit_year_views(cursor: duckdb.DuckDBPyConnection, tables: tuple[str, ...], catalog: str | None) -> None:
    """The suites read a per-unit-year table through the view check_<table>: the whole table (catalog None), or
    its rows of the load's unit-years in the draft (catalog "") or in the replaced version (_BASE)."""
    for table in tables:
        if catalog is None:
            body = f"SELECT * FROM {table}"
        else:
            source = f"{catalog}.main.{table}" if catalog else table
            body = f"SELECT t.* FROM {source} t SEMI JOIN {_SCOPE} USING (unit_code, year)"
        cursor.sql(f"CREATE OR REPLACE TEMP VIEW check_{table} AS {body}")


class DatabaseFrames:
    """checks.run.FrameSource over one cursor that has the settings' frames registered (see suite_frames)."""

    def __init__(self, cursor: duckdb.DuckDBPyConnection, load_id: int = -1, scope: LoadScope | None = None):
        self.cursor = cursor
        self.load_id = load_id
        self.scope = scope
        self._previous: dict[str, list[RuleResult]] | None = None
        self._base: bool | None = None  # the replaced version attached (None: not tried yet)

    def suite_frame(self, suite: Suite) -> tuple[int, pl.DataFrame]:
        """The suite's frame kept in DuckDB: how many rows it has, and (in its order) those a rule could fail on."""
        sql = suite_sql(suite)
        return candidate_rows(self.cursor, sql, suite.rules, {"load_id": self.load_id} if "$load_id" in sql else None)

    def scoped_frames(self, suite: Suite) -> tuple[tuple[int, pl.DataFrame], tuple[int, pl.DataFrame]] | None:
        """The suite's frame over the load's unit-years alone, as the replaced version held them and as the draft
        holds them (each: how many rows, and those a rule could fail on); None outside a load, for a suite
        without per-unit-year tables, or when the replaced version was written with another schema."""
        if self.scope is None or not suite.per_unit_year or not self._attached():
            return None
        sql = suite_sql(suite)
        params = {"load_id": self.load_id} if "$load_id" in sql else None
        try:
            _unit_year_views(self.cursor, suite.per_unit_year, _BASE)
            before = candidate_rows(self.cursor, sql, suite.rules, params)
            _unit_year_views(self.cursor, suite.per_unit_year, "")
            after = candidate_rows(self.cursor, sql, suite.rules, params)
        finally:
            _unit_year_views(self.cursor, suite.per_unit_year, None)
        return before, after

    def _attached(self) -> bool:
        """Attach the replaced version read-only, once; False when it cannot be read as this schema's."""
        if self._base is None and self.scope is not None:
            self._base = False
            path = str(self.scope.base).replace("'", "''")
            with contextlib.suppress(duckdb.Error):
                self.cursor.sql(f"ATTACH '{path}' AS {_BASE} (READ_ONLY)")
                schema = "SELECT value FROM {}meta WHERE key = 'schema_sha256'"
                base = self.cursor.sql(schema.format(f"{_BASE}.main.")).fetchall()
                self._base = bool(base) and base == self.cursor.sql(schema.format("")).fetchall()
        return bool(self._base)

    def unit_names(self) -> dict[str, str]:
        return dict(self.cursor.sql(read_sql("unit_names")).fetchall())

    def sources(self) -> dict[int, tuple[str, str | None]]:
        listed = self.cursor.sql(read_sql("source_files")).fetchall()
        return {source_id: (file, sheet) for source_id, file, sheet in listed}

    def previous(self, suite: Suite) -> list[RuleResult] | None:
        """The suite's results in the latest check run this database holds, if that run had the same rules."""
        from checks.run import RuleResult

        if self._previous is None:
            self._previous = {}
            tables = {r[0] for r in self.cursor.sql("SELECT table_name FROM duckdb_tables()").fetchall()}
            if {"check_run", "check_result"} <= tables:
                for _run, name, rule, severity, expectation, checked, failed in self.cursor.sql(
                    read_sql("latest_check_results")
                ).fetchall():
                    self._previous.setdefault(name, []).append(
                        RuleResult(name, rule, severity, expectation, int(checked), int(failed))
                    )
        held = self._previous.get(suite.name, [])
        if sorted((r.rule, r.severity) for r in held) != sorted((r.rule, r.severity) for r in suite.rules):
            return None  # rules.yaml changed since: the suite runs
        return held


@contextlib.contextmanager
def suite_frames(
    con: duckdb.DuckDBPyConnection,
    *,
    load_id: int = -1,
    load_rows: pl.DataFrame | None = None,
    config: Config | None = None,
    scope: LoadScope | None = None,
) -> Iterator[DatabaseFrames]:
    """The suites' frames of what con holds. load_id names the load whose draft this is (-1: not a load);
    load_rows are the keys that files of that load sent with differing values (services/load.py), none outside
    a load; scope, the unit-years a load changed and the version it replaces (LoadScope), none outside a load.
    The cursor, its temporary table and view, the registered frames and the attached version are gone when the
    block ends."""
    cursor = con.cursor()
    frames: dict[str, pl.DataFrame] = {}
    try:
        config = config or load()
        frames = setting_frames(config)
        frames["check_load_rows"] = load_rows if load_rows is not None else pl.DataFrame(schema=LOAD_ROWS_SCHEMA)
        if scope is not None:
            frames[_SCOPE] = scope.unit_years
        for name, frame in frames.items():
            cursor.register(name, frame)
        _unit_year_views(cursor, tuple(sorted({t for s in config.suites for t in s.per_unit_year})), None)
        yield DatabaseFrames(cursor, load_id, scope)
    finally:
        with contextlib.suppress(duckdb.Error):
            cursor.sql(f"DROP TABLE IF EXISTS {_FRAME}")
        with contextlib.suppress(duckdb.Error):
            cursor.sql(f"DETACH DATABASE IF EXISTS {_BASE}")
        for name in frames:
            with contextlib.suppress(duckdb.Error):
                cursor.unregister(name)
        cursor.close()
