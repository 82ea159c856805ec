"""Loading from the browser: stage uploaded files, preview how they read, check them, publish or discard.

Every step that acts is a function here, not in the page: it asks `access.require` first (a refused role is
recorded as `denied` and re-raised), does the work, then records the outcome in the audit trail. Uploads are
refused before anything reads them when their type (by extension AND by content) or size is wrong; they are
read only from the batch's private folder (store/staging.py), never from a path the user chose.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from access import audit
from access.policy import Denied, Principal, require
from checks import limits
from checks.config import load as check_settings
from core.errors import ParboardError
from core.i18n import t
from etl import sniff
from etl.mapper import Column, LoadContext, map_table
from etl.mapper import detect as detect_table
from etl.mapping import Mapping, read_mapping
from etl.problems import InputError, Problem, Term
from etl.readers import read_file
from etl.rules import is_rules_file
from etl.sniff import Kind
from etl.specs import table_specs
from etl.units import Candidate, full_key
from services import guided
from services.load import LoadReport, load_files, publish_checked
from store import staging
from store.db import current_file, version_of
from store.queries import Published
from store.staging import Batch, StagingError

STAGE = "stage_files"
PUBLISH = "publish_load"
# Streamlit's own ceiling (server.maxUploadSize, 50 MB); checks/rules.yaml may set a lower one.
SERVER_UPLOAD_BYTES = 50 * 2**20
MAX_FILES = 30
FIRST_ROWS = 5
# extension -> what its bytes must be (etl/sniff.py) and, for workbooks, how they must start
DATA_TYPES: dict[str, Kind] = {
    ".xlsx": Kind.WORKBOOK,
    ".xlsm": Kind.WORKBOOK,
    ".xls": Kind.WORKBOOK,
    ".ods": Kind.WORKBOOK,
    ".csv": Kind.TEXT,
    ".txt": Kind.TEXT,
    ".tsv": Kind.TEXT,
    ".parquet": Kind.PARQUET,
    ".yaml": Kind.TEXT,
    ".yml": Kind.TEXT,  # rules files (frameworks, tier cut-offs)
}
_ZIP_BASED = {".xlsx", ".xlsm", ".ods"}
MAPPING_TYPES = (".yaml", ".yml")
UPLOAD_TYPES = tuple(ext.lstrip(".") for ext in DATA_TYPES)
_UNIT_PROBLEMS = ("unit_unknown", "unit_ambiguous")
# The workbook reader's child process was stopped (etl/workbook.py): the batch is marked, not read again.
READER_DIED = ("read_too_big", "read_too_slow")
# What a load knows before anything is published (store/sql/load_context_*.sql on an empty schema).
_EMPTY_CONTEXT: dict[str, dict[str, Any]] = {
    "units": {
        "unit_code": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "valid_from": pl.Date,
        "valid_to": pl.Date,
        "aliases": pl.String,
    },
    "frameworks": {"framework_id": pl.String, "issuer_code": pl.String, "unit_kind": pl.String, "year": pl.Int32},
    "items": {
        "framework_id": pl.String,
        "item_code": pl.String,
        "item_level": pl.String,
        "name_key": pl.String,
        "max_points": pl.Float64,
        "method": pl.String,
    },
    "persons": {"person_id": pl.String, "unit_code": pl.String},
}


# --------------------------------------------------------------------------- what the caller gets back


@dataclass(frozen=True)
class Refusal:
    """Why an upload or a step was refused: a key under imports.error with its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str) -> str:
        params = {k: t(v.key, lang) if isinstance(v, Term) else v for k, v in self.params.items()}
        return t(f"imports.error.{self.code}", lang, **params)


class ImportRefused(ParboardError):
    """Nothing changed; `reasons` say why, each naming the file (Refusal or etl Problem: both have message)."""

    area = "imports.error"

    def __init__(self, reasons: list[Refusal | Problem]):
        super().__init__("refused", count=len(reasons))
        self.reasons = reasons

    def __str__(self) -> str:
        return "; ".join(r.message("en") for r in self.reasons[:5])

    def messages(self, lang: str) -> list[str]:
        return [r.message(lang) for r in self.reasons]


