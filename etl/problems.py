"""Problems found while reading or checking input: where, what, and what to do, in both languages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from core import fmt
from core.errors import ParboardError
from core.i18n import t

Severity = Literal["error", "warning", "info"]


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
            parts.append(self.file)
        if self.sheet:
            parts.append(t("problems.where.sheet", lang, sheet=self.sheet))
        if self.row is not None:
            parts.append(t("problems.where.row", lang, row=self.row))
        if self.column:
            parts.append(t("problems.where.column", lang, column=self.column))
        return " › ".join(parts)

    def message(self, lang: str) -> str:
        params = {
            k: t(v.key, lang) if isinstance(v, Term) else fmt.number(v, lang) if isinstance(v, float) else v
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
