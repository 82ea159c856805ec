"""What a report says, as plain data: sections of sentences, tables and charts, in the report's language.

Figures come from the published frames and the service functions the dashboard's pages use
(services.published, services.rankings, services.reviews), so the draft says what the pages show. Nothing is
rendered here: report/docx.py writes the Word draft and report/pack.py the zip from this.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import plotly.graph_objects as go
import polars as pl

from analysis import rankings as ranks
from analysis import reviews as rev
from charts import figures
from core import fmt, programme
from core.i18n import Translator
from core.scope import Scope
from exports.filenames import slug
from exports.tables import TableMeta
from services import published, rankings, reviews
from services.published import INTERNAL_KINDS, Base
from store.queries import Published

# A Word table longer than this shows its first rows and says the whole table is in the .xlsx of the pack.
DOCX_MAX_ROWS = 30
# Open data-quality findings listed by name in the draft; all of them are in the pack's .xlsx.
FINDINGS_SHOWN = 15


@dataclass
class ReportTable:
    name: str  # a file-name stem: "xep-hang-so-ban-nganh"
    meta: TableMeta
    frame: pl.DataFrame  # typed values, headers in the report's language; every row (the .xlsx)
    note: str = ""  # under the table in the draft
    shown: int = DOCX_MAX_ROWS  # rows printed in the draft; the .xlsx has them all


@dataclass
class ReportChart:
    name: str
    fig: go.Figure
    caption: str


Block = ReportTable | ReportChart | str  # a string is a paragraph


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Content:
    scope: Scope
    lang: str
    made: date
    title: str
    subtitle: list[str]
    notice: str | None  # the demo-data warning, when the data is synthetic
    sections: list[Section]

    def tables(self) -> list[ReportTable]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, ReportTable)]

    def charts(self) -> list[ReportChart]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, ReportChart)]


@dataclass(frozen=True)
class _Data:
    base: Base  # the frames the pages read (services.published)
    figures: pl.DataFrame  # report_key_figures.sql over the years the draft speaks of

    @property
    def synthetic(self) -> bool:
        return self.base.synthetic

    @property
    def version(self) -> int:
        return self.base.version


def _read(db: Published, scope: Scope) -> _Data:
    # A year's draft compares with the year before and shows the trend since the movement began.
    first = programme.first_year() if scope.is_year else scope.first
    return _Data(published.read(db), db.query("report_key_figures", first=first, last=scope.last))


class _Words(Translator):
    """The report's words (report.<key>) with its ways of writing points, kinds, tiers and lists of names."""

    def __init__(self, lang: str) -> None:
        super().__init__("report", lang)

    def points(self, value: float | None) -> str:
        return fmt.number(value, self.lang, 2)

    def kind(self, kind: str) -> str:
        return self(f"kind.{kind}")

    def tier(self, tier: str | None) -> str:
        return self(f"tier.{tier}") if tier else ""

    def names(self, names: list[str]) -> str:
        shown = ", ".join(names[:3])
        return shown if len(names) <= 3 else self("more_names", names=shown, more=len(names) - 3)


def gather(
    db: Published,
    scope: Scope,
    lang: str = "vi",
    on: date | None = None,
    extra_sections: list[Callable[[Published, Scope, str], Section | None]] | None = None,
) -> Content:
    """Everything the draft says for scope, read from the published version db."""
    w = _Words(lang)
    made = on or date.today()
    data = _read(db, scope)
    dataset = data.base.dataset_name or w("dataset_unnamed")
    period = scope.label(lang)
    source = w("chart.source", dataset=dataset, version=data.version)
    scored = set(data.base.results.filter(pl.col("year").is_between(scope.first, scope.last))["kind"].to_list())
    kinds = [k for k in INTERNAL_KINDS if k in scored]

    title = (
        w("title_year", year=scope.last)
        if scope.is_year
        else w(f"title_{scope.review}", first=scope.first, last=scope.last)
    )
    subtitle = [dataset, w("made", day=fmt.day(made, lang), version=data.version), w("draft")]
    notice = w("synthetic") if data.synthetic else None

    sections = [_key_figures(w, data, scope, kinds, period, source)]
    sections += [_ranking(w, data, scope, kind, period, source) for kind in kinds]
    for extra in extra_sections or ():
        section = extra(db, scope, lang)
        if section is not None:
            sections.append(section)
    sections.append(_quality(w, db, dataset))
    sections.append(_sources(w, db, dataset))
    return Content(scope, lang, made, title, subtitle, notice, sections)


