"""The Rankings page's figures: a year's ranking of one unit kind by its total or by one component area, with
names, tiers and the change on the previous year; the official index as published. The report's year tables
use the same ranking.
"""

from __future__ import annotations

import polars as pl

from analysis import official as off
from analysis import rankings as ranks
from core import fmt
from core.i18n import Translator
from core.notes import source_note
from services import display, units_of_year
from services.display import Table
from services.published import OFFICIAL_LEVELS, Base

TOTAL = "total"  # the measure: the total score, else a component code
ALL = "all"  # a filter that keeps every row
TOP_CHOICES = (10, 20, 30, 50, 100)
DEFAULT_TOP = 30
OFFICIAL_MAX = 100.0  # the official index is published in percent


def kinds(b: Base) -> list[str]:
    """The internal kinds scored, then the official levels with published figures."""
    present = set(b.official["level"].to_list())
    return b.kinds() + [level for level in OFFICIAL_LEVELS if level in present]


def is_official(kind: str) -> bool:
    return kind in OFFICIAL_LEVELS


def component_options(b: Base, kind: str, year: int) -> dict[str, str]:
    """{component code: name} of the kind's framework that year, in framework order."""
    rows = b.components.filter((pl.col("unit_kind") == kind) & (pl.col("year") == year)).sort("ordinal")
    return {
        r["component_code"]: r["name"]
        for r in rows.unique("component_code", keep="first", maintain_order=True).iter_rows(named=True)
    }


def measure_name(measure: str, components: dict[str, str], lang: str) -> str:
    """'Total score' or 'LV3. Tác động của CCHC đến người dân'."""
    if measure == TOTAL:
        return Translator("rankings", lang)("total")
    return f"{measure}. {components[measure]}"


def max_points(b: Base, kind: str, year: int, measure: str) -> float | None:
    """The most a unit can score on the measure (None for the total, whose scale is the tiers' own)."""
    if measure == TOTAL:
        return None
    rows = b.components.filter(
        (pl.col("unit_kind") == kind) & (pl.col("year") == year) & (pl.col("component_code") == measure)
    )
    most = rows.select(pl.col("max_points").max()).item()
    return float(most) if most else None


def ranking(b: Base, kind: str, year: int, measure: str = TOTAL) -> pl.DataFrame:
    """The kind's units ranked in year (ties share a rank) with the previous year's score and rank, what the
    change compares (change_status), names and parents from the register, and that year's tier and stage."""
    if measure == TOTAL:
        scores = b.scores(kind)
    else:
        parts = [b.query("component_results_kind_year", kind=kind, year=y) for y in (year - 1, year)]
        scores = (
            pl.concat(parts)
            .filter(pl.col("component_code") == measure)
            .select("unit_code", "year", pl.col("points").alias("score"))
        )
    # Ranked: the units of the year (units_of_year), so "of N" counts them; a unit scored that year that ended
    # before the year's end stays in the table, marked (ended_on), without a rank against its successors.
    members = units_of_year.register(b, year, kind)["unit_code"]
    this_year = pl.col("year") == year
    ranked = ranks.change_status(
        ranks.rank_year(scores.filter(~this_year | pl.col("unit_code").is_in(members.to_list())), year),
        b.units,
        b.lineage,
        year,
    )
    ended = units_of_year.ended_scored(b, year, kind).rename({"valid_to": "ended_on"})
    if ended.height:
        former = scores.filter(this_year & pl.col("unit_code").is_in(ended["unit_code"].to_list())).select(
            "unit_code", "score"
        )
        ranked = pl.concat([ranked, former], how="diagonal_relaxed")
    ranked = ranked.join(ended, on="unit_code", how="left")
    info = b.results.filter((pl.col("kind") == kind) & (pl.col("year") == year)).select(
        "unit_code", "tier", "tier_rank", "score_stage"
    )
    names = b.units.select("unit_code", "name", "parent_code", "parent_name", "valid_from", "valid_to")
    return (
        ranked.join(names, on="unit_code", how="left")
        .join(info, on="unit_code", how="left")
        .sort("rank", "unit_code", nulls_last=True)
    )


def ranked_count(ranked: pl.DataFrame) -> int:
    """The N of "rank of N": the units of the year ranked (a unit that ended during the year is shown, unranked)."""
    return ranked.filter(pl.col("rank").is_not_null()).height


def tiers_present(ranked: pl.DataFrame) -> list[str]:
    """The tiers some ranked unit holds, best first."""
    held = set(ranked["tier"].drop_nulls().to_list())
    return [tier for tier in display.TIERS if tier in held]


def parents(ranked: pl.DataFrame) -> dict[str, str]:
    """{parent code: name} of the ranked units, by name."""
    found = dict(ranked.select("parent_code", "parent_name").unique().drop_nulls().iter_rows())
    return dict(sorted(found.items(), key=lambda item: item[1]))


def mask(ranked: pl.DataFrame, tier: str = ALL, parent: str = ALL) -> pl.Series:
    """The rows a reader keeps: one tier (or ALL), one parent (or ALL). Row for row with the display table."""
    keep = pl.repeat(True, ranked.height, eager=True)
    if tier != ALL:
        keep = keep & (ranked["tier"] == tier).fill_null(False)
    if parent != ALL:
        keep = keep & (ranked["parent_code"] == parent).fill_null(False)
    return keep


