"""The readers on the files units really send (tests/fixtures/scores/, built by build_fixtures.py) and on
small made-up sheets for the edge cases."""

from __future__ import annotations

import csv
import hashlib
import sys
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from bench.inputs import big_xlsx
from core.text import fold
from etl.problems import InputError
from etl.raw import RawTable
from etl.readers import read_file
from etl.values import as_text

FIXTURES = Path(__file__).parent / "fixtures"
SCORES = FIXTURES / "scores"
LOCALITY = FIXTURES / "locality"
LONG_HEADER = ("Tên đơn vị", "Năm", "Mã tiêu chí", "Điểm tự đánh giá", "Điểm thẩm định", "Điểm điều tra xã hội học")
WIDE_COLUMNS = (
    "STT",
    "Tên đơn vị",
    "Điểm tự đánh giá / 1.1",
    "Điểm tự đánh giá / 1.2",
    "Điểm tự đánh giá / 2.1",
    "Điểm tự đánh giá / 2.2",
    "Điểm thẩm định / 1.1",
    "Điểm thẩm định / 1.2",
    "Điểm thẩm định / 2.1",
    "Điểm thẩm định / 2.2",
    "Điểm điều tra xã hội học / 3.1",
    "Tổng điểm",
    "Xếp loại",
)
Figures = dict[tuple[str, int, str], tuple[float | None, float | None, float | None]]


# --- what the files must carry -----------------------------------------------------------------------------


def _number(text: str | None) -> float | None:
    return float(text.replace(",", ".")) if text else None


def expected(name: str = "expected_scores.csv") -> Figures:
    with open(LOCALITY / name, encoding="utf-8", newline="") as fh:
        return {
            (r["unit_code"], int(r["year"]), r["item_code"]): (
                _number(r["self_score"]),
                _number(r["appraised_score"]),
                _number(r["survey_score"]),
            )
            for r in csv.DictReader(fh)
        }


def unit_codes() -> dict[str, str]:
    """Folded unit name or alias → code, as the mapper will resolve them."""
    with open(LOCALITY / "units.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = {fold(r["Tên đơn vị"]): r["Mã đơn vị"] for r in rows}
    codes.update({fold(r["Tên khác"]): r["Mã đơn vị"] for r in rows if r["Tên khác"]})
    return codes


def column(table: RawTable, label: str) -> list[str | None]:
    """The column's cells as the text the user sees (a parquet number column's text, from values.as_text)."""
    keys = [fold(c) for c in table.columns]
    return as_text(table.data.get_column(table.column_name(keys.index(fold(label))))).to_list()


def long_figures(table: RawTable, *, year: int | None = None) -> Figures:
    codes = unit_codes()
    names = column(table, "Tên đơn vị")
    years = column(table, "Năm") if year is None else [str(year)] * len(names)
    items = column(table, "Mã tiêu chí")
    measures = [column(table, h) for h in LONG_HEADER[3:]]
    return {
        (codes[fold(n)], int(y), i): tuple(_number(m[k]) for m in measures)
        for k, (n, y, i) in enumerate(zip(names, years, items, strict=True))
    }


def wide_figures(table: RawTable, year: int) -> Figures:
    codes = unit_codes()
    figures: Figures = {}
    names = column(table, "Tên đơn vị")
    for j, parts in enumerate(table.header_parts):
        if len(parts) != 2:
            continue
        measure = [fold(h) for h in LONG_HEADER[3:]].index(fold(parts[0]))
        for name, value in zip(names, table.data.get_column(f"c{j}").to_list(), strict=True):
            key = (codes[fold(name)], year, parts[1])
            row = list(figures.get(key, (None, None, None)))
            row[measure] = _number(value)
            figures[key] = tuple(row)
    return figures


def only(path: Path, **kwargs) -> RawTable:
    tables = read_file(path, **kwargs)
    assert len(tables) == 1
    return tables[0]


def problem_of(excinfo: pytest.ExceptionInfo[InputError]) -> str:
    assert len(excinfo.value.problems) == 1
    return excinfo.value.problems[0].code


# --- every layout carries the same figures ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "long_utf8.csv",
        "long_utf8_bom.csv",
        "long_utf16.csv",
        "long_cp1258.csv",
        "long.parquet",
        "long_titled.xlsx",
        "no_diacritics.csv",
        "really_csv.xlsx",
        "long.ods",
    ],
)
def test_long_layouts_carry_the_expected_figures(name: str) -> None:
    table = only(SCORES / name)
    assert long_figures(table) == expected()
    assert table.data.height == 15
    assert table.data.columns[-1] == "source_row"
    assert table.data.schema["source_row"] == pl.Int64
    cells = {col: dtype for col, dtype in table.data.schema.items() if col != "source_row"}
    if name.endswith(".parquet"):  # a parquet file's numbers stay numbers; its text stays text
        assert {str(d) for d in cells.values()} == {"String", "Float64", "Int64"}, cells
    else:
        assert all(dtype == pl.Utf8 for dtype in cells.values())


