"""The `parboard` command as a user runs it: demo, init, status, exit codes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from published import query

from cli.main import main
from demo import generate


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "parboard.duckdb"
    assert main(["demo", "--db", str(db)]) == 0
    return db


def test_demo_builds_a_synthetic_province_labelled_as_such(demo_db: Path) -> None:
    meta = dict(query(demo_db, "SELECT key, value FROM meta"))
    assert meta["synthetic"] == "true" and "mô phỏng" in meta["dataset_name"]
    kinds = dict(query(demo_db, "SELECT kind, count(*) FROM unit WHERE synthetic GROUP BY kind"))
    assert 18 <= kinds["department"] <= 25 and kinds["district"] == 8
    # about 90 communes until 30/06/2025, about 60 after
    old = query(demo_db, "SELECT count(*) FROM unit WHERE synthetic AND kind='commune' AND valid_to='2025-06-30'")
    new = query(demo_db, "SELECT count(*) FROM unit WHERE synthetic AND kind='commune' AND valid_from='2025-07-01'")
    assert 80 <= old[0][0] <= 100 and 50 <= new[0][0] <= 70
    lineage = query(demo_db, "SELECT count(*) FROM unit_lineage l JOIN unit u USING (unit_code) WHERE u.synthetic")
    assert lineage[0][0] >= 50
    assert query(demo_db, "SELECT min(year), max(year) FROM unit_result") == [(2021, 2025)]


def test_demo_results_are_computed_from_its_criteria(demo_db: Path) -> None:
    # Recompute one unit-year independently: appraisal points + survey points, rescaled when no survey.
    rows = query(
        demo_db,
        """
        SELECT s.unit_code, s.year, fi.method, s.appraised_score, s.survey_score, f.rescale
        FROM unit_score s JOIN framework_item fi USING (framework_id, item_code) JOIN framework f USING (framework_id)
        WHERE fi.item_level = 'criterion' AND s.year = 2023 AND s.unit_code = (
            SELECT min(unit_code) FROM unit_result WHERE unit_kind = 'commune' AND year = 2023)""",
    )
    points = sum((a or 0) + (v or 0) for _, _, _, a, v, _ in rows)
    unit, year = rows[0][0], rows[0][1]
    assert query(demo_db, f"SELECT total FROM unit_result WHERE unit_code = '{unit}' AND year = {year}") == [
        (round(points, 2),)
    ]


def test_demo_is_deterministic(tmp_path: Path) -> None:
    first = [hashlib.sha256(p.read_bytes()).hexdigest() for p in generate(tmp_path / "a", "locality", 7)]
    second = [hashlib.sha256(p.read_bytes()).hexdigest() for p in generate(tmp_path / "b", "locality", 7)]
    assert first == second


def test_demo_carries_the_real_published_figures_with_their_conflicts(demo_db: Path) -> None:
    top_2023 = query(
        demo_db,
        """
        SELECT published_name, score FROM official_result JOIN source USING (source_id)
        WHERE year = 2023 AND level = 'province' AND rank <= 5 AND file_name = 'par_index_published_facts.csv'
        ORDER BY rank""",
    )
    assert top_2023 == [
        ("Quảng Ninh", 92.18),
        ("Hải Phòng", 91.87),
        ("Hà Nội", 91.43),
        ("Bắc Giang", 91.16),
        ("Bà Rịa - Vũng Tàu", 91.03),
    ]
    hai_phong = query(
        demo_db,
        """
        SELECT score FROM official_result r JOIN unit u USING (unit_code)
        WHERE r.year = 2023 AND r.index_code = 'par_index' AND r.published_name = 'Hải Phòng' ORDER BY score""",
    )
    assert hai_phong == [(91.81,), (91.87,)]


def test_status_prints_what_is_loaded(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    assert "Tỉnh Lạc Hồng" in out and "dữ liệu mô phỏng" in out
    assert "sở, ban, ngành" in out and "Lần nạp #1 (demo)" in out
    # Official results by the index's name and the level in words; the demo's DTI 2022 names all 63
    # provinces (the full ranking) but has a score for 6 of them, so the line says its figures are partial.
    assert "Kết quả chính thức DTI 2022 (tỉnh, thành phố): 63 đơn vị, 6 có điểm công bố (số liệu chưa đầy đủ)" in out
    assert "Kết quả chính thức Chỉ số CCHC 2023 (tỉnh, thành phố)" in out
    for code in ("dti", "par_index", "(province)", "(ministry)"):
        assert code not in out


def test_demo_refuses_to_replace_real_data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "p.duckdb"
    assert main(["init", "--province", "Hà Tĩnh", "--db", str(db)]) == 0
    before = db.readlink()
    assert main(["demo", "--db", str(db)]) == 1
    assert db.readlink() == before
    assert "--force" in capsys.readouterr().out


def test_init_builds_a_real_province_with_its_former_units(tmp_path: Path) -> None:
    db = tmp_path / "p.duckdb"
    assert main(["init", "--province", "Ha Tinh", "--db", str(db)]) == 0
    meta = dict(query(db, "SELECT key, value FROM meta"))
    assert meta["synthetic"] == "false" and "Hà Tĩnh" in meta["dataset_name"]
    code = meta["province_code"]
    communes_now = query(
        db, f"SELECT count(*) FROM unit WHERE kind='commune' AND parent_code='{code}' AND valid_from='2025-07-01'"
    )[0][0]
    districts = query(db, "SELECT count(*) FROM unit WHERE kind='district' AND valid_to='2025-06-30'")[0][0]
    lineage = query(db, "SELECT count(*) FROM unit_lineage WHERE effective_date='2025-07-01'")[0][0]
    assert communes_now > 50 and districts > 5 and lineage > communes_now
    assert query(db, f"SELECT count(*) FROM framework WHERE issuer_code='{code}'")[0][0] > 0


def test_init_with_a_former_province_says_which_province_it_became(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.duckdb"
    assert main(["init", "--province", "Sóc Trăng", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Sóc Trăng" in out and "Cần Thơ" in out
    assert dict(query(db, "SELECT key, value FROM meta"))["dataset_name"] == "Thành phố Cần Thơ"


def test_init_with_an_unknown_province_lists_candidates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--province", "Hà Tinhh", "--db", str(tmp_path / "p.duckdb")]) == 1
    assert "Hà Tĩnh" in capsys.readouterr().out
    assert not (tmp_path / "p.duckdb").exists()


def test_status_without_a_database_says_how_to_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--db", str(tmp_path / "none.duckdb")]) == 0
    assert "parboard demo" in capsys.readouterr().out
