"""Great Expectations sees only the rows a rule could fail on (store/check_candidates.py): every rule must find
exactly the rows it finds on the whole frame, for every kind of expectation, at its bounds, with NULL, NaN,
infinities and repeated keys, and on a demo database damaged in many ways at once."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import polars as pl
import pytest
from checks_helpers import copy_published

from checks import gx
from checks.config import Rule, Suite, load
from store.check_frames import candidate_rows, suite_frames, suite_sql
from store.db import connect_read_only, current_file, draft


def _failing(suite: Suite, frame: pl.DataFrame) -> dict[str, tuple[int, list[int]]]:
    """rule -> (failed count, the failing rows' rid) as GE reports them on frame."""
    rids = frame["rid"].to_list()
    return {o.rule.rule: (o.failed, [rids[i] for i in o.failed_index]) for o in gx.validate(suite, frame.to_pandas())}


def _same_as_whole_frame(con: duckdb.DuckDBPyConnection, suite: Suite, sql: str, params=None) -> int:
    whole = con.sql(sql, params=params).pl()
    checked, part = candidate_rows(con, sql, suite.rules, params)
    assert checked == whole.height
    assert part.height <= whole.height
    expected = _failing(suite, whole)
    got = _failing(suite, part)
    assert got == expected
    return sum(failed for failed, _ in expected.values())


def _rule(name: str, expect: str, **kw) -> Rule:
    return Rule(suite="edge", rule=name, severity="error", expect=expect, **kw)


def test_every_kind_of_rule_finds_on_its_candidates_what_it_finds_on_the_whole_frame() -> None:
    con = duckdb.connect()
    con.sql("""CREATE TABLE edge (rid INTEGER, x DOUBLE, n BIGINT, s VARCHAR, b BOOLEAN, k1 VARCHAR, k2 INTEGER)""")
    nan, inf = math.nan, math.inf
    rows = [
        (1, 0.0, 0, "province", False, "A", 1),
        (2, 0.01, 1, "commune", True, "A", 1),  # x at the upper bound; a repeated compound key
        (3, 0.010000001, 2, "nowhere", None, "A", 2),  # just above the bound
        (4, -0.01, None, None, False, None, None),  # at the lower bound; NULL keys
        (5, None, -1, "", False, None, None),  # NULL keys twice
        (6, nan, 5, "x'y", False, "B", 3),  # NaN: missing to pandas
        (7, inf, 0, "01-A", False, "B", 4),
        (8, -inf, 0, "bad code!", False, "C", 5),
        (9, 1e-7, 0, "province", False, "C", 5),
    ]
    con.executemany("INSERT INTO edge VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    rules = (
        _rule("e_between", "between", column="x", min=-0.01, max=0.01),
        _rule("e_max_only", "between", column="n", max=0),
        _rule("e_min_only", "between", column="x", min=0),
        _rule("e_in_set", "in_set", column="s", values=("province", "commune")),
        _rule("e_in_bool", "in_set", column="b", values=(False,)),
        _rule("e_is_null", "is_null", column="s"),
        _rule("e_not_null", "not_null", column="x"),
        _rule("e_regex", "regex", column="s", pattern=r"^[0-9A-Za-z][0-9A-Za-z._/-]*$"),
        _rule("e_unique", "unique", columns=("k1",)),
        _rule("e_unique_pair", "unique", columns=("k1", "k2")),
    )
    for rule in rules:  # one rule at a time (few candidates) and all together (many)
        assert _same_as_whole_frame(con, Suite(f"edge_{rule.rule}", "-", (rule,)), "SELECT * FROM edge") > 0
    _same_as_whole_frame(con, Suite("edge_all", "-", rules), "SELECT * FROM edge")


@pytest.fixture(scope="module")
def damaged(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo copy damaged behind the loader's back in every table the suites read."""
    db = copy_published(demo_db, tmp_path_factory.mktemp("damaged"))
    with draft(db) as d:
        for statement in (
            "UPDATE unit SET kind = 'hamlet', unit_code = 'bad code' WHERE unit_code = 'DEMO-LH-S05'",
            "UPDATE unit_score SET appraised_score = -1 WHERE unit_code = 'DEMO-LH-S03' AND year = 2023",
            "UPDATE unit_score SET self_score = 99 WHERE unit_code = 'DEMO-LH-S06' AND item_code = '1.1'",
            "UPDATE unit_score SET appraised_score = NULL WHERE unit_code = 'DEMO-LH-S07' AND item_code = '1.2'",
            "UPDATE unit_result SET tier = 'yeu' WHERE unit_code = 'DEMO-LH-S01' AND year = 2023",
            "UPDATE unit_result SET total = total + 3 WHERE unit_code = 'DEMO-LH-S02'",
            "UPDATE component_result SET points = points + 0.5 WHERE unit_code = 'DEMO-LH-S08'",
            "UPDATE task_completion SET completion_pct = 101 WHERE unit_code = 'DEMO-LH-S04'",
            "UPDATE task_completion SET tasks_done = tasks_assigned + 1 WHERE year = 2022",
            "UPDATE framework_item SET max_points = max_points + 1 WHERE item_code = '1.1'",
        ):
            d.con.sql(statement)
    return db


def test_each_suite_on_a_damaged_demo_finds_what_it_finds_on_its_whole_frame(damaged: Path) -> None:
    con = connect_read_only(current_file(damaged))
    try:
        config = load()
        # the settings' frames and an empty check_load_rows, registered on the cursor the checks use
        with suite_frames(con, config=config) as frames:
            cursor = frames.cursor
            failed = 0
            for suite in config.suites:
                sql = suite_sql(suite)
                params = {"load_id": -1} if "$load_id" in sql else None
                whole = cursor.sql(sql, params=params).pl().with_row_index("rid")
                checked, part = candidate_rows(cursor, sql, suite.rules, params)
                assert checked == whole.height, suite.name
                needed = list(dict.fromkeys(c for r in suite.rules for c in r.target_columns))
                # the same rows, named by what the frame says of them (position differs between the two frames)
                cols = [c for c in ("table_name", "unit_code", "year", "item_code", "source_row") if c in whole.columns]
                for a, b in zip(
                    gx.validate(suite, whole.select(needed).to_pandas()),
                    gx.validate(suite, part.select(needed).to_pandas()),
                    strict=True,
                ):
                    assert (a.rule, a.failed) == (b.rule, b.failed), suite.name
                    # (a query without ORDER BY may stream its rows in another order from one run to the next)
                    assert sorted(whole.select(cols)[list(a.failed_index)].rows(), key=repr) == sorted(
                        part.select(cols)[list(b.failed_index)].rows(), key=repr
                    ), (suite.name, a.rule.rule)
                    failed += a.failed
        assert failed > 20  # the damage was found, by many rules
    finally:
        con.close()
