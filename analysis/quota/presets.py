"""Presets: scenarios shipped as data in data/rules/quota/<name>.yaml, each citing its plan.

`names()` lists them (nga-nam-2022, an-bien-2020, ha-tinh-2022, tt02-2024); `load(name)` returns the
validated Scenario; `raw(name)` the dict, for a form to start from. `defaults()` holds the robustness
thresholds every scenario starts from (data/rules/quota/_defaults.yaml).
"""

from __future__ import annotations

import copy
import re
from functools import cache
from typing import Any

from analysis.quota.model import Robustness, Scenario, parse
from core import yamlfile
from core.paths import RULES

RULES_DIR = RULES / "quota"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class UnknownPreset(KeyError):
    pass


def names() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml") if not p.stem.startswith("_"))


@cache
def defaults() -> Robustness:
    with open(RULES_DIR / "_defaults.yaml", encoding="utf-8") as fh:
        data = yamlfile.load(fh) or {}
    r = data.get("robustness", {})
    return Robustness(**{k: type(getattr(Robustness(), k))(v) for k, v in r.items()})


def raw(name: str) -> dict[str, Any]:
    """The preset's dict as written (a fresh copy each call: callers may edit it)."""
    if not _NAME.match(name or "") or name not in names():
        raise UnknownPreset(name)
    return copy.deepcopy(_parsed(name))


@cache
def _parsed(name: str) -> dict[str, Any]:
    """The preset file parsed once per process: the quota page reads every preset on each run (the pure-Python
    YAML parser took ~0.2 s of CPU for them)."""
    with open(RULES_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        data: dict[str, Any] = yamlfile.load(fh)
    return data


@cache
def load(name: str) -> Scenario:
    return parse(raw(name), defaults())
