"""Sơ kết, tổng kết / Reviews: the mid-term review 2021–2025 and the final review 2021–2030."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis.rules import review_periods
from charts import figures
from core import fmt
from dashboard import components as ui
from dashboard import display, state, views
from dashboard.context import lang, txt
from dashboard.quality_banner import quality_banner

CHART_ROWS = 30


def render() -> None:
    language = lang()
    opened = ui.open_scored_page(txt("reviews.title"))
    if opened is None:
        return
    db, b = opened
    periods = review_periods()
    kind_names = {k: display.kind_name(k, language) for k in b.kinds()}
    c1, c2 = st.columns(2)
    period = state.select(
        "period",
        list(periods),
        label=txt("state.period"),
        container=c1,
        format_func=lambda p: txt(f"reviews.period.{p}", start=periods[p][0], end=periods[p][1]),
    )
    kind = state.select("kind", b.kinds(), label=txt("state.kind"), container=c2, format_func=lambda k: kind_names[k])
    start, end = periods[period]
    quality_banner(db, tables=["unit_result", "unit_score"])
    ui.synthetic_note(db)
    st.info(txt("reviews.method", start=start, end=end), icon=":material/rule:")

    summary = views.review(db, kind, period)
    if summary.is_empty():
        st.caption(txt("reviews.no_results", kind=kind_names[kind], start=start, end=end))
        return
    ranked = summary.filter(pl.col("period_rank").is_not_null())
    ended = summary.filter(pl.col("status") == "ended")
    scored_years = sorted(
        b.results.filter((pl.col("kind") == kind) & pl.col("year").is_between(start, end))["year"].unique().to_list()
    )
    if scored_years and scored_years[-1] < end:
        st.warning(txt("reviews.incomplete", last=scored_years[-1], end=end), icon=":material/hourglass:")

    cards = [
        ui.Card(txt("reviews.ranked"), fmt.integer(ranked.height, language)),
        ui.Card(txt("reviews.ended"), fmt.integer(ended.height, language)),
        ui.Card(
            txt("reviews.reconstructed"), fmt.integer(ranked.filter(pl.col("years_reconstructed") > 0).height, language)
        ),
        ui.Card(txt("reviews.years"), fmt.years(scored_years)),
    ]
    ui.cards(cards)
    src = display.source_line(b.meta, db.version, language)
    view = f"reviews-{period}-{kind}"
    if ranked.height:
        ui.section(
            txt("reviews.ranking", kind=kind_names[kind], start=start, end=end),
            "leaderboard",
            txt("reviews.ranking_caption"),
        )
        chart = ranked.head(CHART_ROWS).with_columns(
            pl.struct("period_rank", "name", "unit_code", "years_reconstructed")
            .map_elements(
                lambda s: (
                    f"{s['period_rank']}. {s['name'] or s['unit_code']}" + (" *" if s["years_reconstructed"] else "")
                ),
                return_dtype=pl.String,
            )
            .alias("label"),
            pl.col("period_mean")
            .map_elements(lambda v: display.score(v, language), return_dtype=pl.String)
            .alias("mean_text"),
        )
        ui.show_chart(
            views.figure(
                db,
                view,
                language,
                lambda: figures.review_bars(
                    chart,
                    figures.Frame(
                        txt("reviews.chart_title", kind=kind_names[kind], start=start, end=end),
                        txt("reviews.chart_sub", n=chart.height, of=ranked.height),
                        src,
                        language,
                    ),
                    {"mean": txt("charts.legend.period_mean"), "latest": txt("charts.legend.latest")},
                ),
            ),
            view,
        )
        (table, numeric), _ = views.review_display(db, kind, period, language)
        ui.show_table(table, view, numeric=numeric, caption=txt("reviews.reconstructed_note"))
    if ended.height:
        ui.section(txt("reviews.ended_title", kind=kind_names[kind]), "history", txt("reviews.ended_caption"))
        _, (table, numeric) = views.review_display(db, kind, period, language)
        ui.show_table(table, f"{view}-ended", numeric=numeric)


render()
