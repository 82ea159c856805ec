"""Read the published database: named queries from sql/*.sql, on a connection keyed by version.

Each call takes its own cursor (DuckDB connections are not shared across threads), and the connection is
cached per version file, so a publish is picked up by the next call without closing what a reader uses.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from store.db import connect_read_only, current_file, read_sql, version_of
from store.frames import frame

# What reading a version can raise, named here so that no caller imports duckdb: any error of the engine (a
# damaged or foreign file), and the one a version published before a table existed raises for that table.
QueryError = duckdb.Error
MissingTable = duckdb.CatalogException

_MAX_OPEN_VERSIONS = 2
_lock = threading.Lock()
_open: OrderedDict[Path, duckdb.DuckDBPyConnection] = OrderedDict()


@cache
def sql_text(name: str) -> str:
    return read_sql(name)


class Published:
    """One published version of the database at a path: `file` if given, else the version current now.

    Callers that key caches by the version file pass that same file, so a publish between resolving the link
    and making the handle cannot leave the key naming one version and the handle reading another."""

    def __init__(self, db: Path, file: Path | None = None):
        self.db = db
        self.file = file if file is not None else current_file(db)
        self.version = version_of(self.file)

    @property
    def exists(self) -> bool:
        return self.file is not None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        assert self.file is not None
        with _lock:
            con = _open.get(self.file)
            if con is None:
                con = connect_read_only(self.file)
                _open[self.file] = con
                while len(_open) > _MAX_OPEN_VERSIONS:
                    # Dropped, not closed: a reader on another thread may still hold a cursor to it.
                    _open.popitem(last=False)
            return con

    def query(self, name: str, **params: Any) -> pl.DataFrame:
        """Run sql/<name>.sql with $-named parameters and return a polars frame."""
        cursor = self._connection().cursor()
        try:
            return frame(cursor.sql(sql_text(name), params=params or None))
        finally:
            cursor.close()
