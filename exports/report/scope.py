"""What a report covers: one year, or a review period. The class is core.scope.Scope, the one the award-quota
engine and the pages use too; it is named here for the report's callers."""

from __future__ import annotations

from core.programme import years
from core.scope import Scope, ScopeError

YEARS = years()

__all__ = ["YEARS", "Scope", "ScopeError"]
