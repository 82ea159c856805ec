"""Problems found while reading or checking input: where, what, and what to do, in both languages."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from core import fmt
from core.errors import ParboardError
from core.i18n import t

Severity = Literal["error", "warning", "info"]
# What a message shows of one value or name: a file can hold a 120,000-character name, a 309-digit number or
# terminal escape sequences, and none of them may reach the reader whole or raw.
SHOWN_CHARS = 120


def shown(value: Any) -> Any:
    """A value as a message shows it: control characters as visible escapes (\\x1b, \\n), and at most
    SHOWN_CHARS characters, the rest counted."""
    if isinstance(value, (Term, bool)) or value is None:
        return value
    if isinstance(value, (int, float)) and len(str(value)) <= SHOWN_CHARS:
        return value
    text = str(value)
    if any(ch < " " or "\x7f" <= ch <= "\x9f" for ch in text):
        text = "".join(
            ch.encode("unicode_escape").decode("ascii") if ch < " " or "\x7f" <= ch <= "\x9f" else ch for ch in text
        )
    if len(text) > SHOWN_CHARS:
        text = f"{text[: SHOWN_CHARS - 1]}… (+{len(text) - SHOWN_CHARS + 1})"
    return text


@dataclass(frozen=True)
class Term:
    """A parameter shown in the reader's language: a catalog key resolved when the message is rendered."""

    key: str


@dataclass(frozen=True)
class Problem:
    code: str  # key in locales/<lang>/problems.toml
    severity: Severity = "error"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # 1-based row as the user sees it in Excel / a text editor
    column: str | None = None  # the column's header as written in the file
    params: dict[str, Any] = field(default_factory=dict)

    def where(self, lang: str) -> str:
        parts = []
        if self.file:
            parts.append(shown(self.file))
        if self.sheet:
            parts.append(t("problems.where.sheet", lang, sheet=shown(self.sheet)))
        if self.row is not None:
            parts.append(t("problems.where.row", lang, row=self.row))
        if self.column:
            parts.append(t("problems.where.column", lang, column=shown(self.column)))
        return " › ".join(parts)

    def message(self, lang: str) -> str:
        params = {
            k: t(v.key, lang)
            if isinstance(v, Term)
            else shown(fmt.number(v, lang))
            if isinstance(v, float) and math.isfinite(v)
            else shown(v)
            for k, v in self.params.items()
        }
        text = t(f"problems.{self.code}", lang, **params)
        where = self.where(lang)
        return f"{where}: {text}" if where else text

    def both(self) -> str:
        """Vietnamese first, then English: what the CLI prints."""
        return f"{self.message('vi')}\n    {self.message('en')}"


class InputError(ParboardError):
    """Raised with the problems that make an input unusable; the load is refused."""

    def __init__(self, problems: list[Problem]):
        super().__init__("input_refused", count=len(problems))
        self.problems = problems

    def message(self, lang: str) -> str:
        return "\n".join(p.message(lang) for p in self.problems)

    def __str__(self) -> str:
        return "; ".join(p.message("en") for p in self.problems[:5])
