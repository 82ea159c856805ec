"""A scenario as data: award rules read from a dict (a preset YAML, a saved scenario, the page's form).

`parse(data)` checks every field and returns a `Scenario`, or raises `ScenarioError` listing every wrong
field by its path ("rules[0].groups[1].quota.percent") with a message code and parameters; the words are
in the `quota.validation.*` catalog entries, so the page and the CLI say which field is wrong in the
reader's language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from core.errors import ParboardError

RECIPIENTS = ("collective", "individual")
AWARD_KINDS = ("giay_khen", "bang_khen", "co_thi_dua", "title")
SCOPES = ("year", "review")
UNIT_KINDS = ("department", "district", "commune", "province", "ministry")
QUOTA_KINDS = ("count", "range", "percent")
BASES = ("all", "eligible", "title", "headcount")
ROUNDINGS = ("floor", "nearest", "ceil", "at_least_one")
TIERS = ("xuat_sac", "tot", "kha", "trung_binh", "yeu")  # best first: the schema's tier vocabulary
CASE_KINDS = ("discipline", "investigation", "complaint")
CASE_LEVELS = ("khien_trach", "canh_cao", "ha_bac", "cach_chuc", "buoc_thoi_viec")  # lightest first
CASE_WINDOWS = ("scope", "last_year")
MEASURES = ("total", "component", "period_mean", "latest", "improvement", "weighted")
TIE_BREAKS = ("registered_on", "completion", "latest", "component", "initiative", "title")
AT_CUTOFF = ("admit_all", "admit_none", "flag")
# Individuals' titles, best first (the title tie-break puts a Chiến sĩ thi đua cơ sở first).
PERSON_TITLES = ("Chiến sĩ thi đua cơ sở", "Lao động tiên tiến")
# Conditions over several years (analysis.quota.history); the last two also apply to individuals.
HISTORY_KINDS = ("tier_streak", "rank_improved", "title_each_year", "not_awarded")
HISTORY_COLLECTIVE_ONLY = ("tier_streak", "rank_improved")

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class FieldError:
    path: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


class ScenarioError(ParboardError, ValueError):
    """A scenario that does not validate; `errors` name each field and what is wrong with it."""

    area = "quota.errors"

    def __init__(self, errors: list[FieldError]):
        super().__init__("invalid_scenario", count=len(errors))
        self.errors = errors

    def __str__(self) -> str:
        return "; ".join(f"{e.path}: {e.code} {e.params}" for e in self.errors)


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from: the document, and the section a rule quotes."""

    title: str = ""
    number: str = ""
    issuer: str = ""
    date: date | None = None
    source: str = ""  # the file in seeds/ or a public address
    section: str = ""
    quote: str = ""


@dataclass(frozen=True)
class Quota:
    kind: str  # count | range | percent
    count: int = 0
    low: int = 0  # range
    high: int = 0
    percent: Fraction = Fraction(0)
    base: str = "all"
    titles: tuple[str, ...] = ()
    rounding: str = "floor"


@dataclass(frozen=True)
class Group:
    id: str
    name: dict[str, str]
    kinds: tuple[str, ...]
    quota: Quota
    subkinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComponentMin:
    code: str
    points: float | None = None
    pct: float | None = None  # percent of the component's maximum


@dataclass(frozen=True)
class HistoryCondition:
    """A condition on the record of several years ending with the scope's last year: `years` of them, or
    every year of the scope when None (a review period)."""

    kind: str  # tier_streak | rank_improved | title_each_year | not_awarded
    years: int | None
    tier_min: str | None = None  # tier_streak
    titles: tuple[str, ...] = ()  # title_each_year
    forms: tuple[str, ...] = ()  # not_awarded: award kinds
    source: str = ""  # where the condition is stated


@dataclass(frozen=True)
class Fairness:
    """A rule's stated preference among the individuals proposed: at least min_share % of them in the
    position class favour (data/rules/positions.yaml)."""

    favour: str
    min_share: float
    source: str = ""
    quote: str = ""


