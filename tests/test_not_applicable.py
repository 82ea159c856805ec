"""Criteria that do not apply to a unit ("KAD"), and bonus and penalty points outside the criteria.

Provincial department tables mark a criterion that a department has no part in (no administrative procedures
of its own) "KAD"; its maximum then leaves the unit's, and the total is the points over the applicable
maximum, rescaled: 68,32 points of an applicable 84 = 81,33. Bonus (điểm thưởng) and penalty (điểm trừ)
points come after, within their bounds. Every figure below is worked out by hand in the comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from published import query

from cli.main import main

FRAMEWORK = """\
rules: framework
issuer: {code: "46", name: "UBND tỉnh Thừa Thiên Huế"}
unit_kind: department
years: [2023]
name: "Bộ chỉ số CCHC sở, ban, ngành 2023"
source_doc: "Bộ chỉ số kiểm thử: ba lĩnh vực, điểm thưởng và điểm trừ"
total_scale: 100
rescale: none
components:
  - code: LV1
    name: "Công tác chỉ đạo, điều hành cải cách hành chính"
    max: 10
    criteria:
      - {code: "1.1", name: "Kế hoạch cải cách hành chính", max: 5}
      - {code: "1.2", name: "Kiểm tra cải cách hành chính", max: 5}
  - code: LV3
    name: "Cải cách thủ tục hành chính"
    max: 16
    criteria:
      - {code: "3.1", name: "Công khai thủ tục hành chính", max: 8}
      - {code: "3.2", name: "Giải quyết hồ sơ đúng hạn", max: 8}
  - {code: LV5, name: "Cải cách chế độ công vụ", max: 74}
adjustments:
  - {code: DT, name: "Điểm thưởng", kind: bonus, max: 3}
  - {code: DTR, name: "Điểm trừ", kind: penalty, max: 5}