def test_wide_layout_carries_the_expected_figures() -> None:
    assert wide_figures(only(SCORES / "wide_merged.xlsx"), 2023) == expected()


def test_multi_sheet_gives_one_table_per_year_and_skips_the_notes_sheet() -> None:
    tables = read_file(SCORES / "multi_sheet.xlsx")
    assert [t.sheet for t in tables] == ["2023", "2024"]
    assert long_figures(tables[0]) == expected()
    assert long_figures(tables[1]) == expected("expected_scores_2024.csv")
    assert tables[0].header_rows == (1,)
    assert tables[0].data.get_column("source_row").to_list() == list(range(2, 17))
    assert tables[1].header_rows == (3,)  # a title and a blank row above
    assert tables[1].data.get_column("source_row").to_list() == list(range(4, 19))


def test_sheet_named_in_the_mapping_is_the_only_one_read() -> None:
    table = only(SCORES / "multi_sheet.xlsx", sheet="2024")
    assert table.sheet == "2024"
    assert long_figures(table) == expected("expected_scores_2024.csv")


def test_a_missing_sheet_is_refused_with_the_sheets_there_are() -> None:
    with pytest.raises(InputError) as excinfo:
        read_file(SCORES / "multi_sheet.xlsx", sheet="2025")
    problem = excinfo.value.problems[0]
    assert problem.code == "read_sheet_not_found"
    assert problem.params["available"] == "2023, 2024, Hướng dẫn"
    assert "multi_sheet.xlsx" in problem.message("vi")


# --- structure: header rows, labels, row numbers as the user sees them --------------------------------------


def test_plain_csv() -> None:
    table = only(SCORES / "long_utf8.csv")
    assert table.file_name == "long_utf8.csv"
    assert table.sha256 == hashlib.sha256((SCORES / "long_utf8.csv").read_bytes()).hexdigest()
    assert table.sheet is None
    assert table.header_rows == (1,)
    assert table.columns == LONG_HEADER
    assert table.header_parts == tuple((h,) for h in LONG_HEADER)
    assert table.data.columns == [f"c{i}" for i in range(6)] + ["source_row"]
    assert table.data.get_column("source_row").to_list() == list(range(2, 17))  # line 1 is the header
    assert table.dropped_footer_rows == ()
    survey = column(table, "Điểm điều tra xã hội học")
    assert survey[:5] == [None, None, None, None, "18.15"]


def test_display_name_names_the_file() -> None:
    assert only(SCORES / "long_utf8.csv", display_name="diem_2023.csv").file_name == "diem_2023.csv"


def test_decimal_commas_stay_as_written() -> None:
    for name in ("long_utf8_bom.csv", "long_cp1258.csv", "long_titled.xlsx"):
        table = only(SCORES / name)
        assert column(table, "Điểm thẩm định")[0] == "18,25", name


def test_every_encoding_gives_the_same_nfc_text() -> None:
    reference = only(SCORES / "long_utf8.csv")
    for name in ("long_utf8_bom.csv", "long_utf16.csv", "long_cp1258.csv"):
        table = only(SCORES / name)
        assert table.columns == LONG_HEADER, name
        names = column(table, "Tên đơn vị")
        assert names == column(reference, "Tên đơn vị"), name
        assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_cp1258_fixture_really_is_decomposed_vietnamese() -> None:
    raw = (SCORES / "long_cp1258.csv").read_bytes().decode("cp1258")
    assert not unicodedata.is_normalized("NFC", raw)
    assert "Tài nguyên và Môi trường" not in raw
    assert "Tài nguyên và Môi trường" in unicodedata.normalize("NFC", raw)