@dataclass(frozen=True)
class UnitQuestion:
    """A unit name no level of matching settled: the user confirms one of the candidates (a pin)."""

    name: str
    year: int | None
    file: str | None
    sheet: str | None
    row: int | None
    rows: int | None
    ambiguous: bool
    candidates: tuple[Candidate, ...]


@dataclass
class SheetPreview:
    file: str
    sheet: str | None
    table: str | None  # the input table detected (etl/tables.yaml), None when not recognised
    layout: str | None  # long | wide | rules
    header_rows: tuple[int, ...]
    columns: list[tuple[str, str | None]]  # (header as written, field it maps to or None)
    rows: int
    first_rows: pl.DataFrame
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Preview:
    sheets: list[SheetPreview]
    units: list[UnitQuestion]
    problems: list[Problem]  # files that could not be read at all


@dataclass
class CheckResult:
    status: str  # checked | refused | unchanged
    against: int  # the published version the check ran against
    pins: dict[str, str]
    report: LoadReport
    units: list[UnitQuestion]
    replace: bool = False  # checked as a replacement of whole unit-years (services.load.load_files)

    @property
    def passed(self) -> bool:
        return self.status == "checked"

    @property
    def per_table(self) -> dict[str, dict[str, int]]:
        return self.report.counts.per_table


# --------------------------------------------------------------------------- the privileged steps


def _require(db: Path, who: Principal | None, action: str, target: str, step: str) -> None:
    try:
        require(who, action)
    except Denied:
        audit.record(db, who, action, audit.DENIED, target, step=step)
        raise


def stage(
    db: Path, who: Principal | None, uploads: list[tuple[str, bytes]], mapping: tuple[str, bytes] | None = None
) -> Batch:
    """Keep uploaded files (name as sent, bytes) as a new batch; ImportRefused when any is not acceptable."""
    names = ", ".join(name for name, _ in uploads)
    _require(db, who, STAGE, names, "stage")
    assert who is not None
    refused = {name: r for name, data in uploads if (r := _refusal(name, data)) is not None}
    reasons: list[Refusal | Problem] = list(refused.values())
    if not uploads:
        reasons.append(Refusal("no_files"))
    if len(uploads) > MAX_FILES:
        reasons.append(Refusal("too_many_files", {"count": len(uploads), "limit": MAX_FILES}))
    if mapping is not None:
        reasons += [r for r in [_mapping_refusal(*mapping)] if r is not None]
    # Spreadsheet bombs and oversized sheets are refused from the bytes, before any reader (the preview's
    # included) opens them; the name is used for the message and the suffix only.
    too_big = [
        p
        for name, data in uploads
        if name not in refused and (p := limits.check_rows(Path(Path(name).name), data)) is not None
    ]
    if reasons or too_big:
        audit.record(
            db, who, STAGE, audit.REFUSED, names, step="stage", reasons=[r.message("en") for r in [*reasons, *too_big]]
        )
        raise ImportRefused([*reasons, *too_big])
    try:
        batch = staging.create(db, who.username, uploads, mapping)
    except StagingError as exc:
        audit.record(db, who, STAGE, audit.FAILED, names, step="stage", error=exc.code)
        raise ImportRefused([Refusal(exc.code, dict(exc.params))]) from exc
    if batch.mapping is not None:
        try:
            read_mapping(batch.path(batch.mapping))
        except InputError as exc:
            staging.discard(db, batch.id)
            audit.record(db, who, STAGE, audit.REFUSED, names, step="stage", reasons=[p.code for p in exc.problems])
            raise ImportRefused(list(exc.problems)) from exc
    else:
        # A layout an analyst answered for before is read with that answer (the page says which, and how
        # to stop using it).
        guided.use_saved(batch, guided.saved_for(db, [(batch.path(f), f.name) for f in batch.files]))
    audit.record(
        db,
        who,
        STAGE,
        audit.DONE,
        batch.id,
        step="stage",
        files=[{"name": f.name, "sha256": f.sha256, "size": f.size} for f in batch.files],
    )
    return batch


