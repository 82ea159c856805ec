"""Cell values made safe for spreadsheets.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or carriage
return, the same) as a formula, so a unit name typed as "=HYPERLINK(...)" could run on an officer's
machine. Text is prefixed with a single quote, which Excel shows as text and never evaluates.
"""

from __future__ import annotations

from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula gets a leading "'"; everything else is returned as is.

    Numbers are never touched: a negative score is a number, not text starting with "-".
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value
