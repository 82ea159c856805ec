"""The data-quality suites on real databases: the demo passes with its known source conflicts shown, rules
that no input file can break are caught in a tampered copy, `parboard check` reports and exits, refused rows
wait in quarantine until the fixed file is loaded, and the pages outside Data quality never import GE."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from checks_helpers import copy_published, fingerprint
from streamlit.testing.v1 import AppTest

from checks.run import run_checks
from cli.main import main
from services.load import load_files
from store import quality_log
from store.check_frames import suite_frames
from store.db import connect_read_only, current_file, draft
from store.queries import Published

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
BAD = Path(__file__).parent / "fixtures" / "bad"


def _checked(db: Path):
    con = connect_read_only(current_file(db))
    try:
        with suite_frames(con) as frames:
            return run_checks(frames)
    finally:
        con.close()


def test_demo_passes_and_shows_the_conflicts_between_published_sources(demo_db: Path) -> None:
    run = _checked(demo_db)
    assert run.failed("error") == 0, [f.message("en") for f in run.errors][:5]
    assert {r.suite for r in run.results} >= {"scores", "results", "official", "registrations", "task_completion"}
    warned = {(f.code, f.year) for f in run.warnings}
    # Hải Phòng 2023: 91.87 against 91.81, and 2024's 96.17 − 4.30 = 91.87 disagrees with the second
    assert ("dq_official_sources_disagree", 2023) in warned
    assert ("dq_official_next_year_disagrees", 2023) in warned
    # 2024: 53 up + 9 down = 62 of 63 provinces; regional averages of 2023 differ between two articles
    assert ("dq_summary_counts_unaccounted", 2024) in warned
    assert ("dq_summary_sources_disagree", 2023) in warned
    partial = [f for f in run.warnings if f.code == "dq_official_partial" and f.item_code == "par_index"]
    assert sorted(f.year for f in partial) == [2021, 2022, 2023, 2024]
    # The other indices' shipped figures are partial too (a few provinces each, data/reference)
    others = {(f.item_code, f.year) for f in run.warnings if f.code == "dq_official_partial"} - {
        ("par_index", y) for y in range(2021, 2025)
    }
    assert {("pci", 2023), ("sipas", 2023), ("dti", 2024)} <= others
    assert "PARTIAL data" in partial[0].message("en") and "MỘT PHẦN" in partial[0].message("vi")
    # The load stored the same findings in the version it published: that is what pages read
    stored = Published(demo_db).query("open_findings")
    assert set(stored["rule"]) == {f.code for f in run.findings}
    assert stored.height == len(run.findings)
    assert set(stored["severity"]) == {"warning"}


def test_the_demo_quirk_no_survey_in_2021_is_rescaled_not_reported(demo_db: Path) -> None:
    run = _checked(demo_db)
    assert not [f for f in run.findings if f.table_name in ("unit_score", "unit_result", "component_result")]
    con = connect_read_only(current_file(demo_db))
    try:
        (n,) = con.sql(
            "SELECT count(*) FROM unit_result WHERE unit_kind = 'department' AND year = 2021 "
            "AND survey_points IS NULL AND raw_max < 100"
        ).fetchall()[0]
    finally:
        con.close()
    assert n > 0  # the rescaled results exist, and the rescale rule checked them


@pytest.fixture(scope="module")
def tampered(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo copy edited behind the loader's back: what only a damaged or hand-edited database holds."""
    db = copy_published(demo_db, tmp_path_factory.mktemp("tampered"))
    with draft(db) as d:
        d.con.sql("""UPDATE unit_result SET tier = 'yeu'
                     WHERE unit_code = 'DEMO-LH-S01' AND year = 2023""")
        d.con.sql("""UPDATE unit_result SET total = total + 3
                     WHERE unit_code = 'DEMO-LH-S02' AND year = 2023""")
        d.con.sql("""UPDATE unit_score SET appraised_score = -1
                     WHERE unit_code = 'DEMO-LH-S03' AND year = 2023 AND item_code = '1.1'""")
        d.con.sql("""UPDATE task_completion SET completion_pct = 101
                     WHERE unit_code = 'DEMO-LH-S04' AND year = 2023""")
    return db


