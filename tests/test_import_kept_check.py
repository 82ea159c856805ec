"""A publish after a check publishes the draft that check made, instead of loading the batch a second time.

The Import page's check is a whole load on a draft; the publish used to do it all again. The check now keeps
its draft in the batch's folder, and a publish of the batch as it was checked, against the same published
version, moves that draft in. These tests hold the two ways to the same database, and show the short one reads
no file and publishes nothing it was not checked to."""

from __future__ import annotations

from pathlib import Path

import pytest
from db_state import content_fingerprint
from import_helpers import ADMIN, copy_db, scores_frame, with_scores, xlsx
from published import query

from services import importing
from services.importing import ImportRefused
from services.load import load_files, publish_checked
from store import staging
from store.db import current_file, draft, version_of


def _workbook(demo_db: Path) -> bytes:
    return xlsx(with_scores(scores_frame(demo_db), [0, 4], 0.25))


def _staged(db: Path, data: bytes) -> staging.Batch:
    return importing.stage(db, ADMIN, [("Điểm các sở 2023.xlsx", data)])


def test_the_publish_moves_the_checked_draft_in_and_equals_a_second_load(demo_db: Path, tmp_path: Path) -> None:
    kept_db = copy_db(demo_db, tmp_path / "kept")
    loaded_db = copy_db(demo_db, tmp_path / "loaded")
    before = version_of(current_file(kept_db))
    data = _workbook(demo_db)  # the same bytes into both: the sources record each file's hash

    batch = _staged(kept_db, data)
    checked = importing.check(kept_db, ADMIN, batch)
    assert checked.status == "checked"
    draft_file = staging.checked_draft(batch)
    assert draft_file.is_file()
    # The publish reads no uploaded file again: with them gone, it still publishes what was checked.
    for staged in batch.files:
        batch.path(staged).unlink()
    report = importing.publish(kept_db, ADMIN, batch)
    assert report.published and report.version == before + 1
    assert report.counts.per_table["unit_score"]["changed"] == 2
    assert not draft_file.exists() and staging.batches(kept_db) == []
    assert query(kept_db, "SELECT loaded_by, command FROM load_run ORDER BY load_id DESC LIMIT 1") == [
        ("ada", "import")
    ]
    assert query(kept_db, "SELECT value FROM meta WHERE key = 'db_version'") == [(str(before + 1),)]

    # The same batch published the long way: checked, then loaded again by a process that never saw the check
    # (another server process, or this one after a restart).
    other = _staged(loaded_db, data)
    assert importing.check(loaded_db, ADMIN, other).status == "checked"
    importing._CHECKED.clear()
    assert importing.publish(loaded_db, ADMIN, other).published
    assert content_fingerprint(kept_db) == content_fingerprint(loaded_db)


def test_a_kept_draft_is_never_published_over_a_newer_version(demo_db: Path, tmp_path: Path) -> None:
    db = copy_db(demo_db, tmp_path)
    batch = _staged(db, _workbook(demo_db))
    files = [batch.path(f) for f in batch.files]
    kept = tmp_path / "checked.duckdb"
    report = load_files(db, files, command="import", dry_run=True, keep=kept)
    assert report.status == "checked" and report.kept is not None and kept.is_file()
    with draft(db):  # someone else publishes meanwhile
        pass
    moved_on = version_of(current_file(db))
    content = content_fingerprint(db)
    assert not publish_checked(db, report, command="import", loaded_by="ada")
    assert version_of(current_file(db)) == moved_on and content_fingerprint(db) == content
    assert report.status == "checked"  # nothing was published from it


def test_a_check_that_fails_keeps_no_draft_to_publish(demo_db: Path, tmp_path: Path) -> None:
    db = copy_db(demo_db, tmp_path)
    # A score of 99 for one criterion: above any criterion's maximum, an error the check refuses.
    batch = _staged(db, xlsx(with_scores(scores_frame(demo_db), [0], 99.0)))
    refused = importing.check(db, ADMIN, batch)
    assert refused.status == "refused" and refused.report.kept is None
    assert not staging.checked_draft(batch).exists()
    before = version_of(current_file(db))
    with pytest.raises(ImportRefused) as error:
        importing.publish(db, ADMIN, batch)
    assert error.value.reasons[0].code == "not_checked"
    assert version_of(current_file(db)) == before
