"""Text normalisation for matching names and headers typed by people.

NFC first (cp1258 files decode to decomposed Vietnamese), then case, spacing and punctuation;
`fold` also drops diacritics so "Ha Tinh" matches "Hà Tĩnh".
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w&/%.\- ]+")


def nfc(text: str) -> str:
    """NFC with whitespace collapsed: the form every stored name takes."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def lower_key(text: str) -> str:
    """NFC, lower case, punctuation reduced: keeps diacritics."""
    text = nfc(text).lower()
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def strip_diacritics(text: str) -> str:
    """Diacritics dropped, case and spacing kept: 'Xếp hạng Sở' → 'Xep hang So'."""
    # đ/Đ are letters of their own, not a base letter with a mark; NFKD also splits compatibility forms
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if unicodedata.category(c) != "Mn"))


def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: for headers and diacritic-free names."""
    return strip_diacritics(lower_key(text))
