"""One load, start to finish: files → etl (read, map) → checks → store (apply, derive) → suites → publish.

All or nothing: the load works on a private copy of the database and publishes it only when every file
was read and every check passed; otherwise the published database is left exactly as it was. The
data-quality suites (checks/run.py, on the frames of store/check_frames.py) validate the draft after the
derived results are rebuilt, so they see exactly what would be published: an error refuses the load, warnings
are stored in the new version (store/check_log.py). Every outcome is logged beside the database
(store/quality_log.py), refused files with their rows in quarantine.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from checks import limits
from checks.stage import check_incoming
from etl import source
from etl.mapper import LoadContext, map_table
from etl.mapping import Mapping
from etl.problems import InputError, Problem, Severity, Term, grouped, shown
from etl.readers import read_file
from etl.rules import is_rules_file, read_rules

if TYPE_CHECKING:
    from checks.findings import Finding
    from checks.run import CheckRun
from store import publish, quality_log
from store.check_frames import LOAD_ROWS_SCHEMA, LoadScope, suite_frames
from store.check_log import finding_key, known_findings, record
from store.db import DatabaseError, Draft, current_file, draft, publish_kept, version_of

Progress = Callable[[str], None]
# Tables whose change alters what later files in the same load can refer to.
_CONTEXT_TABLES = {"unit", "framework", "framework_item", "person"}
# Findings of one rule printed with a load; the rest are counted (all are stored and shown by `parboard check`).
_PRINTED_PER_RULE = 5


@dataclass
class FileReport:
    file_name: str
    sheet: str | None
    table: str
    layout: str
    rows: int


@dataclass
class LoadReport:
    status: str  # published | refused | unchanged; a dry run: checked | refused | unchanged; stale (see load_files)
    version: int | None = None
    counts: publish.Counts = field(default_factory=publish.Counts)
    files: list[FileReport] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    checks: CheckRun | None = None  # the suites' run on the draft, when the load got that far
    sources: list[tuple[Path, str]] = field(default_factory=list)  # (file, sha256) of every file read
    claims: list[Claims] = field(default_factory=list)  # keys and value hashes each file sent (see _claims)
    changes: dict[str, list[publish.Change]] = field(default_factory=dict)  # a dry run: a few changed rows per table
    against: int | None = None  # the published version the load started from
    derived: str | None = None  # which derived results the load rebuilt: all | unit_years | nothing
    kept: KeptCheck | None = None  # a dry run given `keep`: its checked draft, for publish_checked

    @property
    def published(self) -> bool:
        return self.status == "published"


@dataclass(frozen=True)
class KeptCheck:
    """A checked draft kept on disk: what publish_checked needs to publish it without loading again."""

    path: Path
    load_id: int
    started: datetime
    summary: str


class _Refused(Exception):
    pass


class _Unchanged(Exception):
    pass


class _DryRun(Exception):
    """Everything ran and passed on the draft; raised to discard it instead of publishing."""


class _Stale(Exception):
    """The published version is not the one the caller checked against."""


def _context(con) -> LoadContext:
    f = publish.context_frames(con)
    return LoadContext(f["units"], f["frameworks"], f["items"], f["persons"])


def load_files(
    db: Path,
    files: list[Path],
    *,
    mapping: Mapping | None = None,
    command: str = "load",
    synthetic: bool = False,
    meta: dict[str, str] | None = None,
    loaded_by: str | None = None,
    progress: Progress | None = None,
    fresh: bool = False,
    dry_run: bool = False,
    expect_version: int | None = None,
    replace: bool = False,
    keep: Path | None = None,
) -> LoadReport:
    """Load files into a draft and publish it when everything passed.

    dry_run: do everything (read, map, check, derive, the suites, the counts) and then discard the draft:
    status "checked" when it would have published, with `changes` holding a few changed rows per table;
    no version is written and nothing is recorded in the quality log (the caller records the check).
    expect_version: publish only if the published version is still this one (checked under the writer's
    lock), else status "stale" and nothing changes.
    replace: each unit-year a file gives scores for is replaced whole (criteria it does not give are removed,
    and counted in a note); without it a unit-year given with fewer criteria than its framework is a patch.
    keep: with dry_run, a draft that passed is kept at this path (report.kept) instead of discarded.
    """
    mapping = mapping or Mapping()
    report = LoadReport(status="refused")
    say = progress or (lambda _msg: None)
    started = datetime.now()
    try:
        with draft(db, fresh=fresh) as d:
            con = d.con
            report.against = version_of(current_file(db))
            if expect_version is not None and report.against != expect_version:
                raise _Stale
            load_id = publish.next_id(con, "load_run", "load_id")
            ctx = _context(con)
            for path in files:
                say(str(shown(path.name)))
                touched = _load_one(con, path, mapping, ctx, load_id, started, synthetic, report, replace)
                if touched & _CONTEXT_TABLES:
                    ctx = _context(con)
            if report.errors:
                raise _Refused
            report.notes.extend(_replacement_notes(report.counts))
            report.derived = publish.derive(con, None if fresh else report.counts)
            if report.counts.touched == 0 and not meta:
                raise _Unchanged
            _run_suites(con, load_id, report, None if fresh else current_file(db))
            if report.errors:
                raise _Refused
            summary = ", ".join(f"{f.file_name}{' › ' + f.sheet if f.sheet else ''}" for f in report.files)[:2000]
            if dry_run:
                _end_dry_run(d, load_id, started, summary, report, keep)
            for key, value in (meta or {}).items():
                publish.set_meta(con, key, value)
            publish.record_load(con, load_id, command, started, report.counts, summary, loaded_by)
            report.version = d.version
        report.status = "published"
    except _Refused:
        report.status = "refused"
    except _Unchanged:
        report.status = "unchanged"
    except _DryRun:
        report.status = "checked"
    except _Stale:
        report.status = "stale"
    except DatabaseError as exc:
        report.status = "refused"
        report.errors.append(Problem(exc.code, params=dict(exc.params)))
    if not dry_run and report.status != "stale":
        _log(db, report, command, started, loaded_by)
    # The log keeps every cell; the reader gets one message per cause, whichever step found it.
    report.errors = grouped(report.errors)
    report.notes = grouped(report.notes)
    return report


def _end_dry_run(
    d: Draft, load_id: int, started: datetime, summary: str, report: LoadReport, keep: Path | None
) -> None:
    """A dry run that passed: a few changed rows for the reader, the draft kept if asked, then _DryRun."""
    report.changes = publish.changed_examples(d.con, load_id)
    if keep is not None:
        d.keep_as(keep)
        report.kept = KeptCheck(keep, load_id, started, summary)
    raise _DryRun


def publish_checked(db: Path, report: LoadReport, *, command: str, loaded_by: str | None) -> bool:
    """Publish the draft a dry run kept (report.kept), as it was checked, when the published version is still
    the one it was checked against: the publish then costs a file move and the load's record, not a second
    load. False when it could not (the version moved on, the draft is gone): nothing changed, load again."""
    kept = report.kept
    if kept is None or report.status != "checked" or report.against is None:
        return False

    def finish(con) -> None:
        publish.record_load(con, kept.load_id, command, kept.started, report.counts, kept.summary, loaded_by)

    version = publish_kept(db, kept.path, report.against, finish)
    if version is None:
        return False
    report.status, report.version, report.kept = "published", version, None
    _log(db, report, command, kept.started, loaded_by)
    return True


def _kind_changes(con, units: pl.DataFrame, file_name: str, sheet: str | None, labels: dict[str, str]) -> list[Problem]:
    """A units file may not turn a unit with scores into another kind: its scores would stay under the old
    kind's framework, compared with units it no longer belongs with."""
    return [
        Problem(
            "unit_kind_change_with_results",
            file=file_name,
            sheet=sheet,
            row=u.source_row,
            column=labels.get("kind"),
            params={
                "unit_code": u.unit_code,
                "name": u.name,
                "old_kind": Term(f"cli.kind.{u.old_kind}"),
                "new_kind": Term(f"cli.kind.{u.new_kind}"),
                "years": u.years,
            },
        )
        for u in publish.units_changing_kind(con, units)
    ]


