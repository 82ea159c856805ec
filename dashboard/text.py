"""Data shown as text, never as Markdown.

Streamlit renders Markdown in st.markdown, st.caption, st.title, alerts, metric and widget labels, tabs and
expanders: a unit, file or scenario name such as `[x](http://evil) ![i](http://evil/i.png)` would become a
link and an image the reader's browser fetches. Every value that comes from data passes through plain()
before it is put into such text; the catalog's own Markdown around it (bold, icons) still renders. Not inside
a `code span`, which Markdown already shows as is (a backslash there would show).
"""

from __future__ import annotations

import re

# Every character CommonMark lets a backslash escape, plus what Streamlit adds: ":" (emoji, :material/…:
# icons and :color[…] directives) and "$" (formulas). "~" strikes through, "|" draws tables.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def plain(value: object) -> str:
    """value as literal text inside Markdown: special characters escaped, line breaks kept as spaces (a
    newline could start a heading or a list), control characters shown as their code."""
    text = str(value)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text.replace("\r\n", " ").replace("\n", " "))
    return _SPECIAL.sub(r"\\\1", text)
