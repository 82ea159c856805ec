"""The words people write in cells and the codes parboard stores (data/vocab.yaml), loaded once.

Unit kinds, tiers, relations, index codes, sanction levels… are vocabulary, not constants in code."""

from __future__ import annotations

from functools import cache
from typing import Any

from core import indices, yamlfile
from core.paths import DATA
from core.text import fold

VOCAB_FILE = DATA / "vocab.yaml"


@cache
def raw() -> dict[str, Any]:
    """The file as written: {name: {code: [spellings]}} (and a few lists)."""
    with open(VOCAB_FILE, encoding="utf-8") as fh:
        return yamlfile.load(fh)


def codes(name: str) -> tuple[str, ...]:
    """The codes of one vocabulary in the file's order, e.g. codes('tier') → ('xuat_sac', 'tot', …)."""
    return tuple(raw()[name])


@cache
def vocabulary() -> dict[str, dict[str, str]]:
    """vocabulary()[name][folded spelling] -> code. Index codes also take the national indices registry's
    spellings, so that a new index is a data file only."""
    out = {
        name: {fold(s): code for code, spellings in body.items() for s in spellings}
        for name, body in raw().items()
        if isinstance(body, dict)
    }
    out.setdefault("index_code", {})
    for spelling, code in indices.spellings().items():
        out["index_code"].setdefault(spelling, code)
    return out


@cache
def subkind_spellings() -> dict[str, str]:
    """folded spelling -> the subkind stored (the spelling itself, NFC) for unit kinds."""
    return {fold(s): s for spellings in raw()["unit_kind"].values() for s in spellings}
