"""Criterion and area headers as provinces write them, resolved to the framework's items.

"LV1. Công tác chỉ đạo, điều hành (10,00 điểm)", "LV3 (14,50)", "1. Công tác chỉ đạo, điều hành",
"I. CÔNG TÁC CHỈ ĐẠO…", "Tiêu chí 1.1": a code or a number (arabic or roman), a name (whole, cut short or
spelled a little differently) and a maximum in brackets, any of them absent. The code wins over the number,
the number over the name; a name is matched exactly, as the start of the item's name, then fuzzily.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl
from rapidfuzz import fuzz, process

from core.text import fold

_MAX = re.compile(r"\(\s*(?:tối đa|max\.?)?\s*(\d+(?:[.,]\d+)?)\s*(?:điểm|đ|đ\.|points?)?\s*\)\s*$", re.IGNORECASE)
_LEAD = re.compile(
    r"^(?:(?:lĩnh vực|tiêu chí thành phần|tiêu chí|chỉ số thành phần|chỉ số|tc|lv)\s+)?"
    r"(?P<code>[a-z]{1,3}\d+(?:\.\d+)*|\d+(?:\.\d+)*|[ivxlc]+)(?=[.):\s-]|$)[.):-]?\s*",
    re.IGNORECASE,
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_FUZZY_MIN = 90
_NAME_MIN_LENGTH = 6


@dataclass(frozen=True)
class ItemHeader:
    code: str | None  # as written: "LV1", "1.1", "I"
    number: str | None  # "1", "1.1" (roman numerals as arabic)
    name: str | None  # folded, without the trailing "…"
    max_points: float | None


def _roman(text: str) -> int | None:
    values = [_ROMAN.get(ch) for ch in text.lower()]
    if not values or None in values:
        return None
    total = 0
    for here, after in zip(values, [*values[1:], 0], strict=True):
        assert here is not None and after is not None
        total += -here if here < after else here
    return total


def _number_of(code: str) -> str | None:
    digits = re.search(r"(\d+(?:\.\d+)*)$", code)
    if digits:
        return digits.group(1)
    roman = _roman(code)
    return str(roman) if roman else None


def parse_header(text: str) -> ItemHeader:
    text = " ".join(text.replace("\u00a0", " ").split())
    max_points = None
    m = _MAX.search(text)
    if m:
        max_points = float(m.group(1).replace(",", "."))
        text = text[: m.start()].strip()
    code = number = None
    lead = _LEAD.match(text)
    if lead:
        code = lead.group("code").rstrip(".")
        number = _number_of(code)
        text = text[lead.end() :]
    name = fold(text.rstrip(".… ").strip(" -:")) or None
    return ItemHeader(code, number, name, max_points)


@dataclass(frozen=True)
class Resolved:
    code: str
    method: str  # appraisal | survey
    max_points: float | None  # as written in the header, for the check against the framework


class ItemIndex:
    """Every item of the frameworks a load knows, to resolve a header to an item.

    A code or a number resolves to the item code; a name resolves to the item's folded name, so that each
    framework (one per kind and year, with its own codes) finds its own item by that name."""

    def __init__(self, items: pl.DataFrame):
        rows = items.select("item_code", "name_key", "method").unique(maintain_order=True).to_dicts()
        self.codes: dict[str, list[dict]] = {}
        self.numbers: dict[str, set[str]] = {}
        self.names: dict[str, list[dict]] = {}
        for r in rows:
            self.codes.setdefault(fold(r["item_code"]), []).append(r)
            number = _number_of(fold(r["item_code"]))
            if number:
                self.numbers.setdefault(number, set()).add(r["item_code"])
            self.names.setdefault(fold(r["name_key"] or ""), []).append(r)

    def resolve(self, header: str) -> Resolved | None:
        parsed = parse_header(header)
        if parsed.code and fold(parsed.code) in self.codes:
            found = self.codes[fold(parsed.code)]
            return Resolved(found[0]["item_code"], _method(found), parsed.max_points)
        if parsed.number and len(self.numbers.get(parsed.number, ())) == 1:
            code = next(iter(self.numbers[parsed.number]))
            return Resolved(code, _method(self.codes[fold(code)]), parsed.max_points)
        name = self._by_name(parsed.name) if parsed.name else None
        if name is None:
            return None
        return Resolved(name, _method(self.names[name]), parsed.max_points)

    def _by_name(self, name: str) -> str | None:
        if name in self.names:
            return name
        if len(name) < _NAME_MIN_LENGTH:
            return None
        starts = [n for n in self.names if n.startswith(name + " ")]
        if len(starts) == 1:
            return starts[0]
        if starts:
            return None
        hits = process.extract(name, list(self.names), scorer=fuzz.token_sort_ratio, limit=2)
        if hits and hits[0][1] >= _FUZZY_MIN and (len(hits) == 1 or hits[1][1] < hits[0][1]):
            return str(hits[0][0])
        return None


def _method(rows: list[dict]) -> str:
    """The method the item has in most frameworks (a survey area stays a survey area across years)."""
    methods = [r["method"] for r in rows]
    return max(set(methods), key=methods.count)
