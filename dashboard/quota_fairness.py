"""The fairness section of the Quota simulation page: who the individuals' awards go to. Widgets only: the
words and tables come from services.quota_fairness."""

from __future__ import annotations

import streamlit as st

from analysis import quota
from core.i18n import Translator
from dashboard import components as ui
from services import quota_fairness


def view(say: Translator, result: quota.SimulationResult, inputs: quota.Inputs) -> quota_fairness.FairnessView | None:
    """What the section shows, or None when the list has no individuals to look at."""
    return quota_fairness.view(result, inputs, say.lang)


def show(say: Translator, fv: quota_fairness.FairnessView) -> None:
    ui.section(say("fairness.title"), "balance", say("fairness.caption"))
    st.markdown(fv.summary)
    (st.warning if fv.warning else st.info)(fv.verdict, icon=":material/balance:")
    # one tab per dimension: five columns need the page's width, side by side they would scroll
    for (dimension, _, frame), tab in zip(fv.tables, st.tabs([h for _, h, _ in fv.tables]), strict=True):
        with tab:
            # every column but the group's name is a count or a share: kept even when it is the same on every row
            view = f"quota-fairness-{dimension}"
            ui.show_table(frame, view, numeric=frame.columns[1:], key=view)
