"""The national indices for a province: the figures a "Chỉ số quốc gia" page, the CLI and the report share.

Every function takes the published `Base` (services/published.py) and returns polars frames with codes; labels
come from the registry (core.indices) and the catalogs in the reader's language. Signatures:

- indices_available(b) -> list[str]                               index codes with any figure, registry order
- years_of(b, index_code, level="province") -> list[int]
- standing(b, index_code, unit_code, level="province") -> DataFrame
      year, score, rank, units, after_break (the 2025 break: 63 → 34 provinces)
- standing_with_average(b, index_code, unit_code) -> DataFrame
      standing's columns, national_avg, avg_basis (published | computed | null: not known)
- component_ranks(b, index_code, year, unit_code, level="province") -> DataFrame
      component_code, component_name, score, rank, rank_basis (computed | published), units
- movers(b, index_code, unit_code, year, level="province") -> DataFrame
      component_code, component_name, score, previous, change (largest move first)
- comparison(b, index_code, year, unit_code, peers=(), level="province") -> DataFrame
      component_code, component_name, score, rank, national_avg, national_units, region_avg, region_units,
      peers_avg, peer_units, region
- all_provinces(b, index_code, year, level="province") -> DataFrame
      unit_code, unit_name, score, rank, then one column per component code (registry order)
- internal_against_national(b, year, unit_code) -> DataFrame
      year, kind, component_code, component_name, appraised_pct, self_pct, units, national_code, national_score,
      national_rank, national_units, gap
- self_against_appraised(b, year) -> DataFrame
      unit_code, unit_name, kind, component_code, component_name, self_points, appraised_points, max_points,
      gap, gap_pct (largest gap first)
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from analysis import national as nat
from analysis import official as off
from core import fmt, indices
from core.i18n import Translator
from core.programme import reorganisation_year
from services import display
from services.published import Base


def _components(b: Base) -> pl.DataFrame:
    return b.query("official_components_all")


def indices_available(b: Base) -> list[str]:
    present = set(b.official["index_code"].unique().to_list()) | set(_components(b)["index_code"].unique().to_list())
    return [code for code in indices.indices() if code in present]


def years_of(b: Base, index_code: str, level: str = "province") -> list[int]:
    comps = _components(b).filter((pl.col("index_code") == index_code) & (pl.col("level") == level))
    heads = b.official.filter((pl.col("index_code") == index_code) & (pl.col("level") == level))
    return sorted(set(comps["year"].to_list()) | set(heads["year"].to_list()))


def _expected(index_code: str, level: str, year: int) -> int | None:
    registered = indices.indices().get(index_code)
    return registered.expected_units(level, year) if registered else None


def _names(index_code: str, level: str, year: int, lang: str = "vi") -> dict[str, str]:
    registered = indices.indices().get(index_code)
    return {c.code: c.name[lang] for c in registered.components(level, year)} if registered else {}


def _year_frame(b: Base, index_code: str, year: int, level: str) -> pl.DataFrame:
    frame = nat.year_components(_components(b), index_code, year, level, _expected(index_code, level, year))
    names = _names(index_code, level, year)
    return frame.with_columns(
        pl.col("component_code").replace_strict(names, default=pl.col("component_name")).alias("component_name")
    )


def standing(b: Base, index_code: str, unit_code: str, level: str = "province") -> pl.DataFrame:
    years = years_of(b, index_code, level)
    rankings = [(y, off.ranking(b.official, y, level, index_code)) for y in years]
    return nat.series(rankings, unit_code, reorganisation_year())


# The published national average of a headline index, as official_summary names it (data/reference).
_AVERAGE_METRIC = {"par_index": "prov_avg_pct", "sipas": "sipas_avg_pct"}


def national_averages(b: Base, index_code: str, level: str = "province") -> pl.DataFrame:
    """year, national_avg, avg_basis: the published average where a source gives one, else the mean of every
    province's score when all the provinces the index scores that year have one (a partial year has none:
    the mean of the few provinces that publish would mislead)."""
    metric = _AVERAGE_METRIC.get(index_code) if level == "province" else None
    published = (
        b.summary.filter((pl.col("metric") == metric) & pl.col("value").is_not_null())
        .group_by("year")
        .agg(pl.col("value").first())
        if metric
        else pl.DataFrame(schema={"year": pl.Int64, "value": pl.Float64})
    )
    known = dict(zip(published["year"].to_list(), published["value"].to_list(), strict=True))
    rows = []
    for year in years_of(b, index_code, level):
        scores = off.ranking(b.official, year, level, index_code)["score"].drop_nulls()
        expected = _expected(index_code, level, year)
        if year in known:
            rows.append((year, float(known[year]), "published"))
        elif expected and scores.len() >= expected:
            rows.append((year, round(sum(scores.to_list()) / scores.len(), 2), "computed"))
    return pl.DataFrame(rows, schema={"year": pl.Int64, "national_avg": pl.Float64, "avg_basis": pl.Utf8}, orient="row")


def standing_with_average(b: Base, index_code: str, unit_code: str, level: str = "province") -> pl.DataFrame:
    """The unit's score and rank per year beside the national average of that year (where known)."""
    own = standing(b, index_code, unit_code, level)
    # A rank of a partial year is out of every unit the index ranked that year, not the few loaded.
    expected = {y: _expected(index_code, level, y) or 0 for y in own["year"].to_list()}
    own = own.with_columns(
        pl.max_horizontal(
            pl.col("units"), pl.col("year").replace_strict(expected, default=0, return_dtype=pl.Int64)
        ).alias("units")
    )
    return own.join(national_averages(b, index_code, level), on="year", how="left")


