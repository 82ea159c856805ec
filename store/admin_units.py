"""The units the vietnamadminunits package ships in its SQLite database (data/dataset.db, opened read-only and
never from the network), as the rows etl/register.py builds the administrative register from."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from functools import cache
from pathlib import Path

from etl.register import PackageRows
from store.db import read_sql


def _dataset() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"


@cache
def package_rows() -> PackageRows:
    """The former units and the package's current wards; one object per process (the register caches by it)."""
    with closing(sqlite3.connect(f"file:{_dataset()}?mode=ro", uri=True)) as conn:
        former = conn.execute(read_sql("vietnamadminunits/former_units")).fetchall()
        current = conn.execute(read_sql("vietnamadminunits/current_wards")).fetchall()
    return PackageRows(former_units=tuple(former), current_wards=tuple(current))


@cache
def ward_points() -> tuple[tuple[tuple, ...], tuple[tuple, ...]]:
    """(current wards: provinceKey, wardKey, lat, lon, km²; former communes: wardCode, lat, lon), as shipped."""
    with closing(sqlite3.connect(f"file:{_dataset()}?mode=ro", uri=True)) as conn:
        current = conn.execute(read_sql("vietnamadminunits/current_ward_points")).fetchall()
        former = conn.execute(read_sql("vietnamadminunits/former_ward_points")).fetchall()
    return tuple(current), tuple(former)
