"""The server's watcher warms each newly published version: it sees the swap and reads the shared frames."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard import views, warm
from store.db import current_file, draft


def _wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_warm_reads_the_current_version(sample_db: Path) -> None:
    file = warm.warm(sample_db)
    assert file == current_file(sample_db)
    assert warm.warm(sample_db.with_name("nothing.duckdb")) is None


def test_watcher_warms_a_version_published_after_it_started(
    tmp_path: Path, sample_publisher: Callable[[Path], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm, "POLL_SECONDS", 0.05)
    warmed: list[Path] = []
    real_base = views.base
    monkeypatch.setattr(views, "base", lambda db: warmed.append(db.file) or real_base(db))

    db = tmp_path / "parboard.duckdb"
    stop = warm.start(db)  # nothing published yet: the watcher waits
    try:
        time.sleep(0.2)
        assert warmed == []
        sample_publisher(db)
        first = current_file(db)
        assert _wait_for(lambda: first in warmed)
        with draft(db):  # a new version, as a load publishes it
            pass
        second = current_file(db)
        assert second != first
        assert _wait_for(lambda: second in warmed)
        assert warmed.count(first) == 1  # an unchanged version is not read again
    finally:
        stop.set()