def test_names_without_diacritics_are_read_as_written() -> None:
    table = only(SCORES / "no_diacritics.csv")
    assert table.columns[0] == "Ten don vi"
    assert column(table, "Tên đơn vị")[0] == "So Noi vu"


def test_parquet_numbers_stay_numbers_and_read_as_the_text_they_stand_for() -> None:
    table = only(SCORES / "long.parquet")
    keys = [fold(c) for c in table.columns]
    scores = table.data.get_column(table.column_name(keys.index(fold("Điểm thẩm định"))))
    assert scores.dtype == pl.Float64 and scores[0] == 18.25
    assert table.header_rows == ()
    assert table.sheet is None
    assert table.columns == LONG_HEADER
    assert table.data.get_column("source_row").to_list() == list(range(1, 16))
    assert column(table, "Năm")[0] == "2023"
    assert column(table, "Điểm tự đánh giá")[1] == "18"  # 18.0 written as a float
    assert column(table, "Điểm thẩm định")[0] == "18.25"
    assert column(table, "Điểm tự đánh giá")[4] is None


def test_titled_sheet_skips_titles_and_drops_the_footer() -> None:
    table = only(SCORES / "long_titled.xlsx")
    assert table.sheet == "Tổng hợp"
    assert table.header_rows == (4,)
    assert table.columns == ("STT", *LONG_HEADER)
    assert table.data.get_column("source_row").to_list() == list(range(5, 20))
    # "Tổng cộng", "Người lập biểu" / "Thủ trưởng đơn vị", the signatures' names
    assert table.dropped_footer_rows == (20, 22, 26)
    assert column(table, "STT")[:3] == ["1", "2", "3"]
    assert column(table, "Năm")[0] == "2023"
    assert set(column(table, "Tên đơn vị")) == {"Sở Nội vụ", "Sở Tài chính", "Sở Tài nguyên và Môi trường"}


def test_wide_two_row_merged_header() -> None:
    table = only(SCORES / "wide_merged.xlsx")
    assert table.sheet == "Điểm CCHC 2023"
    assert table.header_rows == (4, 5)
    assert table.columns == WIDE_COLUMNS
    assert table.header_parts[:3] == (("STT",), ("Tên đơn vị",), ("Điểm tự đánh giá", "1.1"))
    assert table.header_parts[6] == ("Điểm thẩm định", "1.1")  # the sub-label was a number cell
    assert table.header_parts[10] == ("Điểm điều tra xã hội học", "3.1")
    assert table.header_parts[11:] == (("Tổng điểm",), ("Xếp loại",))
    assert table.data.get_column("source_row").to_list() == [6, 7, 8]
    assert table.dropped_footer_rows == (10, 13)
    assert column(table, "Tên đơn vị") == ["Sở Nội vụ", "Sở Tài chính", "Sở TN&MT"]
    assert column(table, "Xếp loại") == ["Xuất sắc", "Tốt", "Trung bình"]


