"""What every figure states around its data, placed the same way on screen and in print: the title (with
the year or period), a subtitle, the axis units, the legend, the source line, and the 2025 reorganisation.

Charts end up in reports without the page around them, so all of this is part of the figure. The space
under the plot is laid out in pixels (tick labels, axis title, legend, then the source as the last line),
so the source stays on the figure whatever its height: placed as a share of the plot's height, it fell off
tall charts.

The server does not know how wide the reader's screen is, and Plotly wraps no text by itself: every line
of words a figure draws (title, subtitle, footnote, source) is wrapped to fit a phone's chart (390 px
wide), so it is whole on any screen and in print. Tick labels are never slanted: a year axis is thinned
(Plotly picks fewer years on a narrow chart) and long category names are wrapped onto lines beside
horizontal bars (`wrap_labels`).
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
_TITLE_LINE_PX = 22  # a further line of the title (bold, ~17 px)
_SUBTITLE_LINE_PX = 16
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
# The words a figure writes are wrapped for a phone's chart: 390 px less the page's padding (~358 px) and the
# figure's margins (10 + 20 px). Widths per character are DejaVu Sans's widest common case, so a wrapped line
# is never cut: source and footnote at 10 px (~6.2 px a character), the subtitle at 12 px, the bold title at
# ~17 px.
PHONE_TEXT_PX = 328
SOURCE_WRAP = int(PHONE_TEXT_PX / 6.2)
SUBTITLE_WRAP = int(PHONE_TEXT_PX / 7.5)
TITLE_WRAP = int(PHONE_TEXT_PX / 10.5)
# Category names beside horizontal bars: at most this many characters a line, the room they take being fixed
# (not Plotly's automargin), so the source can start at the figure's left edge under them.
LABEL_WRAP = 22
_LABEL_CHAR_PX = 7.5


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
    left_px: int = 0,
) -> go.Figure:
    """Title, axes, legend and source around fig's data. height: the whole figure's; or plot_height, the
    plot's alone (rows of bars), with the frame added and at least `least`. width: fixed for print (the
    report), else the page's. x_labels_px: room beyond one line that the x tick labels need (slanted).
    legend_rows: the rows a long legend wraps to. left_px: the room the y axis's labels take left of the plot
    (`labels_px`), beyond the figure's own margin."""
    if legend:
        _wrap_legend(fig)
        # Rows for the narrowest screen: a legend wrapping to more rows than reserved ran over the source line
        legend_rows = max(legend_rows, legend_rows_at(fig, PHONE_PLOT_PX))
    # The x axis's title is centred under the plot, which on a phone is the chart less the labels' room
    x_lines = wrap(x_title, max(16, int((PHONE_TEXT_PX - left_px) / _CHAR_PX)))
    x_title = "<br>".join(x_lines)
    axis_px = _TICKS_PX + x_labels_px + (_AXIS_TITLE_PX + _SOURCE_LINE_PX * (len(x_lines) - 1) if x_lines else 0)
    legend_top = axis_px
    source_top = legend_top + (_LEGEND_PX * legend_rows if legend else 0)
    source = wrap(f.source, SOURCE_WRAP) or [""]
    note = wrap(f.note, SOURCE_WRAP)
    bottom = source_top + _SOURCE_PX + _SOURCE_LINE_PX * (len(source) - 1 + len(note))
    heading = wrap(f.title, TITLE_WRAP) or [""]
    subtitle = wrap(f.subtitle, SUBTITLE_WRAP)
    top = TOP_PX + _TITLE_LINE_PX * (len(heading) - 1) + _SUBTITLE_LINE_PX * max(len(subtitle) - 1, 0)
    if height is None:
        height = max(least, top + (plot_height or 300) + bottom)
    else:
        height += top - TOP_PX
    title = f"<b>{'<br>'.join(heading)}</b>"
    if subtitle:
        title += "".join(f"<br><span style='font-size:12px'>{line}</span>" for line in subtitle)
    fig.update_layout(
        # From the top down, so a title wrapped onto more lines grows into the room reserved for it
        title={
            "text": title,
            "x": 0.01,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            "pad": {"t": 14},
        },
        font={"family": CHART_FONT, "size": 12, "color": TEXT_COLOUR},
        separators=",." if f.lang == "vi" else ".,",
        height=height,
        margin={"l": 10 + left_px, "r": 20, "t": top, "b": bottom},
        showlegend=legend,
        # The legend's place is a share of the plot's height; the plot's height is known here. Under the labels
        # of horizontal bars it starts at the figure's left edge, as the source does.
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -legend_top / max(height - top - bottom, 1),
            "x": 0,
            "xref": "container" if left_px else "paper",
        },
        xaxis_title=x_title,
        yaxis_title=y_title,
    )
    # Slanted labels were cut or ran into the axis title on a phone: a crowded axis is thinned instead
    fig.update_xaxes(tickangle=0)
    if left_px:  # the labels have the room measured for them; Plotly's automargin would squeeze the plot
        fig.update_yaxes(automargin=False)
    if width is not None:
        fig.update_layout(width=width)
    if note:
        source_note(fig, "<br>".join(note), below_px=source_top, name=FOOTNOTE_ANNOTATION, left_px=left_px)
    source_note(fig, "<br>".join(source), below_px=source_top + _SOURCE_LINE_PX * len(note), left_px=left_px)
    return fig


