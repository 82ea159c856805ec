"""Tables as files for Excel and Word: a formatted .xlsx and a CSV that Excel opens in Vietnamese.

The .xlsx says above the table what it shows (title, filters, source, export day), then a bold header row
that stays frozen and carries an autofilter, columns sized to their content, numbers stored as numbers
with two decimals (Excel shows them with the reader's own decimal separator). The CSV is UTF-8 with a
byte-order mark: without it Excel on Windows reads the file as the local code page and garbles
Vietnamese. Every text cell goes through `exports.cells.neutralise`, so a unit name such as
"=HYPERLINK(…)" stays text in both.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl
import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from core import fmt
from core.i18n import DEFAULT_LANGUAGE, t
from exports.cells import neutralise

NUMBER_FORMAT = "0.00"
INTEGER_FORMAT = "0"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MIN_WIDTH = 6
MAX_WIDTH = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class TableMeta:
    """What a table is, written above it in the workbook: its title, the filters that made it, its source."""

    title: str
    filters: Sequence[tuple[str, str]] = field(default_factory=tuple)  # (label, value), e.g. ("Năm", "2024")
    source: str = ""
    synthetic: bool = False
    sheet: str | None = None  # the sheet's name; the localised "Số liệu" when None


def as_polars(frame: Any) -> pl.DataFrame:
    """Pages hold polars frames; a pandas frame (e.g. from a widget) is accepted too."""
    if isinstance(frame, pl.DataFrame):
        return frame
    return pl.from_pandas(frame)


def sheet_name(name: str) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\, not blank."""
    clean = _SHEET_FORBIDDEN.sub("-", name).strip("' ")[:31].strip()
    return clean or "Sheet1"


def _kind(dtype: pl.DataType) -> str:
    if dtype.is_float() or dtype.is_decimal():
        return "float"
    if dtype.is_integer():
        return "int"
    if dtype == pl.Boolean:
        return "bool"
    if dtype == pl.Datetime or isinstance(dtype, pl.Datetime):
        return "datetime"
    if dtype == pl.Date:
        return "date"
    return "text"


def _shown_width(value: Any, kind: str) -> int:
    if value is None:
        return 0
    if kind == "float":
        return len(f"{value:,.2f}")
    if kind in ("date", "datetime"):
        return 10 if kind == "date" else 16
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def write_table(
    workbook: Workbook,
    frame: pl.DataFrame,
    meta: TableMeta,
    lang: str = DEFAULT_LANGUAGE,
    on: date | None = None,
) -> Worksheet:
    """One sheet: what the table is (title, filters, source, day), then the table with a frozen header."""
    ws = workbook.add_worksheet(sheet_name(meta.sheet or t("exports.table.sheet", lang)))
    title_fmt = workbook.add_format({"bold": True, "font_size": 14})
    note_fmt = workbook.add_format({"italic": True, "font_color": "#444444"})
    warn_fmt = workbook.add_format({"bold": True, "font_color": "#9c0006"})
    header_fmt = workbook.add_format(
        {"bold": True, "bg_color": "#dde4ee", "border": 1, "text_wrap": True, "valign": "top"}
    )
    formats = {
        "float": workbook.add_format({"num_format": NUMBER_FORMAT}),
        "int": workbook.add_format({"num_format": INTEGER_FORMAT}),
        "date": workbook.add_format({"num_format": DATE_FORMAT}),
        "datetime": workbook.add_format({"num_format": DATETIME_FORMAT}),
        "text": workbook.add_format({"text_wrap": False, "valign": "top"}),
        "bool": workbook.add_format({}),
    }

    row = 0
    ws.write_string(row, 0, neutralise(meta.title), title_fmt)
    row += 1
    filters = "; ".join(f"{label}: {value}" for label, value in meta.filters) or t("exports.table.no_filters", lang)
    ws.write_string(row, 0, neutralise(f"{t('exports.table.filters', lang)}: {filters}"), note_fmt)
    row += 1
    if meta.source:
        ws.write_string(row, 0, neutralise(f"{t('exports.table.source', lang)}: {meta.source}"), note_fmt)
        row += 1
    ws.write_string(row, 0, t("exports.table.exported", lang, day=fmt.day(on or date.today(), lang)), note_fmt)
    row += 1
    if meta.synthetic:
        ws.write_string(row, 0, t("exports.table.synthetic", lang), warn_fmt)
        row += 1
    row += 1  # one blank row between what the table is and the table

    header_row = row
    kinds = [_kind(dtype) for dtype in frame.dtypes]
    widths = [len(str(name)) for name in frame.columns]
    for col, name in enumerate(frame.columns):
        ws.write_string(header_row, col, neutralise(str(name)), header_fmt)
    for r, values in enumerate(frame.iter_rows(), start=header_row + 1):
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            widths[col] = max(widths[col], _shown_width(value, kind))
            _write_cell(ws, r, col, value, kind, formats[kind])

    for col, width in enumerate(widths):
        ws.set_column(col, col, min(max(width + 2, MIN_WIDTH), MAX_WIDTH), formats[kinds[col]])
    last_row = header_row + max(frame.height, 1)
    if frame.width:
        ws.freeze_panes(header_row + 1, 0)
        ws.autofilter(header_row, 0, last_row, frame.width - 1)
    # Printing: header repeated on every page, as wide as one page, landscape for wide tables.
    ws.repeat_rows(header_row)
    ws.fit_to_pages(1, 0)
    if frame.width > 6:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    return ws


