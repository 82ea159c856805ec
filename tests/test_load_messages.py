"""Messages a person can act on: many cells failing for one reason make one message with the count and the
first rows; the reference data's standing warnings are summarised when nothing about them changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from cli.main import main
from services.load import load_files
from store.db import versions_dir
from store.queries import Published

LOCALITY = Path(__file__).parent / "fixtures" / "locality"
SETUP = ["units.csv", "lineage.csv", "framework_department.yaml", "tiers_department.yaml"]
UNITS = ["Sở Nội vụ", "Sở Tài chính", "Sở Tài nguyên và Môi trường"]
ITEMS = ["1.1", "1.2", "2.1", "2.2", "3.1"]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("base") / "parboard.duckdb"
    assert main(["load", "--db", str(db), *(str(LOCALITY / f) for f in SETUP)]) == 0
    return db


def _copy(db: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "parboard.duckdb"
    shutil.copytree(versions_dir(db), versions_dir(copy))
    copy.symlink_to(db.readlink())
    return copy


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_thirty_bad_cells_in_one_column_make_one_message(base_db: Path, tmp_path: Path) -> None:
    # Three departments × five criteria × two years = 30 rows, every self score written as words (lines 2–31).
    lines = ["Tên đơn vị,Năm,Mã tiêu chí,Điểm tự đánh giá,Điểm thẩm định"]
    lines += [f"{u},{y},{i},chưa chấm,14" for y in (2023, 2024) for u in UNITS for i in ITEMS]
    assert len(lines) == 31
    csv_file = _write(tmp_path / "diem_2024.csv", lines)
    db = _copy(base_db, tmp_path)

    report = load_files(db, [csv_file])

    assert report.status == "refused"
    bad = [p for p in report.errors if p.code == "bad_score"]
    assert len(bad) == 1
    assert (bad[0].count, bad[0].rows, bad[0].column) == (30, (2, 3, 4, 5, 6), "Điểm tự đánh giá")
    assert not [p for p in report.errors if p.code == "more_like_this"]
    assert bad[0].message("vi") == (
        "diem_2024.csv › cột «Điểm tự đánh giá»: 30 ô không đọc được điểm số, ví dụ «chưa chấm» "
        "(dòng 2, 3, 4, 5, 6, …). Hãy ghi số, ví dụ 18,25 hoặc 18.25; để trống nếu chưa có điểm."
    )
    assert bad[0].message("en").startswith("diem_2024.csv › column “Điểm tự đánh giá”: 30 cells are not scores")


def test_a_cause_met_once_keeps_its_own_message(base_db: Path, tmp_path: Path) -> None:
    lines = ["Tên đơn vị,Năm,Mã tiêu chí,Điểm tự đánh giá,Điểm thẩm định"]
    lines += [f"{u},2023,{i},{'mười chín' if (u, i) == (UNITS[1], '1.2') else '15'},14" for u in UNITS for i in ITEMS]
    csv_file = _write(tmp_path / "diem_2023.csv", lines)

    report = load_files(_copy(base_db, tmp_path), [csv_file])

    bad = [p for p in report.errors if p.code == "bad_score"]
    assert [(p.count, p.row) for p in bad] == [(1, 8)]
    assert "dòng 8" in bad[0].message("vi") and "«mười chín»" in bad[0].message("vi")


def test_standing_warnings_are_summarised_and_new_ones_listed(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stored = Published(demo_db).query("open_findings").filter(pl.col("severity") == "warning")
    standing_rules = set(stored["rule"])
    assert stored.height > 20 and "dq_summary_sources_disagree" in standing_rules  # the PAR INDEX figures' warnings
    db = _copy(demo_db, tmp_path)
    capsys.readouterr()

    # Another province's units: unrelated to the PAR INDEX figures; its units have no results yet, which is new.
    assert main(["load", "--db", str(db), str(LOCALITY / "units.csv")]) == 0
    out = capsys.readouterr().out

    assert f"{stored.height} cảnh báo đã biết không đổi; xem «parboard check»" in out
    assert f"{stored.height} known warnings unchanged; see “parboard check”" in out
    listed = set(re.findall(r"\[(dq_\w+)\]", out))
    assert listed == {"dq_result_missing"}
    assert "TST-S01" in out  # the new warning names the new unit
    # The new version's check log still holds every warning, the standing ones too.
    after = Published(db).query("open_findings")
    assert standing_rules <= set(after["rule"])
    assert after.height > stored.height


def test_each_unknown_unit_name_keeps_its_own_message(base_db: Path, tmp_path: Path) -> None:
    # Two names the register does not know, on several rows each: each needs its own answer (which unit).
    lines = ["Tên đơn vị,Năm,Mã tiêu chí,Điểm tự đánh giá,Điểm thẩm định"]
    lines += [f"{u},2023,{i},15,14" for u in ("Sở Du lịch", "Sở Ngoại vụ") for i in ITEMS]
    report = load_files(_copy(base_db, tmp_path), [_write(tmp_path / "diem_moi.csv", lines)])

    unknown = [p for p in report.errors if p.code == "unit_unknown"]
    assert sorted(p.params["value"] for p in unknown) == ["Sở Du lịch", "Sở Ngoại vụ"]
    assert sorted((p.count, p.row) for p in unknown) == [(1, 2), (1, 7)]
