"""Spreadsheet bombs, written on demand (small on disk, huge unpacked), and the child that checks a file as the
loader does. tests/test_bombs.py asserts what the limits refuse and in how much memory; bench/inputs.py times it.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from checks.config import load as load_rules

MIB = 2**20
_WORKBOOK = b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'


def _settings(name: str) -> int:
    return int(load_rules().setting(name))


def _zip(path: Path, parts: dict[str, Callable[[io.BufferedIOBase], None] | bytes], level: int = 1) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as zf:
        for name, content in parts.items():
            if isinstance(content, bytes):
                zf.writestr(name, content)
            else:
                with zf.open(name, "w", force_zip64=True) as fh:
                    content(fh)
    return path


def _zeros(total: int) -> Callable[[io.BufferedIOBase], None]:
    def write(fh: io.BufferedIOBase) -> None:
        block = b"\0" * (16 * MIB)
        left = total
        while left > 0:
            left -= fh.write(block[: min(len(block), left)])

    return write


def _rows(count: int, declared: str = "A1:B2") -> Callable[[io.BufferedIOBase], None]:
    """A worksheet whose <dimension> says `declared` and which holds `count` rows."""

    def write(fh: io.BufferedIOBase) -> None:
        fh.write(
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="' + declared.encode() + b'"/><sheetData>'
        )
        block = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 10_001))
        for _ in range(count // 10_000):
            fh.write(block)
        fh.write(b"</sheetData></worksheet>")

    return write


def bomb_parts(path: Path) -> Path:
    limit = _settings("max_zip_parts")
    return _zip(path, {"xl/workbook.xml": _WORKBOOK, **{f"xl/media/p{i}.bin": b"x" for i in range(limit + 1)}})


def bomb_unpacked(path: Path) -> Path:
    """A real zip bomb: one sheet of zeros unpacking to more than max_unzipped_bytes (a few MB on disk)."""
    return _zip(
        path, {"xl/workbook.xml": _WORKBOOK, "xl/worksheets/sheet1.xml": _zeros(_settings("max_unzipped_bytes") + MIB)}
    )


def bomb_ratio(path: Path) -> Path:
    """Below the unpacked cap, but compressed far beyond any spreadsheet."""
    return _zip(
        path,
        {
            "xl/workbook.xml": _WORKBOOK,
            "xl/worksheets/sheet1.xml": _zeros(_settings("zip_ratio_from_bytes") + 16 * MIB),
        },
    )


def bomb_lying_dimension(path: Path) -> Path:
    """A sheet that declares two rows and holds more than max_file_rows (ordinary compression)."""
    return _zip(
        path,
        {"xl/workbook.xml": _WORKBOOK, "xl/worksheets/sheet1.xml": _rows(_settings("max_file_rows") + 10_000)},
        level=6,
    )


def bomb_lying_sizes(path: Path) -> Path:
    """An archive whose directory says a sheet is 1 kB while it unpacks to 40 MB."""
    _zip(path, {"xl/workbook.xml": _WORKBOOK, "xl/worksheets/sheet1.xml": _rows(1_000_000)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        real = info.file_size
    small = (1000).to_bytes(4, "little")
    for header, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(header, start)) >= 0:
            name_at = at + (30 if header == b"PK\x03\x04" else 46)
            if data[name_at : name_at + 24] == b"xl/worksheets/sheet1.xml":
                if data[at + offset : at + offset + 4] == b"\xff\xff\xff\xff":  # zip64: the size is in the extra
                    extra = data.find(real.to_bytes(8, "little"), name_at)
                    data[extra : extra + 8] = (1000).to_bytes(8, "little")
                else:
                    data[at + offset : at + offset + 4] = small
            start = at + 4
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    return path


BOMBS = {
    "parts.xlsx": (bomb_parts, "file_zip_too_many_parts"),
    "unpacked.xlsx": (bomb_unpacked, "file_unpacks_too_large"),
    "ratio.xlsx": (bomb_ratio, "file_zip_ratio"),
    "lying_dimension.xlsx": (bomb_lying_dimension, "file_sheet_rows_over_limit"),
    "lying_dimension.csv": (bomb_lying_dimension, "file_sheet_rows_over_limit"),  # the bytes decide, not the name
    "lying_sizes.xlsx": (bomb_lying_sizes, "file_zip_inconsistent"),
}

# The child: read the file as the loader does, run the limits, report the outcome, peak memory and time.
CHILD = """
import json, resource, sys, time
from pathlib import Path
from checks import limits
path = Path(sys.argv[1])
start = time.perf_counter()
raw = path.read_bytes()
problem = limits.check_size(path) or limits.check_rows(path, raw)
print(json.dumps({
    "code": problem.code if problem else None,
    "seconds": time.perf_counter() - start,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "messages": [problem.message(lang) for lang in ("vi", "en")] if problem else [],
}))
"""


def check_in_child(path: Path) -> dict:
    """The limits' verdict on path, run in a fresh process: its problem code, messages, seconds and peak MB."""
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def ordinary_workbook(path: Path) -> Path:
    """An ordinary workbook of a thousand score rows: what checking a normal file costs, for comparison."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Điểm")
    for r in range(1000):
        ws.write_row(r, 0, ["DEMO-LH-S01", "Sở Nội vụ", 2024, f"1.{r}", 1.5])
    wb.close()
    return path