def test_numeric_cells_read_as_excel_shows_them() -> None:
    table = only(SCORES / "wide_merged.xlsx")
    # The cached SUM is stored as 91.65000000000002; Excel shows 91.65.
    assert "91.65000000000002" in zipfile.ZipFile(SCORES / "wide_merged.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert column(table, "Tổng điểm") == ["91.65", "84.4", "69.55"]
    assert column(table, "STT") == ["1", "2", "3"]
    assert column(table, "Điểm tự đánh giá / 1.2")[1] == "20"


def test_explicit_header_row_and_depth_on_the_merged_header() -> None:
    table = only(SCORES / "wide_merged.xlsx", header_row=4, header_depth=2)
    assert table.header_rows == (4, 5)
    assert table.columns == WIDE_COLUMNS
    assert wide_figures(table, 2023) == expected()
    flat = only(SCORES / "wide_merged.xlsx", header_row=4, header_depth=1)
    assert flat.header_rows == (4,)
    assert flat.columns[2] == "Điểm tự đánh giá"
    assert flat.data.get_column("source_row").to_list() == [5, 6, 7, 8]  # row 5 is now data


def test_explicit_depth_when_the_left_columns_are_merged_too(tmp_path: Path) -> None:
    # "Đơn vị" spans a code and a name column: no vertically merged left column tells the two-row header
    # from a header over data, so the mapping file says so.
    path = tmp_path / "grouped.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Sheet1")
    ws.write("A1", "BẢNG ĐIỂM THẨM ĐỊNH NĂM 2023")
    ws.merge_range("A3:B3", "Đơn vị")
    ws.merge_range("C3:D3", "Điểm thẩm định")
    ws.write_row("A4", ["Mã", "Tên", "1.1", "1.2"])
    ws.write_row("A5", ["TST-S01", "Sở Nội vụ", 18.25, 17.5])
    wb.close()
    assert only(path).header_rows == (3,)
    table = only(path, header_row=3, header_depth=2)
    assert table.header_rows == (3, 4)
    assert table.header_parts == (
        ("Đơn vị", "Mã"),
        ("Đơn vị", "Tên"),
        ("Điểm thẩm định", "1.1"),
        ("Điểm thẩm định", "1.2"),
    )
    assert table.columns[3] == "Điểm thẩm định / 1.2"
    assert table.data.rows() == [("TST-S01", "Sở Nội vụ", "18.25", "17.5", 5)]


def test_merged_header_found_from_its_lower_row(tmp_path: Path) -> None:
    # The lower row names more known headers than the top one; the top row still belongs to the header.
    path = tmp_path / "lower.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    ws.merge_range("A1:A2", "STT")
    ws.merge_range("B1:B2", "Đơn vị")
    ws.merge_range("C1:E1", "Kết quả chấm điểm")
    ws.write_row("C2", ["Tự đánh giá", "Thẩm định", "Điều tra XHH"])
    ws.write_row("A3", [1, "Sở Nội vụ", 91, 89.5, 18.15])
    wb.close()
    table = only(path)
    assert table.header_rows == (1, 2)
    assert table.columns == (
        "STT",
        "Đơn vị",
        "Kết quả chấm điểm / Tự đánh giá",
        "Kết quả chấm điểm / Thẩm định",
        "Kết quả chấm điểm / Điều tra XHH",
    )


# --- refused files: the problem names the file ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("empty.xlsx", "read_empty_file"),
        ("header_only.xlsx", "read_header_only"),
        ("not_a_workbook.xlsx", "read_zip_not_workbook"),
        ("truncated.xlsx", "read_damaged"),
        ("web_export.xls", "read_markup"),
    ],
)
def test_broken_files_are_refused_naming_the_file(name: str, code: str) -> None:
    with pytest.raises(InputError) as excinfo:
        read_file(SCORES / name)
    assert problem_of(excinfo) == code
    problem = excinfo.value.problems[0]
    assert problem.file == name
    for lang in ("vi", "en"):
        text = problem.message(lang)
        assert text.startswith(name)
        assert f"problems.{code}" not in text  # the catalogs have the message
    assert name in str(excinfo.value)


def test_header_only_points_at_the_sheet_and_header_row() -> None:
    with pytest.raises(InputError) as excinfo:
        read_file(SCORES / "header_only.xlsx", display_name="Sở Nội vụ - điểm 2023.xlsx")
    problem = excinfo.value.problems[0]
    assert (problem.file, problem.sheet, problem.row) == ("Sở Nội vụ - điểm 2023.xlsx", "Tổng hợp", 3)


def test_really_csv_named_xlsx_reads_as_csv() -> None:
    table = only(SCORES / "really_csv.xlsx")
    assert table.sheet is None
    assert table.columns == LONG_HEADER


def test_unknown_binary_and_missing_file(tmp_path: Path) -> None:
    pdf = tmp_path / "diem.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    with pytest.raises(InputError) as excinfo:
        read_file(pdf)
    assert problem_of(excinfo) == "read_unknown_type"
    with pytest.raises(InputError) as excinfo:
        read_file(tmp_path / "khong_co.xlsx")
    assert problem_of(excinfo) == "read_missing"  # said as missing, not as a file one may not read


