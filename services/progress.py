"""The Progress page's figures: each kind's trend, improvement on the first year of the programme, a unit × year
heatmap, and for one unit its projection to the programme's last year, its targets and the components holding
it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analysis import lineage as lin
from analysis import progress, projection
from analysis import rankings as ranks
from analysis import units_of_year as uoy
from core import fmt, programme
from core.i18n import Translator
from services import display, units_of_year
from services.display import Table
from services.published import Base

HEATMAP_ROWS = 40
Target = tuple[float | None, int | None]  # (score, rank) a reader aims at for a year


def median_lines(b: Base) -> pl.DataFrame:
    """kind, year, value, era: the median total of each kind per year over that year's units; era changes at the
    reorganisation, where the line breaks (a median of 92 former communes and one of 59 new ones are not one
    series)."""
    medians = ranks.kind_averages(units_of_year.results(b)).select("kind", "year", pl.col("median").alias("value"))
    return medians.with_columns(pl.col("year").map_elements(uoy.era, return_dtype=pl.Int32).alias("era"))


def baseline_year() -> int:
    return programme.first_year()


def improvement(b: Base, kind: str, year: int, rule: str = lin.METHOD) -> pl.DataFrame:
    """Per unit of kind scored in year: score, baseline (own or rebuilt by rule), change, name and parent; the
    largest change first."""
    names = b.units.select("unit_code", "name", "parent_name")
    out = progress.improvement(b.scores(kind), b.lineage, year, baseline_year(), rule, b.units)
    out = out.join(names, on="unit_code", how="left")
    return out.sort([pl.col("change").is_null(), "change", "unit_code"], descending=[False, True, False])


def improvement_table(frame: pl.DataFrame, lang: str) -> Table:
    """Unit, parent, baseline (own or reconstructed, said so), latest score, change."""
    say = Translator("progress", lang)
    c = display.columns(lang, "unit", "parent", "baseline", "score", "change", "basis")

    def basis(reconstructed: bool | None, baseline: float | None) -> str:
        if reconstructed:
            return say("baseline_reconstructed")
        return say("baseline_own") if baseline is not None else say("baseline_missing")

    cells = {
        c["unit"]: display.unit_names(frame),
        c["parent"]: frame["parent_name"].fill_null(""),
        c["baseline"]: display.score_texts(frame, "baseline", lang),
        c["score"]: display.score_texts(frame, "score", lang),
        c["change"]: display.each(frame, "change", lambda v: display.signed(v, lang)),
        c["basis"]: display.each(frame, ["baseline_reconstructed", "baseline"], basis),
    }
    return Table(display.text_table(cells), (c["baseline"], c["score"], c["change"]))


@dataclass(frozen=True)
class Heatmap:
    matrix: pl.DataFrame  # unit_code, then one column per year
    names: list[str]  # the rows' unit names, in order
    of: int  # units the rows were chosen from


def heatmap(
    b: Base,
    kind: str,
    improved: pl.DataFrame,
    parent: str | None = None,
    rows: int = HEATMAP_ROWS,
    rule: str = lin.METHOD,
) -> Heatmap:
    """The best-scoring units of an improvement table (within parent, when it holds any) by year, their
    years before they began rebuilt by rule."""
    units = b.units.filter(pl.col("unit_code").is_in(improved["unit_code"].to_list()))
    if parent and units.filter(pl.col("parent_code") == parent).height:
        units = units.filter(pl.col("parent_code") == parent)
    chosen = (
        improved.filter(pl.col("unit_code").is_in(units["unit_code"].to_list()))
        .sort("score", "unit_code", descending=[True, False])["unit_code"]
        .head(rows)
        .to_list()
    )
    matrix = progress.heatmap(lin.with_history(b.scores(kind), b.lineage, chosen, rule, b.units), chosen)
    names = dict(b.units.select("unit_code", "name").iter_rows())
    return Heatmap(matrix, [names.get(u, u) for u in chosen], improved.height)


# ---- one unit -----------------------------------------------------------------------------------------------


def own(history: pl.DataFrame) -> pl.DataFrame:
    """The years the unit was scored itself."""
    return history.filter(~pl.col("reconstructed")) if history.height else history


def project(history: pl.DataFrame) -> projection.Projection:
    """The unit's trend through its own years, to the programme's last year."""
    scored = own(history)
    if scored.is_empty():
        return projection.linear([], [], programme.last_year())
    return projection.linear(scored["year"].to_list(), scored["score"].to_list(), programme.last_year())


def forecast_start(b: Base, code: str) -> date:
    """Where a unit's forecast starts: the last day of the latest year its kind was scored."""
    u = b.unit(code)
    years = b.years(u["kind"]) if u else []
    return date(years[-1] if years else programme.first_year(), 12, 31)


