"""The report's .zip: every chart (PNG for print, SVG to scale) and every table (.xlsx) of the draft,
numbered in the order the draft shows them and named for what they hold."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

from exports.filenames import export_name
from exports.report.content import Content


def chart_file(content: Content, index: int, name: str, ext: str) -> str:
    return export_name(f"bieu-do-{index:02d}-{name}", content.scope.period, ext, content.made)


def table_file(content: Content, index: int, name: str) -> str:
    return export_name(f"bang-{index:02d}-{name}", content.scope.period, "xlsx", content.made)


def write(
    content: Content,
    images: Mapping[tuple[str, str], bytes],
    workbooks: Mapping[str, bytes],
    docx: tuple[str, bytes] | None = None,
) -> bytes:
    """images: (chart name, 'png' | 'svg') → bytes; workbooks: table name → .xlsx bytes."""
    buffer = io.BytesIO()
    stamp = (content.made.year, content.made.month, content.made.day, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, data: bytes) -> None:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)

        if docx is not None:
            add(*docx)
        for i, chart in enumerate(content.charts(), start=1):
            for ext in ("png", "svg"):
                add(chart_file(content, i, chart.name, ext), images[(chart.name, ext)])
        for i, table in enumerate(content.tables(), start=1):
            add(table_file(content, i, table.name), workbooks[table.name])
    return buffer.getvalue()
