"""Run a scenario over a scope: per rule and group, who is awarded, who is left out and by how much, who is
excluded and why, and what the council must decide.

Rules run in the scenario's order, so a rule can exclude the winners of an earlier (higher) one — one
achievement earns one award — and an individuals' rule can take its people from the units an earlier
collectives' rule found eligible.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from analysis import units_of_year as uoy
from analysis.quota import eligibility as elig
from analysis.quota import history, measures
from analysis.quota.inputs import Inputs, Scope
from analysis.quota.model import PERSON_TITLES, Group, Rule, Scenario, TieBreak
from analysis.quota.quotas import QuotaCount, seats
from analysis.quota.select import AWARDED, Cutoff, rank


@dataclass(frozen=True)
class Notice:
    """Something the analyst must read beside a list: code → quota.notice.<code>, with its parameters."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    level: str = "info"  # info | warning


@dataclass
class GroupResult:
    rule: Rule
    group: Group
    quota: QuotaCount
    population: int
    eligible: int
    ranked: pl.DataFrame  # eligible candidates in order (see select.rank)
    excluded: pl.DataFrame  # one row per failed filter: id, name, unit_code, unit_name, filter, year, value, required
    cutoff: Cutoff
    notices: list[Notice]
    pool: pl.DataFrame  # every candidate that passed the filters (id, unit_code, measure), the ranked first
    # The units of the scope's last year on the rule's reference date (analysis.units_of_year): the group's
    # population and a percentage's base come from these; units that existed in the window but not on that
    # day are summarised (not_counted), never listed as exclusions.
    reference: date | None = None
    units_counted: int = 0
    counted_kinds: tuple[str, ...] = ()  # the group's kinds that have units on that day
    not_counted: tuple[uoy.Change, ...] = ()

    @property
    def awarded(self) -> pl.DataFrame:
        return self.ranked.filter(pl.col("status").is_in(AWARDED))

    @property
    def ties(self) -> pl.DataFrame:
        return self.ranked.filter(pl.col("status").is_in(("tie_council", "tie_refused", "tie_admitted")))

    @property
    def left_out(self) -> pl.DataFrame:
        """The first left-out candidates (as many as the rule shows), with the points each needed."""
        return self.ranked.filter(pl.col("status") == "left_out").head(self.rule.left_out_shown)


@dataclass
class RuleResult:
    rule: Rule
    groups: list[GroupResult]
    notices: list[Notice]
    window: elig.Window
    reference: date | None = None

    @property
    def awarded_ids(self) -> set[str]:
        return {i for g in self.groups for i in g.awarded["id"].to_list()}

    @property
    def eligible_units(self) -> set[str]:
        return {u for g in self.groups for u in g.ranked["unit_code"].to_list()}


@dataclass
class SimulationResult:
    scenario: Scenario
    scope: Scope
    rules: list[RuleResult]
    notices: list[Notice]
    dataset_name: str = ""
    synthetic: bool = False

    def group_results(self) -> list[GroupResult]:
        return [g for r in self.rules for g in r.groups]

    def outcomes(self) -> pl.DataFrame:
        """One row per candidate of every rule and group: awarded, tied, left out or excluded (with the
        failed filters joined as codes), for comparisons and exports."""
        frames = []
        for g in self.group_results():
            base = dict(
                rule_id=g.rule.id, group_id=g.group.id, recipient=g.rule.recipient, award_kind=g.rule.award_kind
            )
            ranked = g.ranked.select(
                "id",
                "name",
                "unit_code",
                "unit_name",
                "measure",
                "position",
                "status",
                "gap",
                "optional",
                pl.lit(None, dtype=pl.String).alias("filters"),
            )
            excluded = (
                g.excluded.group_by("id", "name", "unit_code", "unit_name", maintain_order=True)
                .agg(pl.col("filter").unique(maintain_order=True).str.join(", ").alias("filters"))
                .select(
                    "id",
                    "name",
                    "unit_code",
                    "unit_name",
                    pl.lit(None, dtype=pl.Float64).alias("measure"),
                    pl.lit(None, dtype=pl.Int64).alias("position"),
                    pl.lit("excluded").alias("status"),
                    pl.lit(None, dtype=pl.Float64).alias("gap"),
                    pl.lit(False).alias("optional"),
                    "filters",
                )
            )
            frames.append(
                pl.concat([ranked, excluded], how="vertical_relaxed").with_columns(
                    **{k: pl.lit(v) for k, v in base.items()}
                )
            )
        if not frames:
            return pl.DataFrame(schema={"id": pl.String, "status": pl.String, "rule_id": pl.String})
        return pl.concat(frames, how="vertical_relaxed")

    def awards(self) -> pl.DataFrame:
        """The award list: every awarded candidate in rule, group and position order."""
        out = self.outcomes()
        return out.filter(pl.col("status").is_in(AWARDED)) if out.height else out

    @property
    def awarded_count(self) -> int:
        return sum(g.awarded.height for g in self.group_results())


