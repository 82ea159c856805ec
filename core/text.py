"""Text normalisation for matching names and headers typed by people.

NFC first (cp1258 files decode to decomposed Vietnamese), then case, spacing and punctuation;
`fold` also drops diacritics so "Ha Tinh" matches "Hà Tĩnh".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A load keys the same unit names and headers file after file: each text is normalised once (pure functions
# of their argument; the bound keeps a national register and its headers, a few MB).
_CACHED = 2**18
_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w&/%.\- ]+")


@lru_cache(maxsize=_CACHED)
def nfc(text: str) -> str:
    """NFC with whitespace collapsed: the form every stored name takes."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@lru_cache(maxsize=_CACHED)
def lower_key(text: str) -> str:
    """NFC, lower case, punctuation reduced: keeps diacritics."""
    text = nfc(text).lower()
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=_CACHED)
def strip_diacritics(text: str) -> str:
    """Diacritics dropped, case and spacing kept: 'Xếp hạng Sở' → 'Xep hang So'."""
    # đ/Đ are letters of their own, not a base letter with a mark; NFKD also splits compatibility forms
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


@lru_cache(maxsize=_CACHED)
def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: for headers and diacritic-free names."""
    return strip_diacritics(lower_key(text))


# Every character CommonMark lets a backslash escape, plus what Streamlit's Markdown adds: ":" (emoji,
# :material/…: icons, :color[…] directives, and the "http:" that would start an autolink) and "$" (formulas).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_AUTOLINK = re.compile(r"://|(?<![\w.])www(?=\.)|@(?=[-\w])", re.IGNORECASE)
_JOINER = "\u2060"


def markdown_literal(value: object) -> str:
    """value as literal text inside Markdown (a unit named `[x](http://evil)` shows as typed, never as a link
    or an image the reader's browser fetches): special characters escaped, line breaks made spaces (a newline
    could start a heading or a list), control characters shown as their code. Not for inside a code span,
    which shows text as is already (a backslash there would show)."""
    text = str(value).replace("\r\n", " ").replace("\n", " ")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    # GitHub's autolinks are found in the text after escapes are read, so "http\://evil" still became a link:
    # an invisible word joiner after "://", "www" and "@" keeps a web or mail address from looking like one.
    text = _AUTOLINK.sub(lambda m: m.group() + _JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
