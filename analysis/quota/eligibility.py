"""Eligibility filters: which candidates a rule excludes, each with the filter, the year, the value that
failed and what was required.

Every failure is a row (id, filter, year, value, required); a candidate may fail several filters and
every one is listed. Values are kept as plain text (ISO dates, numbers with a dot, codes) and worded in
the reader's language by analysis.quota.explain. In a review, the yearly filters (registration, tier,
total, task completion, components) apply to every year the unit was scored in the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analysis.quota.inputs import Inputs
from analysis.quota.model import CASE_LEVELS, TIERS, Rule

FAILURE_SCHEMA = pl.Schema(
    {"id": pl.String, "filter": pl.String, "year": pl.Int32, "value": pl.String, "required": pl.String}
)


@dataclass(frozen=True)
class Window:
    """The dates a rule looks at: its scope (a year, an emulation period, a review) and the case window."""

    first_day: date
    last_day: date
    case_first: date
    case_last: date
    years: tuple[int, ...]


def _fail(
    frame: pl.DataFrame,
    name: str,
    value: pl.Expr | str | None,
    required: pl.Expr | str | None,
    year: pl.Expr | None = None,
) -> pl.DataFrame:
    def as_text(v: pl.Expr | str | None) -> pl.Expr:
        if v is None:
            return pl.lit(None, dtype=pl.String)
        return v.cast(pl.String) if isinstance(v, pl.Expr) else pl.lit(v, dtype=pl.String)

    return frame.select(
        pl.col("id"),
        pl.lit(name).alias("filter"),
        (year if year is not None else pl.lit(None)).cast(pl.Int32).alias("year"),
        as_text(value).alias("value"),
        as_text(required).alias("required"),
    )


def _num(x: float) -> str:
    return f"{x:g}"


def _tier_rank(col: str) -> pl.Expr:
    return pl.col(col).replace_strict({t: i for i, t in enumerate(TIERS)}, default=len(TIERS), return_dtype=pl.Int32)


def _cases(sanctions: pl.DataFrame, window: Window) -> pl.DataFrame:
    return sanctions.filter(
        (pl.col("start_date") <= window.case_last)
        & (pl.col("end_date").is_null() | (pl.col("end_date") >= window.case_first))
    )


def _case_text() -> pl.Expr:
    # kind|level|start|end: worded by explain
    return pl.concat_str(
        [
            pl.col("kind"),
            pl.col("level").fill_null(""),
            pl.col("start_date").cast(pl.String),
            pl.col("end_date").cast(pl.String).fill_null(""),
        ],
        separator="|",
    )


def unit_years(pop: pl.DataFrame, results: pl.DataFrame) -> pl.DataFrame:
    """(id, unit_code, year, total, tier) for every scored year of each candidate's unit."""
    return pop.select("id", "unit_code").join(results.select("unit_code", "year", "total", "tier"), on="unit_code")


