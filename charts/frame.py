"""What every figure states around its data, placed the same way on screen and in print: the title (with
the year or period), a subtitle, the axis units, the legend, the source line, and the 2025 reorganisation.

Charts end up in reports without the page around them, so all of this is part of the figure. The space
under the plot is laid out in pixels (tick labels, axis title, legend, then the source as the last line),
so the source stays on the figure whatever its height: placed as a share of the plot's height, it fell off
tall charts.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from charts.theme import CHART_FONT, NOTE_COLOUR, TEXT_COLOUR
from core import fmt, programme
from core.i18n import t

# A figure marks its data-source note with an annotation of this name (exports.charts.missing_parts looks
# for it before a chart leaves parboard).
SOURCE_ANNOTATION = "source"
# A figure's footnote (how a rebuilt series was made), the line above the source.
FOOTNOTE_ANNOTATION = "footnote"

TOP_PX = 80  # title and subtitle
_TICKS_PX = 24  # tick labels under the x axis
_AXIS_TITLE_PX = 26
_LEGEND_PX = 30  # one row of a horizontal legend (Plotly draws 29 px and pads the box)
_SOURCE_PX = 28
_SOURCE_LINE_PX = 16
# A phone's chart: 390 px less the page's padding and the figure's margins; a legend entry is its symbol and
# gap (~40 px) and its text (~7.5 px a character at 12 px in DejaVu Sans, which is wide).
PHONE_PLOT_PX = 330
_ENTRY_PX = 40
_CHAR_PX = 7.5
# A long source is wrapped so that it fits a chart in the page's narrower column (~6 px a character at 10 px).
SOURCE_WRAP = 100


@dataclass(frozen=True)
class Frame:
    """What every figure states around its data: title, subtitle (year or period), source, language."""

    title: str
    subtitle: str
    source: str
    lang: str
    note: str = ""  # a footnote above the source: the rule a dashed, rebuilt series follows


def layout(
    fig: go.Figure,
    f: Frame,
    *,
    height: int | None = None,
    plot_height: int | None = None,
    least: int = 320,
    width: int | None = None,
    x_title: str = "",
    y_title: str = "",
    legend: bool = True,
    legend_rows: int = 1,
    x_labels_px: int = 0,
) -> go.Figure:
    """Title, axes, legend and source around fig's data. height: the whole figure's; or plot_height, the
    plot's alone (rows of bars), with the frame added and at least `least`. width: fixed for print (the
    report), else the page's. x_labels_px: room beyond one line that the x tick labels need (slanted).
    legend_rows: the rows a long legend wraps to."""
    if legend:
        # Rows for the narrowest screen: a legend wrapping to more rows than reserved ran over the source line
        legend_rows = max(legend_rows, legend_rows_at(fig, PHONE_PLOT_PX))
    axis_px = _TICKS_PX + x_labels_px + (_AXIS_TITLE_PX if x_title else 0)
    legend_top = axis_px
    source_top = legend_top + (_LEGEND_PX * legend_rows if legend else 0)
    source = textwrap.wrap(f.source, SOURCE_WRAP) or [""]
    note = textwrap.wrap(f.note, SOURCE_WRAP)
    bottom = source_top + _SOURCE_PX + _SOURCE_LINE_PX * (len(source) - 1 + len(note))
    if height is None:
        height = max(least, TOP_PX + (plot_height or 300) + bottom)
    title = f"<b>{f.title}</b>"
    if f.subtitle:
        title += f"<br><span style='font-size:12px'>{f.subtitle}</span>"
    fig.update_layout(
        title={"text": title, "x": 0.01, "xanchor": "left"},
        font={"family": CHART_FONT, "size": 12, "color": TEXT_COLOUR},
        separators=",." if f.lang == "vi" else ".,",
        height=height,
        margin={"l": 10, "r": 20, "t": TOP_PX, "b": bottom},
        showlegend=legend,
        # The legend's place is a share of the plot's height; the plot's height is known here.
        legend={"orientation": "h", "yanchor": "top", "y": -legend_top / max(height - TOP_PX - bottom, 1), "x": 0},
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    if width is not None:
        fig.update_layout(width=width)
    if note:
        source_note(fig, "<br>".join(note), below_px=source_top, name=FOOTNOTE_ANNOTATION)
    source_note(fig, "<br>".join(source), below_px=source_top + _SOURCE_LINE_PX * len(note))
    return fig


def legend_rows_at(fig: go.Figure, width_px: float) -> int:
    """The rows fig's horizontal legend wraps to in width_px, packing entries in order as plotly does."""
    rows, used = 0, width_px
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        entry = _ENTRY_PX + _CHAR_PX * len(str(trace.name))
        if used + entry > width_px:
            rows, used = rows + 1, 0.0
        used += entry
    return max(rows, 1)


def source_note(fig: go.Figure, text: str, *, below_px: int, name: str = SOURCE_ANNOTATION) -> None:
    """The source line (or a footnote), left-aligned, below_px under the plot."""
    fig.add_annotation(
        name=name,
        text=text,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-below_px,
        showarrow=False,
        align="left",
        font={"size": 10, "color": NOTE_COLOUR},
    )


def reorganisation_year() -> int:
    return programme.reorganisation_year()


def programme_range() -> list[float]:
    """The x range of a chart over the whole programme (2021–2030), half a year either side."""
    return [programme.first_year() - 0.5, programme.last_year() + 0.5]


def mark_reorganisation(fig: go.Figure, lang: str, year: float | None = None) -> None:
    """The visible break between the old units and the new ones (1 July 2025), before that year's results."""
    x = (reorganisation_year() if year is None else year) - 0.5
    fig.add_vline(x=x, line={"color": NOTE_COLOUR, "dash": "dot", "width": 1.5})
    fig.add_annotation(
        x=x,
        y=1,
        yref="paper",
        text=t("charts.break", lang, day=fmt.day(programme.reorganisation(), lang)),
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 10, "color": NOTE_COLOUR},
    )
