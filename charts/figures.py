"""Plotly figure builders for the leaders' pages. No Streamlit: the exporters reuse them as they are.

Every figure carries its own title (with the year or period), the unit of measure on its axis, and the source
under the plot, because charts end up in reports without the page around them. Colours, patterns, markers and
dashes come from palette.yaml so tiers and unit kinds stay apart when printed in grey. Numbers follow the
reader's language (Vietnamese: decimal comma) through Plotly's `separators`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import polars as pl
import yaml

from charts.theme import CHART_FONT as FONT
from core.i18n import t

_PALETTE = Path(__file__).with_name("palette.yaml")

# The dashboard's charts use plotly_white. Set as the default, it is applied when a figure is serialised,
# with the same JSON as `template="plotly_white"` on each figure, which re-validated the whole template every
# time (~8 ms a figure, most of a figure's build).
pio.templates.default = "plotly_white"


@cache
def palette() -> dict[str, Any]:
    with open(_PALETTE, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def tier_style(tier: str | None) -> dict[str, str]:
    tiers = palette()["tiers"]
    return tiers.get(tier or "none", tiers["none"])


def tier_marker(tier: str | None) -> dict[str, object]:
    """A tier's bar fill: its colour plus a pattern, so tiers stay apart when printed in grey."""
    style = tier_style(tier)
    return {
        "color": style["color"],
        "pattern": {"shape": style["pattern"], "fgcolor": "#ffffff", "solidity": 0.3},
        "line": {"color": "#333", "width": 0.5},
    }


def kind_style(kind: str) -> dict[str, str]:
    return palette()["kinds"].get(kind, {"color": "#4d4d4d", "symbol": "circle", "dash": "solid"})


def series_color(name: str) -> str:
    return palette()["series"][name]


@dataclass(frozen=True)
class Frame:
    """What every figure states around its data: title, subtitle (year or period), source, language."""

    title: str
    subtitle: str
    source: str
    lang: str


def _layout(
    fig: go.Figure, f: Frame, *, height: int = 420, x_title: str = "", y_title: str = "", legend: bool = True
) -> go.Figure:
    fig.update_layout(
        title={
            "text": f"<b>{f.title}</b><br><span style='font-size:12px'>{f.subtitle}</span>",
            "x": 0.01,
            "xanchor": "left",
        },
        font={"family": FONT, "size": 12, "color": "#222"},
        separators=",." if f.lang == "vi" else ".,",
        height=height,
        margin={"l": 10, "r": 20, "t": 80, "b": 90},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    fig.add_annotation(
        text=f.source,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.3,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 10, "color": "#555"},
    )
    return fig


def points_axis(lang: str) -> str:
    return t("charts.axis.points", lang)


# ---- rankings ------------------------------------------------------------------------------------------


def ranking_bars(
    frame: pl.DataFrame, f: Frame, tier_names: dict[str, str], max_points: float | None = None
) -> go.Figure:
    """Horizontal bars, best at the top. frame: label, score, rank, tier (may be null), score_text."""
    fig = go.Figure()
    order = frame.sort("rank", "label", descending=[True, False])  # plotly draws the first row at the bottom
    tiers = [t_ for t_ in dict.fromkeys(order["tier"].to_list())]
    for tier in sorted(
        tiers, key=lambda x: (x is None, list(palette()["tiers"]).index(x) if x in palette()["tiers"] else 99)
    ):
        rows = order.filter(pl.col("tier").is_null() if tier is None else pl.col("tier") == tier)
        fig.add_bar(
            x=rows["score"].to_list(),
            y=rows["label"].to_list(),
            orientation="h",
            name=tier_names.get(tier or "", t("charts.legend.no_tier", f.lang)),
            marker=tier_marker(tier),
            text=rows["score_text"].to_list(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f}<extra>%{fullData.name}</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=order["label"].to_list(), automargin=True)
    upper = max_points or (max(frame["score"].drop_nulls().to_list() or [100]) * 1.08)
    fig.update_xaxes(range=[0, upper * 1.08])
    return _layout(fig, f, height=max(320, 24 * frame.height + 180), x_title=points_axis(f.lang))


def tier_distribution(frame: pl.DataFrame, f: Frame, tier_names: dict[str, str]) -> go.Figure:
    """Stacked bars of units per tier. frame: group (x label), tier, units."""
    fig = go.Figure()
    for tier in [k for k in palette()["tiers"] if k in set(frame["tier"].to_list())]:
        rows = frame.filter(pl.col("tier") == tier)
        fig.add_bar(
            x=rows["group"].to_list(),
            y=rows["units"].to_list(),
            name=tier_names.get(tier, tier),
            marker=tier_marker(tier),
            text=rows["units"].to_list(),
            textposition="inside",
        )
    fig.update_layout(barmode="stack")
    return _layout(fig, f, y_title=t("charts.axis.units", f.lang))


