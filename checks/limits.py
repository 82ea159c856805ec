"""How big one input file may be, decided before it is parsed: a file over the byte limit is refused
from its size alone, and one over the row limit from a count that reads no cell (line breaks of a text
file, the rows each worksheet of an .xlsx holds, a Parquet file's metadata). Limits: rules.yaml.

A workbook is a zip archive, and a small one can unpack to gigabytes (a "zip bomb"), declare a few rows
while holding millions, or hold thousands of parts. Before a spreadsheet reader sees it, its directory is
checked (parts, unpacked size, compression ratio), then each worksheet's XML is streamed through in small
chunks counting its rows: memory stays at one chunk, time at the unpacked size allowed, and the count stops
as soon as it passes the limit. A declared size (<dimension>) is not trusted: it is whatever the file says.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

from checks.config import load
from etl.problems import Problem
from etl.raw import ReadLimits
from etl.sniff import line_count

_ZIP_MAGIC = b"PK\x03\x04"
# Where a workbook keeps its rows: .xlsx / .xlsm worksheets (.ods and .xlsb are bounded by the archive checks).
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
# A row element, with or without a namespace prefix (<row r="1">, <x:row>); never inside a value.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
# A cell's reference (<c r="XFD1048576">) and the sheet's declared size (<dimension ref="A1:XFD1048576"/>).
_CELL_REF = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")
_DIMENSION = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref=\"([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?\""
)
_SHEET_ENTRY = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_CHUNK = 2**20
_TAIL = 64  # bytes kept from one chunk to the next, so a tag cut in two is counted once
_MIB = 2**20


def read_limits() -> ReadLimits:
    """What reading one file may cost (checks/rules.yaml), for etl's readers."""
    settings = load()
    return ReadLimits(
        memory_bytes=int(settings.setting("reader_memory_bytes")),
        seconds=int(settings.setting("reader_seconds")),
        max_rows=int(settings.setting("max_file_rows")),
        max_columns=int(settings.setting("max_sheet_columns")),
        max_cells=int(settings.setting("max_sheet_cells")),
    )


