"""The palette every chart draws with (palette.yaml beside this file): one colour per tier, kind and series.

The screen's figures and the report's figures both take their tier colours from `tier_colour`, so a tier is
the same colour wherever it is printed. Tiers are ordered as data/vocab.yaml lists them (best first).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from core import vocab, yamlfile

PALETTE_FILE = Path(__file__).with_name("palette.yaml")


@cache
def palette() -> dict[str, Any]:
    with open(PALETTE_FILE, encoding="utf-8") as fh:
        return yamlfile.load(fh)


def tier_codes() -> tuple[str, ...]:
    """The tier codes, best first."""
    return vocab.codes("tier")


def tier_colour(tier: str | None) -> str:
    """A tier's colour; no tier (or a code the palette lacks) is the neutral grey."""
    return palette()["tiers"].get(tier or "", palette()["no_tier"]["color"])


def tier_pattern(tier: str | None) -> str:
    return palette()["tier_patterns"].get(tier or "", palette()["no_tier"]["pattern"])


def tier_style(tier: str | None) -> dict[str, str]:
    return {"color": tier_colour(tier), "pattern": tier_pattern(tier)}


def tier_marker(tier: str | None) -> dict[str, object]:
    """A tier's bar fill: its colour plus a pattern, so tiers stay apart when printed in grey."""
    return {
        "color": tier_colour(tier),
        "pattern": {"shape": tier_pattern(tier), "fgcolor": "#ffffff", "solidity": 0.3},
        "line": {"color": series_color("outline"), "width": 0.5},
    }


def tier_order(tiers: Iterable[str | None]) -> list[str | None]:
    """The distinct tiers of tiers, best first; codes outside the vocabulary next, no tier last."""
    order = {code: i for i, code in enumerate(tier_codes())}
    return sorted(set(tiers), key=lambda x: (x is None, order.get(x or "", len(order)), x or ""))


def kind_style(kind: str) -> dict[str, str]:
    return palette()["kinds"].get(kind, palette()["other_kind"])


def series_color(name: str) -> str:
    return palette()["series"][name]


def heatmap_scale() -> list[list[float | str]]:
    return palette()["heatmap"]
