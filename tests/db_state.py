"""The content of a published database as one comparable value, for tests that must tell states apart.

Each table contributes its row count and an order-independent sum of row hashes. Columns that differ
between two runs of the same load by their nature (clock times, durations) are left out, so two databases
holding the same data compare equal however long their loads took."""

from __future__ import annotations

from pathlib import Path

import duckdb

from store.db import connect_read_only, current_file

# (table, column) pairs that are not data: how long the checks took.
_VOLATILE = {("check_run", "seconds")}


def content_fingerprint(db: Path) -> tuple[tuple[str, int, int], ...]:
    """(table, rows, hash) of every table of the published version, opened read-only."""
    file = current_file(db)
    assert file is not None, f"nothing published at {db}"
    con = connect_read_only(file)
    try:
        return _tables(con)
    finally:
        con.close()


def _tables(con: duckdb.DuckDBPyConnection) -> tuple[tuple[str, int, int], ...]:
    columns: dict[str, list[str]] = {}
    for table, column, kind in con.sql(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall():
        if "TIME" not in kind and (table, column) not in _VOLATILE:
            columns.setdefault(table, []).append(column)
    out = []
    for table, names in sorted(columns.items()):
        cols = ", ".join(f'"{n}"' for n in names)
        rows, total = con.sql(
            f'SELECT count(*), coalesce(sum(hash({cols})::HUGEINT), 0)::VARCHAR FROM "{table}"'
        ).fetchall()[0]
        out.append((table, int(rows), int(total)))
    return tuple(out)
