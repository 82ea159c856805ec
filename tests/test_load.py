"""The loader end to end: real fixture files into a real DuckDB file through `parboard load`."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pytest
from published import query

from cli.main import main
from services.load import load_files
from store.db import current_file, versions_dir

FIXTURES = Path(__file__).parent / "fixtures"
LOCALITY = FIXTURES / "locality"
SCORES = FIXTURES / "scores"
SETUP = ["units.csv", "lineage.csv", "framework_department.yaml", "tiers_department.yaml"]


def _load(db: Path, *files: Path | str, mapping: Path | None = None) -> int:
    args = ["load", "--db", str(db), *map(str, files)]
    if mapping:
        args += ["--mapping", str(mapping)]
    return main(args)


def _fingerprint(db: Path) -> tuple[str, str, list[str]]:
    """What must not move when a load is refused: the link, the bytes it points at, the version files."""
    target = current_file(db)
    assert target is not None
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    return str(db.readlink()), digest, sorted(p.name for p in versions_dir(db).iterdir())


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("base") / "parboard.duckdb"
    assert _load(db, *(LOCALITY / f for f in SETUP)) == 0
    return db


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    """A private copy of the base database (the link and its version files)."""
    copy = tmp_path / "parboard.duckdb"
    shutil.copytree(versions_dir(base_db), versions_dir(copy))
    copy.symlink_to(base_db.readlink())
    return copy


def _expected(year: int = 2023) -> dict[tuple[str, int, str], tuple]:
    name = "expected_scores.csv" if year == 2023 else f"expected_scores_{year}.csv"
    rows = {}
    with open(LOCALITY / name, encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            rows[(r["unit_code"], int(r["year"]), r["item_code"])] = tuple(
                float(r[k]) if r[k] else None for k in ("self_score", "appraised_score", "survey_score")
            )
    return rows


def _expected_totals(year: int = 2023) -> dict[str, float]:
    """Totals computed here, independently of the SQL: appraised points plus survey points, two decimals."""
    totals: dict[str, float] = {}
    for (unit, _, _), (_, appraised, survey) in _expected(year).items():
        totals[unit] = totals.get(unit, 0.0) + (appraised or 0.0) + (survey or 0.0)
    return {unit: round(total, 2) for unit, total in totals.items()}


LAYOUTS = [
    "long_utf8.csv",
    "long_utf8_bom.csv",
    "long_utf16.csv",
    "long_cp1258.csv",
    "long.parquet",
    "long_titled.xlsx",
    "no_diacritics.csv",
    "wide_merged.xlsx",
    "long.ods",
]


@pytest.mark.parametrize("name", LAYOUTS)
def test_every_layout_and_encoding_loads_the_same_figures(db: Path, name: str) -> None:
    assert _load(db, SCORES / name) == 0
    stored = query(
        db,
        "SELECT unit_code, year, item_code, self_score, appraised_score, survey_score "
        "FROM unit_score WHERE item_code <> 'TOTAL'",
    )
    assert {(u, y, i): (s, a, v) for u, y, i, s, a, v in stored} == _expected()
    totals = dict(query(db, "SELECT unit_code, total FROM unit_result WHERE year = 2023"))
    assert totals == _expected_totals()
    tiers = dict(query(db, "SELECT unit_code, tier FROM unit_result WHERE year = 2023"))
    assert tiers == {"TST-S01": "xuat_sac", "TST-S02": "tot", "TST-S03": "trung_binh"}


def test_several_sheets_load_each_year(db: Path) -> None:
    assert _load(db, SCORES / "multi_sheet.xlsx") == 0
    totals = dict(query(db, "SELECT unit_code, total FROM unit_result WHERE year = 2024"))
    assert totals == _expected_totals(2024)


def test_every_row_knows_its_file_sheet_and_row(db: Path) -> None:
    assert _load(db, SCORES / "long_titled.xlsx") == 0
    rows = query(
        db,
        """
        SELECT s.file_name, s.sheet, s.file_sha256, u.source_row, l.loaded_by
        FROM unit_score u JOIN source s USING (source_id) JOIN load_run l USING (load_id)
        WHERE u.unit_code = 'TST-S01' AND u.item_code = '1.1'""",
    )
    assert len(rows) == 1
    file_name, sheet, sha, source_row, loaded_by = rows[0]
    assert file_name == "long_titled.xlsx" and sheet
    assert sha == hashlib.sha256((SCORES / "long_titled.xlsx").read_bytes()).hexdigest()
    assert loaded_by
    # The row number is the one Excel shows: read it back with openpyxl, which numbers rows as Excel does.
    cells = [c.value for c in openpyxl.load_workbook(SCORES / "long_titled.xlsx")[sheet][source_row]]
    assert "Sở Nội vụ" in cells and "1.1" in cells


def test_loading_the_same_file_twice_changes_nothing(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _load(db, SCORES / "long_utf8.csv") == 0
    before = _fingerprint(db)
    assert _load(db, SCORES / "long_utf8.csv") == 0
    assert _fingerprint(db) == before
    assert "Không có gì thay đổi" in capsys.readouterr().out


def _edited(tmp_path: Path, name: str, old: str, new: str, source: str = "long_utf8.csv") -> Path:
    text = (SCORES / source).read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / name
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    return out


def test_a_corrected_file_with_replace_replaces_the_figures_and_keeps_history(db: Path, tmp_path: Path) -> None:
    assert _load(db, SCORES / "long_utf8.csv") == 0
    lines = (SCORES / "long_utf8.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    target = next(r for r in rows if r.startswith("Sở Nội vụ,2023,1.1,"))
    corrected = [r.replace(",18.25,", ",17.25,") if r == target else r for r in rows]
    # The corrected file also drops criterion 2.2 of Sở Nội vụ: loaded with --replace, that row is removed, and
    # kept in history (without it the file would be a patch and 2.2 would stay: tests/test_hostile.py).
    corrected = [r for r in corrected if not r.startswith("Sở Nội vụ,2023,2.2,")]
    path = tmp_path / "long_utf8_corrected.csv"
    path.write_text("\n".join([header, *corrected]) + "\n", encoding="utf-8")
    assert main(["load", "--replace", "--db", str(db), str(path)]) == 0
    assert query(db, "SELECT appraised_score FROM unit_score WHERE unit_code='TST-S01' AND item_code='1.1'") == [
        (17.25,)
    ]
    assert query(db, "SELECT count(*) FROM unit_score WHERE unit_code='TST-S01' AND item_code='2.2'") == [(0,)]
    history = query(
        db,
        "SELECT row_key, old_row->>'appraised_score', new_row->>'appraised_score' FROM row_history "
        "WHERE table_name = 'unit_score' ORDER BY row_key",
    )
    assert ("TST/department/2023|TST-S01|2023|1.1", "18.25", "17.25") in history
    assert ("TST/department/2023|TST-S01|2023|2.2", "14.0", None) in history
    assert dict(query(db, "SELECT unit_code, total FROM unit_result"))["TST-S01"] == round(91.65 - 1 - 14, 2)


@pytest.mark.parametrize(
    ("case", "old", "new", "row", "column", "words"),
    [
        ("unknown unit", "Sở Tài chính,2023,2.1", "Sở Tư pháp,2023,2.1", 9, "Tên đơn vị", "Sở Tư pháp"),
        (
            "score above its maximum",
            "Sở Nội vụ,2023,2.1,24,23.75",
            "Sở Nội vụ,2023,2.1,24,26.5",
            4,
            "Điểm thẩm định",
            "26.5",
        ),
        ("year outside 2021-2030", "Sở Tài chính,2023,1.2", "Sở Tài chính,2019,1.2", 8, "Năm", "2019"),
        (
            "text in a score column",
            "Sở Nội vụ,2023,1.2,18,17.5",
            "Sở Nội vụ,2023,1.2,18,mười bảy",
            3,
            "Điểm thẩm định",
            "mười bảy",
        ),
    ],
)
def test_bad_input_is_refused_naming_row_and_column_and_the_database_is_unchanged(
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    old: str,
    new: str,
    row: int,
    column: str,
    words: str,
) -> None:
    assert _load(db, SCORES / "long_utf8.csv") == 0
    before = _fingerprint(db)
    bad = _edited(tmp_path, "bad.csv", old, new)
    capsys.readouterr()
    assert _load(db, bad) == 1, case
    out = capsys.readouterr().out
    assert f"bad.csv › dòng {row} › cột «{column}»" in out
    assert f"bad.csv › row {row} › column “{column}”" in out
    assert words in out
    assert "KHÔNG NẠP" in out
    assert _fingerprint(db) == before


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        ("Tên đơn vị,Năm,", "Tên đơn vị,Ghi chú kỳ,", "year_missing"),  # and no sheet or mapping file says it
        (",Mã tiêu chí,", ",Ghi chú kỳ,", "scores_unplaced"),  # scores that name no criterion
    ],
)
def test_scores_without_a_year_or_criterion_column_are_refused_with_words(
    db: Path, tmp_path: Path, old: str, new: str, code: str
) -> None:
    before = _fingerprint(db)
    report = load_files(db, [_edited(tmp_path, "bad.csv", old, new)])
    assert report.status == "refused"
    assert code in [p.code for p in report.errors]
    assert all(f"problems.{p.code}" not in p.message(lang) for p in report.errors for lang in ("vi", "en"))
    assert _fingerprint(db) == before


def test_a_refused_file_among_good_ones_loads_nothing(db: Path, tmp_path: Path) -> None:
    before = _fingerprint(db)
    bad = _edited(tmp_path, "bad.csv", "Sở Tài chính,2023,2.1", "Sở Tư pháp,2023,2.1")
    assert _load(db, SCORES / "multi_sheet.xlsx", bad) == 1
    assert _fingerprint(db) == before


def test_an_unknown_name_lists_the_closest_units(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _edited(tmp_path, "typo.csv", "Sở Tài chính,2023,2.1", "Sở Tài chánh,2023,2.1")
    assert _load(db, bad) == 1
    assert "Sở Tài chính (TST-S02)" in capsys.readouterr().out


def test_an_ambiguous_name_is_refused_then_pinned_by_the_mapping_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "Hòa Bình" is both a district and a town in 2023: never guessed.
    data = tmp_path / "registrations.csv"
    data.write_text(
        "Tên đơn vị,Năm,Ngày đăng ký\nHòa Bình,2023,15/03/2023\nSở Nội vụ,2023,20/03/2023\n", encoding="utf-8"
    )
    assert _load(db, data) == 1
    out = capsys.readouterr().out
    assert "Huyện Hòa Bình (TST-H01)" in out and "Thị trấn Hòa Bình (TST-X03)" in out
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text('units:\n  "Hòa Bình": TST-X03\n', encoding="utf-8")
    assert _load(db, data, mapping=mapping) == 0
    assert query(db, "SELECT unit_code, registered_on::VARCHAR FROM registration ORDER BY 1") == [
        ("TST-S01", "2023-03-20"),
        ("TST-X03", "2023-03-15"),
    ]


def test_a_name_shared_by_an_old_and_a_new_commune_goes_to_the_unit_of_that_year(db: Path, tmp_path: Path) -> None:
    data = tmp_path / "tasks.csv"
    data.write_text(
        "Tên đơn vị;Năm;Tỷ lệ hoàn thành (%)\nXã Long Hưng;2024;95,5\nXã Long Hưng;2025;100\n", encoding="utf-8"
    )
    assert _load(db, data) == 0
    assert query(db, "SELECT unit_code, year, completion_pct FROM task_completion ORDER BY year") == [
        ("TST-X01", 2024, 95.5),
        ("TST-N01", 2025, 100.0),
    ]


def test_a_file_with_totals_only_keeps_them_marked_as_reported(db: Path, tmp_path: Path) -> None:
    data = tmp_path / "totals.csv"
    data.write_text('STT,Tên đơn vị,Năm,Tổng điểm,Xếp loại\n1,Sở Nội vụ,2024,"88,5",Tốt\n', encoding="utf-8")
    assert _load(db, data) == 0
    assert query(db, "SELECT total, tier, reported_tier, basis FROM unit_result WHERE year = 2024") == [
        (88.5, "tot", "tot", "reported_total")
    ]


def test_scores_from_criteria_win_over_a_total_written_in_the_file(db: Path) -> None:
    # wide_merged.xlsx carries a "Tổng điểm" column: kept for the checks, never used as the result.
    assert _load(db, SCORES / "wide_merged.xlsx") == 0
    assert query(db, "SELECT count(*) FROM unit_score WHERE item_code = 'TOTAL'") == [(3,)]
    assert set(query(db, "SELECT basis FROM unit_result")) == {("criteria",)}


def test_area_scores_without_criteria_make_a_total(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "rules: framework\nissuer: {code: X, name: Test}\nunit_kind: commune\nyears: [2022]\nname: Areas only\n"
        "rescale: when_no_survey\ncomponents:\n  - {code: A, name: Area A, max: 60}\n"
        "  - {code: B, name: Area B, max: 40, method: survey}\n",
        encoding="utf-8",
    )
    units = tmp_path / "units.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Loại đơn vị\nC1,Xã Một,xã\nC2,Xã Hai,xã\n", encoding="utf-8")
    scores = tmp_path / "scores.csv"
    scores.write_text(
        "Tên đơn vị,Năm,Lĩnh vực,Điểm thẩm định,Điểm điều tra xã hội học\n"
        "Xã Một,2022,A,54,\nXã Một,2022,B,,30\nXã Hai,2022,A,45,\n",
        encoding="utf-8",
    )
    assert _load(db, units, framework, scores) == 0
    results = {u: (t, b) for u, t, b in query(db, "SELECT unit_code, total, basis FROM unit_result")}
    # Xã Hai had no survey: rescaled as the framework says, 45 of 60 appraisal points -> 75 of 100.
    assert results == {"C1": (84.0, "reported_component"), "C2": (75.0, "reported_component")}


def test_a_reader_keeps_its_version_while_a_load_publishes(db: Path) -> None:
    old_file = current_file(db)
    reader = duckdb.connect(str(old_file), read_only=True)
    try:
        assert _load(db, SCORES / "long_utf8.csv") == 0
        assert current_file(db) != old_file
        assert reader.sql("SELECT count(*) FROM unit_score").fetchall() == [(0,)]
        assert query(db, "SELECT count(*) FROM unit_score") == [(15,)]
    finally:
        reader.close()
