"""Xếp hạng / Rankings: per year and kind, by total or by a component area; the official index as published."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import figures
from core import fmt
from dashboard import components as ui
from dashboard import display, state, views
from dashboard.context import lang, txt
from dashboard.quality_banner import quality_banner

ALL = "all"
TOP_CHOICES = (10, 20, 30, 50, 100)


def render() -> None:
    language = lang()
    db = ui.open_page(txt("rankings.title"))
    if db is None:
        return
    b = views.base(db)
    levels = [lv for lv in views.OFFICIAL_LEVELS if lv in set(b.official["level"].to_list())]
    kinds = b.kinds() + levels
    names = {k: display.kind_name(k, language) for k in kinds}
    c1, c2, c3 = st.columns([2, 1, 2])
    kind = state.select("kind", kinds, label=txt("state.kind"), format_func=lambda k: names.get(k, k), container=c1)
    if kind in views.OFFICIAL_LEVELS:
        official(db, kind, language, c2)
        return
    years = b.years(kind)
    year = state.select("year", years, label=txt("state.year"), default=years[-1], container=c2)
    comps = dict(views.component_options(b, kind, year))
    measure = state.select(
        "comp",
        [views.TOTAL, *comps],
        label=txt("state.component"),
        container=c3,
        format_func=lambda c: txt("rankings.total") if c == views.TOTAL else f"{c}. {comps[c]}",
    )
    quality_banner(db, tables=["unit_result", "unit_score"], year=year)
    ui.synthetic_note(db)

    ranked = views.ranking(db, kind, year, measure)
    f1, f2, f3 = st.columns([2, 2, 1])
    tiers = [t for t in display.TIERS if t in set(ranked["tier"].drop_nulls().to_list())]
    tier_names = display.tier_names(language)
    tier = state.select(
        "tier",
        [ALL, *tiers],
        label=txt("rankings.filter_tier"),
        container=f1,
        format_func=lambda t: txt("rankings.all") if t == ALL else tier_names[t],
    )
    parent_names = dict(ranked.select("parent_code", "parent_name").unique().drop_nulls().iter_rows())
    parent = ALL
    if len(parent_names) > 1:
        parent = state.select(
            "parent",
            [ALL, *sorted(parent_names, key=lambda p: parent_names[p])],
            label=txt("rankings.filter_parent"),
            container=f2,
            format_func=lambda p: txt("rankings.all") if p == ALL else parent_names.get(p, p),
        )
    top = state.select("top", list(TOP_CHOICES), label=txt("rankings.top"), default=30, container=f3)

    mask = pl.repeat(True, ranked.height, eager=True)
    if tier != ALL:
        mask = mask & (ranked["tier"] == tier).fill_null(False)
    if parent != ALL:
        mask = mask & (ranked["parent_code"] == parent).fill_null(False)
    shown = ranked.filter(mask)

    is_total = measure == views.TOTAL
    what = txt("rankings.total") if is_total else f"{measure}. {comps[measure]}"
    st.caption(
        txt(
            "rankings.summary",
            ranked=fmt.integer(ranked.height, language),
            shown=fmt.integer(shown.height, language),
            kind=names[kind],
            year=year,
            what=what,
        )
    )
    view = f"rankings-{kind}-{year}-{measure}"
    if shown.height:
        chart = shown.head(top).with_columns(
            pl.struct("name", "parent_name", "unit_code", "rank")
            .map_elements(
                lambda s: (
                    f"{s['rank']}. "
                    + display.unit_label(s["name"], s["parent_name"] if parent == ALL else None, s["unit_code"])
                ),
                return_dtype=pl.String,
            )
            .alias("label"),
            pl.col("score")
            .map_elements(lambda v: display.score(v, language), return_dtype=pl.String)
            .alias("score_text"),
        )
        if not is_total:
            chart = chart.with_columns(pl.lit(None, pl.String).alias("tier"))
        max_points = (
            None
            if is_total
            else float(
                b.components.filter(
                    (pl.col("unit_kind") == kind) & (pl.col("year") == year) & (pl.col("component_code") == measure)
                )["max_points"].max()
                or 0
            )
            or None
        )
        subtitle = txt(
            "rankings.chart_sub",
            what=what,
            year=year,
            top=fmt.integer(min(top, shown.height), language),
            of=fmt.integer(shown.height, language),
        )
        fig = views.figure(
            db,
            f"{view}-{tier}-{parent}-{top}",
            language,
            lambda: figures.ranking_bars(
                chart,
                figures.Frame(
                    txt("rankings.chart_title", kind=names[kind], year=year),
                    subtitle,
                    display.source_line(b.meta, db.version, language),
                    language,
                ),
                tier_names,
                max_points,
            ),
        )
        ui.show_chart(fig, view)
    table, numeric = views.ranking_display(db, kind, year, measure, language)
    ui.show_table(table.filter(mask), view, numeric=numeric, caption=txt("rankings.table_caption", previous=year - 1))


def official(db, level: str, language: str, container) -> None:
    b = views.base(db)
    years = sorted(b.official.filter(pl.col("level") == level)["year"].unique().to_list())
    year = state.select("year", years, label=txt("state.year"), default=years[-1], container=container)
    quality_banner(db, tables=["official_result"], year=year)
    table, cov = views.official_ranking(db, year, level)
    if cov.partial:
        st.warning(
            txt(
                "rankings.official_partial",
                units=fmt.integer(cov.units, language),
                expected=fmt.integer(cov.expected, language),
                year=year,
            ),
            icon=":material/info:",
        )
    st.caption(txt("rankings.official_caption"))
    ranked = table.filter(pl.col("score").is_not_null() & pl.col("rank").is_not_null())
    view = f"rankings-official-{level}-{year}"
    if ranked.height:
        chart = ranked.with_columns(
            (pl.col("rank").cast(pl.String) + ". " + pl.col("published_name")).alias("label"),
            pl.col("score")
            .map_elements(lambda v: display.score(v, language), return_dtype=pl.String)
            .alias("score_text"),
            pl.lit(None, pl.String).alias("tier"),
        )
        fig = figures.ranking_bars(
            chart,
            figures.Frame(
                txt("rankings.official_title", year=year, level=display.kind_name(level, language)),
                txt(
                    "rankings.official_sub",
                    units=fmt.integer(cov.units, language),
                    expected=fmt.integer(cov.expected, language),
                ),
                display.official_source(year, language),
                language,
            ),
            {},
            100,
        )
        ui.show_chart(fig, view)
    frame, numeric = display.official_table(table, language)
    ui.show_table(frame, view, numeric=numeric)


render()
