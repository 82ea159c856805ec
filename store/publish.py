"""Write mapped rows into a draft database: new rows inserted, changed rows replaced with their old values
kept in row_history, rows a file no longer carries removed (also kept), unchanged rows left alone with their
original provenance. Then the derived results are rebuilt in SQL.

Scores are the exception to "no longer carries": a unit-year given with fewer criteria than its framework is a
correction of those criteria and the others stay, unless the load says it replaces unit-years (`replace`).

Table and column names used here come from the schema, never from user input; values always go through
parameters or registered frames.
"""

from __future__ import annotations

import getpass
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

import duckdb
import polars as pl

from store.db import read_sql
from store.frames import frame

# table -> (key columns, replace_by columns). A file that carries some rows of a replace_by group carries the
# whole group: rows of that group it no longer has are removed (and kept in history).
TABLE_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "issuer": (("issuer_code",), ("issuer_code",)),
    "unit": (("unit_code",), ("unit_code",)),
    "unit_lineage": (("unit_code", "predecessor_code"), ("unit_code", "predecessor_code")),
    "framework": (("framework_id",), ("framework_id",)),
    "framework_item": (("framework_id", "item_code"), ("framework_id",)),
    "tier_set": (("tier_set_id",), ("tier_set_id",)),
    "tier_band": (("tier_set_id", "tier"), ("tier_set_id",)),
    "unit_score": (("framework_id", "unit_code", "year", "item_code"), ("unit_code", "year")),
    "official_result": (("index_code", "year", "unit_code", "sources"), ("index_code", "year", "unit_code", "sources")),
    "official_component_result": (
        ("index_code", "year", "unit_code", "component_code", "sources"),
        ("index_code", "year", "unit_code", "component_code", "sources"),
    ),
    "official_summary": (("index_code", "year", "metric", "sources"), ("index_code", "year", "metric", "sources")),
    "registration": (("unit_code", "year"), ("unit_code", "year")),
    "task_completion": (("unit_code", "year"), ("unit_code", "year")),
    "person": (("person_id",), ("person_id",)),
    "person_year": (("person_id", "year"), ("person_id", "year")),
    "sanction": (("sanction_id",), ("sanction_id",)),
    "award": (("award_id",), ("award_id",)),
}
_PROVENANCE = ("source_id", "source_row")


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    scores_removed: int = 0  # removed unit_score rows that held a score: a replaced unit-year lost criteria
    per_table: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, table: str, new: int, changed: int, unchanged: int, removed: int) -> None:
        self.new += new
        self.changed += changed
        self.unchanged += unchanged
        self.removed += removed
        t = self.per_table.setdefault(table, {"new": 0, "changed": 0, "unchanged": 0, "removed": 0})
        for name, value in (("new", new), ("changed", changed), ("unchanged", unchanged), ("removed", removed)):
            t[name] += value

    @property
    def touched(self) -> int:
        return self.new + self.changed + self.removed


@dataclass(frozen=True)
class Change:
    """One changed row: its key (values joined by "|") and each value that differs, (column, old, new)."""

    key: str
    values: tuple[tuple[str, object, object], ...]


