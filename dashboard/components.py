"""Streamlit building blocks the pages share: cards, tables, the empty and error states."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl
import streamlit as st

from charts.theme import CHART_FONT, themed
from core import fmt
from dashboard import downloads, style, widget_words
from dashboard.context import READ_ERRORS, db_path, lang, published, translator
from dashboard.text import plain
from exports.tables import TableMeta
from services import display
from services.display import Card, Table
from store.queries import Published

if TYPE_CHECKING:  # views caches per version and is imported by the functions that use it
    from services.published import Base


def cards(items: Sequence[Card], per_row: int = 4) -> None:
    """Bordered metric cards of equal height, per_row to a row (a short last row keeps the same width)."""
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, items[start : start + per_row], strict=False):
            with column, st.container(border=True, height="stretch"):
                st.metric(card.label, card.value, help=card.help)
                if card.note:
                    st.caption(card.note)


# Up to this many rows a summary is a plain table; longer ones scroll inside a grid instead.
STATIC_MAX_ROWS = 20


def table(item: Table, key: str | None = None, static: bool = True) -> None:
    """A display table; in the scrolling grid, text holding numbers is aligned right like numbers.

    static: a plain table that shows every row and column and wraps long text, for short summaries a
    reader should see whole; otherwise (or when long) a scrolling, searchable grid.
    """
    if item.empty:
        st.caption(translator("dashboard.home")("none"))
        return
    said: list[str] = []
    if static and item.frame.height <= STATIC_MAX_ROWS:
        st.table(item.frame.to_arrow(), hide_index=True)  # Arrow, not polars: see _styled
    else:
        shown, config, constant, formats = _grid(item.frame, item.numeric)
        st.dataframe(_styled(shown, formats), hide_index=True, width="stretch", column_config=config, key=key)
        _on_paper(item.frame.drop(list(constant)), key or "grid-" + "-".join(item.frame.columns))
        said = [f"{name}: {value}" for name, value in constant.items() if value]
    if item.note or said:
        st.caption(" · ".join([*([item.note] if item.note else []), *said]))
    if key:
        downloads.table_menu(
            item.frame, key.replace("_", "-"), f"table-{key}", numeric=item.numeric, meta=_table_meta(item.note)
        )


def section(title: str, icon: str, caption: str | None = None) -> None:
    """A section heading with a Material icon (emoji render as boxes on some servers' browsers)."""
    st.subheader(f":material/{icon}: {title}", anchor=False, divider="gray")
    if caption:
        st.caption(caption)


def no_data(db: Path) -> None:
    """The friendly page shown before anything is loaded: what to run, never a traceback."""
    say = translator("dashboard.empty")
    with st.container(border=True):
        st.markdown(f"### :material/inventory_2: {say('title')}")
        st.write(say("body"))
        st.markdown(say("demo"))
        st.code(say("demo_command"), language="bash")
        st.markdown(say("load"))
        st.code(say("load_command"), language="bash")
        st.caption(say("path", path=str(db)))
        st.button(say("reload"), icon=":material/refresh:", key="empty_reload")


def read_error(db: Path, exc: BaseException) -> None:
    """A database that exists but cannot be read: say so in words, keep the detail to one line."""
    say = translator("dashboard")
    st.error(say("errors.read", path=str(db)), icon=":material/error:")
    st.code(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", language=None)
    st.button(say("empty.reload"), icon=":material/refresh:", key="error_reload")


# ---- the one way pages show a chart or a table (exports extend these two) -------------------------------


def chart_config(view: str, language: str = "vi") -> dict[str, object]:
    """Plotly's browser config for a chart: the modebar's image is named after the view, no Plotly logo, its
    buttons named in the reader's language."""
    return {
        **widget_words.plotly_locale(language),
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": view, "scale": 2},
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
    }


def show_chart(fig: Any, view: str, *, key: str | None = None) -> None:
    """Every chart on every page goes through here. view: a stable name for file names
    ("rankings-commune-2024"); the figure already carries its title, unit and source."""
    # theme=None: the chart looks in the page as it will in an exported report (same palette and fonts).
    # Builders already set the chart font; copying a figure on every rerun would cost ~45 ms per chart.
    shown = fig if fig.layout.font.family == CHART_FONT else themed(fig)
    st.plotly_chart(shown, theme=None, config=chart_config(view, lang()), key=key or f"chart-{view}")
    downloads.chart_menu(fig, view, key=key or f"chart-{view}")


def show_table(
    frame: pl.DataFrame | Table,
    view: str,
    *,
    numeric: Sequence[str] = (),
    caption: str | None = None,
    height: int | None = None,
    key: str | None = None,
    about: TableMeta | None = None,
) -> None:
    """Every data table on every page goes through here: a searchable, scrollable grid.

    frame holds display text already in the reader's language (numbers formatted by core.fmt), or is a
    services Table that also says its numeric columns; numeric names the columns aligned right like numbers.
    view: a stable name for file names. about: the title, filters and source written above the table in its
    .xlsx download.
    """
    if isinstance(frame, Table):
        numeric = numeric or frame.numeric
        frame = frame.frame
    if frame.is_empty():
        st.caption(translator("dashboard.home")("none"))
        return
    shown, config, constant, formats = _grid(frame, numeric)
    st.dataframe(
        _styled(shown, formats),
        hide_index=True,
        width="stretch",
        # Every row on the page (Streamlit caps a grid at 10,000 px, ~285 rows, then it scrolls)
        height=height if height is not None else "content",
        column_config=config,
        key=key or f"table-{view}",
    )
    _on_paper(frame.drop(list(constant)), key or f"table-{view}")
    said = [f"{name}: {value}" for name, value in constant.items() if value]
    if caption or said:
        st.caption(" · ".join([*([caption] if caption else []), *said]))
    downloads.table_menu(frame, view, key or f"table-{view}", numeric=numeric, meta=about or _table_meta(caption))


def _grid(
    frame: pl.DataFrame, numeric: Sequence[str]
) -> tuple[pl.DataFrame, dict[str, Any], dict[str, str], dict[str, Callable[[Any], str]]]:
    """What a grid shows: numeric columns as numbers (so a click on the header sorts 1, 2, 10, not 1, 10, 2),
    each drawn as the reader's language writes it ("91,65", "+10"); the columns holding one value on every row
    taken out (the caller says them once). Returns the frame, its column config, {dropped column: its value}
    and {numeric column: how a number is written}."""
    language = lang()
    constant = {k: v for k, v in display.constant_columns(frame).items() if k not in numeric}
    shown = frame.drop(list(constant))
    config: dict[str, Any] = {}
    formats: dict[str, Callable[[Any], str]] = {}
    for col in numeric:
        if col not in shown.columns:
            continue
        numbers = display.as_numbers(shown[col], language)
        if numbers is None:  # "1/63", "3 đơn vị": stays text, aligned like numbers
            config[col] = st.column_config.TextColumn(alignment="right")
            continue
        shown = shown.with_columns(numbers.values.alias(col))
        # No column format: Streamlit's would take precedence over the Styler's Vietnamese digits
        formats[col] = partial(_written, lang=language, decimals=numbers.decimals, signed=numbers.signed)
    return shown, config, constant, formats


def _written(value: Any, *, lang: str, decimals: int, signed: bool) -> str:
    if value is None or value != value:  # missing, or NaN from Arrow's conversion of a null
        return fmt.MISSING
    return display.signed(value, lang, decimals) if signed else fmt.number(value, lang, decimals)


def _styled(shown: pl.DataFrame, formats: dict[str, Callable[[Any], str]]) -> Any:
    """The grid's data: numbers stay numbers (the grid sorts on them) and a Styler writes them in the reader's
    language, which a column format cannot (Streamlit's formats write the browser's decimal point)."""
    # Arrow's own to_pandas: polars' holds the GIL while waiting on its thread pool, and a page formatting
    # with map_elements in another session needs the GIL in that pool (both readers' pages hung for good).
    data = shown.to_arrow().to_pandas()
    return data.style.format(formats, na_rep=fmt.MISSING) if formats else data


def _on_paper(text: pl.DataFrame, key: str) -> None:
    """The grid's rows once more as a plain table, for paper only: the grid draws on a canvas the rows in its
    view, so a printed page would show an empty frame or its first rows. Hidden on screen and shown instead of
    the grid when printing (dashboard/style.py, PRINT_TABLE). text: the grid's frame as the page gave it, its
    numbers already written in the reader's language, less the columns the caption states once; no Styler (it
    would cost ~75 % of the grid's own time again: bench/print_tables.py)."""
    # st.table renders Markdown in its cells: data such as `[x](http://evil)` must print as written, never as a
    # link or an image the browser fetches
    literal = text.with_columns(pl.col(pl.String).map_elements(plain, return_dtype=pl.String))
    with st.container(key=f"{style.PRINT_TABLE}{key}"):
        st.table(literal.to_arrow(), hide_index=True)  # Arrow, not polars: see _styled


_PAGE_TITLE = "_page_title"


def _table_meta(caption: str | None) -> TableMeta:
    """What a page's table is, for its workbook: the page's title (and the table's caption), the choices the
    page offered as the reader saw them, and the published version it came from."""
    from dashboard import state, views

    db = published()
    b = views.base(db) if db is not None else None
    title = st.session_state.get(_PAGE_TITLE, "")
    return TableMeta(
        title=" — ".join(part for part in (title, caption) if part),
        filters=tuple(state.shown_choices()),
        source=translator("exports.table")("dataset_version", dataset=b.dataset_name or "parboard", version=b.version)
        if b is not None
        else "",
        synthetic=b.synthetic if b is not None else False,
    )


def page_title(title: str) -> None:
    """The page's title; it also names the tables the page offers for download."""
    from dashboard import state

    st.title(title, anchor=False)
    st.session_state[_PAGE_TITLE] = title
    state.start_page()


def open_page(title: str) -> Published | None:
    """Title, then the published database if it holds anything to show; otherwise the friendly empty page or
    the read error (never a traceback) and None."""
    from dashboard import views  # views caches per version; imported here to keep this module light

    page_title(title)
    db = published()
    if db is None:
        no_data(db_path())
        return None
    try:
        empty = views.base(db).empty
    except READ_ERRORS as exc:
        read_error(db_path(), exc)
        return None
    if empty:
        no_data(db_path())
        return None
    return db


def open_scored_page(title: str) -> tuple[Published, Base] | None:
    """open_page, then also a note instead of the page when no unit has a score yet; (db, its Base)."""
    from dashboard import views

    db = open_page(title)
    if db is None:
        return None
    base = views.base(db)
    if base.results.is_empty():
        st.info(translator("profile")("no_results"), icon=":material/info:")
        return None
    return db, base


def synthetic_note(db: Published) -> None:
    """One line, on every page of demo data: these are not real figures."""
    from dashboard import views

    b = views.base(db)
    if b.synthetic:
        st.caption(f":material/science: {translator('dashboard.sidebar')('synthetic')} · {plain(b.dataset_name)}")
