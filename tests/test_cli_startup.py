"""Commands that check nothing never import Great Expectations (about 3 s of start-up on its own).

Each command runs in a fresh interpreter with `-X importtime`, which names every module imported; the
demo database makes status, simulate, report and audit do their real work, not stop at a missing file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("great_expectations",)
# Modules of the load path: a command that only reads must not pay for them either.
LOAD_ONLY = ("services.load", "etl.mapper", "checks.run")


def _imported(args: list[str], cwd: Path) -> tuple[int, set[str], str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PARBOARD_LANG": "vi"},
        timeout=600,
    )
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return done.returncode, modules, done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["status", "--help"],
        ["simulate", "--help"],
        ["report", "--help"],
        ["user", "--help"],
        ["audit", "--help"],
        ["load", "--help"],
    ],
    ids=lambda a: " ".join(a),
)
def test_help_imports_neither_checks_nor_the_load(args: list[str], tmp_path: Path) -> None:
    code, modules, out = _imported(args, tmp_path)
    assert code == 0
    assert "parboard" in out  # argparse printed the command's usage
    assert "argparse" in modules  # -X importtime reported the imports
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert not modules & set(LOAD_ONLY)


@pytest.mark.parametrize(
    "args",
    [
        ["status"],
        ["simulate", "--preset", "tt02-2024", "--year", "2024"],
        ["user", "list"],
        ["audit", "--limit", "5"],
        ["report", "--year", "2024", "--out", "{tmp}/bao-cao.docx"],
    ],
    ids=lambda a: a[0],
)
def test_commands_that_check_nothing_never_import_great_expectations(
    args: list[str], demo_db: Path, tmp_path: Path
) -> None:
    argv = [a.format(tmp=tmp_path) for a in args] + ["--db", str(demo_db)]
    code, modules, out = _imported(argv, tmp_path)
    assert code == 0, out
    assert out.strip()  # the command did its work and said so
    assert "duckdb" in modules  # it read the database: the import list is the real one
    assert not {m for m in modules if m.split(".")[0] in HEAVY}
    assert not modules & set(LOAD_ONLY)


@pytest.mark.parametrize(
    "args", [["status"], ["simulate", "--preset", "tt02-2024", "--year", "2024"]], ids=lambda a: a[0]
)
def test_reading_commands_import_neither_pyarrow_nor_numpy(args: list[str], demo_db: Path, tmp_path: Path) -> None:
    """Query results reach polars through the Arrow C stream and the Monte Carlo (numpy) loads at its first
    use: together about 0.2 s of these commands' start."""
    code, modules, out = _imported([*args, "--db", str(demo_db)], tmp_path)
    assert code == 0, out
    assert "polars" in modules  # the frames were built
    assert not {m for m in modules if m.split(".")[0] in ("pyarrow", "numpy")}


def test_simulate_offers_the_presets_the_engine_reads() -> None:
    """The command lists preset names without importing the quota engine (polars); the list is the same."""
    from analysis.quota import presets
    from cli.simulate import preset_names

    assert preset_names() == presets.names()
    assert "tt02-2024" in preset_names()
