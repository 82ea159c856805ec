"""The one look every parboard chart has, on screen and in exported files.

The font is set by name so the server's Chromium (which renders exports) and the reader's browser pick a
font with Vietnamese glyphs: DejaVu Sans is installed with the server's Chromium (fonts-dejavu-core, see
parboard.sh) and covers every Vietnamese letter; a reader without it falls back to Arial or the system
sans-serif, which do too. Nothing is fetched: no web font.
"""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

CHART_FONT = "DejaVu Sans, Arial, sans-serif"
TEMPLATE = "parboard"

# Print-friendly: white paper, dark text, light grid. Built on plotly_white so colours stay familiar.
_template = go.layout.Template(pio.templates["plotly_white"])
_template.layout.font = {"family": CHART_FONT, "color": "#1f2933", "size": 13}
_template.layout.paper_bgcolor = "white"
_template.layout.plot_bgcolor = "white"
pio.templates[TEMPLATE] = _template


def themed(fig: go.Figure) -> go.Figure:
    """A copy of fig in the chart font, applied on screen and at export alike so both match.

    The figure's own template, colours and content (title, notes, source) are kept: builders choose their
    look (TEMPLATE is there for them); this only makes sure every text can show Vietnamese.
    """
    out = go.Figure(fig)
    out.update_layout(font_family=CHART_FONT)
    if out.layout.title.font.family:  # a builder's own title font must not drop the Vietnamese glyphs
        out.update_layout(title_font_family=CHART_FONT)
    return out
