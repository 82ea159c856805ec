"""The one module that opens the database.

The published database is a symlink (`data/parboard.duckdb`) to an immutable version file
(`data/parboard.duckdb.versions/v000007.duckdb`). A writer copies the current version, changes the copy
inside one transaction, validates it, checkpoints it, and swaps the symlink with `os.replace`, which is
atomic. Readers never see a half-written file, and a refused or killed load leaves the published file
byte-for-byte as it was. Readers open the version file itself (not the symlink), so DuckDB's per-path
instance cache cannot hand them a stale version, and a dashboard keeps serving while a load publishes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

import duckdb

from core.errors import ParboardError
from store.upgrade import upgrade

DEFAULT_DB = Path("data/parboard.duckdb")
KEEP_VERSIONS = 5
SCHEMA_VERSION = "2"
_SQL = Path(__file__).parent / "sql"
_VERSION_FILE = re.compile(r"^v(\d{6})\.duckdb$")

# Extensions other than the built-in ones would be downloaded: refuse at once instead.
CONNECT_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}

# A load's draft: DuckDB's own buffers stay under this, spilling to a folder beside the draft beyond it (by
# default it takes up to 80 % of the machine's memory, on top of the loader's frames). 400 MB kept the national
# load's peak at about 1.2 GB instead of 1.9 GB, at the same CPU time (bench/README.md).
DRAFT_MEMORY_LIMIT = "400MB"


class DatabaseError(ParboardError):
    """A database that cannot be opened or written; `code` is a key in locales/<lang>/problems.toml."""


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--db, else $PARBOARD_DB, else data/parboard.duckdb."""
    value = cli_value or os.environ.get("PARBOARD_DB") or DEFAULT_DB
    return Path(value).expanduser().absolute()


def versions_dir(db: Path) -> Path:
    return db.with_name(db.name + ".versions")


def current_file(db: Path) -> Path | None:
    """The version file the published path points at, or None when nothing is published yet."""
    if db.is_symlink():
        target = db.resolve()
        return target if target.exists() else None
    return db if db.exists() else None


def version_of(file: Path | None) -> int:
    if file is None:
        return 0
    match = _VERSION_FILE.match(file.name)
    return int(match.group(1)) if match else 0


def read_sql(name: str) -> str:
    return (_SQL / f"{name}.sql").read_text(encoding="utf-8")


def connect_read_only(file: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(file), read_only=True, config=CONNECT_CONFIG)


_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)
# DuckDB reports a failed write in its own exceptions, with the system's message in the text.
_DUCKDB_DISK_FULL = ("no space left on device", "disk quota exceeded")
_DUCKDB_READ_ONLY = ("read-only file system", "permission denied", "operation not permitted")


def _os_error(exc: OSError, folder: Path) -> DatabaseError | None:
    """The DatabaseError a failed write to folder stands for, or None when it is something else."""
    if exc.errno in _DISK_FULL:
        return DatabaseError("db_disk_full", folder=str(folder))
    if exc.errno in _READ_ONLY:
        return DatabaseError("db_read_only", folder=str(folder))
    return None


def _duckdb_error(exc: duckdb.Error, folder: Path) -> DatabaseError | None:
    text = str(exc).lower()
    if any(marker in text for marker in _DUCKDB_DISK_FULL):
        return DatabaseError("db_disk_full", folder=str(folder))
    if any(marker in text for marker in _DUCKDB_READ_ONLY):
        return DatabaseError("db_read_only", folder=str(folder))
    return None


def _raise_mapped(exc: BaseException, mapped: DatabaseError | None) -> NoReturn:
    if mapped is None:
        raise exc
    raise mapped from exc


@contextlib.contextmanager
def writer_lock(db: Path) -> Iterator[None]:
    """One writer at a time per database; a second `parboard load` waits rather than racing.

    The lock is an flock on a file beside the database: the kernel releases it when the writer's process
    ends, however it ends (a killed load leaves no lock behind)."""
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        lock = open(db.with_name(db.name + ".lock"), "a+")  # noqa: SIM115 - closed below, after the unlock
    except OSError as exc:
        _raise_mapped(exc, _os_error(exc, db.parent))
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class Draft:
    """A candidate version: a private copy of the current database, open read-write."""

    def __init__(self, db: Path, path: Path, version: int, con: duckdb.DuckDBPyConnection):
        self.db = db
        self.path = path
        self.version = version
        self.con = con
        self.kept: Path | None = None

    def keep_as(self, path: Path) -> None:
        """Keep this draft at path when the block then raises (a check that passed), instead of discarding it:
        publish_kept can publish it later, as it is, while the published version is still its base."""
        self.con.sql("CHECKPOINT")
        self.kept = path


def _check_writable(folder: Path) -> None:
    if not os.access(folder, os.W_OK):
        raise DatabaseError("db_read_only", folder=str(folder))


