"""What an award list costs: per award form and recipient, count × multiplier × the base salary in force on
the decision date (data/rules/rewards/amounts.yaml), rounded only where the decree in force says so.

A multiplier the decree's text did not give (null in the data) is taken from the scenario's
`cost.multipliers` when the reader filled it in; otherwise that line has no amount and the total is marked
incomplete — a missing figure is never counted as 0. Pure: no database, no streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from analysis.quota.model import CostSettings
from analysis.quota.simulate import RuleResult, SimulationResult
from core import yamlfile
from core.paths import RULES

AMOUNTS_FILE = RULES / "rewards" / "amounts.yaml"


@dataclass(frozen=True)
class BaseSalary:
    start: date
    amount: int
    decree: str
    article: str


@dataclass(frozen=True)
class Decree:
    id: str
    number: str
    start: date
    round_up_to: int | None  # amounts rounded up to a multiple of this (đồng); None: not rounded
    rounding_article: str = ""


@dataclass(frozen=True)
class Multiplier:
    value: float | None  # None: not found in the decree's text, to fill in
    article: str = ""


@dataclass(frozen=True)
class Form:
    id: str
    name: dict[str, str]
    # decree id → recipient ("individual" | "collective") → multiplier; a recipient absent: the form is not
    # given to that recipient.
    multipliers: dict[str, dict[str, Multiplier]]


@dataclass(frozen=True)
class Amounts:
    base_salary: tuple[BaseSalary, ...]
    decrees: tuple[Decree, ...]
    forms: dict[str, Form]

    def salary_on(self, day: date) -> BaseSalary | None:
        found = [b for b in self.base_salary if b.start <= day]
        return max(found, key=lambda b: b.start) if found else None

    def decree_on(self, day: date) -> Decree | None:
        found = [d for d in self.decrees if d.start <= day]
        return max(found, key=lambda d: d.start) if found else None


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _multiplier(spec: Any) -> Multiplier:
    if spec is None:
        return Multiplier(None)
    if isinstance(spec, dict):
        value = spec.get("value")
        return Multiplier(None if value is None else float(value), str(spec.get("article") or ""))
    return Multiplier(float(spec))


def parse_amounts(data: dict[str, Any]) -> Amounts:
    salaries = tuple(
        BaseSalary(_day(b["from"]), int(b["amount"]), str(b.get("decree", "")), str(b.get("article", "")))
        for b in data.get("base_salary") or []
    )
    decrees = []
    for d in data.get("decrees") or []:
        rounding = d.get("rounding") or {}
        decrees.append(
            Decree(
                str(d["id"]),
                str(d.get("number", d["id"])),
                _day(d["from"]),
                int(rounding["up_to"]) if rounding.get("up_to") else None,
                str(rounding.get("article", "")),
            )
        )
    forms = {}
    for f in data.get("forms") or []:
        per_decree = {
            str(decree): {str(who): _multiplier(spec) for who, spec in (by_recipient or {}).items()}
            for decree, by_recipient in (f.get("multipliers") or {}).items()
        }
        forms[str(f["id"])] = Form(str(f["id"]), dict(f.get("name") or {}), per_decree)
    return Amounts(salaries, tuple(decrees), forms)


def load_amounts(path: Path | None = None) -> Amounts:
    return _load(str(path or AMOUNTS_FILE))


@cache
def _load(path: str) -> Amounts:
    with open(path, encoding="utf-8") as fh:
        return parse_amounts(yamlfile.load(fh) or {})


# Why a line has no amount (quota.cost.missing.<code>)
NO_FORM = "no_form"  # the rule names no award form
UNKNOWN_FORM = "unknown_form"  # the form is not in the amounts file
NO_DECREE = "no_decree"  # no decree in force on the decision date
NO_SALARY = "no_salary"  # no base salary in force on the decision date
NOT_FOR_RECIPIENT = "not_for_recipient"  # the decree gives this form no amount for this recipient
TO_FILL = "to_fill"  # the decree's text was not found: a setting to fill in


@dataclass(frozen=True)
class CostLine:
    """One rule's awards of one form to one kind of recipient."""

    rule_id: str
    rule_name: dict[str, str]
    award: dict[str, str]  # the rule's label of the award
    form: str | None
    form_name: dict[str, str]
    recipient: str
    count: int
    decision_date: date
    decree: Decree | None
    salary: BaseSalary | None
    multiplier: float | None
    article: str  # where the multiplier comes from; "" when the reader filled it in
    filled_in: bool  # the multiplier is the reader's setting, not the decree's text
    each: int | None  # the amount of one award, rounded as the decree says
    missing: str | None  # why there is no amount (one of the codes above), None when there is one

    @property
    def subtotal(self) -> int | None:
        return None if self.each is None else self.each * self.count


