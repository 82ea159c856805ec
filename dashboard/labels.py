"""Words for the codes stored in the database (unit kinds, tiers, index codes…), in the reader's language.

A code with no entry in the catalog is shown as stored rather than hidden, so new data never breaks a page.
"""

from __future__ import annotations

from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog, t


def has(key: str, lang: str) -> bool:
    return f"dashboard.{key}" in catalog(lang) or f"dashboard.{key}" in catalog(DEFAULT_LANGUAGE)


def text(key: str, lang: str, **params: object) -> str:
    """dashboard.<key> in lang."""
    return t(f"dashboard.{key}", lang, **params)


def code(group: str, value: str | None, lang: str) -> str:
    """The word for a stored code, e.g. code('kinds', 'department', 'vi') → 'Sở, ban, ngành'."""
    if value is None:
        return ""
    return text(f"{group}.{value}", lang) if has(f"{group}.{value}", lang) else value


def unit_kind(value: str | None, lang: str) -> str:
    return code("kinds", value, lang)


def tier(value: str | None, lang: str) -> str:
    return code("tiers", value, lang)


def table_kind(value: str | None, lang: str) -> str:
    """The input table a source was read as: its label in etl/tables.yaml, else the dashboard catalog."""
    if value is None:
        return ""
    from etl.specs import table_specs  # the specs parse YAML once; only the history table needs them

    spec = table_specs().get(value)
    if spec is not None:
        return spec.label.get(lang if lang in LANGUAGES else DEFAULT_LANGUAGE) or spec.label.get(
            DEFAULT_LANGUAGE, value
        )
    return code("table_kinds", value, lang)