def test_rules_no_input_can_break_are_still_checked(tampered: Path) -> None:
    run = _checked(tampered)
    errors = {(f.code, f.unit_code) for f in run.errors}
    assert ("dq_tier_mismatch", "DEMO-LH-S01") in errors
    assert ("dq_rescale_mismatch", "DEMO-LH-S02") in errors
    assert ("dq_score_negative", "DEMO-LH-S03") in errors
    assert ("dq_completion_range", "DEMO-LH-S04") in errors
    tier = next(f for f in run.errors if f.code == "dq_tier_mismatch" and f.unit_code == "DEMO-LH-S01")
    assert tier.message("en").startswith("scores_department_2023.csv › row ")
    assert "(DEMO-LH-S01) › năm 2023" in tier.message("vi") and "«Yếu»" in tier.message("vi")


def test_check_command_json_and_exit_codes(
    demo_db: Path, tampered: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = copy_published(demo_db, tmp_path / "ok")
    before = fingerprint(db)
    assert main(["check", "--db", str(db), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["status"] == "warnings" and out["errors"] == 0 and out["warnings"] == len(out["findings"])
    assert {"suite", "rule", "severity", "expectation", "checked", "failed"} <= set(out["results"][0])
    assert {"table_name", "unit_code", "year", "file_name", "sheet", "source_row", "message_vi", "message_en"} <= set(
        out["findings"][0]
    )
    assert fingerprint(db) == before  # check reads the published file, never writes it
    assert quality_log.history(db)["kind"].to_list()[0] == "check"

    assert main(["check", "--db", str(tampered)]) == 1
    text = capsys.readouterr().out
    assert "dq_tier_mismatch" in text and "CÓ LỖI" in text

    assert main(["check", "--db", str(tmp_path / "none" / "parboard.duckdb")]) == 1


def test_refused_rows_wait_in_quarantine_until_the_fixed_file_loads(demo_db: Path, tmp_path: Path) -> None:
    db = copy_published(demo_db, tmp_path / "db")
    sent = tmp_path / "diem_so_noi_vu_2024.csv"
    sent.write_bytes((BAD / "appraised_over_max.csv").read_bytes())
    assert load_files(db, [sent]).status == "refused"
    pending = quality_log.quarantine(db)
    assert pending["status"].to_list() == ["pending"]
    assert pending["rule"].to_list() == ["score_above_max"]
    kept = quality_log.log_dir(db) / pending["kept_copy"][0]
    assert kept.read_bytes() == (BAD / "appraised_over_max.csv").read_bytes()  # what the user sent is kept

    fixed = (BAD / "appraised_over_max.csv").read_text(encoding="utf-8").replace(",1.1,1.75,7.5,", ",1.1,1.75,1.5,")
    sent.write_text(fixed, encoding="utf-8")
    report = load_files(db, [sent])
    assert report.status in ("published", "unchanged")
    if report.status == "unchanged":  # identical to what was published: nothing left to fix either way
        sent.write_text(fixed.replace(",1.2,1.0,1.0,", ",1.2,1.0,0.75,"), encoding="utf-8")
        assert load_files(db, [sent]).status == "published"
    after = quality_log.quarantine(db)
    assert after["status"].to_list() == ["resolved"]
    assert after["resolved_at"][0] is not None


def test_dashboard_pages_other_than_quality_do_not_import_great_expectations(sample_db: Path) -> None:
    code = f"""
import os, sys
os.environ["PARBOARD_DB"] = {str(sample_db)!r}
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({APP!r}, default_timeout=30).run()
assert not at.exception, [e.value for e in at.exception]
import dashboard.quality_banner
print("great_expectations" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, lang: str | None = None) -> AppTest:
    monkeypatch.setenv("PARBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("screens/quality.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_quality_page_on_the_demo(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(demo_db, monkeypatch, "en")
    assert at.title[0].value == "Data quality"
    metrics = {m.label: m.value for m in at.metric}
    findings = Published(demo_db).query("open_findings")
    assert metrics["Rows with warnings"] == str(findings.height)
    assert metrics["Rows with errors"] == "0"
    assert metrics["Outcome"] == "Warnings"
    frames = {tuple(df.value.columns)[:3]: df.value for df in at.dataframe}
    rows = next(v for v in frames.values() if "Message" in v.columns)
    assert len(rows) == findings.height
    assert "par_index_conflicting_claims.csv" in set(rows["File"])
    # Each check said in words, never by its rule id or Great Expectations name
    results = next(v for v in frames.values() if "What is checked" in v.columns)
    assert "Each unit has exactly one score per criterion per year" in set(results["What is checked"])
    assert not any(str(v).startswith(("dq_", "expect_")) for v in results.to_numpy().ravel())


def test_quality_page_on_an_empty_database(empty_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _page(empty_db, monkeypatch)
    assert at.title[0].value == "Chất lượng dữ liệu"
    assert not at.exception


def test_banner_counts_the_open_findings_of_the_data_shown(demo_db: Path, tmp_path: Path) -> None:
    def page() -> None:
        import os
        from pathlib import Path

        from dashboard.quality_banner import quality_banner
        from store.queries import Published

        db = Published(Path(os.environ["PARBOARD_DB"]))
        quality_banner(db, tables=["official_result"], year=2023)
        quality_banner(db, tables=["unit_result"])

    import os

    os.environ["PARBOARD_DB"] = str(demo_db)
    try:
        at = AppTest.from_function(page, default_timeout=30).run()
    finally:
        del os.environ["PARBOARD_DB"]
    findings = (
        Published(demo_db)
        .query("open_findings")
        .filter((pl.col("table_name") == "official_result") & (pl.col("year").is_null() | (pl.col("year") == 2023)))
    )
    assert findings.height > 0
    assert [w.value for w in at.warning] == [
        f"Dữ liệu đang hiển thị có **{findings.height}** cảnh báo chất lượng chưa xử lý. "
        "[Xem trang Chất lượng dữ liệu](quality)"
    ]


def test_a_database_from_before_the_checks_shows_no_banner_and_gains_the_tables_at_its_next_load(
    sample_db: Path, tmp_path: Path
) -> None:
    db = copy_published(sample_db, tmp_path / "old")
    with draft(db) as d:
        for table in ("check_finding", "check_result", "check_run"):
            d.con.sql(f"DROP TABLE {table}")

    def page() -> None:
        import os
        from pathlib import Path

        from dashboard.quality_banner import quality_banner
        from store.queries import Published

        quality_banner(Published(Path(os.environ["PARBOARD_DB"])))
        import streamlit as st

        st.write("shown")

    import os

    os.environ["PARBOARD_DB"] = str(db)
    try:
        at = AppTest.from_function(page, default_timeout=30).run()
    finally:
        del os.environ["PARBOARD_DB"]
    assert not at.exception and not at.warning and at.markdown[0].value == "shown"
    with pytest.raises(duckdb.CatalogException):
        Published(db).query("open_findings")
    units = tmp_path / "units.csv"
    units.write_text("Mã đơn vị,Tên đơn vị,Loại đơn vị,Mã đơn vị cấp trên\nTST-S09,Sở Xây dựng,sở,TST\n", "utf-8")
    assert load_files(db, [units]).status == "published"
    assert Published(db).query("check_results").height > 0


def test_every_active_unit_scored_counts_the_units_of_the_year_as_the_pages_do(demo_db: Path, tmp_path: Path) -> None:
    """A register where the check and analysis.units_of_year could disagree: a department that ended on 30/06
    of the year with no result for it (not a unit of the year: no finding), and one that gave part of its
    work to another on 01/07 (a lineage link) and goes on with no result (a unit of the year: a finding)."""
    from analysis import units_of_year as uoy
    from services import published

    db = copy_published(demo_db, tmp_path / "mid-year")
    with draft(db) as d:
        d.con.sql("UPDATE unit SET valid_to = DATE '2025-06-30' WHERE unit_code = 'DEMO-LH-S04'")
        d.con.sql("DELETE FROM unit_result WHERE unit_code IN ('DEMO-LH-S04', 'DEMO-LH-S05') AND year = 2025")
        d.con.sql("""INSERT INTO unit_lineage (unit_code, predecessor_code, effective_date, relation)
                     VALUES ('DEMO-LH-S06', 'DEMO-LH-S05', DATE '2025-07-01', 'split')""")
    flagged = {(f.unit_code, f.year) for f in _checked(db).findings if f.code == "dq_result_missing"}
    assert ("DEMO-LH-S05", 2025) in flagged and ("DEMO-LH-S04", 2025) not in flagged

    b = published.read(Published(db))
    expected = set()
    for kind, year in b.results.select("kind", "year").unique().iter_rows():
        scored = set(b.results.filter((pl.col("kind") == kind) & (pl.col("year") == year))["unit_code"])
        expected |= {(code, year) for code in uoy.codes(b.units, year, kinds=kind) - scored}
    assert flagged == expected