def test_workbook_with_only_empty_sheets(tmp_path: Path) -> None:
    path = tmp_path / "trong.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("Sheet1")
    wb.add_worksheet("Sheet2")
    wb.close()
    with pytest.raises(InputError) as excinfo:
        read_file(path)
    assert problem_of(excinfo) == "read_no_table"


def test_header_row_that_holds_nothing(tmp_path: Path) -> None:
    with pytest.raises(InputError) as excinfo:
        read_file(SCORES / "long_titled.xlsx", header_row=3)
    assert problem_of(excinfo) == "read_header_row_missing"
    with pytest.raises(InputError) as excinfo:
        read_file(SCORES / "long_titled.xlsx", header_row=500)
    assert problem_of(excinfo) == "read_header_row_missing"


# --- messy details -----------------------------------------------------------------------------------------


def _sheet(path: Path, rows: dict[int, list[object]], *, name: str = "Sheet1") -> Path:
    """A one-sheet workbook with the given 1-based rows."""
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet(name)
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r, values in rows.items():
        for c, value in enumerate(values):
            if isinstance(value, datetime | date):
                ws.write_datetime(r - 1, c, value, date_format)
            elif value is not None:
                ws.write(r - 1, c, value)
    wb.close()
    return path


def test_cells_as_text(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "cells.xlsx",
        {
            3: ["Tên đơn vị", "Năm", "Ngày đăng ký", "Điểm", "Ghi chú"],
            4: ["  Sở Nội vụ\u00a0", 2023.0, datetime(2023, 7, 15), 91.65000000000001, "Ha\u0300 No\u0323\u0302i"],
            5: ["Sở Tài chính", 2023, date(2024, 1, 2), 0.1 + 0.2, ""],
        },
    )
    table = only(path)
    assert table.header_rows == (3,)
    assert table.data.rows() == [
        ("Sở Nội vụ", "2023", "2023-07-15", "91.65", "Hà Nội", 4),
        ("Sở Tài chính", "2023", "2024-01-02", "0.3", None, 5),
    ]


def test_footer_words_inside_unit_names_do_not_end_the_table(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "footer.xlsx",
        {
            1: ["STT", "Tên đơn vị", "Điểm thẩm định"],
            2: [1, "Công an tỉnh", 80],
            3: [2, "Tổng công ty Điện lực", 81],
            4: [3, "Cong an huyen", 82],
            5: [4, "Thủ tướng", 1],  # not "Thủ trưởng"
            6: [None, "Cộng", 244],
            7: [None, None, None, "GIÁM ĐỐC"],
        },
    )
    table = only(path)
    assert column(table, "Tên đơn vị") == ["Công an tỉnh", "Tổng công ty Điện lực", "Cong an huyen", "Thủ tướng"]
    assert table.dropped_footer_rows == (6, 7)
    assert len(table.columns) == 3  # the signature's column has no header and no data


def test_signature_block_on_the_right_ends_the_table(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "sign.xlsx",
        {
            1: ["Tên đơn vị", "Năm", "Điểm thẩm định", "Điểm tự đánh giá"],
            2: ["Sở Nội vụ", 2023, 91, 92],
            4: [None, None, None, "KT. CHỦ TỊCH"],
            5: [None, None, None, "PHÓ CHỦ TỊCH"],
        },
    )
    table = only(path)
    assert table.data.get_column("source_row").to_list() == [2]
    assert table.dropped_footer_rows == (4, 5)


def test_column_numbering_row_is_part_of_the_header(tmp_path: Path) -> None:
    path = _sheet(
        tmp_path / "numbered.xlsx",
        {
            1: ["STT", "Tên đơn vị", "Năm", "Điểm thẩm định"],
            2: ["(1)", "(2)", "(3)", "(4)"],
            3: [1, "Sở Nội vụ", 2023, 91],
        },
    )
    table = only(path)
    assert table.header_rows == (1, 2)
    assert table.columns == ("STT", "Tên đơn vị", "Năm", "Điểm thẩm định")
    assert table.data.get_column("source_row").to_list() == [3]


