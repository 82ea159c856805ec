"""The optional mapping file (YAML) a user writes when a file's layout cannot be recognised on its own.

table: scores                 # which input table (see etl/tables.yaml); detected when absent
sheet: "Tổng hợp"             # read only this sheet
header_row: 5                 # 1-based row of the header; header_depth: 2 for a two-row header
year: 2023                    # a constant year when the file has no year column
issuer: TST                   # whose framework applies, when several issuers' frameworks are loaded
measure: appraised_score      # what plain criterion columns of a wide file hold (default appraised_score)
columns: {"Tên cơ quan": unit, "Điểm TĐ": self_score}     # header -> field
items: {"Công tác chỉ đạo, điều hành": LV1}               # wide header -> criterion or area code
units: {"UBND xã Long Hưng": TST-X01}                     # pin a name to a unit code
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from core.text import fold, nfc
from etl.problems import InputError, Problem, Term
from etl.specs import TableSpec, table_specs

# A value shown back in a message: bounded, because YAML aliases can make a small file a huge structure.
_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxdict, _SHOWN.maxlist, _SHOWN.maxstring, _SHOWN.maxother = 2, 4, 4, 80, 80
_SCALARS = (str, int, float)
_KEYS = {"table", "sheet", "header_row", "header_depth", "year", "issuer", "measure", "columns", "items", "units"}
MEASURES = ("self_score", "appraised_score", "survey_score")


@dataclass(frozen=True)
class Mapping:
    file_name: str | None = None
    table: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    header_depth: int | None = None
    year: int | None = None
    issuer: str | None = None
    measure: str = "appraised_score"
    columns: dict[str, str] = field(default_factory=dict)  # folded header -> field
    items: dict[str, str] = field(default_factory=dict)  # folded header -> item code
    units: dict[str, str] = field(default_factory=dict)  # name as written (NFC) -> unit code

    def field_for(self, header: str) -> str | None:
        return self.columns.get(fold(header))

    def item_for(self, header: str) -> str | None:
        return self.items.get(fold(header))


def read_mapping(path: Path) -> Mapping:
    return parse_mapping(path.name, _load(path))


def parse_mapping(name: str, data: dict) -> Mapping:
    """A mapping from its parsed YAML document (a file's, or one the guided mapping built), every bad value
    reported together."""
    doc = _Doc(name, data)
    for key in sorted((k for k in doc.data if k not in _KEYS), key=str):
        doc.bad(str(key), doc.data[key], ", ".join(sorted(_KEYS)))
    specs = table_specs()
    table = _table(doc, specs)
    columns = _columns(doc, table, specs)
    _check_settings(doc)
    measure = doc.data.get("measure", "appraised_score")
    if measure not in MEASURES:
        doc.bad("measure", measure, ", ".join(MEASURES))
    items, units = doc.pairs("items"), doc.pairs("units")
    if doc.problems:
        raise InputError(doc.problems)
    data = doc.data
    return Mapping(
        file_name=doc.name,
        table=table,
        sheet=str(data["sheet"]) if data.get("sheet") is not None else None,
        header_row=data.get("header_row"),
        header_depth=data.get("header_depth"),
        year=data.get("year"),
        issuer=str(data["issuer"]) if data.get("issuer") else None,
        measure=measure,
        columns=columns,
        items={fold(str(k)): str(v) for k, v in items.items()},
        units={nfc(str(k)): str(v) for k, v in units.items()},
    )


def mapping_document(mapping: Mapping, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The YAML document that reads back (parse_mapping) as `mapping`: what a saved mapping file holds, so the
    command line's --mapping takes it as it is. headers: folded header -> header as written, to write the
    headers a person would recognise (the folded form is kept where none is given)."""
    shown = headers or {}
    doc: dict[str, Any] = {}
    for key in ("table", "sheet", "header_row", "header_depth", "year", "issuer"):
        value = getattr(mapping, key)
        if value is not None:
            doc[key] = value
    doc["measure"] = mapping.measure
    if mapping.columns:
        doc["columns"] = {shown.get(k, k): v for k, v in mapping.columns.items()}
    if mapping.items:
        doc["items"] = {shown.get(k, k): v for k, v in mapping.items.items()}
    if mapping.units:
        doc["units"] = dict(mapping.units)
    return doc


# A mapping or rules file is a page of YAML. Aliases (*name) let a few hundred bytes stand for billions of
# values ("billion laughs"): the document's nodes are counted as if every alias were written out, on the
# composed graph where an alias is a shared node, before anything is built or walked.
YAML_MAX_BYTES = 2**20
YAML_MAX_NODES = 200_000


class YamlRefused(Exception):
    """Why a YAML file was not parsed: `reason` is a problems catalog key, `detail` a short text."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason, self.detail = reason, detail


def guarded_yaml(raw: bytes) -> Any:
    """Parse YAML bytes within the size and node limits (the one parser for mapping and rules files)."""
    if len(raw) > YAML_MAX_BYTES:
        raise YamlRefused("yaml_too_big", f"{len(raw) // 1024} KB > {YAML_MAX_BYTES // 1024} KB")
    try:
        loader = yaml.SafeLoader(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:  # not UTF-8, or characters YAML does not allow
        raise YamlRefused("yaml_unreadable", str(exc)[:200]) from exc
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_nodes(node) > YAML_MAX_NODES:
            raise YamlRefused("yaml_too_many_nodes", str(YAML_MAX_NODES))
        return loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise YamlRefused("yaml_unreadable", str(exc)[:200]) from exc
    except RecursionError as exc:  # nesting deeper than any real file
        raise YamlRefused("yaml_too_many_nodes", str(YAML_MAX_NODES)) from exc
    finally:
        loader.dispose()


def _expanded_nodes(root: yaml.Node) -> int:
    """Nodes the document has once every alias is written out; an alias that contains itself is refused."""
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_:
            raise YamlRefused("yaml_too_many_nodes", "recursive alias")
        open_.add(key)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(child) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        open_.discard(key)
        sizes[key] = min(total, YAML_MAX_NODES + 1)  # capped: the sum of capped parts still passes the limit
        return sizes[key]

    return size(root)


def _load(path: Path) -> dict:
    """The file's top-level mapping; a file that is not one cannot be read further."""
    try:
        doc = guarded_yaml(path.read_bytes())
    except OSError as exc:
        raise InputError([Problem("mapping_unreadable", file=path.name, params={"detail": str(exc)[:200]})]) from exc
    except YamlRefused as exc:
        detail = exc.detail if exc.reason == "yaml_unreadable" else Term(f"problems.{exc.reason}")
        raise InputError([Problem("mapping_unreadable", file=path.name, params={"detail": detail})]) from exc
    if not isinstance(doc, dict):
        raise InputError([Problem("mapping_unreadable", file=path.name, params={"detail": "not a YAML mapping"})])
    return doc


class _Doc:
    """A mapping file being read, and every bad value found in it so far (all are reported together)."""

    def __init__(self, name: str, data: dict) -> None:
        self.name = name
        self.data = data
        self.problems: list[Problem] = []

    def bad(self, key: str, value: Any, allowed: str) -> None:
        shown = value if isinstance(value, _SCALARS) and len(str(value)) <= 80 else _SHOWN.repr(value)
        key = _SHOWN.repr(key) if not isinstance(key, str) else key[:80]
        self.problems.append(
            Problem(
                "mapping_bad_value", file=self.name, column=key, params={"key": key, "value": shown, "allowed": allowed}
            )
        )

    def pairs(self, key: str) -> dict:
        """A section of "text: text" pairs; anything else is reported and read as empty."""
        value = self.data.get(key) or {}
        if not isinstance(value, dict):
            self.bad(key, value, "header: value")
            return {}
        good = {}
        for k, v in value.items():
            if isinstance(k, _SCALARS) and isinstance(v, _SCALARS):
                good[k] = v
            else:
                self.bad(f"{key}.{k if isinstance(k, _SCALARS) else _SHOWN.repr(k)}", v, "header: value")
        return good


def _table(doc: _Doc, specs: dict[str, TableSpec]) -> str | None:
    """The table named, if it is one etl knows; otherwise reported, and detected from the file instead."""
    table = doc.data.get("table")
    if table is not None and (not isinstance(table, str) or table not in specs):
        doc.bad("table", table, ", ".join(specs))
        return None
    return table


def _columns(doc: _Doc, table: str | None, specs: dict[str, TableSpec]) -> dict[str, str]:
    """Folded header -> field; a field the table (or, with no table named, any table) lacks is reported."""
    fields = set().union(*(s.fields for s in specs.values())) if table not in specs else set(specs[table].fields)
    columns = {}
    for header, target in doc.pairs("columns").items():
        if target not in fields:
            doc.bad(f"columns.{header}", target, ", ".join(sorted(fields)))
        columns[fold(str(header))] = target
    return columns


def _check_settings(doc: _Doc) -> None:
    """The single-value settings: whole numbers, texts, and a header one or two rows deep."""
    for key in ("header_row", "header_depth", "year"):
        value = doc.data.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            doc.bad(key, value, "a whole number")
    for key in ("sheet", "issuer"):
        if doc.data.get(key) is not None and not isinstance(doc.data[key], _SCALARS):
            doc.bad(key, doc.data[key], "text")
    if doc.data.get("header_depth") not in (None, 1, 2):
        doc.bad("header_depth", doc.data.get("header_depth"), "1, 2")
