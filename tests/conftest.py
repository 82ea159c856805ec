"""Shared fixtures: small published databases built straight into the schema through store.db.draft."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from store.db import CONNECT_CONFIG, current_file, draft

# A made-up province with departments, districts (ended with the 2025 reorganisation), communes
# before and after it, and one commune that only starts in 2030.
_UNITS = [
    # code, name, kind, subkind, parent, valid_from, valid_to
    ("TST", "Tỉnh Thử Nghiệm", "province", "tỉnh", None, None, None),
    ("TST-S01", "Sở Nội vụ", "department", "sở", "TST", None, None),
    ("TST-S02", "Sở Tài chính", "department", "sở", "TST", None, None),
    ("TST-S03", "Sở Tư pháp", "department", "sở", "TST", None, None),
    ("TST-S04", "Sở Lao động - Thương binh và Xã hội", "department", "sở", "TST", None, "2024-12-31"),
    ("TST-H01", "Huyện Đông", "district", "huyện", "TST", None, "2025-06-30"),
    ("TST-H02", "Thị xã Tây", "district", "thị xã", "TST", None, "2025-06-30"),
    ("TST-X01", "Xã An Bình", "commune", "xã", "TST-H01", None, "2025-06-30"),
    ("TST-X02", "Xã An Phú", "commune", "xã", "TST-H01", None, "2025-06-30"),
    ("TST-X03", "Phường Một", "commune", "phường", "TST-H02", None, "2025-06-30"),
    ("TST-N01", "Xã An Bình Phú", "commune", "xã", "TST", "2025-07-01", None),
    ("TST-N02", "Phường Tây", "commune", "phường", "TST", "2025-07-01", None),
    ("TST-N03", "Đặc khu Hòn Nhỏ", "commune", "đặc khu", "TST", "2030-01-01", None),
]

# framework_id -> (unit_kind, year, name, total_scale, rescale, items)
# items: (item_code, level, component_code, name, max_points, method)
_DEPT_ITEMS = [
    ("LV1", "component", "LV1", "Công tác chỉ đạo, điều hành", 40, "appraisal"),
    ("1.1", "criterion", "LV1", "Kế hoạch CCHC năm", 20, "appraisal"),
    ("1.2", "criterion", "LV1", "Báo cáo CCHC", 20, "appraisal"),
    ("LV2", "component", "LV2", "Cải cách thủ tục hành chính", 40, "appraisal"),
    ("2.1", "criterion", "LV2", "Công bố, công khai TTHC", 25, "appraisal"),
    ("2.2", "criterion", "LV2", "Giải quyết hồ sơ đúng hạn", 15, "appraisal"),
    ("LV3", "component", "LV3", "Tác động của CCHC đến người dân", 20, "survey"),
    ("3.1", "criterion", "LV3", "Mức độ hài lòng", 20, "survey"),
]
_COMMUNE_ITEMS = [
    ("C1", "component", "C1", "Chỉ đạo, điều hành", 60, "appraisal"),
    ("c1.1", "criterion", "C1", "Kế hoạch", 30, "appraisal"),
    ("c1.2", "criterion", "C1", "Kiểm tra", 30, "appraisal"),
    ("C2", "component", "C2", "Sự hài lòng của người dân", 40, "survey"),  # scored without criteria
]
_FRAMEWORKS = {
    "TST/department/2023": ("department", 2023, "Bộ tiêu chí CCHC các sở", 100, "none", _DEPT_ITEMS),
    "TST/department/2024": ("department", 2024, "Bộ tiêu chí CCHC các sở", 100, "none", _DEPT_ITEMS),
    "TST/commune/2024": ("commune", 2024, "Bộ tiêu chí CCHC cấp xã", 100, "when_no_survey", _COMMUNE_ITEMS),
}

# tier, rank, lower, lower_incl, upper, upper_incl
_DEPT_BANDS = [
    ("xuat_sac", 1, 90, True, None, False),
    ("tot", 2, 80, True, 90, False),
    ("kha", 3, 70, True, 80, False),
    ("trung_binh", 4, 50, True, 70, False),
    ("yeu", 5, None, False, 50, False),
]
_COMMUNE_BANDS = [
    ("xuat_sac", 1, 85, True, None, False),
    ("tot", 2, 75, True, 85, False),
    ("kha", 3, None, False, 75, False),
]
_TIER_SETS = {
    "TST/department/2023": ("department", 2023, "Xếp loại CCHC các sở", _DEPT_BANDS),
    "TST/department/2024": ("department", 2024, "Xếp loại CCHC các sở", _DEPT_BANDS),
    "TST/commune/2024": ("commune", 2024, "Xếp loại CCHC cấp xã", _COMMUNE_BANDS),
}

# framework_id, unit_code, kind, year, total, tier, score_stage
_RESULTS = [
    ("TST/department/2023", "TST-S01", "department", 2023, 91.65, "xuat_sac", "appraised"),
    ("TST/department/2023", "TST-S02", "department", 2023, 84.5, "tot", "appraised"),
    ("TST/department/2023", "TST-S03", "department", 2023, 77.25, "kha", "appraised"),
    ("TST/department/2023", "TST-S04", "department", 2023, 69.0, "trung_binh", "appraised"),
    ("TST/department/2024", "TST-S01", "department", 2024, 93.1, "xuat_sac", "appraised"),
    ("TST/department/2024", "TST-S02", "department", 2024, 88.0, "tot", "appraised"),
    ("TST/department/2024", "TST-S03", "department", 2024, 81.75, "tot", "appraised"),
    ("TST/department/2024", "TST-S04", "department", 2024, 72.0, "kha", "self_assessed"),
    ("TST/commune/2024", "TST-X01", "commune", 2024, 86.0, "xuat_sac", "appraised"),
    ("TST/commune/2024", "TST-X02", "commune", 2024, 79.5, "tot", "appraised"),
    ("TST/commune/2024", "TST-X03", "commune", 2024, 70.0, "kha", "self_assessed"),
]

# index, year, level, unit, name, score, rank, group, sources
_OFFICIAL = [
    ("par_index", 2023, "province", "P-HP", "Hải Phòng", 91.87, 2, "A", "https://a.example/1"),
    ("par_index", 2023, "province", "P-HP", "Hải Phòng", 91.81, None, "A", "https://b.example/2"),
    ("par_index", 2023, "province", "P-AG", "An Giang", None, 63, None, "https://a.example/1"),
    ("par_index", 2024, "province", "P-HP", "Hải Phòng", 96.17, 1, "A", "https://c.example/3"),
]

DATASET_NAME = "Tỉnh Thử Nghiệm (dữ liệu kiểm thử)"


@pytest.fixture(scope="session", autouse=True)
def _auth_off() -> Iterator[None]:
    """Pages under test run with sign-in switched off (the dashboard defaults to password sign-in); the
    sign-in tests choose their mode with monkeypatch.setenv("PARBOARD_AUTH", ...)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARBOARD_AUTH", "off")
        mp.delenv("PARBOARD_AUTH_HEADER", raising=False)
        mp.delenv("PARBOARD_USERS", raising=False)
        yield


