"""The Import page's session and the steps that act: which batch is open, what was read and checked in this
session, publishing, discarding, and the staged batches' list.

Widgets only: every step is a function of services.importing, which checks the role on the server and records
the step in the audit trail; the buttons a role cannot use are only hidden here.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from access.policy import Denied, Principal
from core import fmt
from core.i18n import Translator
from dashboard import components as ui
from dashboard.text import plain
from services import import_tables, importing
from services.importing import CheckResult, ImportRefused, Preview
from store.staging import Batch

BATCH = "imp_batch"  # the batch being worked on (its id)
CHECK = "imp_check"  # (batch id, CheckResult) of the last check run in this session
PREVIEW = "imp_preview"  # (batch id, Preview)
FLASH = "imp_flash"  # (kind, message) shown once after a step that reruns the page


def flash() -> None:
    shown = st.session_state.pop(FLASH, None)
    if shown:
        kind, message = shown
        (st.success if kind == "success" else st.warning)(message, icon=":material/info:")


def done(kind: str, message: str) -> None:
    st.session_state.pop(CHECK, None)
    st.session_state[FLASH] = (kind, message)
    st.rerun()


def refused(say: Translator, exc: Exception, who: Principal | None) -> None:
    access = say.area_of("access")
    if isinstance(exc, Denied):
        role = access(f"role.{who.role}") if who else ""
        st.error(access("denied.message", role=role, action=access(f"action.{exc.action}")), icon=":material/block:")
    elif isinstance(exc, ImportRefused):
        for message in exc.messages(say.lang):
            st.error(plain(message), icon=":material/error:")


def open_batch(batch_id: str) -> None:
    st.session_state[BATCH] = batch_id
    st.session_state.pop(CHECK, None)


def current(db: Path, who: Principal) -> Batch | None:
    batch_id = st.session_state.get(BATCH)
    if not batch_id:
        return None
    try:
        return importing.open_batch(db, who, batch_id)
    except ImportRefused:
        st.session_state.pop(BATCH, None)
        return None


def preview(say: Translator, db: Path, who: Principal, batch: Batch) -> Preview:
    """How the batch reads, kept for the session: reading it again on every rerun would cost seconds."""
    kept = st.session_state.get(PREVIEW)
    if kept and kept[0] == batch.id:
        return kept[1]
    with st.spinner(say("reading")):
        found = importing.preview(db, who, batch)
    st.session_state[PREVIEW] = (batch.id, found)
    return found


def checked(batch: Batch) -> CheckResult | None:
    kept = st.session_state.get(CHECK)
    return kept[1] if kept and kept[0] == batch.id else None


def keep_check(batch: Batch, result: CheckResult) -> None:
    st.session_state[CHECK] = (batch.id, result)


def publish(say: Translator, db: Path, who: Principal, batch: Batch, pins: dict[str, str]) -> None:
    try:
        with st.spinner(say("publishing")):
            report = importing.publish(db, who, batch, pins)
    except (Denied, ImportRefused) as exc:
        refused(say, exc, who)
        return
    if report.published:
        st.session_state.pop(BATCH, None)
        st.session_state.pop(PREVIEW, None)
        done("success", say("published", version=report.version))
    if report.status == "unchanged":
        st.info(say("unchanged"), icon=":material/info:")
        return
    st.error(say("refused", count=fmt.integer(len(report.errors), say.lang)), icon=":material/error:")
    for p in report.errors:
        st.error(plain(p.message(say.lang)))


def staged(say: Translator, db: Path, who: Principal) -> None:
    ui.section(say("staged"), "pending_actions", say("staged_caption"))
    found = importing.batches(db, who)
    if not found:
        st.caption(say("staged_none"))
        return
    st.dataframe(import_tables.staged_table(found, say.lang), hide_index=True, width="stretch")
    chosen = st.selectbox(say("pick_batch"), [b.id for b in found], key="imp_pick")
    batch = next(b for b in found if b.id == chosen)
    c1, c2, c3 = st.columns(3)
    if c1.button(say("open"), icon=":material/folder_open:", key="imp_open"):
        open_batch(chosen)
        st.rerun()
    # Analysts see what is waiting and can reopen a batch to check it again; publishing and discarding are
    # the admins' (the service refuses anyone else whatever the page shows).
    if not who.may(importing.PUBLISH):
        st.caption(say("staged_count", count=fmt.integer(len(found), say.lang)))
        return
    if c2.button(
        say("publish_staged"),
        icon=":material/publish:",
        key="imp_publish_staged",
        disabled=not importing.is_checked(batch),
    ):
        publish(say, db, who, batch, importing.checked_pins(batch))
    if c3.button(say("discard"), icon=":material/delete:", key="imp_discard"):
        try:
            importing.discard(db, who, batch)
        except (Denied, ImportRefused) as exc:
            refused(say, exc, who)
            return
        if st.session_state.get(BATCH) == chosen:
            st.session_state.pop(BATCH, None)
        done("success", say("discarded", id=chosen))
    st.caption(say("staged_count", count=fmt.integer(len(found), say.lang)))
