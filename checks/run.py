"""Run every suite of rules.yaml on the frames a FrameSource gives (store/check_frames.py, over the load's draft
or the published file read-only) and turn failing rows into findings.

The source keeps each suite's whole frame and hands over only the rows some rule could fail on; those go to
pandas and are validated by Great Expectations (checks/gx.py, imported here lazily). Every rule counts the
whole frame as checked. During a load, a suite that reads none of the tables the load changed keeps the previous
run's results, and one whose changed tables all bear on it one unit-year at a time (rules.yaml: per_unit_year)
is checked on the load's unit-years alone, as they were and as they are: its counts are the previous run's
plus the difference. Nothing here reads a database: callers take the source from store and give the CheckRun
back to store to record.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import polars as pl

from checks.config import Config, Rule, Suite, load
from checks.findings import Finding

if TYPE_CHECKING:
    from checks import gx

# The columns that say where a failing row is, kept for its finding when the frame has them.
_WHERE = ("table_name", "unit_code", "year", "item_code", "file_name", "sheet", "source_row", "source_id")


class FrameSource(Protocol):
    """Where the suites' frames come from (store.check_frames.suite_frames over a database)."""

    def suite_frame(self, suite: Suite) -> tuple[int, pl.DataFrame]:
        """How many rows the suite's frame has, and (in its order) those a rule of the suite could fail on."""
        ...

    def unit_names(self) -> dict[str, str]:
        """Unit code -> name, for the findings' messages."""
        ...

    def sources(self) -> dict[int, tuple[str, str | None]]:
        """Source id -> (file name, sheet), for rows that name only their source."""
        ...

    def previous(self, suite: Suite) -> list[RuleResult] | None:
        """The suite's results in the check run stored with the version being changed, when that run checked
        every rule the suite has now; None otherwise."""
        ...

    def scoped_frames(self, suite: Suite) -> tuple[tuple[int, pl.DataFrame], tuple[int, pl.DataFrame]] | None:
        """The suite's frame over the unit-years a load changed, as the version being changed held them and as
        they are now (each as suite_frame gives it); None when the suite cannot be checked that way."""
        ...


@dataclass(frozen=True)
class RuleResult:
    suite: str
    rule: str
    severity: str
    expectation: str
    checked: int
    failed: int


