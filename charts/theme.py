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
TEXT_COLOUR = "#222222"
NOTE_COLOUR = "#555555"
TEMPLATE = "parboard"

# The printed size: A4 body width in Word is ~16 cm; 1200 px drawn at 2× gives 2400 px, 380 dpi at that width.
# The report's figures are built at this width; a screen figure (no width of its own) is exported at it.
WIDTH = 1200
HEIGHT = 675

# Print-friendly: white paper, dark text, light grid. Built on plotly_white so colours stay familiar.
_template = go.layout.Template(pio.templates["plotly_white"])
_template.layout.font = {"family": CHART_FONT, "color": TEXT_COLOUR, "size": 12}
_template.layout.paper_bgcolor = "white"
_template.layout.plot_bgcolor = "white"
pio.templates[TEMPLATE] = _template
# The default rather than `template=TEMPLATE` on each figure: naming the template per figure re-validates the
# whole template every time (~8 ms a figure, most of a figure's build); the default is applied as a reference.
pio.templates.default = TEMPLATE


def themed(fig: go.Figure) -> go.Figure:
    """A copy of fig in the chart font, applied on screen and at export alike so both match.

    The figure's own template, colours and content (title, notes, source) are kept: builders choose their
    look; this only makes sure every text can show Vietnamese.
    """
    out = go.Figure(fig)
    out.update_layout(font_family=CHART_FONT)
    if out.layout.title.font.family:  # a builder's own title font must not drop the Vietnamese glyphs
        out.update_layout(title_font_family=CHART_FONT)
    return out
