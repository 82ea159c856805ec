"""The council's session on the Quota simulation page: download the ballot and the tally sheet, record the
council's vote on the list, and fill in once who issues and signs the documents.

Widgets only: the ballot's candidates and the tally are analysis.quota.council's, recording and the settings
services.council's (which check the role again and audit), the documents exports.council_docs'.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import streamlit as st

from access.policy import Denied, Principal, allowed
from analysis import quota
from analysis.quota import council
from analysis.quota.model import pick
from core import fmt
from core.i18n import Translator
from dashboard import components as ui
from dashboard import state
from dashboard.signin import denied_text
from dashboard.text import plain
from exports import council_docs
from exports.filenames import slug
from services import council as council_service

_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def session(
    lang: str, db: Path, result: quota.SimulationResult, data: dict[str, Any], label: str, who: Principal | None
) -> None:
    say = Translator("council.page", lang)
    ui.section(say("title"), "how_to_vote", say("caption"))
    label = label or pick(result.scenario.name, lang)
    has_ties = any(g.candidates.height for g in council.ballot(result, "ties"))
    kind = state.one_of(
        say("ballot"),
        council.BALLOTS,
        key="council_ballot",
        default="ties" if has_ties else "list",
        format_func=lambda k: say(f"ballot_{k}"),
    )
    groups = council.ballot(result, kind)
    if not groups:
        st.info(say("nothing_to_vote"), icon=":material/info:")
        return
    recorded = council_service.decision(db, result, label)
    settings = council_service.settings(db)
    name = f"{slug(label)}_{result.scope.key}"
    c1, c2 = st.columns(2)
    c1.download_button(
        say("download_ballot"),
        # Made at the click, from the result and settings in memory: building two .docx files cost every run
        # of the quota page ~0.1 s of CPU.
        partial(council_docs.ballot, result, kind, settings, lang),
        file_name=f"{council_docs.file_stem(kind, 'ballot')}_{name}.docx",
        mime=_DOCX,
        icon=":material/ballot:",
        key="dl_ballot",
        on_click="ignore",
    )
    tally_kind = recorded.ballot if recorded else kind
    c2.download_button(
        say("download_tally"),
        partial(council_docs.tally, result, tally_kind, settings, lang, recorded),
        file_name=f"{council_docs.file_stem(tally_kind, 'tally')}_{name}.docx",
        mime=_DOCX,
        icon=":material/fact_check:",
        key="dl_tally",
        on_click="ignore",
    )
    if recorded:
        st.success(
            say(
                "recorded",
                day=fmt.day(recorded.session_date, lang),
                present=recorded.present,
                members=recorded.members,
                count=len(recorded.final),
            ),
            icon=":material/how_to_vote:",
        )
        ui.show_table(council_service.vote_table(recorded, lang), f"hoi-dong-{name}", key="council-votes")
    if allowed(who, council_service.RECORD_ACTION):
        _record_form(say, db, result, data, label, who, kind, groups)
    if allowed(who, council_service.SETTINGS_ACTION):
        _settings_form(say, db, who, settings)


def _record_form(
    say: Translator,
    db: Path,
    result: quota.SimulationResult,
    data: dict[str, Any],
    label: str,
    who: Principal | None,
    kind: str,
    groups: list[council.BallotGroup],
) -> None:
    rules = council.thresholds()
    with st.expander(say("record"), icon=":material/edit_note:"), st.form("council_record"):
        c = st.columns(3)
        when = c[0].date_input(say("session_date"), value=date.today(), format="DD/MM/YYYY", key="cv_date")
        members = c[1].number_input(say("members"), min_value=1, max_value=200, value=9, step=1, key="cv_members")
        present = c[2].number_input(say("present"), min_value=0, max_value=200, value=9, step=1, key="cv_present")
        c = st.columns(3)
        issued = c[0].number_input(say("issued"), min_value=0, max_value=200, value=9, step=1, key="cv_issued")
        returned = c[1].number_input(say("returned"), min_value=0, max_value=200, value=9, step=1, key="cv_returned")
        invalid = c[2].number_input(say("invalid"), min_value=0, max_value=200, value=0, step=1, key="cv_invalid")
        threshold = st.selectbox(
            say("threshold"),
            list(rules),
            index=list(rules).index(council.default_threshold()),
            format_func=lambda k: pick(rules[k].name, say.lang),
            key="cv_threshold",
        )
        votes: dict[str, tuple[int, int, bool]] = {}
        n = 0
        for g in groups:
            st.markdown(f"**{plain(g.title(say.lang))}** — {say('seats', seats=g.seats)}")
            head = st.columns([4, 2, 2, 2])  # names the columns once: the inputs below hide their labels
            for col, word in zip(head, ("candidate", "votes_for", "votes_against", "decided"), strict=True):
                col.caption(say(word))
            for r in g.candidates.iter_rows(named=True):
                cols = st.columns([4, 2, 2, 2], vertical_alignment="center")
                name = f"{r['name']} — {fmt.number(r['measure'], say.lang, 2)}"
                cols[0].markdown(plain(name))
                yes = cols[1].number_input(
                    f"{say('votes_for')}: {name}",
                    min_value=0,
                    max_value=200,
                    value=0,
                    step=1,
                    key=f"cv_{n}_for",
                    label_visibility="collapsed",
                )
                no = cols[2].number_input(
                    f"{say('votes_against')}: {name}",
                    min_value=0,
                    max_value=200,
                    value=0,
                    step=1,
                    key=f"cv_{n}_no",
                    label_visibility="collapsed",
                )
                decided = cols[3].checkbox(say("decided_short"), key=f"cv_{n}_ok")
                votes[r["key"]] = (int(yes), int(no), bool(decided))
                n += 1
        if not st.form_submit_button(say("record_button"), icon=":material/save:", type="primary"):
            return
    facts = council_service.Session(
        kind, when, int(members), int(present), int(issued), int(returned), int(invalid), threshold, votes
    )
    try:
        council_service.record(db, who, result, label, data, facts, say.lang)
    except Denied as exc:
        st.error(denied_text(exc))
        return
    except council_service.CouncilStoreError as exc:
        st.error(exc.message(say.lang))
        return
    st.rerun()


def _settings_form(say: Translator, db: Path, who: Principal | None, current: council_service.DocumentSettings) -> None:
    with st.expander(say("settings"), icon=":material/badge:"), st.form("council_settings"):
        st.caption(say("settings_caption"))
        values = {}
        for key in council_service.DocumentSettings.field_names():
            widget = st.text_area if key == "recipients" else st.text_input
            values[key] = widget(say(f"setting.{key}"), value=getattr(current, key), key=f"doc_{key}")
        if not st.form_submit_button(say("settings_button"), icon=":material/save:"):
            return
    try:
        council_service.write_settings(db, who, council_service.DocumentSettings(**values))
    except Denied as exc:
        st.error(denied_text(exc))
        return
    except OSError:
        st.error(say("settings_failed"))
        return
    st.rerun()
