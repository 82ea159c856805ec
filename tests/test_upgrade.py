"""A database written by an earlier release takes the current schema at its next publish, keeping its rows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from published import query

import store.db
from cli.main import main
from store.db import current_file, read_sql


def test_an_older_database_gets_the_new_tables_and_columns_at_its_next_load(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    assert main(["init", "--province", "46", "--db", str(db)]) == 0
    units_before = query(db, "SELECT count(*) FROM unit")[0][0]
    # What a release before bonus points, "KAD" and registrations wrote: made by taking them away.
    old = current_file(db)
    assert old is not None
    con = duckdb.connect(str(old))
    con.sql("ALTER TABLE unit_score DROP COLUMN not_applicable")
    con.sql("ALTER TABLE unit_result DROP COLUMN bonus_points")
    con.sql("DROP TABLE registration")
    con.sql("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.sql("UPDATE meta SET value = 'an earlier schema' WHERE key = 'schema_sha256'")
    con.close()

    units = Path(__file__).parent / "fixtures" / "real" / "setup" / "hue_units.csv"
    assert main(["load", str(units), "--db", str(db)]) == 0

    columns = {(t, c) for t, c in query(db, "SELECT table_name, column_name FROM information_schema.columns")}
    assert ("unit_score", "not_applicable") in columns
    assert ("unit_result", "bonus_points") in columns
    assert ("registration", "registered_on") in columns
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_version'") == [("2",)]
    assert query(db, "SELECT count(*) FROM unit")[0][0] > units_before
    # The version published before the load is left as it was.
    assert old.exists()
    kept = duckdb.connect(str(old), read_only=True)
    try:
        names = {r[0] for r in kept.sql("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        kept.close()
    assert "registration" not in names


def test_a_database_of_this_schema_is_not_compared_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The schema's hash is stored with every version: a publish onto the same schema skips the comparison."""
    db = tmp_path / "p.duckdb"
    assert main(["init", "--province", "46", "--db", str(db)]) == 0
    digest = hashlib.sha256(read_sql("schema").encode()).hexdigest()
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_sha256'") == [(digest,)]

    def compared(*_args: object) -> list[str]:
        raise AssertionError("the schema was compared although its hash matched")

    monkeypatch.setattr(store.db, "upgrade", compared)
    units = Path(__file__).parent / "fixtures" / "real" / "setup" / "hue_units.csv"
    assert main(["load", str(units), "--db", str(db)]) == 0
    assert query(db, "SELECT value FROM meta WHERE key = 'schema_sha256'") == [(digest,)]
