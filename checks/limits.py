"""How big one input file may be, decided before it is parsed: a file over the byte limit is refused
from its size alone, and one over the row limit from a count that reads no cell (line breaks of a text
file, the declared size of each worksheet of an .xlsx, a Parquet file's metadata). Limits: rules.yaml."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from checks.config import load
from etl.problems import Problem

_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')
# The smallest XML an .xlsx row can take (<row r="1"><c r="A1"/></row>): a sheet without a declared
# size is judged by its uncompressed length.
_MIN_ROW_BYTES = 24


def check_size(path: Path) -> Problem | None:
    limit = int(load().setting("max_file_bytes"))
    try:
        size = path.stat().st_size
    except OSError:
        return None  # the reader reports a file it cannot open
    if size > limit:
        return Problem("file_too_large", file=path.name, params={"size": size // 2**20, "limit": limit // 2**20})
    return None


def _xlsx_rows(raw: bytes) -> int | None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            total = 0
            for info in zf.infolist():
                if not info.filename.startswith("xl/worksheets/") or not info.filename.endswith(".xml"):
                    continue
                with zf.open(info) as fh:
                    head = fh.read(4096)
                match = _DIMENSION.search(head)
                rows = int(match.group(1)) if match else info.file_size // _MIN_ROW_BYTES
                total = max(total, rows)
            return total
    except (zipfile.BadZipFile, OSError, ValueError):
        return None  # not a workbook after all: the reader says what it is


def _parquet_rows(raw: bytes) -> int | None:
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(io.BytesIO(raw)).metadata.num_rows
    except Exception:  # a damaged file is the reader's to report
        return None


def row_estimate(path: Path, raw: bytes) -> int | None:
    suffix = path.suffix.lower()
    if raw[:4] == b"PK\x03\x04" and suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(raw)
    if raw[:4] == b"PAR1":
        return _parquet_rows(raw)
    if suffix in (".csv", ".txt", ".tsv") or b"\x00" not in raw[:1024]:
        return raw.count(b"\n")
    return None


def check_rows(path: Path, raw: bytes) -> Problem | None:
    limit = int(load().setting("max_file_rows"))
    rows = row_estimate(path, raw)
    if rows is not None and rows > limit:
        return Problem("file_too_many_rows", file=path.name, params={"rows": rows, "limit": limit})
    return None
