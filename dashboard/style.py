"""The page style every page shares, injected once per run by the router: a tighter top margin (the Overview's
glance must fit above the fold at 1440×900), the language switch's codes in capitals, Streamlit's own widget
words in the reader's language (widget_words) and a print stylesheet.

One sheet holds all of it, written in the page's main column, hidden. Style-only HTML would go to Streamlit's
event container, which a browser on a busy machine was seen to drop whole after a run: the page then showed
Streamlit's English "Fullscreen" and its tables' copies for paper (tests/browser/test_screen_words_browser.py,
test_print_browser.py). The main column is drawn again by every run.

Printed (the browser's Print, or Save as PDF), a page is A4 landscape: the sidebar, Streamlit's header and toolbar,
the download menus and the status widget are left out; the page's content is as wide as the paper, so the charts,
which Streamlit draws to their container's width, are drawn again at the paper's width; and each scrolling grid
gives way to its plain copy with every row (components._on_paper), since a grid draws on a canvas only the rows in
its view.
"""

from __future__ import annotations

import streamlit as st

from dashboard import widget_words

# The key prefix of a grid's plain copy for paper (st.container(key=…) gives its element the class st-key-<key>).
PRINT_TABLE = "print-table-"
# A4 landscape less the margins: the printable width, which the page's content takes on paper.
PAPER_WIDTH = "277mm"
PAPER_MARGIN = "10mm"
# The class of the empty mark that keeps the sheet in the main column, and lets the sheet hide its own container
_MARK = "parboard-page-style"
# The language switch's key (dashboard.context): its options are the codes, drawn upper case (VI | EN)
LANG_SWITCH = "lang-switch"

_CSS = f"""
<style>
[data-testid="stMainBlockContainer"] {{ padding-top: 2.5rem; }}
[data-testid="stElementContainer"]:has(.{_MARK}) {{ display: none !important; }}
.st-key-{LANG_SWITCH} button p {{ text-transform: uppercase; }}
[class*="st-key-{PRINT_TABLE}"] {{ display: none !important; }}
@page {{ size: A4 landscape; margin: {PAPER_MARGIN}; }}
@media print {{
  [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"], [data-testid="stPopover"],
  [data-testid="stElementToolbar"], [data-testid="stDownloadButton"], .stDownloadButton,
  [data-testid="stDataFrame"], [data-testid="stDataFrameResizable"] {{ display: none !important; }}
  [class*="st-key-{PRINT_TABLE}"] {{ display: block !important; }}
  html, body, .stApp, [data-testid="stApp"], [data-testid="stAppViewContainer"], [data-testid="stMain"] {{
    height: auto !important; min-height: 0 !important; overflow: visible !important; position: static !important; }}
  [data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stAppViewContainer"] {{
    margin: 0 !important; padding: 0 !important; max-width: {PAPER_WIDTH} !important; width: 100% !important; }}
  .stPlotlyChart, [data-testid="stPlotlyChart"] {{ max-width: 100% !important; break-inside: avoid; }}
  [data-testid="stTable"], [data-testid="stTable"] table {{ height: auto !important; max-height: none !important;
    overflow: visible !important; break-inside: auto; width: 100% !important; }}
  [data-testid="stTable"] thead {{ display: table-header-group; }}
  [data-testid="stTable"] tr {{ break-inside: avoid; }}
  [data-testid="stMetric"], [data-testid="stAlert"] {{ break-inside: avoid; }}
}}
</style>
"""


def sheet(lang: str) -> str:
    return _CSS + widget_words.css(lang)


def apply(lang: str) -> None:
    # The mark makes the HTML more than style, so Streamlit keeps it in the main column
    st.html(f'<span class="{_MARK}"></span>{sheet(lang)}')
