"""Xếp hạng / Rankings: per year and kind, by total or by a component area; the official index as published.
The figures: services/rankings.py."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from charts import figures
from core import fmt
from dashboard import components as ui
from dashboard import state, views
from dashboard.context import lang, translator
from dashboard.quality_banner import quality_banner
from dashboard.text import plain
from services import display, rankings
from services.published import Published
from services.rankings import ALL, TOTAL


def render() -> None:
    language = lang()
    say, choose = translator("rankings"), translator("state")
    db = ui.open_page(say("title"))
    if db is None:
        return
    b = views.base(db)
    kinds = rankings.kinds(b)
    names = display.kind_names(kinds, language)
    c1, c2, c3 = st.columns([2, 1, 2])
    kind = state.select("kind", kinds, label=choose("kind"), format_func=lambda k: names.get(k, k), container=c1)
    if rankings.is_official(kind):
        official(db, kind, language, c2)
        return
    years = b.years(kind)
    year = state.select("year", years, label=choose("year"), default=years[-1], container=c2)
    comps = rankings.component_options(b, kind, year)
    measure = state.select(
        "comp",
        [TOTAL, *comps],
        label=choose("component"),
        container=c3,
        format_func=lambda c: rankings.measure_name(c, comps, language),
    )
    quality_banner(db, tables=["unit_result", "unit_score"], year=year)
    ui.synthetic_note(db)

    ranked = views.ranking(db, kind, year, measure)
    f1, f2, f3 = st.columns([2, 2, 1])
    tier_names = display.tier_names(language)
    tier = state.select(
        "tier",
        [ALL, *rankings.tiers_present(ranked)],
        label=say("filter_tier"),
        container=f1,
        format_func=lambda t: say("all") if t == ALL else tier_names[t],
    )
    parents = rankings.parents(ranked)
    parent = ALL
    if len(parents) > 1:
        parent = state.select(
            "parent",
            [ALL, *parents],
            label=say("filter_parent"),
            container=f2,
            format_func=lambda p: say("all") if p == ALL else parents.get(p, p),
        )
    top = state.select("top", list(rankings.TOP_CHOICES), label=say("top"), default=rankings.DEFAULT_TOP, container=f3)

    keep = rankings.mask(ranked, tier, parent)
    shown = ranked.filter(keep)
    what = rankings.measure_name(measure, comps, language)
    st.caption(
        say(
            "summary",
            ranked=fmt.integer(rankings.ranked_count(ranked), language),
            shown=fmt.integer(shown.height, language),
            kind=names[kind],
            year=year,
            what=plain(what),
        )
    )
    view = f"rankings-{kind}-{year}-{measure}"
    if shown.height:
        chart = rankings.chart_rows(shown, top, language, with_parent=parent == ALL, total=measure == TOTAL)
        frame = figures.Frame(
            say("chart_title", kind=names[kind], year=year),
            say(
                "chart_sub",
                what=plain(what),
                year=year,
                top=fmt.integer(min(top, shown.height), language),
                of=fmt.integer(shown.height, language),
            ),
            display.source_line(b.meta, db.version, language),
            language,
        )
        most = rankings.max_points(b, kind, year, measure)
        fig = views.figure(
            db, f"{view}-{tier}-{parent}-{top}", language, lambda: figures.ranking_bars(chart, frame, tier_names, most)
        )
        ui.show_chart(fig, view)
    table = views.ranking_table(db, kind, year, measure, language)
    ui.show_table(
        table.frame.filter(keep), view, numeric=table.numeric, caption=say("table_caption", previous=year - 1)
    )


def official(db: Published, level: str, language: str, container: DeltaGenerator) -> None:
    """The official index of a level (provinces, ministries) as published, never recomputed."""
    say = translator("rankings")
    b = views.base(db)
    years = rankings.official_years(b, level)
    year = state.select("year", years, label=translator("state")("year"), default=years[-1], container=container)
    quality_banner(db, tables=["official_result"], year=year)
    table, cov = views.official_ranking(db, year, level)
    units, expected = fmt.integer(cov.units, language), fmt.integer(cov.expected, language)
    if cov.partial:
        st.warning(say("official_partial", units=units, expected=expected, year=year), icon=":material/info:")
    st.caption(say("official_caption"))
    view = f"rankings-official-{level}-{year}"
    chart = rankings.official_chart_rows(table, language)
    if chart.height:
        frame = figures.Frame(
            say("official_title", year=year, level=display.kind_name(level, language)),
            say("official_sub", units=units, expected=expected),
            display.official_source(year, language),
            language,
        )
        ui.show_chart(figures.ranking_bars(chart, frame, {}, rankings.OFFICIAL_MAX), view)
    ui.show_table(rankings.official_table(table, language), view)


render()
