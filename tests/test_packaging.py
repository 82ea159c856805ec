"""The wheel works without the checkout: built from the project, installed with the locked versions into a fresh
virtual environment, and run from another folder, it builds the demo database and serves the dashboard.

Everything the code reads as a file (rules, catalogs, reference CSVs, SQL, vocabularies, the page scripts)
must ship inside the wheel; an editable install would find a missing one in the checkout and hide the gap.
About a minute: the wheel's build and the install come from uv's cache once `./parboard.sh test` has synced.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.browser import free_port, healthy, stop
from bench.st_session import run, session

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parent.parent
UV = [sys.executable, "-m", "uv"]
# Hang guards only: each step takes seconds, and a step that never finishes fails the test instead of CI.
STEP_TIMEOUT_S = 600
START_TIMEOUT_S = 60.0


def _run(cmd: list[str | Path], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT_S
    )
    assert done.returncode == 0, f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_env() -> dict[str, str]:
    """The caller's environment without what points into the checkout or its virtual environment."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME") and not k.startswith("PARBOARD_")
    }
    # Byte-compile at install: with PYTHONDONTWRITEBYTECODE set, Great Expectations would cost seconds per import.
    env["UV_COMPILE_BYTECODE"] = "1"
    return env


def _source_copy(dest: Path) -> Path:
    """The project's files as git sees them (tracked, or new and not ignored): a build in the checkout would
    leave build/ and *.egg-info behind, and could pick up ignored local data (data/demo/, databases)."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .split("\0")
    )
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():  # a file deleted but not yet staged is still listed
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The bin/ folder of a fresh virtual environment holding the wheel and exactly the locked dependencies."""
    work = tmp_path_factory.mktemp("packaging")
    env = _clean_env()
    source = _source_copy(work / "source")
    _run([*UV, "build", "--wheel", "--quiet", "--out-dir", work / "dist"], source, env)
    (wheel,) = (work / "dist").glob("parboard-*.whl")
    requirements = work / "requirements.txt"
    _run(
        [
            *UV,
            "export",
            "--locked",
            "--no-hashes",
            "--no-emit-project",
            "--no-header",
            "--quiet",
            "--output-file",
            requirements,
        ],
        source,
        env,
    )
    venv = work / "venv"
    _run([*UV, "venv", "--quiet", "--python", sys.executable, venv], work, env)
    _run([*UV, "pip", "install", "--quiet", "--python", venv / "bin" / "python", "-r", requirements, wheel], work, env)
    yield venv / "bin"


def test_the_wheel_holds_no_file_of_the_checkout(installed: Path) -> None:
    """The installed package is imported from the virtual environment, never from the checkout."""
    out = _run(
        [installed / "python", "-c", "import core.paths, dashboard; print(core.paths.DATA, dashboard.__file__)"],
        installed.parent,
        _clean_env(),
    )
    assert str(ROOT) not in out, out
    assert str(installed.parent) in out, out


def test_installed_demo_builds_and_serve_answers(installed: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"  # neither the checkout nor anything below it
    elsewhere.mkdir()
    env = _clean_env()
    db = tmp_path / "x.duckdb"

    out = _run([installed / "parboard", "demo", "--db", db], elsewhere, {**env, "PARBOARD_LANG": "en"})

    assert "PUBLISHED" in out.upper(), out

    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as sink:  # a file, not a pipe: a chatty server never blocks on a full pipe
        proc = subprocess.Popen(
            [installed / "parboard", "serve", "--db", db, "--auth", "off", "--port", str(port)],
            cwd=elsewhere,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not healthy(url):
            assert proc.poll() is None, f"serve exited {proc.returncode}:\n{log.read_text(errors='replace')}"
            assert time.monotonic() < deadline, f"no health answer:\n{log.read_text(errors='replace')}"
            time.sleep(0.2)

        async def pages() -> list:
            async with session(url) as s:
                return [await s.open(page) for page in ("", "rankings", "data", "quality")]

        # The pages run from the installed package: its page scripts, SQL and catalogs are all there.
        for render in run(pages()):
            assert render.ok, (render.page, render.exceptions, render.errors, log.read_text(errors="replace"))
            assert render.content, render.page
    finally:
        stop(proc)
