"""Tiến bộ 2021–2030 / Progress: trends, a unit × year heatmap, improvement on the programme's first year, targets
and a projection. The figures: services/progress.py."""

from __future__ import annotations

import streamlit as st

from charts import figures
from dashboard import components as ui
from dashboard import state, views
from dashboard.context import lang, translator
from dashboard.pickers import pick_history, pick_unit
from dashboard.quality_banner import quality_banner
from dashboard.text import plain
from services import display, histories, profile, progress


def render() -> None:
    language = lang()
    say = translator("progress")
    opened = ui.open_scored_page(say("title"))
    if opened is None:
        return
    db, b = opened
    quality_banner(db, tables=["unit_result", "unit_score"])
    ui.synthetic_note(db)
    src = display.source_line(b.meta, db.version, language)
    kind_names = display.kind_names(b.kinds(), language)

    rule = pick_history(db, None, language)
    rebuilt_name = histories.legend(rule, language)

    # ---- trends per kind --------------------------------------------------------------------------------
    ui.section(say("trends"), "show_chart", say("trends_caption"))
    medians = views.computed(db, histories.median_lines, rule)
    frame = figures.Frame(
        say("median_title"), say("median_sub"), src, language, histories.median_note(b, medians, rule, language)
    )
    ui.show_chart(
        views.figure(
            db,
            f"progress-kind-medians-{rule}",
            language,
            lambda: figures.kind_lines(medians, frame, kind_names, rebuilt_name=rebuilt_name),
        ),
        "progress-kind-medians",
    )
    official = views.computed(db, histories.official_chart, rule, language)
    if official is not None:
        frame = figures.Frame(official.title, official.subtitle, official.source, language, official.note)
        y_title = translator("charts")("axis.percent")
        ui.show_chart(figures.histories(official.frame, frame, rebuilt_name, y_title), f"progress-official-{rule}")

    # ---- one kind: improvement on the baseline year, heatmap ---------------------------------------------
    code = pick_unit(b, language)
    kind = state.get("kind", options=b.kinds()) or b.kinds()[0]
    latest = b.years(kind)[-1]
    ui.section(
        say("improvement", kind=kind_names[kind], year=latest, base=progress.baseline_year()),
        "trending_up",
        say("improvement_caption"),
    )
    ui.show_table(views.improvement_table(db, kind, latest, language, rule), f"progress-improvement-{kind}-{latest}")
    heat = progress.heatmap(b, kind, views.improvement(db, kind, latest, rule), state.get("parent"), rule=rule)
    frame = figures.Frame(
        say("heatmap_title", kind=kind_names[kind]),
        say("heatmap_sub", n=len(heat.names), of=heat.of, year=latest),
        src,
        language,
    )
    ui.show_chart(figures.heatmap(heat.matrix, heat.names, frame), f"progress-heatmap-{kind}")

    # ---- one unit: projection, targets, components holding it back ---------------------------------------
    if code is None:
        return
    unit = b.unit(code)
    if unit is None:  # pick_unit offers only the register's units
        return
    ui.section(say("unit", unit=plain(unit["name"])), "flag")
    history = views.computed(db, profile.unit_history, code, rule)
    proj = progress.unit_projection(b, code, history)
    ended = proj.reason == "ended"  # forecasts and targets only for units that still exist
    targets = {} if ended else {year: (t.score, t.rank) for year, t in state.targets().items()}
    if not ended:
        target_editor(bool(targets))
    names = {k: translator("charts.legend")(k) for k in ("band", "projection", "score", "target")}
    names["reconstructed"] = rebuilt_name
    note = histories.chart_note(history, rule, histories.has_predecessors(b, [code]), language)
    frame = figures.Frame(say("projection_title", unit=unit["name"]), say("projection_sub"), src, language, note)
    ui.show_chart(
        figures.projection(history, proj, progress.target_points(targets), frame, names), f"progress-{code}-projection"
    )
    if proj.made:
        st.caption(progress.projection_note(proj, language))
    elif ended:
        st.info(plain(progress.ended_note(b, code, language)), icon=":material/call_merge:")
    else:
        st.info(progress.projection_note(proj, language), icon=":material/info:")

    if targets:
        ranks = views.computed(db, profile.kind_ranks, code)
        ui.show_table(progress.targets_table(targets, history, ranks, proj, language), f"progress-{code}-targets")

    year = progress.latest_own_year(history)
    comps = views.computed(db, profile.component_profile, code, year) if year is not None else None
    if comps is not None and not comps.is_empty():
        st.markdown(f"**{say('holding_back', year=year)}**")
        ui.show_table(progress.holding_back_table(comps, language), f"progress-{code}-{year}-components")


def target_editor(expanded: bool) -> None:
    """Add or remove a target score or rank for a year; the targets live in the URL (?targets=2030s95r3)."""
    say = translator("progress")
    with st.expander(say("targets"), icon=":material/flag:", expanded=expanded):
        with st.form("targets_form", border=False):
            c1, c2, c3 = st.columns(3)
            years = progress.target_years()
            year = c1.selectbox(translator("state")("year"), years, index=len(years) - 1)
            score = c2.number_input(say("target_score"), 0.0, 100.0, value=None, step=0.5, format="%.2f")
            rank = c3.number_input(say("target_rank"), 1, 100000, value=None, step=1)
            added = st.form_submit_button(say("target_add"), icon=":material/add:")
            if added and (score is not None or rank is not None):
                target = state.Target(score, int(rank) if rank is not None else None)
                state.set_targets({**state.targets(), year: target})
                st.rerun()
        if expanded and st.button(say("target_clear"), icon=":material/delete:", key="targets_clear"):
            state.set_targets({})
            st.rerun()


render()
