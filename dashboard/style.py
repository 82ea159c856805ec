"""The page style every page shares, injected once per run by the router: a tighter top margin (the Overview's
glance must fit above the fold at 1440×900) and a print stylesheet (no sidebar or toolbar, charts at page
width, tables at full height)."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
@media print {
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"],
  [data-testid="stElementToolbar"], [data-testid="stDownloadButton"], .stDownloadButton { display: none !important; }
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stAppViewContainer"] {
    margin: 0 !important; padding: 0 !important; max-width: 100% !important; width: 100% !important;
    overflow: visible !important; height: auto !important; }
  .stPlotlyChart, .js-plotly-plot, .plot-container { width: 100% !important; break-inside: avoid; }
  [data-testid="stDataFrame"], [data-testid="stTable"] { height: auto !important; max-height: none !important;
    overflow: visible !important; break-inside: auto; }
  [data-testid="stVerticalBlockBorderWrapper"] { break-inside: avoid; }
}
</style>
"""


def apply() -> None:
    st.html(_CSS)