# ---- key figures --------------------------------------------------------------------------------------


def _key_figures(w: _Words, data: _Data, scope: Scope, kinds: list[str], period: str, source: str) -> Section:
    section = Section(w("section.key_figures"))
    if not kinds:
        section.blocks.append(w("no_results", period=period))
        return section
    section.blocks.append(w("intro", period=period, kinds=len(kinds)))
    for kind in kinds:
        rows = data.figures.filter(pl.col("kind") == kind).sort("year")
        section.blocks.append(
            _year_sentence(w, rows, scope.last, kind) if scope.is_year else _period_sentence(w, rows, scope, kind)
        )
    chart_rows = data.figures.filter(pl.col("year") <= scope.last)
    if chart_rows["year"].n_unique() > 1:
        fig = figures.trend(chart_rows, kinds, _span(chart_rows), source, w.lang)
        section.blocks.append(ReportChart("diem-binh-quan-theo-nam", fig, w("chart.trend_caption")))
    return section


def _span(rows: pl.DataFrame) -> str:
    return fmt.years(rows["year"].unique().to_list())


def _year_sentence(w: _Words, rows: pl.DataFrame, year: int, kind: str) -> str:
    now = rows.filter(pl.col("year") == year)
    if now.is_empty():
        return w("kind_no_results", kind=w.kind(kind), year=year)
    r = now.row(0, named=True)
    text = w(
        "year_sentence",
        kind=w.kind(kind),
        units=r["units"],
        year=year,
        mean=w.points(r["mean"]),
        best=w.names(r["best_units"]),
        best_score=w.points(r["best"]),
        lowest=w.names(r["lowest_units"]),
        lowest_score=w.points(r["lowest"]),
        top=r["top_tier"],
    )
    before = rows.filter(pl.col("year") == year - 1)
    if not before.is_empty():
        prev = before.row(0, named=True)["mean"]
        change = round(r["mean"] - prev, 2)
        key = "change_up" if change > 0 else "change_down" if change < 0 else "change_none"
        text += " " + w(key, year=year - 1, prev=w.points(prev), change=w.points(abs(change)))
    if r["self_only"]:
        text += " " + w("self_only", count=r["self_only"])
    return text


def _period_sentence(w: _Words, rows: pl.DataFrame, scope: Scope, kind: str) -> str:
    if rows.is_empty():
        return w("kind_no_results", kind=w.kind(kind), year=scope.label(w.lang))
    first, last = rows.row(0, named=True), rows.row(-1, named=True)
    return w(
        "period_sentence",
        kind=w.kind(kind),
        first_year=first["year"],
        first_mean=w.points(first["mean"]),
        last_year=last["year"],
        last_mean=w.points(last["mean"]),
        units=last["units"],
        top=int(rows["top_tier"].sum()),
    )


# ---- rankings -----------------------------------------------------------------------------------------