def changed_examples(con: duckdb.DuckDBPyConnection, load_id: int, per_table: int = 3) -> dict[str, list[Change]]:
    """A few rows the load changed in each table, from row_history, with only the values that differ."""
    rows = con.execute(read_sql("load_changed_examples"), {"load_id": load_id, "per_table": per_table}).fetchall()
    out: dict[str, list[Change]] = {}
    for table, key, old_text, new_text in rows:
        old, new = json.loads(old_text), json.loads(new_text)
        diff = tuple(
            (name, old.get(name), new.get(name))
            for name in new
            if name not in _PROVENANCE and old.get(name) != new.get(name)
        )
        out.setdefault(table, []).append(Change(key, diff))
    return out


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]
        ).fetchall()
    ]


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    return int(con.sql(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}").fetchall()[0][0])


def add_source(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    file_name: str,
    sha256: str,
    sheet: str | None,
    table_kind: str,
    layout: str,
    row_count: int,
) -> int:
    source_id = next_id(con, "source", "source_id")
    con.execute(
        "INSERT INTO source VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [source_id, load_id, file_name, sha256, sheet, table_kind, layout, row_count],
    ).fetchall()
    return source_id


def apply_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    frame: pl.DataFrame,
    *,
    load_id: int,
    source_id: int | None,
    counts: Counts,
    changed_at: datetime,
    replace: bool = False,
) -> None:
    """Merge frame into table by its key; see the module docstring."""
    key, replace_by = TABLE_KEYS[table]
    columns = _columns(con, table)
    present = [c for c in columns if c in frame.columns or c in _PROVENANCE]
    frame = (
        frame.with_columns(pl.lit(source_id, dtype=pl.Int32).alias("source_id"))
        if "source_id" in columns and "source_id" not in frame.columns
        else frame
    )
    if "source_row" in columns and "source_row" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int32).alias("source_row"))
    incoming_frame = frame.select(present)
    values = [c for c in present if c not in key and c not in _PROVENANCE]
    con.register("incoming_frame", incoming_frame)
    try:
        con.sql(f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT {', '.join(present)} FROM incoming_frame")
    finally:
        con.unregister("incoming_frame")
    on_key = " AND ".join(f"t.{k} IS NOT DISTINCT FROM i.{k}" for k in key)
    same = " AND ".join(f"t.{v} IS NOT DISTINCT FROM i.{v}" for v in values) or "true"
    rb = ", ".join(replace_by)
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE scope AS
        SELECT t.* FROM {table} t SEMI JOIN (SELECT DISTINCT {rb} FROM incoming) g USING ({rb})""")
    if not con.sql("SELECT count(*) FROM (SELECT 1 FROM scope LIMIT 1)").fetchall()[0][0]:
        _insert_new(con, table, present, counts)
        return
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE classified AS
        SELECT i.*, CASE WHEN NOT exists(SELECT 1 FROM scope t WHERE {on_key}) THEN 'new'
                         WHEN exists(SELECT 1 FROM scope t WHERE {on_key} AND {same}) THEN 'unchanged'
                         ELSE 'changed' END AS _status
        FROM incoming i""")
    removed = f"SELECT t.* FROM scope t WHERE NOT exists(SELECT 1 FROM incoming i WHERE {on_key})"
    if table == "unit_score" and not replace:
        con.sql(f"CREATE OR REPLACE TEMP TABLE whole_unit_years AS {read_sql('whole_unit_years')}")
        removed += " AND exists(SELECT 1 FROM whole_unit_years w WHERE w.unit_code = t.unit_code AND w.year = t.year)"
    key_text = " || '|' || ".join(f"coalesce(CAST(t.{k} AS VARCHAR), '')" for k in key)
    con.execute(
        f"""
        INSERT INTO row_history
        SELECT ?, {key_text}, to_json(t), to_json(i), ?, ?
        FROM scope t JOIN (SELECT * EXCLUDE (_status) FROM classified WHERE _status = 'changed') i ON {on_key}""",
        [table, load_id, changed_at],
    ).fetchall()
    con.execute(
        f"""
        INSERT INTO row_history
        SELECT ?, {key_text}, to_json(t), NULL, ?, ? FROM ({removed}) t""",
        [table, load_id, changed_at],
    ).fetchall()
    status = dict(con.sql("SELECT _status, count(*) FROM classified GROUP BY ALL").fetchall())
    n_removed = con.sql(f"SELECT count(*) FROM ({removed})").fetchall()[0][0]
    scored = [c for c in ("self_score", "appraised_score", "survey_score") if c in columns]
    n_scored = (
        con.sql(
            f"SELECT count(*) FROM ({removed}) t WHERE {' OR '.join(f't.{c} IS NOT NULL' for c in scored)}"
        ).fetchall()[0][0]
        if scored and n_removed
        else 0
    )
    key_cols = ", ".join(key)
    if table == "unit_score":
        # the unit-years whose derived results this load must rebuild (see derive)
        _to_derive(
            con,
            f"""SELECT unit_code, year FROM classified WHERE _status IN ('new', 'changed')
                UNION SELECT unit_code, year FROM ({removed})""",
        )
    con.sql(f"""
        CREATE OR REPLACE TEMP TABLE doomed AS
        SELECT {key_cols} FROM classified WHERE _status = 'changed'
        UNION ALL SELECT {key_cols} FROM ({removed})""")
    on_doomed = " AND ".join(f"t.{k} IS NOT DISTINCT FROM d.{k}" for k in key)
    con.sql(f"DELETE FROM {table} t WHERE exists(SELECT 1 FROM doomed d WHERE {on_doomed})")
    absent = [c for c in columns if c not in present]
    if not absent:
        con.sql(f"""INSERT INTO {table} ({", ".join(present)})
                    SELECT {", ".join(present)} FROM classified WHERE _status IN ('new', 'changed')""")
    else:
        # A column the file does not have says nothing about it: a changed row keeps its old value there
        # (a completion rate alone does not wipe the task counts); a new row gets the column's default.
        con.sql(f"""INSERT INTO {table} ({", ".join(present)})
                    SELECT {", ".join(present)} FROM classified WHERE _status = 'new'""")
        con.sql(f"""INSERT INTO {table} ({", ".join(present + absent)})
                    SELECT {", ".join(f"i.{c}" for c in present)}, {", ".join(f"t.{c}" for c in absent)}
                    FROM classified i JOIN scope t ON {on_key} WHERE i._status = 'changed'""")
    counts.add(table, status.get("new", 0), status.get("changed", 0), status.get("unchanged", 0), n_removed)
    counts.scores_removed += int(n_scored)


