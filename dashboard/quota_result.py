"""A simulation as the Quota simulation page shows it: per rule its statement and basis, per group who is proposed,
who is left out and who was excluded by which filter; and the proposal annex to download.

Widgets only: every word comes from analysis.quota.explain, the annex from exports.award_annex. Group, rule and
unit names, notes and explanations come from a scenario someone wrote: each goes through plain().
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

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
from services import quota as quota_service
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


def show_list(say: Translator, result: quota.SimulationResult) -> None:
    """The proposed list first: who gets which award, counted, and the cost, in one line; everyone proposed in
    one table; then what the simulation warns about the whole scenario."""
    language = say.lang
    ui.section(say("page.list_heading"), "military_tech")
    st.markdown(f"**{plain(quota_service.headline(result, language))}**")
    table = explain.proposed_table(result, language)
    if table.height:
        # a national list runs to hundreds of rows: it scrolls in its own box, the tabs stay near
        ui.show_table(
            table, f"quota-list-{result.scope.key}", key="list-table", height=None if table.height <= 12 else 440
        )
    for n in result.notices:
        st.warning(plain(explain.notice(n, language)), icon=":material/warning:")


def show_result(say: Translator, result: quota.SimulationResult) -> None:
    language = say.lang
    sc = result.scenario
    if sc.notes:
        with st.expander(say("page.notes")):
            for text in explain.notes(sc, language):
                st.markdown(f"- {plain(text)}")
    # several rules (collectives, individuals…): one tab each, so that the page stays short
    names = [plain(pick(rr.rule.name, language)) for rr in result.rules]
    places = st.tabs(names, key="quota_rule_tab") if len(names) > 1 else [st.container()] * len(names)
    for i, (rr, place) in enumerate(zip(result.rules, places, strict=True)):
        with place:
            ui.section(names[i], "military_tech", plain(explain.citation(sc, rr.rule, language)))
            with st.expander(say("page.rule_text")):
                st.markdown(
                    "\n".join(f"- {plain(line)}" for line in explain.statement(sc, rr.rule, language, rr.groups))
                )
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
        # Made at the click (Streamlit runs the callable then), not on every run of the page: the workbook cost
        # tens of milliseconds of every quota page a reader opened. It works on the result in memory, no cursor.
        partial(_annex_xlsx, result, say.lang, db.version, inputs, db.db),
        file_name=f"{name}.xlsx",
        icon=":material/download:",
        key="dl_xlsx",
        mime=_XLSX,
        # A rerun at the click would rebuild the whole page and register the button's file again, racing the
        # download it was clicked for.
        on_click="ignore",
    )
    c2.download_button(
        say("page.download_csv"),
        partial(award_annex.to_csv, result, say.lang),
        file_name=f"{name}.csv",
        icon=":material/download:",
        key="dl_csv",
        mime="text/csv",
        on_click="ignore",
    )


def _annex_xlsx(
    result: quota.SimulationResult, lang: str, version: int | None, inputs: quota.Inputs | None, db_file: Path
) -> bytes:
    return award_annex.to_xlsx(
        result,
        lang,
        version,
        fairness=quota_fairness.lines(result, inputs, lang) if inputs else (),
        settings=council_service.settings(db_file),
    )
