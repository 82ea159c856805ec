"""The administrative register of one province: its units before and after the 2025 reorganisation.

Sources (both PyPI packages, read from their data files, never from the network):

- ``vietnam-provinces``: the 34 provinces and 3,321 commune-level units in force from 2025-07-01, with the
  official codes, names and legal forms. It is the authority for every current unit.
- ``vietnamadminunits``: the 63 former provinces with their districts and communes (official codes, as on the
  eve of the reorganisation) and the conversion table old → new (which old commune went wholly into which new
  one, and which old communes were divided among several). Its own copy of the current wards has some codes
  that differ from the official list, so its current wards are matched to ``vietnam-provinces`` by name within
  the province, never by code. Its units are in an SQLite database that store/admin_units.py reads: callers
  pass what it returns (`PackageRows`) to the functions here.

Unit codes:

- current province: its official 2-digit code ("92"); current commune, ward, special zone: its official
  5-digit code ("31117");
- a former province that went on unchanged (same code, nothing merged into it) is one row with its plain code
  and no dates, and its former districts hang under that code;
- every other former unit: ``OLD-`` + its official former code: ``OLD-94`` (province), ``OLD-941`` (district),
  ``OLD-31471`` (commune). Former codes repeat current ones (old ward 00004 is not new ward 00004), so the
  prefix is what keeps the two apart; the length of the code still tells the level.

Dates: a current unit is valid from 2025-07-01; a former unit is valid to 2025-06-30, and its ``valid_from`` is
null because the packages describe the state just before the reorganisation, not when each unit was created.
Units that had already disappeared in earlier mergers (2021–2024) are therefore not in the register.

Lineage relations (effective 2025-07-01): "split" when the old unit was divided among several new ones,
"rename" when exactly one old unit became exactly one new unit, "merge" otherwise (several old units, or an
old unit that went wholly into a new unit formed with others). Island districts that had no communes
(Bạch Long Vĩ, Cồn Cỏ…) are the predecessors of their special zone directly.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import metadata
from pathlib import Path

import polars as pl
from rapidfuzz import fuzz, process

from core import programme
from core.text import fold, lower_key, nfc
from etl.problems import InputError, Problem

# The day the new units began, and the former units' last day (core.programme, from data/rules/reviews.yaml).
EFFECTIVE = programme.reorganisation()
LAST_OLD_DAY = EFFECTIVE - timedelta(days=1)
OLD_PREFIX = "OLD-"

UNIT_SCHEMA = {
    "unit_code": pl.Utf8,
    "name": pl.Utf8,
    "kind": pl.Utf8,
    "subkind": pl.Utf8,
    "parent_code": pl.Utf8,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
}
LINEAGE_SCHEMA = {
    "unit_code": pl.Utf8,
    "predecessor_code": pl.Utf8,
    "effective_date": pl.Date,
    "relation": pl.Utf8,
}

# Plans written before 2025 name Huế by its former province name; the package data only knows the city.
_EXTRA_ALIASES = {"thuathienhue": "46"}
# Words that only say what kind of province a name is; typed or not, they do not identify it.
_PREFIXES = (("thanh", "pho"), ("thu", "do"), ("tinh",), ("tp",))
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@dataclass(frozen=True, eq=False)
class PackageRows:
    """vietnamadminunits' units as rows, in the columns' order of store/sql/vietnamadminunits/*.sql.

    Compared and hashed by identity: what is built from them is cached per object, and store hands out one."""

    # provinceCode, province, provinceKey, provinceKeywords, districtCode, district, districtType, districtKey,
    # wardCode, ward, wardType, wardKey
    former_units: tuple[tuple, ...]
    # provinceCode, provinceKey, wardKey, ward, wardCode, provinceKeywords
    current_wards: tuple[tuple, ...]


@dataclass(frozen=True)
class Province:
    """A province as `find_province` resolved it. `former_*` are set when the input named a former province
    that is now part of this one; `notice` then says so in both languages."""

    code: str
    name: str
    division_type: str
    former_code: str | None = None
    former_name: str | None = None
    notice: Problem | None = None


@dataclass(frozen=True)
class Register:
    province_code: str
    province_name: str
    units: pl.DataFrame
    lineage: pl.DataFrame
    source: str


@dataclass(frozen=True)
class _FormerProvince:
    code: str  # official former code
    unit_code: str  # plain code when unchanged, else OLD-<code>
    name: str
    division_type: str
    keywords: tuple[str, ...]
    successor: str  # current province code
    unchanged: bool


@dataclass(frozen=True)
class _Data:
    current: dict[str, tuple[str, str]]  # code -> (full name, division type)
    current_keywords: dict[str, tuple[str, ...]]  # code -> vietnamadminunits keywords ("hcm", "hn"…)
    former: dict[str, _FormerProvince]  # official former code -> record
    units: pl.DataFrame  # national, with a "group" column (current province code)
    lineage: pl.DataFrame  # national, with a "group" column
    source: str


# ---------------------------------------------------------------------------------------------------------
# Reading the packages


def _vau_dir() -> Path:
    import vietnamadminunits

    return Path(vietnamadminunits.__file__).parent / "data"


def _compact(text: str) -> str:
    """No diacritics, no spaces or punctuation: "Bà Rịa - Vũng Tàu" -> "bariavungtau"."""
    return _NON_ALNUM.sub("", fold(text))


def _compact_marks(text: str) -> str:
    """Like _compact but keeps diacritics: tells "Xã Văn Lang" from "Xã Văn Lăng"."""
    return re.sub(r"[\W_]+", "", lower_key(text))


def _bare_words(text: str, marks: bool = False) -> list[str]:
    """Lower-case words of a province name without the "Tỉnh" / "Thành phố" in front; folded unless marks."""
    folded = _NON_ALNUM.sub(" ", fold(text)).split()
    words = re.sub(r"[\W_]+", " ", lower_key(text)).split() if marks else folded
    if len(words) != len(folded):  # punctuation that folds away differently: keep the plain form
        words = folded
    for prefix in _PREFIXES:
        if tuple(folded[: len(prefix)]) == prefix and len(folded) > len(prefix):
            return words[len(prefix) :]
    return words


def _full_province_name(name: str, division_type: str) -> str:
    # vietnam-provinces writes "Cao Bằng" for a tỉnh but "Thành phố Hà Nội" for a city
    name = nfc(name)
    if division_type == "tỉnh" and not name.startswith("Tỉnh "):
        return f"Tỉnh {name}"
    return name


@cache
def _data(package: PackageRows) -> _Data:
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        nested = json.load(fh)
    with open(_vau_dir() / "converter_2025.json", encoding="utf-8") as fh:
        converter = json.load(fh)
    legacy = package.former_units
    vau_current = package.current_wards

    current, wards = _current(nested)
    current_keywords = {row[0]: tuple(json.loads(row[5] or "[]")) for row in vau_current}
    # current province key (vietnamadminunits) -> official code
    new_pkey_code = {pkey: pcode for pcode, pkey, *_ in vau_current}
    if set(new_pkey_code.values()) != set(current):
        raise RuntimeError("vietnamadminunits and vietnam-provinces disagree on the 34 provinces")
    new_ward_code = _match_current_wards(wards, vau_current)
    former = _former_provinces(legacy, converter["DICT_PROVINCE"], new_pkey_code)

    former_rows, old_key_code = _former_unit_rows(legacy, former)
    rows = _current_unit_rows(current, former, wards) + former_rows
    units = pl.DataFrame(rows, schema={**UNIT_SCHEMA, "group": pl.Utf8}, orient="row")
    if units["unit_code"].n_unique() != units.height:
        raise RuntimeError("two units share a code")

    edges = _lineage_edges(former, converter, new_pkey_code, new_ward_code, old_key_code)
    edge_frame = pl.DataFrame(sorted(edges), schema=["unit_code", "predecessor_code", "group"], orient="row")
    lineage = _with_relations(edge_frame)

    source = (
        f"vietnam-provinces {metadata.version('vietnam-provinces')} (data {vietnam_provinces.__data_version__}); "
        f"vietnamadminunits {metadata.version('vietnamadminunits')}"
    )
    return _Data(current, current_keywords, former, units, lineage, source)


def _current(nested: list[dict]) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str, str]]]:
    """Current provinces (code -> full name, division type) and wards (code, name, type, province code), as
    vietnam-provinces, the authority for them, lists them."""
    current: dict[str, tuple[str, str]] = {}
    wards: list[tuple[str, str, str, str]] = []
    for prov in nested:
        pcode = f"{prov['code']:02d}"
        current[pcode] = (_full_province_name(prov["name"], prov["division_type"]), prov["division_type"])
        wards.extend((f"{w['code']:05d}", nfc(w["name"]), w["division_type"], pcode) for w in prov["wards"])
    return current, wards


def _former_provinces(
    legacy: tuple[tuple, ...], merged_into: dict[str, list[str]], new_pkey_code: dict[str, str]
) -> dict[str, _FormerProvince]:
    """Each former province with its successor; merged_into: current province key -> former province keys."""
    successor_key = {old: new for new, olds in merged_into.items() for old in olds}
    former: dict[str, _FormerProvince] = {}
    for pcode, pname, pkey, keywords, *_ in legacy:
        if pcode in former:
            continue
        new_code = new_pkey_code[successor_key[pkey]]
        unchanged = new_code == pcode and merged_into[successor_key[pkey]] == [pkey]
        former[pcode] = _FormerProvince(
            code=pcode,
            unit_code=pcode if unchanged else OLD_PREFIX + pcode,
            name=nfc(pname),
            division_type="thành phố trung ương" if pname.startswith("Thành phố") else "tỉnh",
            keywords=tuple(json.loads(keywords or "[]")),
            successor=new_code,
            unchanged=unchanged,
        )
    return former


def _current_unit_rows(
    current: dict[str, tuple[str, str]], former: dict[str, _FormerProvince], wards: list[tuple[str, str, str, str]]
) -> list[tuple]:
    """Unit rows (UNIT_SCHEMA + group) of the provinces, current and former, and of the current communes."""
    rows: list[tuple] = []
    for pcode, (pname, ptype) in current.items():
        unchanged = pcode in former and former[pcode].unchanged
        rows.append((pcode, pname, "province", ptype, None, None if unchanged else EFFECTIVE, None, pcode))
    for fp in former.values():
        if not fp.unchanged:
            rows.append((fp.unit_code, fp.name, "province", fp.division_type, None, None, LAST_OLD_DAY, fp.successor))
    for code, name, wtype, pcode in wards:
        rows.append((code, name, "commune", wtype, pcode, EFFECTIVE, None, pcode))
    return rows


def _former_unit_rows(
    legacy: tuple[tuple, ...], former: dict[str, _FormerProvince]
) -> tuple[list[tuple], dict[str, str]]:
    """Unit rows of the former districts and communes, and the unit code of each former
    "<province>_<district>_<ward>" key the converter names."""
    rows: list[tuple] = []
    old_key_code: dict[str, str] = {}
    seen_districts: set[str] = set()
    for pcode, _pn, pkey, _kw, dcode, dname, dtype, dkey, wcode, wname, wtype, wkey in legacy:
        fp = former[pcode]
        dunit = OLD_PREFIX + dcode
        if dcode not in seen_districts:
            seen_districts.add(dcode)
            rows.append((dunit, nfc(dname), "district", dtype.lower(), fp.unit_code, None, LAST_OLD_DAY, fp.successor))
        if wcode is None:
            # island district without communes: it became a special zone itself
            old_key_code[f"{pkey}_{dkey}_"] = dunit
            continue
        wunit = OLD_PREFIX + wcode
        old_key_code[f"{pkey}_{dkey}_{wkey}"] = wunit
        rows.append((wunit, nfc(wname), "commune", wtype.lower(), dunit, None, LAST_OLD_DAY, fp.successor))
    return rows, old_key_code


def _lineage_edges(
    former: dict[str, _FormerProvince],
    converter: dict,
    new_pkey_code: dict[str, str],
    new_ward_code: dict[tuple[str, str], str],
    old_key_code: dict[str, str],
) -> set[tuple[str, str, str]]:
    """Lineage edges (new code, old code, group): merged provinces, communes gone wholly into a new one, and
    communes divided among several."""
    edges: set[tuple[str, str, str]] = set()
    for fp in former.values():
        if not fp.unchanged:
            edges.add((fp.successor, fp.unit_code, fp.successor))
    for new_pkey, by_new in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in by_new.items():
            new_code = new_ward_code[(new_pkey, new_wkey)]
            edges.update((new_code, old_key_code[k], new_pkey_code[new_pkey]) for k in old_keys)
    for new_pkey, by_old in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in by_old.items():
            edges.update(
                (new_ward_code[(new_pkey, p["newWardKey"])], old_key_code[old_key], new_pkey_code[new_pkey])
                for p in parts
            )
    return edges


def _match_current_wards(
    wards: list[tuple[str, str, str, str]], vau_current: tuple[tuple, ...]
) -> dict[tuple[str, str], str]:
    """(province key, ward key) of vietnamadminunits -> official ward code of vietnam-provinces.

    By name within the province: about a hundred codes differ between the packages, while names differ only in
    spelling (Thuỷ / Thủy, doubled spaces, dashes). Names that fold alike ("Văn Lang" / "Văn Lăng") are told
    apart with their diacritics.
    """
    by_plain: dict[tuple[str, str], list[str]] = defaultdict(list)
    by_marks: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, name, _type, pcode in wards:
        by_plain[(pcode, _compact(name))].append(code)
        by_marks[(pcode, _compact_marks(name))].append(code)
    result: dict[tuple[str, str], str] = {}
    for pcode, pkey, wkey, wname, wcode, _kw in vau_current:
        found = by_plain.get((pcode, _compact(wname)), [])
        if len(found) > 1:
            narrowed = by_marks.get((pcode, _compact_marks(wname)), [])
            found = narrowed if len(narrowed) == 1 else [c for c in found if c == wcode]
        if len(found) != 1:
            raise RuntimeError(f"current ward {wname!r} ({pcode}) not found in vietnam-provinces")
        result[(pkey, wkey)] = found[0]
    if len(set(result.values())) != len(wards):
        raise RuntimeError("current wards of the two packages do not match one to one")
    return result


def _with_relations(edges: pl.DataFrame) -> pl.DataFrame:
    out_degree = pl.col("unit_code").n_unique().over("predecessor_code")
    in_degree = pl.col("predecessor_code").n_unique().over("unit_code")
    return edges.with_columns(
        effective_date=pl.lit(EFFECTIVE),
        relation=pl.when(out_degree > 1)
        .then(pl.lit("split"))
        .when(in_degree == 1)
        .then(pl.lit("rename"))
        .otherwise(pl.lit("merge")),
    ).select([*LINEAGE_SCHEMA, "group"])


# ---------------------------------------------------------------------------------------------------------
# Public API


def provinces(package: PackageRows) -> pl.DataFrame:
    """The 34 current provinces and the former ones; a former province that went on unchanged is one row.

    Besides code, name, division_type, valid_from and valid_to: unit_code (the code in a register) and
    successor_code (the current province it is, or became part of).
    """
    data = _data(package)
    return (
        data.units.filter(pl.col("kind") == "province")
        .select(
            code=pl.col("unit_code").str.strip_prefix(OLD_PREFIX),
            name="name",
            division_type="subkind",
            valid_from="valid_from",
            valid_to="valid_to",
            unit_code="unit_code",
            successor_code="group",
        )
        .sort(pl.col("valid_to").is_not_null(), "code")
    )


@dataclass(frozen=True)
class _Entry:
    target: str  # current province code
    former: _FormerProvince | None
    label: str  # name shown among candidates


@cache
def _index(package: PackageRows) -> tuple[dict[str, list[_Entry]], list[tuple[list[str], list[str], _Entry]]]:
    """Compact name / keyword -> entries, and the words of every name (without and with diacritics) for
    partial matches."""
    data = _data(package)
    exact: dict[str, list[_Entry]] = defaultdict(list)
    words: list[tuple[list[str], list[str], _Entry]] = []

    def add(keys: list[str], entry: _Entry, name: str) -> None:
        for key in {k for k in keys if k}:
            exact[key].append(entry)
        words.append((_bare_words(name), _bare_words(name, marks=True), entry))

    for code, (name, _type) in data.current.items():
        entry = _Entry(code, None, f"{name} ({code})")
        add([_compact(name), "".join(_bare_words(name)), *data.current_keywords[code]], entry, name)
    for fp in data.former.values():
        successor_name = data.current[fp.successor][0]
        # a former province under its successor's own name (Cần Thơ, Quảng Ngãi…) is found as the current one
        if fp.unchanged or _compact(fp.name) == _compact(successor_name):
            continue
        entry = _Entry(fp.successor, fp, f"{fp.name} ({fp.code}) → {successor_name} ({fp.successor})")
        add([_compact(fp.name), "".join(_bare_words(fp.name)), *fp.keywords], entry, fp.name)
    for alias, code in _EXTRA_ALIASES.items():
        exact[alias].append(_Entry(code, None, f"{data.current[code][0]} ({code})"))
    return dict(exact), words


def find_province(name_or_code: str, package: PackageRows) -> Province:
    """The current province named by an official code, a full or bare name, with or without diacritics.

    A former province resolves to the current province it became part of, with a notice saying so.
    Raises InputError (province_unknown / province_ambiguous) with the closest candidates.
    """
    data = _data(package)
    text = nfc(name_or_code)
    if text.isdigit():
        code = f"{int(text):02d}"
        if code in data.current:
            return _province(data, code)
        if code in data.former:
            return _province(data, data.former[code].successor, data.former[code], text)
        near = sorted(data.current, key=lambda c: abs(int(c) - int(code)))[:5]
        raise _unknown(text, [f"{data.current[c][0]} ({c})" for c in sorted(near)])

    exact, words = _index(package)
    query_words = _bare_words(text)
    entries = exact.get(_compact(text)) or exact.get("".join(query_words)) or []
    if not entries and query_words:
        # a run of whole words: "Vũng Tàu" for "Bà Rịa - Vũng Tàu", "Quảng" for all the Quảng provinces;
        # diacritics typed are diacritics meant ("Quảng" is not "Quang" of Tuyên Quang)
        query_marks = _bare_words(text, marks=True)
        if query_marks != query_words:
            entries = [e for _ws, ms, e in words if _contains_run(ms, query_marks)]
        entries = entries or [e for ws, _ms, e in words if _contains_run(ws, query_words)]
    if not entries:
        choices = {e.label: " ".join(ws) for ws, _ms, e in words}
        best = process.extract(" ".join(query_words), choices, scorer=fuzz.WRatio, limit=5)
        raise _unknown(text, [label for _choice, _score, label in best])

    targets = {e.target for e in entries}
    current = [e for e in entries if e.former is None]
    if len(targets) > 1:
        labels = list(dict.fromkeys(e.label for e in sorted(entries, key=lambda e: (e.former is not None, e.label))))
        raise InputError(
            [
                Problem(
                    "province_ambiguous",
                    params={"name": text, "candidates": ", ".join(labels), "candidate_codes": sorted(targets)},
                )
            ]
        )
    target = targets.pop()
    if current:
        return _province(data, target)
    return _province(data, target, entries[0].former, text)


def _contains_run(words: list[str], run: list[str]) -> bool:
    n = len(run)
    return any(words[i : i + n] == run for i in range(len(words) - n + 1))


def _province(data: _Data, code: str, former: _FormerProvince | None = None, typed: str | None = None) -> Province:
    name, division_type = data.current[code]
    if former is None or former.unchanged:
        return Province(code, name, division_type)
    notice = Problem(
        "province_former",
        severity="info",
        params={"name": typed, "former": former.name, "former_code": former.code, "province": name, "code": code},
    )
    return Province(code, name, division_type, former.code, former.name, notice)


def _unknown(text: str, candidates: list[str]) -> InputError:
    return InputError(
        [
            Problem(
                "province_unknown",
                params={"name": text, "candidates": ", ".join(candidates), "candidate_list": candidates},
            )
        ]
    )


def province_register(name_or_code: str, package: PackageRows) -> Register:
    """Units and lineage of one current province: itself, the former provinces, districts and communes that
    became it, and its current communes."""
    province = find_province(name_or_code, package)
    data = _data(package)
    group = pl.col("group") == province.code
    # provinces, current communes, then former districts and former communes
    level = pl.col("kind").replace_strict({"province": 0, "district": 1, "commune": 2})
    former = pl.col("valid_to").is_not_null()
    units = data.units.filter(group).sort(former & (pl.col("kind") != "province"), level, "unit_code").drop("group")
    lineage = data.lineage.filter(group).drop("group").sort("unit_code", "predecessor_code")
    return Register(province.code, province.name, units, lineage, data.source)
