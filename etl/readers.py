"""Read a file a unit sent (xlsx / xlsm / xls / ods, CSV in any encoding they use, parquet) into RawTables.

Every cell becomes text exactly as the user sees it, except a parquet file's numbers, which stay numbers
(etl/values.py reads them without a round trip through text, and gives any other field the same text); row
numbers are the ones Excel or a text editor shows, so a problem can point at the cell. Interpreting the text
(numbers with decimal commas, unit names, codes) is the mapper's job.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import polars as pl

from core.text import nfc
from etl import sniff, source, workbook
from etl.grid import ROW, Header, clean_cells, data_block, find_header
from etl.problems import InputError, Problem
from etl.raw import RawTable, ReadLimits
from etl.sniff import Kind

_KIND_PROBLEMS = {
    Kind.EMPTY: "read_empty_file",
    Kind.ZIP_NOT_WORKBOOK: "read_zip_not_workbook",
    Kind.DAMAGED: "read_damaged",
    Kind.MARKUP: "read_markup",
    Kind.UNKNOWN: "read_unknown_type",
}


def read_file(
    path: Path,
    *,
    display_name: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    header_depth: int | None = None,
    limits: ReadLimits | None = None,
) -> list[RawTable]:
    """One RawTable per sheet that holds a table.

    `sheet`, `header_row` (1-based, as Excel shows it; the line number for CSV) and `header_depth` (1 or 2)
    come from the user's mapping file and override detection. Raises InputError naming the file when
    nothing usable can be read.
    """
    path = Path(path)
    name = display_name or path.name
    limits = limits or ReadLimits()
    if header_depth not in (None, 1, 2):
        raise InputError([Problem("read_header_depth_invalid", file=name, params={"depth": header_depth})])
    if header_row is not None and header_row < 1:
        raise InputError([Problem("read_header_row_missing", file=name, params={"row": header_row})])
    data = source.read_bytes(path, name)
    digest = hashlib.sha256(data).hexdigest()

    kind = sniff.detect(data)
    if kind in _KIND_PROBLEMS:
        raise InputError([Problem(_KIND_PROBLEMS[kind], file=name)])
    if kind is Kind.PARQUET:
        return [_parquet_table(data, name, digest)]
    notes: list[Problem] = []
    if kind is Kind.TEXT:
        grids: list[tuple[str | None, pl.DataFrame]] = [(None, _text_grid(data, name, limits))]
    else:
        grids = list(_excel_grids(path, name, sheet, limits, notes))
    tables = _tables(grids, name, digest, explicit=sheet is not None, header_row=header_row, header_depth=header_depth)
    return _with_notes(tables, notes)


def _with_notes(tables: list[RawTable], notes: list[Problem]) -> list[RawTable]:
    """Each sheet's notes on its table; a note about the file (the hidden sheets not read) on the first."""
    if not notes:
        return tables
    sheets = {t.sheet for t in tables}
    out = []
    for i, table in enumerate(tables):
        own = tuple(n for n in notes if n.sheet == table.sheet or (i == 0 and n.sheet not in sheets))
        out.append(replace(table, notes=own) if own else table)
    return out


def _tables(
    grids: list[tuple[str | None, pl.DataFrame]],
    name: str,
    digest: str,
    *,
    explicit: bool,
    header_row: int | None,
    header_depth: int | None,
) -> list[RawTable]:
    found: list[tuple[str | None, pl.DataFrame, Header]] = []
    for sheet_name, grid in grids:
        if grid.height == 0:
            continue
        if header_row is not None and not _has_cells(grid, header_row):
            raise InputError(
                [Problem("read_header_row_missing", file=name, sheet=sheet_name, params={"row": header_row})]
            )
        header = find_header(grid, header_row=header_row, header_depth=header_depth)
        if header is not None:
            found.append((sheet_name, grid, header))

    # A workbook often carries a notes or instructions sheet beside the tables: when some sheet has known
    # headers, sheets without any are not tables.
    if not explicit and header_row is None and any(h.known for _, _, h in found):
        found = [f for f in found if f[2].known]

    tables: list[RawTable] = []
    problems: list[Problem] = []
    for sheet_name, grid, header in found:
        block = data_block(grid, header)
        if block.data.height == 0:
            problems.append(Problem("read_header_only", file=name, sheet=sheet_name, row=header.rows[0]))
            continue
        tables.append(
            RawTable(
                file_name=name,
                sha256=digest,
                sheet=sheet_name,
                header_rows=header.rows,
                columns=block.columns,
                header_parts=block.header_parts,
                data=block.data,
                dropped_footer_rows=block.dropped_footer_rows,
                title=block.title,
            )
        )
    if tables:
        # A template sheet left empty beside filled ones loses nothing; only a file with no data is refused.
        return tables
    raise InputError(problems or [Problem("read_no_table", file=name)])


