"""The home page's data and display tables, without Streamlit; the catalogs; the serve command."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import pytest

from core.i18n import catalog
from dashboard import overview
from dashboard.serve import APP, serve_command, serve_env
from store.queries import Published

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def ov(sample_db: Path) -> overview.Overview:
    return overview.load(Published(sample_db), as_of=date(2026, 1, 1))


def test_units_counted_on_the_day_asked(sample_db: Path) -> None:
    db = Published(sample_db)
    before = {r["kind"]: r for r in overview.load(db, as_of=date(2025, 6, 30)).units.iter_rows(named=True)}
    after = {r["kind"]: r for r in overview.load(db, as_of=date(2025, 7, 1)).units.iter_rows(named=True)}
    # The districts end with 30 June 2025 (inclusive); the new communes start on 1 July.
    assert (before["district"]["active"], after["district"]["active"]) == (2, 0)
    assert (before["commune"]["active"], after["commune"]["active"]) == (3, 2)
    assert after["commune"]["upcoming"] == 1  # starts in 2030


def test_unit_card_notes_add_up(ov: overview.Overview) -> None:
    cards = {c.label: c for c in overview.unit_cards(ov, "vi")}
    communes = cards["UBND cấp xã"]
    assert communes.value == "2"
    assert communes.note == "Tổng cộng 6: 3 đã kết thúc, 1 chưa có hiệu lực"
    assert cards["Tỉnh, thành phố"].note == "Tổng cộng 1"


def test_frameworks_grouped_over_years_with_survey_share(ov: overview.Overview) -> None:
    table = overview.frameworks_table(ov, "en")
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
        ({"lower_bound": 80, "lower_inclusive": True, "upper_bound": 90, "upper_inclusive": False},
         "từ 80 đến dưới 90", "80 to under 90"),
        ({"lower_bound": 80.5, "lower_inclusive": False, "upper_bound": 90, "upper_inclusive": True},
         "trên 80,5 đến 90", "over 80.5 to 90"),
        ({"upper_bound": 50, "upper_inclusive": False}, "dưới 50", "under 50"),
        ({}, "mọi mức điểm", "any score"),
    ],
)
def test_band_text(band: dict[str, object], vi: str, en: str) -> None:
    assert overview.band_text(band, "vi") == vi
    assert overview.band_text(band, "en") == en


def test_tier_columns_best_first(ov: overview.Overview) -> None:
    frame = overview.tier_sets_table(ov, "vi").frame
    assert frame.columns[-5:] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    commune = frame.row(1, named=True)
    assert (commune["Khá"], commune["Yếu"]) == ("dưới 75", "–")


def test_official_coverage_counts_conflicts(ov: overview.Overview) -> None:
    rows = overview.official_table(ov, "en").frame.to_dicts()
    assert rows[0] == {
        "Index": "PAR INDEX", "Year": "2023", "Level": "Provinces", "Rows": "3", "Units": "2",
        "With score": "1", "With rank": "2", "Sources disagree": "1",
    }


def test_sources_show_a_short_hash_and_the_table_label(ov: overview.Overview) -> None:
    rows = overview.sources_table(ov, "vi").frame.to_dicts()
    by_file = {r["Tệp"]: r for r in rows}
    assert by_file["don_vi.xlsx"]["SHA-256"] == "a1b2c3d4e5f6"
    assert by_file["don_vi.xlsx"]["Loại bảng"] == "Danh mục đơn vị"  # label from etl/tables.yaml
    assert by_file["tieu_chi_so.yaml"]["Loại bảng"] == "Bộ tiêu chí"


def test_empty_database_is_empty(empty_db: Path) -> None:
    ov = overview.load(Published(empty_db), as_of=date(2026, 1, 1))
    assert ov.is_empty
    assert overview.score_years_table(ov, "vi").empty
    assert overview.headline(ov, "vi")[0].value == "0"


def test_catalogs_have_the_same_keys() -> None:
    vi = {k for k in catalog("vi") if k.startswith("dashboard.")}
    en = {k for k in catalog("en") if k.startswith("dashboard.")}
    assert vi == en
    for key in vi:  # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", catalog("vi")[key])) == set(re.findall(r"{(\w+)}", catalog("en")[key])), key


def test_every_key_the_dashboard_uses_exists() -> None:
    used: set[str] = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        used |= {f"dashboard.{k}" for k in re.findall(r'\btr\(\s*"([\w.]+)"', text)}
        used |= set(re.findall(r'\bt\(\s*"(dashboard\.[\w.]+)"', text))
        used |= {f"dashboard.{k}" for k in re.findall(r'labels\.text\(\s*"([\w.]+)"', text)}
    assert used, "no keys found: the pattern no longer matches the code"
    missing = sorted(k for k in used if k not in catalog("vi"))
    assert not missing


def test_serve_command_is_safe(tmp_path: Path) -> None:
    cmd = serve_command(port=8765)
    assert cmd[:4] == [sys.executable, "-m", "dashboard.launch", "run"]  # Streamlit's CLI, modules preloaded
    assert cmd[4] == str(APP) and Path(cmd[4]).is_absolute()
    flags = dict(arg[2:].split("=", 1) for arg in cmd[5:])
    assert flags["server.address"] == "127.0.0.1"
    assert flags["server.port"] == "8765"
    assert flags["server.headless"] == "true"
    assert flags["browser.gatherUsageStats"] == "false"
    assert flags["server.enableXsrfProtection"] == "true"
    assert flags["client.showErrorDetails"] == "none"
    assert serve_env(tmp_path / "x.duckdb")["PARBOARD_DB"] == str(tmp_path / "x.duckdb")


def test_config_file_matches_the_flags() -> None:
    import tomllib

    from dashboard.serve import SAFE_FLAGS, THEME

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    for name, value in {**SAFE_FLAGS, **THEME}.items():
        section, option = name.split(".")
        assert str(config[section][option]).lower() == value, name


def test_serve_returns_the_server_exit_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import dashboard.serve as serve_module

    seen: dict[str, str] = {}

    def fake_command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
        seen.update(port=str(port), address=address)
        return [sys.executable, "-c", "import os, sys; sys.exit(3 if os.environ['PARBOARD_DB'] else 0)"]

    monkeypatch.setattr(serve_module, "serve_command", fake_command)
    assert serve_module.serve(tmp_path / "db.duckdb", port=9999) == 3
    assert seen == {"port": "9999", "address": "127.0.0.1"}
