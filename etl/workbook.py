"""Read a workbook's sheets in a child process with a memory and time limit.

calamine (through fastexcel) allocates a sheet's whole rectangle at once, from its first to its last cell: one
stray cell at XFD1048576 makes it ask for 512 GiB, and a Rust allocation failure aborts the process — the
loader, or the whole dashboard server when the file came through the Import page. No check of the bytes can
promise a native library never aborts, so the library runs in a child (`python -m etl.workbook`) whose address
space and CPU time are capped (checks/rules.yaml: reader_memory_bytes, reader_seconds): when it dies, the parent
gets a refusal naming the file and the sheet being read, and goes on serving.

The child writes each sheet's cells as text (Arrow IPC) and a manifest in a private temporary folder.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
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
            frame = loaded.to_polars()
        except (fastexcel.FastExcelError, OSError, ValueError):
            return 3
        file = f"s{i}.arrow"
        frame.write_ipc(folder / file)
        entries.append({"name": sheet_name, "visible": visible, "file": file})
    (folder / _PROGRESS).write_text("", encoding="utf-8")
    (folder / _MANIFEST).write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    argv = sys.argv[1:]
    sys.exit(_child(argv[0], argv[1], int(argv[2]), int(argv[3]), argv[4] if len(argv) > 4 else None))
