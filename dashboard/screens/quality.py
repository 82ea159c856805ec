"""Chất lượng dữ liệu / Data quality: the checks of the published version, the failing rows with their source,
the quarantine of refused files and the history of runs. Reads stored results through services.quality: it
runs no check itself."""

from __future__ import annotations

import polars as pl
import streamlit as st

from core import fmt
from core.i18n import Translator
from dashboard import components as ui
from dashboard import views, widget_words
from dashboard.context import READ_ERRORS, db_path, lang, published
from services import quality


def _dataframe(say: Translator, frame: pl.DataFrame, key: str) -> None:
    if frame.is_empty():
        st.caption(say("none"))
    else:
        ui.show_table(frame, f"quality-{key}", key=key)


def _last_run(say: Translator, run: quality.RunSummary, version: int) -> None:
    language = say.lang
    cols = st.columns(4)
    cols[0].metric(say("metric_status"), say(f"status_{run.status}"))
    cols[1].metric(say("metric_rules"), f"{run.passing_rules}/{run.rules}", help=say("metric_rules_help"))
    cols[2].metric(say("metric_warnings"), fmt.integer(run.warnings, language))
    cols[3].metric(say("metric_errors"), fmt.integer(run.errors, language))
    st.caption(say("run_at", moment=fmt.moment(run.ran_at, language), version=version))
    if run.warnings:
        st.warning(say("warnings_banner", count=run.warnings), icon=":material/report:")


def render() -> None:
    say = Translator("checks.page", lang())
    language = say.lang
    ui.page_title(say("title"))
    st.caption(say("intro"))
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

    run = quality.summary(results)
    if run is None:
        st.info(say("no_run"), icon=":material/info:")
    else:
        _last_run(say, run, db.version)
        ui.section(say("results"), "rule", say("results_caption"))
        _dataframe(say, quality.results_table(results, language), "quality_results")

    ui.section(say("findings"), "report", say("findings_caption"))
    if not findings.is_empty():
        suites = quality.suites(findings)
        chosen = st.multiselect(
            say("filter_suite"),
            suites,
            default=suites,
            key="quality_suites",
            placeholder=widget_words.choose_placeholder(language),
            select_all=False,
            format_func=lambda s: quality.suite_name(s, language),
        )
        names = views.base(db).units
        _dataframe(say, quality.findings_table(findings, chosen, language, names), "quality_findings")
    else:
        st.caption(say("none"))

    ui.section(say("quarantine"), "inventory", say("quarantine_caption"))
    log = quality.run_log(db)
    if not log.quarantine.is_empty():
        st.metric(say("pending"), fmt.integer(log.pending, language))
        _dataframe(say, quality.quarantine_table(log.quarantine, language), "quality_quarantine")
    else:
        st.caption(say("none"))

    ui.section(say("history"), "history", say("history_caption"))
    _dataframe(say, quality.history_table(log.history, language), "quality_history")


render()
