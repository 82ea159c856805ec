"""The analysis rules kept as data under data/rules/: the official index's unit counts (the programme's
periods come from core.programme and are re-exported here for the analysis modules)."""

from __future__ import annotations

from functools import cache
from typing import Any

from core import yamlfile
from core.paths import RULES as RULES_DIR
from core.programme import reconstruction_method, review_periods, top_tier_rank

RULES = RULES_DIR


@cache
def _load(name: str) -> dict[str, Any]:
    with open(RULES / f"{name}.yaml", encoding="utf-8") as fh:
        return yamlfile.load(fh)


__all__ = ["expected_official_units", "reconstruction_method", "review_periods", "top_tier_rank"]


def expected_official_units(level: str, year: int) -> int | None:
    """How many units the official index scores at this level in this year, or None if not known."""
    for span in _load("official_index")["expected_units"].get(level, []):
        if int(span["from"]) <= year <= int(span["to"]):
            return int(span["units"])
    return None
