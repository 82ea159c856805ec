"""services.quality, without Streamlit: the last run summed up, the tables in the reader's language, the banner's
count, and the run history up to the version a page reads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import polars as pl

from services import quality
from store import quality_log
from store.queries import Published

RAN = datetime(2025, 3, 1, 9, 30)


def _results() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "suite": ["scores", "scores", "units"],
            "rule": ["a", "b", "c"],
            "severity": ["warning", "error", "warning"],
            "expectation": ["x", "y", "z"],
            "checked_rows": [10, 10, 5],
            "failed_rows": [3, 0, 2],
            "run_id": ["r1"] * 3,
            "ran_at": [RAN] * 3,
            "status": ["warnings"] * 3,
            "seconds": [1.0] * 3,
        }
    )


def _findings() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "suite": ["scores", "units", "scores"],
            "rule": ["a", "c", "a"],
            "severity": ["warning"] * 3,
            "table_name": ["unit_result", "unit", "unit_result"],
            "unit_code": ["U1", None, "U2"],
            "year": [2023, None, 2024],
            "item_code": [None] * 3,
            "file_name": ["f.csv"] * 3,
            "sheet": [None] * 3,
            "source_row": [2, 3, 4],
            "message_vi": ["một", "hai", "ba"],
            "message_en": ["one", "two", "three"],
        }
    )


def test_the_last_run_summed_up() -> None:
    run = quality.summary(_results())
    assert run is not None
    assert (run.status, run.ran_at, run.rules, run.passing_rules, run.warnings, run.errors) == (
        "warnings",
        RAN,
        3,
        1,
        5,
        0,
    )
    assert quality.summary(pl.DataFrame()) is None


def test_tables_speak_the_readers_language() -> None:
    table = quality.results_table(_results(), "en")
    assert table.columns == ["Suite", "Rule", "Severity", "Expectation", "Rows checked", "Rows failing"]
    assert table["Severity"].to_list() == ["warning", "error", "warning"]
    assert quality.suites(_findings()) == ["scores", "units"]
    shown = quality.findings_table(_findings(), ["scores"], "en")
    assert shown["Message"].to_list() == ["one", "three"]
    assert shown.columns[:3] == ["Message", "Severity", "Unit"]
    assert quality.findings_table(_findings(), [], "vi").is_empty()


def test_the_banner_counts_findings_about_the_data_shown() -> None:
    findings = _findings()
    assert quality.open_count(findings) == 3
    assert quality.open_count(findings, tables=["unit_result"]) == 2
    assert quality.open_count(findings, year=2023) == 2  # U1's, and the one about every year
    assert quality.open_count(findings, tables=["unit_result"], year=2023, unit_code="U2") == 0
    assert quality.open_count(findings, unit_code="U2") == 2


def test_the_history_stops_at_the_version_read(sample_db: Path, tmp_path: Path) -> None:
    db = Published(sample_db)
    log_copy = tmp_path / "parboard.duckdb"
    quality_log.log_dir(log_copy).mkdir()
    for i, version in enumerate((db.version, db.version + 1, None)):
        quality_log.record_run(
            log_copy,
            {
                "run_id": f"r{i}",
                "at": f"2025-03-0{i + 1}T09:00:00",
                "kind": "load",
                "status": "published" if version else "refused",
                "version": version,
                "files": [],
            },
        )
    log = quality.run_log(Published(log_copy, file=db.file))
    assert sorted(log.history["run_id"].to_list()) == ["r0", "r2"]  # r1 published after the version read
    assert log.pending == 0
    table = quality.history_table(log.history, "en")
    assert table.columns == ["When", "Kind", "Status", "Run by", "Version", "Errors", "Warnings", "Seconds", "Files"]
