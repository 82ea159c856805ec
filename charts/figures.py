"""Plotly figure builders for the pages and for the report: one stack, one palette, one frame around the data.

Every figure carries its own title (with the year or period), the unit of measure on its axis, and the source
under the plot (charts.frame), because charts end up in reports without the page around them. Colours,
patterns, markers and dashes come from palette.yaml, so a tier is the same colour on screen and in print, and
tiers and unit kinds stay apart when printed in grey. Numbers follow the reader's language (Vietnamese:
decimal comma) through Plotly's `separators`. The report's builders (trend, tiers, scores) are drawn at the
printed width.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.frame import (
    Frame,
    labels_px,
    layout,
    mark_reorganisation,
    programme_range,
    reorganisation_year,
    wrap_labels,
)
from charts.palette import heatmap_scale, kind_style, palette, series_color, tier_colour, tier_marker, tier_order
from charts.theme import WIDTH
from core import fmt
from core.i18n import t

__all__ = [
    "MAX_BARS",
    "Frame",
    "components",
    "heatmap",
    "histories",
    "history",
    "kind_lines",
    "movers",
    "national_standing",
    "official_trend",
    "points_axis",
    "projection",
    "ranking_bars",
    "review_bars",
    "robustness_bars",
    "scores",
    "tier_distribution",
    "tiers",
    "trend",
]

# Up to this many units a report chart shows every unit's bar; beyond, the tier distribution says it better.
MAX_BARS = 40
# The break is drawn where the reorganisation falls between two years a chart shows.
REORGANISATION_YEAR = reorganisation_year()
# A history rebuilt from former units is always its own trace, in this dash, with hollow markers.
REBUILT_DASH = "dash"
_LEGEND_ROW_PX = 28


def points_axis(lang: str) -> str:
    return t("charts.axis.points", lang)


# Up to this many years every year is labelled, on a phone too; over more, Plotly thins them to the room it has
# (every second year on a phone), never slanting them.
_EVERY_YEAR_UP_TO = 7
_PROGRAMME_YEARS = [round(y + 0.5) for y in programme_range()]


def _year_axis(fig: go.Figure, years: Sequence[Any]) -> None:
    shown = [y for y in years if y is not None]
    if shown and max(shown) - min(shown) + 1 > _EVERY_YEAR_UP_TO:
        fig.update_xaxes(tickformat="d", tick0=min(shown), dtick=None)
    else:
        fig.update_xaxes(dtick=1)


def _labelled(frame: pl.DataFrame, label: str) -> tuple[pl.DataFrame, int]:
    """frame with its label column wrapped for the left of horizontal bars, and the room those labels take."""
    wrapped = wrap_labels([str(x) for x in frame[label].to_list()])
    return frame.with_columns(pl.Series(label, wrapped, dtype=pl.String)), labels_px(wrapped)


def _row_px(frame: pl.DataFrame, label: str, px: int) -> int:
    """A bar's row: px, or room for the lines of its tallest wrapped label."""
    lines = max((str(x).count("<br>") + 1 for x in frame[label].to_list()), default=1)
    return max(px, 15 * lines + 4)


def _rows(frame: pl.DataFrame, column: str, value: str | None) -> pl.DataFrame:
    return frame.filter(pl.col(column).is_null() if value is None else pl.col(column) == value)


# ---- bars coloured by tier (pages and report) ---------------------------------------------------------


def _bars_by_tier(
    fig: go.Figure, rows: pl.DataFrame, value: str, label: str, text: str, name: Callable[[str | None], str]
) -> None:
    """Horizontal bars, one trace per tier (best tier first in the legend); rows in drawing order, the first
    at the bottom."""
    for tier in tier_order(rows["tier"].to_list()):
        part = _rows(rows, "tier", tier)
        fig.add_bar(
            x=part[value].to_list(),
            y=part[label].to_list(),
            orientation="h",
            name=name(tier),
            marker=tier_marker(tier),
            text=part[text].to_list(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f}<extra>%{fullData.name}</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=rows[label].to_list(), automargin=False)


