"""The words of a list's cost, in the reader's language: amounts as "1.800.000 đ", a line's basis (the decree's
article, or that the reader filled the multiplier in), why a line has no amount, and the cost difference
between scenarios. Shared by the Quota simulation page, the annex and the report."""

from __future__ import annotations

import polars as pl

from analysis.quota.cost import Cost, CostLine
from analysis.quota.model import pick
from core import fmt
from core.i18n import t


def money(value: int | None, lang: str) -> str:
    if value is None:
        return t("quota.cost.pending", lang)
    return t("quota.cost.money", lang, value=fmt.integer(value, lang))


def multiplier(value: float | None, lang: str) -> str:
    return fmt.number(value, lang) if value is not None else "–"


def basis(line: CostLine, lang: str) -> str:
    """Where the line's amount comes from, or why it has none."""
    if line.missing is not None:
        return t(f"quota.cost.missing.{line.missing}", lang, decree=line.decree.number if line.decree else "–")
    assert line.decree is not None and line.salary is not None
    params = {
        "decree": line.decree.number,
        "article": line.article,
        "salary_decree": line.salary.decree,
        "day": fmt.day(line.decision_date, lang),
    }
    text = t("quota.cost.line_filled" if line.filled_in else "quota.cost.line_basis", lang, **params)
    if line.decree.round_up_to:
        rounding = t(
            "quota.cost.rounding",
            lang,
            step=fmt.integer(line.decree.round_up_to, lang),
            decree=line.decree.number,
            article=line.decree.rounding_article,
        )
        text = f"{text}. {rounding}"
    return text


def summary(cost: Cost, lang: str) -> str:
    if cost.complete:
        return t("quota.cost.complete", lang, total=money(cost.total, lang), count=fmt.integer(cost.count, lang))
    key = "quota.cost.incomplete_none" if cost.total == 0 else "quota.cost.incomplete"
    return t(key, lang, count=len(cost.missing), total=money(cost.total, lang))


def missing_lines(cost: Cost, lang: str) -> list[str]:
    """Each line without an amount and why, to read in full where a grid cell would cut it."""
    return [
        t(
            "quota.cost.line_missing",
            lang,
            form=pick(line.form_name, lang),
            recipient=t(f"quota.cost.recipient_name.{line.recipient}", lang),
            reason=basis(line, lang),
        )
        for line in cost.missing
    ]


def total_text(cost: Cost, lang: str) -> str:
    """The total as a figure, or "no reward amount yet" when nothing could be priced: never a bare 0."""
    if not cost.complete and cost.total == 0:
        return t("quota.cost.pending", lang)
    return money(cost.total, lang)


def total_label(cost: Cost, lang: str) -> str:
    return t("quota.cost.total" if cost.complete else "quota.cost.total_incomplete", lang)


def columns(lang: str) -> list[str]:
    return [
        t(f"quota.cost.{k}", lang)
        for k in ("form", "recipient", "count", "multiplier", "salary", "each", "subtotal", "basis")
    ]


def rows(cost: Cost, lang: str) -> list[list[str]]:
    """One row per line, every cell as the reader reads it (the columns of `columns`)."""
    return [
        [
            pick(line.form_name, lang),
            t(f"quota.cost.recipient_name.{line.recipient}", lang),
            fmt.integer(line.count, lang),
            multiplier(line.multiplier, lang),
            money(line.salary.amount, lang) if line.salary else "–",
            money(line.each, lang),
            money(line.subtotal, lang),
            basis(line, lang),
        ]
        for line in cost.lines
    ]


def table(cost: Cost, lang: str) -> pl.DataFrame:
    names = columns(lang)
    data = rows(cost, lang)
    return pl.DataFrame(
        {name: [r[i] for r in data] for i, name in enumerate(names)}, schema=dict.fromkeys(names, pl.String)
    )


def difference(baseline: Cost, other: Cost, baseline_label: str, lang: str) -> str:
    """How much more (or less) `other` costs than the baseline, in one sentence; said to be impossible when
    either is incomplete rather than compared on partial totals."""
    this, that = money(other.total, lang), money(baseline.total, lang)
    if not (baseline.complete and other.complete):
        return t("quota.cost.compare_incomplete", lang, baseline=baseline_label)
    if other.total == baseline.total:
        return t("quota.cost.same_cost", lang, this=this)
    delta = other.total - baseline.total
    signed = ("+" if delta > 0 else "−") + money(abs(delta), lang)
    return t("quota.cost.compare", lang, baseline=baseline_label, difference=signed, this=this, other=that)
