"""A failing row as a message: the file › sheet › row it came from, the table, unit, year and item it is
about, and the rule's text, in Vietnamese or English. The rule's text is `problems.<rule>`, so findings
print, and count as refusals, exactly like the problems found while reading."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import fmt
from core.i18n import t
from etl.problems import Problem

# Parameters that hold a code the reader should see as words: the catalog section that names them.
_TERMS = {
    "tier": "checks.tier",
    "expected_tier": "checks.tier",
    "reported_tier": "checks.tier",
    "index_code": "dashboard.indexes",
    "level": "dashboard.levels",
}


def _shown(value: Any, lang: str) -> Any:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else value
    if isinstance(value, float):
        return "—" if math.isnan(value) else fmt.number(value, lang)
    if isinstance(value, date):
        return fmt.day(value, lang)
    return value


@dataclass(frozen=True)
class Finding(Problem):
    suite: str = ""
    table_name: str = ""
    unit_code: str | None = None
    unit_name: str | None = None
    year: int | None = None
    item_code: str | None = None

    def subject(self, lang: str) -> str:
        parts = [t(f"checks.table.{self.table_name}", lang)]
        if self.unit_code:
            unit = f"{self.unit_name} ({self.unit_code})" if self.unit_name else self.unit_code
            parts.append(t("checks.subject.unit", lang, unit=unit))
        if self.year is not None:
            parts.append(t("checks.subject.year", lang, year=self.year))
        if self.item_code:
            parts.append(t("checks.subject.item", lang, item=self.item_code))
        return " › ".join(parts)

    def record(self) -> dict[str, object]:
        """The finding as one row of the check log (and of `parboard check --json`), in both languages."""
        return {
            "suite": self.suite,
            "rule": self.code,
            "severity": self.severity,
            "table_name": self.table_name,
            "unit_code": self.unit_code,
            "year": self.year,
            "item_code": self.item_code,
            "file_name": self.file,
            "sheet": self.sheet,
            "source_row": self.row,
            "message_vi": self.message("vi"),
            "message_en": self.message("en"),
        }

    def params_shown(self, lang: str) -> dict[str, Any]:
        return {
            k: t(f"{_TERMS[k]}.{v}", lang) if k in _TERMS and v else _shown(v, lang) for k, v in self.params.items()
        }

    def text(self, lang: str) -> str:
        return f"{self.subject(lang)}: {t(f'problems.{self.code}', lang, **self.params_shown(lang))} [{self.code}]"
