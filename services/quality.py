"""What the Data quality page and the banners on the other pages show, Streamlit-free: the last check run of the
published version summed up, its findings, the quarantine of refused files and the history of runs as tables in
the reader's language, and how many open findings concern the data a page shows.

It reads stored results (the published version's check tables, the run log beside the database) and runs no
check: it never imports Great Expectations, so a page's banner stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import polars as pl

from core.i18n import Translator
from store import quality_log
from store.queries import Published

SEVERITIES = ("error", "warning")
QUARANTINE_STATUSES = ("pending", "resolved", "superseded")
_FINDING_COLUMNS = pl.Schema({"table_name": pl.String, "unit_code": pl.String, "year": pl.Int64, "severity": pl.String})


@dataclass(frozen=True)
class RunSummary:
    """The last check run: its outcome, when, and the rows it failed by severity."""

    status: str  # passed | warnings | failed
    ran_at: datetime
    rules: int
    failing_rules: int
    warnings: int  # rows failing a warning rule
    errors: int  # rows failing an error rule

    @property
    def passing_rules(self) -> int:
        return self.rules - self.failing_rules


def summary(results: pl.DataFrame) -> RunSummary | None:
    """results: check_results.sql (one row per suite and rule of the last run); None before any run."""
    if results.is_empty():
        return None
    first = results.row(0, named=True)

    def failed(severity: str) -> int:
        return int(results.filter(pl.col("severity") == severity)["failed_rows"].sum())

    failing = results.filter(pl.col("failed_rows") > 0).height
    return RunSummary(first["status"], first["ran_at"], results.height, failing, failed("warning"), failed("error"))


def _table(frame: pl.DataFrame, columns: dict[str, str], say: Translator) -> pl.DataFrame:
    """Keep and rename columns for display, headers in the reader's language (checks.page.col_<name>)."""
    return frame.select([pl.col(c).alias(say(f"col_{name}")) for c, name in columns.items()])


def _severity(say: Translator) -> pl.Expr:
    return pl.col("severity").replace_strict({s: say(f"severity_{s}") for s in SEVERITIES})


def results_table(results: pl.DataFrame, lang: str) -> pl.DataFrame:
    say = Translator("checks.page", lang)
    return _table(
        results.with_columns(_severity(say)),
        {
            "suite": "suite",
            "rule": "rule",
            "severity": "severity",
            "expectation": "expectation",
            "checked_rows": "checked",
            "failed_rows": "failed",
        },
        say,
    )


def suites(findings: pl.DataFrame) -> list[str]:
    return sorted(findings["suite"].unique().to_list())


def findings_table(findings: pl.DataFrame, chosen: Sequence[str], lang: str) -> pl.DataFrame:
    """The open findings of the chosen suites, each with its message in the reader's language and its source."""
    say = Translator("checks.page", lang)
    shown = findings.filter(pl.col("suite").is_in(list(chosen))).with_columns(
        pl.col(f"message_{lang}").alias("message"), _severity(say)
    )
    return _table(
        shown,
        {
            "message": "message",
            "severity": "severity",
            "unit_code": "unit",
            "year": "year",
            "file_name": "file",
            "sheet": "sheet",
            "source_row": "row",
            "table_name": "table",
            "item_code": "item",
            "suite": "suite",
            "rule": "rule",
        },
        say,
    )


@dataclass(frozen=True)
class RunLog:
    """The run log beside the database: the quarantine of refused files and the runs up to the version shown."""

    quarantine: pl.DataFrame
    history: pl.DataFrame

    @property
    def pending(self) -> int:
        return self.quarantine.filter(pl.col("status") == "pending").height


def run_log(db: Published) -> RunLog:
    """Read once for both tables. The log changes without a publish (refused loads), so it is not cached; a load
    that published after db's version was pinned is not listed under it (runs that published nothing have no
    version and are always listed)."""
    logged = quality_log.runs(db.db)
    history = quality_log.history(db.db, logged)
    return RunLog(
        quality_log.quarantine(db.db, logged),
        history.filter(pl.col("version").is_null() | (pl.col("version") <= db.version)),
    )


def quarantine_table(quarantine: pl.DataFrame, lang: str) -> pl.DataFrame:
    say = Translator("checks.page", lang)
    shown = quarantine.with_columns(
        pl.col("status").replace_strict({s: say(f"q_{s}") for s in QUARANTINE_STATUSES}),
        pl.col(f"message_{lang}").alias("message"),
    )
    return _table(
        shown,
        {
            "status": "status",
            "refused_at": "refused_at",
            "file_name": "file",
            "sheet": "sheet",
            "source_row": "row",
            "rule": "rule",
            "message": "message",
            "kept_copy": "kept",
        },
        say,
    )


def history_table(history: pl.DataFrame, lang: str) -> pl.DataFrame:
    return _table(
        history,
        {
            "at": "at",
            "kind": "kind",
            "status": "status",
            "by": "by",
            "version": "version",
            "errors": "errors",
            "warnings": "warnings",
            "seconds": "seconds",
            "files": "files",
        },
        Translator("checks.page", lang),
    )


def open_count(
    findings: pl.DataFrame, tables: Sequence[str] | None = None, year: int | None = None, unit_code: str | None = None
) -> int:
    """Open findings about the data shown: rows of these tables (database table names, e.g. unit_result,
    official_result), this year and this unit. A finding without a year or unit concerns every year or unit."""
    frame = findings.select(list(_FINDING_COLUMNS)).cast(_FINDING_COLUMNS)
    if tables is not None:
        frame = frame.filter(pl.col("table_name").is_in(list(tables)))
    if year is not None:
        frame = frame.filter(pl.col("year").is_null() | (pl.col("year") == year))
    if unit_code is not None:
        frame = frame.filter(pl.col("unit_code").is_null() | (pl.col("unit_code") == unit_code))
    return frame.height
