"""Match the unit names people type to the register, without ever guessing.

Levels, tried in order, each restricted to units that existed in the year and are of an allowed kind:
pinned names (mapping file), codes, the full name, aliases, the name without its kind word
("Sở", "UBND xã", "TP."), then the same two without diacritics ("Ha Tinh"). The first level that finds
exactly one unit wins; one that finds several (after preferring units that still existed at the end of
the year, which settles old and new communes of the same name in 2025) is an ambiguity and the row is
refused, with candidates. So is a name no level finds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import polars as pl
from rapidfuzz import fuzz, process

from core.text import fold, lower_key, strip_diacritics

# Abbreviations written before names, expanded before comparing (keys are lower case, with diacritics).
_ABBREVIATIONS = [
    (r"^(ủy|uỷ) ban nhân dân\s+", ""),
    (r"^ubnd\s+", ""),
    (r"^tp\.?\s*", "thành phố "),
    (r"^tx\.?\s*", "thị xã "),
    (r"^tt\.?\s*", "thị trấn "),
    (r"^q\.\s*", "quận "),
    (r"^p\.\s*", "phường "),
    (r"^h\.\s*", "huyện "),
]
_KIND_WORDS = (
    "thành phố trực thuộc trung ương",
    "thành phố trung ương",
    "thành phố",
    "tỉnh",
    "huyện",
    "quận",
    "thị xã",
    "thị trấn",
    "xã",
    "phường",
    "đặc khu",
    "sở",
    "ban",
    "phòng",
    "bộ",
)
_KIND_PREFIX = re.compile(r"^(" + "|".join(re.escape(w) for w in _KIND_WORDS) + r")\s+")


def full_key(name: str) -> str:
    key = lower_key(name)
    for pattern, replacement in _ABBREVIATIONS:
        key = re.sub(pattern, replacement, key)
    return key.strip()


def bare_key(name: str) -> str:
    return _KIND_PREFIX.sub("", full_key(name), count=1).strip()


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    score: float


@dataclass(frozen=True)
class Match:
    code: str | None
    ambiguous: tuple[Candidate, ...] = ()  # several units fit equally
    closest: tuple[Candidate, ...] = ()  # no unit fits: the nearest names


class UnitRegister:
    """The units known to a load (published plus those loaded earlier in the same command)."""

    def __init__(self, units: pl.DataFrame):
        # units: unit_code, name, kind, valid_from, valid_to, aliases
        self.rows = units.select("unit_code", "name", "kind", "valid_from", "valid_to", "aliases").to_dicts()
        self.by_code = {r["unit_code"]: r for r in self.rows}
        self.indexes: list[dict[str, list[int]]] = [defaultdict(list) for _ in range(5)]
        full, alias, bare, full_folded, bare_folded = self.indexes
        for i, r in enumerate(self.rows):
            names = [r["name"]]
            full[full_key(r["name"])].append(i)
            for a in (r["aliases"] or "").split(";"):
                if a.strip():
                    alias[full_key(a)].append(i)
                    names.append(a)
            for n in names:
                bare[bare_key(n)].append(i)
                full_folded[strip_diacritics(full_key(n))].append(i)
                bare_folded[strip_diacritics(bare_key(n))].append(i)
        self._choices = {i: fold(r["name"]) for i, r in enumerate(self.rows)}

    @staticmethod
    def _active(r: dict, start: date, end: date) -> bool:
        return (r["valid_from"] is None or r["valid_from"] <= end) and (r["valid_to"] is None or r["valid_to"] >= start)

    def match(
        self,
        name: str,
        *,
        year: int | None = None,
        kinds: frozenset[str] | None = None,
        pins: dict[str, str] | None = None,
    ) -> Match:
        if pins:
            pinned = pins.get(name) or pins.get(full_key(name))
            if pinned is not None and pinned in self.by_code:
                return Match(pinned)
        if name in self.by_code or name.strip() in self.by_code:
            return Match(name.strip())
        start, end = (date(year, 1, 1), date(year, 12, 31)) if year else (date.min, date.max)

        def eligible(i: int) -> bool:
            r = self.rows[i]
            return (kinds is None or r["kind"] in kinds) and self._active(r, start, end)

        keys = [full_key(name), full_key(name), bare_key(name)]
        keys += [strip_diacritics(keys[0]), strip_diacritics(keys[2])]
        for index, key in zip(self.indexes, keys, strict=True):
            found = sorted({i for i in index.get(key, ()) if eligible(i)})
            if len(found) > 1 and year:
                # Old and new units may share a name in the year of the reorganisation: the unit that
                # existed at the end of the year is the one scored for that year.
                at_end = [i for i in found if self._active(self.rows[i], end, end)]
                found = at_end if len(at_end) == 1 else found
            if len(found) == 1:
                return Match(self.rows[found[0]]["unit_code"])
            if len(found) > 1:
                return Match(None, ambiguous=tuple(self._candidate(i, 100.0) for i in found[:8]))
        return Match(None, closest=self.closest(name, eligible))

    def _candidate(self, i: int, score: float) -> Candidate:
        r = self.rows[i]
        return Candidate(r["unit_code"], r["name"], round(score, 1))

    def closest(self, name: str, eligible=None, limit: int = 3) -> tuple[Candidate, ...]:
        choices = {i: c for i, c in self._choices.items() if eligible is None or eligible(i)}
        hits = process.extract(fold(name), choices, scorer=fuzz.WRatio, limit=limit)
        return tuple(self._candidate(i, score) for _, score, i in hits)


def describe_candidates(candidates: tuple[Candidate, ...]) -> str:
    return "; ".join(f"{c.name} ({c.code})" for c in candidates) or "—"
