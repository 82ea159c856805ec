"""Fill a newly published version's shared caches before its first reader arrives.

A publish swaps the database link. The first page run on the new version would otherwise open its
connection and read the frames every page shares (about 100 ms at national scale, most of the first run's
overhead over its own queries). The server's watcher thread notices the swap within a second and does that
work itself, so readers find it done. A reader who arrives sooner simply does it, as before.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from store.db import current_file

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


def warm(db: Path) -> Path | None:
    """Open the current version of db and read its shared frames into the caches; the version file, or None
    when nothing is published."""
    from dashboard import views
    from dashboard.context import _published

    file = current_file(db)
    if file is None:
        return None
    views.base(_published(str(db), str(file)))
    return file


def _watch(db: Path, stop: threading.Event) -> None:
    from dashboard.context import READ_ERRORS

    seen: Path | None = None
    while True:
        try:
            if current_file(db) != seen:
                seen = warm(db)
        except READ_ERRORS as exc:  # a damaged or vanishing file: the pages say so to their readers
            log.warning("could not warm %s: %s", db, exc)
            seen = current_file(db)
        if stop.wait(POLL_SECONDS):
            return


def start(db: Path) -> threading.Event:
    """Watch db in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    threading.Thread(target=_watch, args=(db, stop), name="parboard-warm", daemon=True).start()
    return stop
