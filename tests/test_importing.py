"""The Import service on real files: stage, preview, check (a dry run) and publish, each by role, audited."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import polars as pl
import pytest
from import_helpers import (
    ADMIN,
    ANALYST,
    VIEWER,
    copy_db,
    demo_input,
    scores_frame,
    with_scores,
    xlsx,
)
from published import query

from access import audit
from access.policy import Denied
from services import importing
from services.importing import ImportRefused
from store import staging
from store.db import current_file, draft, version_of


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    return copy_db(demo_db, tmp_path)


def _sha(path: Path | None) -> str:
    assert path is not None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _published(db: Path) -> tuple[int, str, list[str]]:
    """What must not move when nothing is published: the version, the file's bytes, the version files."""
    file = current_file(db)
    return version_of(file), _sha(file), sorted(p.name for p in file.parent.iterdir())


def _units_csv(demo_db: Path, row: str) -> bytes:
    """The demo's unit register header with one row."""
    header = demo_input(demo_db, "units.csv").read_bytes().splitlines()[0]
    return header + b"\n" + row.encode("utf-8") + b"\n"


def test_admin_stages_previews_checks_and_publishes(db: Path, demo_db: Path) -> None:
    frame = scores_frame(demo_db)
    changed = with_scores(frame, [0, 1, 2], 0.5)
    old_value = float(frame[score_col := "Điểm thẩm định"][0])
    assert old_value != 0.5 and all(float(v) != 0.5 for v in frame[score_col][:3])
    units = _units_csv(demo_db, "DEMO-LH-S99,Sở Thử Nghiệm,sở,DEMO-LH,,,")
    before = _published(db)

    batch = importing.stage(db, ADMIN, [("Điểm các sở 2023.xlsx", xlsx(changed)), ("units.csv", units)])
    preview = importing.preview(db, ADMIN, batch)
    sheets = {s.file: s for s in preview.sheets}
    scores = sheets["Điểm các sở 2023.xlsx"]
    assert (scores.table, scores.layout, scores.header_rows, scores.rows) == ("scores", "long", (1,), frame.height)
    assert dict(scores.columns)[score_col] == "appraised_score"
    assert dict(scores.columns)["Mã đơn vị"] == "unit_code"
    assert scores.first_rows.height == importing.FIRST_ROWS
    assert scores.first_rows[score_col].to_list()[:3] == ["0.5"] * 3
    assert sheets["units.csv"].table == "units"
    assert preview.units == [] and preview.problems == []

    result = importing.check(db, ADMIN, batch)
    assert result.status == "checked", [p.message("en") for p in result.report.errors]
    assert result.against == before[0]
    assert result.per_table["unit_score"] == {"new": 0, "changed": 3, "unchanged": frame.height - 3, "removed": 0}
    assert result.per_table["unit"] == {"new": 1, "changed": 0, "unchanged": 0, "removed": 0}
    examples = result.report.changes["unit_score"]
    assert [c.values for c in examples] == [(("appraised_score", float(frame[score_col][i]), 0.5),) for i in range(3)]
    # The dry run published nothing and left no draft behind.
    assert _published(db) == before
    assert staging.read(db, batch.id).manifest["check"]["against_version"] == before[0]

    report = importing.publish(db, ADMIN, batch)
    assert report.published and report.version == before[0] + 1
    assert version_of(current_file(db)) == before[0] + 1
    unit, item = frame["Mã đơn vị"][0], frame["Mã tiêu chí"][0]
    assert query(
        db,
        f"SELECT appraised_score FROM unit_score WHERE unit_code = '{unit}' AND year = 2023 AND item_code = '{item}'",
    ) == [(0.5,)]
    assert query(db, "SELECT name FROM unit WHERE unit_code = 'DEMO-LH-S99'") == [("Sở Thử Nghiệm",)]
    assert query(db, "SELECT loaded_by FROM load_run ORDER BY load_id DESC LIMIT 1") == [("ada",)]
    last = audit.read(db)[0]
    assert (last["who"], last["action"], last["outcome"], last["target"]) == ("ada", "publish_load", "done", batch.id)
    assert last["details"]["version"] == before[0] + 1
    assert last["details"]["counts"]["unit_score"]["changed"] == 3
    assert staging.batches(db) == []  # published: no longer waiting


