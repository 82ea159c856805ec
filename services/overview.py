"""The Overview page's figures: the official index of the year, the province's unit kinds against the year
before, their tiers, the biggest movers and the units with open data-quality warnings."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis import official as off
from analysis import rankings as ranks
from core import fmt
from core.i18n import Translator
from services import display, rankings, units_of_year
from services.display import Card, Table
from services.published import Base, open_findings

MOVERS = 5  # risers and fallers shown each
LEVEL = "province"  # the official index the Overview leads with (a code of data/vocab.yaml's level)


def years(b: Base) -> list[int]:
    """Every year with internal scores or official figures."""
    return sorted(set(b.years()) | set(off.years(b.official)))


def default_year(b: Base) -> int | None:
    """The latest year with internal scores, else the latest with official figures."""
    shown = b.years() or years(b)
    return shown[-1] if shown else None


@dataclass(frozen=True)
class Official:
    cards: list[Card]
    home: bool  # the dataset names its province, whose own card leads
    trend: pl.DataFrame  # year, score, rank, partial, label of the years with a score, to chart
    trend_source: str | None  # the chart's source line; None when there is no trend to chart


def official(b: Base, year: int, lang: str) -> Official:
    """The provincial PAR INDEX of year: the home province's score and rank, the country's first, the national
    average and how many provinces have figures; and the score trend to chart."""
    say = Translator("overview", lang)
    table, cov = off.ranking(b.official, year, LEVEL), off.coverage(b.official, year, LEVEL)
    home = b.home_province()
    cards = []
    if home is not None:
        mine = table.filter(pl.col("unit_code") == home)
        row = mine.row(0, named=True) if mine.height else None
        unit = b.unit(home)
        cards.append(
            Card(
                say("home_score", name=unit["name"] if unit else home),
                display.score(row["score"], lang) if row else fmt.MISSING,
                note=say("home_rank", rank=fmt.integer(row["rank"], lang), of=fmt.integer(cov.expected, lang))
                if row and row["rank"]
                else say("not_published"),
            )
        )
    top = table.filter(pl.col("rank") == 1)
    if top.height:
        r = top.row(0, named=True)
        note = say("top_note", score=display.score(r["score"], lang))
        cards.append(Card(say("top_province"), r["published_name"], note=note))
    avg = b.summary.filter((pl.col("metric") == "prov_avg_pct") & (pl.col("year") == year))
    if avg.height:
        cards.append(Card(say("national_avg"), display.score(avg["value"][0], lang)))
    cards.append(
        Card(
            say("coverage"),
            say("coverage_value", units=fmt.integer(cov.units, lang), expected=fmt.integer(cov.expected, lang)),
            note=say("partial") if cov.partial else say("complete"),
        )
    )
    # The province's own trend, else the leaders' of the year
    trend = off.trend(b.official, [home] if home else _leaders(b, year))
    if trend.is_empty():
        return Official(cards, home is not None, trend, None)
    trend = trend.select("year", "score", "rank", "partial", pl.col("published_name").alias("label"))
    source = display.official_source(fmt.years(trend["year"].to_list()), lang)
    return Official(cards, home is not None, trend.drop_nulls("score"), source)


def _leaders(b: Base, year: int) -> list[str]:
    """The top three published provinces of the latest official year up to `year` (else the first one)."""
    shown_years = off.years(b.official) or [year]
    shown = max([y for y in shown_years if y <= year] or [shown_years[0]])
    return off.ranking(b.official, shown, LEVEL).filter(pl.col("rank").is_not_null())["unit_code"].head(3).to_list()


def kind_cards(b: Base, year: int, lang: str) -> list[Card]:
    """Per unit kind scored in year: the mean total, the units averaged and the change on the year before."""
    say = Translator("overview", lang)
    averages = ranks.kind_averages(units_of_year.results(b))
    cards = []
    for kind in b.kinds():
        now = averages.filter((pl.col("kind") == kind) & (pl.col("year") == year))
        before = averages.filter((pl.col("kind") == kind) & (pl.col("year") == year - 1))
        if now.is_empty():
            continue
        delta = now["mean"][0] - before["mean"][0] if before.height else None
        note = say(
            "kind_note",
            units=fmt.integer(now["units"][0], lang),
            delta=display.signed(round(delta, 2), lang) if delta is not None else fmt.MISSING,
        )
        cards.append(Card(display.kind_name(kind, lang), display.score(now["mean"][0], lang), note=note))
    return cards


def kind_lines(b: Base, statistic: str = "mean") -> pl.DataFrame:
    """kind, year, value: the mean (or median) total of each kind per year, for the trend lines."""
    return ranks.kind_averages(units_of_year.results(b)).select("kind", "year", pl.col(statistic).alias("value"))


def tier_counts(b: Base, year: int, lang: str) -> pl.DataFrame:
    """Units per tier and kind in year; `group` is the kind's name."""
    dist = ranks.tier_distribution(units_of_year.results(b).filter(pl.col("year") == year))
    names = display.kind_names(b.kinds(), lang)
    return dist.with_columns(pl.col("kind").replace_strict(names, default=pl.col("kind")).alias("group"))


def mover_kinds(b: Base, year: int) -> list[str]:
    """The kinds scored in year, whose movers can be shown."""
    return [kind for kind in b.kinds() if year in b.years(kind)]


def movers(ranked: pl.DataFrame, lang: str, n: int = MOVERS) -> pl.DataFrame:
    """The n biggest risers then fallers of a ranking: label, change (points), change_text."""
    risers, fallers = ranks.movers(ranked, n)
    both = pl.concat([risers, fallers])
    labels = [
        display.unit_label(r["name"], r["parent_name"], r["unit_code"])
        for r in both.select("name", "parent_name", "unit_code").iter_rows(named=True)
    ]
    return pl.DataFrame(
        {
            "label": pl.Series(labels, dtype=pl.String),
            "change": both["score_change"],
            "change_text": pl.Series([display.signed(v, lang) for v in both["score_change"]], dtype=pl.String),
        }
    )


