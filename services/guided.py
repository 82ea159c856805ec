"""Guided mapping: when a file is not understood, the analyst says which column is what on the Import page,
re-checks with that answer, and saves it for the layout, so next year's file of the same layout is read
without asking. The command line finds the same saved answers (services.guided.saved_for).

Nothing here writes YAML for a person: the answer is a list of roles, one per column ("unit", "year",
"total", "tier", "item:LV1"…), the header row and depth, the measure; `build` turns it into an etl Mapping,
and the store keeps it as a mapping file (store/saved_mappings.py) keyed by the header's shape (etl/layout.py).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import polars as pl

from access import audit
from access.policy import Denied, Principal, require
from checks import limits
from core import fmt
from core.i18n import Translator, t
from core.text import fold
from etl.layout import carried_over, table_key
from etl.mapper import detect
from etl.mapping import MEASURES, Mapping, mapping_document, parse_mapping
from etl.problems import InputError
from etl.raw import RawTable
from etl.readers import read_file
from etl.rules import is_rules_file
from store import staging
from store.queries import Published
from store.saved_mappings import MappingStore, MappingStoreError, SavedMapping
from store.staging import Batch

ACTION = "stage_files"  # whoever may stage files may answer how they read
TABLE = "scores"  # the guided mapping reads score sheets (by criterion, by area, or totals only)
FIELDS = ("unit", "unit_code", "year", "total", "tier", "rank")  # what a column can be besides a criterion
ITEM = "item:"
FIRST_ROWS = 8


@dataclass
class Layout:
    """One sheet as the guided mapping shows it: its header, first rows, and the role proposed per column."""

    file: str
    sheet: str | None
    header_row: int | None  # 1-based row of the (first) header row as read
    header_depth: int
    columns: tuple[str, ...]
    first_rows: pl.DataFrame
    roles: list[str]  # "" (nothing), a field of FIELDS, or "item:<code>"
    key: str | None  # the shape key of the sheet as read with no mapping (what a later file is matched on)
    title: tuple[str, ...] = ()
    year: int | None = None  # the year the title or the file gives, when it gives one


@dataclass(frozen=True)
class ItemChoice:
    code: str
    name: str
    level: str
    max_points: float | None


@dataclass(frozen=True)
class Answer:
    """What the analyst said: one role per column, where the header is, what the criterion columns hold."""

    roles: tuple[str, ...]
    header_row: int | None = None
    header_depth: int | None = None
    measure: str = "appraised_score"
    year: int | None = None  # a year for a file that gives none (not kept in the saved mapping)
    sheet: str | None = None
    pins: dict[str, str] = field(default_factory=dict)


def _require(db: Path, who: Principal | None, target: str, step: str) -> None:
    try:
        require(who, ACTION)
    except Denied:
        audit.record(db, who, ACTION, audit.DENIED, target, step=step)
        raise


def _data_files(batch: Batch) -> list[Path]:
    return [batch.path(f) for f in batch.files if not is_rules_file(batch.path(f).read_bytes())]


def _read(path: Path, name: str, sheet: str | None, row: int | None, depth: int | None) -> list[RawTable]:
    try:
        return read_file(
            path, display_name=name, sheet=sheet, header_row=row, header_depth=depth, limits=limits.read_limits()
        )
    except InputError:
        return []


def layout(
    db: Path,
    who: Principal | None,
    batch: Batch,
    header_row: int | None = None,
    header_depth: int | None = None,
) -> Layout | None:
    """The first data sheet of the batch as read with the header where the analyst says it is (where the
    reader found it, by default), with the role parboard would give each column."""
    _require(db, who, batch.id, "guided_layout")
    ctx = context(db)
    for file in batch.files:
        path = batch.path(file)
        if is_rules_file(path.read_bytes()):
            continue
        plain = _read(path, file.name, None, None, None)
        if not plain:
            continue
        first = plain[0]
        tables = _read(path, file.name, first.sheet, header_row, header_depth) if header_row or header_depth else plain
        if not tables:
            continue
        raw = tables[0]
        return Layout(
            file.name,
            raw.sheet,
            raw.header_rows[0] if raw.header_rows else None,
            len(raw.header_rows) or 1,
            raw.columns,
            _first_rows(raw),
            _proposed(raw, ctx),
            table_key(first),
            raw.title,
            _title_year(raw),
        )
    return None


def context(db: Path):
    """What the published version knows (units, frameworks, items), as the load sees it."""
    from services.importing import published_context  # importing reads batches with this module's answers

    return published_context(db)


def _title_year(raw: RawTable) -> int | None:
    from etl.mapper import _year_in_title  # the mapper's own reading of a title's year

    return _year_in_title(raw)


def _first_rows(raw: RawTable) -> pl.DataFrame:
    head = raw.data.head(FIRST_ROWS)
    return head.select([pl.col("source_row"), *[pl.col(f"c{i}").alias(str(i + 1)) for i in range(len(raw.columns))]])


def _proposed(raw: RawTable, ctx) -> list[str]:
    """The role parboard gives each column of a score sheet on its own ("" where it has none)."""
    try:
        _spec, columns = detect(raw, Mapping(table=TABLE), ctx)
    except InputError:
        return [""] * len(raw.columns)
    roles = []
    for c in columns:
        if c.measure and c.item:
            roles.append(ITEM + c.item)
        elif c.field in FIELDS:
            roles.append(c.field)
        else:
            roles.append("")
    return roles


def likely_kind(ctx, found: Layout) -> str | None:
    """The unit kind most names in the unit column are, as the register knows them (None when none match)."""
    if "unit" not in found.roles:
        return None
    column = str(found.roles.index("unit") + 1)
    kinds = dict(zip(ctx.units["unit_code"], ctx.units["kind"], strict=True))
    counted: dict[str, int] = {}
    for name in found.first_rows[column].drop_nulls():
        code = ctx.register.match(str(name), year=found.year).code
        if code in kinds:
            counted[kinds[code]] = counted.get(kinds[code], 0) + 1
    return max(counted, key=lambda k: counted[k]) if counted else None


def item_choices(db: Path, year: int | None = None, kind: str | None = None) -> list[ItemChoice]:
    """The framework items a column can be: those of the year's framework for that kind of unit (all loaded
    ones where the year or kind is not known or has none), areas first, in the framework's order, each once."""
    pub = Published(db)
    if not pub.exists:
        return []
    items = pub.query("framework_items_by_year")
    for column, value in (("year", year), ("unit_kind", kind)):
        narrowed = items.filter(pl.col(column) == value) if value is not None else items
        items = narrowed if narrowed.height else items
    items = items.sort(["year", "ordinal"], descending=[True, False])  # the latest wording of a code
    seen: dict[str, ItemChoice] = {}
    for row in items.iter_rows(named=True):
        code = str(row["item_code"])
        if code not in seen:
            seen[code] = ItemChoice(code, str(row["name"]), str(row["item_level"]), row["max_points"])
    return sorted(seen.values(), key=lambda c: (c.level != "component", _natural(c.code)))


