"""The Data page (screens/data.py, /data, services/data_status.py): its figures and display tables without
Streamlit, and the page in AppTest, where the figures it shows equal figures computed here from the same
database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import fmt
from core.i18n import t
from core.text import markdown_literal
from services import data_status
from store.db import draft
from store.queries import Published

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT_S = 30


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    def run(db: Path, lang: str | None = None) -> AppTest:
        monkeypatch.setenv("PARBOARD_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
        if lang:
            at.query_params["lang"] = lang
        at.run()
        # The data page is no longer the default one: open it as a reader would, from the navigation.
        at.switch_page("screens/data.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _table(at: AppTest, first_column: str) -> pd.DataFrame:
    """The static table whose first column is named first_column."""
    for table in at.table:
        if table.value.columns[0] == first_column:
            return table.value
    raise AssertionError(f"no table starting with {first_column!r}: {[tb.value.columns[0] for tb in at.table]}")


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    (row,) = con.sql(sql).fetchall()
    return row


def _active(con: duckdb.DuckDBPyConnection, kind: str, today: date) -> int:
    rows = con.sql("SELECT valid_from, valid_to FROM unit WHERE kind = $k", params={"k": kind}).fetchall()
    return sum(1 for start, end in rows if (start is None or start <= today) and (end is None or end >= today))


def test_figures_match_the_database(
    app: Callable[..., AppTest], sample_db: Path, sample_con: duckdb.DuckDBPyConnection
) -> None:
    at = app(sample_db)
    today = date.today()
    metrics = _metrics(at)

    assert at.title[0].value == t("dashboard.home.title", "vi")
    for kind in ("department", "district", "commune", "province"):
        assert metrics[t(f"dashboard.kinds.{kind}", "vi")] == fmt.integer(_active(sample_con, kind, today), "vi")
    kinds = [k for (k,) in sample_con.sql("SELECT DISTINCT kind FROM unit").fetchall()]
    total_active = sum(_active(sample_con, k, today) for k in kinds)
    assert metrics[t("dashboard.home.metric_active_units", "vi")] == fmt.integer(total_active, "vi")

    (pairs,) = _one(sample_con, "SELECT count(*) FROM (SELECT DISTINCT unit_code, year FROM unit_result)")
    assert metrics[t("dashboard.home.metric_results", "vi")] == fmt.integer(pairs, "vi")
    years = [y for (y,) in sample_con.sql("SELECT DISTINCT year FROM unit_result").fetchall()]
    assert metrics[t("dashboard.home.metric_score_years", "vi")] == f"{min(years)}–{max(years)}"

    # Departments scored in 2024, of which only self-assessed
    scored = sample_con.sql(
        "SELECT unit_code, score_stage FROM unit_result WHERE unit_kind = 'department' AND year = 2024"
    ).fetchall()
    self_only = sum(1 for _, stage in scored if stage == "self_assessed")
    years_table = _table(at, t("dashboard.cols.unit_kind", "vi"))
    row = years_table[years_table.iloc[:, 0] == t("dashboard.kinds.department", "vi")].iloc[0]
    assert row["2024"] == f"{len(scored)} ({self_only} chưa thẩm định)"

    # The department framework's structure
    (components, criteria) = _one(
        sample_con,
        "SELECT count(*) FILTER (WHERE item_level = 'component'), count(*) FILTER (WHERE item_level = 'criterion') "
        "FROM framework_item WHERE framework_id = 'TST/department/2023'",
    )
    frameworks = next(tb.value for tb in at.table if t("dashboard.cols.structure", "vi") in tb.value.columns)
    assert f"{components} lĩnh vực, {criteria} tiêu chí" in frameworks[t("dashboard.cols.structure", "vi")].tolist()

    # Official results: rows held per year
    official = _table(at, t("dashboard.cols.index", "vi"))
    for year, rows in sample_con.sql("SELECT year, count(*) FROM official_result GROUP BY year").fetchall():
        shown = official[official[t("dashboard.cols.year", "vi")] == str(year)][t("dashboard.cols.rows", "vi")]
        assert shown.tolist() == [fmt.integer(rows, "vi")]

    # Load history: one row per load, one per source file, newest load first
    loads, sources = (df.value for df in at.dataframe)
    (load_count,) = _one(sample_con, "SELECT count(*) FROM load_run")
    assert len(loads) == load_count
    files = {f for (f,) in sample_con.sql("SELECT file_name FROM source").fetchall()}
    assert set(sources[t("dashboard.cols.file", "vi")]) == files
    assert loads[t("dashboard.cols.rows_new", "vi")].iloc[0] == 1234  # a number: the grid sorts it as one

    assert any(t("dashboard.home.synthetic_banner", "vi") == w.value for w in at.warning)
    (name,) = _one(sample_con, "SELECT value FROM meta WHERE key = 'dataset_name'")
    assert any(markdown_literal(name) in md.value for md in at.markdown)  # shown as typed, never as Markdown
    assert t("dashboard.home.official_note", "vi") in [i.value for i in at.info]


def test_english_switch_changes_the_words(app: Callable[..., AppTest], sample_db: Path) -> None:
    at = app(sample_db)
    assert at.segmented_control(key="lang-switch").value == "vi"
    at.segmented_control(key="lang-switch").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Loaded data"
    metrics = _metrics(at)
    assert "Departments" in metrics
    assert "Sở, ban, ngành" not in metrics
    assert any("This is demo data" in w.value for w in at.warning)
    loads = at.dataframe[0].value
    assert loads["New rows"].iloc[0] == 1234
    assert loads["Published at"].iloc[0] == "2025-03-14 09:30"


def test_language_from_the_url(app: Callable[..., AppTest], sample_db: Path) -> None:
    at = app(sample_db, lang="en")
    assert at.title[0].value == "Loaded data"
    assert at.segmented_control(key="lang-switch").value == "en"


def _assert_no_data_page(at: AppTest, lang: str = "vi") -> None:
    assert not at.exception
    assert not at.error
    assert any(t("dashboard.empty.title", lang) in md.value for md in at.markdown)
    commands = [c.value for c in at.code]
    assert "parboard demo" in commands
    assert t("dashboard.empty.load_command", lang) in commands
    assert not at.metric


def test_missing_database_is_a_friendly_page(app: Callable[..., AppTest], missing_db: Path) -> None:
    at = app(missing_db)
    _assert_no_data_page(at)
    at.segmented_control(key="lang-switch").set_value("en").run()
    _assert_no_data_page(at, "en")
    assert "parboard load FILE..." in [c.value for c in at.code]


def test_empty_database_is_a_friendly_page(app: Callable[..., AppTest], empty_db: Path) -> None:
    _assert_no_data_page(app(empty_db))


def test_unreadable_database_is_explained_not_a_traceback(app: Callable[..., AppTest], tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    db.write_bytes(b"this is not a database" * 100)
    at = app(db)
    assert not at.exception
    assert len(at.error) == 1
    assert str(db) in at.error[0].value


def test_a_new_publish_shows_on_the_next_rerun(
    app: Callable[..., AppTest], tmp_path: Path, sample_publisher: Callable[[Path], Path]
) -> None:
    db = sample_publisher(tmp_path / "parboard.duckdb")
    at = app(db)
    departments = t("dashboard.kinds.department", "vi")
    before = int(_metrics(at)[departments])

    with draft(db) as d:
        d.con.execute(
            "INSERT INTO unit (unit_code, name, name_key, kind) VALUES ('TST-S09', 'Sở Mới', 'sở mới', 'department')"
        ).fetchall()
    at.run()
    assert not at.exception
    assert int(_metrics(at)[departments]) == before + 1
    captions = [c.value for c in at.caption]
    assert _metrics(at)[t("dashboard.home.metric_version", "vi")] == "2"
    assert t("dashboard.home.version_footer", "vi", version=2) in captions
    assert not any("v000002.duckdb" in c for c in captions)  # the file's name is the server's business


# ---- the figures and tables, without Streamlit ----------------------------------------------------------


@pytest.fixture(scope="module")
def ov(sample_db: Path) -> data_status.Overview:
    return data_status.load(Published(sample_db), as_of=date(2026, 1, 1))


def test_units_counted_on_the_day_asked(sample_db: Path) -> None:
    db = Published(sample_db)
    before = {r["kind"]: r for r in data_status.load(db, as_of=date(2025, 6, 30)).units.iter_rows(named=True)}
    after = {r["kind"]: r for r in data_status.load(db, as_of=date(2025, 7, 1)).units.iter_rows(named=True)}
    # The districts end with 30 June 2025 (inclusive); the new communes start on 1 July.
    assert (before["district"]["active"], after["district"]["active"]) == (2, 0)
    assert (before["commune"]["active"], after["commune"]["active"]) == (3, 2)
    assert after["commune"]["upcoming"] == 1  # starts in 2030


def test_unit_card_notes_add_up(ov: data_status.Overview) -> None:
    cards = {c.label: c for c in data_status.unit_cards(ov, "vi")}
    communes = cards["UBND cấp xã"]
    assert communes.value == "2"
    assert communes.note == "Tổng cộng 6: 3 đã kết thúc, 1 chưa có hiệu lực"
    assert cards["Tỉnh, thành phố"].note == "Tổng cộng 1"


def test_frameworks_grouped_over_years_with_survey_share(ov: data_status.Overview) -> None:
    table = data_status.frameworks_table(ov, "en")
    rows = table.frame.to_dicts()
    assert [r["Years"] for r in rows] == ["2023–2024", "2024"]
    assert rows[0]["Structure"] == "3 areas, 5 criteria"
    assert rows[0]["Survey points"] == "20 (20%)"
    # A component without criteria is scored itself: 30 + 30 + 40 = 100, 40 of them by survey
    assert rows[1]["Maximum points"] == "100"
    assert rows[1]["Survey points"] == "40 (40%)"
    assert rows[1]["Rescaling"] == "Rescaled to 100 when no survey is run"
    # One issuer: said once under the table, not in every row
    assert "Issuer" not in table.frame.columns
    assert table.note == "Issued by UBND Tỉnh Thử Nghiệm."


@pytest.mark.parametrize(
    ("band", "vi", "en"),
    [
        ({"lower_bound": 90, "lower_inclusive": True}, "từ 90", "90 and over"),
        (
            {"lower_bound": 80, "lower_inclusive": True, "upper_bound": 90, "upper_inclusive": False},
            "từ 80 đến dưới 90",
            "80 to under 90",
        ),
        (
            {"lower_bound": 80.5, "lower_inclusive": False, "upper_bound": 90, "upper_inclusive": True},
            "trên 80,5 đến 90",
            "over 80.5 to 90",
        ),
        ({"upper_bound": 50, "upper_inclusive": False}, "dưới 50", "under 50"),
        ({}, "mọi mức điểm", "any score"),
    ],
)
def test_band_text(band: dict[str, object], vi: str, en: str) -> None:
    assert data_status.band_text(band, "vi") == vi
    assert data_status.band_text(band, "en") == en


def test_tier_columns_best_first(ov: data_status.Overview) -> None:
    frame = data_status.tier_sets_table(ov, "vi").frame
    assert frame.columns[-5:] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    commune = frame.row(1, named=True)
    assert (commune["Khá"], commune["Yếu"]) == ("dưới 75", "–")


def test_official_coverage_counts_conflicts(ov: data_status.Overview) -> None:
    rows = data_status.official_table(ov, "en").frame.to_dicts()
    assert rows[0] == {
        "Index": "PAR INDEX",
        "Year": "2023",
        "Level": "Provinces",
        "Rows": "3",
        "Units": "2",
        "With score": "1",
        "With rank": "2",
        "Sources disagree": "1",
    }


def test_sources_show_a_short_hash_and_the_table_label(ov: data_status.Overview) -> None:
    rows = data_status.sources_table(ov, "vi").frame.to_dicts()
    by_file = {r["Tệp"]: r for r in rows}
    assert by_file["don_vi.xlsx"]["SHA-256"] == "a1b2c3d4e5f6"
    assert by_file["don_vi.xlsx"]["Loại bảng"] == "Danh mục đơn vị"  # label from etl/tables.yaml
    assert by_file["tieu_chi_so.yaml"]["Loại bảng"] == "Bộ tiêu chí"


def test_empty_database_is_empty(empty_db: Path) -> None:
    ov = data_status.load(Published(empty_db), as_of=date(2026, 1, 1))
    assert ov.is_empty
    assert data_status.score_years_table(ov, "vi").empty
    assert data_status.headline(ov, "vi")[0].value == "0"