def _write_cell(ws: Worksheet, row: int, col: int, value: Any, kind: str, cell_fmt: Any) -> None:
    if value is None or (kind == "float" and value != value):  # NaN: blank, never 0
        ws.write_blank(row, col, None, cell_fmt)
    elif kind in ("float", "int"):
        ws.write_number(row, col, float(value), cell_fmt)
    elif kind == "bool":
        ws.write_boolean(row, col, bool(value), cell_fmt)
    elif kind == "datetime" and isinstance(value, datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), cell_fmt)
    elif kind == "date" and isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), cell_fmt)
    else:
        text = value if isinstance(value, str) else _text(value)
        ws.write_string(row, col, neutralise(text), cell_fmt)


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def new_workbook(buffer: io.BytesIO, title: str) -> Workbook:
    # strings_to_formulas/urls off: nothing written as text may turn into a formula or a link.
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    workbook.set_properties({"title": title, "author": "parboard"})
    return workbook


def to_xlsx(frame: Any, meta: TableMeta, lang: str = DEFAULT_LANGUAGE, on: date | None = None) -> bytes:
    """The table as a formatted one-sheet workbook."""
    buffer = io.BytesIO()
    workbook = new_workbook(buffer, meta.title)
    write_table(workbook, as_polars(frame), meta, lang, on)
    workbook.close()
    return buffer.getvalue()


def to_csv(frame: Any) -> bytes:
    """The table as CSV: UTF-8 with BOM, comma-separated, header row, text neutralised, numbers as numbers."""
    df = as_polars(frame)
    floats = [name for name, dtype in df.schema.items() if dtype.is_float()]
    if floats:  # NaN is "no value" here, as in the workbook: blank, never "NaN"
        df = df.with_columns(pl.col(floats).fill_nan(None))
    lists = [name for name, dtype in df.schema.items() if isinstance(dtype, pl.List)]
    if lists:  # CSV has no nested values: a list is written as its items joined
        df = df.with_columns(pl.col(name).list.eval(pl.element().cast(pl.String)).list.join("; ") for name in lists)
    text_cols = [name for name, dtype in df.schema.items() if _kind(dtype) == "text"]
    if text_cols:
        df = df.with_columns(
            pl.col(name).cast(pl.String).map_elements(neutralise, return_dtype=pl.String) for name in text_cols
        )
    df = df.rename({name: str(neutralise(name)) for name in df.columns})
    buffer = io.BytesIO()
    df.write_csv(buffer, include_bom=True, datetime_format="%Y-%m-%d %H:%M:%S", date_format="%Y-%m-%d")
    return buffer.getvalue()


_NUMBER_TEXT = re.compile(r"^[+-]?\d+(\.\d+)?$")
_UNIT_WORDS = re.compile(r"(điểm|points?|%|\s)", re.IGNORECASE)
_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # (decimal, thousands), as core.fmt writes them


def _parse_shown(text: str | None, lang: str) -> float | str | None:
    """'91,65 điểm' → 91.65; '1.234,5' → 1234.5 (vi); '–' or '' → None; anything else → the text itself."""
    if text is None:
        return None
    bare = _UNIT_WORDS.sub("", text).replace("−", "-")
    if bare in ("", fmt.MISSING, "—", "-"):
        return None
    decimal_sep, thousands_sep = _SEPARATORS.get(lang, _SEPARATORS[DEFAULT_LANGUAGE])
    bare = bare.replace(thousands_sep, "").replace(decimal_sep, ".")
    return float(bare) if _NUMBER_TEXT.match(bare) else text


def numbers_from_display(frame: pl.DataFrame, numeric: Sequence[str], lang: str = DEFAULT_LANGUAGE) -> pl.DataFrame:
    """A display table (numbers written as text by core.fmt) with its numeric columns made numbers again,
    so a workbook holds numbers Excel can add up. A column with any value that is not a number is left as
    text: nothing shown on screen is ever lost in the file."""
    decimal_sep = _SEPARATORS.get(lang, _SEPARATORS[DEFAULT_LANGUAGE])[0]
    out = frame
    for name in numeric:
        if name not in frame.columns or frame.schema[name] != pl.String:
            continue
        shown = frame[name].to_list()
        parsed = [_parse_shown(v, lang) for v in shown]
        if any(isinstance(v, str) for v in parsed):
            continue
        values = pl.Series(name, parsed, dtype=pl.Float64)
        whole = not any(v is not None and decimal_sep in v for v in shown)  # ranks, counts, years
        out = out.with_columns(values.cast(pl.Int64) if whole else values)
    return out