def collective_failures(rule: Rule, pop: pl.DataFrame, inputs: Inputs, window: Window) -> pl.DataFrame:
    """pop: (id = unit_code, unit_code, valid_to) of the group's units."""
    e = rule.eligibility
    uy = unit_years(pop, inputs.results)
    out = [_fail(pop.join(uy.select("id").unique(), on="id", how="anti"), "no_result", None, None)]
    if e.exists_at_end:
        ended = pop.filter(pl.col("valid_to").is_not_null() & (pl.col("valid_to") < window.last_day))
        out.append(_fail(ended, "exists_at_end", pl.col("valid_to"), window.last_day.isoformat()))
    if e.min_years:
        k = uy.group_by("id").agg(pl.len().alias("k"))
        out.append(_fail(k.filter(pl.col("k") < e.min_years), "min_years", pl.col("k"), str(e.min_years)))
    if e.registered_by:
        month, day = e.registered_by
        reg = uy.join(
            inputs.registrations.select("unit_code", "year", "registered_on"), on=["unit_code", "year"], how="left"
        )
        deadline = pl.date(pl.col("year"), month, day)
        late = reg.filter(pl.col("registered_on").is_null() | (pl.col("registered_on") > deadline))
        out.append(_fail(late, "registered_by", pl.col("registered_on"), deadline, pl.col("year")))
    if e.tier_min:
        low = uy.filter(pl.col("tier").is_null() | (_tier_rank("tier") > TIERS.index(e.tier_min)))
        out.append(_fail(low, "tier_min", pl.col("tier"), e.tier_min, pl.col("year")))
    if e.total_min is not None:
        low = uy.filter(pl.col("total") < e.total_min)
        out.append(_fail(low, "total_min", pl.col("total"), _num(e.total_min), pl.col("year")))
    if e.completion_min is not None:
        done = uy.join(inputs.tasks.select("unit_code", "year", "completion_pct"), on=["unit_code", "year"], how="left")
        low = done.filter(pl.col("completion_pct").is_null() | (pl.col("completion_pct") < e.completion_min))
        out.append(_fail(low, "completion_min", pl.col("completion_pct"), _num(e.completion_min), pl.col("year")))
    for cm in e.component_min:
        comp = uy.join(
            inputs.components.filter(pl.col("component_code") == cm.code).select(
                "unit_code", "year", "points", "max_points"
            ),
            on=["unit_code", "year"],
            how="left",
        )
        need = pl.lit(cm.points if cm.points is not None else 0.0)
        if cm.pct is not None:
            need = pl.max_horizontal(need, pl.col("max_points") * cm.pct / 100)
        low = comp.with_columns(need.round(4).alias("_need")).filter(
            pl.col("points").is_null() | (pl.col("points") < pl.col("_need"))
        )
        out.append(_fail(low, f"component_min:{cm.code}", pl.col("points"), pl.col("_need"), pl.col("year")))
    if e.titles:
        last = inputs.registrations.filter(pl.col("year") == window.years[-1]).select("unit_code", "title")
        held = pop.join(last, on="unit_code", how="left")
        out.append(
            _fail(
                held.filter(~pl.col("title").is_in(list(e.titles)) | pl.col("title").is_null()),
                "titles",
                pl.col("title"),
                " | ".join(e.titles),
                pl.lit(window.years[-1]),
            )
        )
    cases = _cases(inputs.sanctions, window)
    if e.no_case:
        own = cases.filter((pl.col("subject_kind") == "unit") & pl.col("kind").is_in(list(e.no_case)))
        hit = pop.join(own, on="unit_code")
        out.append(_fail(hit.sort("start_date"), "no_case", _case_text(), None))
    if e.member_discipline_from:
        levels = list(CASE_LEVELS[CASE_LEVELS.index(e.member_discipline_from) :])
        member = cases.filter(
            (pl.col("subject_kind") == "person") & (pl.col("kind") == "discipline") & pl.col("level").is_in(levels)
        )
        hit = pop.join(member, on="unit_code")
        out.append(_fail(hit.sort("start_date"), "member_discipline", _case_text(), e.member_discipline_from))
    return pl.concat([f.cast(FAILURE_SCHEMA) for f in out])


def individual_failures(
    rule: Rule, pop: pl.DataFrame, inputs: Inputs, window: Window, qualified_units: set[str] | None
) -> pl.DataFrame:
    """pop: (id = person_id, unit_code, valid_to, title, initiative) of the group's people."""
    e = rule.eligibility
    uy = unit_years(pop, inputs.results)
    out = [_fail(pop.join(uy.select("id").unique(), on="id", how="anti"), "unit_no_result", pl.col("unit_code"), None)]
    if e.exists_at_end:
        ended = pop.filter(pl.col("valid_to").is_not_null() & (pl.col("valid_to") < window.last_day))
        out.append(_fail(ended, "exists_at_end", pl.col("valid_to"), window.last_day.isoformat()))
    if e.titles:
        out.append(
            _fail(
                pop.filter(~pl.col("title").is_in(list(e.titles)) | pl.col("title").is_null()),
                "titles",
                pl.col("title"),
                " | ".join(e.titles),
            )
        )
    if e.initiative:
        out.append(_fail(pop.filter(~pl.col("initiative")), "initiative", None, None))
    if e.unit_tier_min:
        low = uy.filter(pl.col("tier").is_null() | (_tier_rank("tier") > TIERS.index(e.unit_tier_min)))
        out.append(_fail(low, "unit_tier_min", pl.col("tier"), e.unit_tier_min, pl.col("year")))
    if qualified_units is not None:
        out.append(
            _fail(
                pop.filter(~pl.col("unit_code").is_in(list(qualified_units))),
                "unit_eligible_in",
                pl.col("unit_code"),
                e.unit_eligible_in,
            )
        )
    if e.no_case:
        cases = (
            _cases(inputs.sanctions, window)
            .filter((pl.col("subject_kind") == "person") & pl.col("kind").is_in(list(e.no_case)))
            .select("person_id", "kind", "level", "start_date", "end_date")
        )
        hit = pop.join(cases, left_on="id", right_on="person_id")
        out.append(_fail(hit.sort("start_date"), "no_case", _case_text(), None))
    return pl.concat([f.cast(FAILURE_SCHEMA) for f in out])
