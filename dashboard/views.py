"""What the pages show, kept per published version: thin caching wrappers around the services' functions.

The figures are computed in services/ (no Streamlit; the report and the tests call the same functions). Here
each result is kept per database path and version file, so a rerun that changes only the view re-reads nothing
from the database and recomputes nothing, and a publish (a new version file) is picked up by the next run.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, TypeVar

import polars as pl
import streamlit as st

from analysis import official as off
from dashboard.context import _published
from services import data_status, histories, overview, progress, published, rankings, reviews
from services.display import Table
from services.published import Base
from store.queries import Published

T = TypeVar("T")


@st.cache_resource(max_entries=4, show_spinner=False)
def _base(db: str, version_file: str) -> Base:
    return published.read(_published(db, version_file))


def base(db: Published) -> Base:
    """The frames every leaders' page starts from, read once per published version."""
    return _base(str(db.db), str(db.file))


@st.cache_resource(max_entries=256, show_spinner=False)
def _computed(
    db: str,
    version_file: str,
    name: str,  # noqa: ARG001 - the cache key for _fn, which is not hashed
    args: tuple[Hashable, ...],
    _fn: Callable[..., Any],
) -> Any:
    # _fn is not hashed (leading underscore): its module and name stand for it in the key. A resource, not data:
    # frames are shared read-only between reruns and sessions instead of being copied on every hit.
    return _fn(_base(db, version_file), *args)


def computed(db: Published, fn: Callable[..., T], *args: Hashable) -> T:
    """fn(base, *args) once per published version and arguments: every service function that reads a version
    takes its Base first (services/overview.py, rankings.py, profile.py, progress.py, reviews.py)."""
    return _computed(str(db.db), str(db.file), f"{fn.__module__}.{fn.__qualname__}", args, fn)


# ---- rankings ----------------------------------------------------------------------------------------------


def ranking(db: Published, kind: str, year: int, measure: str = rankings.TOTAL) -> pl.DataFrame:
    return computed(db, rankings.ranking, kind, year, measure)


@st.cache_resource(max_entries=64, show_spinner=False)
def _ranking_table(db: str, version_file: str, kind: str, year: int, measure: str, lang: str) -> Table:
    # Formatting thousands of rows (decimal commas, translated codes) costs more than the ranking behind them.
    ranked = ranking(_published(db, version_file), kind, year, measure)
    return rankings.ranking_table(ranked, lang, with_tier=measure == rankings.TOTAL)


def ranking_table(db: Published, kind: str, year: int, measure: str, lang: str) -> Table:
    """The ranking's display table, row for row in the order of ranking(db, kind, year, measure)."""
    return _ranking_table(str(db.db), str(db.file), kind, year, measure, lang)


def official_ranking(db: Published, year: int, level: str) -> tuple[pl.DataFrame, off.Coverage]:
    return computed(db, rankings.official_ranking, year, level)


# ---- reviews and progress ------------------------------------------------------------------------------------


def review(db: Published, kind: str, period: str, rule: str = histories.DEFAULT) -> pl.DataFrame:
    first, last = reviews.periods()[period]
    return computed(db, reviews.review, kind, first, last, rule)


@st.cache_resource(max_entries=32, show_spinner=False)
def _review_tables(db: str, version_file: str, kind: str, period: str, lang: str, rule: str) -> tuple[Table, Table]:
    return reviews.tables(review(_published(db, version_file), kind, period, rule), lang)


def review_tables(
    db: Published, kind: str, period: str, lang: str, rule: str = histories.DEFAULT
) -> tuple[Table, Table]:
    """(the ranked units, the units that ended) of the review, as display tables."""
    return _review_tables(str(db.db), str(db.file), kind, period, lang, rule)


def improvement(db: Published, kind: str, year: int, rule: str = histories.DEFAULT) -> pl.DataFrame:
    return computed(db, progress.improvement, kind, year, rule)


@st.cache_resource(max_entries=32, show_spinner=False)
def _improvement_table(db: str, version_file: str, kind: str, year: int, lang: str, rule: str) -> Table:
    return progress.improvement_table(improvement(_published(db, version_file), kind, year, rule), lang)


def improvement_table(db: Published, kind: str, year: int, lang: str, rule: str = histories.DEFAULT) -> Table:
    return _improvement_table(str(db.db), str(db.file), kind, year, lang, rule)


# ---- data quality --------------------------------------------------------------------------------------------


@st.cache_resource(max_entries=4, show_spinner=False)
def _check_results(db: str, version_file: str) -> pl.DataFrame:
    return published.check_results(_published(db, version_file))


def check_results(db: Published) -> pl.DataFrame:
    """The stored results of this version's last check run, per rule (none before checks were stored)."""
    return _check_results(str(db.db), str(db.file))


@st.cache_resource(max_entries=4, show_spinner=False)
def _open_findings(db: str, version_file: str) -> pl.DataFrame:
    return published.open_findings(_published(db, version_file))


def kind_glance(db: Published, kind: str, year: int, lang: str) -> overview.KindGlance | None:
    """A kind's line of the Overview's glance (services.overview.glance_of), once per version."""
    return computed(db, overview.glance_of, kind, year, lang)


def open_findings(db: Published) -> pl.DataFrame:
    """The open data-quality findings of this version (none for a database published before checks)."""
    return _open_findings(str(db.db), str(db.file))


# ---- the Data page and figures -------------------------------------------------------------------------------


@st.cache_data(max_entries=16, show_spinner=False)
def _data_status(db: str, version_file: str, as_of: date) -> data_status.Overview:
    return data_status.load(_published(db, version_file), as_of)


def data_status_of(db: Published, as_of: date) -> data_status.Overview:
    """The Data page's figures, queried once per published version and day, not on every rerun."""
    return _data_status(str(db.db), str(db.file), as_of)


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(
    db: str,  # noqa: ARG001 - db, version_file, key and lang are the cache key only
    version_file: str,  # noqa: ARG001
    key: str,  # noqa: ARG001
    lang: str,  # noqa: ARG001
    _build: Callable[[], Any],
) -> Any:
    # _build is not hashed (leading underscore): key must name everything the figure depends on.
    return _build()


def figure(db: Published, key: str, lang: str, build: Callable[[], Any]) -> Any:
    """A Plotly figure built once per version, view key and language (building one costs tens of ms)."""
    return _figure(str(db.db), str(db.file), key, lang, build)