def preview(db: Path, who: Principal | None, batch: Batch) -> Preview:
    """How each file and sheet reads: header found, table and layout, columns to fields, first rows, and the
    unit names that need a choice. Read-only: the check (a dry run of the load) has the final word."""
    _require(db, who, STAGE, batch.id, "preview")
    mapping = batch_mapping(batch, {})
    ctx = _published_context(db)
    sheets: list[SheetPreview] = []
    unread: list[Problem] = []
    unit_problems: list[Problem] = []
    failed: dict[str, dict[str, Any]] = batch.manifest.get("unreadable") or {}
    for file in batch.files:
        if file.name in failed:
            # The reader died on this file once (memory or time): it is not read again on every visit.
            unread.append(Problem(file=file.name, **failed[file.name]))
            continue
        path = batch.path(file)
        data = path.read_bytes()
        if is_rules_file(data):
            sheets.append(SheetPreview(file.name, None, None, "rules", (), [], 0, pl.DataFrame()))
            continue
        try:
            tables = read_file(
                path,
                display_name=file.name,
                sheet=mapping.sheet,
                header_row=mapping.header_row,
                header_depth=mapping.header_depth,
                limits=limits.read_limits(),
            )
        except InputError as exc:
            unread.extend(exc.problems)
            died = [p for p in exc.problems if p.code in READER_DIED]
            if died:
                gone = {"code": died[0].code, "sheet": died[0].sheet, "params": died[0].params}
                staging.update(batch, unreadable={**failed, file.name: gone})
            continue
        for raw in tables:
            sheet = SheetPreview(
                file.name,
                raw.sheet,
                None,
                None,
                raw.header_rows,
                [(c, None) for c in raw.columns],
                raw.data.height,
                _first_rows(raw.data, raw.columns),
            )
            sheets.append(sheet)
            try:
                spec, columns = detect_table(raw, mapping, ctx)
                sheet.table, sheet.layout = spec.name, "wide" if any(c.measure for c in columns) else "long"
                sheet.columns = [(c.label, _target(c)) for c in columns]
                mapped = map_table(raw, mapping, ctx)
            except InputError as exc:
                # Unit names are asked about once for the batch (Preview.units), not repeated per sheet.
                sheet.problems = [p for p in exc.problems if p.code not in _UNIT_PROBLEMS]
                unit_problems += [p for p in exc.problems if p.code in _UNIT_PROBLEMS]
                continue
            sheet.layout = mapped.layout
            sheet.problems = [p for p in mapped.notes if p.severity != "info"]
            if "unit" in mapped.target_frames():
                ctx = _with_units(ctx, mapped.target_frames()["unit"])
    return Preview(sheets, unit_questions(unit_problems, ctx), unread)


def _audited_load(
    db: Path, who: Principal | None, action: str, batch: Batch, pins: dict[str, str], step: str, **options: Any
) -> LoadReport:
    """The batch's load (a dry run for the check, the real one for a publish); a refusal or a failure on the
    way is recorded in the audit trail before it reaches the page."""
    try:
        return load_files(
            db,
            _paths(batch),
            mapping=batch_mapping(batch, pins),
            command="import",
            loaded_by=who.username if who else None,
            **options,
        )
    except ImportRefused as exc:
        audit.record(db, who, action, audit.REFUSED, batch.id, step=step, reasons=exc.messages("en"))
        raise
    except Exception as exc:
        audit.record(db, who, action, audit.FAILED, batch.id, step=step, error=type(exc).__name__)
        raise


