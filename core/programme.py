"""The programme's calendar, read from data/rules/reviews.yaml: its years, review periods and the
reorganisation date. Change the file, not code."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from core import yamlfile
from core.paths import RULES


@cache
def _rules() -> dict[str, Any]:
    with open(RULES / "reviews.yaml", encoding="utf-8") as fh:
        return yamlfile.load(fh)


def review_periods() -> dict[str, tuple[int, int]]:
    """{'midterm': (2021, 2025), 'final': (2021, 2030)}"""
    return {name: (int(p["start"]), int(p["end"])) for name, p in _rules()["periods"].items()}


def first_year() -> int:
    return min(start for start, _ in review_periods().values())


def last_year() -> int:
    return max(end for _, end in review_periods().values())


def years() -> range:
    """Every year of the programme, 2021–2030."""
    return range(first_year(), last_year() + 1)


def reorganisation() -> date:
    """The first day of the new units (1 July 2025): histories break here."""
    return date.fromisoformat(str(_rules()["reorganisation"]["effective"]))


def reorganisation_year() -> int:
    return reorganisation().year


def top_tier_rank() -> int:
    return int(_rules()["top_tier_rank"])


def reconstruction_method() -> str:
    """The rule a rebuilt history uses unless the reader chooses another (the report's)."""
    return str(_rules()["reconstruction"]["default"])


def reconstruction_rules() -> dict[str, str | None]:
    """{rule: what a predecessor's score is weighted by (equal, population, communes), None for no history}."""
    rules = _rules()["reconstruction"]["rules"]
    return {str(name): (str(r["weight"]) if (r or {}).get("weight") else None) for name, r in rules.items()}