def _stacked_tiers(fig: go.Figure, frame: pl.DataFrame, group: str, name: Callable[[str | None], str]) -> None:
    """Units per tier stacked in each group, best tier at the bottom. frame: <group>, tier, units."""
    for tier in tier_order(frame["tier"].to_list()):
        rows = _rows(frame, "tier", tier)
        fig.add_bar(
            x=rows[group].to_list(),
            y=rows["units"].to_list(),
            name=name(tier),
            marker=tier_marker(tier),
            text=rows["units"].to_list(),
            textposition="inside",
        )
    # Plotly lists stacked traces top-down by default; the tiers read best first, as in every other legend.
    fig.update_layout(barmode="stack", legend_traceorder="normal")


def _kind_line(fig: go.Figure, kind: str, years: list[Any], values: list[Any], name: str) -> None:
    style = kind_style(kind)
    fig.add_scatter(
        x=years,
        y=values,
        mode="lines+markers",
        name=name,
        line={"color": style["color"], "dash": style["dash"], "width": 2.5},
        marker={"symbol": style["symbol"], "size": 9},
        hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
    )


def _broken(years: list[Any], values: list[Any], eras: list[Any]) -> tuple[list[Any], list[Any]]:
    """The points with an empty one where the era changes, so plotly does not join them."""
    xs: list[Any] = []
    ys: list[Any] = []
    for i, (x, y, e) in enumerate(zip(years, values, eras, strict=True)):
        if i and e != eras[i - 1]:
            xs.append(None)
            ys.append(None)
        xs.append(x)
        ys.append(y)
    return xs, ys


def _break_between(fig: go.Figure, years: list[int], lang: str, break_year: float | None) -> None:
    """The reorganisation, when it falls between the first and the last year shown."""
    if break_year is not None and years and min(years) < break_year <= max(years):
        mark_reorganisation(fig, lang, break_year)


# ---- rankings ------------------------------------------------------------------------------------------


def ranking_bars(
    frame: pl.DataFrame, f: Frame, tier_names: dict[str, str], max_points: float | None = None
) -> go.Figure:
    """Horizontal bars, best at the top. frame: label, score, rank, tier (may be null), score_text."""
    fig = go.Figure()
    order = frame.sort("rank", "label", descending=[True, False])  # plotly draws the first row at the bottom
    order, left = _labelled(order, "label")
    no_tier = t("charts.legend.no_tier", f.lang)
    _bars_by_tier(fig, order, "score", "label", "score_text", lambda tier: tier_names.get(tier or "", no_tier))
    upper = max_points or (max(frame["score"].drop_nulls().to_list() or [100]) * 1.08)
    fig.update_xaxes(range=[0, upper * 1.08])
    row = _row_px(order, "label", 24)
    return layout(fig, f, plot_height=row * frame.height + 10, x_title=points_axis(f.lang), left_px=left)


def tier_distribution(frame: pl.DataFrame, f: Frame, tier_names: dict[str, str]) -> go.Figure:
    """Stacked bars of units per tier. frame: group (x label), tier, units."""
    fig = go.Figure()
    _stacked_tiers(fig, frame.drop_nulls("tier"), "group", lambda tier: tier_names.get(tier or "", tier or ""))
    return layout(fig, f, height=450, y_title=t("charts.axis.units", f.lang))


def movers(frame: pl.DataFrame, f: Frame) -> go.Figure:
    """Score changes, gains and losses. frame: label, change, change_text."""
    order, left = _labelled(frame.sort("change"), "label")
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
    row = _row_px(order, "label", 26)
    return layout(
        fig, f, plot_height=row * frame.height + 10, x_title=t("charts.axis.change", f.lang), legend=False, left_px=left
    )


# ---- lines over the years ------------------------------------------------------------------------------


def _rebuilt_line(
    fig: go.Figure, rebuilt: pl.DataFrame, joined_to: pl.DataFrame, colour: str, name: str, group: str | None = None
) -> None:
    """A rebuilt segment (year, <value>) as its own dashed trace, joined to the first own point after it. With
    a group, it shares the legend entry of that group's own line."""
    value = rebuilt.columns[1]
    after = joined_to.filter(pl.col("year") > rebuilt["year"].max()).sort("year").head(1).select(rebuilt.columns)
    points = pl.concat([rebuilt, after], how="vertical_relaxed").sort("year")
    fig.add_scatter(
        x=points["year"].to_list(),
        y=points[value].to_list(),
        mode="lines+markers",
        name=name,
        line={"color": colour, "dash": REBUILT_DASH, "width": 2},
        marker={"symbol": "circle-open", "size": 9, "color": colour},
        hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        legendgroup=group,
        showlegend=group is None,
    )


