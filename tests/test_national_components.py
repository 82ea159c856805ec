"""National index tables by component load as published, with no mapping file, into a `parboard init` database.

The workbooks (tests/fixtures/national/files) are written cell by cell by make_national.py in the layouts the
publishers print; the figures below are worked out by hand from those cells.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from published import query

from cli.main import main

FILES = Path(__file__).parent / "fixtures" / "national" / "files"


@pytest.fixture(scope="module")
def init_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`parboard init` for Quảng Ninh, built once; each test loads into a copy."""
    base = tmp_path_factory.mktemp("init_qn")
    assert main(["init", "--province", "22", "--db", str(base / "p.duckdb")]) == 0
    return base


@pytest.fixture
def db(init_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "db"
    shutil.copytree(init_db, target, symlinks=True)
    return target / "p.duckdb"


def load(db: Path, *files: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["load", *map(str, files), "--db", str(db)])
    out = capsys.readouterr().out
    assert "Traceback" not in out
    return code, out


def component(db: Path, index: str, name: str, code: str, source: str) -> list[tuple]:
    return query(
        db,
        f"""SELECT unit_code, score, rank FROM official_component_result
            WHERE index_code = '{index}' AND published_name = '{name}' AND component_code = '{code}'
              AND sources = '{source}'""",
    )


def test_par_index_annex_by_area_loads_with_no_mapping(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "par_index_2023_linh_vuc.xlsx"
    code, out = load(db, FILES / name, capsys=capsys)
    assert code == 0, out
    rows = query(
        db,
        f"""SELECT count(*), count(DISTINCT unit_code), count(DISTINCT component_code), min(year), max(year)
            FROM official_component_result WHERE sources = '{name}'""",
    )
    assert rows == [(63 * 8, 63, 8, 2023, 2023)]  # the "Bình quân chung" row is not a province
    # Quảng Ninh's row is written literally: LV3 13,60 of the header's (14,50).
    assert component(db, "par_index", "Quảng Ninh", "lv3_procedures", name) == [("22", 13.6, None)]
    # Names of the year: Hải Phòng and Thừa Thiên Huế in 2023 are the former city (OLD-31) and province 46.
    assert component(db, "par_index", "Hải Phòng", "lv3_procedures", name) == [("OLD-31", 13.2, None)]
    assert component(db, "par_index", "Thừa Thiên Huế", "lv1_direction", name)[0][0] == "46"
    # National average of LV3, by hand: rows 6–63 follow 13,30 - 0,02 × (k - 6), summing
    # 58 × 13,30 - 0,02 × (0 + … + 57) = 771,40 - 33,06 = 738,34; the five literal rows add
    # 13,60 + 13,20 + 13,40 + 13,10 + 13,50 = 66,80; (738,34 + 66,80) / 63 = 805,14 / 63 = 12,78.
    avg = query(
        db,
        f"""SELECT round(avg(score), 4) FROM official_component_result
            WHERE sources = '{name}' AND component_code = 'lv3_procedures'""",
    )
    assert avg == [(12.78,)]
    # The headline column is the index itself: official_result, 63 provinces with their published rank.
    headline = query(
        db,
        f"SELECT count(*), min(rank), max(rank) FROM official_result WHERE sources = '{name}' AND year = 2023",
    )
    assert headline == [(63, 1, 63)]
    assert query(db, f"SELECT score, rank FROM official_result WHERE sources = '{name}' AND unit_code = '22'") == [
        (92.18, 1)
    ]


def test_papi_dimensions_load_and_a_partial_year_is_normal(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "papi_2023.xlsx"
    code, out = load(db, FILES / name, capsys=capsys)
    assert code == 0, out
    # 12 of 63 provinces (with the shipped reference figures, still short of 63): said, not refused.
    assert query(
        db,
        "SELECT count(*) > 0 FROM check_finding"
        " WHERE rule = 'dq_official_partial' AND item_code = 'papi' AND year = 2023",
    ) == [(True,)]
    rows = query(
        db, f"SELECT count(*), count(DISTINCT unit_code) FROM official_component_result WHERE sources = '{name}'"
    )
    assert rows == [(12 * 8, 12)]
    assert component(db, "papi", "Quảng Trị", "accountability", name) == [("OLD-45", 4.98, None)]
    # The total is PAPI's own headline: 5,21 + 5,43 + 4,98 + 7,05 + 7,31 + 7,20 + 3,62 + 3,88 = 44,68.
    assert query(
        db,
        f"SELECT score FROM official_result WHERE index_code = 'papi' AND sources = '{name}' AND unit_code = 'OLD-45'",
    ) == [(44.68,)]


def test_pci_sub_indices_load_beside_the_reference_figures(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = "pci_2023.xlsx"
    code, out = load(db, FILES / name, capsys=capsys)
    assert code == 0, out
    rows = query(
        db, f"SELECT count(*), count(DISTINCT component_code) FROM official_component_result WHERE sources = '{name}'"
    )
    assert rows == [(5 * 10, 10)]
    # "Chính sách hỗ trợ doanh nghiệp" is the table's name for the registry's business support services.
    assert component(db, "pci", "Long An", "business_support", name) == [("OLD-80", 7.4, None)]
    # Quảng Ninh's time costs: the file and the shipped reference give 8,54 both; two claims, no conflict.
    claims = query(
        db,
        """SELECT score, rank, sources FROM official_component_result
           WHERE index_code = 'pci' AND year = 2023 AND unit_code = '22' AND component_code = 'time_costs'
           ORDER BY sources""",
    )
    assert [c[0] for c in claims] == [8.54, 8.54]
    # (the fixture's informal charges are its own figures, and differ from the shipped 7,72: flagged for that one)
    assert "pci:time_costs" not in out


def test_reference_files_load_at_init(init_db: Path) -> None:
    db = init_db / "p.duckdb"
    assert query(
        db, "SELECT score, rank FROM official_result WHERE index_code = 'pci' AND year = 2023 AND unit_code = '22'"
    ) == [(71.25, 1)]
    assert query(
        db,
        """SELECT component_name, score, rank FROM official_component_result
           WHERE index_code = 'pci' AND year = 2023 AND unit_code = '22' ORDER BY component_code""",
    ) == sorted(
        [("Hỗ trợ doanh nghiệp", 7.72, 2), ("Chi phí thời gian", 8.54, 1), ("Chi phí không chính thức", 7.72, 3)],
        key=lambda r: {"Hỗ trợ doanh nghiệp": "business_support", "Chi phí thời gian": "time_costs"}.get(
            r[0], "informal_charges"
        ),
    )


def test_a_conflicting_component_claim_is_kept_and_flagged(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "pci_bao_khac.csv"
    other.write_text(
        "index,year,level,unit,component,score,rank,note,sources\n"
        "PCI,2023,province,Quảng Ninh,Chi phí thời gian,8.45,1,,https://example.org/bai-khac\n",
        encoding="utf-8",
    )
    code, out = load(db, other, capsys=capsys)
    assert code == 0, out
    assert "dq_official_component_sources_disagree" in out
    scores = query(
        db,
        """SELECT score FROM official_component_result
           WHERE index_code = 'pci' AND year = 2023 AND unit_code = '22' AND component_code = 'time_costs'
           ORDER BY score""",
    )
    assert scores == [(8.45,), (8.54,)]


def test_an_unknown_component_is_refused_naming_the_row_and_nothing_changes(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = query(db, "SELECT count(*) FROM official_component_result")
    bad = tmp_path / "papi_sai.csv"
    bad.write_text(
        "Chỉ số,Năm,Tỉnh,Thành phần,Điểm\n"
        "PAPI,2023,Hà Tĩnh,Quản trị điện tử,4.1\n"
        "PAPI,2023,Hà Tĩnh,Tham gia xây dựng nông thôn mới,5.0\n",
        encoding="utf-8",
    )
    code, out = load(db, bad, capsys=capsys)
    assert code != 0
    assert "dòng 3" in out and "Tham gia xây dựng nông thôn mới" in out
    assert "Các thành phần: Tham gia của người dân ở cấp cơ sở" in out  # what to write instead
    assert query(db, "SELECT count(*) FROM official_component_result") == before


def test_a_score_above_the_component_maximum_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "papi_qua_diem.csv"
    bad.write_text(
        "index,year,level,unit,component,score,rank,note,sources\n"
        "papi,2023,province,Hà Tĩnh,Quản trị môi trường,11.2,,,x\n",
        encoding="utf-8",
    )
    code, out = load(db, bad, capsys=capsys)
    assert code != 0
    assert "dq_official_component_over_max" in out


def test_services_place_the_home_province_on_each_component(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from services import national
    from services.published import read
    from store.queries import Published

    code, out = load(db, FILES / "par_index_2023_linh_vuc.xlsx", capsys=capsys)
    assert code == 0, out
    b = read(Published(db))
    # A complete year (63 of 63): ranks are computed from the scores, ties sharing the best rank.
    ranks = national.component_ranks(b, "par_index", 2023, "OLD-31")
    lv3 = ranks.filter(ranks["component_code"] == "lv3_procedures").row(0, named=True)
    # Hải Phòng's LV3 13,20: above it Quảng Ninh 13,60, Bà Rịa - Vũng Tàu 13,50, Hà Nội 13,40 and the pattern
    # rows k = 6…10 (13,30 … 13,22): 8 units, so rank 9 (shared with k = 11, 13,20 too).
    assert (lv3["score"], lv3["rank"], lv3["rank_basis"], lv3["units"]) == (13.2, 9, "computed", 63)
    assert lv3["component_name"] == "Cải cách thủ tục hành chính"
    cmp = national.comparison(b, "par_index", 2023, "22", peers=["OLD-31", "01"])
    row = cmp.filter(cmp["component_code"] == "lv3_procedures").row(0, named=True)
    assert row["national_avg"] == pytest.approx(12.78)  # worked out in test_par_index_annex_by_area…
    # Peers Hải Phòng 13,20 and Hà Nội 13,40: 13,30.
    assert row["peers_avg"] == pytest.approx(13.30) and row["peer_units"] == 2
    # Đồng bằng sông Hồng in the file: Quảng Ninh 13,60, Hải Phòng 13,20, Hà Nội 13,40, and pattern rows
    # Bắc Ninh k=6 13,30, Vĩnh Phúc k=12 13,18, Hải Dương k=57 12,28, Hưng Yên k=58 12,26, Thái Bình k=59
    # 12,24, Hà Nam k=60 12,22, Nam Định k=61 12,20, Ninh Bình k=62 12,18: 11 provinces, sum 140,06 → 12,7327.
    assert row["region"] == "dong_bang_song_hong" and row["region_units"] == 11
    assert row["region_avg"] == pytest.approx(140.06 / 11)
    table = national.all_provinces(b, "par_index", 2023)
    assert table.height == 63 and table.columns[:4] == ["unit_code", "unit_name", "score", "rank"]
    assert table.row(0, named=True)["unit_code"] == "22" and table.row(0, named=True)["lv3_procedures"] == 13.6
    series = national.standing(b, "par_index", "22")
    assert series.filter(series["year"] == 2023).select("score", "rank", "after_break").row(0) == (92.18, 1, False)