def unit_projection(b: Base, code: str, history: pl.DataFrame) -> projection.Projection:
    """The unit's projection, only when it exists at the forecast's start (an ended unit has none: reason
    "ended")."""
    if not uoy.exists_at_start(b.units, code, forecast_start(b, code)):
        return projection.Projection(n=own(history).height, reason="ended")
    return project(history)


def ended_note(b: Base, code: str, lang: str) -> str:
    """What an ended unit became: the day it ended and its successors in the lineage."""
    say = Translator("progress", lang)
    u = b.unit(code) or {}
    after = units_of_year.successors(b, code)
    day = fmt.day(u.get("valid_to"), lang) if u.get("valid_to") else fmt.MISSING
    if not after:
        return say("ended_no_successor", day=day)
    return say("ended_became", day=day, successors=", ".join(after))


def projection_note(proj: projection.Projection, lang: str) -> str:
    """How the projection was made and where it ends, or why there is none."""
    say = Translator("progress", lang)
    if not proj.made:
        return say("projection_none", n=proj.n)
    end = proj.at(programme.last_year()) or (proj.fitted[-1], proj.lower[-1], proj.upper[-1]) if proj.years else None
    text = say(
        "projection_method",
        n=proj.n,
        slope=display.signed(proj.slope, lang),
        se=fmt.number(proj.residual_se, lang, 2),
        fit=display.score(end[0], lang) if end else fmt.MISSING,
        lo=display.score(end[1], lang) if end else fmt.MISSING,
        hi=display.score(end[2], lang) if end else fmt.MISSING,
    )
    return text + (" " + say("projection_clipped") if proj.clipped else "")


def target_years() -> list[int]:
    """The years a reader may set a target for: after the mid-term review, up to the final one."""
    first_review_end = min(end for _, end in programme.review_periods().values())
    return list(range(first_review_end + 1, programme.last_year() + 1))


def target_points(targets: dict[int, Target]) -> pl.DataFrame:
    """year, score of the score targets, for the projection chart."""
    return pl.DataFrame(
        [{"year": y, "score": score} for y, (score, _) in sorted(targets.items()) if score is not None],
        schema={"year": pl.Int64, "score": pl.Float64},
    )


def targets_table(
    targets: dict[int, Target], history: pl.DataFrame, ranked: pl.DataFrame, proj: projection.Projection, lang: str
) -> Table:
    """Each target against the year's actual score and rank (met or not), or the projection (still open)."""
    say = Translator("progress", lang)
    actual: dict[int, Target] = {r["year"]: (r["score"], None) for r in own(history).iter_rows(named=True)}
    for r in ranked.iter_rows(named=True):
        actual[r["year"]] = (actual.get(r["year"], (None, None))[0], r["rank"])
    projected = dict(zip(proj.years, proj.fitted, strict=True)) if proj.made else {}
    checks = progress.check_targets(targets, actual, projected)
    c = display.columns(lang, "year", "target_score", "target_rank", "score", "rank", "projected", "met")
    rows = [
        {
            c["year"]: str(k.year),
            c["target_score"]: display.score(k.target_score, lang),
            c["target_rank"]: fmt.integer(k.target_rank, lang),
            c["score"]: display.score(k.score, lang),
            c["rank"]: fmt.integer(k.rank, lang),
            c["projected"]: display.score(k.projected, lang),
            c["met"]: say("met_yes") if k.met else (say("met_no") if k.met is False else say("met_open")),
        }
        for k in checks
    ]
    numeric = tuple(c[k] for k in ("target_score", "target_rank", "score", "rank", "projected"))
    return Table(display.records_table(rows, c.values()), numeric)


def latest_own_year(history: pl.DataFrame) -> int | None:
    scored = own(history)
    return scored.select(pl.col("year").max()).item() if scored.height else None


def holding_back_table(comps: pl.DataFrame, lang: str) -> Table:
    """The unit's components, those losing most points first, against the maximum and the kind's median."""
    c = display.columns(lang, "component", "points", "max", "lost", "share", "median", "vs_median")
    rows = [
        {
            c["component"]: f"{r['component_code']}. {r['component_name']}",
            c["points"]: display.score(r["points"], lang),
            c["max"]: fmt.number(r["max_points"], lang),
            c["lost"]: display.score(r["lost"], lang),
            c["share"]: fmt.percent(r["share"], lang, 1),
            c["median"]: display.score(r["median_points"], lang),
            c["vs_median"]: display.signed(r["vs_median"], lang),
        }
        for r in comps.sort(["lost", "component_code"], descending=[True, False]).iter_rows(named=True)
    ]
    return Table(display.records_table(rows, c.values()), tuple(list(c.values())[1:]))
