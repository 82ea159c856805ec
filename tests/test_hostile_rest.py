"""Hostile and careless inputs, continued: messages that named the wrong cause, hidden parts of a workbook,
and error cells in every workbook format. Each file is written by hand here or in tests/hostile_files.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from checks_helpers import copy_published, fingerprint
from hostile_files import load_in_child, refused_unchanged

from cli.main import main as cli

_SCORES = "Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm thẩm định\n"


# --- messages that named the wrong cause ---------------------------------------------------------------------


def test_an_unknown_unit_code_is_the_one_cause_named_never_a_raw_kind_key(sample_db: Path, tmp_path: Path) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    typo = tmp_path / "diem_go_nham.csv"
    typo.write_text(_SCORES + "TST-S1,Sở Nội vụ,2024,1.1,1.5\n", encoding="utf-8")

    outcome = refused_unchanged(db, [typo])

    # Before: a second message "Chưa có bộ tiêu chí cho loại đơn vị «cli.kind.None»" beside the real cause.
    assert outcome["codes"] == ["unit_code_unknown"]
    assert not any("cli.kind" in m or "None" in m for m in outcome["messages"]), outcome["messages"]
    assert "«TST-S1»" in outcome["messages"][0]


@pytest.mark.parametrize(
    ("year", "code", "shown"),
    [
        ("2024a", "bad_year", "«2024a»"),
        ("\u200b2024", "bad_year", "«\\u200b2024»"),  # a zero-width space pasted from a web page
        ("1999", "year_out_of_range", "1999"),
    ],
)
def test_a_refused_year_is_not_also_called_empty(
    year: str, code: str, shown: str, sample_db: Path, tmp_path: Path
) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    bad = tmp_path / "diem_nam.csv"
    bad.write_text(_SCORES + f"TST-S01,Sở Nội vụ,{year},1.1,1.5\n", encoding="utf-8")

    outcome = refused_unchanged(db, [bad])

    # Before: "Ô bắt buộc (year) đang để trống" beside the real cause, for a cell that holds a value.
    assert outcome["codes"] == [code], outcome["messages"]
    assert shown in outcome["messages"][0], outcome["messages"][0]


def test_an_empty_required_cell_names_the_field_in_the_readers_language(sample_db: Path, tmp_path: Path) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    empty = tmp_path / "diem_thieu_nam.csv"
    empty.write_text(_SCORES + "TST-S01,Sở Nội vụ,2024,1.1,1.5\nTST-S01,Sở Nội vụ,,1.2,1.5\n", encoding="utf-8")

    outcome = refused_unchanged(db, [empty])

    assert outcome["codes"] == ["missing_value"]
    vi, en = outcome["messages"]
    assert "dòng 3 › cột «Năm»" in vi and "Ô bắt buộc (Năm) đang để trống" in vi, vi
    assert "(Year)" in en, en


def _not_files(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    fifo = tmp_path / "diem_2024.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "ho_so_2024"
    folder.mkdir()
    return {
        "fifo": (fifo, "read_is_pipe", "FIFO"),
        "folder": (folder, "read_is_directory", "thư mục"),
        "device": (Path("/dev/zero"), "read_is_device", "thiết bị"),
        "missing": (tmp_path / "khong_co.csv", "read_missing", "Không có tệp"),
    }


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "missing"])
def test_a_path_that_is_not_a_file_says_what_it_is_and_never_hangs(kind: str, sample_db: Path, tmp_path: Path) -> None:
    path, code, word = _not_files(tmp_path)[kind]
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [path])  # the child's wall-clock limit catches a read that blocks

    assert outcome["codes"] == [code]
    assert word in outcome["messages"][0], outcome["messages"][0]
    assert "not found" not in outcome["messages"][1] or kind == "missing"


def test_the_cli_names_a_fifo_for_what_it_is(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo, _code, _word = _not_files(tmp_path)["fifo"]
    db = copy_published(sample_db, tmp_path / "db")
    before = fingerprint(db)

    assert cli(["load", "--db", str(db), str(fifo)]) == 1

    out = capsys.readouterr().out
    assert "đường ống có tên (FIFO)" in out and "named pipe (FIFO)" in out, out
    assert "not found" not in out
    assert fingerprint(db) == before


def test_the_reader_alone_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    from etl.problems import InputError
    from etl.readers import read_file

    fifo, _code, _word = _not_files(tmp_path)["fifo"]

    with pytest.raises(InputError) as refused:
        read_file(fifo)  # open(2) of a FIFO for reading blocks until a writer comes; this one never does

    assert [p.code for p in refused.value.problems] == ["read_is_pipe"]


# --- hidden rows, columns and sheets ---------------------------------------------------------------------


def _row(r: int, values: list, hidden: bool = False) -> str:
    from hostile_files import cell

    attrs = ' hidden="1"' if hidden else ""
    return (
        f'<row r="{r}"{attrs}>'
        + "".join(cell(f"{c}{r}", v) for c, v in zip("ABCDEF"[: len(values)], values, strict=True))
        + "</row>"
    )


def _hidden_book(path: Path) -> Path:
    """A department's scores as a province's form has them: criterion 1.2 on a row hidden for printing, the
    self-assessed column hidden (F, holding values), two empty columns hidden to the right edge, a hidden sheet
    of drop-down lists and a very hidden sheet left by a macro."""
    from hostile_files import xlsx_by_hand

    head = ["Mã đơn vị", "Tên đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định", "Điểm tự đánh giá"]
    scores = (
        _row(1, head)
        + _row(2, ["TST-S01", "Sở Nội vụ", 2024, "1.1", 18.5, 19])
        + _row(3, ["TST-S01", "Sở Nội vụ", 2024, "1.2", 17.25, 18], hidden=True)
        + _row(4, ["TST-S01", "Sở Nội vụ", 2024, "2.1", 22, 23])
    )
    lists = _row(1, ["Xuất sắc", "Tốt", "Khá"])
    macro = _row(1, ["Mã đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định"]) + _row(2, ["TST-S01", 2024, "1.1", 0])
    return xlsx_by_hand(
        path,
        {"Điểm 2024": (scores, None), "DM": (lists, None), "Tạm": (macro, None)},
        states={"DM": "hidden", "Tạm": "veryHidden"},
        cols={"Điểm 2024": '<col min="6" max="6" width="12" hidden="1"/><col min="7" max="16384" hidden="1"/>'},
    )


def test_hidden_rows_and_columns_are_read_and_named_hidden_sheets_skipped_and_named(
    sample_db: Path, tmp_path: Path
) -> None:
    from published import query

    book = _hidden_book(tmp_path / "diem_so_noi_vu.xlsx")
    db = copy_published(sample_db, tmp_path / "db")

    outcome = load_in_child(db, [book])

    assert outcome["status"] == "published", outcome
    scores = query(
        db,
        "SELECT item_code, self_score, appraised_score FROM unit_score "
        "WHERE unit_code = 'TST-S01' AND year = 2024 ORDER BY item_code",
    )
    # The hidden row and the hidden column are read; the very hidden sheet's 0 for 1.1 is not.
    assert scores == [("1.1", 19.0, 18.5), ("1.2", 18.0, 17.25), ("2.1", 23.0, 22.0)]
    assert outcome["notes"][:2] == ["read_hidden_sheets_skipped", "read_hidden_rows_columns"], outcome
    vi = [outcome["messages"][2], outcome["messages"][0]]
    en = [outcome["messages"][3], outcome["messages"][1]]
    assert (
        "diem_so_noi_vu.xlsx › trang tính «Điểm 2024»: Các dòng ẩn 3 và các cột ẩn F có số liệu và vẫn được đọc"
        in vi[0]
    ), vi
    assert "Các trang tính ẩn «DM», «Tạm» không được đọc" in vi[1] and vi[1].startswith("diem_so_noi_vu.xlsx:"), vi
    assert "hidden rows 3 and hidden columns F" in en[0] and "hidden sheets «DM», «Tạm» are not read" in en[1], en


def test_hidden_rows_are_named_as_spans(tmp_path: Path) -> None:
    from hostile_files import xlsx_by_hand

    from etl.readers import read_file

    head = ["Mã đơn vị", "Tên đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định"]
    rows = _row(1, head) + "".join(
        _row(r, ["TST-S01", "Sở Nội vụ", 2024, f"{r}.1", 1], hidden=r in (3, 5, 6, 7, 9)) for r in range(2, 11)
    )
    rows += '<row r="12" hidden="1"/>'  # an empty hidden row says nothing
    book = xlsx_by_hand(tmp_path / "an_dong.xlsx", {"Điểm": (rows, None)})

    [table] = read_file(book)

    [note] = table.notes
    assert (note.code, note.sheet, note.severity) == ("read_hidden_rows", "Điểm", "warning")
    assert "Các dòng ẩn 3, 5–7, 9 có số liệu" in note.message("vi"), note.message("vi")


def test_a_hidden_sheet_named_by_the_mapping_is_read_and_said_to_be_hidden(tmp_path: Path) -> None:
    from etl.readers import read_file

    book = _hidden_book(tmp_path / "diem.xlsx")

    [table] = read_file(book, sheet="Tạm")

    assert table.sheet == "Tạm" and table.data.height == 1
    assert [n.code for n in table.notes] == ["read_hidden_sheet_read"]


# --- error cells and formulas without values in every workbook format ----------------------------------------

# Cells as LibreOffice Calc saves them: an error keeps its formula, a number Calc stores beside it (0) or an
# empty string, and the error text it shows; a formula from a program that does not compute has no value.
ODS_NA = (
    '<table:table-cell table:formula="of:=VLOOKUP([.D{r}];[$DM.A1:.B40];2;0)" office:value-type="float" '
    'office:value="0" calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
)
ODS_NO_VALUE = '<table:table-cell table:formula="of:=SUM([.F{r}:.H{r}])"/>'
ODS_DIV0 = (
    '<table:table-cell table:formula="of:=[.F{r}]/[.G{r}]" office:string-value="" calcext:value-type="error">'
    "<text:p>#DIV/0!</text:p></table:table-cell>"
)
ODS_VALUE = (
    '<table:table-cell table:formula="of:=1.5+0" office:value-type="float" office:value="1.5" '
    'calcext:value-type="float"><text:p>1.5</text:p></table:table-cell>'
)


def _ods_row(cells: list[str], hidden: bool = False) -> str:
    attrs = ' table:visibility="collapse"' if hidden else ""
    return f"<table:table-row{attrs}>" + "".join(cells) + "</table:table-row>"


def test_error_cells_and_formulas_without_values_in_an_ods_are_refused_cell_by_cell(
    sample_db: Path, tmp_path: Path
) -> None:
    from hostile_files import ods_by_hand, ods_cell

    head = ["Mã đơn vị", "Tên đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định"]
    rows = _ods_row([ods_cell(v) for v in head])
    for r, (item, score) in enumerate(
        [("1.1", ODS_NA), ("1.2", ODS_NO_VALUE), ("1.3", ODS_DIV0), ("1.4", ODS_VALUE)], 2
    ):
        ident = [ods_cell(v) for v in ("TST-S01", "Sở Nội vụ", 2024, item)]
        rows += _ods_row([*ident, score.format(r=r)])
    book = ods_by_hand(tmp_path / "diem_loi.ods", {"Điểm": rows})
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [book])

    # The same message as for xlsx: before, #N/A was read as the 0 Calc stores and the rest as blanks.
    assert outcome["codes"] == ["bad_score"]
    vi = outcome["messages"][0]
    assert "Điểm thẩm định" in vi and "«#N/A»" in vi and "(dòng 2, 3, 4)" in vi and " 3 ô " in vi, vi


def test_an_ods_percentage_hidden_row_and_hidden_sheet_read_as_in_xlsx(tmp_path: Path) -> None:
    from hostile_files import ods_by_hand, ods_cell

    from etl.readers import read_file

    percent = (
        '<table:table-cell office:value-type="percentage" office:value="0.95" calcext:value-type="percentage">'
        "<text:p>95%</text:p></table:table-cell>"
    )
    rows = _ods_row([ods_cell(v) for v in ("Mã đơn vị", "Năm", "Tỷ lệ hoàn thành")])
    rows += _ods_row([ods_cell("TST-H01"), ods_cell(2021), percent])
    rows += _ods_row([ods_cell("TST-H02"), ods_cell(2021), ods_cell(0.5)], hidden=True)
    book = ods_by_hand(tmp_path / "nhiem_vu.ods", {"Nhiệm vụ": rows, "DM": _ods_row([ods_cell("Tốt")])}, hidden=("DM",))

    [table] = read_file(book)

    assert table.data.get_column("c2").to_list() == ["95%", "0.5"]
    assert [n.code for n in table.notes] == ["read_hidden_sheets_skipped", "read_hidden_rows"]
    assert "Các dòng ẩn 3 có số liệu" in table.notes[1].message("vi")


# Excel's own error codes (BIFF8 BOOLERR records); xlwt's names for them are wrong (#VALUE! as 36), so by number.
XLS_ERRORS = {"#N/A": 0x2A, "#DIV/0!": 0x07, "#VALUE!": 0x0F, "#REF!": 0x17}


def _xls_scores(
    path: Path, scores: list[tuple[str, object]], hidden_row: int | None = None, lists: bool = False
) -> Path:
    """An Excel 97-2003 scores sheet as a department's officer saves it: header on row 1, one criterion a row;
    a score given as an error name is written as that error cell."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Điểm")
    for j, head in enumerate(["Mã đơn vị", "Tên đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định"]):
        sheet.write(0, j, head)
    for r, (item, score) in enumerate(scores, 1):
        for j, value in enumerate(["TST-S01", "Sở Nội vụ", 2024, item]):
            sheet.write(r, j, value)
        if isinstance(score, str) and score in XLS_ERRORS:
            sheet.row(r).set_cell_error(4, XLS_ERRORS[score])
        else:
            sheet.write(r, 4, score)
    if hidden_row is not None:
        sheet.row(hidden_row - 1).hidden = True
    if lists:  # a hidden sheet of drop-down lists, as Excel's Hide writes it
        dm = book.add_sheet("DM")
        dm.write(0, 0, "Tốt")
        dm.visibility = 1
    book.save(str(path))
    return path


