"""Message catalogs: every word a user sees comes from locales/<lang>/*.toml (Vietnamese by default).

Each area (problems, cli, dashboard…) has its own file; a key is `<file stem>.<table>.<name>`.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_LOCALES = Path(__file__).parent / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.toml")):
        with open(path, "rb") as fh:
            merged.update(_flatten(tomllib.load(fh), prefix=f"{path.stem}."))
    return merged


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def t(key: str, /, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for key in lang; a missing key shows itself rather than failing a page.

    key is positional-only, so a message may itself have a {key} placeholder."""
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = catalog(lang).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**params) if params else text