@dataclass(frozen=True)
class Eligibility:
    registered_by: tuple[int, int] | None = None  # (month, day) in each year scored
    tier_min: str | None = None
    total_min: float | None = None
    completion_min: float | None = None
    no_case: tuple[str, ...] = ()
    case_window: str = "scope"
    member_discipline_from: str | None = None
    component_min: tuple[ComponentMin, ...] = ()
    titles: tuple[str, ...] = ()
    exists_at_end: bool = False
    min_years: int | None = None
    initiative: bool = False
    unit_tier_min: str | None = None
    unit_eligible_in: str | None = None
    history: tuple[HistoryCondition, ...] = ()


@dataclass(frozen=True)
class Measure:
    kind: str
    component: str | None = None
    parts: tuple[tuple[float, Measure], ...] = ()


@dataclass(frozen=True)
class TieBreak:
    key: str
    component: str | None = None


@dataclass(frozen=True)
class Rule:
    id: str
    name: dict[str, str]
    award_kind: str
    award: dict[str, str]
    recipient: str
    scope: str
    review: tuple[int, int] | None
    period: tuple[tuple[int, int], tuple[int, int]] | None  # an emulation period inside the year
    period_name: dict[str, str]
    groups: tuple[Group, ...]
    eligibility: Eligibility
    measure: Measure
    tie_break: tuple[TieBreak, ...]
    at_cutoff: str
    exclude_awarded_by: tuple[str, ...]
    citation: Citation
    left_out_shown: int = 3
    # The day (month, day) of the scope's last year whose units the rule counts; None: the last day of the
    # rule's window (31 December, or the end of its emulation period). See analysis.units_of_year.
    reference_date: tuple[int, int] | None = None
    # The award form whose reward amount applies (an id of data/rules/rewards/amounts.yaml); None: not stated,
    # and the list's cost says so rather than guess.
    award_form: str | None = None


@dataclass(frozen=True)
class CostSettings:
    """What the reader sets for the cost of a list: the decision date (None: each rule's reference date) and
    multipliers filled in where the decree's text gave none: {form id: {"individual" | "collective": x}}."""

    decision_date: date | None = None
    multipliers: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Robustness:
    safe: float = 0.95  # awarded in at least this share of draws: a safe decision
    unsafe: float = 0.05  # awarded in at most this share: safely out
    draws: int = 10_000
    seed: int = 2021
    criterion_sd: float = 0.5
    rounding_step: float = 0.25


@dataclass(frozen=True)
class Scenario:
    id: str
    name: dict[str, str]
    plan: Citation
    rules: tuple[Rule, ...]
    notes: tuple[dict[str, str], ...] = ()
    robustness: Robustness = Robustness()
    fairness: Fairness | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    cost: CostSettings = field(default_factory=CostSettings, compare=False)

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)