def check(
    db: Path, who: Principal | None, batch: Batch, pins: dict[str, str] | None = None, *, replace: bool = False
) -> CheckResult:
    """A dry run of the load with the confirmed pins: errors, warnings and what would change; nothing published.
    replace: the batch replaces whole unit-years (a publish then does the same, as checked)."""
    _require(db, who, STAGE, batch.id, "check")
    pins = dict(pins or {})
    kept = staging.checked_draft(batch)
    _forget_check(db, batch.id)
    with contextlib.suppress(OSError):
        kept.unlink(missing_ok=True)  # an earlier check's draft: this check decides what may be published
    report = _audited_load(db, who, STAGE, batch, pins, "check", dry_run=True, replace=replace, keep=kept)
    report.claims = []  # only the load needs them; the result may be kept in a session
    if report.kept is not None:
        _CHECKED[(db, batch.id)] = (pins, replace, report)
    against = report.against if report.against is not None else version_of(current_file(db))
    result = CheckResult(report.status, against, pins, report, [], replace)
    result.units = unit_questions([p for p in report.errors if p.code in _UNIT_PROBLEMS], _published_context(db))
    staging.update(
        batch,
        status=report.status,
        check={
            "by": who.username if who else None,
            "against_version": against,
            "pins": pins,
            "replace": replace,
            "status": report.status,
            "errors": len(report.errors),
            "warnings": sum(p.severity == "warning" for p in report.notes),
            "counts": report.counts.per_table,
        },
    )
    outcome = audit.DONE if report.status == "checked" else audit.REFUSED
    audit.record(
        db,
        who,
        STAGE,
        outcome,
        batch.id,
        step="check",
        status=report.status,
        version=against,
        counts=report.counts.per_table,
        errors=len(report.errors),
    )
    return result


def leave(db: Path, who: Principal | None, batch: Batch) -> Batch:
    """Keep a checked batch in staging for an administrator to publish."""
    _require(db, who, STAGE, batch.id, "leave")
    staging.update(batch, left_by=who.username if who else None)
    audit.record(db, who, STAGE, audit.DONE, batch.id, step="leave")
    return batch


def publish(db: Path, who: Principal | None, batch: Batch, pins: dict[str, str] | None = None) -> LoadReport:
    """Load the batch for real, only as it was checked: same pins, same published version; else refused."""
    _require(db, who, PUBLISH, batch.id, "publish")
    assert who is not None
    pins = dict(pins or {})
    try:
        batch = staging.read(db, batch.id)  # the manifest on disk says what was checked, not a caller's copy
    except StagingError as exc:
        audit.record(db, who, PUBLISH, audit.REFUSED, batch.id, step="publish", reason=exc.code)
        raise ImportRefused([Refusal(exc.code, dict(exc.params))]) from exc
    checked = batch.manifest.get("check") or {}
    current = version_of(current_file(db))
    stale = None
    if checked.get("status") != "checked" or checked.get("pins") != pins:
        stale = Refusal("not_checked", {"batch": batch.id})
    elif checked.get("against_version") != current:
        stale = Refusal("version_changed", {"checked": checked.get("against_version"), "current": current})
    if stale is not None:
        audit.record(db, who, PUBLISH, audit.REFUSED, batch.id, step="publish", reason=stale.code)
        raise ImportRefused([stale])
    replace = bool(checked.get("replace", False))  # as it was checked
    report = _publish_kept_check(db, who, batch, pins, replace, current)
    if report is None:  # no kept draft of that check in this process: the load runs again, as checked
        report = _audited_load(db, who, PUBLISH, batch, pins, "publish", expect_version=current, replace=replace)
    counts = report.counts.per_table
    if report.status == "stale":
        reason = Refusal("version_changed", {"checked": current, "current": version_of(current_file(db))})
        audit.record(db, who, PUBLISH, audit.REFUSED, batch.id, step="publish", reason=reason.code)
        raise ImportRefused([reason])
    if not report.published:
        staging.update(batch, status=report.status)
        audit.record(
            db, who, PUBLISH, audit.REFUSED, batch.id, step="publish", status=report.status, errors=len(report.errors)
        )
        return report
    audit.record(
        db,
        who,
        PUBLISH,
        audit.DONE,
        batch.id,
        step="publish",
        version=report.version,
        counts=counts,
        files=[{"name": f.name, "sha256": f.sha256} for f in batch.files],
    )
    report.claims = []
    # Published: the data is in the new version, the files' names and hashes in its sources and the trail.
    with contextlib.suppress(OSError, StagingError):
        staging.discard(db, batch.id)
    return report


def discard(db: Path, who: Principal | None, batch: Batch) -> None:
    _require(db, who, PUBLISH, batch.id, "discard")
    _forget_check(db, batch.id)
    staging.discard(db, batch.id)


