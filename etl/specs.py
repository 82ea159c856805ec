"""The input table specs of tables.yaml, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from core import yamlfile
from core.text import fold

_TABLES = Path(__file__).parent / "tables.yaml"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str
    required: bool
    headers: tuple[str, ...]  # folded


@dataclass(frozen=True)
class TableSpec:
    name: str
    label: dict[str, str]
    target: str
    wide_measures: tuple[str, ...]
    fields: dict[str, FieldSpec]

    def field_for_header(self, header: str) -> str | None:
        """The field a header names (exact match after folding), if any."""
        key = fold(header)
        for field in self.fields.values():
            if key in field.headers:
                return field.name
        return None

    def measure_for_group(self, header: str) -> str | None:
        """The score a group header names, read loosely: "Điểm thẩm định theo lĩnh vực" is the appraised score
        (a listed header followed by more words)."""
        exact = self.field_for_header(header)
        if exact in self.wide_measures:
            return exact
        key = fold(header)
        best: tuple[int, str] | None = None
        for name in self.wide_measures:
            for h in self.fields[name].headers:
                if key.startswith(h + " ") and (best is None or len(h) > best[0]):
                    best = (len(h), name)
        return best[1] if best else None


@cache
def _raw() -> dict[str, Any]:
    with open(_TABLES, encoding="utf-8") as fh:
        return yamlfile.load(fh)


@cache
def table_specs() -> dict[str, TableSpec]:
    specs = {}
    for name, body in _raw().items():
        if not isinstance(body, dict) or "fields" not in body:
            continue
        fields = {
            fname: FieldSpec(fname, f["type"], bool(f.get("required")), tuple(fold(h) for h in f["headers"]))
            for fname, f in body["fields"].items()
        }
        specs[name] = TableSpec(
            name=name,
            label=body["label"],
            target=body["target"],
            wide_measures=tuple(body.get("wide_measures", ())),
            fields=fields,
        )
    return specs


@cache
def header(table: str, field: str) -> str:
    """The header parboard writes for a field (its first listed header, capitalised as in a spreadsheet)."""
    first = _raw()[table]["fields"][field]["headers"][0]
    return first[:1].upper() + first[1:]


@cache
def ignored_headers() -> frozenset[str]:
    return frozenset(fold(h) for h in _raw()["ignored_headers"])


@cache
def subtotal_markers() -> tuple[str, ...]:
    return tuple(_raw()["subtotal_markers"])


@cache
def footer_markers() -> tuple[str, ...]:
    return tuple(fold(h) for h in _raw()["footer_markers"])


@cache
def known_headers() -> frozenset[str]:
    """Every folded header any table recognises, plus the ignored ones: what header detection scores."""
    known = set(ignored_headers())
    for spec in table_specs().values():
        for field in spec.fields.values():
            known.update(field.headers)
    return frozenset(known)
