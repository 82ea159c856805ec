"""The Import page's tables and lines, built from what the import steps (services.importing) return: how a sheet's
columns map to fields, what a check would change, the staged batches. Streamlit-free; words in the reader's
language (imports.page, imports.field), so the page only lays them out.
"""

from __future__ import annotations

import polars as pl

from core import fmt
from core.i18n import Translator
from services.importing import CheckResult, SheetPreview, table_label
from services.load import LoadReport
from store.staging import Batch

COUNTS = ("new", "changed", "unchanged", "removed")


def staged_at(batch: Batch) -> str:
    """When the batch was staged, to the minute: '2025-03-01 09:30'."""
    return str(batch.manifest.get("staged_at", "")).replace("T", " ")[:16]


def field_label(target: str | None, lang: str) -> str:
    """The field a column fills, in words; a wide score column names its measure and criterion."""
    say = Translator("imports.page", lang)
    if target is None:
        return say("not_used")
    if ":" in target:
        measure, item = target.split(":", 1)
        return say("wide_column", measure=say.area_of("imports.field")(measure), item=item)
    return say.area_of("imports.field")(target)


def sheet_summary(sheet: SheetPreview, lang: str) -> str:
    """Which table the sheet was read as, in which layout, with its header on which rows."""
    say = Translator("imports.page", lang)
    header = ", ".join(str(r) for r in sheet.header_rows) or "—"
    return say(
        "sheet_summary",
        table=table_label(sheet.table, lang) if sheet.table else say("table_unknown"),
        layout=say(f"layout_{sheet.layout}") if sheet.layout else "—",
        header=header,
    )


def columns_table(sheet: SheetPreview, lang: str) -> pl.DataFrame:
    """Each column's header as written and the field it fills."""
    say = Translator("imports.page", lang)
    return pl.DataFrame(
        {
            say("col_header"): [label for label, _ in sheet.columns],
            say("col_field"): [field_label(target, lang) for _, target in sheet.columns],
        }
    )


def first_rows(sheet: SheetPreview, lang: str) -> pl.DataFrame:
    """The sheet's first rows as read, numbered by their row in the file."""
    say = Translator("imports.page", lang)
    return sheet.first_rows.rename({"source_row": say("col_row")})


def diff_table(checked: CheckResult, lang: str) -> pl.DataFrame:
    """Per table, the rows a publish would add, change, leave and remove."""
    say = Translator("imports.page", lang)
    return pl.DataFrame(
        [
            {
                say("col_table"): table_label(table, lang),
                **{say(f"count_{name}"): fmt.integer(counts.get(name, 0), lang) for name in COUNTS},
            }
            for table, counts in checked.per_table.items()
        ]
    )


def value_text(value: object, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return fmt.number(value, lang)
    return str(value)


def change_lines(report: LoadReport, lang: str) -> list[tuple[str, list[str]]]:
    """Per table (its label), a few changed rows: '`key` — field: old → new; …'."""
    field = Translator("imports.field", lang)
    return [
        (
            table_label(table, lang),
            [
                f"`{change.key}` — "
                + "; ".join(
                    f"{field(name)}: {value_text(old, lang)} → {value_text(new, lang)}"
                    for name, old, new in change.values
                )
                for change in changes
            ],
        )
        for table, changes in report.changes.items()
    ]


def staged_table(batches: list[Batch], lang: str) -> pl.DataFrame:
    """The batches waiting in staging: who staged which files when, and how far they got."""
    say = Translator("imports.page", lang)
    return pl.DataFrame(
        [
            {
                say("col_batch"): b.id,
                say("col_by"): b.manifest.get("staged_by", ""),
                say("col_at"): staged_at(b),
                say("col_files"): ", ".join(f.name for f in b.files),
                say("col_status"): say(f"status_{b.manifest.get('status', 'staged')}"),
                say("col_version"): str((b.manifest.get("check") or {}).get("against_version", "—")),
            }
            for b in batches
        ]
    )
