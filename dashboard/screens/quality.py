"""Chất lượng dữ liệu / Data quality: the checks of the published version, the failing rows with their source,
the quarantine of refused files and the history of runs. Reads stored results: it runs no check itself."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import fmt
from core.i18n import t
from dashboard import components as ui
from dashboard import views
from dashboard.context import READ_ERRORS, db_path, lang, published
from store import quality_log


def _t(key: str, **params: object) -> str:
    return t(f"checks.page.{key}", lang(), **params)


def _frame(frame: pl.DataFrame, columns: dict[str, str]) -> pl.DataFrame:
    """Keep and rename columns for display, headers in the reader's language."""
    return frame.select([pl.col(c).alias(_t(f"col_{name}")) for c, name in columns.items()])


def _dataframe(frame: pl.DataFrame, key: str) -> None:
    if frame.is_empty():
        st.caption(_t("none"))
    else:
        ui.show_table(frame, f"quality-{key}", key=key)


def render() -> None:
    language = lang()
    ui.page_title(_t("title"))
    st.caption(_t("intro"))
    db = published()
    if db is None:
        ui.no_data(db_path())
        return
    try:
        # Both cached per published version: reruns of this page query nothing.
        results = views.check_results(db)
        findings = views.open_findings(db)
    except READ_ERRORS as exc:
        ui.read_error(db_path(), exc)
        return

    if results.is_empty():
        st.info(_t("no_run"), icon=":material/info:")
    else:
        first = results.row(0, named=True)
        errors = int(results.filter(pl.col("severity") == "error")["failed_rows"].sum())
        warnings = int(results.filter(pl.col("severity") == "warning")["failed_rows"].sum())
        failing = results.filter(pl.col("failed_rows") > 0).height
        cols = st.columns(4)
        cols[0].metric(_t("metric_status"), _t(f"status_{first['status']}"))
        cols[1].metric(_t("metric_rules"), f"{results.height - failing}/{results.height}", help=_t("metric_rules_help"))
        cols[2].metric(_t("metric_warnings"), fmt.integer(warnings, language))
        cols[3].metric(_t("metric_errors"), fmt.integer(errors, language))
        st.caption(_t("run_at", moment=fmt.moment(first["ran_at"], language), version=db.version))
        if warnings:
            st.warning(_t("warnings_banner", count=warnings), icon=":material/report:")

        ui.section(_t("results"), "rule", _t("results_caption"))
        shown = results.with_columns(
            pl.col("severity").replace_strict({"error": _t("severity_error"), "warning": _t("severity_warning")}),
        )
        _dataframe(
            _frame(shown, {"suite": "suite", "rule": "rule", "severity": "severity",
                           "expectation": "expectation", "checked_rows": "checked", "failed_rows": "failed"}),
            "quality_results",
        )

    ui.section(_t("findings"), "report", _t("findings_caption"))
    if not findings.is_empty():
        suites = sorted(findings["suite"].unique().to_list())
        chosen = st.multiselect(_t("filter_suite"), suites, default=suites, key="quality_suites")
        findings = findings.filter(pl.col("suite").is_in(chosen))
        findings = findings.with_columns(
            pl.col(f"message_{language}").alias("message"),
            pl.col("severity").replace_strict({"error": _t("severity_error"), "warning": _t("severity_warning")}),
        )
        _dataframe(
            _frame(findings, {"message": "message", "severity": "severity", "unit_code": "unit", "year": "year",
                              "file_name": "file", "sheet": "sheet", "source_row": "row", "table_name": "table",
                              "item_code": "item", "suite": "suite", "rule": "rule"}),
            "quality_findings",
        )
    else:
        st.caption(_t("none"))

    ui.section(_t("quarantine"), "inventory", _t("quarantine_caption"))
    # The log beside the database changes without a publish (refused loads), so it is read on each visit:
    # once, for both tables.
    logged = quality_log.runs(db.db)
    quarantine = quality_log.quarantine(db.db, logged)
    if not quarantine.is_empty():
        pending = quarantine.filter(pl.col("status") == "pending")
        st.metric(_t("pending"), fmt.integer(pending.height, language))
        quarantine = quarantine.with_columns(
            pl.col("status").replace_strict({s: _t(f"q_{s}") for s in ("pending", "resolved", "superseded")}),
            pl.col(f"message_{language}").alias("message"),
        )
        _dataframe(
            _frame(quarantine, {"status": "status", "refused_at": "refused_at", "file_name": "file", "sheet": "sheet",
                                "source_row": "row", "rule": "rule", "message": "message", "kept_copy": "kept"}),
            "quality_quarantine",
        )
    else:
        st.caption(_t("none"))

    ui.section(_t("history"), "history", _t("history_caption"))
    # The runs up to the version shown: a load that published after this page's run began is not listed under
    # the version before it (runs that published nothing have no version and are always listed).
    history = quality_log.history(db.db, logged).filter(pl.col("version").is_null() | (pl.col("version") <= db.version))
    _dataframe(
        _frame(history, {"at": "at", "kind": "kind", "status": "status", "by": "by", "version": "version",
                         "errors": "errors", "warnings": "warnings", "seconds": "seconds", "files": "files"}),
        "quality_history",
    )


render()
