"""Read a workbook's sheets in a child process with a memory and time limit.

calamine (through fastexcel) allocates a sheet's whole rectangle at once, from its first to its last cell: one
stray cell at XFD1048576 makes it ask for 512 GiB, and a Rust allocation failure aborts the process — the
loader, or the whole dashboard server when the file came through the Import page. No check of the bytes can
promise a native library never aborts, so the library runs in a child (`python -m etl.workbook`) whose address
space and CPU time are capped (checks/rules.yaml: reader_memory_bytes, reader_seconds): when it dies, the parent
gets a refusal naming the file and the sheet being read, and goes on serving.

The child writes each sheet's cells as text (Arrow IPC) and a manifest in a private temporary folder, with the
hidden rows and columns that hold values (named in a note: read, as Excel's own sums read them).

calamine gives an error cell (#N/A, #DIV/0!…) and a formula saved without its value as empty, which a load would
count as 0, and a cell formatted as a percentage as its stored fraction (0.95 for 95 %). The child reads the
sheet's XML beside it (xlsx, xlsm) and writes those cells as the user sees them: the error text, "=" and the
formula, "95%"; a score parser then refuses the first two cell by cell and reads the third as 95.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core.text import fold, nfc
from etl.problems import InputError, Problem
from etl.raw import ReadLimits

_MANIFEST = "manifest.json"
_PROGRESS = "reading.txt"


@dataclass(frozen=True)
class Sheet:
    name: str
    visible: bool
    frame: pl.DataFrame | None  # None for a hidden sheet that was not asked for (it is not read)
    # Rows and columns (1-based, as Excel numbers them) hidden in the sheet that hold a value: read like the
    # others, and named in a note (etl/readers.py)
    hidden_rows: tuple[int, ...] = ()
    hidden_columns: tuple[int, ...] = ()


def read_sheets(path: Path, name: str, sheet: str | None, limits: ReadLimits) -> list[Sheet]:
    """Every sheet (or only `sheet`, matched by the caller) as strings; InputError when the child could not."""
    memory, seconds = limits.memory_bytes, limits.seconds
    with tempfile.TemporaryDirectory(prefix="parboard-read-") as out:
        args = [sys.executable, "-m", "etl.workbook", str(path), out, str(memory), str(seconds)]
        if sheet is not None:
            args.append(sheet)
        env = {**os.environ, "POLARS_MAX_THREADS": "1", "RUST_BACKTRACE": "0"}
        try:
            done = subprocess.run(args, capture_output=True, timeout=seconds + 5, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise InputError([_died(name, out, "read_too_slow", seconds=seconds)]) from None
        manifest = Path(out) / _MANIFEST
        if done.returncode != 0 or not manifest.exists():
            if done.returncode == 3:  # the child's own verdict: the library refused the file
                raise InputError([Problem("read_damaged", file=name, sheet=_reading(out))])
            # SIGXCPU: the CPU-time cap; anything else (an abort, SIGKILL, a MemoryError) is the memory cap.
            code = "read_too_slow" if done.returncode == -signal.SIGXCPU else "read_too_big"
            raise InputError([_died(name, out, code, seconds=seconds, memory=memory // 2**20)])
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        if isinstance(entries, dict):
            available = ", ".join(entries["available"])
            raise InputError(
                [Problem("read_sheet_not_found", file=name, params={"sheet": sheet, "available": available})]
            )
        return [
            Sheet(
                e["name"],
                e["visible"],
                pl.read_ipc(io.BytesIO((Path(out) / e["file"]).read_bytes())) if e["file"] else None,
                tuple(e.get("hidden_rows", ())),
                tuple(e.get("hidden_columns", ())),
            )
            for e in entries
        ]


def match_sheet(wanted: str, names: list[str]) -> str | None:
    if wanted in names:
        return wanted
    for key in (nfc, fold):
        matches = [n for n in names if key(n) == key(wanted)]
        if len(matches) == 1:
            return matches[0]
    return None


def _reading(out: str) -> str | None:
    try:
        return (Path(out) / _PROGRESS).read_text(encoding="utf-8") or None
    except OSError:
        return None


def _died(name: str, out: str, code: str, **params: int) -> Problem:
    return Problem(code, file=name, sheet=_reading(out), params=params)


def _child(path: str, out: str, memory: int, seconds: int, wanted: str | None) -> int:
    import resource

    # Never above a cap the parent itself runs under (a test's, a service manager's): only lowered.
    for kind, want in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, seconds)):
        soft, hard = resource.getrlimit(kind)
        cap = want if soft == resource.RLIM_INFINITY else min(want, soft)
        resource.setrlimit(kind, (cap, hard))
    import fastexcel

    folder = Path(out)
    try:
        reader = fastexcel.read_excel(Path(path).read_bytes())
        names = list(reader.sheet_names)
    except (fastexcel.FastExcelError, OSError, ValueError):
        return 3
    if wanted is not None:
        chosen = match_sheet(wanted, names)
        if chosen is None:
            (folder / _MANIFEST).write_text(json.dumps({"missing": wanted, "available": names}), encoding="utf-8")
            return 0
        wanted = chosen
    chosen_names = [n for n in names if wanted is None or n == wanted]
    try:
        marks = _cell_marks(path, chosen_names) or _ods_marks(path, chosen_names) or _xls_marks(path, chosen_names)
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError, IndexError, struct.error):
        marks = {}  # parts calamine read differently: its reading stands
    entries = []
    for i, sheet_name in enumerate(names):
        if wanted is not None and sheet_name != wanted:
            continue
        (folder / _PROGRESS).write_text(sheet_name, encoding="utf-8")
        try:
            loaded = reader.load_sheet(sheet_name, header_row=None, dtypes="string", skip_rows=0)
            visible = loaded.visible == "visible"
            if wanted is None and not visible:
                entries.append({"name": sheet_name, "visible": False, "file": None})
                continue
            found = marks.get(sheet_name)
            frame = _as_seen(loaded.to_polars(), found)
        except (fastexcel.FastExcelError, OSError, ValueError):
            return 3
        file = f"s{i}.arrow"
        frame.write_ipc(folder / file)
        rows, columns = _hidden_with_values(frame, found)
        entries.append(
            {"name": sheet_name, "visible": visible, "file": file, "hidden_rows": rows, "hidden_columns": columns}
        )
    (folder / _PROGRESS).write_text("", encoding="utf-8")
    (folder / _MANIFEST).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return 0


# --- cells calamine gives as empty or as a fraction --------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%
_REF = re.compile(r"([A-Z]+)(\d+)")


@dataclass
class Marks:
    """What a sheet's XML says that calamine does not: the first column holding a value (calamine's grid starts
    there), the cells to show as the user sees them {(row, column) 1-based: text}, and the hidden rows and
    column ranges."""

    first: int = 0
    cells: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: list[int] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # (min, max) as <col> gives them


def _cell_marks(path: str, sheets: list[str]) -> dict[str, Marks]:
    """{sheet: Marks}: error cells, formulas saved without a value, numbers formatted as percentages, hidden rows
    and columns; {} for a file that is not a zip."""
    import xml.etree.ElementTree as ET

    if not zipfile.is_zipfile(path):
        return {}
    with zipfile.ZipFile(path) as zf:
        parts = set(zf.namelist())
        if "xl/workbook.xml" not in parts:
            return {}
        book = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): str(r.get("Target")) for r in rels}
        percent_styles = _percent_styles(ET.fromstring(zf.read("xl/styles.xml"))) if "xl/styles.xml" in parts else set()
        out: dict[str, Marks] = {}
        for sheet in book.iter(f"{_MAIN}sheet"):
            name = sheet.get("name")
            target = targets.get(sheet.get(_REL_ID))
            if name not in sheets or target is None:
                continue
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if part in parts and _may_hold_marks(zf, part, percent_styles):
                with zf.open(part) as xml:
                    out[str(name)] = _sheet_marks(xml, percent_styles)
    return out


def _may_hold_marks(zf: zipfile.ZipFile, part: str, percent_styles: set[int]) -> bool:
    """Whether the sheet's XML holds an error cell, a formula or a percentage style at all: a byte search, several
    times faster than parsing, so a sheet of plain values is not parsed twice."""
    needles = [b't="e"', b"<f>", b"<f ", b":f>", b":f ", b"hidden="]
    needles += [f's="{i}"'.encode() for i in sorted(percent_styles)]
    keep = max(len(n) for n in needles) - 1
    tail = b""
    with zf.open(part) as xml:
        while chunk := xml.read(1 << 20):
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-keep:]
    return False


def _percent_styles(styles) -> set[int]:
    """Indexes of the cell styles (cellXfs) whose number format shows a percentage."""
    custom = {
        int(f.get("numFmtId", -1))
        for f in styles.iter(f"{_MAIN}numFmt")
        if "%" in re.sub(r'"[^"]*"|\\.', "", f.get("formatCode", ""))
    }
    xfs = styles.find(f"{_MAIN}cellXfs")
    if xfs is None:
        return set()
    return {i for i, xf in enumerate(xfs.iter(f"{_MAIN}xf")) if int(xf.get("numFmtId", 0)) in _PERCENT_FORMATS | custom}


def _sheet_marks(xml, percent_styles: set[int]) -> Marks:
    import xml.etree.ElementTree as ET

    found = Marks()
    for _event, c in ET.iterparse(xml):
        if c.tag != f"{_MAIN}c":
            if c.tag == f"{_MAIN}row":
                if c.get("hidden") in ("1", "true") and (c.get("r") or "").isdigit():
                    found.hidden_rows.append(int(c.get("r") or 0))
                c.clear()
            elif c.tag == f"{_MAIN}col" and c.get("hidden") in ("1", "true"):
                found.hidden_columns.append((int(c.get("min", 0)), int(c.get("max", 0))))
            continue
        ref = _REF.fullmatch(c.get("r") or "")
        if ref is None:
            continue
        where = (int(ref[2]), _column_number(ref[1]))
        value, formula, kind = c.find(f"{_MAIN}v"), c.find(f"{_MAIN}f"), c.get("t", "n")
        text = value.text if value is not None else None
        if text or c.find(f"{_MAIN}is") is not None:
            found.first = where[1] if found.first == 0 else min(found.first, where[1])
        if kind == "e":
            found.cells[where] = text or "#N/A"
        elif formula is not None and not text and kind != "inlineStr":
            found.cells[where] = "=" + (formula.text or "")
        elif kind == "n" and text and int(c.get("s", 0)) in percent_styles:
            found.cells[where] = _percent_text(text)
    return found


# OpenDocument (LibreOffice Calc): calamine reads an error cell as the 0 or "" Calc stores beside it, a formula
# saved without a value as empty, and a percentage as its fraction, like the xlsx cases above.
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_ODS_NEEDLES = (b'value-type="error"', b"table:formula=", b'value-type="percentage"', b"table:visibility=")
_ODS_HIDDEN = ("collapse", "filter")
_MARKED_REPEATS = 1024  # a mark repeated over more cells than a sheet has columns is a whole-row style


def _ods_marks(path: str, sheets: list[str]) -> dict[str, Marks]:
    """{sheet: Marks} for an OpenDocument spreadsheet; {} for any other file."""
    import xml.etree.ElementTree as ET

    if not zipfile.is_zipfile(path):
        return {}
    with zipfile.ZipFile(path) as zf:
        if "content.xml" not in zf.namelist() or not _part_holds(zf, "content.xml", _ODS_NEEDLES):
            return {}
        out: dict[str, Marks] = {}
        walk: _OdsSheet | None = None
        with zf.open("content.xml") as xml:
            for event, el in ET.iterparse(xml, events=("start", "end")):
                if el.tag == f"{_TABLE}table":
                    name = el.get(f"{_TABLE}name")
                    if event == "start" and name in sheets:
                        walk = _OdsSheet()
                        out[str(name)] = walk.found
                    elif event == "end":
                        walk = None
                        el.clear()
                elif walk is not None:
                    walk.step(event, el)
        return out


class _OdsSheet:
    """Where the walk through one table is: rows and columns counted with their repeats, covered cells of a
    merge included, as calamine counts them."""

    def __init__(self) -> None:
        self.found = Marks()
        self.row = self.column = 0
        self.row_filled = self.row_hidden = False

    def step(self, event: str, el) -> None:
        tag = el.tag
        if tag == f"{_TABLE}table-row":
            if event == "start":
                self.column, self.row_filled = 0, False
                self.row_hidden = el.get(f"{_TABLE}visibility") in _ODS_HIDDEN
                return
            if self.row_hidden and self.row_filled:
                self.found.hidden_rows.append(self.row + 1)
            self.row += int(el.get(f"{_TABLE}number-rows-repeated", 1))
            el.clear()
        elif event != "end":
            return
        elif tag == f"{_TABLE}table-column":
            repeat = int(el.get(f"{_TABLE}number-columns-repeated", 1))
            if el.get(f"{_TABLE}visibility") in _ODS_HIDDEN:
                self.found.hidden_columns.append((self.column + 1, self.column + repeat))
            self.column += repeat
        elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
            self._cell(el)

    def _cell(self, el) -> None:
        repeat = int(el.get(f"{_TABLE}number-columns-repeated", 1))
        shown = _ods_shown(el)
        if shown is not None or el.get(f"{_OFFICE}value-type") is not None or "".join(el.itertext()):
            self.row_filled = True
            first = self.found.first
            self.found.first = self.column + 1 if first == 0 else min(first, self.column + 1)
        if shown is not None:
            for j in range(min(repeat, _MARKED_REPEATS)):
                self.found.cells[(self.row + 1, self.column + 1 + j)] = shown
        self.column += repeat


def _ods_shown(cell) -> str | None:
    """The text the user sees for a cell calamine would misread; None for any other cell."""
    kind = cell.get(f"{_OFFICE}value-type")
    if cell.get(f"{_CALCEXT}value-type") == "error":
        return "".join(cell.itertext()).strip() or "#VALUE!"
    formula = cell.get(f"{_TABLE}formula")
    if formula is not None and kind is None:
        return "=" + formula.removeprefix("of:").lstrip("=")
    if kind == "percentage":
        return _percent_text(cell.get(f"{_OFFICE}value", ""))
    return None


def _part_holds(zf: zipfile.ZipFile, part: str, needles: tuple[bytes, ...]) -> bool:
    keep = max(len(n) for n in needles) - 1
    tail = b""
    with zf.open(part) as xml:
        while chunk := xml.read(1 << 20):
            window = tail + chunk
            if any(n in window for n in needles):
                return True
            tail = window[-keep:]
    return False


# Excel 97-2003 (.xls): calamine reads an error cell as empty and a percentage as its fraction; xlrd gives the
# error code, each cell's number format and the hidden rows and columns. (A formula in .xls always has a stored
# result: one written by a program that does not compute is stored as an empty text, which no reader can tell
# from a formula whose answer is empty, so it reads as an empty cell.)
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _xls_marks(path: str, sheets: list[str]) -> dict[str, Marks]:
    import xlrd

    with open(path, "rb") as f:
        if f.read(8) != _CFB_MAGIC:
            return {}
    try:
        book = xlrd.open_workbook(path, formatting_info=True, on_demand=True)
    except xlrd.XLRDError:
        return {}
    percent_xfs = {
        i
        for i, xf in enumerate(book.xf_list)
        if "%" in re.sub(r'"[^"]*"|\\.', "", getattr(book.format_map.get(xf.format_key), "format_str", ""))
    }
    out: dict[str, Marks] = {}
    for name in sheets:
        sheet = book.sheet_by_name(name)
        found = Marks(
            hidden_rows=[r + 1 for r, info in sheet.rowinfo_map.items() if info.hidden],
            hidden_columns=[(c + 1, c + 1) for c, info in sheet.colinfo_map.items() if info.hidden],
        )
        for r in range(sheet.nrows):
            for c, cell in enumerate(sheet.row(r)):
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    continue
                found.first = c + 1 if found.first == 0 else min(found.first, c + 1)
                if cell.ctype == xlrd.XL_CELL_ERROR:
                    found.cells[(r + 1, c + 1)] = xlrd.error_text_from_code.get(cell.value, "#VALUE!")
                elif cell.ctype == xlrd.XL_CELL_NUMBER and sheet.cell_xf_index(r, c) in percent_xfs:
                    found.cells[(r + 1, c + 1)] = _percent_text(repr(cell.value))
        book.unload_sheet(name)
        out[name] = found
    return out


def _hidden_with_values(frame: pl.DataFrame, found: Marks | None) -> tuple[list[int], list[int]]:
    """The hidden rows and columns that hold a value in calamine's grid, numbered as Excel shows them. A whole
    range hidden to the sheet's edge (a common way to tidy a form) names only the columns that hold values."""
    if found is None or frame.width == 0 or not (found.hidden_rows or found.hidden_columns):
        return [], []
    filled_rows = frame.select(pl.any_horizontal(pl.all().is_not_null())).to_series()
    rows = [r for r in sorted(set(found.hidden_rows)) if 0 < r <= frame.height and filled_rows[r - 1]]
    first = found.first or 1
    columns = []
    for j, name in enumerate(frame.columns):
        number = first + j
        if any(lo <= number <= hi for lo, hi in found.hidden_columns) and frame[name].is_not_null().any():
            columns.append(number)
    return rows, columns


