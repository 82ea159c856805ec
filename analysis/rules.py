"""The analysis rules kept as data under data/rules/: review periods and the official index's unit counts."""

from __future__ import annotations

from functools import cache
from typing import Any

import yaml

from core.paths import RULES as RULES_DIR

RULES = RULES_DIR


@cache
def _load(name: str) -> dict[str, Any]:
    with open(RULES / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def review_periods() -> dict[str, tuple[int, int]]:
    """{'midterm': (2021, 2025), 'final': (2021, 2030)}"""
    return {name: (int(p["start"]), int(p["end"])) for name, p in _load("reviews")["periods"].items()}


def top_tier_rank() -> int:
    return int(_load("reviews")["top_tier_rank"])


def reconstruction_method() -> str:
    return str(_load("reviews")["reconstruction"])


def expected_official_units(level: str, year: int) -> int | None:
    """How many units the official index scores at this level in this year, or None if not known."""
    for span in _load("official_index")["expected_units"].get(level, []):
        if int(span["from"]) <= year <= int(span["to"]):
            return int(span["units"])
    return None
