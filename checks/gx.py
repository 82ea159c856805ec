"""The Great Expectations machinery, kept small: one ephemeral context per process, one suite per rules.yaml
suite, run on a pandas frame. Imported lazily (GE takes seconds to import): only the checks and the Data
quality page reach this module, and a load only when a suite has rows to check. It is not imported on a thread
while a load reads: on two cores that import slowed the reading more than it saved (a 12,000-row file 6.9 s
instead of 4.1 s, whole process), and its 220 MB shared the national load's peak. One lock keeps a server's
concurrent checks from building the same suite twice.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

import pandas as pd

from checks.config import Rule, Suite


@dataclass(frozen=True)
class Outcome:
    rule: Rule
    expectation: str  # the GE expectation type
    checked: int
    failed: int
    failed_index: tuple[int, ...]  # positions in the validated frame


_LOCK = threading.RLock()


@cache
def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    ctx.data_sources.add_pandas("parboard")
    return ctx


def _expectation(rule: Rule) -> Any:
    import great_expectations.expectations as gxe

    meta = {"rule": rule.rule}
    column = rule.column or ""  # rules.yaml gives a column for every expectation but "unique"
    if rule.expect == "not_null":
        return gxe.ExpectColumnValuesToNotBeNull(column=column, meta=meta)
    if rule.expect == "is_null":
        return gxe.ExpectColumnValuesToBeNull(column=column, meta=meta)
    if rule.expect == "between":
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=rule.min, max_value=rule.max, meta=meta)
    if rule.expect == "in_set":
        return gxe.ExpectColumnValuesToBeInSet(column=column, value_set=list(rule.values), meta=meta)
    if rule.expect == "regex":
        return gxe.ExpectColumnValuesToMatchRegex(column=column, regex=rule.pattern or "", meta=meta)
    if rule.expect == "unique":
        if len(rule.columns) == 1:
            return gxe.ExpectColumnValuesToBeUnique(column=rule.columns[0], meta=meta)
        return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(rule.columns), meta=meta)
    raise ValueError(rule.expect)


def prepare(suites: tuple[Suite, ...]) -> None:
    """Import GE and build every suite's validation now (a benchmark's warm-up, as a server's first check)."""
    for suite in suites:
        _validation(suite)


def _validation(suite: Suite) -> Any:
    with _LOCK:
        return _built(suite)


@cache
def _built(suite: Suite) -> Any:
    import great_expectations as gx

    ctx = _context()
    batch = ctx.data_sources.get("parboard").add_dataframe_asset(suite.name).add_batch_definition_whole_dataframe("all")
    gx_suite = ctx.suites.add(gx.ExpectationSuite(name=suite.name))
    for rule in suite.rules:
        gx_suite.add_expectation(_expectation(rule))
    return ctx.validation_definitions.add(gx.ValidationDefinition(name=suite.name, data=batch, suite=gx_suite))


# Expectations that judge each row (or each row's combination of columns) on its own: on no rows every one
# passes having checked nothing, whatever its parameters.
_ROW_WISE = frozenset({"not_null", "is_null", "between", "in_set", "regex", "unique"})


def validate(suite: Suite, frame: pd.DataFrame) -> list[Outcome]:
    """Run the suite's expectations on frame (index 0..n-1); one Outcome per rule, in the suite's order."""
    if frame.empty and all(r.expect in _ROW_WISE for r in suite.rules):
        # A one-unit load leaves most suites' frames empty: GE would take ~0.1 s per suite to say "passed".
        return nothing_to_check(suite)
    return run_gx(suite, frame)


# The type GE gives each kind of rule's expectation (built in _expectation; tests/test_checks_no_rows.py holds
# the two equal for every rule of rules.yaml).
_TYPES = {
    "not_null": "expect_column_values_to_not_be_null",
    "is_null": "expect_column_values_to_be_null",
    "between": "expect_column_values_to_be_between",
    "in_set": "expect_column_values_to_be_in_set",
    "regex": "expect_column_values_to_match_regex",
}


def expectation_type(rule: Rule) -> str:
    if rule.expect == "unique":
        return "expect_column_values_to_be_unique" if len(rule.columns) == 1 else "expect_compound_columns_to_be_unique"
    return _TYPES[rule.expect]


def nothing_to_check(suite: Suite) -> list[Outcome]:
    """What GE reports for the suite on no rows (each rule passed, nothing checked), without running it or
    importing it: a load whose every suite has no candidate rows (a clean correction) ends without GE."""
    return [Outcome(rule=r, expectation=expectation_type(r), checked=0, failed=0, failed_index=()) for r in suite.rules]


def run_gx(suite: Suite, frame: pd.DataFrame) -> list[Outcome]:
    """The suite's expectations run by GE on frame."""
    frame = frame.reset_index(drop=True)
    rules = {r.rule: r for r in suite.rules}
    result = _validation(suite).run(batch_parameters={"dataframe": frame}, result_format={"result_format": "COMPLETE"})
    outcomes: dict[str, Outcome] = {}
    for r in result.results:
        rule = rules[r.expectation_config.meta["rule"]]
        if r.exception_info and r.exception_info.get("raised_exception"):
            raise RuntimeError(f"{suite.name}.{rule.rule}: {r.exception_info.get('exception_message')}")
        res = r.result or {}
        index = tuple(int(i) for i in (res.get("unexpected_index_list") or []) if not isinstance(i, dict))
        failed = int(res.get("unexpected_count") or 0)
        outcomes[rule.rule] = Outcome(
            rule=rule,
            expectation=r.expectation_config.type,
            checked=int(res.get("element_count") or len(frame)),
            failed=failed,
            failed_index=index,
        )
    return [outcomes[r.rule] for r in suite.rules]
