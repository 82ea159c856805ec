"""What the Import page shows of one batch: how each sheet reads, the unit names to confirm, and the check's result.

Widgets only: the tables and lines come from services.import_tables.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from core import fmt
from core.i18n import Translator
from dashboard import components as ui
from dashboard.text import plain
from etl.units import Candidate
from services import import_tables
from services.importing import CheckResult, SheetPreview, UnitQuestion
from store.staging import Batch


def sheet_preview(say: Translator, sheet: SheetPreview, expanded: bool) -> None:
    language = say.lang
    where = f"{sheet.file} › {sheet.sheet}" if sheet.sheet else sheet.file
    with st.expander(say("sheet_title", where=plain(where), rows=fmt.integer(sheet.rows, language)), expanded=expanded):
        if sheet.layout == "rules":
            st.caption(say("rules_file"))
            return
        st.markdown(import_tables.sheet_summary(sheet, language))
        st.dataframe(import_tables.columns_table(sheet, language), hide_index=True, width="stretch")
        st.caption(say("first_rows"))
        st.dataframe(import_tables.first_rows(sheet, language), hide_index=True, width="stretch")
        for p in sheet.problems:
            (st.error if p.severity == "error" else st.warning)(plain(p.message(language)))


def unit_pins(say: Translator, batch: Batch, questions: list[UnitQuestion]) -> dict[str, str]:
    """The unit choices the reader confirmed, name as written → unit code."""
    if not questions:
        return {}
    ui.section(say("units"), "account_balance", say("units_caption"))
    chosen: dict[str, str] = {}
    for i, q in enumerate(questions):
        where = f"{q.file} › {q.sheet}" if q.sheet else (q.file or "")
        label = say("unit_question", name=q.name, where=where, row=q.row or "—", year=q.year or "—")
        by_code = {c.code: c for c in q.candidates}
        choice = st.selectbox(
            label,
            [None, *by_code],
            key=f"imp_pin_{batch.id}_{i}",
            format_func=partial(_candidate_label, say, by_code),
            help=say("ambiguous_help") if q.ambiguous else say("unknown_help"),
        )
        if choice:
            chosen[q.name] = choice
    return chosen


def _candidate_label(say: Translator, by_code: dict[str, Candidate], code: str | None) -> str:
    return say("choose") if code is None else say("candidate", name=by_code[code].name, code=code)


def check_result(say: Translator, checked: CheckResult) -> None:
    language = say.lang
    report = checked.report
    ui.section(say("result"), "fact_check", say("result_caption", version=checked.against))
    if checked.passed:
        st.success(say("passed"), icon=":material/check_circle:")
    elif checked.status == "unchanged":
        st.info(say("unchanged"), icon=":material/info:")
    else:
        st.error(say("refused", count=fmt.integer(len(report.errors), language)), icon=":material/error:")
        for p in report.errors:
            st.error(plain(p.message(language)))
    warnings = [p for p in report.notes if p.severity == "warning"]
    if warnings:
        with st.expander(say("warnings", count=fmt.integer(len(warnings), language))):
            for p in warnings:
                st.warning(plain(p.message(language)))
    if not checked.per_table:
        return
    st.markdown(f"**{say('diff')}**")
    st.table(import_tables.diff_table(checked, language), hide_index=True)
    for table, lines in import_tables.change_lines(report, language):
        with st.expander(say("examples", table=table)):
            for line in lines:
                st.markdown(f"- {plain(line)}")
