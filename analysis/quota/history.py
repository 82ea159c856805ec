"""Conditions over several years: "N consecutive years with tier at least X", "rank improved in each year",
"title Y in each of the last N years", "not awarded form Z in the last N years".

Each failure is one row of the eligibility failure frame (id, filter = "history:<kind>", year, value,
required), one per year that failed — and, for a merged unit, per predecessor that failed it — so the
explanation names the condition and the years.

A unit formed by merger on a day of year M has no record of its own before M: its record for an earlier
year is its predecessors' (unit_lineage), and the year meets a condition only when EVERY predecessor met
it. No text found fixes this (README, "Conditions over several years", says where we looked); "all" is the reading that
never credits a merged unit with a record one of its parts did not have. The explanation says so in one
line. Only one step back is followed (a predecessor's own predecessors are not searched).

value encodes what failed as text, worded by analysis.quota.explain:
  tier_streak      "<tier or empty>|<predecessor name or empty>"
  rank_improved    "<rank>/<n>|<previous rank>/<previous n>|<predecessor name or empty>" (empty rank: no result)
  title_each_year  "<a title held that year or empty>|<predecessor name or empty>"
  not_awarded      "<award kind given>|<predecessor name or empty>"
"""

from __future__ import annotations

import polars as pl

from analysis.quota.eligibility import FAILURE_SCHEMA
from analysis.quota.inputs import Inputs
from analysis.quota.model import TIERS, HistoryCondition, Rule


def years_of(cond: HistoryCondition, scope_years: tuple[int, ...]) -> list[int]:
    """The years a condition looks at: the last `years` ending with the scope's last year, or the scope's."""
    last = scope_years[-1]
    if cond.years is None:
        return list(scope_years)
    return list(range(last - cond.years + 1, last + 1))


def ranked_record(record: pl.DataFrame) -> pl.DataFrame:
    """The record with each unit's rank among the units of its kind that year (1 = best) and how many there were."""
    return record.with_columns(
        pl.col("total").rank("min", descending=True).over("kind", "year").cast(pl.Int32).alias("rank"),
        pl.len().over("kind", "year").cast(pl.Int32).alias("n"),
    )


def sources(ids: list[str], years: list[int], inputs: Inputs) -> pl.DataFrame:
    """(id, year, source, source_name, via, tier, total, rank, n): whose record counts for each unit and year.

    Its own when it has a result that year; else, when it was formed after that year, each predecessor's
    (via = true; tier/rank null when the predecessor has no result); else one row with no record."""
    rec = ranked_record(inputs.record)
    cells = pl.DataFrame({"id": ids}, schema={"id": pl.String}).join(
        pl.DataFrame({"year": years}, schema={"year": pl.Int32}), how="cross"
    )
    cols = ["tier", "total", "rank", "n"]
    own = cells.join(
        rec.select(pl.col("unit_code").alias("id"), "year", pl.col("name").alias("source_name"), *cols),
        on=["id", "year"],
        how="inner",
    ).with_columns(pl.col("id").alias("source"), pl.lit(False).alias("via"))
    rest = cells.join(own.select("id", "year"), on=["id", "year"], how="anti")
    links = inputs.lineage.filter(pl.col("predecessor_code") != pl.col("unit_code")).select(
        pl.col("unit_code").alias("id"), "predecessor_code", "predecessor_name", "effective_date"
    )
    preds = rest.join(links, on="id", how="inner").filter(pl.col("effective_date") > pl.date(pl.col("year"), 12, 31))
    via = preds.join(
        rec.select(pl.col("unit_code").alias("predecessor_code"), "year", *cols),
        on=["predecessor_code", "year"],
        how="left",
    ).select(
        "id",
        "year",
        pl.col("predecessor_code").alias("source"),
        pl.coalesce("predecessor_name", "predecessor_code").alias("source_name"),
        pl.lit(True).alias("via"),
        *cols,
    )
    none = rest.join(preds.select("id", "year").unique(), on=["id", "year"], how="anti").select(
        "id",
        "year",
        pl.lit(None, dtype=pl.String).alias("source"),
        pl.lit(None, dtype=pl.String).alias("source_name"),
        pl.lit(False).alias("via"),
        *[pl.lit(None).alias(c) for c in cols],
    )
    order = ["id", "year", "source", "source_name", "via", *cols]
    schema = {"tier": pl.String, "total": pl.Float64, "rank": pl.Int32, "n": pl.Int32}
    frames = [f.select(order).with_columns(pl.col(c).cast(t) for c, t in schema.items()) for f in (own, via, none)]
    return pl.concat(frames).sort("id", "year", "source", nulls_last=True)


