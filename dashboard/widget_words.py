"""Streamlit's own widget texts in the reader's language, where no parameter sets them.

The file uploader writes "Upload" and "50MB per file • …" and a text field "Press Enter to apply" in English
whatever the page's language. The app's stylesheet hides those words (font-size 0) and draws the catalog's
(dashboard.widgets.*) in their place with ::after, the one way Streamlit 1.67 leaves open. Multiselects take a
placeholder instead: `choose_placeholder`.

The toolbar over a table or chart (show/hide columns, download as CSV, search, full screen) names its buttons
in a tooltip drawn apart from the button, in English. The tooltip open is the one whose hover target carries
`aria-describedby` (Streamlit sets it for as long as the tooltip shows, its closing delay included) or, before
that, the button under the pointer or focused: `:has()` finds that button by Streamlit's own label and the
tooltip draws the catalog's words instead. The buttons' aria-labels stay Streamlit's (no stylesheet can change
an attribute)."""

from __future__ import annotations

import json

import streamlit as st

from core.i18n import Translator, catalog

# Streamlit's test ids for the texts replaced; a Streamlit upgrade that renames one fails
# tests/browser/test_widget_words_browser.py, which reads what Chromium draws.
UPLOAD_BUTTON = "[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"
UPLOAD_LIMIT = "[data-testid='stFileUploaderDropzoneInstructions'] span"
INPUT_HINT = "[data-testid='InputInstructions']"
TOOLTIP = "[data-testid='stTooltipContent'] [data-testid='stMarkdownContainer'] p"
# Streamlit's labels of its toolbar buttons → the catalog's words (dashboard.widgets.<key>)
TOOLBAR = {
    "Show/hide columns": "table_columns",
    "Download as CSV": "table_download",
    "Search": "table_search",
    "Fullscreen": "fullscreen",
    "Close fullscreen": "fullscreen_close",
}


# The button Streamlit adds to every Plotly chart's modebar, whose tooltip Plotly draws from data-title with
# ::after (Plotly's locale does not reach it: it is not one of Plotly's own buttons)
MODEBAR = {"Fullscreen": "fullscreen", "Exit fullscreen": "fullscreen_close", "Close fullscreen": "fullscreen_close"}


def modebar_tooltip(label: str) -> str:
    return f".js-plotly-plot .plotly .modebar-btn[data-title={_css_string(label)}]::after"


def toolbar_tooltip(label: str) -> str:
    """The selector of the tooltip text shown for the toolbar button Streamlit labels `label`."""
    button = f"[data-testid='stBaseButton-elementToolbar'][aria-label={_css_string(label)}]"
    # The pointer may already have left the button while its tooltip closes: the open target still says so
    shown = f"[data-testid='stTooltipHoverTarget'][aria-describedby] {button}"
    return f"body:has(:is({shown}, {button}:is(:hover, :focus-visible))) {TOOLTIP}"


def _css_string(text: str) -> str:
    # A JSON string is a valid CSS string once "<" cannot close the <style> element
    return json.dumps(text, ensure_ascii=False).replace("<", "\\3c ")


def css(lang: str) -> str:
    say = Translator("dashboard.widgets", lang)
    limit = int(st.get_option("server.maxUploadSize"))
    rules = []
    for selector, text in (
        (UPLOAD_BUTTON, say("upload")),
        (UPLOAD_LIMIT, say("upload_limit", limit=limit)),
        (INPUT_HINT, say("press_enter")),
        *((toolbar_tooltip(label), say(key)) for label, key in TOOLBAR.items()),
    ):
        rules.append(f"{selector} {{ font-size: 0 !important; }}")
        rules.append(f"{selector}::after {{ content: {_css_string(text)}; font-size: 0.875rem; }}")
    for label, key in MODEBAR.items():
        rules.append(f"{modebar_tooltip(label)} {{ content: {_css_string(say(key))} !important; }}")
    return "<style>\n" + "\n".join(rules) + "\n</style>"


def choose_placeholder(lang: str) -> str:
    """A multiselect's empty-box text (Streamlit's default is "Choose options")."""
    return Translator("dashboard.widgets", lang)("choose")


_MODEBAR = "dashboard.plotly_modebar."


def plotly_locale(lang: str) -> dict[str, object]:
    """Plotly's browser config naming the modebar's buttons in the reader's language: plotly.js looks each of its
    English texts up in the locale's dictionary (dashboard.plotly_modebar, keyed by those texts)."""
    words = {k.removeprefix(_MODEBAR): v for k, v in catalog(lang).items() if k.startswith(_MODEBAR)}
    if not words:
        return {}
    return {"locale": lang, "locales": {lang: {"dictionary": words}}}