def test_error_cells_in_an_xls_are_refused_cell_by_cell_with_the_xlsx_message(sample_db: Path, tmp_path: Path) -> None:
    book = _xls_scores(
        tmp_path / "diem_loi.xls",
        [("1.1", "#N/A"), ("1.2", "#DIV/0!"), ("2.1", "#VALUE!"), ("2.2", "#REF!"), ("1.3", 1.5)],
    )
    db = copy_published(sample_db, tmp_path / "db")

    outcome = refused_unchanged(db, [book])

    # Before: the four error cells were read as blanks; row 6 (1,5) is read.
    assert outcome["codes"] == ["bad_score"]
    vi = outcome["messages"][0]
    assert "Điểm thẩm định" in vi and "«#N/A»" in vi and "(dòng 2, 3, 4, 5)" in vi and " 4 ô " in vi, vi


def test_an_xls_hidden_row_and_hidden_sheet_are_named(tmp_path: Path) -> None:
    from etl.readers import read_file

    book = _xls_scores(tmp_path / "diem.xls", [("1.1", 18.5), ("1.2", 17.25)], hidden_row=3, lists=True)

    [table] = read_file(book)

    assert table.data.get_column("c4").to_list() == ["18.5", "17.25"]  # the hidden row is read
    assert [n.code for n in table.notes] == ["read_hidden_sheets_skipped", "read_hidden_rows"]
    assert "Các dòng ẩn 3 có số liệu" in table.notes[1].message("vi")
    assert "«DM»" in table.notes[0].message("vi")


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
