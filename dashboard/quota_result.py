"""A simulation as the Quota simulation page shows it: per rule its statement and basis, per group who is proposed,
who is left out and who was excluded by which filter; and the proposal annex to download.

Widgets only: every word comes from analysis.quota.explain, the annex from exports.award_annex. Group, rule and
unit names, notes and explanations come from a scenario someone wrote: each goes through plain().
"""

from __future__ import annotations

import streamlit as st

from analysis import quota
from analysis.quota import explain
from analysis.quota.model import pick
from core.i18n import Translator
from dashboard import components as ui
from dashboard.text import plain
from exports import award_annex
from exports.filenames import slug
from services import council as council_service
from services import quota_fairness
from store.queries import Published

# The annex's file name starts with this (đề nghị khen thưởng) whatever the reader's language: officers file it.
ANNEX_STEM = "de-nghi-khen-thuong"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def show_group(say: Translator, g: quota.GroupResult, key: str) -> None:
    language = say.lang
    st.markdown(
        f"**{plain(pick(g.group.name, language))}** — "
        + plain(explain.quota_text(g.group, language, g.quota, g.rule.recipient))
    )
    base, *not_counted = explain.base_lines(g, language)
    st.markdown(f":material/groups: {plain(base)}")
    for line in not_counted:
        st.caption(plain(line))
    for n in g.notices:
        (st.warning if n.level == "warning" else st.info)(plain(explain.notice(n, language)), icon=":material/info:")
    if g.eligible:
        st.caption(say("page.awarded"))
        ui.show_table(explain.awarded_table(g, language), f"quota-{key}-awarded", key=f"{key}-awarded")
        if g.left_out.height:
            st.caption(say("page.left_out"))
            ui.show_table(explain.left_out_table(g, language), f"quota-{key}-left-out", key=f"{key}-left")
    if g.excluded.height:
        counts = explain.excluded_by_filter(g)
        with st.expander(say("page.excluded", count=g.excluded["id"].n_unique())):
            st.caption(
                say(
                    "page.excluded_counts",
                    items=plain("; ".join(f"{explain.filter_name(f, language)}: {n}" for f, n in counts.items())),
                )
            )
            ui.show_table(explain.excluded_table(g, language), f"quota-{key}-excluded", key=f"{key}-excluded")


def show_result(say: Translator, result: quota.SimulationResult) -> None:
    language = say.lang
    sc = result.scenario
    for n in result.notices:
        st.warning(plain(explain.notice(n, language)), icon=":material/warning:")
    if sc.notes:
        with st.expander(say("page.notes")):
            for text in explain.notes(sc, language):
                st.markdown(f"- {plain(text)}")
    for i, rr in enumerate(result.rules):
        ui.section(plain(pick(rr.rule.name, language)), "military_tech", plain(explain.citation(sc, rr.rule, language)))
        with st.expander(say("page.rule_text")):
            st.markdown("\n".join(f"- {plain(line)}" for line in explain.statement(sc, rr.rule, language, rr.groups)))
        for n in rr.notices:
            st.warning(plain(explain.notice(n, language)), icon=":material/person_alert:")
        for j, g in enumerate(rr.groups):
            show_group(say, g, f"r{i}g{j}")


def downloads(
    say: Translator, result: quota.SimulationResult, db: Published, label: str, inputs: quota.Inputs | None = None
) -> None:
    """The proposal annex (.xlsx, headed and signed as the document settings say) and its rows as CSV, named
    after the scenario and the year or period; with inputs, the annex also says who the individuals' awards go
    to."""
    name = f"{ANNEX_STEM}_{slug(label or result.scenario.id)}_{result.scope.key}"
    c1, c2 = st.columns(2)
    c1.download_button(
        say("page.download_xlsx"),
        award_annex.to_xlsx(
            result,
            say.lang,
            db.version,
            fairness=quota_fairness.lines(result, inputs, say.lang) if inputs else (),
            settings=council_service.settings(db.db),
        ),
        file_name=f"{name}.xlsx",
        icon=":material/download:",
        key="dl_xlsx",
        mime=_XLSX,
    )
    c2.download_button(
        say("page.download_csv"),
        award_annex.to_csv(result, say.lang),
        file_name=f"{name}.csv",
        icon=":material/download:",
        key="dl_csv",
        mime="text/csv",
    )