def _replacement_notes(counts: publish.Counts) -> list[Problem]:
    """A load that replaced unit-years says how many scored criteria it removed with them."""
    if not counts.scores_removed:
        return []
    return [Problem("scores_removed", severity="warning", params={"count": counts.scores_removed})]


def _summarised(findings: Sequence[Problem]) -> list[Problem]:
    """The findings of one rule in one column of one file as one message, and at most a few messages per rule."""
    out: list[Problem] = []
    per_rule: dict[str, int] = {}
    for f in grouped(findings):
        per_rule[f.code] = per_rule.get(f.code, 0) + 1
        if per_rule[f.code] <= _PRINTED_PER_RULE:
            out.append(f)
    return out


def _run_suites(con, load_id: int, report: LoadReport, base: Path | None) -> None:
    """The data-quality suites on the draft; base, the published version it was copied from (None for a fresh
    database). A load that changed scores only checks the per-unit-year suites on its unit-years alone."""
    from checks.run import run_checks

    known = known_findings(con)  # the draft still holds the published version's check log
    conflicts = _conflicting_claims(report.claims)
    report.claims = []  # every file's keys, no longer needed: freed before the suites' frames are made
    scope = None  # the unit-years a load changed scores of, for the suites that can check them alone
    if report.derived == "unit_years" and base is not None:
        scope = LoadScope(publish.derived_unit_years(con), base)
    unit_years = None if scope is None else scope.unit_years
    with suite_frames(con, load_id=load_id, load_rows=conflicts, scope=scope) as frames:
        run = run_checks(frames, touched=_touched_tables(report))
    report.checks = run
    # A warning the published version already had (same rule, table, unit, year, item) is not news: it is
    # counted in one line, and only the new ones are listed.
    standing = [f for f in run.warnings if finding_key(f) in known]
    # what this run itself found per rule: nothing in a carried suite, the load's unit-years' in a scoped one
    found = {
        r.rule: 0 if r.suite in run.carried else run.scoped.get(r.suite, {}).get(r.rule, r.failed) for r in run.results
    }
    sides: list[tuple[Severity, list[Finding], list[Problem]]] = [
        ("error", run.errors, report.errors),
        ("warning", [f for f in run.warnings if finding_key(f) not in known], report.notes),
    ]
    for severity, findings, out in sides:
        printed = _summarised(findings)
        out.extend(printed)
        covered: dict[str, int] = {}
        for p in printed + (standing if severity == "warning" else []):
            covered[p.code] = covered.get(p.code, 0) + p.count
        out.extend(
            Problem(
                "dq_more_findings",
                severity=severity,
                params={"count": found[r.rule] - covered.get(r.rule, 0), "rule": r.rule},
            )
            for r in run.results
            if r.suite not in run.carried
            and (r.severity == "error") == (severity == "error")
            and found[r.rule] > covered.get(r.rule, 0)
        )
    # the suites whose tables the load left alone, and the unit-years it left alone, found what they found before
    unchanged = len(standing) + sum(r.failed - found[r.rule] for r in run.results)
    if unchanged:
        report.notes.append(Problem("dq_known_unchanged", severity="info", params={"count": unchanged}))
    if not run.errors:
        record(con, run, load_id, unit_years)