@dataclass
class Cost:
    lines: list[CostLine] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(line.missing is None for line in self.lines if line.count)

    @property
    def total(self) -> int:
        """The sum of the lines that have an amount (the whole cost only when `complete`)."""
        return sum(line.subtotal or 0 for line in self.lines)

    @property
    def count(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def missing(self) -> list[CostLine]:
        return [line for line in self.lines if line.count and line.missing is not None]


def amount_each(multiplier: float, salary: int, decree: Decree) -> int:
    """multiplier × salary in whole đồng, rounded up to the decree's step when it prescribes one. Decimal
    arithmetic: 0.15 × 1,490,000 is 223,500 exactly, not 223,499.99…"""
    exact = Decimal(str(multiplier)) * Decimal(salary)
    if decree.round_up_to:
        step = Decimal(decree.round_up_to)
        return int((exact / step).to_integral_value(rounding=ROUND_CEILING) * step)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def decision_day(result: SimulationResult, rr: RuleResult, settings: CostSettings | None = None) -> date:
    """The decision date set (the reader's, else the scenario's), else the rule's reference date (the day whose
    units it counts)."""
    settings = settings or result.scenario.cost
    if settings.decision_date is not None:
        return settings.decision_date
    return rr.reference or date(result.scope.last, 12, 31)


def _line(result: SimulationResult, rr: RuleResult, amounts: Amounts, settings: CostSettings) -> CostLine:
    rule = rr.rule
    count = sum(g.awarded.height for g in rr.groups)
    day = decision_day(result, rr, settings)
    decree, salary = amounts.decree_on(day), amounts.salary_on(day)
    form = amounts.forms.get(rule.award_form) if rule.award_form else None
    base = CostLine(
        rule_id=rule.id,
        rule_name=rule.name,
        award=rule.award,
        form=rule.award_form,
        form_name=form.name if form else rule.award,
        recipient=rule.recipient,
        count=count,
        decision_date=day,
        decree=decree,
        salary=salary,
        multiplier=None,
        article="",
        filled_in=False,
        each=None,
        missing=None,
    )

    def without(code: str, multiplier: float | None = None, article: str = "", filled: bool = False) -> CostLine:
        return replace(base, multiplier=multiplier, article=article, filled_in=filled, missing=code)

    if rule.award_form is None:
        return without(NO_FORM)
    if form is None:
        return without(UNKNOWN_FORM)
    if decree is None:
        return without(NO_DECREE)
    given = form.multipliers.get(decree.id, {})
    filled_in = settings.multipliers.get(form.id, {}).get(rule.recipient)
    if rule.recipient not in given and filled_in is None:
        return without(NOT_FOR_RECIPIENT)
    stated = given.get(rule.recipient, Multiplier(None))
    # The decree's figure wins over a setting: a setting only fills what the text did not give.
    multiplier, article, filled = (
        (stated.value, stated.article, False) if stated.value is not None else (filled_in, "", filled_in is not None)
    )
    if multiplier is None:
        return without(TO_FILL)
    if salary is None:
        return without(NO_SALARY, multiplier, article, filled)
    each = amount_each(multiplier, salary.amount, decree)
    return replace(base, multiplier=multiplier, article=article, filled_in=filled, each=each)


def cost(result: SimulationResult, amounts: Amounts | None = None, settings: CostSettings | None = None) -> Cost:
    """The cost of the list: one line per rule (its award form, to its kind of recipient), for the awarded
    only — ties left to the council are not in the list until it decides. settings: the reader's decision
    date and filled-in multipliers (default: the scenario's `cost` block)."""
    amounts = amounts or load_amounts()
    settings = settings or result.scenario.cost
    return Cost([_line(result, rr, amounts, settings) for rr in result.rules])


def priced(result: SimulationResult, settings: CostSettings) -> SimulationResult:
    """The same result whose scenario carries the reader's cost settings, so that the annex and the report
    price the list as the page shows it."""
    return replace(result, scenario=replace(result.scenario, cost=settings))
