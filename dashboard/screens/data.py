"""Dữ liệu và nguồn / Data: what the published database holds, and where it came from.
The figures: services/data_status.py."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core import fmt
from dashboard import components as ui
from dashboard import views
from dashboard.context import READ_ERRORS, db_path, lang, published, translator
from dashboard.text import plain
from services import data_status


def render() -> None:
    language = lang()
    say = translator("dashboard.home")
    ui.page_title(say("title"))
    db = published()
    if db is None:
        ui.no_data(db_path())
        return
    try:
        ov = views.data_status_of(db, date.today())
    except READ_ERRORS as exc:
        ui.read_error(db_path(), exc)
        return
    if ov.is_empty:
        ui.no_data(db_path())
        return

    if ov.synthetic:
        st.warning(say("synthetic_banner"), icon=":material/science:")
    st.markdown(say("dataset", name=plain(ov.dataset_name)) if ov.dataset_name else say("dataset_unnamed"))
    st.caption(say("intro"))
    ui.cards(data_status.headline(ov, language))

    ui.section(say("units"), "account_balance", say("units_caption", day=fmt.day(ov.as_of, language)))
    kinds = data_status.unit_cards(ov, language)
    ui.cards(kinds, per_row=max(4, min(5, len(kinds))))  # five kinds fit one row on a laptop screen

    ui.section(say("score_years"), "calendar_month", say("score_years_caption"))
    ui.table(data_status.score_years_table(ov, language), key="score_years")

    ui.section(say("frameworks"), "checklist", say("frameworks_caption"))
    ui.table(data_status.frameworks_table(ov, language), key="frameworks")

    ui.section(say("tier_sets"), "military_tech", say("tier_sets_caption"))
    ui.table(data_status.tier_sets_table(ov, language), key="tier_sets")

    ui.section(say("official"), "public")
    st.info(say("official_note"), icon=":material/info:")
    ui.table(data_status.official_table(ov, language), key="official")

    ui.section(say("history"), "history")
    st.markdown(f"**{say('loads')}**")
    ui.table(data_status.loads_table(ov, language), key="loads", static=False)
    st.markdown(f"**{say('sources')}**")
    st.caption(say("sources_caption"))
    ui.table(data_status.sources_table(ov, language), key="sources", static=False)

    st.caption(say("version_footer", version=ov.version))


render()
