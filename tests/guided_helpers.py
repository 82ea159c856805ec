"""Hand-made workbooks the reader does not recognise on its own, for the guided mapping's tests.

Laid out as a provincial council's appraisal table is often published: the people's committee and the title
above the header, a two-row header whose words the reader does not know ("Đơn vị được đánh giá", "Kết quả
chấm của Hội đồng" over "Điểm HĐ thẩm định LV1"…), points by area, a total and a tier, a signature block
below. One name is written as the council's table writes it ("Sở KHĐT"), not as the register does. Written
cell by cell with xlsxwriter; the figures and totals below are typed by hand, not computed by parboard.
"""

from __future__ import annotations

import io

import xlsxwriter

AREAS = ["LV1", "LV2", "LV3", "LV4", "LV5", "LV6", "LV7", "LV8"]
SHORT_NAME = "Sở KHĐT"  # Sở Kế hoạch và Đầu tư, DEMO-LH-S04 in the demo register

# unit code, name as written, points by area LV1..LV8, total (added up by hand), tier as written
ROWS_2023 = [
    ("DEMO-LH-S01", "Sở Nội vụ", [8, 7.5, 10, 9, 12, 5, 11, 10.5], 73.0, "Khá"),
    ("DEMO-LH-S02", "Sở Tài chính", [9, 8, 12.5, 10, 14, 6, 13, 12], 84.5, "Tốt"),
    ("DEMO-LH-S03", "Sở Tư pháp", [7, 6.5, 9.5, 8, 11, 4.5, 10, 9], 65.5, "Trung bình"),
    ("DEMO-LH-S04", SHORT_NAME, [9.5, 9, 13, 10.5, 15, 6.5, 14.5, 14], 92.0, "Xuất sắc"),
]
# The next year: half a point more in LV1 for each
ROWS_2024 = [
    ("DEMO-LH-S01", "Sở Nội vụ", [8.5, 7.5, 10, 9, 12, 5, 11, 10.5], 73.5, "Khá"),
    ("DEMO-LH-S02", "Sở Tài chính", [9.5, 8, 12.5, 10, 14, 6, 13, 12], 85.0, "Tốt"),
    ("DEMO-LH-S03", "Sở Tư pháp", [7.5, 6.5, 9.5, 8, 11, 4.5, 10, 9], 66.0, "Trung bình"),
    ("DEMO-LH-S04", SHORT_NAME, [10, 9, 13, 10.5, 15, 6.5, 14.5, 14], 92.5, "Xuất sắc"),
]
HEADER_ROW = 5  # 1-based: the header's top row (rows 1-4: committee, motto, title, blank)


def council_workbook(year: int, rows: list) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet(f"KQ {year}")
    bold = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1})
    cell = book.add_format({"border": 1})
    number = book.add_format({"border": 1, "num_format": "0.00"})
    ws.write(0, 0, "UBND TỈNH LẠC HỒNG")
    ws.write(0, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    ws.write(1, 0, "HỘI ĐỒNG THẨM ĐỊNH")
    ws.write(2, 0, f"BẢNG TỔNG HỢP KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC CÁC SỞ, BAN, NGÀNH NĂM {year}")
    top, sub = HEADER_ROW - 1, HEADER_ROW
    ws.merge_range(top, 0, sub, 0, "TT", bold)
    ws.merge_range(top, 1, sub, 1, "Đơn vị được đánh giá", bold)
    ws.merge_range(top, 2, top, 9, "Kết quả chấm của Hội đồng", bold)
    for i, area in enumerate(AREAS):
        ws.write(sub, 2 + i, f"Điểm HĐ thẩm định {area}", bold)
    ws.merge_range(top, 10, sub, 10, "Cộng điểm HĐ", bold)
    ws.merge_range(top, 11, sub, 11, "Mức đạt", bold)
    for r, (_code, name, points, total, tier) in enumerate(rows):
        at = sub + 1 + r
        ws.write_number(at, 0, r + 1, cell)
        ws.write_string(at, 1, name, cell)
        for i, p in enumerate(points):
            ws.write_number(at, 2 + i, p, number)
        ws.write_number(at, 10, total, number)
        ws.write_string(at, 11, tier, cell)
    end = sub + 1 + len(rows)
    ws.write(end + 1, 8, "NGƯỜI LẬP BIỂU")
    ws.write(end + 1, 10, "CHỦ TỊCH HỘI ĐỒNG")
    book.close()
    return out.getvalue()


def other_layout_workbook() -> bytes:
    """Another council's table: the same kind of content under other headers (a different shape)."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    ws = book.add_worksheet("Tổng hợp")
    ws.write(0, 0, "BẢNG ĐIỂM NĂM 2024")
    for col, text in enumerate(["Số TT", "Cơ quan chấm", "Nhóm A", "Nhóm B", "Điểm cuối"]):
        ws.write(2, col, text)
    ws.write_row(3, 0, [1, "Sở Nội vụ", 8, 7, 15])
    book.close()
    return out.getvalue()


def roles(found_columns: tuple[str, ...]) -> list[str]:
    """The answer an analyst gives for the council's layout, column by column."""
    answer = ["", "unit", *[f"item:{a}" for a in AREAS], "total", "tier"]
    assert len(answer) == len(found_columns), found_columns
    return answer
