"""Báo cáo / Report: one click for a year's, the mid-term or the final review's Word draft and its .zip pack."""

from __future__ import annotations

import streamlit as st

from analysis.quota import presets
from analysis.quota.model import pick
from core import programme
from core.i18n import Translator
from dashboard import components as ui
from dashboard import views
from dashboard.context import lang
from dashboard.text import plain
from exports.charts import ChartExportError
from exports.report import Scope, build

_RESULT = "_report.files"  # session state: the last pack built, with what it was built from
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _scope_options(years: list[int]) -> dict[str, Scope]:
    options = {f"year-{y}": Scope.year(y) for y in sorted(years, reverse=True)}
    options.update({name: Scope.review_period(name) for name in programme.review_periods()})
    return options


def render() -> None:
    say = Translator("report.page", lang())
    language = say.lang
    db = ui.open_page(say("title"))
    if db is None:
        return
    ui.synthetic_note(db)
    st.caption(say("intro"))
    years = [y for y in views.base(db).years() if y in programme.years()]
    options = _scope_options(years)
    c1, c2 = st.columns(2)
    choice = c1.selectbox(
        say("scope"),
        list(options),
        format_func=lambda k: options[k].label(language).capitalize(),
        key="report_scope",
    )
    scenarios = ["", *presets.names()]
    scenario = c2.selectbox(
        say("scenario"),
        scenarios,
        format_func=lambda s: pick(presets.load(s).name, language) if s else say("no_scenario"),
        key="report_scenario",
        help=say("scenario_help"),
    )
    wanted = (str(db.file), choice, scenario, language)
    if st.button(say("build"), type="primary", icon=":material/description:", key="report_build"):
        bar = st.progress(0.0, text=say.area_of("report.progress")("reading"))
        try:
            files = build(
                db,
                options[choice],
                language,
                lambda share, text: bar.progress(share, text=text),
                scenario=scenario or None,
            )
        except ChartExportError as exc:
            bar.empty()
            st.error(exc.message(language), icon=":material/error:")
            return
        st.session_state[_RESULT] = (wanted, files)
    built = st.session_state.get(_RESULT)
    if built is None or built[0] != wanted:
        return
    files = built[1]
    st.success(say("built", title=plain(files.content.title)), icon=":material/check_circle:")
    d1, d2 = st.columns(2)
    d1.download_button(
        say("download_docx"),
        files.docx,
        files.docx_name,
        _DOCX,
        key="report_docx",
        icon=":material/article:",
        on_click="ignore",
        width="stretch",
    )
    d2.download_button(
        say("download_zip"),
        files.zip,
        files.zip_name,
        "application/zip",
        key="report_zip",
        icon=":material/folder_zip:",
        on_click="ignore",
        width="stretch",
    )


render()
