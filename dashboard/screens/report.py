"""Báo cáo / Report: one click for a year's, the mid-term or the final review's Word draft and its .zip pack."""

from __future__ import annotations

import streamlit as st

from analysis.quota import presets
from analysis.quota.model import pick
from analysis.rules import review_periods
from dashboard import components as ui
from dashboard import views
from dashboard.context import lang, txt
from exports.charts import ChartExportError
from exports.report import Scope, build
from exports.report.scope import YEARS

_RESULT = "_report.files"  # session state: the last pack built, with what it was built from
_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _scope_options(years: list[int]) -> dict[str, Scope]:
    options = {f"year-{y}": Scope.year(y) for y in sorted(years, reverse=True)}
    options.update({name: Scope.review_period(name) for name in review_periods()})
    return options


def render() -> None:
    language = lang()
    db = ui.open_page(txt("report.page.title"))
    if db is None:
        return
    ui.synthetic_note(db)
    st.caption(txt("report.page.intro"))
    years = [y for y in views.base(db).years() if y in YEARS]
    options = _scope_options(years)
    c1, c2 = st.columns(2)
    choice = c1.selectbox(
        txt("report.page.scope"),
        list(options),
        format_func=lambda k: options[k].label(language).capitalize(),
        key="report_scope",
    )
    scenarios = ["", *presets.names()]
    scenario = c2.selectbox(
        txt("report.page.scenario"),
        scenarios,
        format_func=lambda s: pick(presets.load(s).name, language) if s else txt("report.page.no_scenario"),
        key="report_scenario",
        help=txt("report.page.scenario_help"),
    )
    wanted = (str(db.file), choice, scenario, language)
    if st.button(txt("report.page.build"), type="primary", icon=":material/description:", key="report_build"):
        bar = st.progress(0.0, text=txt("report.progress.reading"))
        try:
            files = build(db, options[choice], language, lambda share, text: bar.progress(share, text=text),
                          scenario=scenario or None)
        except ChartExportError as exc:
            bar.empty()
            st.error(exc.message(language), icon=":material/error:")
            return
        st.session_state[_RESULT] = (wanted, files)
    built = st.session_state.get(_RESULT)
    if built is None or built[0] != wanted:
        return
    files = built[1]
    st.success(txt("report.page.built", title=files.content.title), icon=":material/check_circle:")
    d1, d2 = st.columns(2)
    d1.download_button(txt("report.page.download_docx"), files.docx, files.docx_name, _DOCX, key="report_docx",
                       icon=":material/article:", on_click="ignore", width="stretch")
    d2.download_button(txt("report.page.download_zip"), files.zip, files.zip_name, "application/zip",
                       key="report_zip", icon=":material/folder_zip:", on_click="ignore", width="stretch")


render()