def component_ranks(b: Base, index_code: str, year: int, unit_code: str, level: str = "province") -> pl.DataFrame:
    order = {c: i for i, c in enumerate(_names(index_code, level, year))}
    ranks = nat.unit_components(_year_frame(b, index_code, year, level), unit_code).sort(
        pl.col("component_code").replace_strict(order, default=len(order))
    )
    # A published rank of a partial year is out of every unit the index ranked, not the few loaded ("15/63",
    # not "15/21").
    expected = _expected(index_code, level, year)
    if expected:
        ranks = ranks.with_columns(pl.max_horizontal(pl.col("units"), pl.lit(expected)).alias("units"))
    return ranks


def movers(b: Base, index_code: str, unit_code: str, year: int, level: str = "province") -> pl.DataFrame:
    names = _names(index_code, level, year)
    return nat.movers(_components(b), index_code, unit_code, year, level).with_columns(
        pl.col("component_code").replace_strict(names, default=pl.col("component_name")).alias("component_name")
    )


def comparison(
    b: Base, index_code: str, year: int, unit_code: str, peers: Iterable[str] = (), level: str = "province"
) -> pl.DataFrame:
    return nat.comparison(_year_frame(b, index_code, year, level), unit_code, indices.region_of, peers)


def all_provinces(b: Base, index_code: str, year: int, level: str = "province") -> pl.DataFrame:
    headline = off.ranking(b.official, year, level, index_code)
    order = list(_names(index_code, level, year))
    table = nat.all_units_table(_year_frame(b, index_code, year, level), headline, order)
    names = b.units.select("unit_code", pl.col("name").alias("unit_name"))
    return table.join(names, on="unit_code", how="left").select("unit_code", "unit_name", *table.columns[1:])


def internal_against_national(b: Base, year: int, unit_code: str) -> pl.DataFrame:
    internal = b.query("internal_component_averages").filter(pl.col("year") == year)
    national = component_ranks(b, "par_index", year, unit_code)
    # A published rank of a partial year counts against every province the index ranked that year, not the
    # few whose figures are loaded.
    expected = _expected("par_index", "province", year)
    if expected:
        national = national.with_columns(pl.max_horizontal(pl.col("units"), pl.lit(expected)).alias("units"))
    high, low = indices.gap_rule()
    return nat.internal_against_national(
        internal, national, lambda code, name: indices.national_area(code, name, year), high, low
    )


def self_against_appraised(b: Base, year: int) -> pl.DataFrame:
    return nat.self_against_appraised(b.query("self_vs_appraised", year=year))


# ---- tables in the reader's language ---------------------------------------------------------------------


def index_name(index_code: str, lang: str) -> str:
    return display.codes(lang).code("indexes", index_code)


def default_year(b: Base, index_code: str, level: str = "province") -> int | None:
    """The latest year with results by component, else the latest year with any figure."""
    comps = _components(b).filter((pl.col("index_code") == index_code) & (pl.col("level") == level))
    years = comps["year"].to_list() or years_of(b, index_code, level)
    return max(years) if years else None


def province_options(b: Base, index_code: str, year: int, level: str = "province") -> list[str]:
    """The units with a figure for the index and year, the home province first."""
    heads = b.official.filter(
        (pl.col("index_code") == index_code) & (pl.col("level") == level) & (pl.col("year") == year)
    )["unit_code"]
    comps = _components(b).filter(
        (pl.col("index_code") == index_code) & (pl.col("level") == level) & (pl.col("year") == year)
    )["unit_code"]
    codes = sorted(set(heads.to_list()) | set(comps.to_list()))
    home = b.home_province()
    first = [home] if home is not None and home in codes else []
    return first + [c for c in codes if c != home]


