"""A load killed at any moment, a full disk, a read-only data folder: the published database always opens,
passes the checks, and holds either what it held before the load or what the load would have published.

The loads are the real `parboard load` command in a child process on private copies of the locality demo;
the kills are SIGKILL at seeded random times spread over a whole load (start-up, reading, checks, the swap).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from checks_helpers import copy_published, fingerprint
from db_state import content_fingerprint

from checks.run import run_checks
from store.check_frames import suite_frames
from store.db import DatabaseError, connect_read_only, current_file, draft, versions_dir

KILLS = 20
SEED = 20261122
LOAD_TIMEOUT = 120  # seconds; a load of one small file takes about 4


def _load(db: Path, file: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PARBOARD_LANG": "en"}
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "load", "--db", str(db), str(file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )


def _run_load(db: Path, file: Path) -> tuple[int, str]:
    proc = _load(db, file)
    out, _ = proc.communicate(timeout=LOAD_TIMEOUT)
    return proc.returncode, out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def changed_scores(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's 2024 department scores with every self-assessed score set to the appraised one: 174 rows
    change, all within the framework, so the load publishes."""
    source = demo_db.parent / f"{demo_db.stem}.inputs" / "demo-locality" / "scores_department_2024.csv"
    with open(source, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    out = tmp_path_factory.mktemp("faults") / "scores_department_2024_revised.csv"
    with open(out, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([rows[0], *([*r[:4], r[5] or r[4], *r[5:]] for r in rows[1:])])
    return out


def _leftovers(db: Path) -> list[str]:
    """Files a writer makes and must not leave: drafts, their logs, half-made links, unpublished versions."""
    published = current_file(db)
    folder = versions_dir(db)
    names = [p.name for p in folder.glob(".v*")] + [p.name for p in db.parent.glob(f".{db.name}.*.link")]
    names += [p.name for p in folder.glob("v*.duckdb") if published is not None and p.name > published.name]
    return sorted(names)


def _lock_is_free(db: Path) -> bool:
    with open(db.with_name(db.name + ".lock"), "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def _phase(db: Path, link_before: str, returncode: int) -> str:
    """Where the killed load was, told from what it left on disk (the files do not move once it is dead)."""
    if returncode == 0:
        return "finished"
    if str(db.readlink()) != link_before:
        return "swapped"
    folder = versions_dir(db)
    if any(p.name > Path(link_before).name for p in folder.glob("v*.duckdb")):
        return "renamed, not swapped"
    if list(folder.glob(".v*.wal")):
        return "draft being written"
    if list(folder.glob(".v*")):
        return "draft copied"
    return "starting"


def _checks_pass(db: Path) -> bool:
    file = current_file(db)
    assert file is not None
    con = connect_read_only(file)
    try:
        with suite_frames(con) as frames:
            return run_checks(frames).failed("error") == 0
    finally:
        con.close()


def _killed_then_completed(template: Path, folder: Path, scores: Path) -> tuple[Path, float]:
    """A load killed with its draft half-written, then the same load again: the second completes, cleans what
    the first left, and gives the "after" state and how long a whole load takes."""
    db = copy_published(template, folder)
    proc = _load(db, scores)
    deadline = time.monotonic() + LOAD_TIMEOUT
    while not list(versions_dir(db).glob(".v*.wal")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _leftovers(db), "the first kill was meant to leave a half-written draft"
    started = time.monotonic()
    code, out = _run_load(db, scores)
    whole = time.monotonic() - started
    assert code == 0 and "PUBLISHED" in out.upper(), out
    assert _leftovers(db) == []
    assert _lock_is_free(db)
    return db, whole


def _kill(template: Path, folder: Path, scores: Path, delay: float, link_before: str) -> tuple[Path, str, tuple]:
    """Start a load on a fresh copy, SIGKILL it after delay seconds: the copy, where the load was, the state."""
    db = copy_published(template, folder)
    proc = _load(db, scores)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=delay)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    phase = _phase(db, link_before, proc.returncode)
    state = content_fingerprint(db)  # opens the published file read-only
    assert _lock_is_free(db), f"killed at {delay:.2f} s ({phase}): the writer's lock is still held"
    return db, phase, state


def test_a_load_killed_at_any_moment_leaves_the_before_or_the_after_state(
    demo_db: Path, changed_scores: Path, tmp_path: Path
) -> None:
    template = copy_published(demo_db, tmp_path / "template")
    before = content_fingerprint(template)
    link_before = str(template.readlink())
    first, whole = _killed_then_completed(template, tmp_path / "first", changed_scores)
    after = content_fingerprint(first)
    assert after != before

    # One kill at a time: two side by side on this two-core machine took as long in all (a load keeps a core
    # busy), and the kill times would then depend on how the two happened to share the cores.
    rng = random.Random(SEED)
    delays = [rng.uniform(0, 1.1 * whole) for _ in range(KILLS)]
    outcomes = []
    checked: dict[tuple, bool] = {}
    for i, delay in enumerate(delays):
        db, phase, state = _kill(template, tmp_path / f"kill{i:02d}", changed_scores, delay, link_before)
        assert state in (before, after), f"killed at {delay:.2f} s ({phase}): neither the before nor the after state"
        # The suites take about a second and every kill ends in one of two states: each distinct state is
        # checked once, on the first copy that ends in it.
        if state not in checked:
            checked[state] = _checks_pass(db)
        assert checked[state], f"killed at {delay:.2f} s ({phase}): the published data fails the checks"
        outcomes.append((phase, "after" if state == after else "before"))
        shutil.rmtree(db.parent)

    phases = Counter(phase for phase, _ in outcomes)
    ends = Counter(end for _, end in outcomes)
    print(f"\nwhole load {whole:.2f} s; {KILLS} kills by phase: {dict(phases)}; published state: {dict(ends)}")
    assert phases["draft being written"] + phases["draft copied"] > 0, phases


# --- a full disk, a read-only folder ------------------------------------------------------------------------
# Both need a real file system that refuses writes: a small tmpfs, and a read-only bind mount (as root, file
# modes do not stop a write). CI runs as root on the same kind of machine; without mount the tests fail,
# saying why, rather than pass unchecked.


@contextlib.contextmanager
def _mount(*args: str) -> Iterator[None]:
    target = args[-1]
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"mount {' '.join(args)} failed ({done.stderr.strip()}): these tests need root and mount(8)")
    try:
        yield
    finally:
        subprocess.run(["umount", target], capture_output=True)


def _fill(folder: Path, leave: int) -> None:
    """Take the free space of folder's file system down to about `leave` bytes."""
    stat = os.statvfs(folder)
    free = stat.f_bavail * stat.f_frsize
    with open(folder / "filler", "wb") as fh:
        fh.truncate(0)
        chunk = b"\0" * 2**20
        left = free - leave
        while left > 0:
            left -= fh.write(chunk[: min(len(chunk), left)])


def test_a_full_disk_refuses_the_load_with_a_clear_message_and_loses_nothing(
    demo_db: Path, changed_scores: Path, tmp_path: Path
) -> None:
    """Room for the draft's copy of the database, not for the load's writes into it."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    size = current_file(demo_db).stat().st_size
    with _mount("-t", "tmpfs", "-o", f"size={(2 * size + 2**22) // 1024}k", "tmpfs", str(folder)):
        db = copy_published(demo_db, folder)
        before = fingerprint(db)
        _fill(folder, size + 2**18)

        code, out = _run_load(db, changed_scores)

        assert code == 1, out
        assert f"The disk is full while writing to {versions_dir(db)}" in out, out
        assert "Free some space and load again" in out
        assert "Traceback" not in out
        assert fingerprint(db) == before
        assert _leftovers(db) == []
        assert _lock_is_free(db)


@pytest.mark.parametrize(
    ("slack", "cause"),
    [(-(2**20), OSError), (2**20, duckdb.Error)],
    ids=["no-room-for-the-copy", "room-for-the-copy-not-for-the-writes"],
)
def test_a_draft_without_room_is_a_clear_error(sample_db: Path, tmp_path: Path, slack: int, cause: type) -> None:
    """Copying the database fails with OSError; DuckDB reports a failed write with its own exception. Either
    way the draft raises db_disk_full naming the folder, and leaves nothing behind."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    size = current_file(sample_db).stat().st_size
    with _mount("-t", "tmpfs", "-o", f"size={(2 * size + 2**22) // 1024}k", "tmpfs", str(folder)):
        db = copy_published(sample_db, folder)
        before = fingerprint(db)
        _fill(folder, size + slack)
        with pytest.raises(DatabaseError) as raised, draft(db) as d:
            d.con.sql("CREATE TABLE filler AS SELECT range AS i, md5(range::VARCHAR) AS s FROM range(1000000)")
        assert raised.value.code == "db_disk_full"
        assert raised.value.params == {"folder": str(versions_dir(db))}
        assert isinstance(raised.value.__cause__, cause)
        assert fingerprint(db) == before
        assert _leftovers(db) == []


def test_a_read_only_data_folder_refuses_the_load_with_a_clear_message(
    demo_db: Path, changed_scores: Path, tmp_path: Path
) -> None:
    writable = copy_published(demo_db, tmp_path / "data").parent
    before = fingerprint(writable / demo_db.name)
    view = tmp_path / "read-only"
    view.mkdir()
    with _mount("--bind", str(writable), str(view)), _mount("-o", "remount,ro,bind", str(view)):
        db = view / demo_db.name

        code, out = _run_load(db, changed_scores)

        assert code == 1, out
        assert f"Cannot write to the data folder {view}: it is read-only" in out, out
        assert "Make the folder writable or choose --db in another folder" in out
        assert "Traceback" not in out
        assert fingerprint(db) == before
    assert fingerprint(writable / demo_db.name) == before
    assert _leftovers(writable / demo_db.name) == []
