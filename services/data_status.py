"""The Data page's figures: what the published database holds and where it came from, as plain data (the
queries it runs and the tables it displays).

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
from core.i18n import DEFAULT_LANGUAGE, Translator, language
from services.display import Card, Table, kind_name, tier_name
from store.queries import Published

__all__ = ["Card", "Overview", "Table", "load"]


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
    """Run the Data page's queries against one published version."""
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


def _cols(lang: str, *keys: str) -> dict[str, str]:
    say = Translator("dashboard.cols", lang)
    return {key: say(key) for key in keys}


def table_kind(value: str | None, lang: str) -> str:
    """The input table a source was read as: its label in etl/tables.yaml, else the dashboard catalog."""
    say = Translator("dashboard", lang)
    if value is None:
        return ""
    from etl.specs import table_specs  # the specs parse YAML once; only the history table needs them

    spec = table_specs().get(value)
    if spec is not None:
        return spec.label.get(language(lang)) or spec.label.get(DEFAULT_LANGUAGE, value)
    return say.code("table_kinds", value)


# ---- headline figures -------------------------------------------------------------------------------


def headline(ov: Overview, lang: str) -> list[Card]:
    say = Translator("dashboard", lang)
    active = int(ov.units["active"].sum()) if not ov.units.is_empty() else 0
    years = ov.score_years["year"].to_list() if not ov.score_years.is_empty() else []
    results = int(ov.score_years["units"].sum()) if not ov.score_years.is_empty() else 0
    last = ov.loads.select(pl.col("published_at").max()).item() if not ov.loads.is_empty() else None
    return [
        Card(
            say("home.metric_active_units"),
            fmt.integer(active, lang),
            help=say("home.metric_active_units_help", day=fmt.day(ov.as_of, lang)),
        ),
        Card(say("home.metric_score_years"), fmt.years(years)),
        Card(
            say("home.metric_results"),
            fmt.integer(results, lang),
            help=say("home.metric_results_help"),
        ),
        Card(
            say("home.metric_version"),
            str(ov.version),
            # The date goes under the figure: a date as the big value does not fit a narrow card.
            note=say("home.metric_updated", moment=fmt.moment(last, lang)) if last else "",
            help=say("home.metric_version_help"),
        ),
    ]


def unit_cards(ov: Overview, lang: str) -> list[Card]:
    """One card per unit kind: active now, with every unit ever held underneath."""
    say = Translator("dashboard", lang)
    cards = []
    for row in ov.units.iter_rows(named=True):
        note = say("home.unit_card_total", total=fmt.integer(row["total"], lang))
        parts = [
            say(f"home.unit_card_{part}", count=fmt.integer(row[part], lang))
            for part in ("ended", "upcoming")
            if row[part]
        ]
        if parts:
            note += ": " + ", ".join(parts)
        cards.append(Card(kind_name(row["kind"], lang), fmt.integer(row["active"], lang), note))
    return cards


# ---- tables ----------------------------------------------------------------------------------------


def score_years_table(ov: Overview, lang: str) -> Table:
    """Unit kinds down, years across; a cell is the number of units scored that year."""
    say = Translator("dashboard", lang)
    kind_col = _cols(lang, "unit_kind")["unit_kind"]
    if ov.score_years.is_empty():
        return Table(pl.DataFrame({kind_col: []}, schema={kind_col: pl.String}))
    years = sorted(set(ov.score_years["year"].to_list()))
    rows: dict[str, dict[str, str]] = {}
    for row in ov.score_years.iter_rows(named=True):
        cells = rows.setdefault(row["unit_kind"], {})
        units = fmt.integer(row["units"], lang)
        self_only = int(row["self_assessed_only"])
        cells[str(row["year"])] = (
            say("home.score_cell_self", units=units, self_only=fmt.integer(self_only, lang)) if self_only else units
        )
    year_cols = [str(y) for y in years]
    records = [
        {kind_col: kind_name(kind, lang), **{y: cells.get(y, fmt.MISSING) for y in year_cols}}
        for kind, cells in rows.items()
    ]
    schema = {kind_col: pl.String, **dict.fromkeys(year_cols, pl.String)}
    return Table(pl.DataFrame(records, schema=schema), numeric=tuple(year_cols))


def _rescale(rule: str, scale: float, lang: str) -> str:
    say = Translator("dashboard", lang)
    if not say.has(f"rescale.{rule}"):
        return rule
    return say(f"rescale.{rule}", scale=fmt.number(scale, lang))


def _survey(survey: float, total: float, lang: str) -> str:
    say = Translator("dashboard", lang)
    if not survey:
        return say("survey.none")
    share = fmt.percent(100 * survey / total, lang, decimals=None) if total else fmt.MISSING
    return say("survey.share", points=fmt.number(survey, lang), share=share)


