"""Reading a published test database the way any reader does: through the link, read-only."""

from __future__ import annotations

from pathlib import Path

import duckdb

from store.db import current_file


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(current_file(db)), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()
