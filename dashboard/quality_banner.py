"""The small banner every page shows when the figures on it have open data-quality warnings.

It reads `open_findings` through dashboard/views.py, cached per published version, and filters in memory,
so a page pays one query per version however often it reruns. It never imports Great Expectations: only the
checks and the Data quality page do.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl
import streamlit as st

from core.i18n import t
from dashboard import views
from dashboard.context import READ_ERRORS, lang
from store.queries import Published

QUALITY_URL_PATH = "quality"
_COLUMNS = {"table_name": pl.String, "unit_code": pl.String, "year": pl.Int64, "severity": pl.String}


def open_finding_count(
    db: Published,
    tables: Sequence[str] | None = None,
    year: int | None = None,
    unit_code: str | None = None,
) -> int:
    """Open findings about the data shown: rows of these tables (database table names, e.g. unit_result,
    official_result), this year and this unit. A finding without a year or unit concerns every year or unit."""
    if not db.exists:
        return 0
    frame = views.open_findings(db).select(list(_COLUMNS)).cast(_COLUMNS)
    if tables is not None:
        frame = frame.filter(pl.col("table_name").is_in(list(tables)))
    if year is not None:
        frame = frame.filter(pl.col("year").is_null() | (pl.col("year") == year))
    if unit_code is not None:
        frame = frame.filter(pl.col("unit_code").is_null() | (pl.col("unit_code") == unit_code))
    return frame.height


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
    language = lang()
    link = f"{QUALITY_URL_PATH}?lang={language}" if language != "vi" else QUALITY_URL_PATH
    st.warning(
        t("checks.banner.text", language, count=count, link=link),
        icon=":material/report:",
    )
