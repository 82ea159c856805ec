"""The Unit profile page's figures: one unit's history (its reconstructed years flagged), ranks among its kind,
components and criteria against the median, records and lineage, each traced to the file it came from."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from analysis import lineage as lin
from analysis import progress
from analysis import rankings as ranks
from analysis import units_of_year as uoy
from core import fmt
from core.i18n import Translator
from core.text import markdown_literal
from services import display
from services.display import Card, Table
from services.published import Base


def unit_history(b: Base, code: str, rule: str = lin.METHOD) -> pl.DataFrame:
    """The unit's own years and, before it began, its ones rebuilt by rule (flagged), with tiers."""
    u = b.unit(code)
    if u is None:
        return pl.DataFrame()
    history = lin.with_history(b.scores(u["kind"]), b.lineage, [code], rule, b.units)
    tiers = b.results.filter(pl.col("unit_code") == code).select("year", "tier", "tier_rank", "score_stage")
    own = history.filter(~pl.col("reconstructed")).join(tiers, on="year", how="left")
    rebuilt = lin.tier_of(history.filter(pl.col("reconstructed")), b.bands, u["kind"]).with_columns(
        pl.lit(None, pl.String).alias("score_stage")
    )
    return pl.concat([own, rebuilt], how="diagonal_relaxed").sort("year")


def own_years(history: pl.DataFrame) -> list[int]:
    """The years the unit was scored itself (not reconstructed)."""
    return history.filter(~pl.col("reconstructed"))["year"].to_list() if history.height else []


def kind_ranks(b: Base, code: str) -> pl.DataFrame:
    """The unit's rank among its kind in each year it was scored (year, rank, ranked)."""
    u = b.unit(code)
    if u is None:
        return pl.DataFrame()
    # Among the units of each year (services.units_of_year): a unit that ended during a year has no rank then.
    members = uoy.of_years(b.units, b.years(u["kind"]), u["kind"])
    scores = b.scores(u["kind"]).drop_nulls("score").join(members, on=["unit_code", "year"], how="semi")
    ranked = ranks.rank_scores(scores, over=["year"])
    counts = ranked.group_by("year").agg(pl.len().alias("ranked"))
    return (
        ranked.filter(pl.col("unit_code") == code).join(counts, on="year").select("year", "rank", "ranked").sort("year")
    )


def component_profile(b: Base, code: str, year: int) -> pl.DataFrame:
    """The unit's components that year against the maximum and the median of its kind."""
    u = b.unit(code)
    comps = b.query("component_results_unit", unit=code).filter(pl.col("year") == year)
    if u is None or comps.is_empty():
        return comps
    medians = b.query("component_medians", kind=u["kind"]).filter(pl.col("year") == year)
    medians = medians.filter(pl.col("framework_id").is_in(comps["framework_id"].unique().to_list()))
    return progress.holding_back(comps, medians.select("component_code", "median_points")).sort("ordinal")


def criterion_profile(b: Base, code: str, year: int) -> pl.DataFrame:
    """The unit's criteria that year with the median of its framework and the file, sheet and row read."""
    rows = b.query("unit_criterion_scores", unit=code, year=year)
    if rows.is_empty():
        return rows
    medians = pl.concat([b.query("criterion_medians", framework=f) for f in rows["framework_id"].unique().to_list()])
    return rows.join(medians.select("item_code", "median_points"), on="item_code", how="left")


def records(b: Base, code: str) -> pl.DataFrame:
    """Registrations, task completion and awards of the unit."""
    return b.query("unit_records", unit=code)


def kind_medians(b: Base, kind: str) -> pl.DataFrame:
    """year, value: the median total of the kind each year, the line a unit's history is read against."""
    return (
        b.results.filter(pl.col("kind") == kind)
        .group_by("year")
        .agg(pl.col("total").median().round(2).alias("value"))
        .sort("year")
    )


# ---- words ------------------------------------------------------------------------------------------------