def _ranking(w: _Words, data: _Data, scope: Scope, kind: str, period: str, source: str) -> Section:
    section = Section(w("section.ranking", kind=w.kind(kind), period=period))
    own = data.base.results.filter(pl.col("kind") == kind)
    if scope.is_year:
        frame, shown = _year_table(w, data, kind, scope.last)
        value, mean = "score", False
    else:
        frame, shown = _period_table(w, data, kind, scope)
        value, mean = "period_mean", True
    if frame.is_empty():
        section.blocks.append(w("kind_no_results", kind=w.kind(kind), year=period))
        return section
    name = f"xep-hang-{slug(w.kind(kind))}"
    meta = TableMeta(
        title=section.heading,
        filters=[(w("filter.kind"), w.kind(kind)), (w("filter.period"), period)],
        source=source,
        synthetic=data.synthetic,
        sheet=w.kind(kind),
    )
    note = w("table_cut", shown=DOCX_MAX_ROWS, total=frame.height) if frame.height > DOCX_MAX_ROWS else ""
    section.blocks.append(w("ranking_rule") if scope.is_year else w("period_rule", first=scope.first, last=scope.last))
    section.blocks.append(ReportTable(name, meta, frame, note))

    counts = _tier_counts(own, scope)
    if not counts.is_empty():
        fig = figures.tiers(counts, kind, period, source, w.lang)
        section.blocks.append(ReportChart(f"xep-loai-{slug(w.kind(kind))}", fig, w("chart.tiers_caption")))
    if 0 < shown.height <= figures.MAX_BARS:
        fig = figures.scores(shown, value, kind, period, source, w.lang, mean)
        section.blocks.append(ReportChart(f"diem-{slug(w.kind(kind))}", fig, w("chart.scores_caption")))
    return section


def _tier_counts(own: pl.DataFrame, scope: Scope) -> pl.DataFrame:
    rows = own.filter(pl.col("year").is_between(scope.first, scope.last) & pl.col("tier").is_not_null())
    return rows.group_by("year", "tier", "tier_rank").agg(pl.col("unit_code").n_unique().alias("units"))


