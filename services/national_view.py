"""What the "Chỉ số quốc gia" page shows beyond the tables of services/national.py: the score-and-rank chart's
frame, the province's own results beside the national components, self-assessed against appraised points,
and the province names of the year. Pure functions over the published `Base`; text in the reader's language.

- name_of_year(code, year, current, variants) -> str     the name a province had that year (rule below)
- year_names(b, year) -> dict[str, str]                    every unit's name of the year
- standing_chart(b, index_code, unit_code, lang) -> (frame, title, subtitle, source) | None
- internal_table(b, year, unit_code, lang) -> Table        internal average per area beside the national one
- gap_lines(b, year, unit_code, lang) -> list[str]         the large gaps, in words a leader reads
- self_table(b, year, lang) -> Table                       self-assessed against appraised, largest gap first
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from core import fmt, indices
from core.i18n import Translator
from etl.units import NameVariant, name_variants
from services import display, national
from services.published import Base


def name_of_year(code: str, year: int, current: str, variants: Iterable[NameVariant]) -> str:
    """The province's name in a table of `year`: a former name (one with an end year) in use that year,
    written in Vietnamese (abbreviations and English forms, plain ASCII, are only spellings to recognise),
    the first listed; otherwise the register's current name. "46" in 2023: Thừa Thiên Huế; in 2025: the
    register's Thành phố Huế."""
    for v in variants:
        if v.code != code or v.last is None or v.name.isascii():
            continue
        if (v.first is None or v.first <= year) and year <= v.last and not _abbreviated(v.name):
            return v.name
    return current


def _abbreviated(name: str) -> bool:
    # "TT-Huế", "Tỉnh Thừa Thiên Huế": the bare, spelled-out name is the one a table shows.
    return "-" in name.replace(" - ", "") or name.lower().startswith(("tỉnh ", "thành phố ", "tp"))


def year_names(b: Base, year: int) -> dict[str, str]:
    """unit_code → name of the year, for every unit of the register."""
    variants = name_variants()
    return {
        code: name_of_year(code, year, name or code, variants)
        for code, name in b.units.select("unit_code", "name").iter_rows()
    }


# ---- the score-and-rank chart ----------------------------------------------------------------------------


def standing_chart(b: Base, index_code: str, unit_code: str, lang: str) -> tuple[pl.DataFrame, str, str, str] | None:
    """The series the chart draws and the words around it (title, subtitle, source); None when the unit has
    no figure."""
    series = national.standing_with_average(b, index_code, unit_code)
    if series.is_empty():
        return None
    say = Translator("indices", lang)
    years = series["year"].to_list()
    name = year_names(b, max(years)).get(unit_code, unit_code)
    registered = indices.indices().get(index_code)
    publishers = sorted({p for y in years if registered and (p := registered.publisher(y, lang))})
    source = say(
        "chart_source",
        index=national.index_name(index_code, lang),
        years=fmt.years(years),
        publisher=", ".join(publishers) or "—",
    )
    basis = series.drop_nulls("avg_basis")["avg_basis"].unique().to_list()
    subtitle = say("chart_subtitle", province=name, years=fmt.years(years))
    if "computed" in basis:
        subtitle += " · " + say("chart_avg_computed")
    # The short name in the title (it must fit a phone); the full one is in the source line.
    title = say("chart_title", index=registered.short[lang] if registered else national.index_name(index_code, lang))
    return series, title, subtitle, source


def chart_names(lang: str) -> dict[str, str]:
    say = Translator("indices", lang)
    return {
        "score": say("score"),
        "rank": say("rank"),
        "national_avg": say("national_avg"),
        "rank_axis": say("rank_axis"),
    }


# ---- the province's own results against the national index ----------------------------------------------


def internal_table(b: Base, year: int, unit_code: str, lang: str) -> display.Table:
    say = Translator("indices", lang)
    rows = national.internal_against_national(b, year, unit_code)
    kinds = display.kind_names(rows["kind"].unique().to_list(), lang)
    names = national._names("par_index", "province", year, lang)
    # The national area first and the province's own area name last: the figures a leader compares stay in
    # view on a narrow screen.
    cols = [
        say("internal_kind"),
        say("national_component"),
        say("internal_units"),
        say("internal_self"),
        say("internal_appraised"),
        say("national_pct"),
        say("rank"),
        say("gap"),
        say("internal_area"),
    ]
    out = [
        [
            kinds.get(r["kind"], r["kind"]),
            names.get(r["national_code"], r["national_code"]),
            fmt.integer(r["units"], lang),
            fmt.number(r["self_pct"], lang, 1),
            fmt.number(r["appraised_pct"], lang, 1),
            # As published, in points: the areas' maxima are not confirmed for every year (see the registry).
            fmt.number(r["national_score"], lang, 2),
            say("rank_of", rank=r["national_rank"], units=r["national_units"])
            if r["national_rank"] is not None
            else say("no_rank"),
            say("gap_yes") if r["gap"] else "",
            r["component_name"],
        ]
        for r in rows.iter_rows(named=True)
    ]
    frame = pl.DataFrame(out, schema=cols, orient="row") if out else pl.DataFrame(schema=cols)
    return display.Table(frame, (cols[2], cols[3], cols[4], cols[5]))


def gap_lines(b: Base, year: int, unit_code: str, lang: str) -> list[str]:
    """One sentence per flagged area: high internal results while the province ranks low on the national
    component of the same area."""
    say = Translator("indices", lang)
    rows = national.internal_against_national(b, year, unit_code).filter(pl.col("gap"))
    kinds = display.kind_names(rows["kind"].unique().to_list(), lang)
    names = national._names("par_index", "province", year, lang)
    return [
        say(
            "gap_line",
            kind=kinds.get(r["kind"], r["kind"]),
            area=names.get(r["national_code"], r["component_name"]),
            internal=fmt.number(r["appraised_pct"], lang, 1),
            rank=r["national_rank"],
            units=r["national_units"],
        )
        for r in rows.iter_rows(named=True)
    ]


def self_table(b: Base, year: int, lang: str, limit: int = 200) -> display.Table:
    say = Translator("indices", lang)
    rows = national.self_against_appraised(b, year).head(limit)
    kinds = display.kind_names(rows["kind"].unique().to_list(), lang)
    cols = [
        say("unit"),
        say("internal_kind"),
        say("internal_area"),
        say("self_points"),
        say("appraised_points"),
        say("max_points"),
        say("self_gap"),
        say("self_gap_pct"),
    ]
    out = [
        [
            r["unit_name"] or r["unit_code"],
            kinds.get(r["kind"], r["kind"]),
            r["component_name"],
            fmt.number(r["self_points"], lang, 2),
            fmt.number(r["appraised_points"], lang, 2),
            fmt.number(r["max_points"], lang, 2),
            display.signed(r["gap"], lang, 2),
            fmt.number(r["gap_pct"], lang, 1),
        ]
        for r in rows.iter_rows(named=True)
    ]
    frame = pl.DataFrame(out, schema=cols, orient="row") if out else pl.DataFrame(schema=cols)
    return display.Table(frame, tuple(cols[3:]))