def _issuer(frame: pl.DataFrame, lang: str) -> tuple[bool, str]:
    """(show an issuer column, note): one issuer for every row is said once under the table instead."""
    say = Translator("dashboard", lang)
    names = frame["issuer_name"].unique().to_list() if not frame.is_empty() else []
    if len(names) == 1:
        return False, say("home.issuer_note", issuer=names[0])
    return True, ""


def frameworks_table(ov: Overview, lang: str) -> Table:
    say = Translator("dashboard", lang)
    show_issuer, note = _issuer(ov.frameworks, lang)
    c = _cols(
        lang, "issuer", "unit_kind", "name", "years", "structure", "max_points", "survey", "rescale", "source_doc"
    )
    if not show_issuer:
        del c["issuer"]
    records = []
    for row in ov.frameworks.iter_rows(named=True):
        record = {
            c["unit_kind"]: kind_name(row["unit_kind"], lang),
            c["name"]: row["name"],
            c["years"]: fmt.years(row["years"]),
            c["structure"]: say(
                "home.structure",
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
    say = Translator("dashboard", lang)
    lo, hi = band.get("lower_bound"), band.get("upper_bound")
    lo_kind = "incl" if band.get("lower_inclusive") else "excl"
    hi_kind = "incl" if band.get("upper_inclusive") else "excl"
    params = {"lo": fmt.number(lo, lang), "hi": fmt.number(hi, lang)}
    if lo is not None and hi is not None:
        return say(f"bands.{lo_kind}_{hi_kind}", **params)
    if lo is not None:
        return say(f"bands.lower_{lo_kind}", **params)
    if hi is not None:
        return say(f"bands.upper_{hi_kind}", **params)
    return say("bands.any")


def tier_sets_table(ov: Overview, lang: str) -> Table:
    """One column per tier (best first), so cut-offs of different bodies and years line up."""
    show_issuer, note = _issuer(ov.tier_sets, lang)
    c = _cols(lang, "issuer", "unit_kind", "name", "years")
    if not show_issuer:
        del c["issuer"]
    tier_rank: dict[str, int] = {}
    for bands in ov.tier_sets["bands"].to_list() if not ov.tier_sets.is_empty() else []:
        for band in bands or []:
            tier_rank[band["tier"]] = min(tier_rank.get(band["tier"], band["tier_rank"]), band["tier_rank"])
    tiers = sorted(tier_rank, key=lambda k: (tier_rank[k], k))
    tier_cols = {tier: tier_name(tier, lang) for tier in tiers}
    records = []
    for row in ov.tier_sets.iter_rows(named=True):
        by_tier = {band["tier"]: band_text(band, lang) for band in row["bands"] or []}
        record = {
            c["unit_kind"]: kind_name(row["unit_kind"], lang),
            c["name"]: row["name"],
            c["years"]: fmt.years(row["years"]),
            **{col: by_tier.get(tier, fmt.MISSING) for tier, col in tier_cols.items()},
        }
        records.append({c["issuer"]: row["issuer_name"], **record} if show_issuer else record)
    schema = dict.fromkeys([*c.values(), *tier_cols.values()], pl.String)
    return Table(pl.DataFrame(records, schema=schema), note=note)


def official_table(ov: Overview, lang: str) -> Table:
    say = Translator("dashboard", lang)
    c = _cols(lang, "index", "year", "level", "rows", "units", "with_score", "with_rank", "conflicts")
    records = [
        {
            c["index"]: say.code("indexes", row["index_code"]),
            c["year"]: str(row["year"]),
            c["level"]: say.code("levels", row["level"]),
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
    say = Translator("dashboard", lang)
    c = _cols(
        lang,
        "load_id",
        "published_at",
        "command",
        "loaded_by",
        "source_count",
        "rows_new",
        "rows_changed",
        "rows_unchanged",
        "rows_removed",
        "summary",
    )
    records = [
        {
            c["load_id"]: str(row["load_id"]),
            c["published_at"]: fmt.moment(row["published_at"], lang),
            c["command"]: say.code("commands", row["command"]),
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
    numeric = (
        c["load_id"],
        c["source_count"],
        c["rows_new"],
        c["rows_changed"],
        c["rows_unchanged"],
        c["rows_removed"],
    )
    return Table(pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)), numeric=numeric)


def sources_table(ov: Overview, lang: str) -> Table:
    """Every file read, newest first, with when and by whom: what a reader asks of a figure's origin."""
    c = _cols(lang, "published_at", "loaded_by", "file", "sheet", "table_kind", "row_count", "sha256")
    records = [
        {
            c["published_at"]: fmt.moment(row["published_at"], lang),
            c["loaded_by"]: row["loaded_by"] or "",
            c["file"]: row["file_name"],
            c["sheet"]: row["sheet"] or "",
            c["table_kind"]: table_kind(row["table_kind"], lang),
            c["row_count"]: fmt.integer(row["row_count"], lang),
            c["sha256"]: row["sha256_prefix"],
        }
        for row in ov.sources.iter_rows(named=True)
    ]
    return Table(pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)), numeric=(c["row_count"],))
