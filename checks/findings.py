"""A failing row as a message: the file › sheet › row it came from, the table, unit, year and item it is
about, and the rule's text, in Vietnamese or English. The rule's text is `problems.<rule>`, so findings
print, and count as refusals, exactly like the problems found while reading."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from core import fmt
from core.i18n import has, t
from core.notes import source_note
from etl.problems import Problem

# Parameters that hold a code the reader should see as words: the catalog section that names them.
_TERMS = {
    "tier": "checks.tier",
    "expected_tier": "checks.tier",
    "reported_tier": "checks.tier",
    "index_code": "dashboard.indexes",
    "level": "dashboard.levels",
}


_DECIMAL = re.compile(r"\d+\.\d+")


def metric_name(code: str, lang: str) -> str:
    """A national summary figure by name ('region_avg:Đông Nam Bộ' → the region's average), never its code."""
    key, _, region = code.partition(":")
    known = has(f"checks.metric.{key}", lang)
    return t(f"checks.metric.{key}" if known else "checks.metric.other", lang, region=region)


# Rules whose text already says the note is about a dispute
_DISPUTE_RULES = frozenset({"dq_official_disputed_note"})


def _said(key: str, value: Any, lang: str, rule: str = "") -> Any:
    """A parameter as the reader's language says it: codes as words, notes translated, numbers written."""
    if key in _TERMS and value:
        return t(f"{_TERMS[key]}.{value}", lang)
    if key == "note" and isinstance(value, str):
        # "The source notes that this figure is disputed: CONFLICT: …" said the dispute twice
        return source_note(value, lang, conflict_said=rule in _DISPUTE_RULES)
    if key in ("metric", "item_code") and isinstance(value, str):
        return metric_name(value, lang)
    if key == "disagreement" and isinstance(value, str):
        # A list of figures as stored ("91.81 / 91.87"): each written with the language's decimal mark
        return _DECIMAL.sub(lambda m: fmt.number(float(m.group(0)), lang), value)
    return _shown(value, lang)


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
            item = metric_name(self.item_code, lang) if self.table_name == "official_summary" else self.item_code
            parts.append(t("checks.subject.item", lang, item=item))
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
        return {k: _said(k, v, lang, self.code) for k, v in self.params.items()}

    def text(self, lang: str) -> str:
        return f"{self.subject(lang)}: {t(f'problems.{self.code}', lang, **self.params_shown(lang))} [{self.code}]"
