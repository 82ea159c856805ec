"""The cost of the list on the Quota simulation page: the total (said to be incomplete when a reward amount is
missing, never a partial sum passed off as the cost) and one row per award form.

Widgets only: the arithmetic is analysis.quota.cost's, the words analysis.quota.cost_words'.
"""

from __future__ import annotations

import streamlit as st

from analysis import quota
from analysis.quota import cost as list_cost
from analysis.quota import cost_words
from core.i18n import Translator
from dashboard import components as ui
from dashboard.text import plain


def show_cost(say: Translator, result: quota.SimulationResult) -> None:
    if not result.rules:
        return
    language = say.lang
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
