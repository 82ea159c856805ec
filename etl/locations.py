"""Where each commune lies: a point (and, for the current ones, an area) from vietnamadminunits, under the
register's unit codes (etl/register.py). No package ships commune polygons after 01/07/2025, so the map draws
communes as points.

Current wards carry the package's own codes, about a hundred of which differ from the official ones: they are
matched by name within the province as the register matches them. Former communes keep their official former
code, which the register writes OLD-<code>.
"""

from __future__ import annotations

import json
from functools import cache

import polars as pl

from etl import register
from etl.register import OLD_PREFIX, PackageRows

SCHEMA = {"unit_code": pl.Utf8, "lat": pl.Float64, "lon": pl.Float64, "area_km2": pl.Float64}


@cache
def commune_locations(
    package: PackageRows, current_points: tuple[tuple, ...], former_points: tuple[tuple, ...]
) -> pl.DataFrame:
    """unit_code, lat, lon, area_km2 (null for former communes) of every commune, current and former."""
    import vietnam_provinces

    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        _, wards = register._current(json.load(fh))
    official = register._match_current_wards(wards, package.current_wards)
    rows = [
        (official[(pkey, wkey)], lat, lon, area)
        for pkey, wkey, lat, lon, area in current_points
        if (pkey, wkey) in official and lat is not None and lon is not None
    ]
    rows += [(f"{OLD_PREFIX}{code}", lat, lon, None) for code, lat, lon in former_points if lat is not None]
    return pl.DataFrame(rows, schema=SCHEMA, orient="row").unique("unit_code", keep="first")
