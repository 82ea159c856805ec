"""Chỉ số quốc gia / National indices: the home province (or any picked) on PAR INDEX, SIPAS, PAPI, PCI and DTI,
score and rank over the years, rank per component, the components that moved, national, regional and peer
averages, and every province's table. The figures: services/national.py."""

from __future__ import annotations

import streamlit as st

from dashboard import components as ui
from dashboard import views
from dashboard.context import lang, translator
from services import national


def render() -> None:
    language = lang()
    say = translator("indices")
    db = ui.open_page(say("title"))
    if db is None:
        return
    b = views.base(db)
    st.caption(say("caption"))
    available = national.indices_available(b)
    if not available:
        st.info(say("none"), icon=":material/info:")
        return

    pick = st.columns(3)
    index_code = pick[0].selectbox(
        say("index"), available, format_func=lambda c: national.index_name(c, language), key="nat_index"
    )
    years = national.years_of(b, index_code)[::-1]
    start = years.index(national.default_year(b, index_code) or years[0])
    year = pick[1].selectbox(say("year"), years, index=start, key="nat_year")
    options = national.province_options(b, index_code, year)
    names = dict(b.units.select("unit_code", "name").iter_rows())
    if not options:
        st.info(say("none"), icon=":material/info:")
        return
    unit = pick[2].selectbox(say("province"), options, format_func=lambda c: names.get(c, c), key="nat_unit")
    peers = st.multiselect(
        say("peers"),
        [c for c in options if c != unit],
        format_func=lambda c: names.get(c, c),
        placeholder=say("peers_placeholder"),
        key="nat_peers",
    )

    ui.cards(national.headline_cards(b, index_code, year, unit, language))
    note = national.break_note(b, index_code, unit, language)
    if note:
        st.caption(note)

    ui.section(say("components", year=year), "format_list_numbered", say("components_caption"))
    ui.show_table(
        national.component_table(b, index_code, year, unit, language, peers), f"indices-{index_code}-{year}-{unit}"
    )
    moved = national.movers_table(b, index_code, unit, year, language)
    if not moved.empty:  # only when both years have results by component
        ui.section(say("movers", previous=year - 1), "swap_vert")
        ui.show_table(moved, f"indices-movers-{index_code}-{year}")
    ui.section(say("all", year=year), "table_chart")
    ui.show_table(national.provinces_table(b, index_code, year, language), f"indices-all-{index_code}-{year}")


render()