def test_a_one_row_upload_corrects_one_criterion_unless_checked_as_a_replacement(db: Path, demo_db: Path) -> None:
    frame = scores_frame(demo_db)
    unit = frame["Mã đơn vị"][0]
    one_row = with_scores(frame.head(1), [0], 0.5)
    others = frame.filter(pl.col("Mã đơn vị") == unit).height - 1
    batch = importing.stage(db, ADMIN, [("Đính chính.xlsx", xlsx(one_row))])

    patch = importing.check(db, ADMIN, batch)
    assert patch.status == "checked" and not patch.replace
    assert patch.per_table["unit_score"] == {"new": 0, "changed": 1, "unchanged": 0, "removed": 0}

    whole = importing.check(db, ADMIN, batch, replace=True)
    assert whole.status == "checked" and whole.replace
    assert whole.per_table["unit_score"]["removed"] == others
    [note] = [p for p in whole.report.notes if p.code == "scores_removed"]
    assert f"{others} tiêu chí đã chấm điểm" in note.message("vi")

    # The publish does what the last check did: here, the replacement.
    report = importing.publish(db, ADMIN, batch)
    assert report.published and report.counts.removed == others
    assert query(db, f"SELECT count(*) FROM unit_score WHERE unit_code = '{unit}' AND year = 2023") == [(1,)]


def test_an_analyst_checks_and_leaves_but_may_not_publish(db: Path, demo_db: Path) -> None:
    batch = importing.stage(db, ANALYST, [("diem.xlsx", xlsx(with_scores(scores_frame(demo_db), [5], 0.25)))])
    assert importing.check(db, ANALYST, batch).per_table["unit_score"]["changed"] == 1
    importing.leave(db, ANALYST, batch)
    before = _published(db)
    with pytest.raises(Denied):
        importing.publish(db, ANALYST, batch)
    with pytest.raises(Denied):
        importing.discard(db, ANALYST, batch)
    assert _published(db) == before
    events = audit.read(db)
    assert [(e["action"], e["outcome"], e["details"]["step"]) for e in events[:4]] == [
        ("publish_load", "denied", "discard"),
        ("publish_load", "denied", "publish"),
        ("stage_files", "done", "leave"),
        ("stage_files", "done", "check"),
    ]
    # Still there for an administrator, who discards it.
    assert [b.id for b in importing.batches(db, ADMIN)] == [batch.id]
    importing.discard(db, ADMIN, batch)
    assert staging.batches(db) == [] and not (staging.staging_root(db) / batch.id).exists()


def test_a_viewer_may_not_stage(db: Path, demo_db: Path) -> None:
    with pytest.raises(Denied):
        importing.stage(db, VIEWER, [("diem.xlsx", xlsx(scores_frame(demo_db)))])
    with pytest.raises(Denied):
        importing.stage(db, None, [("diem.xlsx", b"x")])
    assert not staging.staging_root(db).exists()
    assert [(e["who"], e["outcome"]) for e in audit.read(db)] == [(None, "denied"), ("vic", "denied")]


def test_an_unknown_unit_offers_candidates_and_a_confirmed_pin_passes(db: Path, demo_db: Path) -> None:
    frame = scores_frame(demo_db).drop("Mã đơn vị")
    first = frame["Tên đơn vị"][0]
    typed = f"{first} tỉnh Lạc Hồng"
    renamed = with_scores(frame, [0], 0.5).with_columns(
        pl.when(pl.col("Tên đơn vị") == first).then(pl.lit(typed)).otherwise(pl.col("Tên đơn vị")).alias("Tên đơn vị")
    )
    batch = importing.stage(db, ANALYST, [("diem.xlsx", xlsx(renamed))])

    preview = importing.preview(db, ANALYST, batch)
    [question] = preview.units
    assert question.name == typed and question.year == 2023 and question.row == 2 and not question.ambiguous
    code = scores_frame(demo_db)["Mã đơn vị"][0]
    assert code in [c.code for c in question.candidates]

    refused = importing.check(db, ANALYST, batch)
    assert refused.status == "refused"
    assert {p.code for p in refused.report.errors} == {"unit_unknown"}
    assert [q.name for q in refused.units] == [typed]

    passed = importing.check(db, ANALYST, batch, {typed: code})
    assert passed.status == "checked", [p.message("en") for p in passed.report.errors]
    assert passed.per_table["unit_score"] == {"new": 0, "changed": 1, "unchanged": frame.height - 1, "removed": 0}
    assert staging.read(db, batch.id).manifest["check"]["pins"] == {typed: code}
    # Publishing needs the pins that were checked.
    with pytest.raises(ImportRefused) as stale:
        importing.publish(db, ADMIN, batch, {})
    assert stale.value.reasons[0].code == "not_checked"