def _row(frame: pl.DataFrame, cond: HistoryCondition, value: pl.Expr, required: str) -> pl.DataFrame:
    return frame.select(
        "id",
        pl.lit(f"history:{cond.kind}").alias("filter"),
        pl.col("year").cast(pl.Int32),
        value.cast(pl.String).alias("value"),
        pl.lit(required, dtype=pl.String).alias("required"),
    )


def _from(col: str) -> pl.Expr:
    """The predecessor's name when the year's record is a predecessor's, else empty."""
    return pl.when(pl.col("via")).then(pl.col(col)).otherwise(pl.lit(""))


def _tier_streak(cond: HistoryCondition, src: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    limit = TIERS.index(cond.tier_min or TIERS[-1])
    rank = pl.col("tier").replace_strict({t: i for i, t in enumerate(TIERS)}, default=len(TIERS), return_dtype=pl.Int32)
    bad = src.filter(pl.col("tier").is_null() | (rank > limit))
    value = pl.concat_str([pl.col("tier").fill_null(""), _from("source_name")], separator="|")
    return _row(bad, cond, value, f"{cond.tier_min}|{len(years)}")


def _rank_improved(cond: HistoryCondition, src: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """Year y improved when the unit's place in its field, (rank - 1) / (n - 1) (0 = first, 1 = last), is
    lower than in y - 1: the field changes size across a merger, hence the place rather than the rank.
    Before the merger each predecessor is compared with itself; in the merger year the new unit is compared
    with each predecessor. years[0] is the year before the first year judged."""
    share = pl.when(pl.col("n") > 1).then((pl.col("rank") - 1) / (pl.col("n") - 1)).otherwise(0.0).alias("share")
    now = src.filter(pl.col("year") != years[0]).with_columns(share)
    prev = src.with_columns(share, (pl.col("year") + 1).cast(pl.Int32).alias("next"))
    pairs = now.join(
        prev.select(
            "id",
            pl.col("next").alias("year"),
            pl.col("source").alias("p_source"),
            pl.col("source_name").alias("p_name"),
            pl.col("via").alias("p_via"),
            pl.col("rank").alias("p_rank"),
            pl.col("n").alias("p_n"),
            pl.col("share").alias("p_share"),
        ),
        on=["id", "year"],
        how="inner",
    ).filter(
        (pl.col("source") == pl.col("p_source"))
        | (~pl.col("via") & pl.col("p_via"))
        | pl.col("source").is_null()
        | pl.col("p_source").is_null()
    )
    bad = pairs.filter(pl.col("share").is_null() | pl.col("p_share").is_null() | (pl.col("share") >= pl.col("p_share")))
    # A year with no result at all is said once, not once per predecessor of the year before.
    bad = pl.concat(
        [bad.filter(pl.col("source").is_not_null()), bad.filter(pl.col("source").is_null()).unique(["id", "year"])]
    ).sort("id", "year", "p_source", nulls_last=True)

    def ratio(r: str, n: str) -> pl.Expr:
        return pl.when(pl.col(r).is_null()).then(pl.lit("")).otherwise(pl.format("{}/{}", pl.col(r), pl.col(n)))

    name = pl.when(pl.col("via")).then(pl.col("source_name")).when(pl.col("p_via")).then(pl.col("p_name"))
    value = pl.concat_str(
        [ratio("rank", "n"), ratio("p_rank", "p_n"), name.otherwise(pl.lit("")).fill_null("")], separator="|"
    )
    return _row(bad, cond, value, str(len(years) - 1))


def _held(src: pl.DataFrame, rows: pl.DataFrame, match: pl.Expr) -> pl.DataFrame:
    """src's rows (id, year, source…) with ok: whether the source has a row of `rows` (source, year, value)
    matching, and value: the first value it has that year (for the explanation)."""
    ok = rows.filter(match).select("source", "year").unique().with_columns(pl.lit(True).alias("ok"))
    first = rows.group_by("source", "year").agg(pl.col("value").sort().first())
    return (
        src.join(ok, on=["source", "year"], how="left")
        .join(first, on=["source", "year"], how="left")
        .with_columns(pl.col("ok").fill_null(False))
    )


def _title_each_year(cond: HistoryCondition, src: pl.DataFrame, titles: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """titles: (source, year, value = title held). Every source of a year must hold one of cond.titles."""
    flagged = _held(src, titles, pl.col("value").is_in(list(cond.titles)))
    bad = flagged.filter(~pl.col("ok"))
    value = pl.concat_str([pl.col("value").fill_null(""), _from("source_name")], separator="|")
    return _row(bad, cond, value, f"{' | '.join(cond.titles)}|{len(years)}")


def _not_awarded(cond: HistoryCondition, src: pl.DataFrame, given: pl.DataFrame, years: list[int]) -> pl.DataFrame:
    """given: (source, year, value = award kind). A source given one of cond.forms fails its year."""
    forms = list(cond.forms)
    flagged = _held(src, given.filter(pl.col("value").is_in(forms)), pl.col("value").is_in(forms))
    bad = flagged.filter(pl.col("ok"))
    value = pl.concat_str([pl.col("value"), _from("source_name")], separator="|")
    return _row(bad, cond, value, f"{' | '.join(forms)}|{len(years)}")


def collective_failures(rule: Rule, pop: pl.DataFrame, inputs: Inputs, scope_years: tuple[int, ...]) -> pl.DataFrame:
    """pop: (id = unit_code, …). The units failing a rule's conditions over several years, per year."""
    ids = pop["id"].to_list()
    given = inputs.given.filter(pl.col("recipient_kind") == "collective")
    out = [pl.DataFrame(schema=FAILURE_SCHEMA)]
    for cond in rule.eligibility.history:
        years = years_of(cond, scope_years)
        if cond.kind == "tier_streak":
            out.append(_tier_streak(cond, sources(ids, years, inputs), years))
        elif cond.kind == "rank_improved":
            out.append(_rank_improved(cond, sources(ids, [years[0] - 1, *years], inputs), [years[0] - 1, *years]))
        elif cond.kind == "title_each_year":
            titles = given.filter(pl.col("award_kind") == "title").select(
                pl.col("unit_code").alias("source"), "year", pl.col("title").alias("value")
            )
            out.append(_title_each_year(cond, sources(ids, years, inputs), titles, years))
        else:
            kinds = given.select(pl.col("unit_code").alias("source"), "year", pl.col("award_kind").alias("value"))
            out.append(_not_awarded(cond, sources(ids, years, inputs), kinds, years))
    return pl.concat([f.cast(FAILURE_SCHEMA) for f in out])


def individual_failures(rule: Rule, pop: pl.DataFrame, inputs: Inputs, scope_years: tuple[int, ...]) -> pl.DataFrame:
    """pop: (id = person_id, …). A person's titles (person_year) and individual awards over several years."""
    ids = pop["id"].to_list()
    out = [pl.DataFrame(schema=FAILURE_SCHEMA)]
    for cond in rule.eligibility.history:
        years = years_of(cond, scope_years)
        cells = (
            pl.DataFrame({"id": ids}, schema={"id": pl.String})
            .join(pl.DataFrame({"year": years}, schema={"year": pl.Int32}), how="cross")
            .with_columns(pl.col("id").alias("source"), pl.lit(False).alias("via"), pl.lit("").alias("source_name"))
        )
        if cond.kind == "title_each_year":
            titles = inputs.person_titles.select(
                pl.col("person_id").alias("source"), "year", pl.col("title").alias("value")
            )
            out.append(_title_each_year(cond, cells, titles, years))
        elif cond.kind == "not_awarded":
            given = inputs.given.filter(pl.col("recipient_kind") == "individual").select(
                pl.col("person_id").alias("source"), "year", pl.col("award_kind").alias("value")
            )
            out.append(_not_awarded(cond, cells, given, years))
    return pl.concat([f.cast(FAILURE_SCHEMA) for f in out])
