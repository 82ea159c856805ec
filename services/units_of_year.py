"""The units of a year for the pages, the CLI and the report: analysis.units_of_year over a published Base.

Every count, average, median, tier distribution and "rank of N" a page shows for a year takes its units from
here, so the Overview, the Rankings, the Reviews, the Progress page, the quota base and the report agree.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis import units_of_year as uoy
from core import fmt
from core.i18n import Translator
from services.published import Base


def register(b: Base, year: int, kind: str | None = None, on: tuple[int, int] | date | None = None) -> pl.DataFrame:
    """The register rows of the units of year (of kind) on its reference date."""
    return uoy.of_year(b.units, year, on, kind)


def count(b: Base, year: int, kind: str, on: tuple[int, int] | date | None = None) -> int:
    return register(b, year, kind, on).height


def results(b: Base) -> pl.DataFrame:
    """b.results restricted to the units of each result's year: what averages, medians and tier counts use."""
    years = sorted(b.results["year"].unique().to_list())
    members = uoy.of_years(b.units, years)
    return b.results.join(members, on=["unit_code", "year"], how="semi")


def scored(b: Base, year: int, kind: str) -> int:
    """The units of year of kind with a result that year."""
    r = results(b)
    return r.filter((pl.col("year") == year) & (pl.col("kind") == kind))["unit_code"].n_unique()


def ended_scored(b: Base, year: int, kind: str) -> pl.DataFrame:
    """unit_code, valid_to of the units scored in year that ended before its reference date: shown in their
    year's ranking, marked, not ranked against the units of the year."""
    codes = b.results.filter((pl.col("year") == year) & (pl.col("kind") == kind))["unit_code"].unique()
    return uoy.ended_in_year(b.units.filter(pl.col("unit_code").is_in(codes.to_list())), year)


def ended_mark(valid_to: date, lang: str) -> str:
    """ "đã kết thúc 30/06/2025"."""
    return Translator("rankings", lang)("ended_on", day=fmt.day(valid_to, lang))


def successors(b: Base, code: str) -> list[str]:
    """Names of the units a unit became (its successors in the lineage), by name."""
    after = b.lineage.filter(pl.col("predecessor_code") == code)["unit_code"].unique().to_list()
    return sorted(b.units.filter(pl.col("unit_code").is_in(after))["name"].to_list())
