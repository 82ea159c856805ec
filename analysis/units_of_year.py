"""The units of a year: the one definition every count, base, average, median, tier distribution and
completeness rule uses.

A unit belongs to year Y when it exists on Y's reference date: 31 December by default; a rule or a review may
state another day of the year (a decision date). A unit exists on day d when its valid_from is empty or on or
before d, and its valid_to is empty or on or after d (both ends inclusive, as the register writes them).

So in 2025 a province's units are its departments and the communes that began on 01/07/2025; the districts
and communes that ended on 30/06/2025 existed for part of the year but are not counted. They are summarised
(how many ended on which day) rather than listed, and a scored one stays visible in its own year's ranking,
marked as ended. For history the lineage (analysis.lineage) links a new unit to its predecessors.

Pure polars over the register frame (store/sql/units_register.sql or quota_units.sql: unit_code, kind,
valid_from, valid_to, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from core import programme

DEFAULT_DAY = (12, 31)


def reference_date(year: int, on: tuple[int, int] | date | None = None) -> date:
    """The day of year the units are taken on: a (month, day) of that year, a date, or 31 December."""
    if isinstance(on, date):
        return on
    month, day = on or DEFAULT_DAY
    return date(year, month, day)


def exists_on(day: date) -> pl.Expr:
    """True for the register rows that exist on day."""
    return (pl.col("valid_from").is_null() | (pl.col("valid_from") <= day)) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= day)
    )


def existed_during(first: date, last: date) -> pl.Expr:
    """True for the rows that existed on some day between first and last (inclusive)."""
    return (pl.col("valid_from").is_null() | (pl.col("valid_from") <= last)) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= first)
    )


def _kinds(units: pl.DataFrame, kinds: str | tuple[str, ...] | list[str] | None) -> pl.DataFrame:
    if kinds is None:
        return units
    wanted = [kinds] if isinstance(kinds, str) else list(kinds)
    return units.filter(pl.col("kind").is_in(wanted))


def of_year(
    units: pl.DataFrame,
    year: int,
    on: tuple[int, int] | date | None = None,
    kinds: str | tuple[str, ...] | list[str] | None = None,
) -> pl.DataFrame:
    """The register rows of the units of year (of these kinds), on its reference date."""
    return _kinds(units, kinds).filter(exists_on(reference_date(year, on)))


def codes(
    units: pl.DataFrame,
    year: int,
    on: tuple[int, int] | date | None = None,
    kinds: str | tuple[str, ...] | list[str] | None = None,
) -> set[str]:
    return set(of_year(units, year, on, kinds)["unit_code"].to_list())


@dataclass(frozen=True)
class Change:
    """Units not counted because they ended before the reference date (ended=True, day = their last day) or
    began after it (ended=False, day = their first day)."""

    ended: bool
    day: date
    count: int


@dataclass(frozen=True)
class YearUnits:
    """The units of a year on its reference date, and a summary of those that existed in the year but not on
    that date."""

    year: int
    on: date
    counted: pl.DataFrame
    not_counted: pl.DataFrame

    @property
    def count(self) -> int:
        return self.counted.height

    @property
    def codes(self) -> set[str]:
        return set(self.counted["unit_code"].to_list())

    def changes(self) -> list[Change]:
        """How the units not counted left or joined the year, grouped by day (ended first, then began)."""
        nc = self.not_counted
        if nc.is_empty():
            return []
        ended = nc.filter(pl.col("valid_to").is_not_null() & (pl.col("valid_to") < self.on))
        began = nc.filter(pl.col("valid_from").is_not_null() & (pl.col("valid_from") > self.on))
        out = [Change(True, d, n) for d, n in ended.group_by("valid_to").agg(pl.len()).sort("valid_to").iter_rows()]
        out += [
            Change(False, d, n) for d, n in began.group_by("valid_from").agg(pl.len()).sort("valid_from").iter_rows()
        ]
        return out


def split(
    units: pl.DataFrame,
    year: int,
    on: tuple[int, int] | date | None = None,
    kinds: str | tuple[str, ...] | list[str] | None = None,
    first: date | None = None,
) -> YearUnits:
    """The units of year (counted) and those that existed between first (1 January by default) and the year's
    end but not on the reference date (not_counted)."""
    day = reference_date(year, on)
    rows = _kinds(units, kinds)
    during = rows.filter(existed_during(first or date(year, 1, 1), max(day, date(year, 12, 31))))
    present = exists_on(day)
    return YearUnits(year, day, during.filter(present), during.filter(~present))


def ended_in_year(units: pl.DataFrame, year: int, on: tuple[int, int] | date | None = None) -> pl.DataFrame:
    """unit_code, valid_to of the units that existed in year but ended before its reference date: a scored
    one stays in its year's ranking, marked with the day it ended."""
    day = reference_date(year, on)
    return units.filter(
        pl.col("valid_to").is_not_null() & (pl.col("valid_to") >= date(year, 1, 1)) & (pl.col("valid_to") < day)
    ).select("unit_code", "valid_to")


def era(year: int, on: tuple[int, int] | date | None = None) -> int:
    """0 for a year whose units are taken before the reorganisation (core.programme), 1 from it on: a line of
    per-year figures breaks where the era changes."""
    return int(reference_date(year, on) >= programme.reorganisation())


def of_years(
    units: pl.DataFrame, years: list[int] | range, kinds: str | tuple[str, ...] | list[str] | None = None
) -> pl.DataFrame:
    """(unit_code, year) for each year's units on its default reference date."""
    frames = [of_year(units, y, None, kinds).select("unit_code", pl.lit(y, pl.Int32).alias("year")) for y in years]
    if not frames:
        return pl.DataFrame(schema={"unit_code": pl.String, "year": pl.Int32})
    return pl.concat(frames)


def exists_at_start(units: pl.DataFrame, code: str, day: date) -> bool:
    """Whether the unit exists on day (a forecast's start): an ended unit gets no projection."""
    return units.filter((pl.col("unit_code") == code) & exists_on(day)).height > 0
