"""Message catalogs: every word a user sees comes from locales/<lang>/*.toml (Vietnamese by default).

Each area (problems, cli, dashboard…) has its own file; a key is `<file stem>.<table>.<name>`. `t` is the one
translate function; `Translator` binds an area and a language to it for a page, a command or an export.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
_LOCALES = Path(__file__).parent / "locales"


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every key of the language, all areas merged."""
    merged: dict[str, str] = {}
    for path in sorted((_LOCALES / lang).glob("*.toml")):
        merged.update(_area(lang, path.stem))
    return merged


@cache
def _area(lang: str, stem: str) -> dict[str, str]:
    """One area's file: a command that speaks from one area (`parboard status`) parses one file, not forty."""
    path = _LOCALES / lang / f"{stem}.toml"
    if not stem.isidentifier() or not path.is_file():
        return {}
    with open(path, "rb") as fh:
        return _flatten(tomllib.load(fh), prefix=f"{stem}.")


def _lookup(key: str, lang: str) -> str | None:
    return _area(lang, key.split(".", 1)[0]).get(key)


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def language(lang: str | None) -> str:
    """lang if the catalogs have it, else the default."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def has(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    return _lookup(key, language(lang)) is not None or _lookup(key, DEFAULT_LANGUAGE) is not None


def t(key: str, /, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The text for key in lang; a missing key shows itself rather than failing a page.

    key is positional-only, so a message may itself have a {key} placeholder."""
    lang = language(lang)
    text = _lookup(key, lang) or _lookup(key, DEFAULT_LANGUAGE) or key
    return text.format(**params) if params else text


@dataclass(frozen=True)
class Translator:
    """t bound to a catalog area and a language: `say = Translator("quota", lang); say("title")`."""

    area: str
    lang: str = DEFAULT_LANGUAGE

    def __call__(self, key: str, /, **params: Any) -> str:
        return t(f"{self.area}.{key}" if self.area else key, self.lang, **params)

    def has(self, key: str) -> bool:
        return has(f"{self.area}.{key}" if self.area else key, self.lang)

    def code(self, group: str, value: str | None) -> str:
        """The word for a stored code (`code('kinds', 'department')` → 'Sở, ban, ngành'); an unknown code is
        shown as stored rather than hidden, so new data never breaks a page."""
        if value is None:
            return ""
        return self(f"{group}.{value}") if self.has(f"{group}.{value}") else value

    def area_of(self, area: str) -> Translator:
        """The same language, another area."""
        return Translator(area, self.lang)
