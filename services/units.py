"""Choosing a unit among thousands: the units of a kind that have scores, their parents, and how each is named
in a picker (the Unit profile and Progress pages)."""

from __future__ import annotations

import polars as pl

from core.i18n import Translator
from services.published import Base


def scored(b: Base, kind: str, parent: str | None = None) -> pl.DataFrame:
    """The register rows of kind's units with a score (within parent, if given), by name."""
    codes = b.results.filter(pl.col("kind") == kind)["unit_code"].unique().to_list()
    units = b.units.filter(pl.col("unit_code").is_in(codes))
    if parent is not None:
        units = units.filter(pl.col("parent_code") == parent)
    return units.sort("name", "unit_code")


def parents(units: pl.DataFrame) -> dict[str, str]:
    """{parent code: name} of these units, by name."""
    found = dict(units.select("parent_code", "parent_name").unique().drop_nulls().iter_rows())
    return dict(sorted(found.items(), key=lambda item: item[1]))


def labels(units: pl.DataFrame, lang: str) -> dict[str, str]:
    """{unit code: name}, an ended unit said to be so, in the units' order."""
    ended = Translator("profile", lang)("ended")
    return {
        r["unit_code"]: r["name"] + (f" ({ended})" if r["valid_to"] else "")
        for r in units.select("unit_code", "name", "valid_to").iter_rows(named=True)
    }
