"""The small banner every page shows when the figures on it have open data-quality warnings.

It reads `open_findings` through dashboard/views.py, cached per published version, and counts in memory
(services.quality), so a page pays one query per version however often it reruns. It never imports Great
Expectations: only the checks and the Data quality page do.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.i18n import DEFAULT_LANGUAGE, Translator
from dashboard import views
from dashboard.context import READ_ERRORS, lang
from services import quality
from store.queries import Published

QUALITY_URL_PATH = "quality"


def open_finding_count(
    db: Published,
    tables: Sequence[str] | None = None,
    year: int | None = None,
    unit_code: str | None = None,
) -> int:
    """Open findings about the data shown (see services.quality.open_count); none before anything is published."""
    if not db.exists:
        return 0
    return quality.open_count(views.open_findings(db), tables, year, unit_code)


def quality_banner(
    db: Published,
    tables: Sequence[str] | None = None,
    year: int | None = None,
    unit_code: str | None = None,
) -> None:
    """A one-line warning linking to the Data quality page when the data shown has open findings."""
    try:
        count = open_finding_count(db, tables, year, unit_code)
    except READ_ERRORS:
        return  # the page itself reports a database it cannot read
    if count == 0:
        return
    say = Translator("checks.banner", lang())
    link = f"{QUALITY_URL_PATH}?lang={say.lang}" if say.lang != DEFAULT_LANGUAGE else QUALITY_URL_PATH
    st.warning(say("text", count=count, link=link), icon=":material/report:")