def kind_lines(
    frame: pl.DataFrame,
    f: Frame,
    kind_names: dict[str, str],
    break_year: float | None = REORGANISATION_YEAR,
    rebuilt_name: str = "",
) -> go.Figure:
    """One line per kind. frame: kind, year, value, and optionally era (the line breaks where it changes) and
    rebuilt (those years are a separate dashed trace named "<kind> — rebuilt_name"). break_year: where the
    reorganisation's line goes (None: no line)."""
    fig = go.Figure()
    for kind in dict.fromkeys(frame["kind"].to_list()):
        rows = frame.filter(pl.col("kind") == kind).sort("year")
        if "rebuilt" in rows.columns and rows["rebuilt"].any():
            rebuilt = rows.filter(pl.col("rebuilt")).select("year", "value")
            rows = rows.filter(~pl.col("rebuilt"))
            name = f"{kind_names.get(kind, kind)} — {rebuilt_name}"
            _rebuilt_line(fig, rebuilt, rows.select("year", "value"), kind_style(kind)["color"], name)
        years, values = rows["year"].to_list(), rows["value"].to_list()
        if "era" in rows.columns:  # a gap where the units change: the line breaks at the reorganisation
            years, values = _broken(years, values, rows["era"].to_list())
        _kind_line(fig, kind, years, values, kind_names.get(kind, kind))
    _break_between(fig, frame["year"].to_list(), f.lang, break_year)
    _year_axis(fig, frame["year"].to_list())
    return layout(fig, f, height=450, x_title=t("charts.axis.year", f.lang), y_title=points_axis(f.lang))


def official_trend(frame: pl.DataFrame, f: Frame, partial_text: str) -> go.Figure:
    """Published score per year (rank as text). frame: year, score, rank, partial, label."""
    fig = go.Figure()
    for label in dict.fromkeys(frame["label"].to_list()):
        rows = frame.filter(pl.col("label") == label).sort("year")
        # The rank alone over the point (a hollow marker says partial, and the hover says it in words): with
        # the word beside every rank, close points' labels ran into each other and off a phone's chart
        texts = [f"#{r}" if r is not None else "" for r in rows["rank"].to_list()]
        partial = [f" ({partial_text})" if p else "" for p in rows["partial"].to_list()]
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
            customdata=partial,
            hovertemplate="%{x}: %{y:.2f} %{text}%{customdata}<extra>%{fullData.name}</extra>",
        )
    _year_axis(fig, frame["year"].to_list())
    return layout(fig, f, height=450, x_title=t("charts.axis.year", f.lang), y_title=t("charts.axis.percent", f.lang))


def national_standing(frame: pl.DataFrame, f: Frame, names: dict[str, str]) -> go.Figure:
    """A province's score on a national index per year (left axis), its rank (right axis, first at the top)
    and the national average where known; the line breaks at the 2025 reorganisation (63 → 34 provinces),
    which is marked. frame: year, score, rank, units, after_break, national_avg.
    names: score, rank, national_avg (legend), rank_axis."""
    rows = frame.sort("year")
    years = rows["year"].to_list()
    eras = rows["after_break"].to_list()
    fig = go.Figure()
    xs, ys = _broken(years, rows["score"].to_list(), eras)
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="lines+markers",
        name=names["score"],
        line={"color": series_color("score"), "width": 2.5},
        marker={"size": 9},
        hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
    )
    averages = rows.filter(pl.col("national_avg").is_not_null())
    if averages.height:
        xs, ys = _broken(
            averages["year"].to_list(), averages["national_avg"].to_list(), averages["after_break"].to_list()
        )
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines+markers",
            name=names["national_avg"],
            line={"color": series_color("median"), "dash": "dash", "width": 2},
            marker={"symbol": "square", "size": 7},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    ranked = rows.filter(pl.col("rank").is_not_null())
    if ranked.height:
        xs, ys = _broken(ranked["year"].to_list(), ranked["rank"].to_list(), ranked["after_break"].to_list())
        texts = [
            f"{r}/{u}" if r is not None else ""
            for r, u in zip(
                *_broken(ranked["rank"].to_list(), ranked["units"].to_list(), ranked["after_break"].to_list()),
                strict=True,
            )
        ]
        fig.add_scatter(
            x=xs,
            y=ys,
            yaxis="y2",
            mode="lines+markers+text",
            name=names["rank"],
            text=texts,
            textposition="bottom center",
            line={"color": series_color("projection"), "dash": "dot", "width": 1.5},
            marker={"symbol": "diamond", "size": 8},
            hovertemplate="%{x}: %{text}<extra>%{fullData.name}</extra>",
        )
        fig.update_layout(
            yaxis2={
                "title": names["rank_axis"],
                "overlaying": "y",
                "side": "right",
                # First place at the top, as a reader expects of a rank; the whole field shown (1 to 63).
                "range": [max([int(u) for u in ranked["units"].to_list() if u] or [1]) + 0.5, 0.5],
                "tickformat": "d",
                "tick0": 1,
                "dtick": 10,
                "showgrid": False,
            }
        )
    _break_between(fig, years, f.lang, REORGANISATION_YEAR)
    _year_axis(fig, years)
    return layout(fig, f, height=460, x_title=t("charts.axis.year", f.lang), y_title=t("charts.axis.percent", f.lang))


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
            line={"color": series_color("reconstructed"), "dash": REBUILT_DASH},
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
                "color": [tier_colour(x) for x in own["tier"].to_list()],
                "line": {"color": "#000", "width": 1},
            },
            hovertemplate="%{x}: %{y:.2f}<extra>%{text}</extra>",
        )
    mark_reorganisation(fig, f.lang)
    fig.update_xaxes(range=programme_range())
    _year_axis(fig, _PROGRAMME_YEARS)
    return layout(fig, f, height=450, x_title=t("charts.axis.year", f.lang), y_title=points_axis(f.lang))


