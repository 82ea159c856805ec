"""Analysis frames turned into what a reader sees: column names, numbers and codes in the reader's language.

No Streamlit here, so the tables a page shows can be compared in tests with figures computed independently.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from dashboard import labels
from parboard import fmt
from parboard.i18n import t

TIERS = ("xuat_sac", "tot", "kha", "trung_binh", "yeu")


def tier_names(lang: str) -> dict[str, str]:
    return {tier: labels.tier(tier, lang) for tier in TIERS}


def kind_name(kind: str, lang: str) -> str:
    return labels.unit_kind(kind, lang)


def score(value: float | None, lang: str) -> str:
    """Scores always with two decimals, as published: 91,65."""
    return fmt.number(value, lang, 2)


def signed(value: float | int | None, lang: str, decimals: int = 2) -> str:
    if value is None:
        return fmt.MISSING
    text = fmt.number(abs(value), lang, decimals)
    return text if value == 0 else ("+" if value > 0 else "−") + text


def unit_label(name: str | None, parent: str | None, code: str) -> str:
    """A unit's name, with its parent when names repeat across provinces ("Xã An Bình · Huyện Đông")."""
    base = name or code
    return f"{base} · {parent}" if parent else base


def source_line(meta: dict[str, str], version: int, lang: str) -> str:
    key = "charts.source_synthetic" if meta.get("synthetic", "").lower() == "true" else "charts.source"
    return t(key, lang, dataset=meta.get("dataset_name") or "parboard", version=version)


def official_source(year: int | str, lang: str) -> str:
    return t("charts.source_official", lang, year=year)


def col(key: str, lang: str) -> str:
    return t(f"charts.cols.{key}", lang)


def _text(frame: pl.DataFrame, records: list[dict[str, Any]], columns: list[str]) -> pl.DataFrame:
    return pl.DataFrame(records, schema=dict.fromkeys(columns, pl.String))


def ranking_table(frame: pl.DataFrame, lang: str, with_tier: bool = True) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Rank, unit, parent, score, tier, previous rank and score, changes, what the change compares."""
    c = {
        k: col(k, lang)
        for k in (
            "rank",
            "unit",
            "parent",
            "score",
            "tier",
            "prev_rank",
            "rank_change",
            "prev_score",
            "score_change",
            "change_status",
            "stage",
            "code",
        )
    }
    if not with_tier:
        del c["tier"], c["stage"]
    records = []
    for r in frame.iter_rows(named=True):
        row = {
            c["rank"]: fmt.integer(r["rank"], lang),
            c["unit"]: r["name"] or r["unit_code"],
            c["parent"]: r.get("parent_name") or "",
            c["score"]: score(r["score"], lang),
            c["prev_rank"]: fmt.integer(r["prev_rank"], lang),
            c["rank_change"]: signed(r["rank_change"], lang, 0),
            c["prev_score"]: score(r["prev_score"], lang),
            c["score_change"]: signed(r["score_change"], lang),
            c["change_status"]: t(f"charts.change_status.{r['change_status']}", lang),
            c["code"]: r["unit_code"],
        }
        if with_tier:
            row[c["tier"]] = labels.tier(r.get("tier"), lang) or fmt.MISSING
            row[c["stage"]] = t(f"charts.stage.{r.get('score_stage') or 'none'}", lang)
        records.append({k: row[k] for k in c.values()})
    numeric = tuple(c[k] for k in ("rank", "score", "prev_rank", "rank_change", "prev_score", "score_change"))
    return _text(frame, records, list(c.values())), numeric


def official_table(frame: pl.DataFrame, lang: str) -> tuple[pl.DataFrame, tuple[str, ...]]:
    c = {k: col(k, lang) for k in ("rank", "unit", "score", "group", "delta", "flags", "note", "file", "row")}
    records = []
    for r in frame.iter_rows(named=True):
        flags = []
        if r["conflict"]:
            others = [score(s, lang) for s in r["other_scores"] or []] + [f"#{x}" for x in r["other_ranks"] or []]
            flags.append(t("charts.flags.conflict", lang, others=", ".join(others)))
        if r["order_conflict"]:
            flags.append(t("charts.flags.order", lang))
        records.append(
            {
                c["rank"]: fmt.integer(r["rank"], lang),
                c["unit"]: r["published_name"],
                c["score"]: score(r["score"], lang),
                c["group"]: r["grp"] or fmt.MISSING,
                c["delta"]: signed(r["delta"], lang),
                c["flags"]: "; ".join(flags),
                c["note"]: r["note"] or "",
                c["file"]: r["file_name"] or "",
                c["row"]: fmt.integer(r["source_row"], lang),
            }
        )
    return _text(frame, records, list(c.values())), (c["rank"], c["score"], c["delta"], c["row"])


def review_table(frame: pl.DataFrame, lang: str) -> tuple[pl.DataFrame, tuple[str, ...]]:
    c = {
        k: col(k, lang)
        for k in (
            "period_rank",
            "unit",
            "parent",
            "status",
            "period_mean",
            "first",
            "latest",
            "improvement",
            "years_scored",
            "years_top_tier",
            "years_reconstructed",
            "code",
        )
    }
    records = []
    for r in frame.iter_rows(named=True):
        status = t(f"charts.review_status.{r['status']}", lang)
        if r["status"] == "ended" and r.get("valid_to") is not None:
            status = t("charts.review_status.ended_on", lang, day=fmt.day(r["valid_to"], lang))
        records.append(
            {
                c["period_rank"]: fmt.integer(r["period_rank"], lang),
                c["unit"]: r["name"] or r["unit_code"],
                c["parent"]: r.get("parent_name") or "",
                c["status"]: status,
                c["period_mean"]: score(r["period_mean"], lang),
                c["first"]: f"{score(r['first_score'], lang)} ({r['first_year']})",
                c["latest"]: f"{score(r['latest_score'], lang)} ({r['latest_year']})",
                c["improvement"]: signed(r["improvement"], lang),
                c["years_scored"]: fmt.integer(r["years_scored"], lang),
                c["years_top_tier"]: fmt.integer(r["years_top_tier"], lang),
                c["years_reconstructed"]: fmt.integer(r["years_reconstructed"], lang)
                if r["years_reconstructed"]
                else "",
                c["code"]: r["unit_code"],
            }
        )
    numeric = tuple(
        c[k]
        for k in (
            "period_rank",
            "period_mean",
            "first",
            "latest",
            "improvement",
            "years_scored",
            "years_top_tier",
            "years_reconstructed",
        )
    )
    return _text(frame, records, list(c.values())), numeric


def improvement_table(frame: pl.DataFrame, lang: str) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Unit, parent, 2021 baseline (own or reconstructed, said so), latest score, change."""
    c = {k: col(k, lang) for k in ("unit", "parent", "baseline", "score", "change", "basis")}
    records = []
    for r in frame.iter_rows(named=True):
        if r["baseline_reconstructed"]:
            basis = t("progress.baseline_reconstructed", lang)
        elif r["baseline"] is not None:
            basis = t("progress.baseline_own", lang)
        else:
            basis = t("progress.baseline_missing", lang)
        records.append(
            {
                c["unit"]: r["name"] or r["unit_code"],
                c["parent"]: r["parent_name"] or "",
                c["baseline"]: score(r["baseline"], lang),
                c["score"]: score(r["score"], lang),
                c["change"]: signed(r["change"], lang),
                c["basis"]: basis,
            }
        )
    return _text(frame, records, list(c.values())), (c["baseline"], c["score"], c["change"])
