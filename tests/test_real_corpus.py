"""Published-style result tables load as they are, with no mapping file, and give the figures worked out by hand.

The files (tests/fixtures/real/files, written cell by cell by make_real.py) copy what provinces publish; each
has expected/<name>.yaml with the totals, tiers and competition ranks computed on paper from its cells. Every
file is loaded into a fresh `parboard init` database of its province (plus the province's departments and
hand-written frameworks from setup/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from published import query

from cli.main import main

REAL = Path(__file__).parent / "fixtures" / "real"
CASES = sorted((REAL / "expected").glob("*.yaml"))
SETUP = yaml.safe_load((REAL / "corpus.yaml").read_text(encoding="utf-8"))["provinces"]


@pytest.fixture(scope="module")
def province_db(tmp_path_factory: pytest.TempPathFactory):
    """A database per province, built once: init, then its setup files; each test loads into a copy."""
    built: dict[str, Path] = {}

    def get(code: str, into: Path) -> Path:
        if code not in built:
            base = tmp_path_factory.mktemp(f"province_{code}")
            db = base / "p.duckdb"
            assert main(["init", "--province", code, "--db", str(db)]) == 0
            setup = [str(REAL / "setup" / name) for name in SETUP[code]]
            assert main(["load", *setup, "--db", str(db)]) == 0
            built[code] = base
        target = into / f"db_{code}"
        shutil.copytree(built[code], target, symlinks=True)
        return target / "p.duckdb"

    return get


def test_the_corpus_is_broad_enough() -> None:
    cases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in CASES]
    assert len(cases) >= 25
    assert len({c["province"] for c in cases}) >= 6
    kinds = {c.get("kind") for c in cases if c["table"] == "scores"}
    assert {"department", "district", "commune"} <= kinds
    assert {c["year"] for c in cases} == {2021, 2022, 2023, 2024, 2025}
    assert sum(c["table"] == "official_results" for c in cases) >= 4
    for c in cases:
        assert (REAL / "files" / c["file"]).exists()


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_published_table_loads_without_mapping_and_gives_the_hand_figures(
    case: Path, province_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = yaml.safe_load(case.read_text(encoding="utf-8"))
    db = province_db(expected["province"], tmp_path)
    capsys.readouterr()
    code = main(["load", str(REAL / "files" / expected["file"]), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Traceback" not in out
    if expected["table"] == "scores":
        rows = query(
            db,
            f"""SELECT unit_code, total, tier,
                       rank() OVER (PARTITION BY framework_id, year ORDER BY total DESC) AS rank
                FROM unit_result WHERE year = {expected["year"]} AND unit_kind = '{expected["kind"]}'""",
        )
        got = {u: {"total": round(t, 2), "tier": tier, "rank": r} for u, t, tier, r in rows}
    else:
        rows = query(
            db,
            f"""SELECT unit_code, score, rank FROM official_result
                WHERE year = {expected["year"]} AND sources = '{expected["file"]}'""",
        )
        got = {u: {"score": s, "rank": r} for u, s, r in rows}
    assert got == {str(k): v for k, v in expected["units"].items()}


def test_a_maximum_in_a_header_that_is_not_the_frameworks_is_refused_naming_the_column(
    province_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    path = tmp_path / "ket_qua_xa_2023.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("2023")
    # Hà Tĩnh's commune framework gives LV3 14,5 points; this header says 15.
    for r, row in enumerate([["STT", "Tên đơn vị", "LV1 (10)", "LV3 (15,00)"], [1, "Phường Nam Hà", 9, 13]]):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    db = province_db("42", tmp_path)
    capsys.readouterr()
    assert main(["load", str(path), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "«LV3 (15,00)»" in out and "14,5" in out and "«LV1 (10)»" not in out


def test_names_of_their_year() -> None:
    import datetime as dt

    import polars as pl

    from etl.units import UnitRegister

    units = pl.DataFrame(
        {
            "unit_code": ["46", "OLD-77", "79", "OLD-79"],
            "name": ["Thành phố Huế", "Tỉnh Bà Rịa - Vũng Tàu", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh"],
            "kind": ["province"] * 4,
            "valid_from": [None, None, dt.date(2025, 7, 1), None],
            "valid_to": [None, dt.date(2025, 6, 30), None, dt.date(2025, 6, 30)],
            "aliases": [None] * 4,
        }
    )
    register = UnitRegister(units)
    assert register.match("Thừa Thiên Huế", year=2024).code == "46"
    assert register.match("Thua Thien Hue", year=2023).code == "46"
    assert register.match("Thừa Thiên Huế", year=2025).code is None  # renamed Huế from 01/01/2025
    assert register.match("Bà Rịa – Vũng Tàu", year=2023).code == "OLD-77"
    assert register.match("BR-VT", year=2021).code == "OLD-77"
    assert register.match("TP.HCM", year=2023).code == "OLD-79"
    assert register.match("TP. Hồ Chí Minh", year=2024).code == "OLD-79"
    assert register.match("Ho Chi Minh City", year=2026).code == "79"


def _sheet(path: Path, rows: list[list[object]]) -> Path:
    import xlsxwriter

    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("2023")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.close()
    return path


def test_a_criterion_column_matching_no_loaded_item_names_the_years_searched(
    province_db, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = province_db("42", tmp_path)
    path = _sheet(
        tmp_path / "ket_qua_xa_2023.xlsx",
        [
            ["STT", "Tên đơn vị", "LV1 (10)", "LV9. Chỉ tiêu riêng của huyện (5,00)"],
            [1, "Phường Nam Hà", 9, 4],
        ],
    )
    capsys.readouterr()
    main(["load", str(path), "--db", str(db)])
    out = capsys.readouterr().out
    assert "«LV9. Chỉ tiêu riêng của huyện (5,00)»" in out
    assert "không khớp tiêu chí nào của các bộ tiêu chí đã nạp (năm " in out
    assert "đã nạp (năm 2021–2030)" in out
