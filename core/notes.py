"""The compilers' notes in data/reference, in the reader's language: the files write them in English, and a
Vietnamese page must not show English (data/source_notes.yaml holds each note's Vietnamese wording)."""

from __future__ import annotations

from functools import cache

import yaml

from core.i18n import t
from core.paths import DATA
from core.text import nfc

NOTES = DATA / "source_notes.yaml"


@cache
def _vietnamese() -> dict[str, str]:
    with open(NOTES, encoding="utf-8") as fh:
        table = yaml.safe_load(fh) or {}
    return {nfc(str(k)).strip(): nfc(str(v)) for k, v in table.items()}


def source_note(note: str | None, lang: str) -> str:
    """The note as the reader's language says it; on a Vietnamese page a note nobody has translated yet is
    said to exist (its file and row show where to read it), not quoted in English."""
    if not note:
        return ""
    if lang != "vi":
        return note
    return _vietnamese().get(nfc(note).strip()) or t("checks.source_note.untranslated", lang)
