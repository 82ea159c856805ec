"""The Map page's chart: shown like every chart (dashboard/components.show_chart, same config and download menu)
but listening for a click, which hands back the unit code the clicked point carries."""

from __future__ import annotations

from typing import Any

import streamlit as st

from charts.theme import CHART_FONT, themed
from dashboard import downloads
from dashboard.components import chart_config


def show_map(fig: Any, view: str) -> str | None:
    """Draw the map; the unit code of the point the reader clicked, if any."""
    shown = fig if fig.layout.font.family == CHART_FONT else themed(fig)
    key = f"chart-{view}"
    event: Any = st.plotly_chart(
        shown, theme=None, config=chart_config(view), key=key, on_select="rerun", selection_mode="points"
    )
    downloads.chart_menu(fig, view, key=key)
    try:
        points = list(event["selection"]["points"])
    except (KeyError, TypeError):
        points = []
    for point in points:
        code = point.get("customdata")
        if isinstance(code, list):
            code = code[0] if code else None
        if isinstance(code, str):
            return code
    return None
