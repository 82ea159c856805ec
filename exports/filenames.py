"""File names that say what a download holds and open on every system officers use.

`xep-hang-cac-so_2024_2025-11-03.xlsx`: the view, the year or period, the day it was made. Vietnamese is
folded to ASCII (an attachment named with decomposed or precomposed diacritics is renamed or mangled by
some mail and zip tools), and nothing Windows refuses survives: `<>:"/\\|?*`, control characters,
trailing dots and spaces, and the reserved device names (CON, NUL, COM1…).
"""

from __future__ import annotations

import re
from datetime import date

from core.text import strip_diacritics

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}
# Well under Windows' 255 per name and the 260 per path that old Office versions still enforce.
MAX_STEM = 100


fold = strip_diacritics  # Vietnamese (or any Latin script) without diacritics: 'Xếp hạng Sở' → 'Xep hang So'


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-', safe in a file name on Windows, macOS and Linux."""
    words = _UNSAFE.sub("-", fold(text).lower().replace("_", "-"))
    words = re.sub(r"-{2,}", "-", words).strip("-. ")
    return words


def period_label(period: int | str | tuple[int, int] | None) -> str:
    """2024 → '2024'; (2021, 2025) or '2021–2025' → '2021-2025'; None → ''."""
    if period is None:
        return ""
    if isinstance(period, tuple):
        first, last = period
        return str(first) if first == last else f"{first}-{last}"
    return slug(str(period).replace("–", "-").replace("—", "-"))


def safe_name(stem: str, ext: str) -> str:
    """stem.ext with the stem made safe: never empty, never a reserved device name, never over MAX_STEM."""
    clean = _UNSAFE.sub("-", fold(stem)).strip("-. ")[:MAX_STEM].rstrip("-. ") or "parboard"
    head, dot, tail = clean.partition(".")
    if head.upper() in _RESERVED:  # Windows reserves "NUL" with any extension too: "nul.x.csv"
        clean = f"{head}_{dot}{tail}"
    return f"{clean}.{slug(ext) or 'bin'}"


def export_name(view: str, period: int | str | tuple[int, int] | None, ext: str, on: date | None = None) -> str:
    """The download name for a view: '<view>_<year or period>_<yyyy-mm-dd>.<ext>' (empty parts left out)."""
    made = (on or date.today()).isoformat()
    parts = [slug(view) or "parboard", period_label(period), made]
    return safe_name("_".join(p for p in parts if p), ext)
