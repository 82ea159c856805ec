"""How many awards a group gets: a fixed count, a range, or a percentage of a base with its rounding."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from analysis.quota.model import Quota


@dataclass(frozen=True)
class QuotaCount:
    """The seats of a group: `seats` awards at most; `low` the range's lower end (a shortfall below it is
    reported). For a percentage: the base it was taken of and the exact value before rounding."""

    seats: int
    low: int
    base: int | None = None
    exact: Fraction | None = None


def round_share(exact: Fraction, rounding: str) -> int:
    """floor / nearest (half up) / ceil / at_least_one (floor, but 1 when the share is above 0 and below 1)."""
    if rounding == "floor":
        return math.floor(exact)
    if rounding == "ceil":
        return math.ceil(exact)
    if rounding == "nearest":
        # Half up, as people count: 2.5 seats are 3 (Python's round() would give 2).
        return math.floor(exact + Fraction(1, 2))
    if rounding == "at_least_one":
        return max(1, math.floor(exact)) if exact > 0 else 0
    raise ValueError(rounding)


def seats(quota: Quota, base: int | None = None) -> QuotaCount:
    """The seats a quota gives; base is the count its percentage is taken of (ignored otherwise)."""
    if quota.kind == "count":
        return QuotaCount(quota.count, quota.count)
    if quota.kind == "range":
        return QuotaCount(quota.high, quota.low)
    if base is None:
        raise ValueError("a percentage quota needs its base")
    exact = quota.percent * base / 100
    n = round_share(exact, quota.rounding)
    return QuotaCount(n, n, base=base, exact=exact)
