"""The report pack: a Word draft (.docx) for a year, the mid-term or the final review, and a .zip with every
chart (PNG, SVG) and table (.xlsx) in it.

    files = build(Published(db), Scope.year(2024), progress=lambda share, text: ...)
    files.docx, files.docx_name, files.zip, files.zip_name

Each chart is drawn once by the warm Chromium (exports.charts) and its PNG serves both the draft and the zip.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from core.i18n import DEFAULT_LANGUAGE, t
from exports import charts, tables
from exports.filenames import export_name
from exports.report import docx, pack
from exports.report.content import Content, gather
from exports.report.scope import Scope, ScopeError
from store.council import read_settings
from store.queries import Published

__all__ = ["Progress", "ReportFiles", "Scope", "ScopeError", "build", "file_stem"]

# (share done 0..1, what is being done, in the reader's language); what it returns is not used
Progress = Callable[[float, str], object]


@dataclass(frozen=True)
class ReportFiles:
    docx: bytes
    docx_name: str
    zip: bytes
    zip_name: str
    content: Content


def file_stem(scope: Scope) -> str:
    """The report's view name in file names: 'bao-cao-cchc', 'so-ket-cchc', 'tong-ket-cchc'."""
    return {None: "bao-cao-cchc", "midterm": "so-ket-cchc", "final": "tong-ket-cchc"}.get(scope.review, "bao-cao-cchc")


def build(
    db: Published,
    scope: Scope,
    lang: str = DEFAULT_LANGUAGE,
    progress: Progress | None = None,
    on: date | None = None,
    scenario: str | None = None,
) -> ReportFiles:
    """Read, draw, write: the draft and the pack for scope from the published version db.

    scenario: the quota preset whose award proposals the draft shows (analysis.quota.presets.names());
    without one the award section says how to choose one.
    """
    from exports.report import awards, council

    def say(share: float, key: str, **params: object) -> None:
        if progress is not None:
            progress(min(share, 1.0), t(f"report.progress.{key}", lang, **params))

    say(0.0, "reading")
    content = gather(db, scope, lang, on, [awards.section_for(scenario), council.section])
    figures, sheets = content.charts(), content.tables()
    steps = 2 + len(figures) + len(sheets)  # reading, each chart, each table, the docx and zip together
    images: dict[tuple[str, str], bytes] = {}
    for i, chart in enumerate(figures, start=1):
        say(i / steps, "chart", number=i, total=len(figures))
        for ext in ("png", "svg"):
            images[(chart.name, ext)] = charts.image(chart.fig, ext)
    workbooks: dict[str, bytes] = {}
    for i, table in enumerate(sheets, start=1):
        say((len(figures) + i) / steps, "table", number=i, total=len(sheets))
        workbooks[table.name] = tables.to_xlsx(table.frame, table.meta, lang, content.made)
    say((steps - 1) / steps, "docx")
    stem = file_stem(scope)
    docx_name = export_name(stem, scope.period, "docx", content.made)
    pngs = {name: data for (name, ext), data in images.items() if ext == "png"}
    draft = docx.write(content, pngs, read_settings(db.db))
    say((steps - 0.5) / steps, "zip")
    archive = pack.write(content, images, workbooks, (docx_name, draft))
    say(1.0, "done")
    return ReportFiles(draft, docx_name, archive, export_name(stem, scope.period, "zip", content.made), content)
