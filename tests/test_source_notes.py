"""The compilers' notes in the shipped reference files, as a reader sees them: every note the files carry has
its Vietnamese and English wording, a note from a reader's own file is shown in its own words and labelled,
and a dispute the page already states is not stated twice."""

from __future__ import annotations

import polars as pl
import pytest

from checks.findings import Finding
from core import notes
from core.i18n import t
from core.paths import DATA
from core.text import nfc
from services import rankings

HAI_PHONG_2023 = "CONFLICT: S8 says 91.81. 2024 article (96.17, +4.30) implies 91.87"


def _shipped_notes() -> set[str]:
    found: set[str] = set()
    for path in sorted((DATA / "reference").glob("*.csv")):
        frame = pl.read_csv(path, infer_schema=False)
        if "note" in frame.columns:
            found |= {nfc(n).strip() for n in frame["note"].drop_nulls().to_list() if n.strip()}
    return found


def test_the_reference_files_carry_notes() -> None:
    assert len(_shipped_notes()) > 100


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_shipped_note_has_a_wording_in_each_language(lang: str) -> None:
    wordings = notes.wordings()
    missing = sorted(n for n in _shipped_notes() if not wordings.get(n, {}).get(lang, "").strip())
    assert missing == [], f"add to data/source_notes.yaml ({lang}): {missing[:5]}"


def test_a_vietnamese_wording_is_vietnamese_not_the_english_copied() -> None:
    wordings = notes.wordings()
    for note in _shipped_notes():
        vi = wordings[note]["vi"]
        assert notes.written_in(vi) == "vi" and vi != note, (note, vi)
        assert notes.source_note(note, "vi") == vi


def test_a_readers_own_note_is_shown_in_its_words_and_labelled() -> None:
    english, vietnamese = "checked by phone with the district office", "đã gọi điện xác minh với huyện"
    said = notes.source_note(english, "vi")
    assert f"«{english}»" in said and said != english  # quoted, with a label saying it is not translated
    assert notes.source_note(english, "en") == english
    assert notes.source_note(vietnamese, "vi") == vietnamese
    said = notes.source_note(vietnamese, "en")
    assert f"“{vietnamese}”" in said and said != vietnamese


def _official_row(note: str, conflict: bool) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "rank": [2],
            "published_name": ["Hải Phòng"],
            "score": [91.87],
            "grp": ["A"],
            "delta": [None],
            "note": [note],
            "file_name": ["par_index_published_facts.csv"],
            "source_row": [18],
            "conflict": [conflict],
            "other_scores": [[91.81]],
            "other_ranks": [[]],
            "order_conflict": [False],
        },
        schema_overrides={"delta": pl.Float64, "other_ranks": pl.List(pl.Int32)},
    )


@pytest.mark.parametrize(("lang", "marker"), [("vi", "MÂU THUẪN"), ("en", "CONFLICT")])
def test_a_disputed_official_row_says_the_dispute_once(lang: str, marker: str) -> None:
    row = rankings.official_table(_official_row(HAI_PHONG_2023, conflict=True), lang).frame.row(0)
    text = " | ".join(str(v) for v in row)
    assert "91,81" in text or "91.81" in text  # the other source's figure is still given
    assert marker not in text, text  # the flag column says the sources disagree; the note does not repeat it
    # Without the flag, the note's own marker is the only place the dispute is said: it stays
    row = rankings.official_table(_official_row(HAI_PHONG_2023, conflict=False), lang).frame.row(0)
    assert sum(str(v).count(marker) for v in row) == 1


@pytest.mark.parametrize(("lang", "word"), [("vi", "mâu thuẫn"), ("en", "dispute")])
def test_the_disputed_note_finding_says_the_dispute_once(lang: str, word: str) -> None:
    finding = Finding(
        code="dq_official_disputed_note",
        severity="warning",
        params={"note": HAI_PHONG_2023},
        year=2023,
    )
    text = t(f"problems.{finding.code}", lang, **finding.params_shown(lang)).casefold()
    assert text.count(word) + text.count("conflict") == 1, text
