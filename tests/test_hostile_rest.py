"""Hostile and careless inputs, continued: messages that named the wrong cause, hidden parts of a workbook,
and error cells in every workbook format. Each file is written by hand here or in tests/hostile_files.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from checks_helpers import copy_published, fingerprint
from hostile_files import load_in_child

from cli.main import main as cli

_SCORES = "Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm thẩm định\n"


def _refused_unchanged(db: Path, files: list[Path]) -> dict:
    before = fingerprint(db)
    outcome = load_in_child(db, files)
    assert outcome["status"] == "refused", outcome
    assert fingerprint(db) == before
    return outcome


# --- messages that named the wrong cause ---------------------------------------------------------------------


def test_an_unknown_unit_code_is_the_one_cause_named_never_a_raw_kind_key(sample_db: Path, tmp_path: Path) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    typo = tmp_path / "diem_go_nham.csv"
    typo.write_text(_SCORES + "TST-S1,Sở Nội vụ,2024,1.1,1.5\n", encoding="utf-8")

    outcome = _refused_unchanged(db, [typo])

    # Before: a second message "Chưa có bộ tiêu chí cho loại đơn vị «cli.kind.None»" beside the real cause.
    assert outcome["codes"] == ["unit_code_unknown"]
    assert not any("cli.kind" in m or "None" in m for m in outcome["messages"]), outcome["messages"]
    assert "«TST-S1»" in outcome["messages"][0]


@pytest.mark.parametrize(
    ("year", "code", "shown"),
    [
        ("2024a", "bad_year", "«2024a»"),
        ("\u200b2024", "bad_year", "«\\u200b2024»"),  # a zero-width space pasted from a web page
        ("1999", "year_out_of_range", "1999"),
    ],
)
def test_a_refused_year_is_not_also_called_empty(
    year: str, code: str, shown: str, sample_db: Path, tmp_path: Path
) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    bad = tmp_path / "diem_nam.csv"
    bad.write_text(_SCORES + f"TST-S01,Sở Nội vụ,{year},1.1,1.5\n", encoding="utf-8")

    outcome = _refused_unchanged(db, [bad])

    # Before: "Ô bắt buộc (year) đang để trống" beside the real cause, for a cell that holds a value.
    assert outcome["codes"] == [code], outcome["messages"]
    assert shown in outcome["messages"][0], outcome["messages"][0]


def test_an_empty_required_cell_names_the_field_in_the_readers_language(sample_db: Path, tmp_path: Path) -> None:
    db = copy_published(sample_db, tmp_path / "db")
    empty = tmp_path / "diem_thieu_nam.csv"
    empty.write_text(_SCORES + "TST-S01,Sở Nội vụ,2024,1.1,1.5\nTST-S01,Sở Nội vụ,,1.2,1.5\n", encoding="utf-8")

    outcome = _refused_unchanged(db, [empty])

    assert outcome["codes"] == ["missing_value"]
    vi, en = outcome["messages"]
    assert "dòng 3 › cột «Năm»" in vi and "Ô bắt buộc (Năm) đang để trống" in vi, vi
    assert "(Year)" in en, en


def _not_files(tmp_path: Path) -> dict[str, tuple[Path, str, str]]:
    fifo = tmp_path / "diem_2024.csv"
    os.mkfifo(fifo)
    folder = tmp_path / "ho_so_2024"
    folder.mkdir()
    return {
        "fifo": (fifo, "read_is_pipe", "FIFO"),
        "folder": (folder, "read_is_directory", "thư mục"),
        "device": (Path("/dev/zero"), "read_is_device", "thiết bị"),
        "missing": (tmp_path / "khong_co.csv", "read_missing", "Không có tệp"),
    }


@pytest.mark.parametrize("kind", ["fifo", "folder", "device", "missing"])
def test_a_path_that_is_not_a_file_says_what_it_is_and_never_hangs(kind: str, sample_db: Path, tmp_path: Path) -> None:
    path, code, word = _not_files(tmp_path)[kind]
    db = copy_published(sample_db, tmp_path / "db")

    outcome = _refused_unchanged(db, [path])  # the child's wall-clock limit catches a read that blocks

    assert outcome["codes"] == [code]
    assert word in outcome["messages"][0], outcome["messages"][0]
    assert "not found" not in outcome["messages"][1] or kind == "missing"


def test_the_cli_names_a_fifo_for_what_it_is(
    sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo, _code, _word = _not_files(tmp_path)["fifo"]
    db = copy_published(sample_db, tmp_path / "db")
    before = fingerprint(db)

    assert cli(["load", "--db", str(db), str(fifo)]) == 1

    out = capsys.readouterr().out
    assert "đường ống có tên (FIFO)" in out and "named pipe (FIFO)" in out, out
    assert "not found" not in out
    assert fingerprint(db) == before


def test_the_reader_alone_refuses_a_fifo_without_blocking(tmp_path: Path) -> None:
    from etl.problems import InputError
    from etl.readers import read_file

    fifo, _code, _word = _not_files(tmp_path)["fifo"]

    with pytest.raises(InputError) as refused:
        read_file(fifo)  # open(2) of a FIFO for reading blocks until a writer comes; this one never does

    assert [p.code for p in refused.value.problems] == ["read_is_pipe"]


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
