"""Guided mapping through the services: a council's workbook parboard does not recognise is explained column by
column, checked, saved and published; next year's workbook of the same layout is then read with the saved
answer without asking, by the Import service and by `parboard load`; a workbook of another layout is not."""

from __future__ import annotations

from pathlib import Path

import pytest
from guided_helpers import (
    AREAS,
    HEADER_ROW,
    ROWS_2023,
    ROWS_2024,
    SHORT_NAME,
    council_workbook,
    other_layout_workbook,
    roles,
)
from import_helpers import ADMIN, VIEWER, copy_db
from published import query

from access.policy import Denied
from cli.main import main
from etl.layout import header_shape, shape_key
from etl.mapping import read_mapping
from services import guided, importing
from store.db import current_file, version_of
from store.saved_mappings import MappingStore

FIRST = "KQ thẩm định các sở 2023.xlsx"
SECOND = "KQ thẩm định các sở 2024.xlsx"


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    return copy_db(demo_db, tmp_path)


def _results(db: Path, year: int) -> dict[str, tuple[float, str]]:
    codes = ", ".join(f"'{code}'" for code, *_ in ROWS_2023)
    rows = query(db, f"SELECT unit_code, total, tier FROM unit_result WHERE year = {year} AND unit_code IN ({codes})")
    return {code: (total, tier) for code, total, tier in rows}


def _map_and_publish_first(db: Path) -> None:
    """What the analyst does on the page for the 2023 workbook, through the same services."""
    batch = importing.stage(db, ADMIN, [(FIRST, council_workbook(2023, ROWS_2023))])
    preview = importing.preview(db, ADMIN, batch)
    assert [s.table for s in preview.sheets] == [None]  # not recognised on its own
    assert [p.code for p in preview.sheets[0].problems] == ["table_unknown"]
    assert guided.in_use(batch) is None

    found = guided.layout(db, ADMIN, batch)
    assert found is not None
    # The reader found the two-row header under the title block; the title is kept aside.
    assert (found.header_row, found.header_depth) == (HEADER_ROW, 2)
    assert found.columns[1] == "Đơn vị được đánh giá"
    assert found.columns[2] == "Kết quả chấm của Hội đồng / Điểm HĐ thẩm định LV1"
    assert any("NĂM 2023" in line for line in found.title)
    assert found.first_rows["2"].to_list() == [name for _code, name, *_ in ROWS_2023]
    # The column roles offered: the fields, then the year's areas of the units' kind, with their maxima.
    found.roles = ["", "unit", *[""] * 10]
    options = guided.role_options(db, guided.context(db), found, "vi")
    assert options["unit"] == "Tên đơn vị" and options["total"] == "Tổng điểm"
    assert (
        options["item:LV1"].startswith("LV1 · Công tác chỉ đạo, điều hành")
        and "(tối đa 10 điểm)" in options["item:LV1"]
    )
    assert [k for k in options if k.startswith("item:")][:8] == [f"item:{a}" for a in AREAS]

    answer = guided.answer(found, roles(found.columns), "appraised_score", None, {})
    assert answer is not None
    guided.keep(batch, found, guided.build(found, answer))
    checked = importing.check(db, ADMIN, batch, {}, replace=True)
    # Re-checked with the answer: what is left is the one name the register does not know, with candidates.
    assert checked.status == "refused"
    assert [p.code for p in checked.report.errors if p.severity == "error"] == ["unit_unknown"]
    assert [(q.name, "DEMO-LH-S04" in [c.code for c in q.candidates]) for q in checked.units] == [(SHORT_NAME, True)]
    pins = {SHORT_NAME: "DEMO-LH-S04"}
    checked = importing.check(db, ADMIN, batch, pins, replace=True)
    assert checked.passed, [p.message("en") for p in checked.report.errors]

    saved = guided.save(db, ADMIN, batch)
    assert saved.key == found.key == shape_key(found.columns)
    report = importing.publish(db, ADMIN, batch, pins)
    assert report.published


def test_an_answered_layout_is_saved_and_next_years_file_is_read_without_asking(db: Path) -> None:
    version = version_of(current_file(db))
    _map_and_publish_first(db)
    assert version_of(current_file(db)) == version + 1
    assert _results(db, 2023) == {
        "DEMO-LH-S01": (73.0, "kha"),
        "DEMO-LH-S02": (84.5, "tot"),
        "DEMO-LH-S03": (65.5, "trung_binh"),
        "DEMO-LH-S04": (92.0, "xuat_sac"),
    }
    # Kept beside the database, outside the versions, as a mapping file --mapping reads as it is.
    [saved] = MappingStore(db).all()
    assert saved.path.parent == db.parent / "parboard.mappings"
    assert not str(saved.path).startswith(str(current_file(db).parent))
    again = read_mapping(saved.path)
    assert again.table == "scores" and again.year is None and again.sheet is None
    assert again.units == {SHORT_NAME: "DEMO-LH-S04"}
    assert again.item_for("Kết quả chấm của Hội đồng / Điểm HĐ thẩm định LV3") == "LV3"

    batch = importing.stage(db, ADMIN, [(SECOND, council_workbook(2024, ROWS_2024))])
    used = guided.in_use(batch)
    assert used is not None and used["name"] == FIRST and used["author"] == ADMIN.name
    assert FIRST in guided.in_use_line(used, "vi")
    preview = importing.preview(db, ADMIN, batch)
    assert [s.table for s in preview.sheets] == ["scores"] and preview.units == []
    checked = importing.check(db, ADMIN, batch, {}, replace=True)
    assert checked.passed and checked.units == []
    assert importing.publish(db, ADMIN, batch, {}).published
    assert _results(db, 2024) == {
        "DEMO-LH-S01": (73.5, "kha"),
        "DEMO-LH-S02": (85.0, "tot"),
        "DEMO-LH-S03": (66.0, "trung_binh"),
        "DEMO-LH-S04": (92.5, "xuat_sac"),
    }


