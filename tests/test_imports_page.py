"""The Import page in AppTest, signed in with password accounts: what each role sees and may do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from import_helpers import ADMIN, ANALYST, copy_db, scores_frame, with_scores, xlsx
from streamlit.testing.v1 import AppTest

from access import accounts, audit
from core.i18n import catalog
from services import importing
from store.db import current_file, version_of

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PASSWORD = "import-page-secret"


@pytest.fixture(scope="module")
def users(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("accounts") / "users.yaml"
    for username, role in (("ada", "admin"), ("ana", "analyst"), ("vic", "viewer")):
        accounts.add(path, username, role, PASSWORD)
    return path


@pytest.fixture
def db(demo_db: Path, tmp_path: Path, users: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copied = copy_db(demo_db, tmp_path)
    monkeypatch.setenv("PARBOARD_DB", str(copied))
    monkeypatch.setenv("PARBOARD_USERS", str(users))
    monkeypatch.setenv("PARBOARD_AUTH", "password")
    return copied


def _page(username: str, batch: str | None = None, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("screens/imports.py")
    if batch:
        at.session_state["imp_batch"] = batch
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _keys(at: AppTest) -> set[str]:
    return {b.key for b in at.button if b.key}


def test_an_admin_checks_sees_the_changes_and_publishes(db: Path, demo_db: Path) -> None:
    batch = importing.stage(db, ADMIN, [("diem.xlsx", xlsx(with_scores(scores_frame(demo_db), [0, 1], 0.5)))]).id
    at = _page("ada", batch, lang="en")
    assert at.get("file_uploader"), "the upload form"
    assert at.title[0].value == "Import data"
    assert "imp_publish" not in _keys(at)  # nothing checked yet
    at.button(key="imp_run_checks").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [s.value for s in at.success] == ["Passed: ready to publish."]
    diff = at.table[0].value
    row = diff[diff["Table"] == "Unit scores"].iloc[0]
    assert (row["New"], row["Changed"], row["Removed"]) == ("0", "2", "0")
    assert {"imp_publish", "imp_discard", "imp_publish_staged"} <= _keys(at)
    assert "imp_leave" not in _keys(at)

    version = version_of(current_file(db))
    at.button(key="imp_publish").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert version_of(current_file(db)) == version + 1
    assert f"Published: version {version + 1}." in [s.value for s in at.success]
    assert audit.read(db)[0]["who"] == "ada" and audit.read(db)[0]["action"] == "publish_load"


def test_an_analyst_may_leave_a_checked_batch_in_staging_but_sees_no_publish(db: Path, demo_db: Path) -> None:
    batch = importing.stage(db, ANALYST, [("diem.xlsx", xlsx(with_scores(scores_frame(demo_db), [4], 0.5)))]).id
    at = _page("ana", batch)
    at.button(key="imp_run_checks").click().run()
    assert not at.exception, [e.value for e in at.exception]
    keys = _keys(at)
    assert "imp_leave" in keys
    assert not {"imp_publish", "imp_publish_staged", "imp_discard"} & keys
    at.button(key="imp_leave").click().run()
    assert [s.value for s in at.success] == ["Lô đã được để lại trong khu chờ; quản trị viên sẽ công bố."]
    assert (audit.read(db)[0]["who"], audit.read(db)[0]["details"]["step"]) == ("ana", "leave")
    # The staged list shows the analyst what is waiting, to reopen, never to publish or discard.
    keys = _keys(at)
    assert "imp_open" in keys and not {"imp_publish_staged", "imp_discard"} & keys
    assert batch in [str(v) for frame in at.dataframe for v in frame.value.iloc[:, 0]]


def test_a_viewer_is_told_they_cannot_import(db: Path) -> None:
    at = _page("vic")
    assert not at.get("file_uploader")
    assert not {k for k in _keys(at) if k.startswith("imp_")}
    assert any("chỉ được xem" in i.value for i in at.info)


def test_every_word_of_the_page_is_in_both_catalogs() -> None:
    # The page and the modules it lays out, each with say = Translator("imports.page", …).
    root = Path(APP).parent.parent
    page = "".join(
        (root / name).read_text(encoding="utf-8")
        for name in (
            "dashboard/screens/imports.py",
            "dashboard/import_show.py",
            "dashboard/import_steps.py",
            "services/import_tables.py",
        )
    )
    used = {f"imports.page.{k}" for k in re.findall(r'\bsay\(\s*"(\w+)"', page)}
    assert len(used) > 40, "the pattern no longer matches the page"
    vi = {k: v for k, v in catalog("vi").items() if k.startswith("imports.")}
    en = {k: v for k, v in catalog("en").items() if k.startswith("imports.")}
    assert used <= set(vi)
    assert set(vi) == set(en)
    for key in vi:  # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", vi[key])) == set(re.findall(r"{(\w+)}", en[key])), key