def movers(frame: pl.DataFrame, f: Frame) -> go.Figure:
    """Score changes, gains and losses. frame: label, change, change_text."""
    order = frame.sort("change")
    colors = [series_color("rise") if c > 0 else series_color("fall") for c in order["change"].to_list()]
    patterns = ["" if c > 0 else "/" for c in order["change"].to_list()]
    fig = go.Figure(
        go.Bar(
            x=order["change"].to_list(),
            y=order["label"].to_list(),
            orientation="h",
            marker={"color": colors, "pattern": {"shape": patterns, "fgcolor": "#fff"}},
            text=order["change_text"].to_list(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
        )
    )
    fig.update_yaxes(automargin=True)
    return _layout(
        fig, f, height=max(320, 26 * frame.height + 180), x_title=t("charts.axis.change", f.lang), legend=False
    )


# ---- lines over the years ------------------------------------------------------------------------------


def kind_lines(frame: pl.DataFrame, f: Frame, kind_names: dict[str, str], break_year: float | None = 2025) -> go.Figure:
    """One line per kind. frame: kind, year, value."""
    fig = go.Figure()
    for kind in dict.fromkeys(frame["kind"].to_list()):
        rows = frame.filter(pl.col("kind") == kind).sort("year")
        style = kind_style(kind)
        fig.add_scatter(
            x=rows["year"].to_list(),
            y=rows["value"].to_list(),
            mode="lines+markers",
            name=kind_names.get(kind, kind),
            line={"color": style["color"], "dash": style["dash"], "width": 2.5},
            marker={"symbol": style["symbol"], "size": 9},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    _reorganisation(fig, f, break_year)
    fig.update_xaxes(dtick=1)
    return _layout(fig, f, x_title=t("charts.axis.year", f.lang), y_title=points_axis(f.lang))


def _reorganisation(fig: go.Figure, f: Frame, break_year: float | None) -> None:
    """The visible break of 1 July 2025 between the old units and the new ones."""
    if break_year is None:
        return
    fig.add_vline(x=break_year - 0.5, line={"color": "#555", "dash": "dot", "width": 1.5})
    fig.add_annotation(
        x=break_year - 0.5,
        y=1,
        yref="paper",
        text=t("charts.break", f.lang),
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 10, "color": "#555"},
    )


def official_trend(frame: pl.DataFrame, f: Frame, partial_text: str) -> go.Figure:
    """Published score per year (rank as text). frame: year, score, rank, partial, label."""
    fig = go.Figure()
    for label in dict.fromkeys(frame["label"].to_list()):
        rows = frame.filter(pl.col("label") == label).sort("year")
        texts = [
            (f"#{r}" if r is not None else "") + (f" ({partial_text})" if p else "")
            for r, p in zip(rows["rank"].to_list(), rows["partial"].to_list(), strict=True)
        ]
        fig.add_scatter(
            x=rows["year"].to_list(),
            y=rows["score"].to_list(),
            mode="lines+markers+text",
            name=label,
            text=texts,
            textposition="top center",
            marker={
                "symbol": ["circle-open" if p else "circle" for p in rows["partial"].to_list()],
                "size": 10,
                "color": series_color("score"),
            },
            line={"color": series_color("score")},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    fig.update_xaxes(dtick=1)
    return _layout(fig, f, x_title=t("charts.axis.year", f.lang), y_title=t("charts.axis.percent", f.lang))


def history(
    frame: pl.DataFrame,
    f: Frame,
    tier_names: dict[str, str],
    own_name: str,
    rebuilt_name: str,
    median: pl.DataFrame | None = None,
    median_name: str = "",
) -> go.Figure:
    """A unit's totals by year: own results solid with tier-coloured markers, reconstructed ones dashed and
    hollow, the median of its kind for reference. frame: year, score, reconstructed, tier."""
    fig = go.Figure()
    own = frame.filter(~pl.col("reconstructed")).sort("year")
    rebuilt = frame.filter(pl.col("reconstructed")).sort("year")
    if median is not None and not median.is_empty():
        fig.add_scatter(
            x=median["year"].to_list(),
            y=median["value"].to_list(),
            mode="lines",
            name=median_name,
            line={"color": series_color("median"), "dash": "dash", "width": 1.5},
        )
    if rebuilt.height:
        joined = pl.concat([rebuilt.select("year", "score"), own.head(1).select("year", "score")]).sort("year")
        fig.add_scatter(
            x=joined["year"].to_list(),
            y=joined["score"].to_list(),
            mode="lines+markers",
            name=rebuilt_name,
            line={"color": series_color("reconstructed"), "dash": "dot"},
            marker={"symbol": "circle-open", "size": 10, "color": series_color("reconstructed")},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    if own.height:
        fig.add_scatter(
            x=own["year"].to_list(),
            y=own["score"].to_list(),
            mode="lines+markers+text",
            name=own_name,
            text=[tier_names.get(x or "", "") for x in own["tier"].to_list()],
            textposition="top center",
            line={"color": series_color("score"), "width": 2.5},
            marker={
                "size": 12,
                "color": [tier_style(x)["color"] for x in own["tier"].to_list()],
                "line": {"color": "#000", "width": 1},
            },
            hovertemplate="%{x}: %{y:.2f}<extra>%{text}</extra>",
        )
    _reorganisation(fig, f, 2025)
    fig.update_xaxes(range=[2020.5, 2030.5], dtick=1)
    return _layout(fig, f, x_title=t("charts.axis.year", f.lang), y_title=points_axis(f.lang))


def components(frame: pl.DataFrame, f: Frame, names: dict[str, str]) -> go.Figure:
    """A unit's component points against the maximum and the median of its kind. frame: component_name,
    points, max_points, median_points."""
    fig = go.Figure()
    labels = frame["component_name"].to_list()
    fig.add_bar(
        x=labels,
        y=frame["max_points"].to_list(),
        name=names["max"],
        marker={"color": series_color("maximum"), "line": {"color": "#777", "width": 1}},
    )
    fig.add_bar(
        x=labels,
        y=frame["points"].to_list(),
        name=names["points"],
        marker={"color": series_color("score")},
        text=frame["points_text"].to_list(),
        textposition="outside",
    )
    fig.add_scatter(
        x=labels,
        y=frame["median_points"].to_list(),
        mode="markers",
        name=names["median"],
        marker={"symbol": "line-ew-open", "size": 28, "line": {"width": 3, "color": "#000"}},
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_xaxes(tickangle=-20, automargin=True)
    return _layout(fig, f, height=460, y_title=points_axis(f.lang))


def heatmap(matrix: pl.DataFrame, labels: Sequence[str], f: Frame) -> go.Figure:
    """Units down, years across. matrix: unit_code + one column per year."""
    years = [c for c in matrix.columns if c != "unit_code"]
    z = [list(row) for row in matrix.select(years).iter_rows()]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=list(labels),
            colorscale=palette()["heatmap"],
            zmin=min([v for r in z for v in r if v is not None] or [0]),
            zmax=100,
            colorbar={"title": {"text": points_axis(f.lang)}},
            hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, f, height=max(360, 18 * len(labels) + 200), x_title=t("charts.axis.year", f.lang), legend=False)


def projection(frame: pl.DataFrame, proj: Any, targets: pl.DataFrame, f: Frame, names: dict[str, str]) -> go.Figure:
    """History (own and reconstructed), the projected line with its 95 % band, and the reader's targets.
    frame: year, score, reconstructed; targets: year, score (may be empty)."""
    fig = go.Figure()
    if proj is not None and proj.made:
        last = frame.filter(~pl.col("reconstructed")).sort("year").tail(1)
        xs = last["year"].to_list() + proj.years
        fig.add_scatter(
            x=proj.years + proj.years[::-1],
            y=proj.upper + proj.lower[::-1],
            fill="toself",
            fillcolor=series_color("band"),
            line={"width": 0},
            name=names["band"],
            hoverinfo="skip",
        )
        fig.add_scatter(
            x=xs,
            y=last["score"].to_list() + proj.fitted,
            mode="lines+markers",
            name=names["projection"],
            line={"color": series_color("projection"), "dash": "dash"},
            marker={"symbol": "diamond-open", "size": 8},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    rebuilt = frame.filter(pl.col("reconstructed")).sort("year")
    if rebuilt.height:
        fig.add_scatter(
            x=rebuilt["year"].to_list(),
            y=rebuilt["score"].to_list(),
            mode="lines+markers",
            name=names["reconstructed"],
            line={"color": series_color("reconstructed"), "dash": "dot"},
            marker={"symbol": "circle-open", "size": 9},
        )
    own = frame.filter(~pl.col("reconstructed")).sort("year")
    fig.add_scatter(
        x=own["year"].to_list(),
        y=own["score"].to_list(),
        mode="lines+markers",
        name=names["score"],
        line={"color": series_color("score"), "width": 2.5},
        marker={"size": 9},
        hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
    )
    if not targets.is_empty():
        fig.add_scatter(
            x=targets["year"].to_list(),
            y=targets["score"].to_list(),
            mode="markers",
            name=names["target"],
            marker={"symbol": "star", "size": 14, "color": series_color("target")},
        )
    _reorganisation(fig, f, 2025)
    fig.update_xaxes(range=[2020.5, 2030.5], dtick=1)
    return _layout(fig, f, x_title=t("charts.axis.year", f.lang), y_title=points_axis(f.lang))


def review_bars(frame: pl.DataFrame, f: Frame, names: dict[str, str]) -> go.Figure:
    """Period mean and latest score per unit, best period rank first. frame: label, period_mean, latest_score,
    mean_text."""
    order = frame.reverse()
    fig = go.Figure()
    fig.add_bar(
        y=order["label"].to_list(),
        x=order["period_mean"].to_list(),
        orientation="h",
        name=names["mean"],
        marker={"color": series_color("score")},
        text=order["mean_text"].to_list(),
        textposition="outside",
        cliponaxis=False,
    )
    fig.add_scatter(
        y=order["label"].to_list(),
        x=order["latest_score"].to_list(),
        mode="markers",
        name=names["latest"],
        marker={"symbol": "diamond", "size": 10, "color": series_color("projection")},
    )
    fig.update_yaxes(automargin=True, categoryorder="array", categoryarray=order["label"].to_list())
    fig.update_xaxes(range=[0, 108])
    return _layout(fig, f, height=max(320, 24 * frame.height + 180), x_title=points_axis(f.lang))
