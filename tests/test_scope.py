"""One Scope for the report, the award-quota engine and the pages: a year, or a span that may be a review period."""

from __future__ import annotations

import pytest

from analysis import quota
from core.scope import Scope, ScopeError
from exports.report import Scope as ReportScope


def test_the_report_and_the_quota_engine_share_the_class() -> None:
    assert ReportScope is Scope is quota.Scope


def test_a_span_equal_to_a_review_period_is_that_period() -> None:
    assert Scope(2021, 2025) == Scope.review_period("midterm") == Scope.parse("2021–2025")
    assert Scope(2021, 2025).review == "midterm"
    assert Scope(2023, 2024).review is None and Scope(2023, 2024).kind == "review"
    assert Scope.year(2024).kind == "year" and Scope.year(2024).is_year


def test_how_a_scope_is_written() -> None:
    assert (Scope.year(2024).key, Scope.year(2024).span, Scope.year(2024).period) == ("2024", "2024", 2024)
    final = Scope.review_period("final")
    assert (final.key, final.span, final.period) == ("2021-2030", "2021–2030", (2021, 2030))
    assert final.label("en") == "the final review 2021–2030"
    assert Scope(2023, 2024).label("en") == "period 2023–2024"


def test_typed_scopes_reach_before_the_programme_but_programme_years_do_not() -> None:
    assert Scope.parse("2020") == Scope(2020, 2020)  # a 2020 plan is simulated for its own year
    with pytest.raises(ScopeError):
        Scope.year(2020)
    for text in ("20x4", "2025-2021", "1999", "2021-2101"):
        with pytest.raises(ValueError):
            Scope.parse(text)
