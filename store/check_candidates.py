"""Which rows of a suite's frame a rule could fail on, as a SQL condition DuckDB evaluates before Great
Expectations sees anything.

A national load checks millions of score rows that almost all pass; turning them all into pandas and running
every expectation over them cost seconds and gigabytes. DuckDB keeps the whole frame and hands GE only the
rows some rule could fail on; GE still decides, with the suite's own expectations, which of them do.

Each condition must be a SUPERSET of what GE flags (a row too many costs nothing, a row too few loses a
finding), so where GE's reading may differ from SQL's the condition keeps the row:
- GE skips missing values for every expectation but not_null / is_null, and pandas counts NaN as missing;
  DuckDB's NaN is a value, greater than any other: a NaN is kept by `between`, GE then skips it.
- `regex` keeps every filled value (GE's pattern dialect is Python's, not RE2).
- `unique` keeps every row whose value (NULL included) occurs more than once in the whole frame, so GE sees
  every member of each repeated group and decides as it would on the whole frame.
"""

from __future__ import annotations

import math
from typing import Any

from checks.config import Rule


def _literal(value: Any) -> str:
    """A bound or set member from rules.yaml (our configuration, never user input) as a SQL literal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if not math.isfinite(float(value)):
            raise ValueError(f"bound {value!r} is not a finite number")
        # a double, like the float GE compares with (a bare 0.01 would be a DECIMAL in DuckDB)
        return f"CAST('{float(value)!r}' AS DOUBLE)"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"cannot compare with {value!r}")


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def could_fail(rule: Rule, frame: str, floats: frozenset[str] = frozenset()) -> str:
    """A condition on the rows of table `frame` (aliased f) true for every row the rule could fail on.

    floats: the frame's floating-point columns (a NaN there is missing to GE, present to DuckDB)."""
    if rule.expect == "unique":
        cols = [_quoted(c) for c in rule.columns]
        same = " AND ".join(f"d.{c} IS NOT DISTINCT FROM f.{c}" for c in cols)
        listed = ", ".join(cols)
        return f"EXISTS (SELECT 1 FROM (SELECT {listed} FROM {frame} GROUP BY ALL HAVING count(*) > 1) d WHERE {same})"
    col = f"f.{_quoted(rule.column or '')}"
    if rule.expect == "is_null":
        return f"{col} IS NOT NULL"
    if rule.expect == "not_null":
        return f"{col} IS NULL OR isnan({col})" if rule.column in floats else f"{col} IS NULL"
    if rule.expect == "regex":
        return f"{col} IS NOT NULL"
    if rule.expect == "in_set":
        members = ", ".join(_literal(v) for v in rule.values)
        return f"{col} IS NOT NULL AND NOT coalesce({col} IN ({members}), false)" if members else f"{col} IS NOT NULL"
    if rule.expect == "between":
        inside = [
            f"{col} >= {_literal(rule.min)}" if rule.min is not None else None,
            f"{col} <= {_literal(rule.max)}" if rule.max is not None else None,
        ]
        bounds = " AND ".join(b for b in inside if b) or "true"
        return f"{col} IS NOT NULL AND NOT coalesce({bounds}, false)"
    raise ValueError(rule.expect)
