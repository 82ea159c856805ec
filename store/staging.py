"""Staged batches: files uploaded to be checked and published later, kept beside the database.

`<db dir>/<db stem>.staging/<batch id>/` (private, 0700) holds the uploaded files under sanitised names and
`manifest.json`: who staged them and when, each file's name as sent with its sha256 and size, the mapping
file, and what the last check found (the published version it ran against, the unit pins confirmed, its
outcome and counts). The manifest is written atomically. A batch is only ever found by its id, which is
checked against a fixed pattern, so no path a user sends can reach outside the staging folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import ParboardError
from core.files import write_atomic

MANIFEST = "manifest.json"
_BATCH_ID = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{8}$")
# Letters of any script (Vietnamese names stay readable in the provenance), digits, and . - _ ( ) space.
_UNSAFE = re.compile(r"[^\w.\-() ]+")
_MAX_NAME = 80


class StagingError(ParboardError):
    """code: batch_not_found | staging_unwritable (keys under imports.error in the catalogs)."""

    area = "imports.error"


@dataclass(frozen=True)
class StagedFile:
    name: str  # as the user sent it (shown, never used as a path)
    stored: str  # the sanitised name inside the batch folder
    sha256: str
    size: int


@dataclass
class Batch:
    id: str
    folder: Path
    manifest: dict[str, Any]

    @property
    def files(self) -> list[StagedFile]:
        return [StagedFile(**f) for f in self.manifest.get("files", [])]

    @property
    def mapping(self) -> StagedFile | None:
        found = self.manifest.get("mapping")
        return StagedFile(**found) if found else None

    def path(self, file: StagedFile) -> Path:
        """Where a staged file lies; only names this module wrote are accepted."""
        if safe_name(file.stored) != file.stored:
            raise StagingError("batch_not_found", batch=self.id)
        return self.folder / file.stored


# Where a check keeps the draft it made (services.importing): a leading dot, which safe_name strips from every
# uploaded name, so no upload can take or replace it.
CHECKED_DRAFT = ".checked.duckdb"


def checked_draft(batch: Batch) -> Path:
    return batch.folder / CHECKED_DRAFT


def staging_root(db: Path) -> Path:
    db = Path(db)
    return db.parent / f"{db.stem}.staging"


def safe_name(name: str) -> str:
    """The base name only, in safe characters, no leading dots or spaces: "../../etc/passwd.xlsx" → "passwd.xlsx"."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    cleaned = " ".join(_UNSAFE.sub("_", base).split()).lstrip(".-_ ")
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and len(cleaned) > _MAX_NAME:
        cleaned = f"{stem[: _MAX_NAME - len(suffix) - 1]}.{suffix}"
    return cleaned[:_MAX_NAME] or "file"


def _unique(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    stem, dot, suffix = name.rpartition(".")
    while candidate in taken or candidate == MANIFEST:
        n += 1
        candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
    taken.add(candidate)
    return candidate


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)  # mkdir's mode is reduced by the umask


def _store(folder: Path, name: str, data: bytes, taken: set[str]) -> StagedFile:
    stored = _unique(safe_name(name), taken)
    write_atomic(folder / stored, data)  # mkstemp: private (0600) before it gets its name
    return StagedFile(name=name, stored=stored, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def create(db: Path, who: str, files: list[tuple[str, bytes]], mapping: tuple[str, bytes] | None = None) -> Batch:
    """A new batch holding files (name as sent, bytes) and the optional mapping file."""
    now = datetime.now().astimezone()
    batch_id = f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(4)}"
    root = staging_root(db)
    folder = root / batch_id
    try:
        _private_dir(root)
        _private_dir(folder)
        taken: set[str] = set()
        stored = [_store(folder, name, data, taken) for name, data in files]
        mapped = _store(folder, mapping[0], mapping[1], taken) if mapping else None
        manifest = {
            "id": batch_id,
            "staged_by": who,
            "staged_at": now.isoformat(timespec="seconds"),
            "status": "staged",
            "files": [f.__dict__ for f in stored],
            "mapping": mapped.__dict__ if mapped else None,
            "check": None,
        }
        batch = Batch(batch_id, folder, manifest)
        save(batch)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise StagingError("staging_unwritable", folder=str(root), detail=exc.strerror or str(exc)) from exc
    return batch


def save(batch: Batch) -> None:
    text = json.dumps(batch.manifest, ensure_ascii=False, indent=1, default=str)
    write_atomic(batch.folder / MANIFEST, text.encode("utf-8"))


def update(batch: Batch, **changes: Any) -> Batch:
    batch.manifest.update(changes)
    save(batch)
    return batch


def read(db: Path, batch_id: str) -> Batch:
    if not _BATCH_ID.match(batch_id or ""):
        raise StagingError("batch_not_found", batch=batch_id)
    folder = staging_root(db) / batch_id
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise StagingError("batch_not_found", batch=batch_id) from exc
    return Batch(batch_id, folder, manifest)


def batches(db: Path) -> list[Batch]:
    """Every staged batch, newest first; a folder without a readable manifest is skipped."""
    root = staging_root(db)
    found = []
    with contextlib.suppress(FileNotFoundError):
        for folder in root.iterdir():
            if folder.is_dir() and _BATCH_ID.match(folder.name):
                with contextlib.suppress(StagingError):
                    found.append(read(db, folder.name))
    return sorted(found, key=lambda b: b.id, reverse=True)


def discard(db: Path, batch_id: str) -> None:
    batch = read(db, batch_id)  # validates the id: only a batch folder is ever removed
    shutil.rmtree(batch.folder)
