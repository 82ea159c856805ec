"""services.quality, without Streamlit: the last run summed up, the tables in the reader's language, the banner's
count, and the run history up to the version a page reads."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import polars as pl

from checks.config import load as load_config
from core.i18n import catalog
from services import quality
from store import quality_log
from store.queries import Published

RAN = datetime(2025, 3, 1, 9, 30)


def catalog_languages(key: str) -> set[str]:
    """The languages whose own catalog has key (t falls back to Vietnamese, which would hide a missing English)."""
    return {lang for lang in ("vi", "en") if key in catalog(lang)}


def _results() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "suite": ["scores", "scores", "units"],
            "rule": ["dq_score_unique", "dq_score_negative", "dq_unit_parent_unknown"],
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
            "rule": ["dq_result_missing", "dq_unit_parent_unknown", "dq_result_missing"],
            "severity": ["warning"] * 3,
            "table_name": ["unit_result", "unit", "unit_result"],
            "unit_code": ["U1", None, "OLD-31"],
            "year": [2023, None, 2024],
            "item_code": [None] * 3,
            "file_name": ["f.csv"] * 3,
            "sheet": [None] * 3,
            "source_row": [2, 3, 4],
            # As checks/findings.py stores them: place, subject, the rule's text, the rule's id
            "message_vi": [
                "f.csv › dòng 2: Kết quả của đơn vị › đơn vị Sở A (U1) › năm 2023: Chưa có. [dq_result_missing]",
                "hai",
                "f.csv › dòng 4: Kết quả của đơn vị › đơn vị Tỉnh B (OLD-31) › năm 2024: Thiếu: 1. [dq_result_missing]",
            ],
            "message_en": [
                "f.csv › row 2: Unit results › unit Dept A (U1) › year 2023: No result. [dq_result_missing]",
                "two",
                "f.csv › row 4: Unit results › unit Old Province (OLD-31) › year 2024: Missing: 1. [dq_result_missing]",
            ],
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
    assert table.columns == ["What is checked", "Table", "Severity", "Rows checked", "Rows failing"]
    assert table["What is checked"].to_list() == [
        "Each unit has exactly one score per criterion per year",
        "No score is negative",
        "Each unit's parent is in the register",
    ]
    assert table["Table"].to_list() == ["Criterion scores", "Criterion scores", "Unit register"]
    assert table["Severity"].to_list() == ["warning", "error", "warning"]
    vi = quality.results_table(_results(), "vi")
    assert vi[vi.columns[0]].to_list()[0] == "Mỗi đơn vị có đúng một điểm cho mỗi tiêu chí mỗi năm"
    assert quality.suites(_findings()) == ["scores", "units"]
    units = pl.DataFrame({"unit_code": ["U1"], "name": ["Sở Nội vụ"]})
    shown = quality.findings_table(_findings(), ["scores"], "en", units)
    # The rule's text alone: the place, table, unit and year have their own columns; no rule id, no code
    assert shown["Message"].to_list() == ["No result.", "Missing: 1."]
    assert shown["Unit"].to_list() == ["Sở Nội vụ", "Old Province"]
    assert shown.columns[:4] == ["Message", "What is checked", "Severity", "Unit"]
    assert quality.findings_table(_findings(), [], "vi").is_empty()


def test_every_check_has_a_sentence_in_both_languages() -> None:
    """Each rule of checks/rules.yaml and each suite is said in words a leader reads, in Vietnamese and English,
    and the two are not the same text (an untranslated copy) nor the rule id."""
    config = load_config()
    rules = [r.rule for suite in config.suites for r in suite.rules]
    assert len(rules) == len(set(rules)) > 50
    for lang in ("vi", "en"):
        for rule in rules:
            assert lang in catalog_languages(f"checks.rule.{rule}"), (rule, lang)
        for suite in config.suites:
            assert lang in catalog_languages(f"checks.suite.{suite.name}"), (suite.name, lang)
    for rule in rules:
        vi, en = quality.check_text(rule, "vi"), quality.check_text(rule, "en")
        assert vi != en and not re.search(r"\b[a-z]+_[a-z_]+\b", vi + " " + en), rule
    # No sentence said twice: two checks with one sentence could not be told apart on the page
    assert len({quality.check_text(r, "vi") for r in rules}) == len(rules)


def test_the_history_in_words() -> None:
    history = pl.DataFrame(
        {
            "at": [RAN],
            "kind": ["load"],
            "status": ["published"],
            "by": ["root"],
            "version": [1],
            "errors": [0],
            "warnings": [27],
            "seconds": [4.126],
            "files": ["a.csv, b.csv, c.csv"],
        }
    )
    row = quality.history_table(history, "vi").row(0, named=True)
    assert (row["Loại"], row["Trạng thái"], row["Giây"], row["Tệp"]) == (
        "Nạp dữ liệu",
        "Đã công bố",
        "4,1",
        "a.csv và 2 tệp khác",
    )
    assert quality.history_table(history, "en").row(0, named=True)["Seconds"] == "4.1"


def test_the_banner_counts_findings_about_the_data_shown() -> None:
    findings = _findings()
    assert quality.open_count(findings) == 3
    assert quality.open_count(findings, tables=["unit_result"]) == 2
    assert quality.open_count(findings, year=2023) == 2  # U1's, and the one about every year
    assert quality.open_count(findings, tables=["unit_result"], year=2023, unit_code="OLD-31") == 0
    assert quality.open_count(findings, unit_code="OLD-31") == 2


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