def _has_cells(grid: pl.DataFrame, row: int) -> bool:
    hit = grid.filter(pl.col(ROW) == row).drop(ROW)
    return hit.height > 0 and any(v is not None for v in hit.row(0))


# --- workbooks ---------------------------------------------------------------------------------------------


def _excel_grids(
    path: Path, name: str, sheet: str | None, limits: ReadLimits, notes: list[Problem]
) -> Iterator[tuple[str, pl.DataFrame]]:
    reads = workbook.read_sheets(path, name, sheet, limits)
    # Hidden sheets hold lookups, drop-down lists and last year's copy: an officer sending the scores does not
    # see them and does not expect them loaded. One is read only when the mapping names it; either way a note
    # names them, so a sheet of real scores hidden by mistake is not lost unseen.
    skipped = [r.name for r in reads if not r.visible and r.frame is None]
    if skipped:
        notes.append(
            Problem("read_hidden_sheets_skipped", severity="warning", file=name, params={"sheets": _listed(skipped)})
        )
    for read in reads:
        if not read.visible and read.frame is not None:
            notes.append(Problem("read_hidden_sheet_read", severity="warning", file=name, sheet=read.name))
        if read.hidden_rows or read.hidden_columns:
            # Hidden rows and columns are read: Excel's own totals count them, and the patch rule keeps a
            # hidden criterion from wiping the others. The note lets the officer check they were meant to be sent.
            notes.append(_hidden_cells_note(name, read))
        frame = read.frame
        if frame is None or frame.width == 0 or frame.height == 0:
            continue
        _check_extent(frame.height, frame.width, name, read.name, limits)
        # skip_rows=0 keeps blank rows above the first filled one, so position + 1 is the row Excel shows.
        frame = frame.select(
            *(pl.col(c).cast(pl.Utf8).alias(f"g{j}") for j, c in enumerate(frame.columns)),
            pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW),
        )
        yield read.name, clean_cells(frame, excel=True)


def _hidden_cells_note(name: str, read: workbook.Sheet) -> Problem:
    rows, columns = _ranges(read.hidden_rows, str), _ranges(read.hidden_columns, _letters)
    if rows and columns:
        code, params = "read_hidden_rows_columns", {"rows": rows, "columns": columns}
    elif rows:
        code, params = "read_hidden_rows", {"rows": rows}
    else:
        code, params = "read_hidden_columns", {"columns": columns}
    return Problem(code, severity="warning", file=name, sheet=read.name, params=params)


def _ranges(numbers: tuple[int, ...], label) -> str:
    """5, 7–9, 12 (runs of consecutive numbers shown as a span)."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(label(r[0]) if len(r) == 1 else f"{label(r[0])}–{label(r[-1])}" for r in runs)


def _letters(column: int) -> str:
    """Excel's column letters: 1 → A, 27 → AA."""
    out = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


def _listed(names: list[str]) -> str:
    return ", ".join(f"«{n}»" for n in names)


def _check_extent(rows: int, columns: int, name: str, sheet: str | None, limits: ReadLimits) -> None:
    """A grid too wide or too big to clean up and search for a header in reasonable time is refused."""
    if columns > limits.max_columns:
        raise InputError(
            [Problem("read_too_wide", file=name, sheet=sheet, params={"columns": columns, "limit": limits.max_columns})]
        )
    if rows * columns > limits.max_cells:
        raise InputError(
            [
                Problem(
                    "read_too_many_cells",
                    file=name,
                    sheet=sheet,
                    params={"rows": rows, "columns": columns, "limit": limits.max_cells},
                )
            ]
        )


# --- text --------------------------------------------------------------------------------------------------


