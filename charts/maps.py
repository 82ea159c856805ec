"""The maps: provinces as filled polygons and communes as points, drawn on plain equal-aspect axes.

No geo layout and no Mapbox/MapLibre layer: Plotly's geo charts fetch their base maps (topojson) from a CDN, and
tile maps fetch tiles. Here every shape comes from the project's own GeoJSON (data/maps), so nothing is ever
fetched, on screen or in an export. Longitude and latitude are used as x and y with y scaled by 1/cos(16°),
which keeps Vietnam's shape true enough at its middle latitude.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from charts.frame import Frame, layout
from charts.palette import series_color, tier_colour

_ASPECT = 1.04  # 1 / cos(16°): a degree of latitude is this much longer than a degree of longitude here
_EDGE = "#ffffff"
_OUTLINE_DARK = "#333333"
_HEIGHT = 760


def _rings(geometry: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """The outer rings of a MultiPolygon as x, y with None between them (holes are painted over)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for polygon in geometry["coordinates"]:
        ring = polygon[0]
        xs += [p[0] for p in ring] + [None]
        ys += [p[1] for p in ring] + [None]
    return xs, ys


def _centre(geometry: dict[str, Any]) -> tuple[float, float]:
    """The middle of the largest ring's bounding box: where a province's hover and click point sits."""
    ring = max((p[0] for p in geometry["coordinates"]), key=len)
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _axes(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False, constrain="domain")
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=_ASPECT)
    fig.update_layout(plot_bgcolor="#ffffff", dragmode="pan", hovermode="closest", clickmode="event+select")


def province_map(
    features: Sequence[dict[str, Any]],
    rows: Sequence[dict[str, Any]],
    classes: dict[str, tuple[str, str | None]],
    frame: Frame,
    home_label: str,
    archipelagos: Sequence[dict[str, Any]] = (),
) -> go.Figure:
    """features: GeoJSON features whose id is a unit code. rows: per unit code, klass, hover, home.
    archipelagos: name, province (its unit code), lon, lat: drawn as labelled points in their province's colour.
    classes: klass -> (legend label, palette tier or None for the no-data grey), best first.
    One filled trace per province (its hover is the fill's), one legend entry per class, the home province
    outlined, and one point per province carrying its code for a click."""
    fig = go.Figure()
    by_code = {r["unit_code"]: r for r in rows}
    shown: set[str] = set()
    cx, cy, codes, hovers, home = [], [], [], [], []
    for feature in features:
        row = by_code.get(feature["id"], {})
        klass = row.get("klass", "none")
        label, tier = classes.get(klass, classes["none"])
        xs, ys = _rings(feature["geometry"])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=tier_colour(tier),
                line={"color": _EDGE, "width": 0.6},
                name=label,
                legendgroup=klass,
                showlegend=klass not in shown,
                hoveron="fills",
                text=row.get("hover", feature["properties"]["name"]),
                hoverinfo="text",
            )
        )
        shown.add(klass)
        x, y = _centre(feature["geometry"])
        cx.append(x)
        cy.append(y)
        codes.append(feature["id"])
        hovers.append(row.get("hover", feature["properties"]["name"]))
        if row.get("home"):
            home.append(feature)
    for i, feature in enumerate(home):
        xs, ys = _rings(feature["geometry"])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": series_color("outline"), "width": 2.5},
                name=home_label,
                legendgroup="home",
                showlegend=i == 0,
                hoverinfo="skip",
            )
        )
    for island in archipelagos:
        row = by_code.get(island["province"], {})
        tier = classes.get(row.get("klass", "none"), classes["none"])[1]
        fig.add_trace(
            go.Scatter(
                x=[island["lon"]],
                y=[island["lat"]],
                mode="markers+text",
                marker={
                    "size": 9,
                    "symbol": "diamond",
                    "color": tier_colour(tier),
                    "line": {"color": _OUTLINE_DARK, "width": 1},
                },
                text=[island["name"]],
                # Left of the marker: the islands lie at the map's right edge, where a centred name was cut
                textposition="bottom left",
                textfont={"size": 11},
                hovertext=[row.get("hover", island["name"])],
                hoverinfo="text",
                customdata=[island["province"]],
                showlegend=False,
                name="",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=cx,
            y=cy,
            mode="markers",
            marker={"size": 5, "color": series_color("outline"), "opacity": 0.5},
            customdata=codes,
            text=hovers,
            hoverinfo="text",
            showlegend=False,
            name="",
        )
    )
    _order_legend(fig, list(classes))
    _axes(fig)
    return layout(fig, frame, height=_HEIGHT, legend_rows=2)


def _order_legend(fig: go.Figure, order: list[str]) -> None:
    rank = {k: i for i, k in enumerate(order)}
    for trace in fig.data:
        if trace.legendgroup in rank:
            trace.legendrank = 100 + rank[trace.legendgroup]


def commune_map(
    outlines: Sequence[dict[str, Any]],
    points: Sequence[dict[str, Any]],
    tiers: dict[str, str],
    no_tier: str,
    frame: Frame,
) -> go.Figure:
    """The province's outline (or its predecessors'), and one point per commune: area gives the size, tier the
    colour (the palette's, best first), the unit code rides along for a click. points: unit_code, lon, lat,
    area_km2, tier, hover."""
    fig = go.Figure()
    for feature in outlines:
        xs, ys = _rings(feature["geometry"])
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor="#f2f2f2",
                line={"color": series_color("outline"), "width": 1.2},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    groups: dict[str | None, list[dict[str, Any]]] = {}
    for p in points:
        groups.setdefault(p["tier"] if p["tier"] in tiers else None, []).append(p)
    for tier in [*tiers, None]:
        members = groups.get(tier, [])
        if not members:
            continue
        fig.add_trace(
            go.Scatter(
                x=[p["lon"] for p in members],
                y=[p["lat"] for p in members],
                mode="markers",
                marker={
                    "size": [_size(p["area_km2"]) for p in members],
                    "color": tier_colour(tier),
                    "line": {"color": "#ffffff", "width": 0.8},
                },
                name=tiers[tier] if tier else no_tier,
                customdata=[p["unit_code"] for p in members],
                text=[p["hover"] for p in members],
                hoverinfo="text",
            )
        )
    _axes(fig)
    return layout(fig, frame, height=_HEIGHT, legend_rows=2)


def _size(area_km2: float | None) -> float:
    # the marker's area follows the commune's: its diameter grows with the square root (4 km² → 6 px,
    # 100 km² → 16 px), within 5–24 px; a commune without a known area gets a middling 8 px
    if not area_km2:
        return 8.0
    return float(min(24.0, max(5.0, 4.0 + 1.2 * area_km2**0.5)))