def component_table(
    b: Base, index_code: str, year: int, unit_code: str, lang: str, peers: Iterable[str] = ()
) -> display.Table:
    say = Translator("indices", lang)
    cmp = comparison(b, index_code, year, unit_code, peers)
    ranks = component_ranks(b, index_code, year, unit_code).select("component_code", "rank_basis", "units")
    rows = cmp.join(ranks, on="component_code", how="left")
    region = indices.region_of(unit_code)
    region_label = say("region_avg", region=indices.region_name(region, lang) if region else "—")
    cols = [say("component"), say("score"), say("rank"), say("basis"), say("national_avg"), region_label]
    out = [
        [
            r["component_name"],
            fmt.number(r["score"], lang, 2),
            say("rank_of", rank=r["rank"], units=r["units"]) if r["rank"] is not None else say("no_rank"),
            say(f"basis_{r['rank_basis']}"),
            fmt.number(r["national_avg"], lang, 2),
            fmt.number(r["region_avg"], lang, 2),
        ]
        for r in rows.iter_rows(named=True)
    ]
    numeric = [say("score"), say("national_avg"), region_label]
    if any(True for _ in peers):
        cols.append(say("peers_avg"))
        numeric.append(say("peers_avg"))
        for line, r in zip(out, rows.iter_rows(named=True), strict=True):
            line.append(fmt.number(r["peers_avg"], lang, 2))
    frame = pl.DataFrame(out, schema=cols, orient="row") if out else pl.DataFrame(schema=cols)
    return display.Table(frame, tuple(numeric))


def movers_table(b: Base, index_code: str, unit_code: str, year: int, lang: str) -> display.Table:
    say = Translator("indices", lang)
    moved = movers(b, index_code, unit_code, year)
    cols = [say("component"), say("previous"), say("score"), say("change")]
    rows = [
        [
            r["component_name"],
            fmt.number(r["previous"], lang, 2),
            fmt.number(r["score"], lang, 2),
            ("+" if r["change"] > 0 else "") + fmt.number(r["change"], lang, 2),
        ]
        for r in moved.iter_rows(named=True)
    ]
    frame = pl.DataFrame(rows, schema=cols, orient="row") if rows else pl.DataFrame(schema=cols)
    return display.Table(frame, tuple(cols[1:]))


def provinces_table(
    b: Base, index_code: str, year: int, lang: str, names_of_year: dict[str, str] | None = None
) -> display.Table:
    """names_of_year: unit_code → the name a province had that year (national_view.year_names)."""
    say = Translator("indices", lang)
    table = all_provinces(b, index_code, year)
    if names_of_year:
        table = table.with_columns(
            pl.col("unit_code").replace_strict(names_of_year, default=pl.col("unit_name")).alias("unit_name")
        )
    names = _names(index_code, "province", year, lang)
    # Components with no figure this year are left out rather than shown as a column of blanks.
    codes = [c for c in table.columns if c in names and table[c].is_not_null().any()]
    cols = [say("province"), say("score"), say("rank"), *[names[c] for c in codes]]
    rows = [
        [
            r["unit_name"] or r["unit_code"],
            fmt.number(r["score"], lang, 2),
            fmt.integer(r["rank"], lang),
            *[fmt.number(r[c], lang, 2) for c in codes],
        ]
        for r in table.iter_rows(named=True)
    ]
    frame = pl.DataFrame(rows, schema=cols, orient="row") if rows else pl.DataFrame(schema=cols)
    # A column with a missing figure stays text ("–"): the grid would write a missing number as "None".
    numeric = tuple(c for c in cols[1:] if fmt.MISSING not in frame[c].to_list())
    return display.Table(frame, numeric)


def headline_cards(b: Base, index_code: str, year: int, unit_code: str, lang: str) -> list[display.Card]:
    say = Translator("indices", lang)
    series = standing(b, index_code, unit_code)
    row = series.filter(pl.col("year") == year)
    if row.is_empty():
        return []
    r = row.row(0, named=True)
    units = _expected(index_code, "province", year) or r["units"]
    rank = say("rank_of", rank=r["rank"], units=units) if r["rank"] is not None else say("no_rank")
    return [
        display.Card(say("score"), fmt.number(r["score"], lang, 2)),
        display.Card(say("rank"), rank),
    ]


def break_note(b: Base, index_code: str, unit_code: str, lang: str) -> str | None:
    """Said when the unit's series crosses the 2025 reorganisation (63 → 34 provinces)."""
    series = standing(b, index_code, unit_code)
    if series["after_break"].any() and not series["after_break"].all():
        return Translator("indices", lang)("after_break", year=reorganisation_year())
    return None
