"""The Import page's guided mapping: which saved answer reads the batch (and a way to stop using it), and,
for a file parboard does not understand, where its header is and what each column is, with select boxes.

Widgets only: reading the layout, the choices offered, building and keeping the answer, saving it and finding
it again are services.guided's.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import streamlit as st

from access.policy import Denied, Principal
from core.i18n import Translator
from dashboard import components as ui
from dashboard.text import plain
from services import guided
from services.importing import Preview
from store.saved_mappings import MappingStoreError
from store.staging import Batch

LAYOUT = "imp_guided_layout"  # (batch id, header row, depth, Layout) read for the guided mapping
PREVIEW = "imp_preview"
CHECK = "imp_check"
FLASH = "imp_flash"


def _reread() -> None:
    for key in (PREVIEW, CHECK, LAYOUT):
        st.session_state.pop(key, None)


def saved_note(say: Translator, db: Path, who: Principal, batch: Batch) -> None:
    """Which saved answer reads this batch, with the ways to stop using it."""
    entry = guided.in_use(batch)
    if not entry:
        return
    st.info(plain(guided.in_use_line(entry, say.lang)), icon=":material/bookmark:")
    c1, c2 = st.columns(2)
    try:
        if c1.button(say("stop"), icon=":material/block:", key="imp_saved_stop"):
            guided.stop_saved(db, who, batch)
            _done(say("stopped"))
        if c2.button(say("forget"), icon=":material/delete:", key="imp_saved_forget", help=say("forget_help")):
            guided.forget(db, who, str(entry["key"]))
            guided.stop_saved(db, who, batch)
            _done(say("forgotten"))
    except (Denied, MappingStoreError) as exc:
        st.error(plain(exc.message(say.lang) if isinstance(exc, MappingStoreError) else str(exc)))


def _done(message: str) -> None:
    _reread()
    st.session_state[FLASH] = ("success", message)
    st.rerun()


def _layout(db: Path, who: Principal, batch: Batch, row: int | None, depth: int | None) -> guided.Layout | None:
    kept = st.session_state.get(LAYOUT)
    if kept and kept[:3] == (batch.id, row, depth):
        return kept[3]
    found = guided.layout(db, who, batch, row, depth)
    st.session_state[LAYOUT] = (batch.id, row, depth, found)
    return found


def columns(say: Translator, db: Path, who: Principal, batch: Batch, preview: Preview) -> bool:
    """The guided mapping; True when an answer was just given (the page then checks the batch with it)."""
    if batch.mapping is not None or not any(s.layout != "rules" for s in preview.sheets):
        return False
    unknown = any(s.table is None for s in preview.sheets if s.layout != "rules")
    answered = guided.kept(batch) is not None
    if not (unknown or answered):  # recognised (on its own or by a saved answer): the editor waits folded
        with st.expander(say("open"), icon=":material/table_edit:"):
            return _editor(say, db, who, batch)
    ui.section(say("title"), "table_edit", say("caption", file=plain(batch.files[0].name)))
    return _editor(say, db, who, batch)


def _editor(say: Translator, db: Path, who: Principal, batch: Batch) -> bool:
    first = _layout(db, who, batch, None, None)
    if first is None:
        return False
    kept = guided.kept(batch) or guided.saved_mapping(batch)
    c1, c2 = st.columns(2)
    row = c1.number_input(
        say("header_row"),
        min_value=1,
        max_value=200,
        value=(kept.header_row if kept and kept.header_row else first.header_row) or 1,
        key=f"imp_g_row_{batch.id}",
        help=say("header_row_help"),
    )
    depth = c2.selectbox(
        say("header_depth"),
        [1, 2],
        index=(kept.header_depth if kept and kept.header_depth else first.header_depth) - 1,
        key=f"imp_g_depth_{batch.id}",
        help=say("header_depth_help"),
    )
    found = first if (row, depth) == (first.header_row, first.header_depth) else _layout(db, who, batch, row, depth)
    if found is None:
        return False
    if found.title:
        st.caption(plain(say("title_rows", text=" · ".join(found.title))))
    st.caption(say("first_rows"))
    st.dataframe(guided.first_rows_table(found, say.lang), hide_index=True, width="stretch")
    st.caption(say("footer"))
    options = guided.role_options(db, guided.context(db), found, say.lang)
    start = guided.answered_roles(batch, found)
    with st.form(f"imp_guided_{batch.id}", border=True):
        st.markdown(f"**{say('columns')}**")
        roles = []
        for i, header in enumerate(found.columns):
            if i % 3 == 0:  # a row of three at a time, so a phone stacks them in the file's order
                grid = st.columns(3)
            roles.append(
                grid[i % 3].selectbox(
                    say("column", n=i + 1, header=header or "—"),
                    list(options),
                    index=list(options).index(start[i]) if start[i] in options else 0,
                    format_func=partial(_label, options),
                    key=f"imp_g_role_{batch.id}_{row}_{depth}_{i}",
                )
            )
        measures = guided.measure_options(say.lang)
        c1, c2 = st.columns(2)
        measure = c1.selectbox(
            say("measure"),
            list(measures),
            index=list(measures).index(kept.measure) if kept else 1,
            format_func=partial(_label, measures),
            help=say("measure_help"),
            key=f"imp_g_measure_{batch.id}",
        )
        year = c2.number_input(
            say("year"), min_value=2000, max_value=2100, value=None, help=say("year_help"), key=f"imp_g_year_{batch.id}"
        )
        if found.year:
            st.caption(say("year_found", year=found.year))
        sent = st.form_submit_button(say("recheck"), icon=":material/fact_check:", type="primary")
    if not sent:
        return False
    given = guided.answer(found, roles, measure, int(year) if year else None, {})
    if given is None:
        st.warning(say("need_unit"), icon=":material/warning:")
        return False
    guided.keep(batch, found, guided.build(found, given))
    st.session_state.pop(PREVIEW, None)
    return True


def _label(options: dict[str, str], value: str) -> str:
    return options.get(value, value)


def save_button(say: Translator, db: Path, who: Principal, batch: Batch) -> None:
    """Once the answer passed the check: keep it for the layout."""
    if guided.kept(batch) is None:
        return
    if st.button(say("save"), icon=":material/bookmark_add:", key="imp_guided_save", help=say("save_help")):
        try:
            guided.save(db, who, batch)
        except (Denied, MappingStoreError, OSError) as exc:
            st.error(plain(exc.message(say.lang) if isinstance(exc, MappingStoreError) else str(exc)))
            return
        st.success(say("saved_done"), icon=":material/bookmark_added:")