def fill_sample(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the sample rows into an empty schema."""
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("dataset_name", DATASET_NAME), ("synthetic", "true")])
    con.executemany(
        "INSERT INTO load_run VALUES (?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, ?, ?, ?, ?, ?)",
        [
            (1, "init", "admin", "2025-01-10 07:59:00", "2025-01-10 08:00:00", 0, 0, 0, 0, None),
            (
                2,
                "load",
                "nguyen.van.a",
                "2025-03-14 09:29:00",
                "2025-03-14 09:30:00",
                1234,
                5,
                0,
                1,
                "Điểm các sở năm 2023",
            ),
        ],
    )
    con.executemany(
        "INSERT INTO source VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (1, 2, "don_vi.xlsx", "a1b2c3d4e5f6" + "0" * 52, "Đơn vị", "units", "long", 13),
            (2, 2, "diem_2023.xlsx", "ffeeddccbbaa" + "1" * 52, "Sở", "scores", "wide", 1234),
            (3, 2, "tieu_chi_so.yaml", "0123456789ab" + "2" * 52, None, "framework", "rules", 8),
        ],
    )
    con.execute("INSERT INTO issuer VALUES ('TST', 'UBND Tỉnh Thử Nghiệm', 3, NULL)").fetchall()
    con.executemany(
        "INSERT INTO unit (unit_code, name, name_key, kind, subkind, parent_code, valid_from, valid_to, "
        "synthetic, source_id, source_row) VALUES (?, ?, lower(?), ?, ?, ?, ?::DATE, ?::DATE, true, 1, ?)",
        [(c, n, n, k, sk, p, vf, vt, i + 2) for i, (c, n, k, sk, p, vf, vt) in enumerate(_UNITS)],
    )
    for fid, (kind, year, name, scale, rescale, items) in _FRAMEWORKS.items():
        con.execute(
            "INSERT INTO framework VALUES (?, 'TST', ?, ?, ?, ?, ?, 'Quyết định 12/QĐ-UBND', 3)",
            [fid, kind, year, name, scale, rescale],
        ).fetchall()
        con.executemany(
            "INSERT INTO framework_item VALUES (?, ?, ?, ?, ?, lower(?), ?, ?, ?)",
            [(fid, code, lvl, comp, nm, nm, mx, meth, i) for i, (code, lvl, comp, nm, mx, meth) in enumerate(items)],
        )
    for tid, (kind, year, name, bands) in _TIER_SETS.items():
        con.execute("INSERT INTO tier_set VALUES (?, 'TST', ?, ?, ?, NULL, 3)", [tid, kind, year, name]).fetchall()
        con.executemany("INSERT INTO tier_band VALUES (?, ?, ?, ?, ?, ?, ?)", [(tid, *b) for b in bands])
    con.executemany(
        "INSERT INTO unit_result (framework_id, unit_code, unit_kind, year, total, tier, basis, score_stage) "
        "VALUES (?, ?, ?, ?, ?, ?, 'criteria', ?)",
        _RESULTS,
    )
    con.executemany(
        "INSERT INTO official_result (index_code, year, level, unit_code, published_name, score, rank, grp, "
        "sources, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 2)",
        _OFFICIAL,
    )


def publish_sample(db: Path) -> Path:
    with draft(db) as d:
        fill_sample(d.con)
    return db


@pytest.fixture(scope="session")
def sample_publisher() -> Callable[[Path], Path]:
    """publish_sample(db): publish the sample rows at db (for tests that go on to publish more)."""
    return publish_sample


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published database with a few units of each kind, frameworks, tier sets, results and loads."""
    return publish_sample(tmp_path_factory.mktemp("sample") / "parboard.duckdb")


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Published, schema only: what `parboard init` leaves."""
    db = tmp_path_factory.mktemp("empty") / "parboard.duckdb"
    with draft(db):
        pass
    return db


@pytest.fixture
def missing_db(tmp_path: Path) -> Path:
    """A path where nothing was ever published."""
    return tmp_path / "nothing" / "parboard.duckdb"


@pytest.fixture
def sample_con(sample_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the sample database, for tests that compute figures themselves."""
    file = current_file(sample_db)
    assert file is not None
    con = duckdb.connect(str(file), read_only=True, config=CONNECT_CONFIG)
    try:
        yield con
    finally:
        con.close()


def publish_demo(db: Path) -> Path:
    """What `parboard demo` publishes: the fictional locality and the real, partial PAR INDEX figures."""
    from cli.main import main

    assert main(["demo", "--db", str(db)]) == 0
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The locality demo database, built once per test session; tests must not publish into it."""
    return publish_demo(tmp_path_factory.mktemp("demo") / "parboard.duckdb")
