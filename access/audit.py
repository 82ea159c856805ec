"""The audit trail: who signed in, loaded, staged, published, saved or managed what, and when.

One JSON object per line in `<db dir>/<db stem>.audit.jsonl`, beside the published database and never
inside it (a reader holding the database open must not block the trail, and a refused load must still be
recorded). Lines are appended under an exclusive lock and flushed to disk, so concurrent sessions never
interleave half lines and a crash loses at most the line being written. The file is created private (0600).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
from collections import deque
from datetime import datetime
from pathlib import Path
from typing import Any

from access.policy import Principal

log = logging.getLogger(__name__)

# outcome of an audited action
DONE = "done"  # it happened
REFUSED = "refused"  # tried, and the data or the checks refused it (nothing changed)
DENIED = "denied"  # the role does not allow it (nothing changed)
FAILED = "failed"  # it broke (disk full, read-only folder…; nothing changed)
OUTCOMES = (DONE, REFUSED, DENIED, FAILED)


def trail_path(db: Path) -> Path:
    db = Path(db)
    return db.parent / f"{db.stem}.audit.jsonl"


def record(db: Path, who: Principal | None, action: str, outcome: str, target: str = "", **details: Any) -> bool:
    """Append one event; False (and a server log line) when the trail cannot be written, which never
    undoes or blocks the action itself."""
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome {outcome!r} not in {OUTCOMES}")
    event = {
        "at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "who": who.username if who else None,
        "name": who.name if who else None,
        "role": who.role if who else None,
        "via": who.via if who else None,
        "action": action,
        "outcome": outcome,
        "target": target,
        "details": details,
    }
    line = (json.dumps(event, ensure_ascii=False, default=str) + "\n").encode("utf-8")
    path = trail_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock
    except OSError as exc:
        log.warning("audit trail %s not written (%s): %s", path, exc, event)
        return False
    return True


def read(db: Path, limit: int = 500) -> list[dict[str, Any]]:
    """The newest events first (at most limit); a damaged line is skipped, not fatal."""
    path = trail_path(db)
    newest: deque[str] = deque(maxlen=limit)
    with contextlib.suppress(FileNotFoundError), open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            newest.append(line)
    events = []
    for line in reversed(newest):
        with contextlib.suppress(json.JSONDecodeError):
            event = json.loads(line)
            if isinstance(event, dict):
                events.append(event)
    return events