def _text_grid(data: bytes, name: str, limits: ReadLimits) -> pl.DataFrame:
    lines_in_file = sniff.line_count(data)
    if lines_in_file > limits.max_rows:
        raise InputError(
            [Problem("file_too_many_rows", file=name, params={"rows": lines_in_file, "limit": limits.max_rows})]
        )
    text = sniff.decode_text(data)
    if text is None:
        raise InputError([Problem("read_encoding", file=name)])
    separator, skip_lines = sniff.separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    records: list[list[str]] = []
    lines: list[int] = []
    last_line = 0
    try:
        for record in reader:
            first_line, last_line = last_line + 1, reader.line_num
            if first_line <= skip_lines or not any(field.strip() for field in record):
                continue
            if len(record) > limits.max_columns:
                raise InputError(
                    [
                        Problem(
                            "read_too_wide",
                            file=name,
                            row=first_line,
                            params={"columns": len(record), "limit": limits.max_columns},
                        )
                    ]
                )
            records.append(record)
            lines.append(first_line)  # a quoted field may span lines: the record starts here
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # one cell of more text than a page holds
            limit = csv.field_size_limit()
            raise InputError(
                [Problem("read_cell_too_long", file=name, row=last_line + 1, params={"limit": limit})]
            ) from None
        raise InputError([Problem("read_damaged", file=name, row=last_line + 1)]) from None
    if not records:
        raise InputError([Problem("read_empty_file", file=name)])
    width = max(len(r) for r in records)
    padded = [r + [""] * (width - len(r)) if len(r) < width else r for r in records]
    frame = pl.DataFrame(padded, schema=[(f"g{j}", pl.Utf8) for j in range(width)], orient="row")
    frame = frame.with_columns(pl.Series(ROW, lines, dtype=pl.Int64))
    # cp1258 decodes to decomposed Vietnamese: clean_cells makes every cell NFC.
    return clean_cells(frame, excel=False)


# --- parquet -----------------------------------------------------------------------------------------------


def _parquet_table(data: bytes, name: str, digest: str) -> RawTable:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception:  # polars raises several error types for a damaged file; all mean the same to the user
        raise InputError([Problem("read_damaged", file=name)]) from None
    if frame.width == 0:
        raise InputError([Problem("read_no_table", file=name)])
    exprs = []
    for j, (column, dtype) in enumerate(frame.schema.items()):
        exprs.append(_parquet_text(pl.col(column), dtype, name, column).alias(f"g{j}"))
    grid = frame.select(*exprs, pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW))
    grid = clean_cells(grid, excel=False)
    labels = tuple(nfc(c) for c in frame.columns)
    header = Header(rows=(), parts=tuple((label,) for label in labels), end=0, known=1)
    # Parquet is written by programs: no title rows, totals or signatures to look for.
    block = data_block(grid, header, footer=False)
    if block.data.height == 0:
        raise InputError([Problem("read_header_only", file=name)])
    return RawTable(
        file_name=name,
        sha256=digest,
        sheet=None,
        header_rows=(),
        columns=block.columns,
        header_parts=block.header_parts,
        data=block.data,
    )


def _parquet_text(col: pl.Expr, dtype: pl.DataType, name: str, column: str) -> pl.Expr:
    if dtype == pl.Float64:
        # 15 significant digits, as Excel keeps: a sum computed upstream shows 91.65, not 91.65000000000001.
        # Kept a number (a score or a year parses it without a round trip through text); values.as_text
        # gives any other field the text this column stands for.
        # NaN stays NaN: the value parsers refuse it cell by cell, as they refuse any unreadable number.
        return col.round_sig_figs(15)
    if dtype.is_integer():
        return col
    if dtype == pl.Float32:
        return _strip_point_zero(col.cast(pl.Utf8))
    if isinstance(dtype, pl.Datetime):
        return col.dt.to_string("%Y-%m-%d %H:%M:%S").str.replace(r" 00:00:00$", "")
    if dtype.is_nested() or dtype in (pl.Binary, pl.Object):
        raise InputError([Problem("read_parquet_column_type", file=name, column=column, params={"type": str(dtype)})])
    return col.cast(pl.Utf8)


def _strip_point_zero(expr: pl.Expr) -> pl.Expr:
    return expr.str.replace(r"\.0$", "")