def _percent_text(stored: str) -> str:
    try:
        shown = f"{float(stored) * 100:.10g}"
    except ValueError:
        return stored
    return f"{shown}%"


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _as_seen(frame: pl.DataFrame, marked: Marks | None) -> pl.DataFrame:
    """Write the marked cells into calamine's grid. Its rows start at row 1 (skip_rows=0) and its columns at the
    first column holding a value; a mark outside the grid is in a row or column with no value at all."""
    if marked is None or not marked.cells or frame.width == 0:
        return frame
    first, marks = marked.first, marked.cells
    columns: dict[int, tuple[list[int], list[str]]] = {}
    for (row, column), text in marks.items():
        j, i = column - first, row - 1
        if 0 <= j < frame.width and 0 <= i < frame.height:
            columns.setdefault(j, ([], []))
            columns[j][0].append(i)
            columns[j][1].append(text)
    updates = []
    for j, (rows, texts) in columns.items():
        name = frame.columns[j]
        updates.append(frame[name].cast(pl.Utf8).scatter(rows, pl.Series(texts, dtype=pl.Utf8)).alias(name))
    return frame.with_columns(updates) if updates else frame


if __name__ == "__main__":
    argv = sys.argv[1:]
    sys.exit(_child(argv[0], argv[1], int(argv[2]), int(argv[3]), argv[4] if len(argv) > 4 else None))