@dataclass
class CheckRun:
    ran_at: datetime
    seconds: float = 0.0
    results: list[RuleResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Suites whose tables the load did not change: their results (in `results`) and stored findings (not in
    # `findings`) are the previous run's.
    carried: tuple[str, ...] = ()
    # Suites checked on the load's unit-years alone: per rule, the failing rows found there (in `findings`);
    # the other unit-years' failures are counted in `results` and their stored findings kept.
    scoped: dict[str, dict[str, int]] = field(default_factory=dict)
    findings_per_rule: int = 0  # the most failing rows kept per rule

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def failed(self, severity: str) -> int:
        return sum(r.failed for r in self.results if r.severity == severity)

    @property
    def status(self) -> str:
        return "errors" if self.failed("error") else "warnings" if self.failed("warning") else "passed"


def _finding(rule: Rule, row: dict, names: dict[str, str]) -> Finding:
    year = row.get("year")
    source_row = row.get("source_row")
    return Finding(
        rule.rule,
        severity=rule.severity,
        file=row.get("file_name"),
        sheet=row.get("sheet"),
        row=int(source_row) if source_row is not None else None,
        params={p: row.get(p) for p in rule.params},
        suite=rule.suite,
        table_name=row.get("table_name") or "",
        unit_code=row.get("unit_code"),
        unit_name=names.get(row.get("unit_code") or ""),
        year=int(year) if year is not None else None,
        item_code=row.get("item_code"),
    )


def run_checks(source: FrameSource, *, config: Config | None = None, touched: frozenset[str] | None = None) -> CheckRun:
    """Validate the frame source gives for every suite of config (rules.yaml unless given: the one the source's
    settings frames were made from).

    touched: the tables a load changed (derived ones included); a suite that reads none of them has the frame it
    had, and takes its results from the previous run (source.previous) when there is one. None: run every suite."""
    config = config or load()
    started = time.perf_counter()
    run = CheckRun(ran_at=datetime.now(), findings_per_rule=int(config.setting("findings_per_rule")))
    carried: list[str] = []
    lookups: dict = {}
    for suite in config.suites:
        previous = None if touched is None or touched & set(suite.reads) else source.previous(suite)
        if previous is not None:
            run.results.extend(previous)
            carried.append(suite.name)
        elif (scoped := _scoped(source, suite, touched)) is not None:
            _validate_scoped(source, suite, run, lookups, *scoped)
        else:
            checked, frame = source.suite_frame(suite)
            for outcome in _outcomes(suite, frame):
                rule = outcome.rule
                run.results.append(
                    RuleResult(suite.name, rule.rule, rule.severity, outcome.expectation, checked, outcome.failed)
                )
                _keep_findings(source, frame, outcome, run, lookups)
    run.carried = tuple(carried)
    run.seconds = time.perf_counter() - started
    return run


def _scoped(
    source: FrameSource, suite: Suite, touched: frozenset[str] | None
) -> tuple[list[RuleResult], tuple[tuple[int, pl.DataFrame], tuple[int, pl.DataFrame]]] | None:
    """The previous results and the two frames of a suite that can be checked on the load's unit-years alone:
    the load changed no table the suite reads other than its per-unit-year ones, and the previous run checked
    the same rules."""
    if touched is None or not suite.per_unit_year or not touched & set(suite.reads) <= set(suite.per_unit_year):
        return None
    previous = source.previous(suite)
    frames = source.scoped_frames(suite) if previous is not None else None
    return None if previous is None or frames is None else (previous, frames)


def _validate_scoped(
    source: FrameSource,
    suite: Suite,
    run: CheckRun,
    lookups: dict,
    previous: list[RuleResult],
    frames: tuple[tuple[int, pl.DataFrame], tuple[int, pl.DataFrame]],
) -> None:
    """Each rule's counts are the previous run's, less what the changed unit-years had, plus what they have."""
    (checked_before, before), (checked_after, after) = frames
    failed_before = {o.rule.rule: o.failed for o in _outcomes(suite, before)}
    held = {r.rule: r for r in previous}
    found: dict[str, int] = {}
    for outcome in _outcomes(suite, after):
        rule, was = outcome.rule, held[outcome.rule.rule]
        checked = was.checked - checked_before + checked_after
        failed = was.failed - failed_before[rule.rule] + outcome.failed
        run.results.append(RuleResult(suite.name, rule.rule, rule.severity, outcome.expectation, checked, failed))
        found[rule.rule] = outcome.failed
        _keep_findings(source, after, outcome, run, lookups)
    run.scoped[suite.name] = found


def _outcomes(suite: Suite, frame: pl.DataFrame) -> list[gx.Outcome]:
    from checks import gx

    # GE sees only the columns its expectations read; the rows' whereabouts stay in the polars frame
    needed = list(dict.fromkeys(c for r in suite.rules for c in r.target_columns))
    return list(gx.validate(suite, frame.select(needed).to_pandas()))


def _keep_findings(source: FrameSource, frame: pl.DataFrame, outcome: gx.Outcome, run: CheckRun, lookups: dict) -> None:
    """The first failing rows of a rule as findings; lookups keeps the unit names and sources, read once per run
    and only when a rule fails."""
    if not outcome.failed_index:
        return
    rule = outcome.rule
    keep = [c for c in dict.fromkeys((*_WHERE, *rule.params)) if c in frame.columns]
    rows = frame.select(keep)[list(outcome.failed_index[: run.findings_per_rule])].to_dicts()
    if not lookups:
        lookups["names"] = source.unit_names()
        lookups["sources"] = source.sources()
    for row in rows:
        if "file_name" not in row and row.get("source_id") is not None:
            row["file_name"], row["sheet"] = lookups["sources"].get(row["source_id"], (None, None))
    run.findings.extend(_finding(rule, row, lookups["names"]) for row in rows)
