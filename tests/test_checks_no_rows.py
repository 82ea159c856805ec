"""A suite given no rows is answered without running Great Expectations, exactly as GE would answer it."""

from __future__ import annotations

import pandas as pd
import pytest

from checks import gx
from checks.config import Suite, load

SUITES = load().suites


@pytest.mark.parametrize("suite", SUITES, ids=[s.name for s in SUITES])
def test_no_rows_gives_what_great_expectations_gives(suite: Suite) -> None:
    columns = sorted({c for r in suite.rules for c in r.target_columns})
    empty = pd.DataFrame({c: pd.Series([], dtype="float64") for c in columns})
    by_gx = gx.run_gx(suite, empty)
    assert [o.rule.rule for o in by_gx] == [r.rule for r in suite.rules]
    assert all(o.failed == 0 and o.checked == 0 for o in by_gx)
    assert gx.nothing_to_check(suite) == by_gx
    assert gx.validate(suite, empty) == by_gx


def test_rows_still_go_through_great_expectations() -> None:
    """One row that breaks a rule is found: the shortcut is only for no rows."""
    suite = next(s for s in SUITES if any(r.expect == "between" and r.max is not None for r in s.rules))
    rule = next(r for r in suite.rules if r.expect == "between" and r.max is not None)
    columns = sorted({c for r in suite.rules for c in r.target_columns})
    row = pd.DataFrame({c: [None] for c in columns}).astype("float64")
    row[rule.column] = float(rule.max) + 1 if not isinstance(rule.max, str) else 1e12
    outcome = next(o for o in gx.validate(suite, row) if o.rule.rule == rule.rule)
    assert (outcome.checked, outcome.failed, outcome.failed_index) == (1, 1, (0,))