def units_with_findings(b: Base, year: int) -> pl.DataFrame:
    """Units with open findings about this year (or any year): unit, name, kind, findings, first message."""
    findings = open_findings(b.db)
    rows = findings.filter(pl.col("unit_code").is_not_null() & (pl.col("year").is_null() | (pl.col("year") == year)))
    return own_findings_by_unit(b, rows)


def findings_table(flagged: pl.DataFrame, lang: str) -> Table:
    """Unit, kind, number of warnings and the first message, in the reader's language."""
    c = display.columns(lang, "unit", "kind", "findings", "message")
    message = "message_vi" if lang == "vi" else "message_en"
    frame = flagged.select(
        pl.col("name").fill_null(pl.col("unit_code")).alias(c["unit"]),
        display.each(flagged, "kind", lambda k: display.kind_name(k, lang)).alias(c["kind"]),
        display.each(flagged, "findings", lambda v: fmt.integer(v, lang)).alias(c["findings"]),
        pl.col(message).alias(c["message"]),
    )
    return Table(frame, (c["findings"],))


# ---- the one glance: what a leader reads above the fold ---------------------------------------------------

# The findings about the province's own data: everything but the national figures published by the Ministry
# (their gaps and source conflicts are the national picture's, said on its cards, not the province's).
NATIONAL_TABLES = ("official_result", "official_summary", "official_coverage")


@dataclass(frozen=True)
class Standing:
    """One unit in a glance line: its name, code (for the link), score and change on the year before."""

    code: str
    name: str
    score: str
    change: str  # "+3,50", "−1,20", or "" when the unit has no score the year before


@dataclass(frozen=True)
class KindGlance:
    """A unit kind in one glance: its mean against last year, best and worst, tiers, biggest riser and faller."""

    kind: str
    name: str
    mean: str
    delta: str  # the mean's change on the year before ("–" when none)
    units: int
    best: Standing
    worst: Standing
    tiers: list[tuple[str, int]]  # (tier name, units), best tier first, tiers with no unit left out
    riser: Standing | None
    faller: Standing | None


def _standing(row: dict[str, object], lang: str) -> Standing:
    change = row.get("score_change")
    return Standing(
        code=str(row["unit_code"]),
        name=str(row["name"] or row["unit_code"]),
        score=display.score(row["score"], lang),  # type: ignore[arg-type]
        change="" if change is None else display.signed(change, lang),  # type: ignore[arg-type]
    )


def kind_glance(b: Base, ranked: pl.DataFrame, kind: str, year: int, lang: str) -> KindGlance | None:
    """A kind's line of the glance from its ranking of year (services.rankings.ranking); None when unscored."""
    scored = ranked.filter(pl.col("score").is_not_null()).sort(["score", "unit_code"], descending=[True, False])
    if scored.is_empty():
        return None
    # The kind's mean as kind_cards and the trend lines take it (one definition of a year's units)
    averages = ranks.kind_averages(b.results).filter(pl.col("kind") == kind)
    now, before = (averages.filter(pl.col("year") == y) for y in (year, year - 1))
    mean = float(now["mean"][0]) if now.height else float(scored["score"].mean())  # type: ignore[arg-type]
    units = int(now["units"][0]) if now.height else scored.height
    delta = display.signed(round(mean - before["mean"][0], 2), lang) if before.height else fmt.MISSING
    tiers = scored["tier"].value_counts()
    counts = dict(zip(tiers["tier"].to_list(), tiers["count"].to_list(), strict=True))
    risers, fallers = ranks.movers(ranked, 1)
    return KindGlance(
        kind=kind,
        name=display.kind_name(kind, lang),
        mean=display.score(mean, lang),
        delta=delta,
        units=units,
        best=_standing(scored.row(0, named=True), lang),
        worst=_standing(scored.row(-1, named=True), lang),
        tiers=[(display.tier_name(t, lang), counts[t]) for t in display.TIERS if counts.get(t)],
        riser=_standing(risers.row(0, named=True), lang) if risers.height else None,
        faller=_standing(fallers.row(0, named=True), lang) if fallers.height else None,
    )


def own_findings(findings: pl.DataFrame, year: int) -> pl.DataFrame:
    """The open findings about the province's own data that concern year (a finding without a year concerns
    every year). The one source of the Overview's warning count: its banner and its quality section."""
    if findings.is_empty():
        return findings
    return findings.filter(
        ~pl.col("table_name").is_in(list(NATIONAL_TABLES)) & (pl.col("year").is_null() | (pl.col("year") == year))
    )


def own_findings_by_unit(b: Base, findings: pl.DataFrame) -> pl.DataFrame:
    """own_findings grouped per unit (a finding about no one unit under a null unit_code), most first:
    unit_code, findings, message_vi, message_en, severity, name, kind. Their findings add up to the count."""
    return (
        findings.group_by("unit_code")
        .agg(
            pl.len().alias("findings"),
            pl.col("message_vi").first(),
            pl.col("message_en").first(),
            pl.col("severity").first(),
        )
        .join(b.units.select("unit_code", "name", "kind"), on="unit_code", how="left")
        .sort(["findings", "unit_code"], descending=[True, False], nulls_last=True)
    )


def glance_of(b: Base, kind: str, year: int, lang: str) -> KindGlance | None:
    """kind_glance from the kind's ranking of year."""

    return kind_glance(b, rankings.ranking(b, kind, year), kind, year, lang)
