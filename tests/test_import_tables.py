"""services.import_tables and the Import page's small helpers in services.importing, without Streamlit."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from etl.units import Candidate
from services import import_tables, importing
from services.importing import SheetPreview, UnitQuestion
from services.load import LoadReport
from store.publish import Change
from store.staging import Batch


def _question(name: str, file: str = "a.xlsx") -> UnitQuestion:
    return UnitQuestion(name, 2024, file, None, 3, 1, False, (Candidate("U1", "Xã Một", 0.9),))


def _batch(**manifest: object) -> Batch:
    return Batch(
        "b1", Path("/nowhere"), {"staged_by": "ana", "staged_at": "2025-03-01T09:30:12", "files": [], **manifest}
    )


def test_each_unit_name_is_asked_once_first_asked_first() -> None:
    merged = importing.merge_questions(
        [_question("Xã A"), _question("Xã B")], [_question("Xã A", "b.xlsx"), _question("Xã C")]
    )
    assert [(q.name, q.file) for q in merged] == [("Xã A", "a.xlsx"), ("Xã B", "a.xlsx"), ("Xã C", "a.xlsx")]


def test_a_staged_batch_is_published_with_the_pins_it_was_checked_with() -> None:
    assert importing.checked_pins(_batch()) == {}
    checked = _batch(status="checked", check={"pins": {"Xã A": "U1"}, "against_version": 4})
    assert importing.checked_pins(checked) == {"Xã A": "U1"} and importing.is_checked(checked)
    assert not importing.is_checked(_batch(status="refused"))
    table = import_tables.staged_table([checked, _batch()], "en")
    assert table.row(0) == ("b1", "ana", "2025-03-01 09:30", "", "Check passed", "4")
    assert table.row(1)[4:] == ("Not checked", "—")


def test_a_sheet_says_which_field_each_column_fills() -> None:
    sheet = SheetPreview(
        "diem.xlsx",
        "2024",
        "unit_score",
        "wide",
        (1, 2),
        [("Đơn vị", "unit"), ("Điểm 1.1", "appraised_score:1.1"), ("Ghi chú", None)],
        10,
        pl.DataFrame({"source_row": [3], "Đơn vị": ["Xã A"]}),
    )
    table = import_tables.columns_table(sheet, "vi")
    assert table[table.columns[1]].to_list() == ["Tên đơn vị", "Điểm thẩm định – tiêu chí 1.1", "(không dùng)"]
    assert import_tables.first_rows(sheet, "en").columns == ["Row", "Đơn vị"]
    assert "wide (one column per criterion)" in import_tables.sheet_summary(sheet, "en")
    assert "1, 2" in import_tables.sheet_summary(sheet, "en")


def test_what_a_check_would_change_in_words() -> None:
    report = LoadReport(
        "checked",
        changes={"unit_result": [Change("U1|2024", (("appraised_score", 80.5, 81.0), ("unit", None, "Xã A")))]},
    )
    ((table, lines),) = import_tables.change_lines(report, "en")
    assert table == importing.table_label("unit_result", "en")
    assert lines == ["`U1|2024` — Appraised score: 80.5 → 81; Unit name: — → Xã A"]
    assert import_tables.value_text(None, "vi") == "—" and import_tables.value_text(3, "vi") == "3"
