"""Analysis frames turned into what a reader sees: column names, numbers and codes in the reader's language.

No Streamlit here, so the tables a page shows can be compared in tests with figures computed independently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import polars as pl

from core import fmt
from core.i18n import t
from dashboard import labels

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


def _each(frame: pl.DataFrame, columns: str | list[str], write: Callable[..., str]) -> pl.Series:
    """write(*values) for every row, called once per distinct combination of the columns' values.

    13,000 rows of a national table hold a few hundred distinct scores and ranks: formatting each row in
    Python cost ~0.3 s per table, formatting each distinct value a few ms. Same text, row for row."""
    cols = [columns] if isinstance(columns, str) else columns
    keys = frame.select(cols).unique(maintain_order=True)
    lookup = keys.with_columns(pl.Series("_text", [write(*row) for row in keys.iter_rows()], dtype=pl.String))
    return frame.select(cols).join(lookup, on=cols, how="left", nulls_equal=True, maintain_order="left")["_text"]


def _table(columns: dict[str, pl.Series]) -> pl.DataFrame:
    return pl.DataFrame([series.alias(name) for name, series in columns.items()])


def _name(frame: pl.DataFrame) -> pl.Series:
    """The unit's name, else (null or empty) its code."""
    named = pl.col("name").is_not_null() & (pl.col("name") != "")
    return frame.select(pl.when(named).then(pl.col("name")).otherwise(pl.col("unit_code"))).to_series()


def _parent(frame: pl.DataFrame) -> pl.Series:
    if "parent_name" not in frame.columns:
        return pl.Series([""] * frame.height, dtype=pl.String)
    return frame["parent_name"].fill_null("")


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
    cells = {
        c["rank"]: _each(frame, "rank", lambda v: fmt.integer(v, lang)),
        c["unit"]: _name(frame),
        c["parent"]: _parent(frame),
        c["score"]: _each(frame, "score", lambda v: score(v, lang)),
        c["prev_rank"]: _each(frame, "prev_rank", lambda v: fmt.integer(v, lang)),
        c["rank_change"]: _each(frame, "rank_change", lambda v: signed(v, lang, 0)),
        c["prev_score"]: _each(frame, "prev_score", lambda v: score(v, lang)),
        c["score_change"]: _each(frame, "score_change", lambda v: signed(v, lang)),
        c["change_status"]: _each(frame, "change_status", lambda v: t(f"charts.change_status.{v}", lang)),
        c["code"]: frame["unit_code"],
    }
    if with_tier:
        tiers = frame["tier"] if "tier" in frame.columns else pl.Series([None] * frame.height, dtype=pl.String)
        stages = frame["score_stage"] if "score_stage" in frame.columns else tiers.clear(frame.height)
        both = pl.DataFrame({"tier": tiers, "score_stage": stages})
        cells[c["tier"]] = _each(both, "tier", lambda v: labels.tier(v, lang) or fmt.MISSING)
        cells[c["stage"]] = _each(both, "score_stage", lambda v: t(f"charts.stage.{v or 'none'}", lang))
    numeric = tuple(c[k] for k in ("rank", "score", "prev_rank", "rank_change", "prev_score", "score_change"))
    return _table({name: cells[name].cast(pl.String) for name in c.values()}), numeric


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
    def status(value: str, valid_to: Any) -> str:
        if value == "ended" and valid_to is not None:
            return t("charts.review_status.ended_on", lang, day=fmt.day(valid_to, lang))
        return t(f"charts.review_status.{value}", lang)

    cells = {
        c["period_rank"]: _each(frame, "period_rank", lambda v: fmt.integer(v, lang)),
        c["unit"]: _name(frame),
        c["parent"]: _parent(frame),
        c["status"]: _each(frame, ["status", "valid_to"], status),
        c["period_mean"]: _each(frame, "period_mean", lambda v: score(v, lang)),
        c["first"]: _each(frame, ["first_score", "first_year"], lambda v, y: f"{score(v, lang)} ({y})"),
        c["latest"]: _each(frame, ["latest_score", "latest_year"], lambda v, y: f"{score(v, lang)} ({y})"),
        c["improvement"]: _each(frame, "improvement", lambda v: signed(v, lang)),
        c["years_scored"]: _each(frame, "years_scored", lambda v: fmt.integer(v, lang)),
        c["years_top_tier"]: _each(frame, "years_top_tier", lambda v: fmt.integer(v, lang)),
        c["years_reconstructed"]: _each(frame, "years_reconstructed", lambda v: fmt.integer(v, lang) if v else ""),
        c["code"]: frame["unit_code"],
    }
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
    return _table({name: cells[name].cast(pl.String) for name in c.values()}), numeric


def improvement_table(frame: pl.DataFrame, lang: str) -> tuple[pl.DataFrame, tuple[str, ...]]:
    """Unit, parent, 2021 baseline (own or reconstructed, said so), latest score, change."""
    c = {k: col(k, lang) for k in ("unit", "parent", "baseline", "score", "change", "basis")}
    def basis(reconstructed: bool | None, baseline: float | None) -> str:
        if reconstructed:
            return t("progress.baseline_reconstructed", lang)
        if baseline is not None:
            return t("progress.baseline_own", lang)
        return t("progress.baseline_missing", lang)

    cells = {
        c["unit"]: _name(frame),
        c["parent"]: frame["parent_name"].fill_null(""),
        c["baseline"]: _each(frame, "baseline", lambda v: score(v, lang)),
        c["score"]: _each(frame, "score", lambda v: score(v, lang)),
        c["change"]: _each(frame, "change", lambda v: signed(v, lang)),
        c["basis"]: _each(frame, ["baseline_reconstructed", "baseline"], basis),
    }
    return _table({name: cells[name].cast(pl.String) for name in c.values()}), (c["baseline"], c["score"], c["change"])