def components(frame: pl.DataFrame, f: Frame, names: dict[str, str]) -> go.Figure:
    """A unit's component points against the maximum and the median of its kind. frame: component_name,
    points, max_points, median_points."""
    fig = go.Figure()
    # Horizontal, the first area at the top: the areas' long names sit on lines beside their bars (slanted
    # under columns they were cut on a phone)
    rows, left = _labelled(frame.reverse(), "component_name")
    labels = rows["component_name"].to_list()
    fig.add_bar(
        y=labels,
        x=rows["max_points"].to_list(),
        orientation="h",
        name=names["max"],
        marker={"color": series_color("maximum"), "line": {"color": "#777", "width": 1}},
    )
    fig.add_bar(
        y=labels,
        x=rows["points"].to_list(),
        orientation="h",
        name=names["points"],
        marker={"color": series_color("score")},
        text=rows["points_text"].to_list(),
        textposition="outside",
        cliponaxis=False,
    )
    fig.add_scatter(
        y=labels,
        x=rows["median_points"].to_list(),
        mode="markers",
        name=names["median"],
        marker={"symbol": "line-ns-open", "size": 22, "line": {"width": 3, "color": "#000"}},
    )
    fig.update_layout(barmode="overlay", bargap=0.35)
    fig.update_yaxes(categoryorder="array", categoryarray=labels, automargin=False)
    top = max([v for v in rows["max_points"].to_list() if v is not None] or [1])
    fig.update_xaxes(range=[0, top * 1.15])
    row = _row_px(rows, "component_name", 34)
    return layout(fig, f, plot_height=row * rows.height + 10, x_title=points_axis(f.lang), left_px=left)


def heatmap(matrix: pl.DataFrame, labels: Sequence[str], f: Frame) -> go.Figure:
    """Units down, years across. matrix: unit_code + one column per year."""
    years = [c for c in matrix.columns if c != "unit_code"]
    z = [list(row) for row in matrix.select(years).iter_rows()]
    shown = wrap_labels(list(labels))
    row = max(18, 15 * max((x.count("<br>") + 1 for x in shown), default=1) + 2)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[str(y) for y in years],
            y=shown,
            colorscale=heatmap_scale(),
            zmin=min([v for r in z for v in r if v is not None] or [0]),
            zmax=100,
            # A slim bar with its title along it: across the top it took a third of a phone's chart
            colorbar={"title": {"text": points_axis(f.lang), "side": "right"}, "thickness": 12},
            hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>",
            xgap=1,
            ygap=1,
        )
    )
    fig.update_yaxes(autorange="reversed", automargin=False)
    return layout(
        fig,
        f,
        plot_height=row * len(labels) + 20,
        least=360,
        x_title=t("charts.axis.year", f.lang),
        legend=False,
        left_px=labels_px(shown),
    )


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
            mode="lines",  # plotly's default adds markers, in its own colours, on a band of few points
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
    own = frame.filter(~pl.col("reconstructed")).sort("year")
    if rebuilt.height:
        _rebuilt_line(
            fig,
            rebuilt.select("year", "score"),
            own.select("year", "score"),
            series_color("reconstructed"),
            names["reconstructed"],
        )
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
    mark_reorganisation(fig, f.lang)
    fig.update_xaxes(range=programme_range())
    _year_axis(fig, _PROGRAMME_YEARS)
    return layout(fig, f, height=450, x_title=t("charts.axis.year", f.lang), y_title=points_axis(f.lang))


