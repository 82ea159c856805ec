"""Files written beside the database (the data-quality log, saved scenarios): whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Write data to a temporary name in path's folder, flush it to disk, then rename it over path: a crash
    or a reader at any moment sees the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # No suffix: a temporary left by a crash never matches a reader's "*.json".
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
