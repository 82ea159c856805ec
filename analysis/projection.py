"""Projection of a unit's score to 2030 from its trend, with the uncertainty shown.

Method: an ordinary least-squares line through the unit's yearly totals, and a 95 % prediction interval for
each future year, ŷ ± t(0.975, n−2) · s · √(1 + 1/n + (x − x̄)² / Sxx), s the residual standard error. With fewer
than 3 years there is no residual to estimate the spread from, so no projection is made and the reason is
returned instead. Scores and bounds are clipped to the scale (0–100) and the clipping is reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from core import programme

MIN_POINTS = 3
LEVEL = 0.95
# Student's t, two-sided 95 % (0.975 quantile), by degrees of freedom; beyond 30 the normal value.
_T975 = [
    12.706,
    4.303,
    3.182,
    2.776,
    2.571,
    2.447,
    2.365,
    2.306,
    2.262,
    2.228,
    2.201,
    2.179,
    2.160,
    2.145,
    2.131,
    2.120,
    2.110,
    2.101,
    2.093,
    2.086,
    2.080,
    2.074,
    2.069,
    2.064,
    2.060,
    2.056,
    2.052,
    2.048,
    2.045,
    2.042,
]


def t975(df: int) -> float:
    return _T975[df - 1] if 1 <= df <= len(_T975) else 1.960


@dataclass(frozen=True)
class Projection:
    n: int
    reason: str | None = None  # "too_few_points" when no projection is made
    slope: float | None = None  # points per year
    intercept: float | None = None
    residual_se: float | None = None
    years: list[int] = field(default_factory=list)
    fitted: list[float] = field(default_factory=list)
    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    clipped: bool = False

    @property
    def made(self) -> bool:
        return self.reason is None

    def at(self, year: int) -> tuple[float, float, float] | None:
        if year not in self.years:
            return None
        i = self.years.index(year)
        return self.fitted[i], self.lower[i], self.upper[i]


def linear(
    years: list[int], scores: list[float], to_year: int | None = None, scale: tuple[float, float] = (0.0, 100.0)
) -> Projection:
    """Project from the (year, score) points to every year after the last one up to to_year (by default the
    programme's last year)."""
    to_year = programme.last_year() if to_year is None else to_year
    points = sorted((y, s) for y, s in zip(years, scores, strict=True) if s is not None and not math.isnan(s))
    n = len(points)
    if n < MIN_POINTS:
        return Projection(n=n, reason="too_few_points")
    xs = [float(y) for y, _ in points]
    ys = [s for _, s in points]
    x_mean = sum(xs) / n
    y_mean = sum(ys) / n
    sxx = sum((x - x_mean) ** 2 for x in xs)
    slope = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True)) / sxx
    intercept = y_mean - slope * x_mean
    residuals = [y - (intercept + slope * x) for x, y in zip(xs, ys, strict=True)]
    se = math.sqrt(sum(r * r for r in residuals) / (n - 2))
    t = t975(n - 2)
    future = list(range(int(max(xs)) + 1, to_year + 1))
    fitted, lower, upper = [], [], []
    clipped = False
    lo_cap, hi_cap = scale
    for year in future:
        y_hat = intercept + slope * year
        half = t * se * math.sqrt(1 + 1 / n + (year - x_mean) ** 2 / sxx)
        values = [y_hat, y_hat - half, y_hat + half]
        capped = [min(max(v, lo_cap), hi_cap) for v in values]
        clipped = clipped or capped != values
        fitted.append(round(capped[0], 2))
        lower.append(round(capped[1], 2))
        upper.append(round(capped[2], 2))
    return Projection(
        n=n,
        slope=round(slope, 4),
        intercept=intercept,
        residual_se=round(se, 4),
        years=future,
        fitted=fitted,
        lower=lower,
        upper=upper,
        clipped=clipped,
    )
