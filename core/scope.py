"""What a report, a simulation or a page covers: one year, or a span of years such as a review period
(mid-term 2021–2025, final 2021–2030).

One class for the report, the award-quota engine and the pages. The periods are data
(data/rules/reviews.yaml via core.programme): a span equal to a period is that period, however it was made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import ParboardError
from core.i18n import DEFAULT_LANGUAGE, t
from core.programme import first_year, last_year, review_periods, years

_SPAN = re.compile(r"^\s*(\d{4})\s*(?:[-–—]\s*(\d{4}))?\s*$")
# What a typed scope may name: plans older than the programme (an-bien-2020) are simulated too.
_TYPED_YEARS = range(2000, 2101)


class ScopeError(ParboardError, ValueError):
    """A year or period that cannot be covered, with a message in the reader's language."""

    area = "report.errors"


@dataclass(frozen=True)
class Scope:
    first: int
    last: int
    review: str | None = None  # the review period (reviews.yaml) the span is, if it is one

    def __post_init__(self) -> None:
        if self.review is None and self.first != self.last:
            for name, bounds in review_periods().items():
                if bounds == (self.first, self.last):
                    object.__setattr__(self, "review", name)  # frozen: set once, as if passed
                    break

    @property
    def is_year(self) -> bool:
        return self.first == self.last

    @property
    def kind(self) -> str:
        """'year' or 'review' (any span of years, a named period or not)."""
        return "year" if self.is_year else "review"

    @property
    def years(self) -> range:
        return range(self.first, self.last + 1)

    @property
    def period(self) -> int | tuple[int, int]:
        """For file names: 2024, or (2021, 2025)."""
        return self.last if self.is_year else (self.first, self.last)

    @property
    def key(self) -> str:
        """As written in a URL or on the command line: 2023, 2021-2025."""
        return str(self.first) if self.is_year else f"{self.first}-{self.last}"

    @property
    def span(self) -> str:
        """The years as a reader writes them: 2023, 2021–2025."""
        return str(self.first) if self.is_year else f"{self.first}–{self.last}"

    def label(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """'năm 2024' / 'sơ kết giai đoạn 2021–2025' (lower case, to sit inside a sentence)."""
        if self.is_year:
            return t("report.scope.year", lang, year=self.last)
        if self.review is not None:
            return t(f"report.scope.{self.review}", lang, first=self.first, last=self.last)
        return t("quota.scope.review", lang, first=self.first, last=self.last)

    @staticmethod
    def year(year: int) -> Scope:
        """A year of the programme (2021–2030); ScopeError otherwise."""
        if year not in years():
            raise ScopeError("year", year=year, first=first_year(), last=last_year())
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
        """A review period: '2021-2025' or '2021–2025', or its name ('midterm', 'final')."""
        periods = review_periods()
        if text in periods:
            return Scope.review_period(text)
        match = _SPAN.match(text)
        if match and match.group(2):
            scope = Scope(int(match.group(1)), int(match.group(2)))
            if scope.review is not None:
                return scope
        raise ScopeError("period", period=text, known=_known(periods))

    @staticmethod
    def parse(text: str) -> Scope:
        """Any year or span as typed: '2023' or '2021-2025' (an en dash works too), 2000–2100; ScopeError (a
        ValueError) otherwise."""
        match = _SPAN.match(str(text))
        if not match:
            raise ScopeError("period", period=text, known=_known(review_periods()))
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not (first in _TYPED_YEARS and last in _TYPED_YEARS and first <= last):
            raise ScopeError("period", period=text, known=_known(review_periods()))
        return Scope(first, last)


def _known(periods: dict[str, tuple[int, int]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in periods.values())