def _natural(code: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code))


def build(found: Layout, answer: Answer) -> Mapping:
    """The mapping the answer says: the sheet read as a score table, each column given its role."""
    columns: dict[str, str] = {}
    items: dict[str, str] = {}
    for label, role in zip(found.columns, answer.roles, strict=True):
        if role.startswith(ITEM):
            items[label] = role.removeprefix(ITEM)
        elif role in FIELDS:
            columns[label] = role
    doc: dict = {"table": TABLE, "measure": answer.measure if answer.measure in MEASURES else "appraised_score"}
    if found.sheet:
        doc["sheet"] = found.sheet
    if answer.header_row:
        doc["header_row"] = answer.header_row
    if answer.header_depth:
        doc["header_depth"] = answer.header_depth
    if answer.year:
        doc["year"] = answer.year
    doc |= {"columns": columns, "items": items, "units": dict(answer.pins)}
    return parse_mapping(found.file, doc)


def document(mapping: Mapping, headers: tuple[str, ...] | list[str]) -> dict:
    return mapping_document(mapping, {fold(h): h for h in headers})


def keep(batch: Batch, found: Layout, mapping: Mapping) -> None:
    """The answer goes with the batch (its manifest): the check and the publish read it from there, so what
    is published is what was checked."""
    staging.update(
        batch,
        guided={
            "mapping": document(mapping, found.columns),
            "key": found.key,
            "headers": list(found.columns),
            "file": found.file,
        },
        saved=None,
        check=None,  # checked with another answer, if at all: it must be checked again before publishing
        status="staged",
    )


