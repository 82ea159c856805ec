"""The fairness section of the Quota simulation page: who the individuals' awards go to. Widgets only: the
words and tables come from services.quota_fairness."""

from __future__ import annotations

import streamlit as st

from analysis import quota
from core.i18n import Translator
from dashboard import components as ui
from services import quota_fairness


def show(say: Translator, result: quota.SimulationResult, inputs: quota.Inputs) -> None:
    fv = quota_fairness.view(result, inputs, say.lang)
    if fv is None:
        return
    ui.section(say("fairness.title"), "balance", say("fairness.caption"))
    st.markdown(fv.summary)
    (st.warning if fv.warning else st.info)(fv.verdict, icon=":material/balance:")
    for (heading, frame), column in zip(fv.tables, st.columns(len(fv.tables)), strict=True):
        with column:
            st.caption(heading)
            # every column but the group's name is a count or a share: kept even when it is the same on every row
            ui.show_table(frame, "quota-fairness", numeric=frame.columns[1:], key=f"fairness-{heading}")
