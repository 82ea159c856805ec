"""The Map page's figures: the provinces coloured by an official index, and the home province's communes as
points coloured by their tier.

Province shapes are data/maps/provinces_63.geojson (the provinces up to 2024) and provinces_34.geojson (from
2025), built by tools/build_provinces.py and read here as plain JSON. The measures offered are whatever the
published official results hold: every index code with a score, a rank or a group for provinces that year is a
measure, so an index loaded later (PAPI, PCI, DTI…) appears without code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import polars as pl

from analysis import official as off
from core import fmt, indices, programme
from core.i18n import Translator
from core.paths import DATA
from etl.locations import commune_locations
from services import display, units_of_year
from services.display import Table
from services.published import Base
from store.admin_units import package_rows, ward_points

MAPS_DIR = DATA / "maps"
LEVELS = ("province", "commune")
FIELDS = ("score", "rank", "grp")  # what a measure colours by, in the order offered
NO_DATA = "none"
# Quartile classes best first; the palette's tier colours (blue good, orange weak) are colour-blind safe.
QUARTILES = ("q1", "q2", "q3", "q4")
_QUARTILE_TIERS = {"q1": "xuat_sac", "q2": "tot", "q3": "trung_binh", "q4": "yeu"}
_GROUP_TIERS = {"A": "xuat_sac", "B": "tot", "C": "trung_binh", "D": "yeu"}


@dataclass(frozen=True)
class Measure:
    index_code: str
    field: str  # score | rank | grp

    @property
    def code(self) -> str:
        return f"{self.index_code}.{self.field}"


def shape_file(year: int) -> str:
    """The provinces of the year at its end: 63 up to the reorganisation's year's previous, 34 from it."""
    return "provinces_34.geojson" if year >= programme.reorganisation_year() else "provinces_63.geojson"


@cache
def _shapes(name: str) -> dict[str, Any]:
    with open(MAPS_DIR / name, encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def shapes(year: int) -> dict[str, Any]:
    """The GeoJSON FeatureCollection of the year's provinces; each feature's id is the register's unit code."""
    return _shapes(shape_file(year))


def years(b: Base) -> tuple[list[int], int]:
    """Every year of the programme (each has its shapes), and the latest one with a published provincial
    result or an internal commune result, shown first."""
    found = set(b.official.filter(pl.col("level") == "province")["year"].to_list())
    found |= set(b.results.filter(pl.col("kind") == "commune")["year"].to_list())
    offered = sorted(set(programme.years()) | found)
    return offered, max(found) if found else offered[0]


def measures(b: Base, year: int) -> list[str]:
    """Measure codes ("par_index.score") with at least one published value for provinces that year."""
    rows = b.official.filter((pl.col("level") == "province") & (pl.col("year") == year))
    out = []
    # In the registry's order (PAR INDEX first), whatever order the files were loaded in.
    order = {code: i for i, code in enumerate(indices.indices())}
    present = rows["index_code"].unique().to_list()
    for index_code in sorted(present, key=lambda c: (order.get(c, len(order)), c)):
        of_index = rows.filter(pl.col("index_code") == index_code)
        out += [f"{index_code}.{f}" for f in FIELDS if of_index[f].drop_nulls().len()]
    return out


def parse(code: str) -> Measure:
    index_code, _, field = code.rpartition(".")
    return Measure(index_code, field if field in FIELDS else "score")


def measure_name(code: str, lang: str) -> str:
    say = Translator("maps", lang)
    m = parse(code)
    registered = indices.indices().get(m.index_code)
    if say.has(f"index.{m.index_code}"):
        index = say.code("index", m.index_code)
    else:  # an index added as data only: its short name from the registry
        index = registered.short[lang] if registered else m.index_code.upper()
    return say(f"field.{m.field}", index=index)