def wrap(text: str, width: int) -> list[str]:
    """text in lines of at most width characters, broken between words (a longer word keeps its own line)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)


def wrap_labels(labels: list[str], width: int = LABEL_WRAP) -> list[str]:
    """Category names on lines of at most width characters, joined as Plotly breaks a label ("<br>")."""
    return ["<br>".join(wrap(str(label), width) or [""]) for label in labels]


def labels_px(labels: list[str]) -> int:
    """The room wrapped labels (wrap_labels) take beside the axis: their longest line, and the tick's gap."""
    longest = max((len(line) for label in labels for line in str(label).split("<br>")), default=0)
    return int(longest * _LABEL_CHAR_PX) + 8


# A legend entry's name longer than a phone's row is put on lines of this many characters.
LEGEND_WRAP = int((PHONE_PLOT_PX - _ENTRY_PX) / _CHAR_PX)


def _wrap_legend(fig: go.Figure) -> None:
    for trace in fig.data:
        if trace.name and "<br>" not in str(trace.name) and len(str(trace.name)) > LEGEND_WRAP:
            trace.name = "<br>".join(wrap(str(trace.name), LEGEND_WRAP))


def legend_rows_at(fig: go.Figure, width_px: float) -> int:
    """The rows fig's horizontal legend wraps to in width_px, packing entries in order as plotly does (an entry
    on several lines counts its lines)."""
    rows, used, tallest = 0, width_px, 1
    for trace in fig.data:
        if trace.showlegend is False or not trace.name:
            continue
        lines = str(trace.name).split("<br>")
        entry = _ENTRY_PX + _CHAR_PX * max(len(line) for line in lines)
        if used + entry > width_px:
            rows, used, tallest = rows + tallest, 0.0, 1
        used += entry
        tallest = max(tallest, len(lines))
    return max(rows - 1 + tallest, 1) if rows else 1


def source_note(fig: go.Figure, text: str, *, below_px: int, name: str = SOURCE_ANNOTATION, left_px: int = 0) -> None:
    """The source line (or a footnote), left-aligned, below_px under the plot, left_px left of the plot's edge
    (under the y labels, at the figure's margin)."""
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
        xshift=-left_px,
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
        # On lines short enough for the room right of the line on a phone's chart
        text="<br>".join(wrap(t("charts.break", lang, day=fmt.day(programme.reorganisation(), lang)), 26)),
        showarrow=False,
        xanchor="left",
        yanchor="top",
        font={"size": 10, "color": NOTE_COLOUR},
    )
