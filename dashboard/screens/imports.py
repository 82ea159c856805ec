"""Nhập dữ liệu / Import: upload files, see how they read, confirm unit names, run the checks, see what would
change, then publish (administrators) or leave the batch in staging (analysts).

Layout and widgets only: every step is a function of services.importing, which checks the role on the
server and records the step in the audit trail; the buttons a role cannot use are only hidden here.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from access.policy import Denied, Principal
from core.i18n import Translator
from dashboard import components as ui
from dashboard import import_guide as guide
from dashboard import import_show as show
from dashboard import import_steps as steps
from dashboard.context import db_path, lang, user
from services import import_tables, importing
from services.importing import Batch, ImportRefused


def render() -> None:
    say = Translator("imports.page", lang())
    ui.page_title(say("title"))
    who = user()
    if who is None or not who.may(importing.STAGE):
        st.info(
            say("sign_in") if who is None else say("not_allowed", role=say.area_of("access")(f"role.{who.role}")),
            icon=":material/lock:",
        )
        return
    st.caption(say("intro"))
    steps.flash()
    db = db_path()
    _upload(say, db, who)
    batch = steps.current(db, who)
    if batch is not None:
        _work_on(say, db, who, batch)
    steps.staged(say, db, who)


def _upload(say: Translator, db: Path, who: Principal) -> None:
    ui.section(say("upload"), "upload_file", say("upload_caption", size=importing.max_upload_bytes() // 2**20))
    with st.form("imp_upload", clear_on_submit=True, border=True):
        files = st.file_uploader(
            say("files"), type=list(importing.UPLOAD_TYPES), accept_multiple_files=True, key="imp_files"
        )
        mapping = st.file_uploader(
            say("mapping"),
            type=[t.lstrip(".") for t in importing.MAPPING_TYPES],
            key="imp_mapping_file",
            help=say("mapping_help"),
        )
        sent = st.form_submit_button(say("stage"), icon=":material/upload:", type="primary")
    if not sent:
        return
    uploads = [(f.name, f.getvalue()) for f in files or []]
    try:
        batch = importing.stage(db, who, uploads, (mapping.name, mapping.getvalue()) if mapping else None)
    except (Denied, ImportRefused) as exc:
        steps.refused(say, exc, who)
        return
    steps.open_batch(batch.id)


def _work_on(say: Translator, db: Path, who: Principal, batch: Batch) -> None:
    ui.section(
        say("batch", id=batch.id),
        "inventory_2",
        say(
            "batch_caption",
            who=batch.manifest.get("staged_by", ""),
            at=import_tables.staged_at(batch),
            files=len(batch.files),
        ),
    )
    preview = steps.preview(say, db, who, batch)
    for p in preview.problems:
        st.error(p.message(say.lang), icon=":material/error:")
    for i, sheet in enumerate(preview.sheets):
        show.sheet_preview(say, sheet, expanded=i < 3)
    say_guide = say.area_of("imports.guided")
    guide.saved_note(say_guide, db, who, batch)
    answered = guide.columns(say_guide, db, who, batch, preview)  # an answer given: check with it at once
    checked = steps.checked(batch) if not answered else None
    questions = importing.merge_questions(preview.units, checked.units if checked else [])
    pins = show.unit_pins(say, batch, questions)
    replace = st.checkbox(say("replace"), help=say("replace_help"), key="imp_replace")
    if st.button(say("run_checks"), icon=":material/fact_check:", type="primary", key="imp_run_checks") or answered:
        try:
            with st.spinner(say("checking")):
                checked = importing.check(db, who, batch, pins, replace=replace)
        except (Denied, ImportRefused) as exc:
            steps.refused(say, exc, who)
            return
        steps.keep_check(batch, checked)
        if answered or {q.name for q in checked.units} - {q.name for q in questions}:
            st.rerun()  # the check found names the preview did not: ask about them above the result
    if checked is None:
        return
    show.check_result(say, checked)
    if checked.passed:
        guide.save_button(say_guide, db, who, batch)
    if not checked.passed or checked.pins != pins or checked.replace != replace:
        if checked.passed:
            st.info(say("pins_changed"), icon=":material/info:")
        return
    if who.may(importing.PUBLISH):
        if st.button(say("publish"), icon=":material/publish:", type="primary", key="imp_publish"):
            steps.publish(say, db, who, batch, pins)
    elif st.button(say("leave"), icon=":material/schedule:", key="imp_leave"):
        try:
            importing.leave(db, who, batch)
        except (Denied, ImportRefused) as exc:
            steps.refused(say, exc, who)
            return
        steps.done("success", say("left"))


render()