def test_hidden_sheets_are_read_only_when_named(tmp_path: Path) -> None:
    path = tmp_path / "hidden.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Tổng hợp")
    ws.write_row(0, 0, LONG_HEADER)
    ws.write_row(1, 0, ["Sở Nội vụ", 2023, "1.1", 19.5, 18.25])
    lookup = wb.add_worksheet("DM")
    lookup.write_row(0, 0, ["Mã đơn vị", "Tên đơn vị"])
    lookup.write_row(1, 0, ["TST-S01", "Sở Nội vụ"])
    lookup.hide()
    wb.close()
    assert [t.sheet for t in read_file(path)] == ["Tổng hợp"]
    assert only(path, sheet="DM").columns == ("Mã đơn vị", "Tên đơn vị")


def test_csv_title_lines_quoted_newlines_and_sep_hint(tmp_path: Path) -> None:
    path = tmp_path / "diem.csv"
    path.write_text(
        "sep=;\n"
        "BẢNG TỔNG HỢP ĐIỂM CCHC NĂM 2023\n"
        "\n"
        "Tên đơn vị;Năm;Điểm thẩm định;Ghi chú\n"
        'Sở Nội vụ;2023;91,65;"hai\ndòng"\n'
        "Sở Tài chính;2023;84,4;\n"
        "Tổng cộng;;176,05;\n",
        encoding="utf-8",
    )
    table = only(path)
    assert table.header_rows == (4,)
    assert table.data.rows() == [
        ("Sở Nội vụ", "2023", "91,65", "hai\ndòng", 5),
        ("Sở Tài chính", "2023", "84,4", None, 7),
    ]
    assert table.dropped_footer_rows == (8,)
    assert only(path, header_row=4).columns == table.columns


def test_bomless_utf16_and_tab_separator(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes("Tên đơn vị\tĐiểm thẩm định\r\nSở Nội vụ\t91,65\r\n".encode("utf-16-le"))
    table = only(path)
    assert table.columns == ("Tên đơn vị", "Điểm thẩm định")
    assert table.data.rows() == [("Sở Nội vụ", "91,65", 2)]


def test_header_only_csv(tmp_path: Path) -> None:
    path = tmp_path / "mau.csv"
    path.write_text(",".join(LONG_HEADER) + "\n\n", encoding="utf-8")
    with pytest.raises(InputError) as excinfo:
        read_file(path)
    assert problem_of(excinfo) == "read_header_only"


def test_fixtures_are_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_fixtures", FIXTURES / "build_fixtures.py")
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "build_fixtures", builder)  # its dataclasses look themselves up there
    spec.loader.exec_module(builder)
    out, locality = tmp_path / "scores", tmp_path / "locality"
    out.mkdir()
    locality.mkdir()
    for f in LOCALITY.iterdir():
        (locality / f.name).write_bytes(f.read_bytes())
    monkeypatch.setattr(builder, "OUT", out)
    monkeypatch.setattr(builder, "LOCALITY", locality)
    builder.main()
    for committed in sorted(SCORES.iterdir()):
        assert (out / committed.name).read_bytes() == committed.read_bytes(), committed.name
    assert (locality / "expected_scores_2024.csv").read_bytes() == (LOCALITY / "expected_scores_2024.csv").read_bytes()


# --- a large workbook (how fast it reads: python -m bench.inputs) -----------------------------------------


def test_hundred_thousand_rows_read_whole(tmp_path: Path) -> None:
    path = big_xlsx(tmp_path / "big.xlsx", 100_000, 20)
    table = only(path)
    assert table.data.shape == (100_000, 21)
    assert table.header_rows == (3,)
    assert table.data.row(0) == ("Đơn vị 4", *(str(round(0.04 + j, 9)) for j in range(1, 20)), 4)
    assert table.data.get_column("source_row").to_list()[-1] == 100_003


def test_workbook_whose_sheet_is_cut_short(tmp_path: Path) -> None:
    with zipfile.ZipFile(SCORES / "long_titled.xlsx") as src:
        members = {name: src.read(name) for name in src.namelist()}
    path = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        for name, data in members.items():
            out.writestr(name, data[: len(data) // 2] if name == "xl/worksheets/sheet1.xml" else data)
    with pytest.raises(InputError) as excinfo:
        read_file(path)
    assert problem_of(excinfo) == "read_damaged"