def kept(batch: Batch) -> Mapping | None:
    entry = batch.manifest.get("guided")
    return parse_mapping(entry.get("file") or "guided", entry["mapping"]) if entry else None


def save(db: Path, who: Principal | None, batch: Batch) -> SavedMapping:
    """Save the batch's answer for its layout (replacing an earlier answer for the same layout). The year the
    analyst typed belongs to this file only, so it is left out; the unit choices are kept."""
    entry = batch.manifest.get("guided") or {}
    target = str(entry.get("key") or "")
    _require(db, who, target, "save_mapping")
    mapping = kept(batch)
    if mapping is None or not target:
        audit.record(db, who, ACTION, audit.REFUSED, batch.id, step="save_mapping", reason="nothing_to_save")
        raise MappingStoreError("not_found", target)
    # The year typed and the sheet's name ("KQ 2023") belong to this file, not to the layout.
    pins = dict((batch.manifest.get("check") or {}).get("pins") or {})
    mapping = dataclasses.replace(mapping, year=None, sheet=None, units={**mapping.units, **pins})
    try:
        saved = MappingStore(db).save(
            target,
            document(mapping, entry["headers"]),
            str(entry.get("file") or ""),
            who.name if who else "",
            list(entry["headers"]),
        )
    except OSError as exc:
        audit.record(db, who, ACTION, audit.FAILED, target, step="save_mapping", reason=type(exc).__name__)
        raise
    audit.record(db, who, ACTION, audit.DONE, target, step="save_mapping", file=entry.get("file"))
    return saved


def forget(db: Path, who: Principal | None, key: str) -> None:
    """Stop using a saved answer for every later file of its layout."""
    _require(db, who, key, "forget_mapping")
    MappingStore(db).delete(key)
    audit.record(db, who, ACTION, audit.DONE, key, step="forget_mapping")


# --------------------------------------------------------------------------- finding a saved answer


@dataclass(frozen=True)
class SavedUse:
    """A saved answer that fits a file: which one, and the mapping carried over to this file's headers."""

    key: str
    name: str
    author: str
    saved: str  # ISO date and time
    file: str  # the file it was found for
    mapping: Mapping


def saved_for(db: Path, paths: list[tuple[Path, str]]) -> SavedUse | None:
    """The saved answer whose layout the first matching data file has (path, name as the user sent it)."""
    store = MappingStore(db)
    if not store.dir.is_dir() or not any(store.dir.glob("*.json")):
        return None  # nothing saved: no file is read for it
    for path, name in paths:
        if is_rules_file(path.read_bytes()):
            continue
        for raw in _read(path, name, None, None, None):
            key = table_key(raw)
            try:
                found = store.get(key) if key else None
            except MappingStoreError:
                found = None
            if found is None:
                continue
            saved = found.mapping
            headers = raw.columns
            same_header = saved.header_row in (None, raw.header_rows[0] if raw.header_rows else None) and (
                saved.header_depth in (None, len(raw.header_rows))
            )
            if not same_header:  # the answer put the header elsewhere: its texts are read from there
                again = _read(path, name, raw.sheet, saved.header_row, saved.header_depth)
                headers = again[0].columns if again else raw.columns
            mapping = dataclasses.replace(carried_over(saved, found.headers, headers), sheet=raw.sheet)
            return SavedUse(found.key, found.name, found.author, found.saved.isoformat(), name, mapping)
    return None


