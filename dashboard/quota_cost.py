"""The cost of the list on the Quota simulation page: the total (said to be incomplete when a reward amount is
missing, never a partial sum passed off as the cost), one row per award form, and a form where the reader sets
the decision date and fills in the multipliers the decree's text did not give.

Widgets only: the arithmetic is analysis.quota.cost's, the words analysis.quota.cost_words'.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from analysis import quota
from analysis.quota import cost as list_cost
from analysis.quota import cost_words
from analysis.quota.model import CostSettings, pick
from core.i18n import Translator
from dashboard import components as ui
from dashboard.text import plain


def _settings_key(result: quota.SimulationResult) -> str:
    return f"cost_settings:{result.scenario.id}:{result.scope.key}"


def priced(result: quota.SimulationResult) -> quota.SimulationResult:
    """The result priced with the reader's settings (decision date, multipliers filled in), for the list's
    headline, the cost tab and the downloads."""
    if not result.rules:
        return result
    return list_cost.priced(result, st.session_state.get(_settings_key(result), result.scenario.cost))


def show_cost(say: Translator, result: quota.SimulationResult) -> None:
    """The cost of a result priced(), its lines, and the form that changes the settings."""
    if not result.rules:
        return
    language = say.lang
    key = _settings_key(result)
    settings: CostSettings = st.session_state.get(key, result.scenario.cost)
    cost = list_cost.cost(result)
    ui.section(say("cost.heading"), "payments", say("cost.caption"))
    st.metric(cost_words.total_label(cost, language), cost_words.total_text(cost, language))
    if cost.complete:
        st.info(plain(cost_words.summary(cost, language)), icon=":material/check_circle:")
    else:
        st.warning(plain(cost_words.summary(cost, language)), icon=":material/warning:")
    ui.show_table(cost_words.table(cost, language), f"quota-cost-{result.scope.key}", key="cost-table")
    for line in cost_words.missing_lines(cost, language):
        st.caption(f":material/edit_note: {plain(line)}")
    changed = _settings_form(say, result, cost, settings)
    if changed is not None:
        st.session_state[key] = changed
        st.rerun()


def _settings_form(
    say: Translator, result: quota.SimulationResult, cost: list_cost.Cost, settings: CostSettings
) -> CostSettings | None:
    """The decision date and a multiplier for each line the table leaves to fill in; the new settings when
    applied."""
    language = say.lang
    day = cost.lines[0].decision_date if cost.lines else date(result.scope.last, 12, 31)
    to_fill = sorted({(line.form, line.recipient) for line in cost.missing if line.missing == "to_fill" and line.form})
    names = {line.form: line.form_name for line in cost.lines}
    with st.expander(say("cost.settings"), expanded=not cost.complete), st.form("cost-settings", border=False):
        st.caption(say("cost.settings_help"))
        chosen = st.date_input(say("cost.decision_date"), value=day, format="DD/MM/YYYY", key="cost_day")
        values: dict[tuple[str, str], float | None] = {}
        for form, recipient in to_fill:
            values[(form, recipient)] = st.number_input(
                say(
                    "cost.multiplier_field",
                    form=pick(names.get(form, {}), language),
                    recipient=say(f"cost.recipient_name.{recipient}"),
                ),
                min_value=0.0,
                max_value=100.0,
                value=settings.multipliers.get(form, {}).get(recipient),
                step=0.05,
                key=f"cost_m_{form}_{recipient}",
            )
        if not st.form_submit_button(say("cost.apply"), icon=":material/calculate:"):
            return None
    filled = {form: dict(by) for form, by in settings.multipliers.items()}
    for (form, recipient), value in values.items():
        if value is not None:
            filled.setdefault(form, {})[recipient] = float(value)
    return CostSettings(chosen if isinstance(chosen, date) else None, filled)
