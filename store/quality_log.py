"""The data-quality log beside a database: every check run, the refused loads, and their quarantine.

It cannot live in the published file, which a refused load must leave byte-for-byte as it was. It is a folder
`<db name>.quality/` beside the database: one JSON file per run under `runs/`, each written to a temporary
name and renamed into place (atomic, never rewritten, so a reader never sees half a run and a writer never
waits for a reader), and under `files/` a copy of every refused file, so nothing a user sent is lost.

The quarantine is derived when read: a refused file's rows are pending until a later load that published
carries a file of the same name (resolved), or a later refusal of that name takes their place (superseded).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from core.files import write_atomic

# Refused files up to this size are copied into the log; larger ones are recorded by name and SHA-256.
KEEP_FILE_MAX_BYTES = 50 * 1024 * 1024

QUARANTINE_SCHEMA = {
    "status": pl.String,
    "refused_at": pl.Datetime,
    "run_id": pl.String,
    "file_name": pl.String,
    "sheet": pl.String,
    "source_row": pl.Int64,
    "column": pl.String,
    "rule": pl.String,
    "severity": pl.String,
    "table_name": pl.String,
    "unit_code": pl.String,
    "year": pl.Int64,
    "item_code": pl.String,
    "message_vi": pl.String,
    "message_en": pl.String,
    "kept_copy": pl.String,
    "resolved_at": pl.Datetime,
}


def log_dir(db: Path) -> Path:
    return db.with_name(db.name + ".quality")


def new_run_id() -> str:
    # Sorts by time; pid and a counter keep two runs of one instant apart.
    return f"{time.time_ns():020d}-{os.getpid()}"


def record_run(db: Path, run: dict[str, Any]) -> Path:
    """Store one run (a dict with run_id, kind, status, at, files, results, problems…)."""
    run_id = run.setdefault("run_id", new_run_id())
    path = log_dir(db) / "runs" / f"{run_id}.json"
    write_atomic(path, json.dumps(run, ensure_ascii=False, default=str).encode("utf-8"))
    return path


def keep_file(db: Path, source: Path, sha256: str) -> str | None:
    """Copy a refused file into the log (once per content); returns the copy's path relative to the log."""
    try:
        if source.stat().st_size > KEEP_FILE_MAX_BYTES:
            return None
        relative = Path("files") / sha256[:16] / source.name
        target = log_dir(db) / relative
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".tmp-{os.getpid()}-{source.name}")
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        return str(relative)
    except OSError:
        return None


def runs(db: Path) -> list[dict[str, Any]]:
    """Every run, oldest first. A file that cannot be parsed is skipped, not fatal."""
    folder = log_dir(db) / "runs"
    out = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue
    return out


def history(db: Path, all_runs: list[dict[str, Any]] | None = None) -> pl.DataFrame:
    """One row per run, newest first: when, what (load | check), outcome, counts, files. all_runs: runs(db),
    when the caller has read them already."""
    rows = [
        {
            "run_id": r.get("run_id"),
            "at": _when(r.get("at")),
            "kind": r.get("kind"),
            "status": r.get("status"),
            "by": r.get("by"),
            "version": r.get("version"),
            "errors": r.get("errors", 0),
            "warnings": r.get("warnings", 0),
            "seconds": r.get("seconds"),
            "files": ", ".join(f["name"] for f in r.get("files", [])),
        }
        for r in (runs(db) if all_runs is None else all_runs)
    ]
    schema = {
        "run_id": pl.String,
        "at": pl.Datetime,
        "kind": pl.String,
        "status": pl.String,
        "by": pl.String,
        "version": pl.Int64,
        "errors": pl.Int64,
        "warnings": pl.Int64,
        "seconds": pl.Float64,
        "files": pl.String,
    }
    return pl.DataFrame(rows, schema=schema).sort("at", descending=True)


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def quarantine(db: Path, all_runs: list[dict[str, Any]] | None = None) -> pl.DataFrame:
    """The rows of refused loads with their reason and status: pending, resolved or superseded. all_runs:
    runs(db), when the caller has read them already."""
    all_runs = [r for r in (runs(db) if all_runs is None else all_runs) if r.get("kind") == "load"]
    rows = []
    for i, run in enumerate(all_runs):
        if run.get("status") != "refused":
            continue
        kept = {f["name"]: f.get("kept") for f in run.get("files", [])}
        later = all_runs[i + 1 :]
        for p in run.get("problems", []):
            if p.get("severity") != "error":
                continue
            name = p.get("file")
            status, resolved_at = "pending", None
            for after in later:
                # a row of a file waits for that file; a problem of the whole load (no file) for any load
                if name is not None and name not in {f["name"] for f in after.get("files", [])}:
                    continue
                if after.get("status") == "published":
                    status, resolved_at = "resolved", _when(after.get("at"))
                    break
                if after.get("status") == "refused":
                    status = "superseded"
                    break
            rows.append(
                {
                    "status": status,
                    "refused_at": _when(run.get("at")),
                    "run_id": run.get("run_id"),
                    "file_name": name,
                    "sheet": p.get("sheet"),
                    "source_row": p.get("row"),
                    "column": p.get("column"),
                    "rule": p.get("rule"),
                    "severity": p.get("severity"),
                    "table_name": p.get("table_name"),
                    "unit_code": p.get("unit_code"),
                    "year": p.get("year"),
                    "item_code": p.get("item_code"),
                    "message_vi": p.get("message_vi"),
                    "message_en": p.get("message_en"),
                    "kept_copy": kept.get(name) if name else None,
                    "resolved_at": resolved_at,
                }
            )
    return pl.DataFrame(rows, schema=QUARANTINE_SCHEMA).sort("refused_at", descending=True)
