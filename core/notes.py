"""The compilers' notes in data/reference, in the reader's language: the files write them mostly in English,
and a page must not show a language other than its own (data/source_notes.yaml holds each note's Vietnamese
and English wording).

A note that is not listed there comes from a reader's own file and cannot be translated ahead. It is shown
in its own words, never hidden: on a page in the note's own language as it is; otherwise quoted, labelled
as the source's note and not translated (a Vietnamese note is told by its Vietnamese letters)."""

from __future__ import annotations

import re
from functools import cache

from core import yamlfile
from core.i18n import t
from core.paths import DATA
from core.text import nfc

NOTES = DATA / "source_notes.yaml"

# Letters only Vietnamese writes (with its tone marks): a note holding one is in Vietnamese.
_VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)
# A label in capitals opening a note ("CONFLICT: ", "MÂU THUẪN: "): dropped where the page already says it.
_LABEL = re.compile(r"^[A-ZÀ-Ỹ][A-ZÀ-Ỹ ]{3,}:\s*")


@cache
def wordings() -> dict[str, dict[str, str]]:
    """{note as the files write it: {language: wording}}."""
    with open(NOTES, encoding="utf-8") as fh:
        table = yamlfile.load(fh) or {}
    return {nfc(str(k)).strip(): {lang: nfc(str(v)) for lang, v in (w or {}).items()} for k, w in table.items()}


def written_in(note: str) -> str:
    """The language a note not listed is taken to be in: "vi" when it has Vietnamese letters, else "en"."""
    return "vi" if _VIETNAMESE.search(note) else "en"


def source_note(note: str | None, lang: str, *, conflict_said: bool = False) -> str:
    """The note as the reader's language says it. conflict_said: the page already says the sources disagree
    next to it, so the note's own opening label ("MÂU THUẪN:") is not said a second time."""
    if not note:
        return ""
    text = nfc(note).strip()
    known = wordings().get(text, {}).get(lang)
    if known is None and written_in(text) != lang:
        return t("checks.source_note.verbatim", lang, note=text)
    said = known or text
    if conflict_said:
        said = _LABEL.sub("", said, count=1)
        said = said[:1].upper() + said[1:]
    return said
