"""What the Data quality page and the banners on the other pages show, Streamlit-free: the last check run of the
published version summed up, its findings, the quarantine of refused files and the history of runs as tables in
the reader's language, and how many open findings concern the data a page shows.

It reads stored results (the published version's check tables, the run log beside the database) and runs no
check: it never imports Great Expectations, so a page's banner stays cheap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache

import polars as pl

from core import fmt
from core.i18n import Translator, catalog, t
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


def check_text(rule: str, lang: str) -> str:
    """The plain sentence a leader reads for a rule: what must be true of the data (checks.rule.<rule>)."""
    return t(f"checks.rule.{rule}", lang)


def suite_name(suite: str, lang: str) -> str:
    return t(f"checks.suite.{suite}", lang)


def results_table(results: pl.DataFrame, lang: str) -> pl.DataFrame:
    """One row per rule, said as a sentence with the data it covers: no rule id, suite or expectation name."""
    say = Translator("checks.page", lang)
    more = Translator("checks.page_more", lang)
    return pl.DataFrame(
        {
            more("col_check"): [check_text(r, lang) for r in results["rule"]],
            say("col_table"): [suite_name(s, lang) for s in results["suite"]],
            say("col_severity"): results.with_columns(_severity(say))["severity"],
            say("col_checked"): results["checked_rows"],
            say("col_failed"): results["failed_rows"],
        }
    )


def suites(findings: pl.DataFrame) -> list[str]:
    return sorted(findings["suite"].unique().to_list())


# A stored message reads "<file> › dòng <n>: <table> › đơn vị <name> (<code>) › năm <y> › mục <item>: <rule
# text> [<rule>]"; the grid's own columns say the file, row, table, unit and year, so the page shows the rule text.
_RULE_TAG = re.compile(r"\s*\[[a-z_]+\]\s*$")


def finding_text(message: str | None) -> str:
    if not message:
        return ""
    parts = message.split(": ")
    names = _table_names()
    for i, head in enumerate(parts[:-1]):
        if head.split(" › ")[0] in names:
            return _RULE_TAG.sub("", ": ".join(parts[i + 1 :]))
    return _RULE_TAG.sub("", message)


@cache
def _table_names() -> frozenset[str]:
    """What a stored message's subject starts with: a table's name in either language (checks.table.*). Made
    once: the catalogs are fixed while the server runs, and the quality page asks for every finding."""
    return frozenset(v for lang in ("vi", "en") for k, v in catalog(lang).items() if k.startswith("checks.table."))


def _unit_names(findings: pl.DataFrame, names: pl.DataFrame | None, lang: str) -> list[str]:
    """Each finding's unit by name: from the register, else as its stored message names it (a province of the
    official index that is not in the locality's register); never its code."""
    known = dict(names.select("unit_code", "name").iter_rows()) if names is not None else {}
    prefix = re.escape(t("checks.subject.unit", lang, unit=""))
    out = []
    for code, message in findings.select("unit_code", f"message_{lang}").iter_rows():
        name = known.get(code) if code else ""
        if code and not name:
            said = re.search(prefix + r"(.+?) \(" + re.escape(code) + r"\)", message or "")
            name = said.group(1) if said else ""
        out.append(name or "")
    return out


def findings_table(
    findings: pl.DataFrame, chosen: Sequence[str], lang: str, names: pl.DataFrame | None = None
) -> pl.DataFrame:
    """The open findings of the chosen suites: what is wrong in the reader's language, the check it fails, the
    unit by name, and where the figure came from (file › sheet › row). names: unit_code → name."""
    say = Translator("checks.page", lang)
    more = Translator("checks.page_more", lang)
    shown = findings.filter(pl.col("suite").is_in(list(chosen))).with_columns(_severity(say))
    return pl.DataFrame(
        {
            say("col_message"): [finding_text(m) for m in shown[f"message_{lang}"]],
            more("col_check"): [check_text(r, lang) for r in shown["rule"]],
            say("col_severity"): shown["severity"],
            say("col_unit"): _unit_names(shown, names, lang),
            say("col_year"): shown["year"].cast(pl.Int64),
            say("col_file"): shown["file_name"].fill_null(""),
            say("col_sheet"): shown["sheet"].cast(pl.String).fill_null(""),
            say("col_row"): shown["source_row"].cast(pl.Int64),
            say("col_table"): [t(f"checks.table.{n}", lang) if n else "" for n in shown["table_name"]],
        },
        strict=False,
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
        pl.col(f"message_{lang}").map_elements(finding_text, return_dtype=pl.String).alias("message"),
        pl.col("rule").map_elements(lambda r: check_text(r, lang) if r.startswith("dq_") else "", pl.String),
    )
    return _table(
        shown,
        {
            "status": "status",
            "refused_at": "refused_at",
            "file_name": "file",
            "sheet": "sheet",
            "source_row": "row",
            "message": "message",
            "rule": "rule",
        },
        say,
    )


def _files(files: str | None, lang: str) -> str:
    """A run's files: the first by name and how many more (a load of forty files is one cell, not a wall)."""
    names = [f for f in (files or "").split(", ") if f]
    if len(names) <= 1:
        return names[0] if names else ""
    return t("checks.page_more.files_more", lang, first=names[0], count=fmt.integer(len(names) - 1, lang))


def history_table(history: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Every run in words: what it was, its outcome, its counts and seconds as the language writes them."""
    say = Translator("checks.page", lang)
    more = Translator("checks.page_more", lang)

    def word(value: str | None) -> str:
        key = f"history_{value}"
        return more(key) if value and more.has(key) else (value or "")

    return pl.DataFrame(
        {
            say("col_at"): [fmt.moment(v, lang) if v is not None else "" for v in history["at"]],
            say("col_kind"): [word(v) for v in history["kind"]],
            say("col_status"): [word(v) for v in history["status"]],
            say("col_by"): history["by"].fill_null(""),
            say("col_version"): history["version"],
            say("col_errors"): history["errors"],
            say("col_warnings"): history["warnings"],
            say("col_seconds"): [fmt.number(v, lang, 1) if v is not None else "" for v in history["seconds"]],
            say("col_files"): [_files(f, lang) for f in history["files"]],
        },
        strict=False,
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
