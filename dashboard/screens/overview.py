"""Tổng quan / Overview: the headline figures of a year, in one glance. The figures: services/overview.py."""

from __future__ import annotations

import streamlit as st

from charts import figures
from dashboard import components as ui
from dashboard import glance, state, views
from dashboard.context import lang, translator
from services import display, overview


def render() -> None:
    language = lang()
    say, choose = translator("overview"), translator("state")
    db = ui.open_page(say("title"))
    if db is None:
        return
    b = views.base(db)
    year_col, warn_col = st.columns([1, 3], vertical_alignment="bottom")
    year = state.select(
        "year", overview.years(b), label=choose("year"), default=overview.default_year(b), container=year_col
    )
    # One count of the province's own open warnings, here and in the section below (never the generic banner,
    # which also counts the national figures' known gaps, said on the national cards instead).
    own = overview.own_findings(views.open_findings(db), year)
    with warn_col:
        glance.warnings_line(own.height, language)
    ui.synthetic_note(db)
    src = display.source_line(b.meta, db.version, language)

    # ---- the one glance: the province's kinds, then the national picture --------------------------------
    lines = [g for k in overview.mover_kinds(b, year) if (g := views.kind_glance(db, k, year, language))]
    glance.kinds(lines, year, language)
    official = views.computed(db, overview.official, year, language)
    ui.cards(official.cards)

    # ---- the official PAR INDEX --------------------------------------------------------------------------
    ui.section(say("official", year=year), "public", say("official_caption"))
    if not official.home:
        st.info(say("no_home_province"), icon=":material/info:")
    if official.trend_source:
        frame = figures.Frame(say("official_trend_title"), say("official_trend_sub"), official.trend_source, language)
        fig = views.figure(
            db,
            f"overview-official-trend-{year}",
            language,
            lambda: figures.official_trend(official.trend, frame, say("partial_short")),
        )
        ui.show_chart(fig, "overview-official-trend")

    # ---- internal units ----------------------------------------------------------------------------------
    if not b.scored:
        return
    ui.section(say("internal", year=year), "account_balance", say("internal_caption"))
    kind_names = display.kind_names(b.kinds(), language)
    # Two charts in tabs that run only when open: the first view draws one chart here, not two (Plotly's
    # drawing is most of the time before a page is usable). The tiers tab comes first: its label carries the
    # year, so a year change never moves the reader off the tab they chose.
    tiers_tab, averages_tab = st.tabs(
        [say("tiers_title", year=year), say("avg_title")], key="overview-internal", on_change="rerun"
    )
    if tiers_tab.open is not False:
        with tiers_tab:
            counts = views.computed(db, overview.tier_counts, year, language)
            if counts.is_empty():
                st.caption(say("no_internal_year", year=year))
            else:
                frame = figures.Frame(say("tiers_title", year=year), say("tiers_sub"), src, language)
                fig = views.figure(
                    db,
                    f"overview-tiers-{year}",
                    language,
                    lambda: figures.tier_distribution(counts, frame, display.tier_names(language)),
                )
                ui.show_chart(fig, f"overview-tiers-{year}")
    if averages_tab.open is not False:
        with averages_tab:
            frame = figures.Frame(say("avg_title"), say("avg_sub"), src, language)
            fig = views.figure(
                db,
                "overview-kind-averages",
                language,
                lambda: figures.kind_lines(views.computed(db, overview.kind_lines), frame, kind_names),
            )
            ui.show_chart(fig, "overview-kind-averages")

    # ---- risers and fallers ------------------------------------------------------------------------------
    kinds = overview.mover_kinds(b, year)
    if kinds:
        ui.section(say("movers", year=year), "swap_vert")
        kind = state.select("kind", kinds, label=choose("kind"), format_func=lambda k: kind_names.get(k, k), radio=True)
        movers = overview.movers(views.ranking(db, kind, year), language)
        if movers.is_empty():
            st.caption(say("no_movers", year=year, previous=year - 1))
        else:
            frame = figures.Frame(
                say("movers_title", kind=kind_names[kind], year=year),
                say("movers_sub", previous=year - 1),
                src,
                language,
            )
            fig = views.figure(db, f"overview-movers-{kind}-{year}", language, lambda: figures.movers(movers, frame))
            ui.show_chart(fig, f"overview-movers-{kind}-{year}")

    # ---- open data-quality warnings about the province's own data ---------------------------------------
    ui.section(say("quality", year=year), "report")
    if own.is_empty():
        st.caption(say("no_findings"))
    else:
        ui.show_table(
            overview.findings_table(overview.own_findings_by_unit(b, own), language), f"overview-quality-{year}"
        )


render()