def facts(unit: dict[str, Any], lang: str) -> str:
    """Kind · legal form · parent · validity, the line under the unit's name (never its code: a leader
    reads names; the code stays in the URL and the downloads' provenance)."""
    say = Translator("profile", lang)
    validity = say(
        "valid",
        start=fmt.day(unit["valid_from"], lang) if unit["valid_from"] else "…",
        end=fmt.day(unit["valid_to"], lang) if unit["valid_to"] else "…",
    )
    parts = [
        display.kind_name(unit["kind"], lang),
        unit["subkind"] or "",
        unit["parent_name"] or "",
        validity if unit["valid_from"] or unit["valid_to"] else "",
    ]
    return " · ".join(x for x in parts if x)


def lineage(b: Base, code: str, lang: str) -> list[str]:
    """What the unit was formed from and what it went into, one Markdown sentence each (names escaped; empty:
    no reorganisation)."""
    say = Translator("profile", lang)
    before = b.lineage.filter(pl.col("unit_code") == code)
    after = b.lineage.filter(pl.col("predecessor_code") == code)
    lines = [
        say(
            f"from.{r['relation']}",
            name=markdown_literal(r["predecessor_name"] or r["predecessor_code"]),
            day=fmt.day(r["effective_date"], lang),
        )
        for r in before.iter_rows(named=True)
    ]
    lines += [
        say(
            f"into.{r['relation']}",
            name=markdown_literal(r["unit_name"] or r["unit_code"]),
            day=fmt.day(r["effective_date"], lang),
        )
        for r in after.iter_rows(named=True)
    ]
    return lines


def cards(history: pl.DataFrame, ranked: pl.DataFrame, unit: dict[str, Any], year: int, lang: str) -> list[Card]:
    """The year's total and stage, rank among the kind, tier, and the change on the year before (reconstructed
    if the unit did not exist then)."""
    say = Translator("profile", lang)
    kind = display.kind_name(unit["kind"], lang)
    this = history.filter((pl.col("year") == year) & ~pl.col("reconstructed")).row(0, named=True)
    rank_row = ranked.filter(pl.col("year") == year)
    prev = history.filter(pl.col("year") == year - 1)
    return [
        Card(
            say("total", year=year),
            display.score(this["score"], lang),
            note=Translator("charts", lang)(f"stage.{this['score_stage'] or 'none'}"),
        ),
        Card(
            say("rank"),
            fmt.integer(rank_row["rank"][0], lang) if rank_row.height else fmt.MISSING,
            note=say("rank_of", of=fmt.integer(rank_row["ranked"][0], lang), kind=kind) if rank_row.height else "",
        ),
        Card(say("tier"), display.tier_names(lang).get(this["tier"] or "", fmt.MISSING)),
        Card(
            say("change", previous=year - 1),
            display.signed(round(this["score"] - prev["score"][0], 2), lang) if prev.height else fmt.MISSING,
            note=say("reconstructed_prev") if prev.height and prev["reconstructed"][0] else "",
        ),
    ]


def total_explained(b: Base, code: str, year: int, lang: str) -> str | None:
    """How the year's total was reached when it is not the plain sum of the criteria: points over the maximum
    that applies to the unit (criteria marked "KAD" left out), rescaled, then bonus and penalty points."""
    say = Translator("profile", lang)
    rows = b.results.filter((pl.col("unit_code") == code) & (pl.col("year") == year)).to_dicts()
    if not rows or rows[0]["raw_points"] is None:
        return None
    r = rows[0]
    rescaled = r["raw_max"] is not None and abs(r["raw_max"] - r["total_scale"]) > 1e-9
    if not rescaled and r["bonus_points"] is None and r["penalty_points"] is None:
        return None
    parts = [
        say(
            "explained_rescaled" if rescaled else "explained_points",
            points=display.score(r["raw_points"], lang),
            max=fmt.number(r["raw_max"], lang),
            scale=fmt.number(r["total_scale"], lang),
        )
    ]
    if r["bonus_points"] is not None:
        parts.append(say("explained_bonus", points=display.score(r["bonus_points"], lang)))
    if r["penalty_points"] is not None:
        parts.append(say("explained_penalty", points=display.score(r["penalty_points"], lang)))
    return say("explained", steps="; ".join(parts), total=display.score(r["total"], lang))


