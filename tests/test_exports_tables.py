"""Table exports opened and checked: the .xlsx with openpyxl, the CSV as bytes and as rows."""

from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import polars as pl
import pytest

from exports.tables import TableMeta, sheet_name, to_csv, to_xlsx

DAY = date(2025, 11, 3)
FRAME = pl.DataFrame(
    {
        "Hạng": [1, 2, 3, 4],
        "Đơn vị": ["Sở Nội vụ", '=HYPERLINK("http://x","bấm")', "-Xã Phú", "@SUM(A1)"],
        "Điểm": [91.654, 84.5, None, float("nan")],
        "Ngày thẩm định": [date(2025, 3, 1), None, date(2025, 3, 2), date(2025, 3, 3)],
    }
)
META = TableMeta(
    title="Xếp hạng các sở, ban, ngành năm 2024",
    filters=[("Năm", "2024"), ("Loại đơn vị", "Sở, ban, ngành")],
    source="Hội đồng thẩm định, tệp diem_2024.xlsx",
    synthetic=True,
)


@pytest.fixture(scope="module")
def sheet() -> openpyxl.worksheet.worksheet.Worksheet:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(FRAME, META, "vi", on=DAY)))
    return wb.active


def _header_row(ws: openpyxl.worksheet.worksheet.Worksheet) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == "Hạng")


def test_xlsx_says_what_the_table_is_above_it(sheet) -> None:
    above = [sheet.cell(r, 1).value for r in range(1, _header_row(sheet))]
    assert above[0] == META.title
    assert sheet.cell(1, 1).font.bold
    assert "Điều kiện lọc: Năm: 2024; Loại đơn vị: Sở, ban, ngành" in above
    assert "Nguồn: Hội đồng thẩm định, tệp diem_2024.xlsx" in above
    assert "Xuất từ parboard ngày 03/11/2025" in above
    assert "Dữ liệu mẫu, không phải số liệu thật." in above


def test_xlsx_header_frozen_filtered_and_bold(sheet) -> None:
    header = _header_row(sheet)
    assert [c.value for c in sheet[header]][:4] == FRAME.columns
    assert all(c.font.bold for c in sheet[header][:4])
    assert sheet.freeze_panes == f"A{header + 1}"
    assert sheet.auto_filter.ref == f"A{header}:D{header + FRAME.height}"
    assert sheet.print_title_rows == f"${header}:${header}"


def test_xlsx_numbers_are_numbers_with_two_decimals(sheet) -> None:
    first = _header_row(sheet) + 1
    score = sheet.cell(first, 3)
    assert score.value == pytest.approx(91.654) and score.number_format == "0.00"
    assert sheet.cell(first, 1).value == 1 and sheet.cell(first, 1).number_format == "0"
    assert sheet.cell(first + 2, 3).value is None  # missing stays blank
    assert sheet.cell(first + 3, 3).value is None  # NaN too, never 0
    assert sheet.cell(first, 4).value.date() == date(2025, 3, 1)
    assert sheet.cell(first, 4).number_format == "dd/mm/yyyy"


def test_xlsx_formulas_neutralised(sheet) -> None:
    first = _header_row(sheet) + 1
    names = [sheet.cell(r, 2).value for r in range(first, first + 4)]
    assert names == ["Sở Nội vụ", '\'=HYPERLINK("http://x","bấm")', "'-Xã Phú", "'@SUM(A1)"]
    assert all(sheet.cell(r, 2).data_type == "s" for r in range(first, first + 4))


def test_xlsx_columns_sized_to_content(sheet) -> None:
    widths = {k: v.width for k, v in sheet.column_dimensions.items()}
    assert widths["B"] > len('=HYPERLINK("http://x","bấm")')
    assert widths["B"] > widths["A"]


def test_xlsx_title_cell_neutralised_too() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(to_xlsx(FRAME, TableMeta(title="=1+1"), on=DAY)))
    assert wb.active.cell(1, 1).value == "'=1+1"
    assert wb.active.title == "Số liệu"


def test_csv_has_bom_and_neutralised_formulas() -> None:
    data = to_csv(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == FRAME.columns
    assert [r[1] for r in rows[1:]] == ["Sở Nội vụ", '\'=HYPERLINK("http://x","bấm")', "'-Xã Phú", "'@SUM(A1)"]
    assert [r[2] for r in rows[1:]] == ["91.654", "84.5", "", ""]
    assert rows[1][3] == "2025-03-01"


def test_csv_keeps_negative_numbers_as_numbers() -> None:
    rows = list(csv.reader(io.StringIO(to_csv(pl.DataFrame({"Thay đổi": [-1.5, 2.0]})).decode("utf-8-sig"))))
    assert rows[1:] == [["-1.5"], ["2.0"]]


def test_pandas_frames_accepted() -> None:
    data = to_csv(FRAME.to_pandas())
    assert "'=HYPERLINK" in data.decode("utf-8-sig")


def test_sheet_names_follow_excel_rules() -> None:
    assert sheet_name("Xếp hạng 2021/2025: [tổng hợp] các xã") == "Xếp hạng 2021-2025- -tổng hợp-"
    assert len(sheet_name("x" * 50)) == 31
    assert sheet_name("''") == "Sheet1"


def test_display_tables_become_numbers_again() -> None:
    from exports.tables import numbers_from_display

    shown = pl.DataFrame({"Hạng": ["1", "2"], "Điểm": ["91,65", "–"], "Ghi chú": ["x", "1"]})
    typed = numbers_from_display(shown, ["Hạng", "Điểm", "Ghi chú"], "vi")
    assert typed.schema["Hạng"] == pl.Int64 and typed["Hạng"].to_list() == [1, 2]
    assert typed["Điểm"].to_list() == [91.65, None]
    assert typed.schema["Ghi chú"] == pl.String  # not all numbers: kept as shown
    english = numbers_from_display(pl.DataFrame({"Score": ["1,234.50", "80.25 points"]}), ["Score"], "en")
    assert english["Score"].to_list() == [1234.5, 80.25]
