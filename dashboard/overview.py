"""What the home page shows, as plain data: the queries it runs and the tables it displays.

No Streamlit here, so the figures can be tested without a browser. Display tables hold text already
written in the reader's language (numbers formatted, codes translated); `numeric` names the columns a
page aligns right.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from core import fmt
from dashboard import labels
from store.queries import Published


@dataclass(frozen=True)
class Table:
    frame: pl.DataFrame
    numeric: tuple[str, ...] = ()
    note: str = ""  # shown under the table, e.g. the one issuer all rows share

    @property
    def empty(self) -> bool:
        return self.frame.is_empty()


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    note: str = ""
    help: str | None = None


@dataclass(frozen=True)
class Overview:
    as_of: date
    version: int
    file: Path | None
    meta: dict[str, str]
    counts: dict[str, int]
    units: pl.DataFrame
    score_years: pl.DataFrame
    frameworks: pl.DataFrame
    tier_sets: pl.DataFrame
    official: pl.DataFrame
    loads: pl.DataFrame
    sources: pl.DataFrame = field(repr=False)

    @property
    def is_empty(self) -> bool:
        """Nothing a reader could look at: a database created but never loaded."""
        shown = ("units", "frameworks", "tier_sets", "unit_results", "official_results")
        return all(self.counts.get(name, 0) == 0 for name in shown)

    @property
    def synthetic(self) -> bool:
        return self.meta.get("synthetic", "").strip().lower() == "true"

    @property
    def dataset_name(self) -> str | None:
        return self.meta.get("dataset_name") or None


def load(db: Published, as_of: date) -> Overview:
    """Run the home page's queries against one published version."""
    meta = {row["key"]: row["value"] for row in db.query("dataset_meta").iter_rows(named=True)}
    counts = db.query("table_row_counts").row(0, named=True)
    return Overview(
        as_of=as_of,
        version=db.version,
        file=db.file,
        meta=meta,
        counts={k: int(v or 0) for k, v in counts.items()},
        units=db.query("units_per_kind", as_of=as_of),
        score_years=db.query("score_years_per_kind"),
        frameworks=db.query("frameworks_overview"),
        tier_sets=db.query("tier_sets_overview"),
        official=db.query("official_coverage"),
        loads=db.query("load_history"),
        sources=db.query("load_sources"),
    )


def _col(key: str, lang: str) -> str:
    return labels.text(f"cols.{key}", lang)


# ---- headline figures -------------------------------------------------------------------------------


def headline(ov: Overview, lang: str) -> list[Card]:
    active = int(ov.units["active"].sum()) if not ov.units.is_empty() else 0
    years = ov.score_years["year"].to_list() if not ov.score_years.is_empty() else []
    results = int(ov.score_years["units"].sum()) if not ov.score_years.is_empty() else 0
    last = ov.loads["published_at"].max() if not ov.loads.is_empty() else None
    return [
        Card(
            labels.text("home.metric_active_units", lang),
            fmt.integer(active, lang),
            help=labels.text("home.metric_active_units_help", lang, day=fmt.day(ov.as_of, lang)),
        ),
        Card(labels.text("home.metric_score_years", lang), fmt.years(years)),
        Card(
            labels.text("home.metric_results", lang),
            fmt.integer(results, lang),
            help=labels.text("home.metric_results_help", lang),
        ),
        Card(
            labels.text("home.metric_version", lang),
            str(ov.version),
            # The date goes under the figure: a date as the big value does not fit a narrow card.
            note=labels.text("home.metric_updated", lang, moment=fmt.moment(last, lang)) if last else "",
            help=labels.text("home.metric_version_help", lang),
        ),
    ]


def unit_cards(ov: Overview, lang: str) -> list[Card]:
    """One card per unit kind: active now, with every unit ever held underneath."""
    cards = []
    for row in ov.units.iter_rows(named=True):
        note = labels.text("home.unit_card_total", lang, total=fmt.integer(row["total"], lang))
        parts = [
            labels.text(f"home.unit_card_{part}", lang, count=fmt.integer(row[part], lang))
            for part in ("ended", "upcoming")
            if row[part]
        ]
        if parts:
            note += ": " + ", ".join(parts)
        cards.append(Card(labels.unit_kind(row["kind"], lang), fmt.integer(row["active"], lang), note))
    return cards


# ---- tables ----------------------------------------------------------------------------------------