def components_chart_rows(comps: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The components with their points as text and 'code. name' labels, for the bar chart."""
    return comps.with_columns(
        display.score_texts(comps, "points", lang).alias("points_text"),
        (pl.col("component_code") + ". " + pl.col("component_name")).alias("component_name"),
    )


def criteria_table(criteria: pl.DataFrame, lang: str) -> Table:
    c = display.columns(
        lang, "item", "name", "max", "points", "median", "self", "appraised", "survey", "file", "sheet", "row"
    )
    s = display.score
    say = Translator("profile", lang)
    records_ = [
        {
            c["item"]: r["item_code"],
            # A criterion marked "KAD" scores nothing and leaves the maximum: said beside its name.
            c["name"]: say("not_applicable", name=r["name"]) if r["not_applicable"] else r["name"],
            c["max"]: fmt.number(r["max_points"], lang),
            c["points"]: s(r["points"], lang),
            c["median"]: s(r["median_points"], lang),
            c["self"]: s(r["self_score"], lang),
            c["appraised"]: s(r["appraised_score"], lang),
            c["survey"]: s(r["survey_score"], lang),
            c["file"]: r["file_name"] or "",
            c["sheet"]: r["sheet"] or "",
            c["row"]: fmt.integer(r["source_row"], lang),
        }
        for r in criteria.iter_rows(named=True)
    ]
    numeric = tuple(c[k] for k in ("max", "points", "median", "self", "appraised", "survey", "row"))
    return Table(display.records_table(records_, c.values()), numeric)


def history_table(history: pl.DataFrame, ranked: pl.DataFrame, lang: str) -> Table:
    """Year, score, tier, rank among the kind, and whether the year is the unit's own or reconstructed."""
    say = Translator("profile", lang)
    stage = Translator("charts.stage", lang)
    c = display.columns(lang, "year", "score", "tier", "rank", "basis")
    tiers = display.tier_names(lang)
    rank_of = {r["year"]: r for r in ranked.iter_rows(named=True)}
    rows = []
    for r in history.iter_rows(named=True):
        rk = rank_of.get(r["year"])
        rows.append(
            {
                c["year"]: str(r["year"]),
                c["score"]: display.score(r["score"], lang),
                c["tier"]: tiers.get(r["tier"] or "", fmt.MISSING),
                c["rank"]: say("rank_of_short", rank=fmt.integer(rk["rank"], lang), of=fmt.integer(rk["ranked"], lang))
                if rk and not r["reconstructed"]
                else "",
                c["basis"]: say("reconstructed_basis", found=r["predecessors_found"], of=r["predecessors"])
                if r["reconstructed"]
                else stage(r["score_stage"] or "none"),
            }
        )
    return Table(display.records_table(rows, c.values()), (c["score"],))


def _record_value(row: dict[str, Any], lang: str) -> str:
    """A registration's date as the language writes it (the query gives it as YYYY-MM-DD)."""
    value = row["value"] or ""
    if row["record"] == "registration" and value:
        return fmt.day(date.fromisoformat(value), lang)
    return str(value)


def records_table(frame: pl.DataFrame, lang: str) -> Table:
    say = Translator("profile.record", lang)
    c = display.columns(lang, "record", "scope", "detail", "value", "file", "row")
    rows = [
        {
            c["record"]: say(r["record"]),
            c["scope"]: r["scope"],
            c["detail"]: r["detail"] or "",
            c["value"]: fmt.percent(r["pct"], lang) if r["pct"] is not None else _record_value(r, lang),
            c["file"]: r["file_name"] or "",
            c["row"]: fmt.integer(r["source_row"], lang),
        }
        for r in frame.iter_rows(named=True)
    ]
    return Table(display.records_table(rows, c.values()), (c["row"],))
