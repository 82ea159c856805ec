"""Rules files (YAML): scoring frameworks and tier sets, versioned by issuer, unit kind and years.

A framework file lists component areas with their criteria and maximum points; a tier set lists the tiers
with their bounds. One file may cover several years (`years: [2021, 2022]`): the same rules applied to each.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import polars as pl

from core import programme
from core.text import fold, nfc
from etl.mapping import YamlRefused, guarded_yaml
from etl.problems import InputError, Problem, Term

RULE_KINDS = ("framework", "tier_set")
UNIT_KINDS = ("department", "district", "commune", "province", "ministry")
RESCALE = ("none", "to_scale", "when_no_survey")
ADJUSTMENTS = ("bonus", "penalty")
TIERS = ("xuat_sac", "tot", "kha", "trung_binh", "yeu")
TOTAL_ITEM = "TOTAL"


def is_rules_file(raw: bytes) -> bool:
    head = raw[:400].decode("utf-8", errors="ignore")
    return any(line.strip().startswith("rules:") for line in head.splitlines())


def read_rules(raw: bytes, file_name: str) -> tuple[str, dict[str, pl.DataFrame]]:
    """Parse a rules file into frames for its tables; InputError names the key that is wrong."""
    try:
        doc = guarded_yaml(raw)
    except YamlRefused as exc:
        detail = exc.detail if exc.reason == "yaml_unreadable" else Term(f"problems.{exc.reason}")
        raise InputError([Problem("rules_unreadable", file=file_name, params={"detail": detail})]) from exc
    if not isinstance(doc, dict) or doc.get("rules") not in RULE_KINDS:
        raise InputError([Problem("rules_kind", file=file_name, params={"kinds": ", ".join(RULE_KINDS)})])
    problems: list[Problem] = []
    header = _header(doc, file_name, problems)
    if doc["rules"] == "framework":
        frames = _framework(doc, header, file_name, problems)
    else:
        frames = _tier_set(doc, header, file_name, problems)
    if problems:
        raise InputError(problems)
    return doc["rules"], frames


def _problem(problems: list[Problem], file_name: str, key: str, code: str, /, **params: Any) -> None:
    problems.append(Problem(code, file=file_name, column=key, params=params))


def _header(doc: dict[str, Any], file_name: str, problems: list[Problem]) -> dict[str, Any]:
    issuer = doc.get("issuer") or {}
    if not isinstance(issuer, dict) or not issuer.get("code") or not issuer.get("name"):
        _problem(problems, file_name, "issuer", "rules_missing", key="issuer: {code, name}")
        issuer = {"code": "?", "name": "?"}
    kind = doc.get("unit_kind")
    if kind not in UNIT_KINDS:
        _problem(
            problems,
            file_name,
            "unit_kind",
            "rules_bad_value",
            key="unit_kind",
            value=kind,
            allowed=", ".join(UNIT_KINDS),
        )
    years = doc.get("years", [doc.get("year")] if doc.get("year") else [])
    first, last = programme.first_year(), programme.last_year()
    if not years or not all(isinstance(y, int) and first <= y <= last for y in years):
        _problem(problems, file_name, "years", "rules_bad_value", key="years", value=years, allowed=f"{first}–{last}")
        years = []
    if not doc.get("name"):
        _problem(problems, file_name, "name", "rules_missing", key="name")
    return {
        "issuer_code": str(issuer["code"]),
        "issuer_name": nfc(str(issuer["name"])),
        "unit_kind": kind,
        "years": sorted(set(years)),
        "name": nfc(str(doc.get("name", ""))),
        "source_doc": nfc(str(doc["source_doc"])) if doc.get("source_doc") else None,
    }


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def _adjustments(
    doc: dict[str, Any],
    file_name: str,
    problems: list[Problem],
    items: list[dict[str, Any]],
    seen: set[str],
    ordinal: int,
) -> int:
    """Bonus and penalty points outside the criteria, each with its bound (điểm thưởng ≤ 5, điểm trừ ≤ 10);
    appended to items, returning the last ordinal used."""
    for a_index, adj in enumerate(doc.get("adjustments") or [], start=1):
        where = f"adjustments[{a_index}]"
        code = str(adj.get("code", "")).strip()
        bound = _number(adj.get("max"))
        if not code or not adj.get("name") or bound is None or bound <= 0:
            _problem(problems, file_name, where, "rules_missing", key=f"{where}: code, name, max > 0")
            continue
        if adj.get("kind") not in ADJUSTMENTS:
            _problem(
                problems,
                file_name,
                where,
                "rules_bad_value",
                key=f"{where}.kind",
                value=adj.get("kind"),
                allowed=", ".join(ADJUSTMENTS),
            )
            continue
        if code in seen:
            _problem(problems, file_name, where, "rules_duplicate", code=code)
        seen.add(code)
        ordinal += 1
        items.append(
            {
                "item_code": code,
                "item_level": "adjustment",
                "component_code": code,
                "name": nfc(str(adj["name"])),
                "max_points": bound,
                "method": adj["kind"],
                "ordinal": ordinal,
            }
        )
    return ordinal


def _framework(
    doc: dict[str, Any], h: dict[str, Any], file_name: str, problems: list[Problem]
) -> dict[str, pl.DataFrame]:
    scale = _number(doc.get("total_scale", 100))
    rescale = doc.get("rescale", "none")
    if rescale not in RESCALE:
        _problem(
            problems, file_name, "rescale", "rules_bad_value", key="rescale", value=rescale, allowed=", ".join(RESCALE)
        )
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    ordinal = 0
    for c_index, comp in enumerate(doc.get("components") or [], start=1):
        where = f"components[{c_index}]"
        code = str(comp.get("code", "")).strip()
        method = comp.get("method", "appraisal")
        if not code or not comp.get("name"):
            _problem(problems, file_name, where, "rules_missing", key=f"{where}: code, name")
            continue
        if method not in ("appraisal", "survey"):
            _problem(
                problems,
                file_name,
                where,
                "rules_bad_value",
                key=f"{where}.method",
                value=method,
                allowed="appraisal, survey",
            )
        criteria = comp.get("criteria") or []
        crit_sum = 0.0
        ordinal += 1
        comp_row = {
            "item_code": code,
            "item_level": "component",
            "component_code": code,
            "name": nfc(str(comp["name"])),
            "method": method,
            "ordinal": ordinal,
        }
        items.append(comp_row)
        for k_index, crit in enumerate(criteria, start=1):
            cwhere = f"{where}.criteria[{k_index}]"
            ccode = str(crit.get("code", "")).strip()
            cmax = _number(crit.get("max"))
            if not ccode or not crit.get("name") or cmax is None or cmax <= 0:
                _problem(problems, file_name, cwhere, "rules_missing", key=f"{cwhere}: code, name, max > 0")
                continue
            if ccode in seen or ccode == code:
                _problem(problems, file_name, cwhere, "rules_duplicate", code=ccode)
            seen.add(ccode)
            crit_sum += cmax
            ordinal += 1
            items.append(
                {
                    "item_code": ccode,
                    "item_level": "criterion",
                    "component_code": code,
                    "name": nfc(str(crit["name"])),
                    "max_points": cmax,
                    "method": method,
                    "ordinal": ordinal,
                }
            )
        comp_max = _number(comp.get("max"))
        if comp_max is None and not criteria:
            _problem(problems, file_name, where, "rules_missing", key=f"{where}: max or criteria")
        elif comp_max is not None and criteria and abs(comp_max - crit_sum) > 1e-9:
            _problem(problems, file_name, where, "rules_sum", code=code, max=comp_max, total=round(crit_sum, 4))
        comp_row["max_points"] = comp_max if comp_max is not None else crit_sum
        if code in seen:
            _problem(problems, file_name, where, "rules_duplicate", code=code)
        seen.add(code)
    if not items:
        _problem(problems, file_name, "components", "rules_missing", key="components")
    total_max = sum(i["max_points"] for i in items if i["item_level"] == "component")
    ordinal = _adjustments(doc, file_name, problems, items, seen, ordinal)
    if rescale == "none" and scale is not None and items and abs(total_max - scale) > 1e-9:
        _problem(problems, file_name, "total_scale", "rules_total", total=round(total_max, 4), scale=scale)
    if problems:
        return {}
    frameworks, rows = _versions(h, "framework_id", items, total_scale=scale, rescale=rescale)
    rows = [{**row, "name_key": fold(row["name"])} for row in rows]
    return {
        **_issuer(h),
        "framework": pl.DataFrame(frameworks),
        "framework_item": pl.DataFrame(rows).select(
            "framework_id",
            "item_code",
            "item_level",
            "component_code",
            "name",
            "name_key",
            "max_points",
            "method",
            "ordinal",
        ),
    }


def _tier_set(
    doc: dict[str, Any], h: dict[str, Any], file_name: str, problems: list[Problem]
) -> dict[str, pl.DataFrame]:
    bands = []
    for index, tier in enumerate(doc.get("tiers") or [], start=1):
        where = f"tiers[{index}]"
        code = tier.get("tier")
        if code not in TIERS:
            _problem(
                problems, file_name, where, "rules_bad_value", key=f"{where}.tier", value=code, allowed=", ".join(TIERS)
            )
            continue
        lower = tier.get("min", tier.get("above"))
        upper = tier.get("max", tier.get("below"))
        bands.append(
            {
                "tier": code,
                "tier_rank": TIERS.index(code) + 1,
                "lower_bound": _number(lower),
                "lower_inclusive": "above" not in tier,
                "upper_bound": _number(upper),
                "upper_inclusive": "below" not in tier,
            }
        )
    if not bands:
        _problem(problems, file_name, "tiers", "rules_missing", key="tiers")
    bands.sort(key=lambda b: b["tier_rank"])
    # Adjacent tiers must meet exactly, with one side inclusive: no score may fall in a gap or in two tiers.
    for better, worse in itertools.pairwise(bands):
        if (
            better["lower_bound"] is None
            or worse["upper_bound"] != better["lower_bound"]
            or (better["lower_inclusive"] == worse["upper_inclusive"])
        ):
            _problem(problems, file_name, "tiers", "rules_tier_gap", better=better["tier"], worse=worse["tier"])
    if problems:
        return {}
    sets, rows = _versions(h, "tier_set_id", bands)
    return {
        **_issuer(h),
        "tier_set": pl.DataFrame(sets),
        "tier_band": pl.DataFrame(rows, schema_overrides={"lower_bound": pl.Float64, "upper_bound": pl.Float64}),
    }


def _issuer(h: dict[str, Any]) -> dict[str, pl.DataFrame]:
    return {"issuer": pl.DataFrame([{"issuer_code": h["issuer_code"], "name": h["issuer_name"]}])}


def _versions(
    h: dict[str, Any], id_column: str, children: list[dict[str, Any]], **extra: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One version per year the file covers (id issuer/kind/year), each with its own copy of the child rows."""
    heads: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for year in h["years"]:
        version_id = f"{h['issuer_code']}/{h['unit_kind']}/{year}"
        heads.append(
            {
                id_column: version_id,
                "issuer_code": h["issuer_code"],
                "unit_kind": h["unit_kind"],
                "year": year,
                "name": h["name"],
                **extra,
                "source_doc": h["source_doc"],
            }
        )
        rows.extend({id_column: version_id, **child} for child in children)
    return heads, rows