def _insert_new(con: duckdb.DuckDBPyConnection, table: str, present: list[str], counts: Counts) -> None:
    """apply_rows when the table holds nothing of the groups the file carries (a new year, a fresh database):
    every row is new, nothing changes or goes, so the rows are inserted without being compared one by one."""
    if table == "unit_score":
        _to_derive(con, "SELECT unit_code, year FROM incoming")
    con.sql(f"INSERT INTO {table} ({', '.join(present)}) SELECT {', '.join(present)} FROM incoming")
    counts.add(table, int(con.sql("SELECT count(*) FROM incoming").fetchall()[0][0]), 0, 0, 0)


def _to_derive(con: duckdb.DuckDBPyConnection, unit_years: str) -> None:
    """Add the unit-years unit_years selects to those whose results derive must rebuild (each once)."""
    con.sql(f"CREATE TEMP TABLE IF NOT EXISTS {_SCOPE} (unit_code VARCHAR, year INTEGER)")
    con.sql(f"INSERT INTO {_SCOPE} ({unit_years}) EXCEPT SELECT unit_code, year FROM {_SCOPE}")


def derived_unit_years(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The unit-years whose scores this draft's load inserted, changed or removed (derive rebuilt those)."""
    con.sql(f"CREATE TEMP TABLE IF NOT EXISTS {_SCOPE} (unit_code VARCHAR, year INTEGER)")
    return frame(con.sql(f"SELECT unit_code, year FROM {_SCOPE} ORDER BY ALL"))


class KindChange(NamedTuple):
    unit_code: str
    name: str
    old_kind: str
    new_kind: str
    source_row: int | None
    years: str


def units_changing_kind(con: duckdb.DuckDBPyConnection, units: pl.DataFrame) -> list[KindChange]:
    """Units of an incoming units frame whose kind differs from the database's while they have scores."""
    incoming = units.select(
        "unit_code",
        "kind",
        pl.col("source_row") if "source_row" in units.columns else pl.lit(None, dtype=pl.Int32).alias("source_row"),
    )
    con.register("incoming_units", incoming)
    try:
        return [KindChange(*row) for row in con.execute(read_sql("units_changing_kind")).fetchall()]
    finally:
        con.unregister("incoming_units")


# Derived results (component_result, unit_result) are computed from these tables and nothing else.
DERIVED_FROM = ("unit_score", "framework", "framework_item", "tier_set", "tier_band")
DERIVED = ("component_result", "unit_result")
# The unit-years whose scores a load inserted, changed or removed (filled by apply_rows).
_SCOPE = "derive_scope"
_ALL = {
    "derive_scores": "SELECT * FROM unit_score",
    "derive_components": "SELECT * FROM component_result",
}
_SCOPED = {
    "derive_scores": f"SELECT s.* FROM unit_score s SEMI JOIN {_SCOPE} USING (unit_code, year)",
    "derive_components": f"SELECT c.* FROM component_result c SEMI JOIN {_SCOPE} USING (unit_code, year)",
}


def derive(con: duckdb.DuckDBPyConnection, counts: Counts | None = None) -> str:
    """Rebuild component and unit results from the scores; returns what was rebuilt: "all", "unit_years" or
    "nothing".

    Without counts (or when a load changed a framework or tier cut-offs, which any result may depend on)
    every result is rebuilt. With the counts of a load that changed scores only, only the unit-years whose
    scores it inserted, changed or removed are: a unit-year's results depend on its own scores, its
    framework and its tier set alone (ranks are not stored), so the outcome is the same as rebuilding all
    (tests/test_incremental_publish.py compares them table by table)."""
    # Results derived by other queries (a database written by an earlier release) are rebuilt whole once.
    queries = read_sql("derive_component_result") + read_sql("derive_unit_result")
    fingerprint = hashlib.sha256(queries.encode()).hexdigest()
    stored = con.sql("SELECT value FROM meta WHERE key = 'derive_sql'").fetchall()
    current = bool(stored) and stored[0][0] == fingerprint
    if counts is None or not current or any(_touched(counts, t) for t in DERIVED_FROM if t != "unit_score"):
        scoped = False
    elif _touched(counts, "unit_score"):
        scoped = True
    else:
        return "nothing"
    for table in DERIVED:
        if scoped:
            con.sql(f"""DELETE FROM {table} r WHERE exists(
                            SELECT 1 FROM {_SCOPE} d WHERE d.unit_code = r.unit_code AND d.year = r.year)""")
        else:
            con.sql(f"DELETE FROM {table}")
    for name, query in (_SCOPED if scoped else _ALL).items():
        con.sql(f"CREATE OR REPLACE TEMP VIEW {name} AS {query}")
    con.sql(read_sql("derive_component_result"))
    con.sql(read_sql("derive_unit_result"))
    for name in _ALL:
        con.sql(f"DROP VIEW {name}")
    if not current:
        set_meta(con, "derive_sql", fingerprint)
    return "unit_years" if scoped else "all"


def _touched(counts: Counts, table: str) -> bool:
    c = counts.per_table.get(table)
    return bool(c and (c["new"] or c["changed"] or c["removed"]))


def record_load(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    command: str,
    started_at: datetime,
    counts: Counts,
    summary: str,
    loaded_by: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO load_run VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id,
            command,
            loaded_by or current_user(),
            started_at,
            datetime.now(),
            counts.new,
            counts.changed,
            counts.unchanged,
            counts.removed,
            summary,
        ],
    ).fetchall()


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value]).fetchall()


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def context_frames(con: duckdb.DuckDBPyConnection) -> dict[str, pl.DataFrame]:
    """What a load needs to resolve names: units, frameworks, their items, persons."""
    return {
        name: frame(con.sql(read_sql(f"load_context_{name}"))) for name in ("units", "frameworks", "items", "persons")
    }
