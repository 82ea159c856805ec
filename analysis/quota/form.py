"""A one-rule scenario from a form's plain values, and which form field a validation error belongs to.

The page collects values; this turns them into the same dict a preset file holds, and the engine's
validation (model.parse) names any wrong field; `field_of` maps that path back to the form's field so the
page can say "Tỷ lệ (%): nằm ngoài khoảng cho phép" next to the right input.
"""

from __future__ import annotations

import re
from typing import Any

from analysis.quota.model import FieldError


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def scenario_from_form(v: dict[str, Any]) -> dict[str, Any]:
    """v: name, award_label, award_kind, recipient, review (None or [first, last]), groups (list of dicts:
    name, kinds, quota_kind, count, low, high, percent, base, titles, rounding), the eligibility fields
    (registered_by, tier_min, total_min, completion_min, no_case, member_discipline_from, exists_at_end,
    min_years, titles, unit_tier_min), the conditions over several years (history_tier_years, history_tier,
    history_rank_years, history_title_years, history_titles, history_award_years, history_forms), measure,
    component, tie_break, at_cutoff."""
    groups = []
    for i, g in enumerate(v.get("groups") or [], start=1):
        kind = g.get("quota_kind", "count")
        if kind == "count":
            q: dict[str, Any] = {"count": g.get("count")}
        elif kind == "range":
            q = {"range": [g.get("low"), g.get("high")]}
        else:
            q = {"percent": g.get("percent"), "base": g.get("base", "all"), "rounding": g.get("rounding", "floor")}
            if g.get("base") == "title":
                q["titles"] = [t.strip() for t in str(g.get("titles") or "").split(";") if t.strip()]
        groups.append({"id": f"g{i}", "name": g.get("name") or f"{i}", "kinds": list(g.get("kinds") or []), "quota": q})
    elig_keys = (
        "registered_by",
        "tier_min",
        "total_min",
        "completion_min",
        "no_case",
        "member_discipline_from",
        "min_years",
        "unit_tier_min",
    )
    eligibility = {k: v[k] for k in elig_keys if not _blank(v.get(k))}
    if v.get("exists_at_end"):
        eligibility["exists_at_end"] = True
    titles = [t.strip() for t in str(v.get("titles") or "").split(";") if t.strip()]
    if titles:
        eligibility["titles"] = titles
    history = _history(v)
    if history:
        eligibility["history"] = history
    measure: Any = v.get("measure") or "total"
    if measure == "component":
        measure = {"kind": "component", "component": v.get("component") or ""}
    tie_break = [f"component:{v.get('component')}" if k == "component" else k for k in v.get("tie_break") or []]
    rule: dict[str, Any] = {
        "id": "rule",
        "name": v.get("name") or "",
        "recipient": v.get("recipient", "collective"),
        "award": {"kind": v.get("award_kind", "giay_khen"), "label": v.get("award_label") or ""},
        "scope": "review" if v.get("review") else "year",
        "groups": groups,
        "eligibility": eligibility,
        "measure": measure,
        "tie_break": tie_break,
        "at_cutoff": v.get("at_cutoff", "flag"),
    }
    if v.get("award_form"):
        rule["award"]["form"] = v["award_form"]
    if v.get("review"):
        rule["review"] = list(v["review"])
    return {"id": "custom", "name": v.get("name") or "", "plan": {"title": v.get("name") or ""}, "rules": [rule]}


def _history(v: dict[str, Any]) -> list[dict[str, Any]]:
    """The conditions over several years the form states: each one whose number of years is filled."""
    out: list[dict[str, Any]] = []
    if not _blank(v.get("history_tier_years")):
        out.append({"kind": "tier_streak", "years": v["history_tier_years"], "tier_min": v.get("history_tier")})
    if not _blank(v.get("history_rank_years")):
        out.append({"kind": "rank_improved", "years": v["history_rank_years"]})
    if not _blank(v.get("history_title_years")):
        titles = [t.strip() for t in str(v.get("history_titles") or "").split(";") if t.strip()]
        out.append({"kind": "title_each_year", "years": v["history_title_years"], "titles": titles})
    if not _blank(v.get("history_award_years")):
        forms = list(v.get("history_forms") or [])
        out.append({"kind": "not_awarded", "years": v["history_award_years"], "forms": forms})
    return out


_GROUP = re.compile(r"^rules\[0\]\.groups\[(\d+)\]\.(.*)$")
_HISTORY = re.compile(r"^eligibility\.history\[\d+\]\.(\w+)")


def field_of(error: FieldError) -> tuple[int | None, str]:
    """(group number from 1, or None; the form field) for a validation error's path."""
    path = error.path
    match = _GROUP.match(path)
    if match:
        rest = match.group(2)
        n = int(match.group(1)) + 1
        if rest.startswith("quota"):
            last = rest.split(".")[-1].split("[")[0]
            name = {
                "count": "quota_count",
                "percent": "quota_percent",
                "base": "quota_base",
                "titles": "quota_titles",
                "rounding": "quota_rounding",
            }.get(last, "quota_kind")
            if rest.startswith("quota.range"):
                name = "quota_high" if rest.endswith("[1]") else "quota_low"
            return n, name
        return n, "kinds" if rest.startswith("kinds") else "group_name"
    rest = path.removeprefix("rules[0].")
    head = rest.split(".")[0].split("[")[0]
    if head == "eligibility":
        history = _HISTORY.match(rest)
        if history:  # the sub-field of a condition over several years, when the form has one for it
            sub = history.group(1)
            return None, f"history_{sub}" if sub in ("forms", "titles", "tier_min", "kind") else "history"
        return None, rest.split(".")[1].split("[")[0] if "." in rest else "eligibility"
    if head == "award":
        return None, "award_kind" if rest.endswith("kind") else "award_label"
    if head == "measure":
        return None, "component" if "component" in rest else "measure"
    return None, {
        "name": "name",
        "tie_break": "tie_break",
        "at_cutoff": "at_cutoff",
        "recipient": "recipient",
        "review": "review",
        "groups": "kinds",
        "rules": "name",
    }.get(head, head or "name")