def _classes(values: pl.Series, field: str) -> pl.Series:
    """Quartile class of each value, best first (a high score, a low rank); NO_DATA where none."""
    if field == "grp":
        return pl.Series([g if g in _GROUP_TIERS else NO_DATA for g in values.to_list()], dtype=pl.String)
    present = values.drop_nulls()
    if present.is_empty():
        return pl.Series([NO_DATA] * values.len(), dtype=pl.String)
    ordered = sorted(present.to_list(), reverse=field == "score")
    out = []
    for v in values.to_list():
        if v is None:
            out.append(NO_DATA)
            continue
        position = ordered.index(v)  # ties share the better class
        out.append(QUARTILES[min(3, position * 4 // len(ordered))])
    return pl.Series(out, dtype=pl.String)


def class_tier(klass: str) -> str | None:
    """The palette tier whose colour a class takes (None: the no-data grey)."""
    return _QUARTILE_TIERS.get(klass) or _GROUP_TIERS.get(klass)


def class_names(field: str, lang: str) -> dict[str, str]:
    say = Translator("maps", lang)
    names = (
        {g: say("group", group=g) for g in _GROUP_TIERS}
        if field == "grp"
        else {q: say(f"class.{q}") for q in QUARTILES}
    )
    return {**names, NO_DATA: say("class.none")}


def province_rows(b: Base, year: int, code: str, lang: str) -> pl.DataFrame:
    """One row per province shape of the year: unit_code, name, score, rank, grp, klass, hover (the text a
    pointer shows: unit, score, rank, group), home (the dataset's own province, or its predecessors)."""
    m = parse(code)
    ranked = off.ranking(b.official, year, "province", m.index_code).select("unit_code", "score", "rank", "grp")
    names = [(f["id"], f["properties"]["name"]) for f in shapes(year)["features"]]
    frame = pl.DataFrame(names, schema=["unit_code", "name"], orient="row").join(ranked, on="unit_code", how="left")
    frame = frame.with_columns(_classes(frame[m.field], m.field).alias("klass"))
    say = Translator("maps", lang)
    home = {f["id"] for f in home_shapes(b, year)}
    hover = [
        say(
            "hover",
            unit=r["name"],
            score=display.score(r["score"], lang),
            rank=fmt.integer(r["rank"], lang),
            group=r["grp"] or fmt.MISSING,
        )
        for r in frame.iter_rows(named=True)
    ]
    return frame.with_columns(
        pl.Series("hover", hover, dtype=pl.String), pl.col("unit_code").is_in(sorted(home)).alias("home")
    )


def home_shapes(b: Base, year: int) -> list[dict[str, Any]]:
    """The outlines of the dataset's province that year: itself from 2025, before it the former provinces it
    was made of (Cà Mau 2024: the former Cà Mau and Bạc Liêu)."""
    home = b.home_province()
    if home is None:
        return []
    feats = shapes(year)["features"]
    if year >= programme.reorganisation_year():
        return [f for f in feats if f["id"] == home]
    return [f for f in feats if f["properties"].get("successor_code") == home]


def commune_points(b: Base, year: int, lang: str) -> pl.DataFrame:
    """The communes of the year (the register's, on the year's reference date) with a known location:
    unit_code, name, lat, lon, size (area in km², or 1), total, tier, klass, hover."""
    units = units_of_year.register(b, year, "commune").select("unit_code", "name")
    located = units.join(_locations(), on="unit_code", how="inner")
    scored = b.results.filter((pl.col("year") == year) & (pl.col("kind") == "commune")).select(
        "unit_code", "total", "tier", "tier_rank"
    )
    frame = located.join(scored, on="unit_code", how="left")
    say = Translator("maps", lang)
    tiers = display.tier_names(lang)
    hover = [
        say(
            "hover_commune",
            unit=r["name"],
            score=display.score(r["total"], lang),
            rank=fmt.integer(r["tier_rank"], lang),
            tier=tiers.get(r["tier"] or "", say("class.none")),
        )
        for r in frame.iter_rows(named=True)
    ]
    return frame.with_columns(pl.Series("hover", hover, dtype=pl.String))


def unlocated(b: Base, year: int) -> int:
    """Communes of the year the packages have no location for (the demo's invented ones)."""
    units = units_of_year.register(b, year, "commune").select("unit_code")
    return units.join(_locations(), on="unit_code", how="anti").height


@cache
def _locations() -> pl.DataFrame:
    return commune_locations(package_rows(), *ward_points())


def province_table(rows: pl.DataFrame, code: str, lang: str) -> Table:
    c = display.columns(lang, "rank", "unit", "score", "group")
    klass = Translator("maps", lang)("class_column")
    names = class_names(parse(code).field, lang)
    # published order; a province with a score but no published rank next, then those without figures
    shown = rows.sort(["rank", "score", "name"], descending=[False, True, False], nulls_last=True)
    records = [
        {
            c["rank"]: fmt.integer(r["rank"], lang),
            c["unit"]: r["name"],
            c["score"]: display.score(r["score"], lang),
            c["group"]: r["grp"] or fmt.MISSING,
            klass: names[r["klass"]],
        }
        for r in shown.iter_rows(named=True)
    ]
    # text columns: a province without a figure reads "–", never an empty number cell
    return Table(display.records_table(records, [*c.values(), klass]), ())


def commune_table(points: pl.DataFrame, lang: str) -> Table:
    c = display.columns(lang, "unit", "score", "tier")
    tiers = display.tier_names(lang)
    shown = points.sort(["total", "name"], descending=[True, False], nulls_last=True)
    records = [
        {
            c["unit"]: r["name"],
            c["score"]: display.score(r["total"], lang),
            c["tier"]: tiers.get(r["tier"] or "", fmt.MISSING),
        }
        for r in shown.iter_rows(named=True)
    ]
    return Table(display.records_table(records, c.values()), ())
