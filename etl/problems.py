"""Problems found while reading or checking input: where, what, and what to do, in both languages."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from core import fmt
from core.errors import ParboardError
from core.i18n import has, t

Severity = Literal["error", "warning", "info"]
# What a message shows of one value or name: a file can hold a 120,000-character name, a 309-digit number or
# terminal escape sequences, and none of them may reach the reader whole or raw.
SHOWN_CHARS = 120
# Rows a message about many cells names; the rest are counted (a person fixes the cause, not each cell).
ROWS_SHOWN = 5


def shown(value: Any) -> Any:
    """A value as a message shows it: control characters as visible escapes (\\x1b, \\n), and at most
    SHOWN_CHARS characters, the rest counted."""
    if isinstance(value, (Term, bool)) or value is None:
        return value
    if isinstance(value, (int, float)) and len(str(value)) <= SHOWN_CHARS:
        return value
    text = str(value)
    if any(_unseen(ch) for ch in text):
        text = "".join(ch.encode("unicode_escape").decode("ascii") if _unseen(ch) else ch for ch in text)
    if len(text) > SHOWN_CHARS:
        text = f"{text[: SHOWN_CHARS - 1]}… (+{len(text) - SHOWN_CHARS + 1})"
    return text


def _unseen(ch: str) -> bool:
    """A control character, or an invisible format character (a zero-width space pasted from a web page, a
    right-to-left override in a file name): shown as its escape, so «\\u200b2024» explains why 2024 is refused."""
    return ch < " " or "\x7f" <= ch <= "\x9f" or (ch > "\x9f" and unicodedata.category(ch) == "Cf")


@dataclass(frozen=True)
class Term:
    """A parameter shown in the reader's language: a catalog key resolved when the message is rendered."""

    key: str


def field_term(name: str) -> Term | str:
    """A data field as the reader's language names it ("Năm", not "year"); a field without a word stays as named."""
    key = f"imports.field.{name}"
    return Term(key) if has(key) else name


@dataclass(frozen=True)
class Problem:
    code: str  # key in locales/<lang>/problems.toml
    severity: Severity = "error"
    file: str | None = None
    sheet: str | None = None
    row: int | None = None  # 1-based row as the user sees it in Excel / a text editor
    column: str | None = None  # the column's header as written in the file
    params: dict[str, Any] = field(default_factory=dict)
    # One problem standing for many cells with the same cause (see grouped): how many, and the first rows.
    count: int = 1
    rows: tuple[int, ...] = ()

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

    def params_shown(self, lang: str) -> dict[str, Any]:
        return {
            k: t(v.key, lang)
            if isinstance(v, Term)
            else shown(fmt.number(v, lang))
            if isinstance(v, float) and math.isfinite(v)
            else shown(v)
            for k, v in self.params.items()
        }

    def text(self, lang: str) -> str:
        """What is wrong and what to do, without where."""
        return t(f"problems.{self.code}", lang, **self.params_shown(lang))

    def message(self, lang: str) -> str:
        text = self.text(lang) if self.count == 1 else self._many(lang)
        where = self.where(lang)
        return f"{where}: {text}" if where else text

    def _many(self, lang: str) -> str:
        rows = ", ".join(map(str, self.rows)) + (", …" if self.count > len(self.rows) else "")
        key = f"problems.many.{self.code}"
        if has(key, lang):
            return t(key, lang, count=self.count, rows=rows, **self.params_shown(lang))
        return t("problems.many.default", lang, count=self.count, rows=rows, first=self.text(lang))

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


GroupKey = tuple[str, str, str | None, str | None, str | None]
# Problems each about its own subject (a name to choose a unit for, a missing framework, a duplicated key):
# every one needs its own answer, so they are never folded together.
ONE_PER_SUBJECT = frozenset(
    {
        "unit_unknown",
        "unit_ambiguous",
        "unit_code_unknown",
        "framework_missing",
        "framework_ambiguous",
        "item_unknown",
        "duplicate_row",
        "footer_rows_skipped",
        "group_rows_skipped",
    }
)


def group_key(p: Problem) -> GroupKey:
    """A cause: the same problem in the same column of the same sheet."""
    return (p.code, p.severity, p.file, p.sheet, p.column)


def grouped(problems: Iterable[Problem], totals: Mapping[GroupKey, int] | None = None) -> list[Problem]:
    """One problem per cause: the cell problems (those with a row) of one cause become one, counting them and
    naming the first ROWS_SHOWN rows; a cause met once, problems about no particular row and those in
    ONE_PER_SUBJECT stay as they are.

    totals: how many cells a cause really had, when the caller kept only the first few of them."""
    totals = totals or {}
    slots: list[Problem | GroupKey] = []
    groups: dict[GroupKey, list[Problem]] = {}
    for p in problems:
        if p.row is None or p.count > 1 or p.code in ONE_PER_SUBJECT:
            slots.append(p)
            continue
        key = group_key(p)
        if key not in groups:
            groups[key] = []
            slots.append(key)
        groups[key].append(p)
    out: list[Problem] = []
    for slot in slots:
        if isinstance(slot, Problem):
            out.append(slot)
            continue
        members = groups[slot]
        count = max(totals.get(slot, 0), len(members))
        if count == 1:
            out.append(members[0])
            continue
        rows = tuple(sorted({m.row for m in members if m.row is not None}))[:ROWS_SHOWN]
        out.append(replace(members[0], row=None, count=count, rows=rows))
    return out