def _touched_tables(report: LoadReport) -> frozenset[str] | None:
    """The tables this load changed, the derived ones it rebuilt and its own files ("load"); None (every suite
    runs) when it rebuilt every derived result, which a new framework or a fresh database does."""
    if report.derived == "all":
        return None
    changed = {t for t, c in report.counts.per_table.items() if c["new"] or c["changed"] or c["removed"]}
    if report.derived == "unit_years":
        changed |= set(publish.DERIVED)
    return frozenset(changed | {"load"})


# What each file claimed, in the shape the conflicts suite reads (registered as check_load_rows).
_CLAIM_COLUMNS = LOAD_ROWS_SCHEMA
# What a file's claims keep per row until the suites: the columns that differ from row to row, and a hash of the
# key to find the keys two files share without comparing every key's text.
_ROW_COLUMNS = ("key_text", "value_hash", "unit_code", "year", "item_code", "source_row")


@dataclass
class Claims:
    """The keys one file sent for one table, with a hash of their values and their rows; the columns that are
    the same on every row (table, file, sheet, its place in the load) are kept once, not once per row.

    The rows are held packed (Arrow IPC, LZ4) from the file's merge until the suites: a national load's claims
    took 208 MB unpacked, held through every later file and the derive."""

    table: str
    file_name: str
    sheet: str | None
    ordinal: int
    packed: bytes  # _ROW_COLUMNS and key_hash

    @classmethod
    def of(cls, table: str, file_name: str, sheet: str | None, ordinal: int, rows: pl.DataFrame) -> Claims:
        buffer = io.BytesIO()
        rows.write_ipc(buffer, compression="lz4")
        return cls(table, file_name, sheet, ordinal, buffer.getvalue())

    def rows(self, columns: Sequence[str] | None = None) -> pl.DataFrame:
        """The rows unpacked, only the given columns if any (the others are not decompressed)."""
        return pl.read_ipc(self.packed, columns=list(columns) if columns else None)

    def frame(self, rows: pl.DataFrame) -> pl.DataFrame:
        """These rows (some of self.rows()) in the shape of check_load_rows."""
        return rows.select(
            pl.lit(self.table).alias("table_name"),
            "key_text",
            "value_hash",
            "unit_code",
            "year",
            "item_code",
            pl.lit(self.file_name).alias("file_name"),
            pl.lit(self.sheet).alias("sheet"),
            "source_row",
            pl.lit(self.ordinal).alias("ordinal"),
        ).cast(_CLAIM_COLUMNS)