def score_years_table(ov: Overview, lang: str) -> Table:
    """Unit kinds down, years across; a cell is the number of units scored that year."""
    kind_col = _col("unit_kind", lang)
    if ov.score_years.is_empty():
        return Table(pl.DataFrame({kind_col: []}, schema={kind_col: pl.String}))
    years = sorted(set(ov.score_years["year"].to_list()))
    rows: dict[str, dict[str, str]] = {}
    for row in ov.score_years.iter_rows(named=True):
        cells = rows.setdefault(row["unit_kind"], {})
        units = fmt.integer(row["units"], lang)
        self_only = int(row["self_assessed_only"])
        cells[str(row["year"])] = (
            labels.text("home.score_cell_self", lang, units=units, self_only=fmt.integer(self_only, lang))
            if self_only
            else units
        )
    year_cols = [str(y) for y in years]
    records = [
        {kind_col: labels.unit_kind(kind, lang), **{y: cells.get(y, fmt.MISSING) for y in year_cols}}
        for kind, cells in rows.items()
    ]
    schema = {kind_col: pl.String, **dict.fromkeys(year_cols, pl.String)}
    return Table(pl.DataFrame(records, schema=schema), numeric=tuple(year_cols))


def _rescale(rule: str, scale: float, lang: str) -> str:
    if not labels.has(f"rescale.{rule}", lang):
        return rule
    return labels.text(f"rescale.{rule}", lang, scale=fmt.number(scale, lang))


def _survey(survey: float, total: float, lang: str) -> str:
    if not survey:
        return labels.text("survey.none", lang)
    share = fmt.percent(100 * survey / total, lang, decimals=None) if total else fmt.MISSING
    return labels.text("survey.share", lang, points=fmt.number(survey, lang), share=share)


def _issuer(frame: pl.DataFrame, lang: str) -> tuple[bool, str]:
    """(show an issuer column, note): one issuer for every row is said once under the table instead."""
    names = frame["issuer_name"].unique().to_list() if not frame.is_empty() else []
    if len(names) == 1:
        return False, labels.text("home.issuer_note", lang, issuer=names[0])
    return True, ""


def frameworks_table(ov: Overview, lang: str) -> Table:
    show_issuer, note = _issuer(ov.frameworks, lang)
    c = {k: _col(k, lang) for k in ("issuer", "unit_kind", "name", "years", "structure", "max_points", "survey",
                                    "rescale", "source_doc")}
    if not show_issuer:
        del c["issuer"]
    records = []
    for row in ov.frameworks.iter_rows(named=True):
        record = {
            c["unit_kind"]: labels.unit_kind(row["unit_kind"], lang),
            c["name"]: row["name"],
            c["years"]: fmt.years(row["years"]),
            c["structure"]: labels.text(
                "home.structure",
                lang,
                components=fmt.integer(row["components"], lang),
                criteria=fmt.integer(row["criteria"], lang),
            ),
            c["max_points"]: fmt.number(row["max_points"], lang),
            c["survey"]: _survey(row["survey_points"], row["max_points"], lang),
            c["rescale"]: _rescale(row["rescale"], row["total_scale"], lang),
            c["source_doc"]: row["source_docs"] or "",
        }
        records.append({c["issuer"]: row["issuer_name"], **record} if show_issuer else record)
    frame = pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String))
    return Table(frame, numeric=(c["max_points"],), note=note)


def band_text(band: dict[str, Any], lang: str) -> str:
    """'từ 80 đến dưới 90' / '80 to under 90' from a band's bounds."""
    lo, hi = band.get("lower_bound"), band.get("upper_bound")
    lo_kind = "incl" if band.get("lower_inclusive") else "excl"
    hi_kind = "incl" if band.get("upper_inclusive") else "excl"
    params = {"lo": fmt.number(lo, lang), "hi": fmt.number(hi, lang)}
    if lo is not None and hi is not None:
        return labels.text(f"bands.{lo_kind}_{hi_kind}", lang, **params)
    if lo is not None:
        return labels.text(f"bands.lower_{lo_kind}", lang, **params)
    if hi is not None:
        return labels.text(f"bands.upper_{hi_kind}", lang, **params)
    return labels.text("bands.any", lang)


