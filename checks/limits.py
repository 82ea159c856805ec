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

import io
import re
import zipfile
from pathlib import Path

from checks.config import load
from etl.problems import Problem

_ZIP_MAGIC = b"PK\x03\x04"
# Where a workbook keeps its rows: .xlsx / .xlsm worksheets (.ods and .xlsb are bounded by the archive checks).
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
# A row element, with or without a namespace prefix (<row r="1">, <x:row>); never inside a value.
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_CHUNK = 2**20
_TAIL = 64  # bytes kept from one chunk to the next, so a tag cut in two is counted once
_MIB = 2**20


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


def _sheet_rows(zf: zipfile.ZipFile, info: zipfile.ZipInfo, stop_above: int) -> int:
    """Row elements in one worksheet, streamed; stops counting once above stop_above.

    zipfile stops at the size the directory declares and checks the CRC at the end, so a part that holds
    more than it declares raises BadZipFile instead of being read on."""
    rows = 0
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            # A tag whole within the kept tail was counted with the previous chunk; one cut in two was not.
            rows += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
            if rows > stop_above:
                return rows
            tail = chunk[-_TAIL:]
    return rows


def _workbook_problem(raw: bytes, name: str, limit: int) -> Problem | None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            problem = _archive_problem(zf, name, len(raw))
            if problem is not None:
                return problem
            for info in zf.infolist():
                if _SHEET.match(info.filename) and _sheet_rows(zf, info, limit) > limit:  # counted up to the limit
                    return Problem("file_sheet_rows_over_limit", file=name, params={"limit": limit})
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
        return raw.count(b"\n")
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