# The last passed check of each batch made in this process, with the draft it kept (staging.checked_draft):
# (pins, replace, report). A publish of the batch as checked, against the same version, publishes that draft
# instead of loading again; a batch checked in another process, or before a restart, is loaded again.
_CHECKED: dict[tuple[Path, str], tuple[dict[str, str], bool, LoadReport]] = {}
_MAX_CHECKED = 8  # batches; each kept draft is a copy of the database, on disk, in its batch's folder


def _forget_check(db: Path, batch_id: str) -> None:
    _CHECKED.pop((db, batch_id), None)
    while len(_CHECKED) > _MAX_CHECKED - 1:
        (old_db, old_id), (_, _, old) = next(iter(_CHECKED.items()))
        del _CHECKED[(old_db, old_id)]
        if old.kept is not None:
            with contextlib.suppress(OSError):
                old.kept.path.unlink()


def _publish_kept_check(
    db: Path, who: Principal, batch: Batch, pins: dict[str, str], replace: bool, current: int
) -> LoadReport | None:
    """The batch published from the draft its check kept, or None when there is none to publish as checked."""
    found = _CHECKED.pop((db, batch.id), None)
    if found is None:
        return None
    checked_pins, checked_replace, report = found
    if checked_pins != pins or checked_replace != replace or report.against != current:
        return None
    try:
        done = publish_checked(db, report, command="import", loaded_by=who.username)
    except Exception as exc:
        audit.record(db, who, PUBLISH, audit.FAILED, batch.id, step="publish", error=type(exc).__name__)
        raise
    return report if done else None
    audit.record(
        db,
        who,
        PUBLISH,
        audit.DONE,
        batch.id,
        step="discard",
        files=[f.name for f in batch.files],
        staged_by=batch.manifest.get("staged_by"),
    )


def batches(db: Path, who: Principal | None) -> list[Batch]:
    """The staged batches, for whoever may stage (reading them is recorded only when refused)."""
    _require(db, who, STAGE, "", "list")
    return staging.batches(db)


def open_batch(db: Path, who: Principal | None, batch_id: str) -> Batch:
    _require(db, who, STAGE, batch_id, "open")
    try:
        return staging.read(db, batch_id)
    except StagingError as exc:
        raise ImportRefused([Refusal(exc.code, dict(exc.params))]) from exc


# --------------------------------------------------------------------------- helpers


def merge_questions(*groups: list[UnitQuestion]) -> list[UnitQuestion]:
    """Each unit name asked about once, in the order first asked (the preview's questions, then the check's)."""
    seen: dict[str, UnitQuestion] = {}
    for group in groups:
        for q in group:
            seen.setdefault(q.name, q)
    return list(seen.values())


def checked_pins(batch: Batch) -> dict[str, str]:
    """The unit choices the batch was last checked with: publishing it from the staged list uses these."""
    return dict((batch.manifest.get("check") or {}).get("pins") or {})


def is_checked(batch: Batch) -> bool:
    return batch.manifest.get("status") == "checked"


def max_upload_bytes() -> int:
    return min(SERVER_UPLOAD_BYTES, int(check_settings().setting("max_file_bytes")))


def _refusal(name: str, data: bytes) -> Refusal | None:
    """Why this upload is not acceptable, or None: type by extension AND by content, then size."""
    suffix = Path(staging.safe_name(name)).suffix.lower()
    limit = max_upload_bytes()
    if suffix not in DATA_TYPES:
        return Refusal("bad_type", {"file": name, "allowed": ", ".join(DATA_TYPES)})
    if len(data) > limit:
        return Refusal("too_big", {"file": name, "size": _mb(len(data)), "limit": _mb(limit)})
    kind = sniff.detect(data)
    if kind is Kind.EMPTY:
        return Refusal("empty", {"file": name})
    expected = DATA_TYPES[suffix]
    zipped = data.startswith(b"PK")
    if kind is not expected or (suffix in _ZIP_BASED) != (kind is Kind.WORKBOOK and zipped):
        return Refusal("content_mismatch", {"file": name, "ext": suffix, "found": Term(f"imports.kind.{kind.value}")})
    if suffix in MAPPING_TYPES and not is_rules_file(data):
        return Refusal("yaml_not_rules", {"file": name})
    return None