"""

HEADER = ["STT", "Tên cơ quan, đơn vị", "1.1", "1.2", "3.1", "3.2", "LV5", "Điểm thưởng", "Điểm trừ"]
ROWS = [
    # 4,5 + 4,82 + 59 = 68,32 of 100 − 16 = 84 → 81,333 → 81,33; + 1,5 − 2 = 80,83
    [1, "Sở Nội vụ", "4,5", "4,82", "KAD", "KAD", "59", "1,5", "2"],
    # 5 + 5 + 7 + 6,5 + 70 = 93,5 of 100: nothing to rescale, nothing to add
    [2, "Sở Thông tin và Truyền thông", "5", "5", "7", "6,5", "70", "", ""],
    # 4 + 4 + 6 + 60 = 74 of 100 − 8 = 92 → 80,4348 → 80,43; − 1 = 79,43 (a dash under a criterion of a
    # table with a column per criterion marks it as not applying, as "KAD" does)
    [3, "Sở Văn hóa và Thể thao", "4", "4", "–", "6", "60", "", "1"],
]
EXPECTED = {"HUE-SNV": 80.83, "HUE-STTTT": 93.5, "HUE-SVHTT": 79.43}


@pytest.fixture
def loaded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    real = Path(__file__).parent / "fixtures" / "real" / "setup"
    db = tmp_path / "p.duckdb"
    assert main(["init", "--province", "46", "--db", str(db)]) == 0
    framework = tmp_path / "bo_chi_so_so_2023.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    assert main(["load", str(real / "hue_units.csv"), str(framework), "--db", str(db)]) == 0
    book = tmp_path / "ket_qua_so_nganh_2023.xlsx"
    wb = xlsxwriter.Workbook(book)
    ws = wb.add_worksheet("Năm 2023")
    for r, row in enumerate([HEADER, *ROWS]):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    capsys.readouterr()
    code = main(["load", str(book), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0, out
    return db, out


def test_totals_are_rescaled_over_what_applies_then_adjusted(loaded: tuple[Path, str]) -> None:
    db, _ = loaded
    rows = query(
        db,
        "SELECT unit_code, total, raw_points, raw_max, bonus_points, penalty_points FROM unit_result "
        "WHERE year = 2023 AND unit_kind = 'department' AND unit_code IN ('HUE-SNV', 'HUE-STTTT', 'HUE-SVHTT')",
    )
    got = {u: total for u, total, *_ in rows}
    assert got == EXPECTED
    detail = {u: (round(p, 2), m, b, pen) for u, _, p, m, b, pen in rows}
    assert detail["HUE-SNV"] == (68.32, 84.0, 1.5, 2.0)
    assert detail["HUE-STTTT"] == (93.5, 100.0, None, None)
    assert detail["HUE-SVHTT"] == (74.0, 92.0, None, 1.0)


def test_the_area_keeps_its_applicable_maximum_and_no_check_calls_kad_missing(loaded: tuple[Path, str]) -> None:
    db, out = loaded
    area = query(
        db,
        "SELECT unit_code, points, max_points, applicable_max FROM component_result "
        "WHERE year = 2023 AND component_code = 'LV3' ORDER BY unit_code",
    )
    assert [(u, p, m, a) for u, p, m, a in area] == [
        ("HUE-SNV", None, 16.0, 0.0),
        ("HUE-STTTT", 13.5, 16.0, 16.0),
        ("HUE-SVHTT", 6.0, 16.0, 8.0),
    ]
    # "KAD" is neither a bad number nor an appraisal left out, and the recomputed totals agree.
    assert "KAD" not in out
    assert "Không áp dụng" not in out
    findings = query(
        db,
        "SELECT DISTINCT rule FROM check_finding WHERE unit_code IN ('HUE-SNV', 'HUE-STTTT', 'HUE-SVHTT')",
    )
    rules = {r for (r,) in findings}
    wrong = {
        "dq_rescale_mismatch",
        "dq_appraised_score_missing",
        "dq_criteria_not_scored",
        "dq_components_sum_total",
        "dq_criteria_sum_component",
    }
    assert not rules & wrong, rules


def test_the_profile_says_which_criteria_do_not_apply(loaded: tuple[Path, str]) -> None:
    from services import profile
    from services.published import read
    from store.queries import Published

    db, _ = loaded
    b = read(Published(db))
    criteria = profile.criterion_profile(b, "HUE-SNV", 2023)
    table = profile.criteria_table(criteria, "vi").frame
    names = table.get_column(table.columns[1]).to_list()
    assert "Công khai thủ tục hành chính (không áp dụng)" in names
    assert "Kế hoạch cải cách hành chính" in names


def test_the_profile_explains_how_the_total_was_reached(loaded: tuple[Path, str]) -> None:
    from services import profile
    from services.published import read
    from store.queries import Published

    db, _ = loaded
    b = read(Published(db))
    assert profile.total_explained(b, "HUE-SNV", 2023, "vi") == (
        "Cách tính tổng điểm: 68,32 điểm trên 84 điểm tối đa áp dụng cho đơn vị (bỏ các tiêu chí không áp dụng), "
        "quy đổi về thang 100; cộng 1,50 điểm thưởng; trừ 2,00 điểm; tổng điểm 80,83."
    )
    # 93,5 of 100 with nothing added or taken off: the total needs no explaining.
    assert profile.total_explained(b, "HUE-STTTT", 2023, "vi") is None


def test_the_report_notes_totals_rescaled_or_adjusted(loaded: tuple[Path, str], tmp_path: Path) -> None:
    import docx

    db, _ = loaded
    out = tmp_path / "bao-cao.docx"
    assert main(["report", "--db", str(db), "--year", "2023", "--out", str(out)]) == 0
    cells = {cell.text for table in docx.Document(str(out)).tables for row in table.rows for cell in row.cells}
    assert "Tính trên 84 điểm tối đa áp dụng; cộng 1,50 điểm thưởng; trừ 2,00 điểm" in cells
    assert "Tính trên 92 điểm tối đa áp dụng; trừ 1,00 điểm" in cells