def _year_table(w: _Words, data: _Data, kind: str, year: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    # The Rankings page's ranking; the draft lists equal ranks by name.
    ranked = rankings.ranking(data.base, kind, year).sort("rank", "name")
    adjusted = _adjustment_notes(w, data, kind, year)
    notes = [
        "; ".join(
            part
            for part in (
                w("note.new_unit")
                if status == ranks.NEW_UNIT
                else w("note.self_assessed")
                if stage == "self_assessed"
                else "",
                adjusted.get(code, ""),
            )
            if part
        )
        for status, stage, code in zip(
            ranked["change_status"].to_list(),
            ranked["score_stage"].to_list(),
            ranked["unit_code"].to_list(),
            strict=True,
        )
    ]
    frame = pl.DataFrame(
        {
            w("col.rank"): ranked["rank"],
            w("col.unit"): ranked["name"],
            w("col.parent"): ranked["parent_name"],
            w("col.score"): ranked["score"],
            w("col.tier"): [w.tier(x) for x in ranked["tier"].to_list()],
            w("col.prev_score", year=year - 1): ranked["prev_score"],
            w("col.change"): ranked["score_change"],
            w("col.prev_rank", year=year - 1): ranked["prev_rank"],
            w("col.note"): notes,
        }
    )
    return _drop_empty_parent(w, frame, kind), ranked


def _adjustment_notes(w: _Words, data: _Data, kind: str, year: int) -> dict[str, str]:
    """unit code -> how its total differs from the plain sum of its criteria: rescaled over the maximum that
    applies to it (criteria marked "KAD"), bonus and penalty points; units with a plain total are absent."""
    rows = data.base.results.filter(
        (pl.col("kind") == kind) & (pl.col("year") == year) & pl.col("raw_points").is_not_null()
    )
    notes: dict[str, str] = {}
    for r in rows.iter_rows(named=True):
        parts = []
        if r["raw_max"] is not None and abs(r["raw_max"] - r["total_scale"]) > 1e-9:
            parts.append(w("note.rescaled", max=fmt.number(r["raw_max"], w.lang)))
        if r["bonus_points"] is not None:
            parts.append(w("note.bonus", points=w.points(r["bonus_points"])))
        if r["penalty_points"] is not None:
            parts.append(w("note.penalty", points=w.points(r["penalty_points"])))
        if parts:
            notes[r["unit_code"]] = "; ".join(parts)
    return notes


def _period_table(w: _Words, data: _Data, kind: str, scope: Scope) -> tuple[pl.DataFrame, pl.DataFrame]:
    # The Reviews page's period summary
    summary = reviews.review(data.base, kind, scope.first, scope.last)
    notes = []
    for status, rebuilt in zip(summary["status"].to_list(), summary["years_reconstructed"].to_list(), strict=True):
        parts = [w("note.ended")] if status == rev.ENDED else []
        if rebuilt:
            parts.append(w("note.reconstructed", years=rebuilt))
        notes.append("; ".join(parts))
    frame = pl.DataFrame(
        {
            w("col.period_rank"): summary["period_rank"],
            w("col.unit"): summary["name"],
            w("col.parent"): summary["parent_name"],
            w("col.period_mean"): summary["period_mean"],
            w("col.first_score"): summary["first_score"],
            w("col.latest_score"): summary["latest_score"],
            w("col.improvement"): summary["improvement"],
            w("col.years_scored"): summary["years_scored"],
            w("col.years_top"): summary["years_top_tier"],
            w("col.note"): notes,
        }
    )
    shown = summary.filter(pl.col("status") == rev.CURRENT).select("name", "period_mean")
    return _drop_empty_parent(w, frame, kind), shown


def _drop_empty_parent(w: _Words, frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Departments all sit under the province: their 'belongs to' column says nothing."""
    column = w("col.parent")
    return frame.drop(column) if kind == "department" or frame[column].n_unique() <= 1 else frame


# ---- data quality and sources -------------------------------------------------------------------------


def _quality(w: _Words, db: Published, dataset: str) -> Section:
    section = Section(w("section.quality"))
    try:
        findings = db.query("open_findings")
    except Exception:  # a version published before the checks kept their findings
        section.blocks.append(w("quality_unknown"))
        return section
    if findings.is_empty():
        section.blocks.append(w("quality_clean"))
        return section
    by_severity = findings.group_by("severity").len().sort("severity")
    counts = ", ".join(w("quality_count", count=n, severity=w(f"severity.{s}")) for s, n in by_severity.iter_rows())
    section.blocks.append(w("quality_open", counts=counts, shown=min(FINDINGS_SHOWN, findings.height)))
    message = "message_vi" if w.lang == "vi" else "message_en"
    frame = pl.DataFrame(
        {
            w("col.severity"): [w(f"severity.{s}") for s in findings["severity"].to_list()],
            w("col.unit_code"): findings["unit_code"],
            w("col.year"): findings["year"],
            w("col.file"): findings["file_name"],
            w("col.row"): findings["source_row"],
            w("col.finding"): findings[message],
        }
    )
    meta = TableMeta(title=section.heading, source=dataset, sheet=w("sheet.quality"))
    note = w("table_cut", shown=FINDINGS_SHOWN, total=frame.height) if frame.height > FINDINGS_SHOWN else ""
    section.blocks.append(ReportTable("chat-luong-du-lieu", meta, frame, note, FINDINGS_SHOWN))
    return section


def _sources(w: _Words, db: Published, dataset: str) -> Section:
    section = Section(w("section.sources"))
    sources = db.query("load_sources")
    section.blocks.append(w("sources_intro", dataset=dataset, files=sources["file_name"].n_unique()))
    frame = pl.DataFrame(
        {
            w("col.file"): sources["file_name"],
            w("col.sheet"): sources["sheet"],
            w("col.table"): [w.area_of("cli.table")(k) for k in sources["table_kind"].to_list()],
            w("col.rows"): sources["row_count"],
            w("col.sha"): sources["sha256_prefix"],
            w("col.loaded_by"): sources["loaded_by"],
            w("col.loaded_at"): sources["published_at"],
        }
    )
    meta = TableMeta(title=section.heading, source=dataset, sheet=w("sheet.sources"))
    section.blocks.append(ReportTable("nguon-so-lieu", meta, frame))
    return section
