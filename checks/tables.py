"""The tables the checks write into a draft: the data-quality section of store/sql/schema.sql, run at every
load so a database published before that section existed gains it (every statement is IF NOT EXISTS)."""

from __future__ import annotations

import duckdb

from store.db import read_sql

MARKER = "-- >>> data quality"


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    schema = read_sql("schema")
    con.sql(schema[schema.index(MARKER) :])
