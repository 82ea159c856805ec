"""What a report covers: one year, or a review period (mid-term 2021–2025, final 2021–2030).

The periods are data (data/rules/reviews.yaml via analysis.rules), not constants here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.rules import review_periods
from core.errors import ParboardError
from core.i18n import DEFAULT_LANGUAGE, t

YEARS = range(2021, 2031)


class ScopeError(ParboardError, ValueError):
    """A year or period the report cannot cover, with a message in the reader's language."""

    area = "report.errors"


@dataclass(frozen=True)
class Scope:
    first: int
    last: int
    review: str | None = None  # None for a year; else a period name from reviews.yaml (midterm, final)

    @property
    def is_year(self) -> bool:
        return self.review is None

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def period(self) -> int | tuple[int, int]:
        """For file names: 2024, or (2021, 2025)."""
        return self.last if self.is_year else (self.first, self.last)

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """'năm 2024' / 'sơ kết giai đoạn 2021–2025' (lower case, to sit inside a sentence)."""
        if self.is_year:
            return t("report.scope.year", lang, year=self.last)
        return t(f"report.scope.{self.review}", lang, first=self.first, last=self.last)

    @staticmethod
    def year(year: int) -> Scope:
        if year not in YEARS:
            raise ScopeError("year", year=year, first=YEARS[0], last=YEARS[-1])
        return Scope(year, year)

    @staticmethod
    def review_period(name: str) -> Scope:
        periods = review_periods()
        if name not in periods:
            raise ScopeError("period", period=name, known=_known(periods))
        first, last = periods[name]
        return Scope(first, last, name)

    @staticmethod
    def parse_period(text: str) -> Scope:
        """'2021-2025' or '2021–2025' (or a period's name: 'midterm', 'final')."""
        periods = review_periods()
        if text in periods:
            return Scope.review_period(text)
        match = re.fullmatch(r"\s*(\d{4})\s*[-–—]\s*(\d{4})\s*", text)
        if match:
            span = (int(match.group(1)), int(match.group(2)))
            for name, bounds in periods.items():
                if bounds == span:
                    return Scope.review_period(name)
        raise ScopeError("period", period=text, known=_known(periods))


def _known(periods: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in periods.values())