def _claims(table: str, frame: pl.DataFrame, file_name: str, sheet: str | None, ordinal: int) -> Claims:
    """What one file says about each key of a table: the key and a hash of the values, with the row."""
    key = publish.TABLE_KEYS[table][0]
    values = [c for c in frame.columns if c not in key and c not in ("source_id", "source_row", "_label")]
    schema = {c: _CLAIM_COLUMNS[c] for c in _ROW_COLUMNS} | {"key_hash": pl.UInt64}
    if not all(k in frame.columns for k in key) or not values:
        return Claims.of(table, file_name, sheet, ordinal, pl.DataFrame(schema=schema))
    optional = {c: (pl.col(c) if c in frame.columns else pl.lit(None)) for c in ("unit_code", "year", "item_code")}
    rows = frame.select(
        pl.concat_str([pl.col(k).cast(pl.String).fill_null("") for k in key], separator="|").alias("key_text"),
        pl.struct(values).hash().alias("value_hash"),
        *(expr.alias(name) for name, expr in optional.items()),
        (pl.col("source_row") if "source_row" in frame.columns else pl.lit(None)).alias("source_row"),
    ).cast({c: _CLAIM_COLUMNS[c] for c in _ROW_COLUMNS})
    return Claims.of(table, file_name, sheet, ordinal, rows.with_columns(pl.col("key_text").hash().alias("key_hash")))


def _conflicting_claims(claims: list[Claims]) -> pl.DataFrame:
    """Only the keys that two files of this load give different values for (usually none).

    The keys are first grouped by their hash, which two files' rows of one key always share: only the rows of a
    hash that two files give with different values are then compared by the key's text. Only hashes given more
    than once are grouped: grouping every key of a national load (three million, nearly all given once) held
    half a gigabyte for a moment."""
    shared: dict[str, pl.Series] = {}
    for table in dict.fromkeys(c.table for c in claims):
        hashes = pl.concat(
            c.rows(("key_hash", "value_hash")).with_columns(pl.lit(c.ordinal, dtype=pl.Int32).alias("ordinal"))
            for c in claims
            if c.table == table
        )
        hashes = hashes.filter(pl.col("key_hash").is_duplicated())
        shared[table] = (
            hashes.group_by("key_hash")
            .agg(pl.col("ordinal").n_unique().alias("files"), pl.col("value_hash").n_unique().alias("versions"))
            .filter((pl.col("files") > 1) & (pl.col("versions") > 1))
            .get_column("key_hash")
        )
    maybe = [
        c.frame(c.rows().filter(pl.col("key_hash").is_in(shared[c.table].implode())))
        for c in claims
        if shared[c.table].len()
    ]
    if not maybe:
        return pl.DataFrame(schema=_CLAIM_COLUMNS)
    frame = pl.concat(maybe)
    clash = (
        frame.group_by("table_name", "key_text")
        .agg(pl.col("ordinal").n_unique().alias("files"), pl.col("value_hash").n_unique().alias("versions"))
        .filter((pl.col("files") > 1) & (pl.col("versions") > 1))
        .select("table_name", "key_text")
    )
    return frame.join(clash, on=["table_name", "key_text"], how="semi")


def _problem_entry(p: Problem) -> dict:
    entry = {
        "rule": p.code,
        "severity": p.severity,
        "file": p.file,
        "sheet": p.sheet,
        "row": p.row,
        "column": p.column,
        "message_vi": p.message("vi"),
        "message_en": p.message("en"),
    }
    for name in ("table_name", "unit_code", "year", "item_code"):
        entry[name] = getattr(p, name, None)
    return entry