def rule_applies(rule: Rule, scope: Scope) -> bool:
    if rule.scope == "year":
        return scope.kind == "year"
    return scope.kind == "review" and rule.review == (scope.first, scope.last)


def window(rule: Rule, scope: Scope) -> elig.Window:
    first, last = date(scope.first, 1, 1), date(scope.last, 12, 31)
    if rule.period is not None:
        (m1, d1), (m2, d2) = rule.period
        first, last = date(scope.first, m1, d1), date(scope.last, m2, d2)
    if rule.eligibility.case_window == "last_year":
        case_first, case_last = date(scope.last, 1, 1), date(scope.last, 12, 31)
    else:
        case_first, case_last = first, last
    return elig.Window(first, last, case_first, case_last, tuple(scope.years))


def reference_day(rule: Rule, scope: Scope, w: elig.Window) -> date:
    """The day whose units a rule counts: its stated reference_date in the scope's last year, else the last
    day of its window (31 December, or the end of its emulation period)."""
    if rule.reference_date is None:
        return w.last_day
    month, day = rule.reference_date
    if (month, day) == (2, 29) and not _leap(scope.last):
        day = 28
    return date(scope.last, month, day)


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _units_of(units: pl.DataFrame, w: elig.Window, day: date) -> uoy.YearUnits:
    """The window's units split into those existing on day (counted) and the rest (summarised)."""
    during = units.filter(uoy.existed_during(w.first_day, max(w.last_day, day)))
    present = uoy.exists_on(day)
    return uoy.YearUnits(day.year, day, during.filter(present), during.filter(~present))


def _in_group(frame: pl.DataFrame, group: Group) -> pl.DataFrame:
    out = frame.filter(pl.col("kind").is_in(list(group.kinds)))
    if group.subkinds:
        out = out.filter(pl.col("subkind").is_in(list(group.subkinds)))
    return out


