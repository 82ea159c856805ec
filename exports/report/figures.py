"""The report's charts. Each carries, inside the figure, its title with the unit of measure and the year or
period, and its data source as an annotation named "source" (see exports.charts.missing_parts)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.theme import TEMPLATE
from core import fmt
from core.i18n import t
from exports.charts import SOURCE_ANNOTATION, WIDTH

# Tier colours by rank in the tier set (1 = best), print-safe and readable in grey.
TIER_COLOURS = {1: "#1b7837", 2: "#5aae61", 3: "#d9b000", 4: "#e08214", 5: "#b2182b"}
KIND_COLOURS = {"department": "#1f4e79", "district": "#8c564b", "commune": "#2ca02c"}
# Up to this many units a chart shows every unit's bar; beyond, the tier distribution says it better.
MAX_BARS = 40


def _frame(fig: go.Figure, title: str, source: str, height: int) -> go.Figure:
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.01, "xanchor": "left"},
        width=WIDTH,
        height=height,
        margin={"l": 70, "r": 30, "t": 80, "b": 110},
        legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
    )
    fig.add_annotation(
        name=SOURCE_ANNOTATION,
        text=source,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-70,
        showarrow=False,
        font={"size": 11, "color": "#555555"},
        align="left",
    )
    return fig


def trend(figures: pl.DataFrame, kinds: list[str], period: str, source: str, lang: str) -> go.Figure:
    """Mean total per year, one line per unit kind. figures: report_key_figures rows."""
    fig = go.Figure()
    for kind in kinds:
        rows = figures.filter(pl.col("kind") == kind).sort("year")
        fig.add_trace(
            go.Scatter(
                x=rows["year"].to_list(),
                y=rows["mean"].to_list(),
                mode="lines+markers",
                name=t(f"report.kind.{kind}", lang),
                hovertemplate="%{x}: %{y:.2f}<extra></extra>",
                line={"color": KIND_COLOURS.get(kind), "width": 3},
            )
        )
    fig.update_xaxes(dtick=1, title=t("report.chart.year_axis", lang))
    fig.update_yaxes(title=t("report.chart.points_axis", lang))
    return _frame(fig, t("report.chart.trend_title", lang, period=period), source, 560)


def tiers(counts: pl.DataFrame, kind: str, period: str, source: str, lang: str) -> go.Figure:
    """Units per tier and year, stacked. counts: year, tier, tier_rank, units."""
    fig = go.Figure()
    for (rank, tier), rows in sorted(counts.group_by(["tier_rank", "tier"]), key=lambda g: (g[0][0] or 9, g[0][1])):
        rows = rows.sort("year")
        fig.add_trace(
            go.Bar(
                x=[str(y) for y in rows["year"].to_list()],
                y=rows["units"].to_list(),
                name=t(f"report.tier.{tier}", lang) if tier else "–",
                marker_color=TIER_COLOURS.get(rank or 0, "#999999"),
                text=rows["units"].to_list(),
                textposition="inside",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category", title=t("report.chart.year_axis", lang))
    fig.update_yaxes(title=t("report.chart.units_axis", lang))
    title = t("report.chart.tiers_title", lang, kind=t(f"report.kind.{kind}", lang), period=period)
    return _frame(fig, title, source, 520)


def scores(ranked: pl.DataFrame, value: str, kind: str, period: str, source: str, lang: str, mean: bool) -> go.Figure:
    """One horizontal bar per unit, best at the top. ranked: name, <value>, tier_rank (optional)."""
    rows = ranked.drop_nulls(value).sort(value, descending=False)
    colours: list[str] | str = "#1f4e79"
    if "tier_rank" in rows.columns:
        colours = [TIER_COLOURS.get(r or 0, "#1f4e79") for r in rows["tier_rank"].to_list()]
    fig = go.Figure(
        go.Bar(
            x=rows[value].to_list(),
            y=rows["name"].to_list(),
            orientation="h",
            marker_color=colours,
            text=[fmt.number(v, lang, 2) for v in rows[value].to_list()],
            textposition="outside",
        )
    )
    fig.update_xaxes(title=t("report.chart.points_axis", lang), range=[0, 105])
    fig.update_yaxes(automargin=True)
    key = "report.chart.mean_title" if mean else "report.chart.scores_title"
    title = t(key, lang, kind=t(f"report.kind.{kind}", lang), period=period)
    return _frame(fig, title, source, max(420, 190 + 24 * rows.height))
