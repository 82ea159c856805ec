"""Nhập dữ liệu / Import: upload files, see how they read, confirm unit names, run the checks, see what would
change, then publish (administrators) or leave the batch in staging (analysts).

Layout and widgets only: every step is a function of services.importing, which checks the role on the
server and records the step in the audit trail; the buttons a role cannot use are only hidden here.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import streamlit as st

from access.policy import Denied, Principal
from core import fmt
from dashboard import components as ui
from dashboard.context import db_path, lang, txt, user
from services import importing
from services.importing import CheckResult, ImportRefused, Preview, UnitQuestion
from store.staging import Batch

BATCH = "imp_batch"  # the batch being worked on (its id)
CHECK = "imp_check"  # (batch id, CheckResult) of the last check run in this session
PREVIEW = "imp_preview"  # (batch id, Preview)
FLASH = "imp_flash"  # (kind, message) shown once after a step that reruns the page
COUNTS = ("new", "changed", "unchanged", "removed")


def w(key: str, **params: object) -> str:
    return txt(f"imports.page.{key}", **params)


def render() -> None:
    ui.page_title(w("title"))
    who = user()
    if who is None or not who.may(importing.STAGE):
        st.info(w("sign_in") if who is None else w("not_allowed", role=txt(f"access.role.{who.role}")),
                icon=":material/lock:")
        return
    st.caption(w("intro"))
    _flash()
    db = db_path()
    _upload(db, who)
    batch = _current(db, who)
    if batch is not None:
        _work_on(db, who, batch)
    _staged(db, who)


def _flash() -> None:
    shown = st.session_state.pop(FLASH, None)
    if shown:
        kind, message = shown
        (st.success if kind == "success" else st.warning)(message, icon=":material/info:")


def _refused(exc: Exception, who: Principal | None) -> None:
    if isinstance(exc, Denied):
        role = txt(f"access.role.{who.role}") if who else ""
        st.error(txt("access.denied.message", role=role, action=txt(f"access.action.{exc.action}")),
                 icon=":material/block:")
    elif isinstance(exc, ImportRefused):
        for message in exc.messages(lang()):
            st.error(message, icon=":material/error:")


# ------------------------------------------------------------------------------------------ upload


def _upload(db: Path, who: Principal) -> None:
    ui.section(w("upload"), "upload_file", w("upload_caption", size=importing.max_upload_bytes() // 2**20))
    with st.form("imp_upload", clear_on_submit=True, border=True):
        files = st.file_uploader(w("files"), type=list(importing.UPLOAD_TYPES), accept_multiple_files=True,
                                 key="imp_files")
        mapping = st.file_uploader(w("mapping"), type=[t.lstrip(".") for t in importing.MAPPING_TYPES],
                                   key="imp_mapping_file", help=w("mapping_help"))
        sent = st.form_submit_button(w("stage"), icon=":material/upload:", type="primary")
    if not sent:
        return
    uploads = [(f.name, f.getvalue()) for f in files or []]
    try:
        batch = importing.stage(db, who, uploads, (mapping.name, mapping.getvalue()) if mapping else None)
    except (Denied, ImportRefused) as exc:
        _refused(exc, who)
        return
    st.session_state[BATCH] = batch.id
    st.session_state.pop(CHECK, None)


def _current(db: Path, who: Principal) -> Batch | None:
    batch_id = st.session_state.get(BATCH)
    if not batch_id:
        return None
    try:
        return importing.open_batch(db, who, batch_id)
    except ImportRefused:
        st.session_state.pop(BATCH, None)
        return None


# ------------------------------------------------------------------------------------------ one batch


def _work_on(db: Path, who: Principal, batch: Batch) -> None:
    staged_at = batch.manifest.get("staged_at", "")
    ui.section(w("batch", id=batch.id), "inventory_2",
               w("batch_caption", who=batch.manifest.get("staged_by", ""), at=staged_at.replace("T", " ")[:16],
                 files=len(batch.files)))
    preview = _preview(db, who, batch)
    for p in preview.problems:
        st.error(p.message(lang()), icon=":material/error:")
    for i, sheet in enumerate(preview.sheets):
        _sheet(sheet, expanded=i < 3)
    checked = _check_of(batch)
    questions = _merge(preview.units, checked.units if checked else [])
    pins = _pins(batch, questions)
    if st.button(w("run_checks"), icon=":material/fact_check:", type="primary", key="imp_run_checks"):
        try:
            with st.spinner(w("checking")):
                checked = importing.check(db, who, batch, pins)
        except (Denied, ImportRefused) as exc:
            _refused(exc, who)
            return
        st.session_state[CHECK] = (batch.id, checked)
        if {q.name for q in checked.units} - {q.name for q in questions}:
            st.rerun()  # the check found names the preview did not: ask about them above the result
    if checked is None:
        return
    _result(checked)
    if not checked.passed or checked.pins != pins:
        if checked.passed:
            st.info(w("pins_changed"), icon=":material/info:")
        return
    if who.may(importing.PUBLISH):
        if st.button(w("publish"), icon=":material/publish:", type="primary", key="imp_publish"):
            _publish(db, who, batch, pins)
    elif st.button(w("leave"), icon=":material/schedule:", key="imp_leave"):
        try:
            importing.leave(db, who, batch)
        except (Denied, ImportRefused) as exc:
            _refused(exc, who)
            return
        _done("success", w("left"))


def _preview(db: Path, who: Principal, batch: Batch) -> Preview:
    kept = st.session_state.get(PREVIEW)
    if kept and kept[0] == batch.id:
        return kept[1]
    with st.spinner(w("reading")):
        preview = importing.preview(db, who, batch)
    st.session_state[PREVIEW] = (batch.id, preview)
    return preview


def _check_of(batch: Batch) -> CheckResult | None:
    kept = st.session_state.get(CHECK)
    return kept[1] if kept and kept[0] == batch.id else None


def _sheet(sheet: importing.SheetPreview, expanded: bool) -> None:
    language = lang()
    where = f"{sheet.file} › {sheet.sheet}" if sheet.sheet else sheet.file
    with st.expander(w("sheet_title", where=where, rows=fmt.integer(sheet.rows, language)), expanded=expanded):
        if sheet.layout == "rules":
            st.caption(w("rules_file"))
            return
        header = ", ".join(str(r) for r in sheet.header_rows) or "—"
        st.markdown(w("sheet_summary", table=importing.table_label(sheet.table, language) if sheet.table
                      else w("table_unknown"), layout=w(f"layout_{sheet.layout}") if sheet.layout else "—",
                      header=header))
        st.dataframe(
            pl.DataFrame({
                w("col_header"): [label for label, _ in sheet.columns],
                w("col_field"): [_field_label(target) for _, target in sheet.columns],
            }),
            hide_index=True, width="stretch",
        )
        st.caption(w("first_rows"))
        st.dataframe(sheet.first_rows.rename({"source_row": w("col_row")}), hide_index=True, width="stretch")
        for p in sheet.problems:
            (st.error if p.severity == "error" else st.warning)(p.message(language))


def _field_label(target: str | None) -> str:
    if target is None:
        return w("not_used")
    if ":" in target:
        measure, item = target.split(":", 1)
        return w("wide_column", measure=txt(f"imports.field.{measure}"), item=item)
    return txt(f"imports.field.{target}")


def _merge(*groups: list[UnitQuestion]) -> list[UnitQuestion]:
    seen: dict[str, UnitQuestion] = {}
    for group in groups:
        for q in group:
            seen.setdefault(q.name, q)
    return list(seen.values())


def _pins(batch: Batch, questions: list[UnitQuestion]) -> dict[str, str]:
    """The unit choices the reader confirmed, name as written → unit code."""
    if not questions:
        return {}
    ui.section(w("units"), "account_balance", w("units_caption"))
    pins = {}
    for i, q in enumerate(questions):
        where = f"{q.file} › {q.sheet}" if q.sheet else (q.file or "")
        label = w("unit_question", name=q.name, where=where, row=q.row or "—", year=q.year or "—")
        by_code = {c.code: c for c in q.candidates}
        choice = st.selectbox(
            label, [None, *by_code], key=f"imp_pin_{batch.id}_{i}",
            format_func=lambda code, by_code=by_code: w("choose") if code is None
            else w("candidate", name=by_code[code].name, code=code),
            help=w("ambiguous_help") if q.ambiguous else w("unknown_help"),
        )
        if choice:
            pins[q.name] = choice
    return pins


def _result(checked: CheckResult) -> None:
    language = lang()
    report = checked.report
    ui.section(w("result"), "fact_check", w("result_caption", version=checked.against))
    if checked.passed:
        st.success(w("passed"), icon=":material/check_circle:")
    elif checked.status == "unchanged":
        st.info(w("unchanged"), icon=":material/info:")
    else:
        st.error(w("refused", count=fmt.integer(len(report.errors), language)), icon=":material/error:")
        for p in report.errors:
            st.error(p.message(language))
    warnings = [p for p in report.notes if p.severity == "warning"]
    if warnings:
        with st.expander(w("warnings", count=fmt.integer(len(warnings), language))):
            for p in warnings:
                st.warning(p.message(language))
    if not checked.per_table:
        return
    st.markdown(f"**{w('diff')}**")
    rows = [
        {w("col_table"): importing.table_label(table, language),
         **{w(f"count_{name}"): fmt.integer(counts.get(name, 0), language) for name in COUNTS}}
        for table, counts in checked.per_table.items()
    ]
    st.table(pl.DataFrame(rows), hide_index=True)
    for table, changes in report.changes.items():
        with st.expander(w("examples", table=importing.table_label(table, language))):
            for change in changes:
                values = "; ".join(
                    f"{txt(f'imports.field.{name}')}: {_value(old, language)} → {_value(new, language)}"
                    for name, old, new in change.values
                )
                st.markdown(f"- `{change.key}` — {values}")


def _value(value: object, language: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return fmt.number(value, language)
    return str(value)


def _publish(db: Path, who: Principal, batch: Batch, pins: dict[str, str]) -> None:
    try:
        with st.spinner(w("publishing")):
            report = importing.publish(db, who, batch, pins)
    except (Denied, ImportRefused) as exc:
        _refused(exc, who)
        return
    if report.published:
        st.session_state.pop(BATCH, None)
        st.session_state.pop(PREVIEW, None)
        _done("success", w("published", version=report.version))
    if report.status == "unchanged":
        st.info(w("unchanged"), icon=":material/info:")
        return
    st.error(w("refused", count=fmt.integer(len(report.errors), lang())), icon=":material/error:")
    for p in report.errors:
        st.error(p.message(lang()))


def _done(kind: str, message: str) -> None:
    st.session_state.pop(CHECK, None)
    st.session_state[FLASH] = (kind, message)
    st.rerun()


# ------------------------------------------------------------------------------------------ staged batches


def _staged(db: Path, who: Principal) -> None:
    ui.section(w("staged"), "pending_actions", w("staged_caption"))
    found = importing.batches(db, who)
    if not found:
        st.caption(w("staged_none"))
        return
    language = lang()
    st.dataframe(
        pl.DataFrame([
            {
                w("col_batch"): b.id,
                w("col_by"): b.manifest.get("staged_by", ""),
                w("col_at"): str(b.manifest.get("staged_at", "")).replace("T", " ")[:16],
                w("col_files"): ", ".join(f.name for f in b.files),
                w("col_status"): w(f"status_{b.manifest.get('status', 'staged')}"),
                w("col_version"): str((b.manifest.get("check") or {}).get("against_version", "—")),
            }
            for b in found
        ]),
        hide_index=True, width="stretch",
    )
    ids = [b.id for b in found]
    chosen = st.selectbox(w("pick_batch"), ids, key="imp_pick")
    batch = next(b for b in found if b.id == chosen)
    c1, c2, c3 = st.columns(3)
    if c1.button(w("open"), icon=":material/folder_open:", key="imp_open"):
        st.session_state[BATCH] = chosen
        st.session_state.pop(CHECK, None)
        st.rerun()
    # Analysts see what is waiting and can reopen a batch to check it again; publishing and discarding are
    # the admins' (the service refuses anyone else whatever the page shows).
    if not who.may(importing.PUBLISH):
        st.caption(w("staged_count", count=fmt.integer(len(found), lang())))
        return
    if c2.button(w("publish_staged"), icon=":material/publish:", key="imp_publish_staged",
                 disabled=batch.manifest.get("status") != "checked"):
        _publish(db, who, batch, dict((batch.manifest.get("check") or {}).get("pins") or {}))
    if c3.button(w("discard"), icon=":material/delete:", key="imp_discard"):
        try:
            importing.discard(db, who, batch)
        except (Denied, ImportRefused) as exc:
            _refused(exc, who)
            return
        if st.session_state.get(BATCH) == chosen:
            st.session_state.pop(BATCH, None)
        _done("success", w("discarded", id=chosen))
    st.caption(w("staged_count", count=fmt.integer(len(found), language)))


render()
