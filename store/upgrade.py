"""Bring a database written by an earlier release up to the current schema, in the draft of a publish.

Releases only add: new tables, and new columns on existing tables (store/sql/schema.sql is the whole truth).
A draft copied from an older version gets what it lacks before the load writes into it, so a province's
database keeps its history across releases and the new version is complete. Readers of a version published
before the upgrade keep seeing it as it was, until the next publish.
"""

from __future__ import annotations

import duckdb


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.sql(
        """SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"""
    ).fetchall()
    tables: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append((column, data_type))
    return tables


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def upgrade(
    con: duckdb.DuckDBPyConnection, schema: str, config: dict[str, str | bool | int | float | list[str]]
) -> list[str]:
    """Create the tables and add the columns that `schema` has and `con`'s database lacks; returns what was
    added ("table" or "table.column"), empty when the database is current."""
    reference = duckdb.connect(":memory:", config=config)
    try:
        reference.sql(schema)
        wanted = _columns(reference)
        ddl = dict(reference.sql("SELECT table_name, sql FROM duckdb_tables() WHERE schema_name = 'main'").fetchall())
    finally:
        reference.close()
    have = _columns(con)
    added: list[str] = []
    for table, columns in wanted.items():
        if table not in have:
            con.sql(ddl[table])
            added.append(table)
            continue
        present = {name for name, _ in have[table]}
        for name, data_type in columns:
            if name not in present:
                # Added columns are nullable: rows written before the release have no value for them.
                con.sql(f"ALTER TABLE {_quoted(table)} ADD COLUMN {_quoted(name)} {data_type}")
                added.append(f"{table}.{name}")
    return added
