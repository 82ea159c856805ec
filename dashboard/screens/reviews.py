"""Sơ kết, tổng kết / Reviews: the mid-term and the final review of the programme (data/rules/reviews.yaml).
The figures: services/reviews.py."""

from __future__ import annotations

import streamlit as st

from charts import figures
from dashboard import components as ui
from dashboard import state, views
from dashboard.context import lang, translator
from dashboard.pickers import pick_history
from dashboard.quality_banner import quality_banner
from services import display, histories, reviews


def render() -> None:
    language = lang()
    say, choose = translator("reviews"), translator("state")
    opened = ui.open_scored_page(say("title"))
    if opened is None:
        return
    db, b = opened
    periods = reviews.periods()
    kind_names = display.kind_names(b.kinds(), language)
    c1, c2 = st.columns(2)
    period = state.select(
        "period",
        list(periods),
        label=choose("period"),
        container=c1,
        format_func=lambda p: say(f"period.{p}", start=periods[p][0], end=periods[p][1]),
    )
    kind = state.select("kind", b.kinds(), label=choose("kind"), container=c2, format_func=lambda k: kind_names[k])
    start, end = periods[period]
    rule = pick_history(db, None, language)
    quality_banner(db, tables=["unit_result", "unit_score"])
    ui.synthetic_note(db)
    st.info(say("method", start=start, end=end), icon=":material/rule:")

    summary = views.review(db, kind, period, rule)
    if summary.is_empty():
        st.caption(say("no_results", kind=kind_names[kind], start=start, end=end))
        return
    scored_years = views.computed(db, reviews.scored_years, kind, start, end)
    last = reviews.last_scored_if_open(scored_years, end)
    if last is not None:
        st.warning(say("incomplete", last=last, end=end), icon=":material/hourglass:")
    ui.cards(reviews.cards(summary, scored_years, language))

    src = display.source_line(b.meta, db.version, language)
    view = f"reviews-{period}-{kind}"
    ranked_table, ended_table = views.review_tables(db, kind, period, language, rule)
    if not ranked_table.empty:
        ui.section(say("ranking", kind=kind_names[kind], start=start, end=end), "leaderboard", say("ranking_caption"))
        chart = reviews.chart_rows(summary, language)
        frame = figures.Frame(
            say("chart_title", kind=kind_names[kind], start=start, end=end),
            say("chart_sub", n=chart.height, of=ranked_table.frame.height),
            src,
            language,
            reviews.bars_note(chart, rule, language),
        )
        names = {"mean": translator("charts.legend")("period_mean"), "latest": translator("charts.legend")("latest")}
        bars = views.figure(db, f"{view}-{rule}", language, lambda: figures.review_bars(chart, frame, names))
        ui.show_chart(bars, view)
        ui.show_table(ranked_table, view, caption=say("reconstructed_note"))
        lines = views.computed(db, reviews.histories, kind, start, end, rule)
        frame = figures.Frame(
            say("history_title", kind=kind_names[kind], n=lines["label"].n_unique(), start=start, end=end),
            say("history_sub"),
            src,
            language,
            views.computed(db, reviews.history_note, kind, start, end, rule, language),
        )
        name = histories.legend(rule, language)
        ui.show_chart(figures.histories(lines, frame, name), f"{view}-history-{rule}")
    if not ended_table.empty:
        ui.section(say("ended_title", kind=kind_names[kind]), "history", say("ended_caption"))
        ui.show_table(ended_table, f"{view}-ended")


render()
