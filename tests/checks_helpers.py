"""Helpers shared by the data-quality tests: a private copy of a published database, and its fingerprint."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from store.db import current_file, versions_dir


def copy_published(db: Path, to: Path) -> Path:
    """A copy of the published database at db (its versions and link) under the folder `to`."""
    to.mkdir(parents=True, exist_ok=True)
    target = to / db.name
    shutil.copytree(versions_dir(db), versions_dir(target))
    os.symlink(os.readlink(db), target)
    return target


def fingerprint(db: Path) -> tuple[str, str, list[str]]:
    """What must not move when a load is refused: the link, the bytes it points at, the version files."""
    file = current_file(db)
    assert file is not None
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    return str(db.readlink()), digest, sorted(p.name for p in versions_dir(db).iterdir())