def _mapping_refusal(name: str, data: bytes) -> Refusal | None:
    suffix = Path(staging.safe_name(name)).suffix.lower()
    if suffix not in MAPPING_TYPES:
        return Refusal("bad_mapping_type", {"file": name})
    limit = int(check_settings().setting("max_mapping_bytes"))
    if len(data) > limit:
        return Refusal("too_big", {"file": name, "size": _mb(len(data)), "limit": limit // 2**20})
    if sniff.detect(data) is not Kind.TEXT:
        return Refusal("content_mismatch", {"file": name, "ext": suffix, "found": Term("imports.kind.unknown")})
    return None


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}"


def batch_mapping(batch: Batch, pins: dict[str, str]) -> Mapping:
    """How the batch is read, with the confirmed unit pins added (a pin chosen here wins): its mapping file if
    one was sent, else the answer given on the page (services.guided), else a saved answer for its layout."""
    if batch.mapping:
        base = read_mapping(batch.path(batch.mapping))
    else:
        base = guided.kept(batch) or guided.saved_mapping(batch) or Mapping()
    return dataclasses.replace(base, units={**base.units, **pins})


def _paths(batch: Batch) -> list[Path]:
    paths = []
    for file in batch.files:
        path = batch.path(file)
        if hashlib.sha256(path.read_bytes()).hexdigest() != file.sha256:
            raise ImportRefused([Refusal("file_changed", {"file": file.name})])
        paths.append(path)
    return paths


def _published_context(db: Path) -> LoadContext:
    pub = Published(db)
    names = ("units", "frameworks", "items", "persons")
    if not pub.exists:
        frames = [pl.DataFrame(schema=_EMPTY_CONTEXT[name]) for name in names]
    else:
        frames = [pub.query(f"load_context_{name}") for name in names]
    units, frameworks, items, persons = frames
    return LoadContext(units, frameworks, items, persons)


published_context = _published_context


def _with_units(ctx: LoadContext, units: pl.DataFrame) -> LoadContext:
    """Units named in an earlier file of the batch can be referred to by a later one, as in the load."""
    columns = ctx.units.columns
    added = units.select([pl.col(c) if c in units.columns else pl.lit(None).alias(c) for c in columns])
    merged = pl.concat([ctx.units, added.cast(ctx.units.schema)], how="vertical_relaxed").unique(
        "unit_code", keep="last", maintain_order=True
    )
    return LoadContext(merged, ctx.frameworks, ctx.items, ctx.persons)


def unit_questions(problems: list[Problem], ctx: LoadContext) -> list[UnitQuestion]:
    """For each unit name the load could not settle, the candidates to choose from (once per name)."""
    seen: set[str] = set()
    out = []
    for p in problems:
        name = str(p.params.get("value") or "")
        if not name or full_key(name) in seen:
            continue
        seen.add(full_key(name))
        year = p.params.get("year")
        year = year if isinstance(year, int) else None
        match = ctx.register.match(name, year=year)
        candidates = match.ambiguous or match.closest or ctx.register.closest(name)
        out.append(
            UnitQuestion(
                name, year, p.file, p.sheet, p.row, p.params.get("rows"), p.code == "unit_ambiguous", tuple(candidates)
            )
        )
    return out


def _first_rows(data: pl.DataFrame, columns: tuple[str, ...]) -> pl.DataFrame:
    head = data.head(FIRST_ROWS)
    names = [f"c{i}" for i in range(len(columns))]
    shown = _unique_labels(columns)
    return head.select([pl.col("source_row"), *[pl.col(n).alias(s) for n, s in zip(names, shown, strict=True)]])


def _unique_labels(labels: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        label = label or "—"
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _target(column: Column) -> str | None:
    """The field a column fills ("unit", "year"…), or "<measure>:<criterion>" for a wide score column."""
    if column.measure:
        return f"{column.measure}:{column.item}"
    return None if column.field in (None, "_ignored") else column.field


def table_label(name: str | None, lang: str) -> str:
    specs = table_specs()
    if name in specs:
        return specs[name].label.get(lang) or specs[name].label["vi"]
    return t(f"imports.db_table.{name}", lang) if name else "—"