def histories(frame: pl.DataFrame, f: Frame, rebuilt_name: str, y_title: str = "") -> go.Figure:
    """Several units' totals by year: each unit's own years a solid line, its years rebuilt from former units
    a separate dashed trace ("<unit> — rebuilt_name"); with nothing rebuilt the lines stop at the
    reorganisation. frame: label, year, score, reconstructed."""
    fig = go.Figure()
    colours = [style["color"] for style in palette()["kinds"].values()]  # distinct, and apart in grey
    for i, label in enumerate(dict.fromkeys(frame["label"].to_list())):
        rows = frame.filter(pl.col("label") == label).sort("year")
        colour = colours[i % len(colours)]
        own = rows.filter(~pl.col("reconstructed")).select("year", "score")
        rebuilt = rows.filter(pl.col("reconstructed")).select("year", "score")
        if rebuilt.height:
            _rebuilt_line(fig, rebuilt, own, colour, f"{label} — {rebuilt_name}", group=label)
        fig.add_scatter(
            x=own["year"].to_list(),
            y=own["score"].to_list(),
            mode="lines+markers",
            name=label,
            legendgroup=label,
            line={"color": colour, "width": 2.5},
            marker={"size": 9, "color": colour},
            hovertemplate="%{x}: %{y:.2f}<extra>%{fullData.name}</extra>",
        )
    if frame["reconstructed"].any():  # one legend entry says what the dashes are, for every unit
        fig.add_scatter(
            x=[None],
            y=[None],
            mode="lines+markers",
            name=rebuilt_name,
            line={"color": series_color("reconstructed"), "dash": REBUILT_DASH},
            marker={"symbol": "circle-open"},
        )
    mark_reorganisation(fig, f.lang)
    fig.update_xaxes(range=programme_range())
    _year_axis(fig, _PROGRAMME_YEARS)
    legend_rows = 1 + sum(1 for tr in fig.data if tr.showlegend is not False) // 4  # about four entries a row
    return layout(
        fig,
        f,
        height=450 + _LEGEND_ROW_PX * (legend_rows - 1),
        x_title=t("charts.axis.year", f.lang),
        y_title=y_title or points_axis(f.lang),
        legend_rows=legend_rows,
    )


def review_bars(frame: pl.DataFrame, f: Frame, names: dict[str, str]) -> go.Figure:
    """Period mean and latest score per unit, best period rank first. frame: label, period_mean, latest_score,
    mean_text."""
    order, left = _labelled(frame.reverse(), "label")
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
    fig.update_yaxes(categoryorder="array", categoryarray=order["label"].to_list(), automargin=False)
    fig.update_xaxes(range=[0, 108])
    row = _row_px(order, "label", 24)
    return layout(fig, f, plot_height=row * frame.height + 10, x_title=points_axis(f.lang), left_px=left)


