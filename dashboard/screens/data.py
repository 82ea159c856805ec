"""Tổng quan dữ liệu / Loaded data: what the published database holds, and where it came from."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core import fmt
from dashboard import components as ui
from dashboard import overview
from dashboard.context import READ_ERRORS, db_path, home_overview, lang, published, tr


def render() -> None:
    language = lang()
    ui.page_title(tr("home.title"))
    db = published()
    if db is None:
        ui.no_data(db_path())
        return
    try:
        ov = home_overview(db, date.today())
    except READ_ERRORS as exc:
        ui.read_error(db_path(), exc)
        return
    if ov.is_empty:
        ui.no_data(db_path())
        return

    if ov.synthetic:
        st.warning(tr("home.synthetic_banner"), icon=":material/science:")
    st.markdown(tr("home.dataset", name=ov.dataset_name) if ov.dataset_name else tr("home.dataset_unnamed"))
    st.caption(tr("home.intro"))
    ui.cards(overview.headline(ov, language))

    ui.section(tr("home.units"), "account_balance", tr("home.units_caption", day=fmt.day(ov.as_of, language)))
    kinds = overview.unit_cards(ov, language)
    ui.cards(kinds, per_row=max(4, min(5, len(kinds))))  # five kinds fit one row on a laptop screen

    ui.section(tr("home.score_years"), "calendar_month", tr("home.score_years_caption"))
    ui.table(overview.score_years_table(ov, language), key="score_years")

    ui.section(tr("home.frameworks"), "checklist", tr("home.frameworks_caption"))
    ui.table(overview.frameworks_table(ov, language), key="frameworks")

    ui.section(tr("home.tier_sets"), "military_tech", tr("home.tier_sets_caption"))
    ui.table(overview.tier_sets_table(ov, language), key="tier_sets")

    ui.section(tr("home.official"), "public")
    st.info(tr("home.official_note"), icon=":material/info:")
    ui.table(overview.official_table(ov, language), key="official")

    ui.section(tr("home.history"), "history")
    st.markdown(f"**{tr('home.loads')}**")
    ui.table(overview.loads_table(ov, language), key="loads", static=False)
    st.markdown(f"**{tr('home.sources')}**")
    st.caption(tr("home.sources_caption"))
    ui.table(overview.sources_table(ov, language), key="sources", static=False)

    st.caption(tr("home.version_footer", version=ov.version, file=ov.file.name if ov.file else "–"))


render()