def tier_sets_table(ov: Overview, lang: str) -> Table:
    """One column per tier (best first), so cut-offs of different bodies and years line up."""
    show_issuer, note = _issuer(ov.tier_sets, lang)
    c = {k: _col(k, lang) for k in ("issuer", "unit_kind", "name", "years")}
    if not show_issuer:
        del c["issuer"]
    tier_rank: dict[str, int] = {}
    for bands in ov.tier_sets["bands"].to_list() if not ov.tier_sets.is_empty() else []:
        for band in bands or []:
            tier_rank[band["tier"]] = min(tier_rank.get(band["tier"], band["tier_rank"]), band["tier_rank"])
    tiers = sorted(tier_rank, key=lambda k: (tier_rank[k], k))
    tier_cols = {tier: labels.tier(tier, lang) for tier in tiers}
    records = []
    for row in ov.tier_sets.iter_rows(named=True):
        by_tier = {band["tier"]: band_text(band, lang) for band in row["bands"] or []}
        record = {
            c["unit_kind"]: labels.unit_kind(row["unit_kind"], lang),
            c["name"]: row["name"],
            c["years"]: fmt.years(row["years"]),
            **{col: by_tier.get(tier, fmt.MISSING) for tier, col in tier_cols.items()},
        }
        records.append({c["issuer"]: row["issuer_name"], **record} if show_issuer else record)
    schema = dict.fromkeys([*c.values(), *tier_cols.values()], pl.String)
    return Table(pl.DataFrame(records, schema=schema), note=note)


def official_table(ov: Overview, lang: str) -> Table:
    c = {k: _col(k, lang) for k in ("index", "year", "level", "rows", "units", "with_score", "with_rank",
                                    "conflicts")}
    records = [
        {
            c["index"]: labels.code("indexes", row["index_code"], lang),
            c["year"]: str(row["year"]),
            c["level"]: labels.code("levels", row["level"], lang),
            c["rows"]: fmt.integer(row["rows"], lang),
            c["units"]: fmt.integer(row["units"], lang),
            c["with_score"]: fmt.integer(row["with_score"], lang),
            c["with_rank"]: fmt.integer(row["with_rank"], lang),
            c["conflicts"]: fmt.integer(row["conflicting_units"], lang),
        }
        for row in ov.official.iter_rows(named=True)
    ]
    numeric = (c["rows"], c["units"], c["with_score"], c["with_rank"], c["conflicts"])
    return Table(pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)), numeric=numeric)


def loads_table(ov: Overview, lang: str) -> Table:
    c = {k: _col(k, lang) for k in ("load_id", "published_at", "command", "loaded_by", "source_count",
                                    "rows_new", "rows_changed", "rows_unchanged", "rows_removed", "summary")}
    records = [
        {
            c["load_id"]: str(row["load_id"]),
            c["published_at"]: fmt.moment(row["published_at"], lang),
            c["command"]: labels.code("commands", row["command"], lang),
            c["loaded_by"]: row["loaded_by"],
            c["source_count"]: fmt.integer(row["sources"], lang),
            c["rows_new"]: fmt.integer(row["rows_new"], lang),
            c["rows_changed"]: fmt.integer(row["rows_changed"], lang),
            c["rows_unchanged"]: fmt.integer(row["rows_unchanged"], lang),
            c["rows_removed"]: fmt.integer(row["rows_removed"], lang),
            c["summary"]: row["summary"] or "",
        }
        for row in ov.loads.iter_rows(named=True)
    ]
    numeric = (c["load_id"], c["source_count"], c["rows_new"], c["rows_changed"], c["rows_unchanged"],
               c["rows_removed"])
    return Table(pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)), numeric=numeric)


def sources_table(ov: Overview, lang: str) -> Table:
    """Every file read, newest first, with when and by whom: what a reader asks of a figure's origin."""
    c = {k: _col(k, lang) for k in ("published_at", "loaded_by", "file", "sheet", "table_kind", "row_count",
                                    "sha256")}
    records = [
        {
            c["published_at"]: fmt.moment(row["published_at"], lang),
            c["loaded_by"]: row["loaded_by"] or "",
            c["file"]: row["file_name"],
            c["sheet"]: row["sheet"] or "",
            c["table_kind"]: labels.table_kind(row["table_kind"], lang),
            c["row_count"]: fmt.integer(row["row_count"], lang),
            c["sha256"]: row["sha256_prefix"],
        }
        for row in ov.sources.iter_rows(named=True)
    ]
    return Table(pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)), numeric=(c["row_count"],))
