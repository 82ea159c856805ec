"""Hồ sơ đơn vị / Unit profile: one unit's scores, history, tiers, records and lineage, each traced to its file.
The figures: services/profile.py."""

from __future__ import annotations

import streamlit as st

from charts import figures
from dashboard import components as ui
from dashboard import state, views
from dashboard.context import lang, translator
from dashboard.pickers import pick_unit
from dashboard.quality_banner import quality_banner
from dashboard.text import plain
from services import display, profile


def render() -> None:
    language = lang()
    say, legend = translator("profile"), translator("charts.legend")
    opened = ui.open_scored_page(say("title"))
    if opened is None:
        return
    db, b = opened
    code = pick_unit(b, language)
    if code is None:
        return
    unit = b.unit(code)
    if unit is None:  # pick_unit offers only the register's units
        return
    history = views.computed(db, profile.unit_history, code)
    own_years = profile.own_years(history)
    year = state.select(
        "year", own_years, label=translator("state")("year"), default=own_years[-1] if own_years else None
    )
    quality_banner(db, year=year, unit_code=code)
    ui.synthetic_note(db)
    src = display.source_line(b.meta, db.version, language)
    kind = display.kind_name(unit["kind"], language)

    st.subheader(plain(unit["name"]), anchor=False)
    st.caption(plain(profile.facts(unit, language)))
    lineage = profile.lineage(b, code, language)
    if lineage:
        with st.container(border=True):
            st.markdown(f"**:material/account_tree: {say('lineage')}**")
            for line in lineage:
                st.markdown(line)
    if year is None:
        st.info(say("no_own_years"), icon=":material/info:")
        return

    ranks = views.computed(db, profile.kind_ranks, code)
    ui.cards(profile.cards(history, ranks, unit, year, language))
    explained = profile.total_explained(b, code, year, language)
    if explained:
        st.caption(plain(explained))

    # ---- components and criteria against the maximum and the median -------------------------------------
    ui.section(say("components", year=year), "bar_chart")
    comps = views.computed(db, profile.component_profile, code, year)
    if not comps.is_empty():
        frame = figures.Frame(
            say("components_title", unit=unit["name"], year=year), say("components_sub"), src, language
        )
        names = {"max": legend("max"), "points": legend("points"), "median": legend("median", kind=kind)}
        ui.show_chart(
            figures.components(profile.components_chart_rows(comps, language), frame, names),
            f"profile-{code}-{year}-components",
        )
    criteria = views.computed(db, profile.criterion_profile, code, year)
    if not criteria.is_empty():
        st.markdown(f"**{say('criteria')}**")
        ui.show_table(
            profile.criteria_table(criteria, language),
            f"profile-{code}-{year}-criteria",
            caption=say("criteria_caption"),
        )

    # ---- history over the programme ------------------------------------------------------------------------
    ui.section(say("history"), "timeline")
    frame = figures.Frame(say("history_title", unit=unit["name"]), say("history_sub"), src, language)
    medians = views.computed(db, profile.kind_medians, unit["kind"])
    ui.show_chart(
        figures.history(
            history,
            frame,
            display.tier_names(language),
            legend("own"),
            legend("reconstructed"),
            medians,
            legend("median", kind=kind),
        ),
        f"profile-{code}-history",
    )
    ui.show_table(profile.history_table(history, ranks, language), f"profile-{code}-years")

    # ---- registration, task completion and awards ---------------------------------------------------------
    ui.section(say("records"), "workspace_premium")
    records = views.computed(db, profile.records, code)
    if records.is_empty():
        st.caption(say("no_records"))
    else:
        ui.show_table(profile.records_table(records, language), f"profile-{code}-records")


render()