def test_another_layout_is_not_matched_and_a_batch_can_stop_using_the_saved_answer(db: Path) -> None:
    _map_and_publish_first(db)
    other = importing.stage(db, ADMIN, [("Bảng điểm khác 2024.xlsx", other_layout_workbook())])
    assert guided.in_use(other) is None
    assert [s.table for s in importing.preview(db, ADMIN, other).sheets] == [None]

    batch = importing.stage(db, ADMIN, [(SECOND, council_workbook(2024, ROWS_2024))])
    assert guided.in_use(batch) is not None
    guided.stop_saved(db, ADMIN, batch)
    batch = importing.open_batch(db, ADMIN, batch.id)
    assert guided.in_use(batch) is None
    assert [s.table for s in importing.preview(db, ADMIN, batch).sheets] == [None]
    # Deleting the saved answer: the next upload of the layout asks again.
    with pytest.raises(Denied):
        guided.forget(db, VIEWER, MappingStore(db).all()[0].key)
    guided.forget(db, ADMIN, MappingStore(db).all()[0].key)
    assert guided.in_use(importing.stage(db, ADMIN, [(SECOND, council_workbook(2024, ROWS_2024))])) is None


def test_the_command_line_uses_the_saved_answer_and_says_which(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _map_and_publish_first(db)
    capsys.readouterr()
    second = tmp_path / SECOND
    second.write_bytes(council_workbook(2024, ROWS_2024))
    assert main(["load", "--db", str(db), "--replace", str(second)]) == 0
    out = capsys.readouterr().out
    assert f"«{FIRST}»" in out and SECOND in out
    assert _results(db, 2024)["DEMO-LH-S04"] == (92.5, "xuat_sac")

    # --mapping still works, and wins: the saved file itself, given by hand, reads another year's file too.
    third = tmp_path / "KQ thẩm định các sở 2025.xlsx"
    third.write_bytes(council_workbook(2025, ROWS_2024))
    [saved] = MappingStore(db).all()
    assert main(["load", "--db", str(db), "--replace", "--mapping", str(saved.path), str(third)]) == 0
    assert f"«{FIRST}»" not in capsys.readouterr().out
    assert _results(db, 2025)["DEMO-LH-S01"] == (73.5, "kha")


def test_header_shape_sets_years_and_numbers_aside() -> None:
    a = ["TT", "Đơn vị", "Điểm năm 2023 (10,00 điểm)"]
    b = ["TT", "Đơn vị", "Điểm năm 2024 (12,5 điểm)"]
    assert header_shape(a) == ("tt", "don vi", "diem nam yyyy n diem")
    assert shape_key(a) == shape_key(b)
    assert shape_key(a) != shape_key(["TT", "Cơ quan", "Điểm năm 2023"])
    assert shape_key(a) != shape_key([*a, "Xếp loại"])
    assert header_shape(["Năm2023", "LV1 (14,50)"]) == ("nam yyyy", "lv n n")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_asks_in_the_readers_language_with_no_codes(
    db: Path, lang: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The guided section in AppTest, signed in as an analyst: a select box per column, labelled with the file's
    header, offering the fields and the year's areas in words; no internal value shows."""
    from streamlit.testing.v1 import AppTest

    from access import accounts
    from core.i18n import t

    users = tmp_path / "users.yaml"
    accounts.add(users, "ana", "analyst", "guided-page-secret")
    monkeypatch.setenv("PARBOARD_DB", str(db))
    monkeypatch.setenv("PARBOARD_USERS", str(users))
    monkeypatch.setenv("PARBOARD_AUTH", "password")
    batch = importing.stage(db, ADMIN, [(FIRST, council_workbook(2023, ROWS_2023))])
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "ana"
    at.query_params["lang"] = lang
    at.run()
    at.switch_page("screens/imports.py")
    at.session_state["imp_batch"] = batch.id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert t("imports.guided.title", lang) in [s.value.split(": ", 1)[-1] for s in at.subheader]
    boxes = [s for s in at.selectbox if (s.key or "").startswith("imp_g_role_")]
    assert [s.label for s in boxes][:2] == [
        t("imports.guided.column", lang, n=1, header="TT"),
        t("imports.guided.column", lang, n=2, header="Đơn vị được đánh giá"),
    ]
    assert boxes[1].value == "unit"  # proposed: the reader knew this header once told it is a score table
    shown = [str(o) for o in boxes[2].options]
    assert shown[0] == t("imports.guided.role_none", lang)
    assert t("imports.field.total", lang) in shown and t("imports.field.tier", lang) in shown
    assert any(o.startswith("LV3 · ") for o in shown)
    assert not [o for o in shown if o.startswith("item:") or o in ("unit", "total", "tier", "None")]