@contextlib.contextmanager
def draft(db: Path, *, fresh: bool = False) -> Iterator[Draft]:
    """Yield a Draft; publish it if the block returns, discard it if the block raises (or keep it where
    `Draft.keep_as` said).

    fresh: start from an empty database instead of a copy of the current one (demo, init); the
    previous versions stay on disk until collected, so the swap can still be undone by hand.

    Call `Draft.con` only inside the block. Raising anything (a refused load included) leaves the
    published database untouched.
    """
    with writer_lock(db):
        folder = _versions_folder(db)
        current = None if fresh else current_file(db)
        version = _next_version(db, folder)
        _remove_leftovers(db, folder)
        tmp = _new_draft_file(folder, version)
        d: Draft | None = None
        try:
            if current is not None:
                shutil.copyfile(current, tmp)
            else:
                tmp.unlink()  # DuckDB creates the file itself
            con = _connect_draft(tmp)
            try:
                schema = read_sql("schema")
                digest = hashlib.sha256(schema.encode()).hexdigest()
                if current is None:
                    con.sql(schema)
                elif _stored_schema(con) != digest:  # written by another release: bring it up to this schema
                    upgrade(con, schema, CONNECT_CONFIG)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?), ('schema_sha256', ?)",
                    [SCHEMA_VERSION, digest],
                ).fetchall()
                d = Draft(db, tmp, version, con)
                yield d
                _seal(con, version)
            finally:
                con.close()
            _swap_in(db, folder, tmp, version)
        except BaseException as exc:
            if d is not None and d.kept is not None and not isinstance(exc, (OSError, duckdb.Error)):
                _keep(tmp, d.kept)
            else:
                _discard(tmp)
            _raise_write_error(exc, folder)
            raise
        _collect_old_versions(folder, keep=KEEP_VERSIONS)


def publish_kept(
    db: Path, kept: Path, base_version: int, finish: Callable[[duckdb.DuckDBPyConnection], None]
) -> int | None:
    """Publish a draft a check kept (`Draft.keep_as`) as the next version, after finish(con) has written what
    belongs to the publish itself (who published, when); its version number, or None, leaving everything as it
    was, when the published version is no longer base_version or the kept draft is gone (the caller then loads
    again). The same writer lock, seal and swap as `draft`."""
    with writer_lock(db):
        folder = _versions_folder(db)
        if version_of(current_file(db)) != base_version or not kept.is_file():
            return None
        version = _next_version(db, folder)
        _remove_leftovers(db, folder)
        tmp = _new_draft_file(folder, version)
        try:
            os.replace(kept, tmp)
            con = _connect_draft(tmp)
            try:
                finish(con)
                _seal(con, version)
            finally:
                con.close()
            _swap_in(db, folder, tmp, version)
        except BaseException as exc:
            _discard(tmp)
            _raise_write_error(exc, folder)
            raise
        _collect_old_versions(folder, keep=KEEP_VERSIONS)
        return version


def _versions_folder(db: Path) -> Path:
    folder = versions_dir(db)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _raise_mapped(exc, _os_error(exc, db.parent))
    _check_writable(folder)
    return folder


def _next_version(db: Path, folder: Path) -> int:
    existing = [version_of(p) for p in folder.glob("v*.duckdb")]
    return max([version_of(current_file(db)), *existing]) + 1


def _new_draft_file(folder: Path, version: int) -> Path:
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".v{version:06d}-", suffix=".duckdb", dir=folder)
    except OSError as exc:
        _raise_mapped(exc, _os_error(exc, folder))
    os.close(fd)
    return Path(tmp_name)


def _connect_draft(file: Path) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(file), config={**CONNECT_CONFIG, "memory_limit": DRAFT_MEMORY_LIMIT})


def _seal(con: duckdb.DuckDBPyConnection, version: int) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('db_version', ?)", [str(version)]).fetchall()
    con.sql("CHECKPOINT")


def _swap_in(db: Path, folder: Path, tmp: Path, version: int) -> None:
    final = folder / f"v{version:06d}.duckdb"
    _fsync(tmp)
    os.replace(tmp, final)
    _swap_symlink(db, final)


def _keep(tmp: Path, kept: Path) -> None:
    """Move a checked draft to where its check keeps it; a draft that cannot be kept is discarded (the publish
    then loads again)."""
    try:
        os.replace(tmp, kept)
    except OSError:
        _discard(tmp)


def _raise_write_error(exc: BaseException, folder: Path) -> None:
    """A full or read-only disk, met by a write of ours or by DuckDB's own (the draft's log, the checkpoint), as
    the DatabaseError it stands for; anything else is left to the caller to raise."""
    if isinstance(exc, OSError):
        _raise_mapped(exc, _os_error(exc, folder))
    if isinstance(exc, duckdb.Error):
        _raise_mapped(exc, _duckdb_error(exc, folder))


def _stored_schema(con: duckdb.DuckDBPyConnection) -> str | None:
    """The SHA-256 of the schema the database was last published with (None before it was recorded)."""
    rows = con.sql("SELECT value FROM meta WHERE key = 'schema_sha256'").fetchall()
    return rows[0][0] if rows else None


def _remove_leftovers(db: Path, folder: Path) -> None:
    """What a killed writer left (it holds no lock, so nothing else writes these): its draft and the draft's
    log, its half-made link, and a version file it renamed but never published. Only files above the
    published version are unpublished; older ones are history and are kept."""
    for stale in [*folder.glob(".v*.duckdb*"), *db.parent.glob(f".{db.name}.*.link")]:
        with contextlib.suppress(OSError):
            stale.unlink()
    published = version_of(current_file(db))
    if published == 0:  # nothing published from this folder: every version file there is someone's history
        return
    for file in folder.glob("v*.duckdb"):
        if version_of(file) > published:
            with contextlib.suppress(OSError):
                file.unlink()


def _discard(tmp: Path) -> None:
    for path in (tmp, tmp.with_name(tmp.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_symlink(db: Path, target: Path) -> None:
    link_tmp = db.with_name(f".{db.name}.{os.getpid()}.link")
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    os.symlink(os.path.relpath(target, db.parent), link_tmp)
    os.replace(link_tmp, db)
    dir_fd = os.open(db.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _collect_old_versions(folder: Path, keep: int) -> None:
    """Keep the newest versions (a reader may still hold one open; Linux keeps its inode alive)."""
    files = sorted(folder.glob("v*.duckdb"), key=version_of)
    for old in files[:-keep]:
        with contextlib.suppress(OSError):
            old.unlink()
