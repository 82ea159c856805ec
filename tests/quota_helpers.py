"""Small hand-made inputs for the quota tests: a few units with the figures each test states."""

from __future__ import annotations

from datetime import date
from typing import Any

from analysis import quota
from analysis.quota import Inputs, Scope


def unit(
    code: str,
    kind: str = "commune",
    valid_from: date | None = None,
    valid_to: date | None = None,
    name: str | None = None,
) -> dict[str, Any]:
    return {
        "unit_code": code,
        "name": name or f"Đơn vị {code}",
        "kind": kind,
        "subkind": None,
        "parent_code": None,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }


def result(code: str, year: int, total: float, tier: str = "tot", n_items: int = 1) -> dict[str, Any]:
    return {"unit_code": code, "year": year, "total": total, "tier": tier, "n_items": n_items}


def rule(rule_id: str = "r", groups: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": rule_id,
        "name": {"vi": f"Quy tắc {rule_id}", "en": f"Rule {rule_id}"},
        "award": {"kind": "giay_khen", "label": "Giấy khen"},
        "recipient": "collective",
        "scope": "year",
        "groups": groups or [group()],
        "measure": "total",
        "at_cutoff": "flag",
    }
    base.update(fields)
    return base


def group(group_id: str = "g", kinds: list[str] | None = None, **quota_spec: Any) -> dict[str, Any]:
    return {"id": group_id, "kinds": kinds or ["commune"], "quota": quota_spec or {"count": 1}}


def scenario(*rules: dict[str, Any], **fields: Any) -> quota.Scenario:
    data = {
        "id": "test",
        "name": "Thử",
        "plan": {"title": "Kế hoạch thử", "number": "1/KH", "issuer": "UBND", "date": "2024-01-02"},
        "rules": list(rules),
    }
    data.update(fields)
    return quota.parse(data)


def run(sc: quota.Scenario, scope: str = "2024", **frames: Any) -> quota.SimulationResult:
    s = Scope.parse(scope)
    return quota.simulate(sc, Inputs.of(**frames), s)


def awarded(res: quota.SimulationResult, rule_id: str | None = None, group_id: str | None = None) -> list[str]:
    out = []
    for g in res.group_results():
        if (rule_id is None or g.rule.id == rule_id) and (group_id is None or g.group.id == group_id):
            out += g.awarded["id"].to_list()
    return out


def group_result(res: quota.SimulationResult, rule_id: str, group_id: str) -> quota.GroupResult:
    return next(g for g in res.group_results() if g.rule.id == rule_id and g.group.id == group_id)
