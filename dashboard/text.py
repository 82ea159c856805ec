"""Data shown as text, never as Markdown.

Streamlit renders Markdown in st.markdown, st.caption, st.title, alerts, metric and widget labels, tabs and
expanders: a unit, file or scenario name such as `[x](http://evil) ![i](http://evil/i.png)` would become a
link and an image the reader's browser fetches. Every value that comes from data passes through plain()
before it is put into such text; the catalog's own Markdown around it (bold, icons) still renders. Not inside
a `code span`, which Markdown already shows as is (a backslash there would show).
"""

from __future__ import annotations

from core.text import markdown_literal as plain

__all__ = ["plain"]
