"""Chỉ số quốc gia / National indices: the home province (or any picked) on PAR INDEX, SIPAS, PAPI, PCI and DTI,
score and rank over the years, rank per component, the components that moved, national, regional and peer
averages, every province's table, and the province's own results against the national index. The figures:
services/national.py and services/national_view.py; the choices live in the address (dashboard/state.py)."""

from __future__ import annotations

import streamlit as st

from charts import figures
from dashboard import components as ui
from dashboard import state, views
from dashboard.context import lang, translator
from services import national
from services import national_view as view
from services.published import Base


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
    index_code = state.select(
        "index",
        available,
        label=say("index"),
        format_func=lambda c: national.index_name(c, language),
        container=pick[0],
    )
    years = national.years_of(b, index_code)[::-1]
    year = state.select(
        "year",
        years,
        label=say("year"),
        default=national.default_year(b, index_code),
        container=pick[1],
        share_default=False,
    )
    options = national.province_options(b, index_code, year)
    if not options:
        st.info(say("none"), icon=":material/info:")
        return
    names = view.year_names(b, year)
    unit = state.select(
        "prov", options, label=say("province"), format_func=lambda c: names.get(c, c), container=pick[2]
    )
    peers = state.multi(
        "peers",
        [c for c in options if c != unit],
        label=say("peers"),
        format_func=lambda c: names.get(c, c),
        placeholder=say("peers_placeholder"),
    )

    ui.cards(national.headline_cards(b, index_code, year, unit, language))
    note = national.break_note(b, index_code, unit, language)
    if note:
        st.caption(note)

    chart = view.standing_chart(b, index_code, unit, language)
    if chart is not None:
        series, title, subtitle, source = chart
        frame = figures.Frame(title, subtitle, source, language)
        fig = views.figure(
            db,
            f"indices-standing-{index_code}-{unit}",
            language,
            lambda: figures.national_standing(series, frame, view.chart_names(language)),
        )
        ui.show_chart(fig, f"indices-standing-{index_code}-{unit}")

    ui.section(say("components", year=year), "format_list_numbered", say("components_caption"))
    ui.show_table(
        national.component_table(b, index_code, year, unit, language, peers), f"indices-{index_code}-{year}-{unit}"
    )
    moved = national.movers_table(b, index_code, unit, year, language)
    if not moved.empty:  # only when both years have results by component
        ui.section(say("movers", previous=year - 1), "swap_vert")
        ui.show_table(moved, f"indices-movers-{index_code}-{year}")
    ui.section(say("all", year=year), "table_chart")
    ui.show_table(national.provinces_table(b, index_code, year, language, names), f"indices-all-{index_code}-{year}")

    # The province's own units beside its national areas; a database without a register province (the demo)
    # sets them beside the picked province, and says so.
    home = b.home_province()
    if index_code == "par_index" and b.scored and unit == (home or unit):
        _own_results(b, year, unit, language, None if home else names.get(unit, unit))


def _own_results(b: Base, year: int, unit: str, language: str, stand_in: str | None) -> None:
    """The province's own departments and communes against the national areas, and self against appraised."""
    say = translator("indices")
    ui.section(say("internal", year=year), "compare_arrows", say("internal_caption"))
    if stand_in:
        st.caption(say("internal_stand_in", province=stand_in))
    inside = view.internal_table(b, year, unit, language)
    if inside.frame.is_empty():
        st.caption(say("internal_none", year=year))
    else:
        gaps = view.gap_lines(b, year, unit, language)
        for line in gaps:
            st.warning(line, icon=":material/warning:")
        if not gaps:
            st.caption(say("gap_none"))
        ui.show_table(inside, f"indices-internal-{year}")
    ui.section(say("self", year=year), "rule", say("self_caption"))
    ui.show_table(view.self_table(b, year, language), f"indices-self-{year}")


render()