def _persons(inputs: Inputs, units: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """One row per person with a record in the scope: the latest title, any initiative, the unit; and how
    many people could not be placed because their unit (as last loaded) did not exist in the scope."""
    p = inputs.persons.sort("person_id", "year")
    agg = p.group_by("person_id", maintain_order=True).agg(
        pl.col("full_name").last(),
        pl.col("unit_code").last(),
        pl.col("position").last(),
        pl.col("title").drop_nulls().last().alias("title"),
        pl.col("initiative").is_not_null().any().alias("initiative"),
    )
    placed = agg.join(
        units.select("unit_code", pl.col("name").alias("unit_name"), "kind", "subkind", "valid_from", "valid_to"),
        on="unit_code",
        how="inner",
    ).rename({"person_id": "id"})
    return placed, agg.height - placed.height


def _tie_keys(
    rule: Rule, cand: pl.DataFrame, inputs: Inputs, years: pl.DataFrame, vals: pl.DataFrame, scope: Scope
) -> tuple[pl.DataFrame, list[str]]:
    keys = []
    for i, tb in enumerate(rule.tie_break):
        name = f"tb{i}"
        keys.append(name)
        cand = cand.join(_tie_values(tb, inputs, years, vals, scope, cand).rename({"key": name}), on="id", how="left")
    return cand, keys


def _tie_values(
    tb: TieBreak, inputs: Inputs, years: pl.DataFrame, vals: pl.DataFrame, scope: Scope, cand: pl.DataFrame
) -> pl.DataFrame:
    """(id, key): larger is better."""
    ids = cand.select("id", "unit_code")
    if tb.key == "registered_on":  # registered earlier is better: minus the day number
        reg = inputs.registrations.filter(pl.col("year") == scope.last).select(
            "unit_code", (-pl.col("registered_on").cast(pl.Int32)).cast(pl.Float64).alias("key")
        )
        return ids.join(reg, on="unit_code", how="left").select("id", "key")
    if tb.key == "completion":
        done = (
            inputs.tasks.filter(pl.col("year").is_in(list(scope.years)))
            .group_by("unit_code")
            .agg(pl.col("completion_pct").min().alias("key"))
        )
        return ids.join(done, on="unit_code", how="left").select("id", "key")
    if tb.key in ("latest", "component"):
        from analysis.quota.model import Measure

        m = Measure("latest") if tb.key == "latest" else Measure("component", component=tb.component)
        v = measures.evaluate(m, years, vals).rename({"measure": "key"})
        return ids.join(v, on="unit_code", how="left").select("id", "key")
    if tb.key == "initiative":
        col = "initiative" if "initiative" in cand.columns else None
        return cand.select("id", (pl.col(col).cast(pl.Float64) if col else pl.lit(None, dtype=pl.Float64)).alias("key"))
    if tb.key == "title":
        if "title" not in cand.columns:
            return cand.select("id", pl.lit(None, dtype=pl.Float64).alias("key"))
        order = {t: float(len(PERSON_TITLES) - i) for i, t in enumerate(PERSON_TITLES)}
        return cand.select(
            "id", pl.col("title").replace_strict(order, default=0.0, return_dtype=pl.Float64).alias("key")
        )
    raise ValueError(tb.key)


def _base(
    group: Group,
    pop: pl.DataFrame,
    eligible_ids: list[str],
    rule: Rule,
    inputs: Inputs,
    scope: Scope,
    people: pl.DataFrame,
) -> int:
    q = group.quota
    if q.base == "all":
        return pop.height
    if q.base == "eligible":
        return len(eligible_ids)
    if q.base == "headcount":
        if rule.recipient == "individual":
            return pop.height
        return people.filter(pl.col("unit_code").is_in(pop["unit_code"].to_list())).height
    titles = list(q.titles)  # base == "title"
    if rule.recipient == "individual":
        return pop.filter(pl.col("title").is_in(titles)).height
    held = inputs.registrations.filter((pl.col("year") == scope.last) & pl.col("title").is_in(titles))
    return pop.filter(pl.col("unit_code").is_in(held["unit_code"].to_list())).height


def _run_group(
    rule: Rule,
    group: Group,
    pop: pl.DataFrame,
    failures: pl.DataFrame,
    excluded_by: dict[str, str],
    inputs: Inputs,
    scope: Scope,
    years: pl.DataFrame,
    vals: pl.DataFrame,
    people: pl.DataFrame,
) -> GroupResult:
    failures = failures.filter(pl.col("id").is_in(pop["id"].to_list()))
    passed = pop.join(failures.select("id").unique(), on="id", how="anti")
    measure = measures.evaluate(
        rule.measure, years.filter(pl.col("unit_code").is_in(passed["unit_code"].to_list())), vals
    )
    passed = passed.join(measure, on="unit_code", how="left")
    missing = passed.filter(pl.col("measure").is_null())
    extra = [elig._fail(missing, "measure_missing", None, rule.measure.kind)]
    if excluded_by:
        hit = passed.filter(pl.col("id").is_in(list(excluded_by)))
        extra.append(
            hit.select(
                "id",
                pl.lit("one_award").alias("filter"),
                pl.lit(None, dtype=pl.Int32).alias("year"),
                pl.col("id").replace_strict(excluded_by, default=None).alias("value"),
                pl.lit(None, dtype=pl.String).alias("required"),
            )
        )
    failures = pl.concat([failures, *[f.cast(elig.FAILURE_SCHEMA) for f in extra]])
    eligible_ids = passed.filter(pl.col("measure").is_not_null())["id"].to_list()
    cand = passed.filter(pl.col("measure").is_not_null() & ~pl.col("id").is_in(list(excluded_by)))
    quota = seats(
        group.quota,
        _base(group, pop, eligible_ids, rule, inputs, scope, people) if group.quota.kind == "percent" else None,
    )
    cand, keys = _tie_keys(rule, cand, inputs, years, vals, scope)
    k = years.group_by("unit_code").agg(pl.len().alias("years_scored"))
    ranked, cut = rank(cand, keys, quota.seats, rule.at_cutoff, quota.low)
    ranked = ranked.join(k, on="unit_code", how="left")
    names = pop.select("id", "name", "unit_code", "unit_name")
    excluded = (
        failures.join(names, on="id", how="inner")
        .select("id", "name", "unit_code", "unit_name", "filter", "year", "value", "required")
        .sort("name", "id", "filter", "year", nulls_last=False)
    )
    notices = _group_notices(pop.height, ranked, quota, cut, len(eligible_ids))
    held_back = passed.filter(pl.col("measure").is_not_null() & pl.col("id").is_in(list(excluded_by)))
    pool = pl.concat(
        [
            ranked.select("id", "unit_code", "measure"),
            held_back.sort("measure", "id", descending=[True, False]).select("id", "unit_code", "measure"),
        ]
    )
    return GroupResult(rule, group, quota, pop.height, len(eligible_ids), ranked, excluded, cut, notices, pool)


def _with_units(g: GroupResult, group: Group, split: uoy.YearUnits) -> GroupResult:
    counted = _in_group(split.counted, group)
    missing = _in_group(split.not_counted, group)
    present = set(counted["kind"].to_list())
    g.reference = split.on
    g.units_counted = counted.height
    g.counted_kinds = tuple(k for k in group.kinds if k in present) or group.kinds
    g.not_counted = tuple(uoy.YearUnits(split.year, split.on, counted, missing).changes())
    return g


def _group_notices(
    population: int, ranked: pl.DataFrame, quota: QuotaCount, cut: Cutoff, eligible: int
) -> list[Notice]:
    out = []
    if population == 0:
        return [Notice("empty_group", level="warning")]
    if eligible == 0:
        return [Notice("no_eligible", {"population": population}, "warning")]
    if quota.seats == 0:
        out.append(Notice("quota_zero", {"eligible": eligible}, "warning"))
    if cut.tied:
        code = {"tie_council": "tie_council", "tie_refused": "tie_refused", "tie_admitted": "tie_admitted"}
        status = ranked.filter(pl.col("status").str.starts_with("tie_"))["status"][0]
        out.append(
            Notice(
                code[status], {"tied": cut.tied, "seats": cut.tied_seats, "over": cut.tied - cut.tied_seats}, "warning"
            )
        )
    awarded = ranked.filter(pl.col("status").is_in(AWARDED)).height
    if ranked.height < quota.low or (ranked.height < quota.seats and not cut.tied):
        out.append(
            Notice(
                "quota_not_filled",
                {"awarded": awarded, "seats": quota.seats, "low": quota.low, "eligible": ranked.height},
                "warning",
            )
        )
    return out


def _population(rule: Rule, group: Group, units: pl.DataFrame, people: pl.DataFrame) -> pl.DataFrame:
    if rule.recipient == "collective":
        return _in_group(units, group).select(
            pl.col("unit_code").alias("id"), "unit_code", "name", pl.col("name").alias("unit_name"), "valid_to"
        )
    return _in_group(people, group).select(
        "id", "unit_code", pl.col("full_name").alias("name"), "unit_name", "valid_to", "title", "initiative"
    )


def _run_rule(
    rule: Rule, scope: Scope, inputs: Inputs, done: dict[str, RuleResult], vals: pl.DataFrame, years: pl.DataFrame
) -> RuleResult:
    w = window(rule, scope)
    split = _units_of(inputs.units, w, reference_day(rule, scope, w))
    units = split.counted
    people, unplaced = _persons(inputs, units)
    excluded_by: dict[str, str] = {}
    for other in rule.exclude_awarded_by:
        for i in sorted(done[other].awarded_ids if other in done else ()):
            excluded_by.setdefault(i, other)
    notices: list[Notice] = []
    groups = []
    for group in rule.groups:
        pop = _population(rule, group, units, people)
        if rule.recipient == "collective":
            failures = elig.collective_failures(rule, pop, inputs, w)
            if rule.eligibility.history:
                failures = pl.concat([failures, history.collective_failures(rule, pop, inputs, w.years)])
        else:
            source = rule.eligibility.unit_eligible_in
            qualified = (done[source].eligible_units if source in done else set()) if source else None
            failures = elig.individual_failures(rule, pop, inputs, w, qualified)
            if rule.eligibility.history:
                failures = pl.concat([failures, history.individual_failures(rule, pop, inputs, w.years)])
        g = _run_group(rule, group, pop, failures, excluded_by, inputs, scope, years, vals, people)
        groups.append(_with_units(g, group, split))
    if rule.recipient == "individual":
        notices.append(Notice("individual_measure_proxy", {"measure": rule.measure.kind}, "warning"))
        if unplaced:
            notices.append(Notice("person_unit_per_year", {"count": unplaced}, "warning"))
    return RuleResult(rule, groups, notices, w, split.on)


def simulate(scenario: Scenario, inputs: Inputs, scope: Scope) -> SimulationResult:
    """The award lists a scenario gives over scope, with every reason. Pure: no database, no streamlit."""
    results = inputs.results.filter(pl.col("year").is_between(scope.first, scope.last))
    comps = inputs.components.filter(pl.col("year").is_between(scope.first, scope.last))
    vals = measures.values(results, comps)
    years = measures.scored_years(results)
    done: dict[str, RuleResult] = {}
    out: list[RuleResult] = []
    for rule in scenario.rules:
        if not rule_applies(rule, scope):
            continue
        res = _run_rule(rule, scope, inputs, done, vals, years)
        done[rule.id] = res
        out.append(res)
    notices = []
    if not out:
        scopes = sorted(
            {
                "year" if r.scope == "year" or r.review is None else f"{r.review[0]}–{r.review[1]}"
                for r in scenario.rules
            }
        )
        notices.append(Notice("no_rule_for_scope", {"scope": scope.span, "scopes": ", ".join(scopes)}, "warning"))
    elif not any(g.eligible for r in out for g in r.groups):
        notices.append(Notice("nothing_eligible", {"scope": scope.span}, "warning"))
    if inputs.results.filter(pl.col("year").is_between(scope.first, scope.last)).height == 0:
        notices.append(Notice("no_results_in_scope", {"scope": scope.span}, "warning"))
    return SimulationResult(scenario, scope, out, notices, inputs.dataset_name, inputs.synthetic)
