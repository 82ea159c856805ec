"""Query results as polars frames, for every module of the store that returns one."""

from __future__ import annotations

import duckdb
import polars as pl


def frame(relation: duckdb.DuckDBPyRelation) -> pl.DataFrame:
    """The relation's rows as a polars frame, read through the Arrow C stream interface.

    The same frame as `relation.pl()`, which builds it through a pyarrow table and so imports pyarrow and numpy
    first: about 0.1 s of the start of every command that reads the database (`parboard status`, `simulate`)."""
    return pl.DataFrame(relation)
