"""Mô phỏng chỉ tiêu khen thưởng / Award-quota simulation: pick or build a scenario, see who is proposed
under which rule and why, compare scenarios, test how safe the list is, save and share it.

Layout and widgets only: the scenario dict goes to analysis.quota, which validates, simulates and words
the result; services.quota compares, saves and reads the saved scenarios; the URL keeps the preset or saved
scenario's name and the year or period (parsed, checked against what exists, never executed).
"""

from __future__ import annotations

import streamlit as st

from analysis import quota
from analysis.quota import explain
from analysis.quota.model import pick
from core import programme
from core.i18n import Translator
from dashboard import components as ui
from dashboard import (
    quota_cost,
    quota_council,
    quota_fairness,
    quota_form,
    quota_result,
    quota_tools,
    quota_views,
    state,
    views,
)
from dashboard.context import db_path, lang, user
from dashboard.quality_banner import quality_banner
from dashboard.text import plain
from services import quota as quota_service

# What a simulation reads: its banner counts the open findings about these tables.
INPUT_TABLES = ["unit_result", "registration", "task_completion", "sanction", "person_year"]


def _choose_scope(say: Translator, years: list[int]) -> quota.Scope:
    periods = programme.review_periods()
    c1, c2 = st.columns([2, 3], vertical_alignment="bottom")
    kind = state.one_of(
        say("page.scope_kind"),
        ("year", "review"),
        key="scope_kind",
        default="review" if "period" in st.query_params and "year" not in st.query_params else "year",
        format_func=lambda k: say(f"page.scope_{k}"),
        container=c1,
    )
    if kind == "year":
        year = state.select("year", years, label=say("page.year"), default=years[-1] if years else None, container=c2)
        st.query_params.pop("period", None)
        return quota.Scope.year(int(year))
    period = state.select(
        "period",
        list(periods),
        label=say("page.period"),
        container=c2,
        format_func=lambda p: say("page.period_name", start=periods[p][0], end=periods[p][1]),
    )
    st.query_params.pop("year", None)
    first, last = periods[period]
    return quota.Scope(first, last)


def render() -> None:
    say = Translator("quota", lang())
    db = ui.open_page(say("page.title"))
    if db is None:
        return
    st.caption(say("page.intro"))
    path = db_path()
    source, data, label = quota_form.choose_scenario(
        say, [s.name for s in quota_service.saved(path)], lambda name: quota_service.saved_scenario(path, name)
    )
    scope = _choose_scope(say, views.base(db).years() or list(programme.years()))
    quality_banner(db, tables=INPUT_TABLES, year=scope.first if scope.kind == "year" else None)
    ui.synthetic_note(db)
    if data is None:
        return
    try:
        scenario = quota.parse(data)
    except quota.ScenarioError as exc:
        st.error(
            "\n".join([say("cli.invalid"), *[f"- {plain(quota_service.field_error(e, say.lang))}" for e in exc.errors]])
        )
        return
    inputs = quota_views.quota_inputs(db, scope.first, scope.last)
    key = quota_service.scenario_key(data)
    result = quota_cost.priced(quota_views.simulation(db, key, scope))
    st.markdown(f"### {plain(pick(scenario.name, say.lang))} — {plain(explain.scope_label(result, say.lang))}")
    if scenario.plan.number:
        st.caption(plain(explain.document(scenario, say.lang)))
    # The list first; everything that explains, prices, tests or files it, one tab each below.
    quota_result.show_list(say, result)
    fairness = quota_fairness.view(say, result, inputs) if result.rules else None
    files = bool(result.awarded_count or any(g.ties.height for g in result.group_results()))
    shown = [
        name
        for name, on in (
            ("details", True),
            ("cost", bool(result.rules)),
            ("fairness", fairness is not None),
            ("files", files),
            ("compare", bool(result.rules)),
            ("robust", bool(result.rules)),
            ("manage", True),
        )
        if on
    ]
    st.caption(say("page.list_caption"))
    # keyed: a message shown once above them (the form applied) must not send the reader back to the first tab
    tabs = dict(zip(shown, st.tabs([say(f"page.tab_{name}") for name in shown], key="quota_tab"), strict=True))
    with tabs["details"]:
        quota_result.show_result(say, result)
    if "cost" in tabs:
        with tabs["cost"]:
            quota_cost.show_cost(say, result)
    if fairness is not None:
        with tabs["fairness"]:
            quota_fairness.show(say, fairness)
    if files:
        with tabs["files"]:
            ui.section(say("page.downloads"), "download")
            quota_result.downloads(say, result, db, label, inputs)
            quota_council.session(say.lang, path, result, data, label, user())
    if result.rules:
        with tabs["compare"]:
            quota_tools.compare(say, path, result, inputs, label)
        with tabs["robust"]:
            quota_tools.robustness(say, result, inputs, key, db)
    with tabs["manage"]:
        if source != "build":
            st.caption(say("page.share"))
            st.code("?" + "&".join(f"{k}={v}" for k, v in st.query_params.items() if k != "lang"), language=None)
        quota_tools.save_and_manage(say, data, path, user())


render()
