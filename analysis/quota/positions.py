"""Position classes (data/rules/positions.yaml): a person's position → leader | manager | staff | other."""

from __future__ import annotations

from functools import cache

from core import yamlfile
from core.paths import RULES
from core.text import fold

OTHER = "other"


@cache
def classes() -> dict[str, tuple[str, ...]]:
    """Each class with its folded prefixes, longest first (tried in the file's order of classes)."""
    with open(RULES / "positions.yaml", encoding="utf-8") as fh:
        data = yamlfile.load(fh) or {}
    return {
        name: tuple(sorted((fold(p) for p in prefixes), key=len, reverse=True))
        for name, prefixes in (data.get("classes") or {}).items()
    }


def names() -> tuple[str, ...]:
    """The classes in the file's order, then other."""
    return (*classes(), OTHER)


def classify(position: str | None) -> str:
    if not position:
        return OTHER
    text = fold(position)
    for name, prefixes in classes().items():
        if any(text == p or text.startswith(p + " ") for p in prefixes):
            return name
    return OTHER