def use_saved(batch: Batch, use: SavedUse | None) -> None:
    """Note in the batch which saved answer reads it (None: none, or the analyst stopped using it)."""
    if use is None:
        staging.update(batch, saved=None)
        return
    staging.update(
        batch,
        saved={
            "key": use.key,
            "name": use.name,
            "author": use.author,
            "saved": use.saved,
            "file": use.file,
            "mapping": mapping_document(use.mapping),
        },
    )


def in_use(batch: Batch) -> dict | None:
    return batch.manifest.get("saved") or None


def saved_mapping(batch: Batch) -> Mapping | None:
    entry = in_use(batch)
    return parse_mapping(entry.get("name") or "saved", entry["mapping"]) if entry else None


def stop_saved(db: Path, who: Principal | None, batch: Batch) -> None:
    """This batch is read without the saved answer (the answer stays for other files)."""
    _require(db, who, batch.id, "stop_saved")
    staging.update(batch, saved=None, saved_off=True, check=None, status="staged")
    audit.record(db, who, ACTION, audit.DONE, batch.id, step="stop_saved")


def used_line(use: SavedUse | dict, lang: str) -> str:
    """The sentence that says which saved answer reads a file (page and command line alike)."""
    entry = dataclasses.asdict(use) if isinstance(use, SavedUse) else use
    at = fmt.moment(datetime.fromisoformat(str(entry["saved"])), lang)
    return t("imports.guided.cli_used", lang, name=entry["name"], author=entry["author"], at=at, file=entry["file"])


def in_use_line(entry: dict, lang: str) -> str:
    at = fmt.moment(datetime.fromisoformat(str(entry["saved"])), lang)
    return t("imports.guided.in_use", lang, name=entry["name"], author=entry["author"], at=at)


def role_options(db: Path, ctx, found: Layout, lang: str) -> dict[str, str]:
    """What a column can be, value -> words: nothing, a field, or one of the year's framework items (for the
    kind of unit the unit column names)."""
    field_words = Translator("imports.field", lang)
    say = Translator("imports.guided", lang)
    options = {"": say("role_none")} | {f: field_words(f) for f in FIELDS}
    for item in item_choices(db, found.year, likely_kind(ctx, found)):
        maximum = fmt.points(item.max_points, lang) if item.max_points is not None else "—"
        options[ITEM + item.code] = say("role_item", code=item.code, name=item.name, max=maximum)
    for role in found.roles:  # a code the proposal found that the year's list lacks stays choosable
        options.setdefault(role, role.removeprefix(ITEM))
    return options


def answered_roles(batch: Batch, found: Layout) -> list[str]:
    """The roles to start from: the batch's answer so far where it names this header, else the proposal."""
    mapping = kept(batch) or saved_mapping(batch)
    if mapping is None:
        return list(found.roles)
    out = []
    for label, proposed in zip(found.columns, found.roles, strict=True):
        chosen = mapping.field_for(label)
        item = mapping.item_for(label)
        out.append(chosen if chosen in FIELDS else ITEM + item if item else proposed)
    return out


def measure_options(lang: str) -> dict[str, str]:
    field_words = Translator("imports.field", lang)
    return {m: field_words(m) for m in MEASURES}


def first_rows_table(found: Layout, lang: str) -> pl.DataFrame:
    """The first rows as the file has them, the row number first and worded for the reader."""
    row = Translator("imports.page", lang)("col_row")
    return found.first_rows.rename({"source_row": row})


def answer(found: Layout, roles: list[str], measure: str, year: int | None, pins: dict[str, str]) -> Answer | None:
    """The answer, or None when no column names the units (nothing could be read)."""
    if "unit" not in roles and "unit_code" not in roles:
        return None
    return Answer(tuple(roles), found.header_row, found.header_depth, measure, year, found.sheet, dict(pins))