def pick(text: dict[str, str] | str | None, lang: str) -> str:
    """A {vi, en} text in lang (Vietnamese when the language is missing)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("vi") or next(iter(text.values()), "")


class _Reader:
    """Reads fields off a dict, recording every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, code: str, **params: Any) -> None:
        self.errors.append(FieldError(path, code, params))

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "not_a_mapping")
            return {}
        return value

    def unknown(self, data: dict[str, Any], allowed: set[str], path: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else str(key), "unknown_field", allowed=", ".join(sorted(allowed)))

    def text(self, value: Any, path: str, required: bool = True) -> dict[str, str]:
        if value is None or value == "" or value == {}:
            if required:
                self.fail(path, "required")
            return {}
        if isinstance(value, str):
            return {"vi": value.strip(), "en": value.strip()}
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()) and value.get("vi"):
            return {k: v.strip() for k, v in value.items()}
        self.fail(path, "not_a_text")
        return {}

    def string(self, value: Any, path: str, required: bool = False) -> str:
        if value is None or value == "":
            if required:
                self.fail(path, "required")
            return ""
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return str(value).strip()
        self.fail(path, "not_a_text")
        return ""

    def ident(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not _ID.match(value):
            self.fail(path, "bad_id", value=str(value) if value is not None else "")
            return str(value or "")
        return value

    def choice(self, value: Any, options: tuple[str, ...], path: str, required: bool = True) -> str | None:
        if value is None or value == "":
            if required:
                self.fail(path, "required")
            return None
        if value not in options:
            self.fail(path, "one_of", value=str(value), options=", ".join(options))
            return None
        return str(value)

    def number(
        self, value: Any, path: str, low: float | None = None, high: float | None = None, required: bool = False
    ) -> float | None:
        if value is None or value == "":
            if required:
                self.fail(path, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(path, "not_a_number", value=str(value))
            return None
        try:
            number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
        except ValueError:
            self.fail(path, "not_a_number", value=str(value))
            return None
        if number != number or (low is not None and number < low) or (high is not None and number > high):
            self.fail(
                path,
                "out_of_range",
                value=str(value),
                low=low if low is not None else "–",
                high=high if high is not None else "–",
            )
            return None
        return number

    def integer(
        self, value: Any, path: str, low: int | None = None, high: int | None = None, required: bool = False
    ) -> int | None:
        number = self.number(value, path, low, high, required)
        if number is None:
            return None
        if number != int(number):
            self.fail(path, "not_an_integer", value=str(value))
            return None
        return int(number)

    def strings(self, value: Any, path: str, options: tuple[str, ...] | None = None) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(path, "not_a_list")
            return ()
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                self.fail(f"{path}[{i}]", "not_a_text")
            elif options is not None and item not in options:
                self.fail(f"{path}[{i}]", "one_of", value=item, options=", ".join(options))
            else:
                out.append(item.strip())
        return tuple(out)

    def month_day(self, value: Any, path: str) -> tuple[int, int] | None:
        if value is None or value == "":
            return None
        match = _MONTH_DAY.match(str(value).strip())
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            try:
                date(2000, month, day)  # any leap year: 02-29 is a valid deadline
                return month, day
            except ValueError:
                pass
        self.fail(path, "bad_month_day", value=str(value))
        return None

    def flag(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, "not_a_flag", value=str(value))
            return False
        return value


def _date(r: _Reader, value: Any, path: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        r.fail(path, "bad_date", value=str(value))
        return None


def _citation(r: _Reader, data: Any, path: str) -> Citation:
    d = r.mapping(data, path)
    r.unknown(d, {"title", "number", "issuer", "date", "source", "section", "quote"}, path)
    return Citation(
        title=r.string(d.get("title"), f"{path}.title"),
        number=r.string(d.get("number"), f"{path}.number"),
        issuer=r.string(d.get("issuer"), f"{path}.issuer"),
        date=_date(r, d.get("date"), f"{path}.date"),
        source=r.string(d.get("source"), f"{path}.source"),
        section=r.string(d.get("section"), f"{path}.section"),
        quote=r.string(d.get("quote"), f"{path}.quote"),
    )


def _quota(r: _Reader, data: Any, path: str) -> Quota:
    d = r.mapping(data, path)
    if not d:
        r.fail(path, "required")
        return Quota("count")
    kinds = [k for k in ("count", "range", "percent") if k in d]
    if len(kinds) != 1:
        r.fail(path, "quota_one_kind")
        return Quota("count")
    kind = kinds[0]
    if kind == "count":
        r.unknown(d, {"count"}, path)
        count = r.integer(d["count"], f"{path}.count", 0, 100_000, required=True)
        return Quota("count", count=count or 0)
    if kind == "range":
        r.unknown(d, {"range"}, path)
        pair = d["range"]
        if not (isinstance(pair, list) and len(pair) == 2):
            r.fail(f"{path}.range", "range_pair")
            return Quota("range")
        low = r.integer(pair[0], f"{path}.range[0]", 0, 100_000, required=True)
        high = r.integer(pair[1], f"{path}.range[1]", 0, 100_000, required=True)
        if low is not None and high is not None and low > high:
            r.fail(f"{path}.range", "range_order", low=low, high=high)
        return Quota("range", low=low or 0, high=high or 0)
    r.unknown(d, {"percent", "base", "titles", "rounding"}, path)
    pct = r.number(d["percent"], f"{path}.percent", 0, 100, required=True)
    base = r.choice(d.get("base", "all"), BASES, f"{path}.base") or "all"
    titles = r.strings(d.get("titles"), f"{path}.titles")
    if base == "title" and not titles:
        r.fail(f"{path}.titles", "required_for_title_base")
    rounding = r.choice(d.get("rounding", "floor"), ROUNDINGS, f"{path}.rounding") or "floor"
    # Exact decimal arithmetic: 20 % of 15 is 3, not 3.0000000000000004 (which ceil would make 4).
    percent = Fraction(str(d["percent"]).replace(",", ".")) if pct is not None else Fraction(0)
    return Quota("percent", percent=percent, base=base, titles=titles, rounding=rounding)


def _groups(r: _Reader, data: Any, path: str) -> tuple[Group, ...]:
    if not isinstance(data, list) or not data:
        r.fail(path, "at_least_one_group")
        return ()
    out, seen = [], set()
    for i, item in enumerate(data):
        p = f"{path}[{i}]"
        d = r.mapping(item, p)
        r.unknown(d, {"id", "name", "kinds", "subkinds", "quota"}, p)
        gid = r.ident(d.get("id"), f"{p}.id")
        if gid in seen:
            r.fail(f"{p}.id", "duplicate_id", value=gid)
        seen.add(gid)
        kinds = r.strings(d.get("kinds"), f"{p}.kinds", UNIT_KINDS)
        if not kinds and not any(e.path.startswith(f"{p}.kinds") for e in r.errors):
            r.fail(f"{p}.kinds", "required")
        out.append(
            Group(
                id=gid,
                name=r.text(d.get("name") or gid, f"{p}.name"),
                kinds=kinds,
                subkinds=r.strings(d.get("subkinds"), f"{p}.subkinds"),
                quota=_quota(r, d.get("quota"), f"{p}.quota"),
            )
        )
    return tuple(out)


_ELIGIBILITY_KEYS = {
    "registered_by",
    "tier_min",
    "total_min",
    "completion_min",
    "no_case",
    "case_window",
    "member_discipline_from",
    "component_min",
    "titles",
    "exists_at_end",
    "min_years",
    "initiative",
    "unit_tier_min",
    "unit_eligible_in",
    "history",
}


def _history(r: _Reader, data: Any, path: str, recipient: str | None) -> tuple[HistoryCondition, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        r.fail(path, "not_a_list")
        return ()
    out = []
    for i, item in enumerate(data):
        p = f"{path}[{i}]"
        d = r.mapping(item, p)
        r.unknown(d, {"kind", "years", "tier_min", "titles", "forms", "source"}, p)
        kind = r.choice(d.get("kind"), HISTORY_KINDS, f"{p}.kind")
        if kind is None:
            continue
        years = None if d.get("years") == "scope" else r.integer(d.get("years"), f"{p}.years", 1, 10, required=True)
        if kind == "rank_improved" and years == 1:
            r.fail(f"{p}.years", "out_of_range", value="1", low=2, high=10)
        if kind in HISTORY_COLLECTIVE_ONLY and recipient == "individual":
            r.fail(f"{p}.kind", "not_for_recipient", recipient=recipient)
        tier = r.choice(d.get("tier_min"), TIERS, f"{p}.tier_min", required=kind == "tier_streak")
        titles = r.strings(d.get("titles"), f"{p}.titles")
        if kind == "title_each_year" and not titles:
            r.fail(f"{p}.titles", "required")
        forms = r.strings(d.get("forms"), f"{p}.forms", AWARD_KINDS)
        if kind == "not_awarded" and not forms:
            r.fail(f"{p}.forms", "required")
        out.append(HistoryCondition(kind, years, tier, titles, forms, r.string(d.get("source"), f"{p}.source")))
    return tuple(out)


def _fairness(r: _Reader, data: Any, path: str) -> Fairness | None:
    if data is None:
        return None
    d = r.mapping(data, path)
    r.unknown(d, {"favour", "min_share", "source", "quote"}, path)
    favour = r.string(d.get("favour"), f"{path}.favour", required=True)
    share = r.number(d.get("min_share"), f"{path}.min_share", 0, 100, required=True)
    return Fairness(
        favour, share or 0.0, r.string(d.get("source"), f"{path}.source"), r.string(d.get("quote"), f"{path}.quote")
    )


def _eligibility(r: _Reader, data: Any, path: str, recipient: str | None) -> Eligibility:
    d = r.mapping(data, path)
    r.unknown(d, _ELIGIBILITY_KEYS, path)
    comps = []
    raw = d.get("component_min") or {}
    if not isinstance(raw, dict):
        r.fail(f"{path}.component_min", "not_a_mapping")
        raw = {}
    for code, spec in raw.items():
        p = f"{path}.component_min.{code}"
        if isinstance(spec, dict):
            r.unknown(spec, {"points", "pct"}, p)
            points = r.number(spec.get("points"), f"{p}.points", 0)
            pct = r.number(spec.get("pct"), f"{p}.pct", 0, 100)
            if points is None and pct is None:
                r.fail(p, "required")
            comps.append(ComponentMin(str(code), points, pct))
        else:
            points = r.number(spec, p, 0, required=True)
            comps.append(ComponentMin(str(code), points, None))
    individual_only = ("initiative", "unit_tier_min", "unit_eligible_in")
    collective_only = (
        "registered_by",
        "completion_min",
        "member_discipline_from",
        "component_min",
        "tier_min",
        "total_min",
        "min_years",
    )
    for key in individual_only if recipient == "collective" else collective_only if recipient == "individual" else ():
        if d.get(key) not in (None, False, {}, [], ""):
            r.fail(f"{path}.{key}", "not_for_recipient", recipient=recipient)
    return Eligibility(
        registered_by=r.month_day(d.get("registered_by"), f"{path}.registered_by"),
        tier_min=r.choice(d.get("tier_min"), TIERS, f"{path}.tier_min", required=False),
        total_min=r.number(d.get("total_min"), f"{path}.total_min", 0, 1000),
        completion_min=r.number(d.get("completion_min"), f"{path}.completion_min", 0, 100),
        no_case=r.strings(d.get("no_case"), f"{path}.no_case", CASE_KINDS),
        case_window=r.choice(d.get("case_window", "scope"), CASE_WINDOWS, f"{path}.case_window") or "scope",
        member_discipline_from=r.choice(
            d.get("member_discipline_from"), CASE_LEVELS, f"{path}.member_discipline_from", required=False
        ),
        component_min=tuple(comps),
        titles=r.strings(d.get("titles"), f"{path}.titles"),
        exists_at_end=r.flag(d.get("exists_at_end"), f"{path}.exists_at_end"),
        min_years=r.integer(d.get("min_years"), f"{path}.min_years", 1, 10),
        initiative=r.flag(d.get("initiative"), f"{path}.initiative"),
        unit_tier_min=r.choice(d.get("unit_tier_min"), TIERS, f"{path}.unit_tier_min", required=False),
        unit_eligible_in=(
            r.ident(d["unit_eligible_in"], f"{path}.unit_eligible_in") if d.get("unit_eligible_in") else None
        ),
        history=_history(r, d.get("history"), f"{path}.history", recipient),
    )


def _measure(r: _Reader, data: Any, path: str, depth: int = 0) -> Measure:
    d = r.mapping(data, path) if not isinstance(data, str) else {"kind": data}
    r.unknown(d, {"kind", "component", "parts"}, path)
    kind = r.choice(d.get("kind"), MEASURES, f"{path}.kind") or "total"
    if kind == "component":
        code = r.string(d.get("component"), f"{path}.component", required=True)
        return Measure("component", component=code)
    if kind == "weighted":
        parts = d.get("parts")
        if depth > 0:
            r.fail(path, "nested_weighted")
            return Measure("total")
        if not isinstance(parts, list) or not parts:
            r.fail(f"{path}.parts", "required")
            return Measure("total")
        out = []
        for i, part in enumerate(parts):
            p = f"{path}.parts[{i}]"
            pd_ = r.mapping(part, p)
            r.unknown(pd_, {"weight", "kind", "component"}, p)
            weight = r.number(pd_.get("weight"), f"{p}.weight", 0, 100, required=True)
            sub = _measure(r, {k: v for k, v in pd_.items() if k != "weight"}, p, depth + 1)
            out.append((weight or 0.0, sub))
        return Measure("weighted", parts=tuple(out))
    return Measure(kind)


def _tie_breaks(r: _Reader, data: Any, path: str) -> tuple[TieBreak, ...]:
    out = []
    for i, item in enumerate(r.strings(data, path)):
        key, _, comp = item.partition(":")
        if key not in TIE_BREAKS:
            r.fail(f"{path}[{i}]", "one_of", value=item, options=", ".join(TIE_BREAKS))
            continue
        if key == "component" and not comp:
            r.fail(f"{path}[{i}]", "component_code_required")
            continue
        out.append(TieBreak(key, comp or None))
    return tuple(out)


_RULE_KEYS = {
    "id",
    "name",
    "award",
    "recipient",
    "scope",
    "review",
    "period",
    "groups",
    "eligibility",
    "measure",
    "tie_break",
    "at_cutoff",
    "exclude_awarded_by",
    "citation",
    "left_out_shown",
    "reference_date",
}


def _rule(r: _Reader, data: Any, path: str, earlier: list[str]) -> Rule:
    d = r.mapping(data, path)
    r.unknown(d, _RULE_KEYS, path)
    rid = r.ident(d.get("id"), f"{path}.id")
    recipient = r.choice(d.get("recipient"), RECIPIENTS, f"{path}.recipient")
    award = r.mapping(d.get("award"), f"{path}.award")
    r.unknown(award, {"kind", "label", "form"}, f"{path}.award")
    scope = r.choice(d.get("scope"), SCOPES, f"{path}.scope") or "year"
    review = None
    if scope == "review":
        pair = d.get("review")
        if not (isinstance(pair, list) and len(pair) == 2):
            r.fail(f"{path}.review", "review_pair")
        else:
            first = r.integer(pair[0], f"{path}.review[0]", 2000, 2100, required=True)
            last = r.integer(pair[1], f"{path}.review[1]", 2000, 2100, required=True)
            if first is not None and last is not None:
                if first >= last:
                    r.fail(f"{path}.review", "range_order", low=first, high=last)
                review = (first, last)
    elif d.get("review") is not None:
        r.fail(f"{path}.review", "only_for_review")
    period, period_name = None, {}
    if d.get("period") is not None:
        pd_ = r.mapping(d.get("period"), f"{path}.period")
        r.unknown(pd_, {"from", "to", "name"}, f"{path}.period")
        if scope != "year":
            r.fail(f"{path}.period", "only_for_year")
        start = r.month_day(pd_.get("from"), f"{path}.period.from")
        end = r.month_day(pd_.get("to"), f"{path}.period.to")
        if start is None or end is None:
            r.fail(f"{path}.period", "required")
        elif start > end:
            r.fail(f"{path}.period", "range_order", low=pd_.get("from"), high=pd_.get("to"))
        else:
            period = (start, end)
        period_name = r.text(pd_.get("name"), f"{path}.period.name", required=False)
    excl = r.strings(d.get("exclude_awarded_by"), f"{path}.exclude_awarded_by")
    for i, other in enumerate(excl):
        if other not in earlier:
            r.fail(f"{path}.exclude_awarded_by[{i}]", "unknown_earlier_rule", value=other)
    eligibility = _eligibility(r, d.get("eligibility"), f"{path}.eligibility", recipient)
    if eligibility.unit_eligible_in and eligibility.unit_eligible_in not in earlier:
        r.fail(f"{path}.eligibility.unit_eligible_in", "unknown_earlier_rule", value=eligibility.unit_eligible_in)
    return Rule(
        id=rid,
        name=r.text(d.get("name"), f"{path}.name"),
        award_kind=r.choice(award.get("kind"), AWARD_KINDS, f"{path}.award.kind") or "giay_khen",
        award=r.text(award.get("label"), f"{path}.award.label"),
        recipient=recipient or "collective",
        scope=scope,
        review=review,
        period=period,
        period_name=period_name,
        groups=_groups(r, d.get("groups"), f"{path}.groups"),
        eligibility=eligibility,
        measure=_measure(r, d.get("measure", "total"), f"{path}.measure"),
        tie_break=_tie_breaks(r, d.get("tie_break"), f"{path}.tie_break"),
        at_cutoff=r.choice(d.get("at_cutoff", "flag"), AT_CUTOFF, f"{path}.at_cutoff") or "flag",
        exclude_awarded_by=excl,
        citation=_citation(r, d.get("citation"), f"{path}.citation"),
        left_out_shown=r.integer(d.get("left_out_shown", 3), f"{path}.left_out_shown", 0, 100) or 0,
        reference_date=r.month_day(d.get("reference_date"), f"{path}.reference_date"),
        award_form=r.ident(award["form"], f"{path}.award.form") if award.get("form") else None,
    )


def _robustness(r: _Reader, data: Any, path: str, base: Robustness) -> Robustness:
    d = r.mapping(data, path)
    r.unknown(d, {"safe", "unsafe", "draws", "seed", "criterion_sd", "rounding_step"}, path)
    safe = r.number(d.get("safe", base.safe), f"{path}.safe", 0.5, 1)
    unsafe = r.number(d.get("unsafe", base.unsafe), f"{path}.unsafe", 0, 0.5)
    return Robustness(
        safe=safe if safe is not None else base.safe,
        unsafe=unsafe if unsafe is not None else base.unsafe,
        draws=r.integer(d.get("draws", base.draws), f"{path}.draws", 100, 1_000_000) or base.draws,
        seed=r.integer(d.get("seed", base.seed), f"{path}.seed", 0, 2**32 - 1) or 0,
        criterion_sd=r.number(d.get("criterion_sd", base.criterion_sd), f"{path}.criterion_sd", 0, 50) or 0.0,
        rounding_step=r.number(d.get("rounding_step", base.rounding_step), f"{path}.rounding_step", 0, 10) or 0.0,
    )


def _cost(r: _Reader, data: Any, path: str) -> CostSettings:
    d = r.mapping(data, path)
    r.unknown(d, {"decision_date", "multipliers"}, path)
    decision = _date(r, d.get("decision_date"), f"{path}.decision_date")
    filled: dict[str, dict[str, float]] = {}
    for form, spec in r.mapping(d.get("multipliers"), f"{path}.multipliers").items():
        p = f"{path}.multipliers.{form}"
        r.ident(form, p)
        values = r.mapping(spec, p)
        r.unknown(values, set(RECIPIENTS), p)
        filled[str(form)] = {
            k: v for k in RECIPIENTS if (v := r.number(values.get(k), f"{p}.{k}", 0, 1000)) is not None
        }
    return CostSettings(decision, filled)


def parse(data: Any, defaults: Robustness | None = None) -> Scenario:
    """A validated Scenario from a dict, or ScenarioError naming every wrong field."""
    r = _Reader()
    d = r.mapping(data, "")
    r.unknown(d, {"id", "name", "plan", "notes", "rules", "robustness", "cost", "fairness"}, "")
    sid = r.ident(d.get("id"), "id")
    name = r.text(d.get("name"), "name")
    plan = _citation(r, d.get("plan"), "plan")
    notes = []
    for i, note in enumerate(d.get("notes") or []):
        notes.append(r.text(note, f"notes[{i}]"))
    rules: list[Rule] = []
    raw_rules = d.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        r.fail("rules", "at_least_one_rule")
        raw_rules = []
    ids: list[str] = []
    for i, item in enumerate(raw_rules):
        rule = _rule(r, item, f"rules[{i}]", list(ids))
        if rule.id in ids:
            r.fail(f"rules[{i}].id", "duplicate_id", value=rule.id)
        ids.append(rule.id)
        rules.append(rule)
    robustness = _robustness(r, d.get("robustness"), "robustness", defaults or Robustness())
    cost = _cost(r, d.get("cost"), "cost")
    fairness = _fairness(r, d.get("fairness"), "fairness")
    if r.errors:
        raise ScenarioError(r.errors)
    return Scenario(sid, name, plan, tuple(rules), tuple(notes), robustness, fairness, raw=dict(d), cost=cost)


def validate(data: Any) -> list[FieldError]:
    """Every wrong field of a scenario dict (empty when it is valid)."""
    try:
        parse(data)
    except ScenarioError as exc:
        return exc.errors
    return []
