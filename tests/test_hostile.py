"""Hostile and careless inputs: no file may kill the loader or the server, hang a load, exhaust memory, or
slip past a limit, and a refused load leaves the published database byte-for-byte as it was.

Each file is written by hand here (tests/hostile_files.py); the risky ones are loaded in a child process capped
at 1 GiB and 30 s of CPU, which must itself come back with an answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from checks_helpers import copy_published
from hostile_files import abort_workbook, load_in_child, refused_unchanged
from published import query

from cli.main import main as cli
from etl.problems import InputError
from etl.readers import read_file
from store.db import current_file

# --- crashes, hangs and memory ----------------------------------------------------------------------------


def test_a_stray_cell_at_xfd1048576_is_refused_naming_the_file_and_sheet(sample_db: Path, tmp_path: Path) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    book = abort_workbook(tmp_path / "diem_2024.xlsx")

    outcome = refused_unchanged(db, [book])

    assert outcome["codes"] == ["read_too_wide"]
    assert outcome["sheets"] == ["Điểm 2024"]
    assert all("diem_2024.xlsx" in m and "Điểm 2024" in m for m in outcome["messages"]), outcome["messages"]
    assert "16384" in outcome["messages"][1]


def test_the_workbook_reader_dies_in_its_child_and_this_process_goes_on(tmp_path: Path) -> None:
    """Past the byte checks (read_file is the reader alone), calamine still asks for 512 GiB and aborts: the child
    it runs in dies, this test process gets a refusal naming the file and the sheet, and reads on."""
    book = abort_workbook(tmp_path / "diem_2024.xlsx")

    with pytest.raises(InputError) as refused:
        read_file(book)

    [problem] = refused.value.problems
    assert (problem.code, problem.file, problem.sheet) == ("read_too_big", "diem_2024.xlsx", "Điểm 2024")
    assert "diem_2024.xlsx" in problem.message("vi")
    ordinary = Path(__file__).parent / "fixtures" / "bad" / "merged_in_data.xlsx"
    assert read_file(ordinary)  # the same process still reads a workbook


def test_a_declared_size_alone_is_refused_before_reading(sample_db: Path, tmp_path: Path) -> None:
    from hostile_files import cell, xlsx_by_hand

    rows = '<row r="1">' + cell("A1", "Mã đơn vị") + cell("B1", "Năm") + "</row>"
    rows += '<row r="2">' + cell("A2", "DEMO-LH-S01") + cell("B2", 2024) + "</row>"
    book = xlsx_by_hand(tmp_path / "khai_lon.xlsx", {"Trang1": (rows, "A1:ZZ900000")})
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [book])

    assert outcome["codes"] == ["read_too_many_cells"]
    assert outcome["sheets"] == ["Trang1"]


def test_a_sheet_16384_columns_wide_is_refused_not_hung(sample_db: Path, tmp_path: Path) -> None:
    header = ["Mã đơn vị", "Tên đơn vị", "Năm"] + [f"Tiêu chí {i}" for i in range(16_381)]
    row = ["DEMO-LH-S01", "Sở Nội vụ", "2024"] + ["1"] * 16_381
    wide = tmp_path / "rong.csv"
    wide.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [wide])

    assert outcome["codes"] == ["read_too_wide"]
    assert "16384" in outcome["messages"][1]


def test_a_framework_yaml_with_nested_aliases_is_refused_in_bounded_memory(sample_db: Path, tmp_path: Path) -> None:
    levels = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "khung_2024.yaml"
    bomb.write_text("rules: framework\nname: Khung\n" + "\n".join(levels) + "\nareas: [*i, *i]\n", encoding="utf-8")
    assert bomb.stat().st_size < 700
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [bomb])

    assert outcome["codes"] == ["rules_unreadable"]
    assert "bí danh YAML" in outcome["messages"][0]


def test_a_mapping_yaml_with_nested_aliases_is_refused(tmp_path: Path) -> None:
    from etl.mapping import read_mapping

    levels = ["a: &a [" + ", ".join(['"x"'] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb = tmp_path / "anh_xa.yaml"
    bomb.write_text("columns:\n  " + "\n  ".join(levels) + "\n", encoding="utf-8")

    with pytest.raises(InputError) as refused:
        read_mapping(bomb)

    assert [p.code for p in refused.value.problems] == ["mapping_unreadable"]


def test_a_csv_with_cr_only_line_endings_counts_every_line(sample_db: Path, tmp_path: Path) -> None:
    lines = ["Mã đơn vị,Năm,Mã tiêu chí,Điểm thẩm định"] + ["DEMO-LH-S01,2024,1.1,1"] * 1_200_000
    old_mac = tmp_path / "mac.csv"
    old_mac.write_bytes("\r".join(lines).encode("utf-8"))
    assert old_mac.read_bytes().count(b"\n") == 0
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [old_mac])

    assert outcome["codes"] == ["file_too_many_rows"]
    assert "1200001" in outcome["messages"][1]
    assert max(len(m) for m in outcome["messages"]) < 500


def test_task_completion_with_counts_and_no_rate_computes_the_rate(demo_db: Path, tmp_path: Path) -> None:
    db = copy_published(demo_db, tmp_path / "db")
    tasks = tmp_path / "nhiem_vu_2021.csv"
    tasks.write_text(
        "Mã đơn vị,Tên đơn vị,Năm,Số nhiệm vụ được giao,Số nhiệm vụ hoàn thành\n"
        "DEMO-LH-H01,Thành phố Lạc Hồng,2021,20,17\n",
        encoding="utf-8",
    )

    outcome = load_in_child(db, [tasks])

    assert outcome["status"] == "published", outcome
    rows = query(
        db,
        "SELECT tasks_assigned, tasks_done, completion_pct FROM task_completion "
        "WHERE unit_code = 'DEMO-LH-H01' AND year = 2021",
    )
    assert rows == [(20, 17, 85.0)]  # 17 of 20


# --- wrong acceptances that change a leader's numbers --------------------------------------------------------

_SCORES_HEADER = "Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm tự đánh giá,Điểm thẩm định,Điểm điều tra xã hội học\n"


def _result(db: Path, unit: str, year: int) -> tuple:
    [row] = query(db, f"SELECT total, tier FROM unit_result WHERE unit_code = '{unit}' AND year = {year}")
    return row


def test_a_one_row_correction_changes_that_criterion_and_keeps_the_others(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_published(demo_db, tmp_path / "db")
    assert _result(db, "DEMO-LH-S02", 2024) == (88.92, "tot")
    # Sở Tài chính, 2024, criterion 1.1: appraised 1,75 -> 1,25; the 39 other criteria are not in the file.
    fix = tmp_path / "dinh_chinh_so_tai_chinh.csv"
    fix.write_text(_SCORES_HEADER + "DEMO-LH-S02,Sở Tài chính,2024,1.1,2.0,1.25,\n", encoding="utf-8")

    assert cli(["load", "--db", str(db), str(fix)]) == 0

    assert _result(db, "DEMO-LH-S02", 2024) == (88.42, "tot")  # 88,92 - 0,5
    assert query(db, "SELECT count(*) FROM unit_score WHERE unit_code = 'DEMO-LH-S02' AND year = 2024") == [(40,)]
    history = query(
        db,
        "SELECT row_key, old_row->>'appraised_score', new_row->>'appraised_score' FROM row_history "
        "WHERE table_name = 'unit_score' AND load_id = (SELECT max(load_id) FROM load_run)",
    )
    assert history == [("DEMO/department/2024|DEMO-LH-S02|2024|1.1", "1.75", "1.25")]
    assert "0 dòng bỏ" in capsys.readouterr().out


def test_replace_removes_the_criteria_a_file_leaves_out_and_says_how_many(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_published(demo_db, tmp_path / "db")
    fix = tmp_path / "thay_the_so_tai_chinh.csv"
    fix.write_text(_SCORES_HEADER + "DEMO-LH-S02,Sở Tài chính,2024,1.1,2.0,1.25,\n", encoding="utf-8")

    assert cli(["load", "--replace", "--db", str(db), str(fix)]) == 0

    out = capsys.readouterr().out
    assert "39 tiêu chí đã chấm điểm không có trong tệp bị bỏ" in out
    assert "39 scored criteria" in out
    assert query(
        db, "SELECT item_code, appraised_score FROM unit_score WHERE unit_code = 'DEMO-LH-S02' AND year = 2024"
    ) == [("1.1", 1.25)]
    removed = query(
        db,
        "SELECT count(*) FROM row_history WHERE table_name = 'unit_score' AND new_row IS NULL "
        "AND load_id = (SELECT max(load_id) FROM load_run)",
    )
    assert removed == [(39,)]


def test_error_cells_and_formulas_without_values_are_refused_cell_by_cell(sample_db: Path, tmp_path: Path) -> None:
    from hostile_files import cell, xlsx_by_hand

    head = ["Mã đơn vị", "Tên đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định"]
    rows = '<row r="1">' + "".join(cell(f"{c}1", v) for c, v in zip("ABCDE", head, strict=True)) + "</row>"
    scores = [
        ("1.1", '<c r="E{r}" t="e"><v>#N/A</v></c>'),
        ("1.2", '<c r="E{r}"><f>SUM(F2:F9)</f></c>'),  # saved by a program that does not compute formulas
        ("1.3", '<c r="E{r}" t="e"><v>#DIV/0!</v></c>'),
        ("1.4", '<c r="E{r}"><f>1.5+0</f><v>1.5</v></c>'),  # a formula with its value is read as the value
    ]
    for r, (item, score) in enumerate(scores, 2):
        ident = ["DEMO-LH-S01", "Sở Nội vụ", 2024, item]
        rows += f'<row r="{r}">' + "".join(cell(f"{c}{r}", v) for c, v in zip("ABCD", ident, strict=True))
        rows += score.format(r=r) + "</row>"
    book = xlsx_by_hand(tmp_path / "diem_loi.xlsx", {"Điểm": (rows, None)})
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [book])

    # One message for the one cause, naming every refused row (the formula with its value, row 5, is read)
    assert outcome["codes"] == ["bad_score"]
    vi = outcome["messages"][0]
    assert "Điểm thẩm định" in vi and "«#N/A»" in vi and "(dòng 2, 3, 4)" in vi and " 3 ô " in vi, vi


def test_a_nan_in_a_parquet_score_column_is_refused_not_counted_as_zero(sample_db: Path, tmp_path: Path) -> None:
    import polars as pl

    file = tmp_path / "diem.parquet"
    pl.DataFrame(
        {
            "Mã đơn vị": ["DEMO-LH-S01", "DEMO-LH-S01"],
            "Năm": [2024, 2024],
            "Mã tiêu chí": ["1.1", "1.2"],
            "Điểm thẩm định": [1.5, float("nan")],
        }
    ).write_parquet(file)
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [file])

    assert outcome["codes"] == ["bad_score"]
    # A parquet file has no header row: its rows are numbered from the first record.
    assert "dòng 2 ›" in outcome["messages"][0] and "«NaN»" in outcome["messages"][0], outcome["messages"]


def test_a_cell_formatted_as_a_percentage_is_read_as_the_percentage(demo_db: Path, tmp_path: Path) -> None:
    from hostile_files import PERCENT_STYLES, cell, xlsx_by_hand

    head = ["Mã đơn vị", "Tên đơn vị", "Năm", "Số nhiệm vụ được giao", "Số nhiệm vụ hoàn thành", "Tỷ lệ hoàn thành"]
    rows = '<row r="1">' + "".join(cell(f"{c}1", v) for c, v in zip("ABCDEF", head, strict=True)) + "</row>"
    data = ["DEMO-LH-H01", "Thành phố Lạc Hồng", 2021, 20, 19]
    rows += '<row r="2">' + "".join(cell(f"{c}2", v) for c, v in zip("ABCDE", data, strict=True))
    rows += '<c r="F2" s="1"><v>0.95</v></c></row>'  # Excel shows 95%
    book = xlsx_by_hand(tmp_path / "nhiem_vu.xlsx", {"Nhiệm vụ": (rows, None)}, PERCENT_STYLES)
    db = copy_published(demo_db, tmp_path / "db")

    outcome = load_in_child(db, [book])

    assert outcome["status"] == "published", outcome
    rows_after = query(
        db,
        "SELECT tasks_assigned, tasks_done, completion_pct FROM task_completion "
        "WHERE unit_code = 'DEMO-LH-H01' AND year = 2021",
    )
    assert rows_after == [(20, 19, 95.0)]


def test_a_file_with_the_rate_alone_keeps_the_task_counts(demo_db: Path, tmp_path: Path) -> None:
    db = copy_published(demo_db, tmp_path / "db")
    before = query(
        db, "SELECT tasks_assigned, tasks_done FROM task_completion WHERE unit_code = 'DEMO-LH-H01' AND year = 2021"
    )
    assert before == [(19, 19)]  # the demo's figures
    rate = tmp_path / "ty_le.csv"
    rate.write_text(
        "Mã đơn vị,Tên đơn vị,Năm,Tỷ lệ hoàn thành (%)\nDEMO-LH-H01,Thành phố Lạc Hồng,2021,95\n", encoding="utf-8"
    )

    outcome = load_in_child(db, [rate])

    assert outcome["status"] == "published", outcome
    after = query(
        db,
        "SELECT tasks_assigned, tasks_done, completion_pct FROM task_completion "
        "WHERE unit_code = 'DEMO-LH-H01' AND year = 2021",
    )
    assert after == [(19, 19, 95.0)]


def test_two_columns_with_the_same_header_are_refused_naming_both(sample_db: Path, tmp_path: Path) -> None:
    twice = tmp_path / "diem_hai_cot.csv"
    twice.write_text(
        "Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm thẩm định,Ghi chú,Điểm thẩm định\n"
        "DEMO-LH-S01,Sở Nội vụ,2024,1.1,1.5,,1.75\n",
        encoding="utf-8",
    )
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [twice])

    assert outcome["codes"] == ["column_duplicate"]
    vi, en = outcome["messages"][0], outcome["messages"][1]
    assert "dòng 1 › cột «Điểm thẩm định»" in vi and "Cột thứ 7 và cột thứ 5 («Điểm thẩm định»)" in vi, vi
    assert "Columns 7 and 5" in en, en


def test_a_code_with_another_units_name_on_every_row_is_refused_naming_the_rows(demo_db: Path, tmp_path: Path) -> None:
    mixed = tmp_path / "diem_nham_ma.csv"
    mixed.write_text(
        _SCORES_HEADER
        + "DEMO-LH-S02,Sở Nội vụ,2024,1.1,2.0,1.5,\n"
        + "DEMO-LH-S02,Sở Nội vụ,2024,1.2,1.5,1.5,\n"
        + "DEMO-LH-S02,Sở Nội vụ,2024,1.3,2.0,1.0,\n",
        encoding="utf-8",
    )
    db = copy_published(demo_db, tmp_path / "db")

    outcome = refused_unchanged(db, [mixed])

    assert outcome["codes"] == ["unit_code_name_disagree"]
    vi, en = outcome["messages"][0], outcome["messages"][1]
    assert "dòng 2 › cột «Tên đơn vị»" in vi, vi
    assert "«DEMO-LH-S02» là của «Sở Tài chính»" in vi and "mã DEMO-LH-S01 (các dòng 2, 3, 4)" in vi, vi
    assert "rows 2, 3, 4" in en, en


def test_a_units_file_cannot_turn_a_department_with_results_into_a_commune(demo_db: Path, tmp_path: Path) -> None:
    units = tmp_path / "don_vi.csv"
    units.write_text(
        "Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên,Hiệu lực từ,Hiệu lực đến,Tên khác\n"
        "DEMO-LH-S01,Sở Nội vụ,xã,DEMO-LH,,,SNV\n",
        encoding="utf-8",
    )
    db = copy_published(demo_db, tmp_path / "db")

    outcome = refused_unchanged(db, [units])

    assert outcome["codes"] == ["unit_kind_change_with_results"]
    vi, en = outcome["messages"][0], outcome["messages"][1]
    assert "don_vi.csv › dòng 2 › cột «Loại đơn vị»" in vi, vi
    assert "từ sở, ban, ngành thành xã, phường, đặc khu" in vi and "2021, 2022, 2023, 2024, 2025" in vi, vi
    assert "(code DEMO-LH-S01)" in en, en


def test_survey_rows_in_a_file_without_a_survey_column_are_refused_not_dropped(demo_db: Path, tmp_path: Path) -> None:
    no_survey = tmp_path / "diem_thieu_cot_dieu_tra.csv"
    no_survey.write_text(
        "Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm tự đánh giá,Điểm thẩm định\n"
        "DEMO-LH-S02,Sở Tài chính,2024,7.7,1.0,1.0\n"
        "DEMO-LH-S02,Sở Tài chính,2024,8.1,,\n"
        "DEMO-LH-S02,Sở Tài chính,2024,8.2,,\n",
        encoding="utf-8",
    )
    db = copy_published(demo_db, tmp_path / "db")

    outcome = refused_unchanged(db, [no_survey])

    assert outcome["codes"] == ["survey_column_missing"]
    vi, en = outcome["messages"][0], outcome["messages"][1]
    assert (
        "dòng 3 › cột «Mã tiêu chí»" in vi and "2 dòng cho tiêu chí điều tra xã hội học (8.1, 8.2; các dòng 3, 4)" in vi
    )
    assert "rows 3, 4" in en, en


# --- unreadable databases ---------------------------------------------------------------------------------


def _damaged(kind: str, sample_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.duckdb"
    good = current_file(sample_db).read_bytes()
    path.write_bytes(
        {
            "empty": b"",
            "truncated": good[: len(good) // 3],
            "bitrot": good[:4096] + bytes(b ^ 0xFF for b in good[4096:8192]) + good[8192:],
            "foreign": b"%PDF-1.7\n" + b"\x00" * 5000,
        }[kind]
    )
    return path


@pytest.mark.parametrize("kind", ["empty", "truncated", "bitrot", "foreign"])
@pytest.mark.parametrize("command", ["status", "check"])
def test_status_and_check_on_an_unreadable_database_say_so_with_their_own_exit_code(
    kind: str, command: str, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _damaged(kind, sample_db, tmp_path)

    code = cli([command, "--db", str(path)])

    out = capsys.readouterr()
    assert code == 3, out
    assert "Traceback" not in out.out + out.err
    assert str(path) in out.err


# --- messages ------------------------------------------------------------------------------------------------


def test_a_file_name_with_terminal_escapes_never_reaches_the_terminal_raw(sample_db: Path, tmp_path: Path) -> None:
    name = "diem\x1b[2J\x1b]0;owned\x07\nĐã nạp xong: phiên bản 99.csv"
    hostile = tmp_path / name
    hostile.write_text("Mã đơn vị,Năm,Mã tiêu chí,Điểm thẩm định\nDEMO-LH-S01,2024,1.1,không biết\n", encoding="utf-8")
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [hostile])

    for message in outcome["messages"]:
        assert "\x1b" not in message and "\n" not in message and "\x07" not in message, message
    assert any("diem\\x1b[2J" in m for m in outcome["messages"])


def test_a_huge_name_or_number_is_shown_shortened(sample_db: Path, tmp_path: Path) -> None:
    long_name = "Sở " + "Nội vụ " * 20_000
    hostile = tmp_path / "dai.csv"
    hostile.write_text(
        f"Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm thẩm định\nXX-1,{long_name},2024,1.1,{'9' * 309}\n",
        encoding="utf-8",
    )
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [hostile])

    assert outcome["messages"]
    assert max(len(m) for m in outcome["messages"]) < 2000, max(outcome["messages"], key=len)[:300]
    assert not any("9" * 200 in m for m in outcome["messages"])


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