def test_files_of_the_wrong_type_or_size_are_refused_naming_the_file(db: Path, demo_db: Path) -> None:
    csv_bytes = demo_input(demo_db, "units.csv").read_bytes()
    cases = {
        "don_vi.xlsx": csv_bytes,  # a CSV renamed to .xlsx
        "bao_cao.csv": b"%PDF-1.7\n" + b"\x00" * 100,  # a PDF renamed to .csv
        "trang.xls": b"<html><table><tr><td>1</td></tr></table></html>",
        "ghi_chu.docx": b"PK\x03\x04",
        "lon.csv": b"a,b\n" + b"1,2\n" * (importing.max_upload_bytes() // 4 + 1),
    }
    for name, data in cases.items():
        with pytest.raises(ImportRefused) as refused:
            importing.stage(db, ANALYST, [(name, data)])
        [reason] = refused.value.reasons
        assert (
            reason.code
            == {
                "don_vi.xlsx": "content_mismatch",
                "bao_cao.csv": "content_mismatch",
                "trang.xls": "content_mismatch",
                "ghi_chu.docx": "bad_type",
                "lon.csv": "too_big",
            }[name]
        )
        for lang in ("vi", "en"):
            assert reason.message(lang).startswith(f"{name}: ")
    mismatch = importing.ImportRefused([importing._refusal("don_vi.xlsx", csv_bytes)])
    assert "là văn bản (CSV)" in mismatch.messages("vi")[0] and "is text (CSV)" in mismatch.messages("en")[0]
    assert not staging.staging_root(db).exists() or staging.batches(db) == []
    assert {e["outcome"] for e in audit.read(db)} == {"refused"}


def test_a_publish_after_the_published_version_changed_is_refused_until_checked_again(db: Path, demo_db: Path) -> None:
    batch = importing.stage(db, ADMIN, [("diem.xlsx", xlsx(with_scores(scores_frame(demo_db), [3], 0.75)))])
    checked = importing.check(db, ADMIN, batch)
    with draft(db):  # someone else publishes meanwhile
        pass
    with pytest.raises(ImportRefused) as refused:
        importing.publish(db, ADMIN, batch)
    reason = refused.value.reasons[0]
    assert reason.code == "version_changed"
    assert reason.params == {"checked": checked.against, "current": checked.against + 1}
    assert "run the checks again" in reason.message("en")
    assert audit.read(db)[0]["outcome"] == "refused"
    assert version_of(current_file(db)) == checked.against + 1

    again = importing.check(db, ADMIN, batch)
    assert again.against == checked.against + 1
    assert importing.publish(db, ADMIN, batch).version == checked.against + 2


def test_uploaded_names_stay_inside_the_private_batch_folder(db: Path, demo_db: Path) -> None:
    data = xlsx(scores_frame(demo_db).head(20))
    names = [
        "../../etc/passwd.xlsx",
        "..\\..\\Windows\\win.xlsx",
        ".bashrc.xlsx",
        "passwd.xlsx",
        "/abs/manifest.json.csv",
    ]
    uploads = [(n, data) for n in names[:4]] + [(names[4], b"a,b\n1,2\n")]
    batch = importing.stage(db, ANALYST, uploads)
    stored = [f.stored for f in batch.files]
    assert stored == ["passwd.xlsx", "win.xlsx", "bashrc.xlsx", "passwd-2.xlsx", "manifest.json.csv"]
    assert [f.name for f in batch.files] == names  # shown as sent, never used as a path
    root = staging.staging_root(db)
    assert sorted(p.name for p in root.parent.iterdir() if p.is_file() and not p.name.startswith("parboard")) == []
    for f in batch.files:
        path = batch.path(f)
        assert path.resolve().parent == batch.folder.resolve()
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(batch.folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    manifest = staging.read(db, batch.id).manifest
    assert manifest["files"][0]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["staged_by"] == "ana"
    for bad_id in ("../x", "..", batch.id + "/../..", ""):
        with pytest.raises(staging.StagingError):
            staging.read(db, bad_id)


def test_a_spreadsheet_bomb_is_refused_when_staged_before_any_reader_opens_it(
    db: Path, demo_db: Path, tmp_path: Path
) -> None:
    from bench.bombs import bomb_ratio

    bomb = bomb_ratio(tmp_path / "diem_2024.xlsx").read_bytes()
    with pytest.raises(ImportRefused) as refused:
        importing.stage(db, ANALYST, [("diem_2024.xlsx", bomb)])
    [reason] = refused.value.reasons
    assert reason.code == "file_zip_ratio"
    assert "diem_2024.xlsx" in reason.message("vi") and "diem_2024.xlsx" in reason.message("en")
    assert not staging.staging_root(db).exists() or staging.batches(db) == []
    assert [(e["action"], e["outcome"]) for e in audit.read(db)] == [("stage_files", "refused")]