def chart_rows(shown: pl.DataFrame, top: int, lang: str, *, with_parent: bool, total: bool) -> pl.DataFrame:
    """The first `top` rows for the bar chart: '3. name · parent' labels, score text, the tier (total only)."""
    rows = shown.head(top)
    labels = [
        f"{r['rank']}. " + display.unit_label(r["name"], r["parent_name"] if with_parent else None, r["unit_code"])
        for r in rows.select("rank", "name", "parent_name", "unit_code").iter_rows(named=True)
    ]
    out = rows.with_columns(
        pl.Series("label", labels, dtype=pl.String), display.score_texts(rows, "score", lang).alias("score_text")
    )
    return out if total else out.with_columns(pl.lit(None, pl.String).alias("tier"))


def _status_cells(ranked: pl.DataFrame, lang: str) -> pl.Series:
    """What the change compares; for a unit that ended during the year, the day it ended instead."""
    charts = Translator("charts", lang)
    ended = ranked["ended_on"] if "ended_on" in ranked.columns else pl.Series([None] * ranked.height, dtype=pl.Date)
    return pl.Series(
        [
            units_of_year.ended_mark(e, lang) if e is not None else charts(f"change_status.{v}") if v else fmt.MISSING
            for v, e in zip(ranked["change_status"].to_list(), ended.to_list(), strict=True)
        ],
        dtype=pl.String,
    )


def ranking_table(ranked: pl.DataFrame, lang: str, with_tier: bool = True) -> Table:
    """Rank, unit, parent, score, tier, previous rank and score, changes, what the change compares."""
    keys = [
        "rank",
        "unit",
        "parent",
        "score",
        "tier",
        "prev_rank",
        "rank_change",
        "prev_score",
        "score_change",
        "change_status",
        "stage",
    ]
    if not with_tier:
        keys = [k for k in keys if k not in ("tier", "stage")]
    c = display.columns(lang, *keys)
    charts = Translator("charts", lang)
    each = display.each
    cells = {
        "rank": each(ranked, "rank", lambda v: fmt.integer(v, lang)),
        "unit": display.unit_names(ranked),
        "parent": display.parent_names(ranked),
        "score": display.score_texts(ranked, "score", lang),
        "prev_rank": each(ranked, "prev_rank", lambda v: fmt.integer(v, lang)),
        "rank_change": each(ranked, "rank_change", lambda v: display.signed(v, lang, 0)),
        "prev_score": display.score_texts(ranked, "prev_score", lang),
        "score_change": each(ranked, "score_change", lambda v: display.signed(v, lang)),
        "change_status": _status_cells(ranked, lang),
    }
    if with_tier:
        tiers = ranked["tier"] if "tier" in ranked.columns else pl.Series([None] * ranked.height, dtype=pl.String)
        stages = ranked["score_stage"] if "score_stage" in ranked.columns else tiers.clear(ranked.height)
        both = pl.DataFrame({"tier": tiers, "score_stage": stages})
        cells["tier"] = each(both, "tier", lambda v: display.tier_name(v, lang) or fmt.MISSING)
        cells["stage"] = each(both, "score_stage", lambda v: charts(f"stage.{v or 'none'}"))
    numeric = tuple(c[k] for k in ("rank", "score", "prev_rank", "rank_change", "prev_score", "score_change"))
    return Table(display.text_table({c[k]: cells[k] for k in keys}), numeric)


# ---- the official index ----------------------------------------------------------------------------------


def official_years(b: Base, level: str) -> list[int]:
    return sorted(b.official.filter(pl.col("level") == level)["year"].unique().to_list())


def official_ranking(b: Base, year: int, level: str) -> tuple[pl.DataFrame, off.Coverage]:
    """The published ranking of the level that year, and how many of the units it scores have figures."""
    return off.ranking(b.official, year, level), off.coverage(b.official, year, level)


def official_chart_rows(table: pl.DataFrame, lang: str) -> pl.DataFrame:
    """The units with a published rank and score, labelled '1. name', for the bar chart."""
    ranked = table.filter(pl.col("score").is_not_null() & pl.col("rank").is_not_null())
    return ranked.with_columns(
        (pl.col("rank").cast(pl.String) + ". " + pl.col("published_name")).alias("label"),
        display.score_texts(ranked, "score", lang).alias("score_text"),
        pl.lit(None, pl.String).alias("tier"),
    )


def official_table(frame: pl.DataFrame, lang: str) -> Table:
    c = display.columns(lang, "rank", "unit", "score", "group", "delta", "flags", "note", "file", "row")
    charts = Translator("charts", lang)
    records = []
    for r in frame.iter_rows(named=True):
        flags = []
        if r["conflict"]:
            others = [display.score(s, lang) for s in r["other_scores"] or []] + [
                f"#{x}" for x in r["other_ranks"] or []
            ]
            flags.append(charts("flags.conflict", others=", ".join(others)))
        if r["order_conflict"]:
            flags.append(charts("flags.order"))
        records.append(
            {
                c["rank"]: fmt.integer(r["rank"], lang),
                c["unit"]: r["published_name"],
                c["score"]: display.score(r["score"], lang),
                c["group"]: r["grp"] or fmt.MISSING,
                c["delta"]: display.signed(r["delta"], lang),
                c["flags"]: "; ".join(flags),
                # The flags already say the sources disagree: the note's own "MÂU THUẪN:" would say it twice
                c["note"]: source_note(r["note"], lang, conflict_said=bool(r["conflict"])),
                c["file"]: r["file_name"] or "",
                c["row"]: fmt.integer(r["source_row"], lang),
            }
        )
    return Table(display.records_table(records, c.values()), (c["rank"], c["score"], c["delta"], c["row"]))
