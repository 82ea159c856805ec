"""Spreadsheet bombs are refused before any reader parses them, in bounded memory.

Every bomb is written at test time (small on disk, huge unpacked; bench/bombs.py). Each is checked by
checks/limits.py in a child process that reports its peak memory, against the same child given an ordinary
workbook. How long the checks take is a benchmark (`python -m bench.inputs`), not an assertion here: the child's
own timeout only catches a check that never finishes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from checks_helpers import copy_published, fingerprint

from bench.bombs import BOMBS, MIB, bomb_lying_dimension, check_in_child, ordinary_workbook
from services.load import load_files


@pytest.fixture(scope="module")
def ordinary(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The same child given an ordinary workbook of a thousand rows: what it costs to check a normal file."""
    path = ordinary_workbook(tmp_path_factory.mktemp("ordinary") / "scores.xlsx")
    outcome = check_in_child(path)
    assert outcome["code"] is None
    return outcome


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_bomb_is_refused_before_parsing_in_bounded_memory(name: str, ordinary: dict, tmp_path: Path) -> None:
    make, code = BOMBS[name]
    path = make(tmp_path / name)
    assert path.stat().st_size < 20 * MIB  # small on disk: the danger is in what it unpacks to

    outcome = check_in_child(path)

    assert outcome["code"] == code, outcome
    for text in outcome["messages"]:
        assert name in text and "{" not in text, text
    # A chunk of the archive at a time: the check's peak is the ordinary file's plus the file's own bytes and
    # a few chunks, nowhere near what the bomb unpacks to (at least 40 MB, up to over 1 GB).
    assert outcome["peak_mb"] < ordinary["peak_mb"] + path.stat().st_size / MIB + 32, outcome


def test_a_lying_workbook_is_refused_by_the_load_and_the_database_is_unchanged(sample_db: Path, tmp_path: Path) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    before = fingerprint(db)
    bomb = bomb_lying_dimension(tmp_path / "diem_2024.xlsx")

    report = load_files(db, [bomb])

    assert report.status == "refused"
    assert [p.code for p in report.errors] == ["file_sheet_rows_over_limit"]
    assert report.files == []  # no sheet was read
    assert fingerprint(db) == before


def test_ordinary_workbooks_pass_the_limits(tmp_path: Path) -> None:
    """The bombs' limits leave real files alone: the demo's workbooks of the bad-file corpus all pass."""
    from checks.limits import check_rows

    corpus = Path(__file__).parent / "fixtures" / "bad"
    for path in sorted(corpus.glob("*.xlsx")):
        problem = check_rows(path, path.read_bytes())
        assert problem is None, (path.name, problem)
