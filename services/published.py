"""The frames every leaders' page and the report start from, read once per published version.

`read(db)` runs the shared named queries of one version (store/sql) and keeps the handle they came from, so the
service functions of the pages (services/overview.py, rankings.py, profile.py, progress.py, reviews.py) take
one `Base` and ask the handle for anything else. The dashboard keeps a Base and what is computed from it per
version file (dashboard/views.py); the report and the tests call the same functions directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from core import vocab
from store.queries import MissingTable, Published

# The official index ranks these levels; every other unit kind is ranked by the province itself.
OFFICIAL_LEVELS = vocab.codes("level")
INTERNAL_KINDS = tuple(kind for kind in vocab.codes("unit_kind") if kind not in OFFICIAL_LEVELS)

_FINDINGS_SCHEMA = {
    "severity": pl.String,
    "unit_code": pl.String,
    "year": pl.Int64,
    "table_name": pl.String,
    "message_vi": pl.String,
    "message_en": pl.String,
}


@dataclass(frozen=True)
class Base:
    """The frames every leaders' page starts from, read once per published version."""

    db: Published = field(repr=False, compare=False)
    meta: dict[str, str]
    results: pl.DataFrame  # unit_results.sql
    units: pl.DataFrame  # units_register.sql
    lineage: pl.DataFrame  # unit_lineage_all.sql
    bands: pl.DataFrame  # tier_bands_all.sql
    components: pl.DataFrame  # framework_components.sql
    official: pl.DataFrame  # official_results_all.sql
    summary: pl.DataFrame  # official_summary_all.sql

    @property
    def version(self) -> int:
        return self.db.version

    @property
    def empty(self) -> bool:
        return self.results.is_empty() and self.official.is_empty()

    @property
    def scored(self) -> bool:
        """Some unit has a score (the official index aside)."""
        return not self.results.is_empty()

    @property
    def synthetic(self) -> bool:
        return self.meta.get("synthetic", "").strip().lower() == "true"

    @property
    def dataset_name(self) -> str:
        return self.meta.get("dataset_name", "")

    def query(self, name: str, **params: Any) -> pl.DataFrame:
        """store/sql/<name>.sql on the version these frames were read from."""
        return self.db.query(name, **params)

    def kinds(self) -> list[str]:
        """The internal unit kinds scored, in reading order (departments, districts, communes), then any other."""
        present = set(self.results["kind"].unique().to_list())
        return [k for k in INTERNAL_KINDS if k in present] + sorted(present - set(INTERNAL_KINDS))

    def years(self, kind: str | None = None) -> list[int]:
        frame = self.results if kind is None else self.results.filter(pl.col("kind") == kind)
        return sorted(frame["year"].unique().to_list())

    def scores(self, kind: str) -> pl.DataFrame:
        """unit_code, year, score (the total) for one kind."""
        return self.results.filter(pl.col("kind") == kind).select("unit_code", "year", pl.col("total").alias("score"))

    def unit(self, code: str) -> dict[str, Any] | None:
        rows = self.units.filter(pl.col("unit_code") == code)
        return rows.row(0, named=True) if rows.height else None

    def home_province(self) -> str | None:
        """The province whose official results the Overview leads with: the register's province (init)."""
        return self.meta.get("province_code") or None


def read(db: Published) -> Base:
    """The shared frames of the published version db."""
    q = db.query
    return Base(
        db=db,
        meta={r["key"]: r["value"] for r in q("dataset_meta").iter_rows(named=True)},
        results=q("unit_results"),
        units=q("units_register"),
        lineage=q("unit_lineage_all"),
        bands=q("tier_bands_all"),
        components=q("framework_components"),
        official=q("official_results_all"),
        summary=q("official_summary_all"),
    )


def check_results(db: Published) -> pl.DataFrame:
    """The stored results of this version's last check run, per rule (none before checks were stored)."""
    try:
        return db.query("check_results")
    except MissingTable:
        return pl.DataFrame()


def open_findings(db: Published) -> pl.DataFrame:
    """The open data-quality findings of this version (none for a database published before checks)."""
    try:
        return db.query("open_findings")
    except MissingTable:
        return pl.DataFrame(schema=_FINDINGS_SCHEMA)