def robustness_bars(frame: pl.DataFrame, f: Frame, names: dict[str, str], cuts: Sequence[float]) -> go.Figure:
    """Each candidate's probability of being awarded (%), highest at the top, coloured by whether the list
    shown proposes them; cuts (%) drawn as vertical lines, labelled at the top, the middle one solid.
    frame: label, probability, on_list, text. names: legend entries "on" and "off"."""
    order = frame.reverse()  # plotly draws the first row at the bottom
    fig = go.Figure()
    for on, name, pattern in ((True, names["on"], ""), (False, names["off"], "/")):
        rows = order.filter(pl.col("on_list") == on)
        fig.add_bar(
            x=rows["probability"].to_list(),
            y=rows["label"].to_list(),
            orientation="h",
            name=name,
            marker={"color": series_color("on_list" if on else "off_list"), "pattern": {"shape": pattern}},
            text=rows["text"].to_list(),
            textposition="outside",  # read on the page's white, never on a hatched bar
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    for cut in cuts:
        fig.add_vline(
            x=cut,
            line={"color": series_color("outline"), "width": 1, "dash": "solid" if cut == 50 else "dash"},
            layer="below",  # under the bars and their labels
            annotation={"text": fmt.percent(cut, f.lang), "font": {"size": 10}, "yanchor": "bottom"},
            annotation_position="top",
        )
    fig.update_yaxes(automargin=True, categoryorder="array", categoryarray=order["label"].to_list(), tickangle=0)
    # room past 100 % for the label of a bar that reaches it; the ticks stop at 100
    # three ticks, flat: long names leave a phone's plot little width
    fig.update_xaxes(range=[0, 112], tickvals=[0, 50, 100], ticksuffix="%", tickangle=0)
    return layout(fig, f, plot_height=24 * frame.height + 10, x_title=t("charts.axis.probability", f.lang), least=360)


# ---- the report's charts, at the printed width ---------------------------------------------------------
# Their title holds the unit of measure and the period; the words come from the report's catalog.


def _report_frame(title: str, source: str, lang: str) -> Frame:
    return Frame(title, "", source, lang)


def trend(figures: pl.DataFrame, kinds: list[str], period: str, source: str, lang: str) -> go.Figure:
    """Mean total per year, one line per unit kind. figures: report_key_figures rows (kind, year, mean)."""
    fig = go.Figure()
    for kind in kinds:
        rows = figures.filter(pl.col("kind") == kind).sort("year")
        _kind_line(fig, kind, rows["year"].to_list(), rows["mean"].to_list(), t(f"report.kind.{kind}", lang))
    _break_between(fig, figures["year"].to_list(), lang, REORGANISATION_YEAR)
    _year_axis(fig, figures["year"].to_list())
    f = _report_frame(t("report.chart.trend_title", lang, period=period), source, lang)
    return layout(
        fig,
        f,
        height=560,
        width=WIDTH,
        x_title=t("report.chart.year_axis", lang),
        y_title=t("report.chart.points_axis", lang),
    )


def tiers(counts: pl.DataFrame, kind: str, period: str, source: str, lang: str) -> go.Figure:
    """Units per tier and year, stacked. counts: year, tier, units."""
    fig = go.Figure()
    rows = counts.sort("year").with_columns(pl.col("year").cast(pl.String).alias("group"))
    _stacked_tiers(fig, rows, "group", lambda tier: t(f"report.tier.{tier}", lang) if tier else "–")
    fig.update_xaxes(type="category")
    title = t("report.chart.tiers_title", lang, kind=t(f"report.kind.{kind}", lang), period=period)
    return layout(
        fig,
        _report_frame(title, source, lang),
        height=520,
        width=WIDTH,
        x_title=t("report.chart.year_axis", lang),
        y_title=t("report.chart.units_axis", lang),
    )


def scores(ranked: pl.DataFrame, value: str, kind: str, period: str, source: str, lang: str, mean: bool) -> go.Figure:
    """One horizontal bar per unit, best at the top, in its tier's colour when ranked has a tier column.
    ranked: name, <value>, tier (optional)."""
    rows = ranked.drop_nulls(value).sort(value, descending=False)
    rows = rows.with_columns(pl.Series("value_text", [fmt.number(v, lang, 2) for v in rows[value].to_list()]))
    fig = go.Figure()
    if "tier" in rows.columns:
        no_tier = t("charts.legend.no_tier", lang)
        _bars_by_tier(fig, rows, value, "name", "value_text", lambda x: t(f"report.tier.{x}", lang) if x else no_tier)
    else:
        fig.add_bar(
            x=rows[value].to_list(),
            y=rows["name"].to_list(),
            orientation="h",
            marker={"color": series_color("score")},
            text=rows["value_text"].to_list(),
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    fig.update_yaxes(automargin=True)  # drawn at the printed width, where the names have room on one line
    fig.update_xaxes(range=[0, 105])
    key = "report.chart.mean_title" if mean else "report.chart.scores_title"
    title = t(key, lang, kind=t(f"report.kind.{kind}", lang), period=period)
    return layout(
        fig,
        _report_frame(title, source, lang),
        plot_height=24 * rows.height + 10,
        least=420,
        width=WIDTH,
        x_title=t("report.chart.points_axis", lang),
        legend="tier" in rows.columns,
    )
