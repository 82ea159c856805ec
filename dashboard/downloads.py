"""The download menu under every chart and table: the files are made only when a button is clicked.

Each button's data is a callable, which Streamlit runs on another thread at the click: it works on the
figure or frame already in memory, never on the database, so it needs no cursor of its own.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import polars as pl
import streamlit as st

from core.i18n import Translator
from dashboard.context import lang
from exports import charts, tables
from exports.filenames import export_name

log = logging.getLogger(__name__)

_CHART_FORMATS: tuple[tuple[charts.Format, str], ...] = (
    ("png", ":material/image:"),
    ("svg", ":material/polyline:"),
    ("pdf", ":material/picture_as_pdf:"),
    ("html", ":material/public:"),
)
_TABLE_MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def _button(label: str, data: Callable[[], bytes], name: str, mime: str, key: str, icon: str) -> None:
    st.download_button(
        label, data=data, file_name=name, mime=mime, key=key, icon=icon, on_click="ignore", width="stretch"
    )


def chart_menu(fig: Any, view: str, key: str) -> None:
    """PNG (print), SVG, PDF and standalone HTML of the figure, named after the view and today."""
    say = Translator("exports", lang())
    reader = say.lang
    with st.popover(say("menu.label"), icon=":material/download:", help=say("menu.help"), key=f"{key}-menu"):
        st.caption(say("menu.chart"))
        missing = charts.missing_parts(fig)
        if missing:
            parts = ", ".join(say(f"chart.part_{part}") for part in missing)
            log.warning("chart %s lacks %s", view, ", ".join(missing))
            st.warning(say("chart.missing", parts=parts), icon=":material/warning:")
        no_browser = charts.browser_path() is None
        if no_browser:
            st.error(charts.ChartExportError("chromium_missing").message(reader), icon=":material/error:")
        for fmt, icon in _CHART_FORMATS:
            if fmt != "html" and no_browser:
                continue
            _button(
                say(f"menu.{fmt}"),
                partial(charts.render, fig, fmt, reader),
                export_name(view, None, fmt),
                charts.FORMATS[fmt],
                f"{key}-{fmt}",
                icon,
            )


def table_menu(
    frame: pl.DataFrame,
    view: str,
    key: str,
    *,
    numeric: Sequence[str] = (),
    meta: tables.TableMeta | None = None,
) -> None:
    """.xlsx (formatted, what the table is written above it) and CSV (UTF-8 with BOM) of the table."""
    say = Translator("exports", lang())
    reader = say.lang
    about = meta or tables.TableMeta(title=view)
    with st.popover(say("menu.label"), icon=":material/download:", help=say("menu.help"), key=f"{key}-menu"):
        st.caption(say("menu.table"))
        # Numbers are parsed back from the display text at the click, not on every rerun (~0.2 s on 13,000 rows).
        _button(
            say("menu.xlsx"),
            partial(_xlsx, frame, numeric, about, reader),
            export_name(view, None, "xlsx"),
            _TABLE_MIME["xlsx"],
            f"{key}-xlsx",
            ":material/table_view:",
        )
        _button(
            say("menu.csv"),
            partial(_csv, frame, numeric, reader),
            export_name(view, None, "csv"),
            _TABLE_MIME["csv"],
            f"{key}-csv",
            ":material/description:",
        )


def _xlsx(frame: pl.DataFrame, numeric: Sequence[str], about: tables.TableMeta, reader: str) -> bytes:
    return tables.to_xlsx(tables.numbers_from_display(frame, numeric, reader), about, reader)


def _csv(frame: pl.DataFrame, numeric: Sequence[str], reader: str) -> bytes:
    return tables.to_csv(tables.numbers_from_display(frame, numeric, reader))
