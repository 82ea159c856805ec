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
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property, lru_cache

import polars as pl
from rapidfuzz import fuzz, process

from core import vocab, yamlfile
from core.paths import REFERENCE
from core.text import fold, lower_key, strip_diacritics

_DASHES = re.compile(r"\s*[-\u2010-\u2015]\s*")  # "Bà Rịa – Vũng Tàu", "Bà Rịa-Vũng Tàu": one name


@cache
def _prefixes() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Abbreviations written before names (data/vocab.yaml `name_prefixes`), expanded before comparing."""
    return tuple((re.compile(pattern), replacement) for pattern, replacement in vocab.raw()["name_prefixes"])


@cache
def _kind_prefix() -> re.Pattern[str]:
    words = sorted(vocab.raw()["name_kind_words"], key=len, reverse=True)
    return re.compile(r"^(" + "|".join(re.escape(w) for w in words) + r")\s+")


@dataclass(frozen=True)
class NameVariant:
    code: str
    name: str
    first: int | None  # first year the name was in use (inclusive), None = always
    last: int | None


@cache
def name_variants() -> tuple[NameVariant, ...]:
    """Per-year names of units (data/reference/province_names.yaml): renames, abbreviations, English names."""
    with open(REFERENCE / "province_names.yaml", encoding="utf-8") as fh:
        body = yamlfile.load(fh)
    return tuple(
        NameVariant(str(code), v["name"], v.get("from"), v.get("to"))
        for code, variants in body["names"].items()
        for v in variants
    )


@lru_cache(maxsize=2**18)  # the same names come back in every file of a load
def full_key(name: str) -> str:
    key = _DASHES.sub(" ", lower_key(name.replace("\u00a0", " ")))
    for pattern, replacement in _prefixes():
        key = pattern.sub(replacement, key)
    return " ".join(key.split())


@lru_cache(maxsize=2**18)  # the same names come back in every file of a load
def bare_key(name: str) -> str:
    return _kind_prefix().sub("", full_key(name), count=1).strip()


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
        # Names of a given year (renames, abbreviations, English): key -> [(row, first year, last year)].
        self.variants: dict[str, list[tuple[int, int | None, int | None]]] = defaultdict(list)
        positions = {r["unit_code"]: i for i, r in enumerate(self.rows)}
        for v in name_variants():
            if v.code in positions:
                for key in {strip_diacritics(full_key(v.name)), strip_diacritics(bare_key(v.name))}:
                    self.variants[key].append((positions[v.code], v.first, v.last))

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
        in_use = {
            i
            for key in (keys[3], keys[4])
            for i, first, last in self.variants.get(key, ())
            if year is None or ((first is None or first <= year) and (last is None or last >= year))
        }
        levels = [*zip(self.indexes, keys, strict=True), ({"": sorted(in_use)}, "")]
        for index, key in levels:
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

    @cached_property
    def _sole_names(self) -> pl.DataFrame:
        """The units whose full name no other unit of the register has, as registered (see agreeing)."""
        sole = [ids[0] for ids in self.indexes[0].values() if len(ids) == 1]
        schema = {"unit_code": pl.String, "_name": pl.String, "_kind": pl.String, "_from": pl.Date, "_to": pl.Date}
        rows = [self.rows[i] for i in sole]
        columns = ("unit_code", "name", "kind", "valid_from", "valid_to")
        return pl.DataFrame([[r[c] for c in columns] for r in rows], schema=schema, orient="row")

    def agreeing(self, pairs: pl.DataFrame, kinds: frozenset[str] | None = None) -> pl.Series:
        """For each row of pairs (unit_code, unit[, year]), True where `match` surely gives the row's code, found
        in one vectorised pass: the name is its code's registered name character for character, no other unit
        has that full name, and the unit existed in the year and is of the kinds (match's first level then finds
        that unit alone). False means: ask match. Nearly every row that gives both a code and a name is so (a
        national load has 265,000 such pairs)."""
        codes = list(self.by_code)
        joined = pairs.select("unit_code", "unit", *(["year"] if "year" in pairs.columns else [])).join(
            self._sole_names, on="unit_code", how="left", maintain_order="left"
        )
        sure = (pl.col("unit") == pl.col("_name")) & ~pl.col("unit").is_in(codes)
        sure &= ~pl.col("unit").str.strip_chars().is_in(codes)
        if kinds is not None:
            sure &= pl.col("_kind").is_in(list(kinds))
        if "year" in pairs.columns:
            year = pl.col("year")
            active = (pl.col("_from").is_null() | (pl.col("_from") <= pl.date(year, 12, 31))) & (
                pl.col("_to").is_null() | (pl.col("_to") >= pl.date(year, 1, 1))
            )
            sure &= year.is_null() | (year == 0) | active
        return joined.select(sure.fill_null(False)).to_series()

    def _candidate(self, i: int, score: float) -> Candidate:
        r = self.rows[i]
        return Candidate(r["unit_code"], r["name"], round(score, 1))

    def closest(self, name: str, eligible=None, limit: int = 3) -> tuple[Candidate, ...]:
        choices = {i: c for i, c in self._choices.items() if eligible is None or eligible(i)}
        hits = process.extract(fold(name), choices, scorer=fuzz.WRatio, limit=limit)
        return tuple(self._candidate(i, score) for _, score, i in hits)


def describe_candidates(candidates: tuple[Candidate, ...]) -> str:
    return "; ".join(f"{c.name} ({c.code})" for c in candidates) or "—"


_REGISTERS: OrderedDict[tuple[int, int, int], UnitRegister] = OrderedDict()
_REGISTERS_LOCK = threading.Lock()
_REGISTERS_KEPT = 4


def register_of(units: pl.DataFrame) -> UnitRegister:
    """The register of these units, built once per distinct content in a process: the Import page's preview and
    check, and every later check against the same published units, ask for the same one (0.3 s to build at
    national scale). Keyed by the rows' content (two independent row hashes and the row count)."""
    columns = units.select("unit_code", "name", "kind", "valid_from", "valid_to", "aliases")
    key = (columns.height, int(columns.hash_rows(seed=0).sum()), int(columns.hash_rows(seed=1).sum()))
    with _REGISTERS_LOCK:
        found = _REGISTERS.get(key)
        if found is not None:
            _REGISTERS.move_to_end(key)
            return found
    built = UnitRegister(units)
    with _REGISTERS_LOCK:
        _REGISTERS[key] = built
        while len(_REGISTERS) > _REGISTERS_KEPT:
            _REGISTERS.popitem(last=False)
    return built