def check_size(path: Path) -> Problem | None:
    limit = int(load().setting("max_file_bytes"))
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader reports a file it cannot open
    if size > limit:
        return Problem("file_too_large", file=path.name, params={"size": size // _MIB, "limit": limit // _MIB})
    return None


def _archive_problem(zf: zipfile.ZipFile, name: str, packed: int) -> Problem | None:
    """The archive's own directory against the limits: parts, unpacked size, ratio."""
    settings = load()
    infos = zf.infolist()
    parts_limit = int(settings.setting("max_zip_parts"))
    if len(infos) > parts_limit:
        return Problem("file_zip_too_many_parts", file=name, params={"parts": len(infos), "limit": parts_limit})
    unpacked = sum(i.file_size for i in infos)
    size_limit = int(settings.setting("max_unzipped_bytes"))
    if unpacked > size_limit:
        return Problem(
            "file_unpacks_too_large", file=name, params={"size": unpacked // _MIB, "limit": size_limit // _MIB}
        )
    ratio_limit = float(settings.setting("max_zip_ratio"))
    if unpacked > int(settings.setting("zip_ratio_from_bytes")) and unpacked > ratio_limit * max(packed, 1):
        return Problem(
            "file_zip_ratio", file=name, params={"ratio": unpacked // max(packed, 1), "limit": int(ratio_limit)}
        )
    return None


class _Extent:
    """The rectangle a reader fills for one sheet: from its first to its last cell, declared or real."""

    def __init__(self) -> None:
        self.min_row = self.min_col = 1 << 40
        self.max_row = self.max_col = 0

    def add(self, col: bytes, row: bytes) -> None:
        c, r = _column_number(col), int(row)
        self.min_row, self.max_row = min(self.min_row, r), max(self.max_row, r)
        self.min_col, self.max_col = min(self.min_col, c), max(self.max_col, c)

    @property
    def rows(self) -> int:
        return max(0, self.max_row - self.min_row + 1)

    @property
    def columns(self) -> int:
        return max(0, self.max_col - self.min_col + 1)


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _scan_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, stop_above: int) -> tuple[int, _Extent, _Extent]:
    """Row elements in one worksheet, and its real and declared extents, streamed; stops once the rows pass
    stop_above.

    zipfile stops at the size the directory declares and checks the CRC at the end, so a part that holds
    more than it declares raises BadZipFile instead of being read on."""
    rows = 0
    tail = b""
    real, declared = _Extent(), _Extent()
    with zf.open(info) as fh:
        first = True
        while chunk := fh.read(_CHUNK):
            if first and (dim := _DIMENSION.search(chunk)) is not None:
                declared.add(dim.group(1), dim.group(2))
                declared.add(dim.group(3) or dim.group(1), dim.group(4) or dim.group(2))
            first = False
            # A tag whole within the kept tail was counted with the previous chunk; one cut in two was not.
            rows += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
            # Counting a reference twice only repeats a min / max: no correction needed.
            for col, row in _CELL_REF.findall(tail + chunk):
                real.add(col, row)
            if rows > stop_above:
                break
            tail = chunk[-_TAIL:]
    return rows, real, declared


def _sheet_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> the name Excel shows on its tab (best effort: a message names the part otherwise)."""
    try:
        book = zf.open("xl/workbook.xml").read(_CHUNK).decode("utf-8", "replace")
        rels = zf.open("xl/_rels/workbook.xml.rels").read(_CHUNK).decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return {}
    targets = {
        m.group(1): m.group(2) for m in re.finditer(r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
    }
    targets |= {
        m.group(2): m.group(1) for m in re.finditer(r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
    }
    names = {}
    for tag in _SHEET_ENTRY.findall(book):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            target = targets[rid.group(1)].lstrip("/")
            part = target if target.startswith("xl/") else f"xl/{target}"
            names[part] = html.unescape(name.group(1))
    return names


def _extent_problem(name: str, sheet: str, extent: _Extent, limits: ReadLimits) -> Problem | None:
    if extent.columns > limits.max_columns:
        return Problem(
            "read_too_wide", file=name, sheet=sheet, params={"columns": extent.columns, "limit": limits.max_columns}
        )
    if extent.rows * extent.columns > limits.max_cells:
        return Problem(
            "read_too_many_cells",
            file=name,
            sheet=sheet,
            params={"rows": extent.rows, "columns": extent.columns, "limit": limits.max_cells},
        )
    return None


def _workbook_problem(raw: bytes, name: str, limit: int) -> Problem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            problem = _archive_problem(zf, name, len(raw))
            if problem is not None:
                return problem
            bounds = read_limits()
            sheets = _sheet_names(zf)
            for info in zf.infolist():
                if not _SHEET.match(info.filename):
                    continue
                rows, real, declared = _scan_sheet(zf, info, limit)
                if rows > limit:  # counted up to the limit
                    return Problem("file_sheet_rows_over_limit", file=name, params={"limit": limit})
                sheet = sheets.get(info.filename, info.filename)
                for extent in (real, declared):
                    if (problem := _extent_problem(name, sheet, extent, bounds)) is not None:
                        return problem
    except zipfile.BadZipFile as exc:
        if "CRC" in str(exc) or "Bad magic" in str(exc) or "Overlapped" in str(exc):
            return Problem("file_zip_inconsistent", file=name)
        return None  # not an archive after all (a truncated download): the reader says what it is
    except (OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        # A damaged, encrypted or oddly compressed part: the reader reports the file as damaged.
        return None
    return None


def _parquet_rows(raw: bytes) -> int | None:
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(io.BytesIO(raw)).metadata.num_rows
    except Exception:  # a damaged file is the reader's to report
        return None


def row_estimate(path: Path, raw: bytes) -> int | None:
    """Rows of a text or Parquet file, counted without parsing (workbooks: see check_rows)."""
    suffix = path.suffix.lower()
    if raw[:4] == b"PAR1":
        return _parquet_rows(raw)
    if suffix in (".csv", ".txt", ".tsv") or b"\x00" not in raw[:1024]:
        return line_count(raw)
    return None


def check_rows(path: Path, raw: bytes) -> Problem | None:
    """The file's rows against max_file_rows; for any zip archive (whatever its name: the reader goes by the
    bytes), first its parts and unpacked size."""
    limit = int(load().setting("max_file_rows"))
    if raw[:4] == _ZIP_MAGIC:
        return _workbook_problem(raw, path.name, limit)
    rows = row_estimate(path, raw)
    if rows is not None and rows > limit:
        return Problem("file_too_many_rows", file=path.name, params={"rows": rows, "limit": limit})
    return None