def _log(db: Path, report: LoadReport, command: str, started: datetime, loaded_by: str | None) -> None:
    """Record the load beside the database; a log that cannot be written never changes the outcome."""
    try:
        refused = report.status == "refused"
        files = [
            {"name": path.name, "sha256": sha, "kept": quality_log.keep_file(db, path, sha) if refused else None}
            for path, sha in report.sources
        ]
        run = report.checks
        problems: Sequence[Problem] = report.errors if refused else [p for p in report.notes if p.severity != "info"]
        if run is not None and not refused:
            problems = run.findings  # every stored finding, not only those printed
        quality_log.record_run(
            db,
            {
                "kind": "load",
                "command": command,
                "status": report.status,
                "at": started.isoformat(),
                "by": loaded_by or publish.current_user(),
                "version": report.version,
                "files": files,
                "errors": len(report.errors),
                "warnings": run.failed("warning") if run else sum(p.severity == "warning" for p in report.notes),
                "seconds": run.seconds if run else None,
                "results": [r.__dict__ for r in run.results] if run else [],
                "problems": [_problem_entry(p) for p in problems],
            },
        )
    except OSError:
        pass


def _load_one(
    con,
    path: Path,
    mapping: Mapping,
    ctx: LoadContext,
    load_id: int,
    started: datetime,
    synthetic: bool,
    report: LoadReport,
    replace: bool = False,
) -> set[str]:
    """Read, map, check and apply one file; returns the tables it wrote. Problems go into the report."""
    # A directory, a FIFO or a device is named for what it is before its size is asked (a FIFO's is 0).
    not_a_file = source.path_problem(path, path.name)
    if not_a_file is not None:
        report.errors.append(not_a_file)
        return set()
    too_big = limits.check_size(path)
    if too_big is not None:
        report.errors.append(too_big)
        return set()
    try:
        raw_bytes = source.read_bytes(path, path.name)
    except InputError as exc:
        report.errors.extend(exc.problems)
        return set()
    sha = hashlib.sha256(raw_bytes).hexdigest()
    report.sources.append((path, sha))
    too_long = limits.check_rows(path, raw_bytes)
    if too_long is not None:
        report.errors.append(too_long)
        return set()
    touched: set[str] = set()
    if is_rules_file(raw_bytes):
        try:
            kind, frames = read_rules(raw_bytes, path.name)
        except InputError as exc:
            report.errors.extend(exc.problems)
            return touched
        rows = sum(f.height for f in frames.values())
        source_id = publish.add_source(con, load_id, path.name, sha, None, kind, "rules", rows)
        for table, frame in frames.items():
            publish.apply_rows(
                con, table, frame, load_id=load_id, source_id=source_id, counts=report.counts, changed_at=started
            )
            touched.add(table)
        report.files.append(FileReport(path.name, None, kind, "rules", rows))
        return touched
    try:
        tables = read_file(
            path,
            sheet=mapping.sheet,
            header_row=mapping.header_row,
            header_depth=mapping.header_depth,
            limits=limits.read_limits(),
        )
    except InputError as exc:
        report.errors.extend(exc.problems)
        return touched
    for raw in tables:
        try:
            mapped = map_table(raw, mapping, ctx)
        except InputError as exc:
            report.errors.extend(exc.problems)
            continue
        report.notes.extend(mapped.notes)
        problems = check_incoming(mapped)
        report.errors.extend(p for p in problems if p.severity == "error")
        report.notes.extend(p for p in problems if p.severity != "error")
        if report.errors:
            continue
        source_id = publish.add_source(
            con, load_id, raw.file_name, sha, raw.sheet, mapped.spec.name, mapped.layout, mapped.frame.height
        )
        frames = mapped.target_frames()
        if "unit" in frames and (
            changed := _kind_changes(con, frames["unit"], raw.file_name, raw.sheet, mapped.labels)
        ):
            report.errors.extend(changed)
            continue
        for table, frame in frames.items():
            if table == "unit":
                frame = frame.with_columns(synthetic=synthetic)
            report.claims.append(_claims(table, frame, raw.file_name, raw.sheet, len(report.files)))
            publish.apply_rows(
                con,
                table,
                frame,
                load_id=load_id,
                source_id=source_id,
                counts=report.counts,
                changed_at=started,
                replace=replace,
            )
            touched.add(table)
        report.files.append(FileReport(raw.file_name, raw.sheet, mapped.spec.name, mapped.layout, mapped.frame.height))
    return touched
