"""Hồ sơ đơn vị / Unit profile: one unit's scores, history, tiers, records and lineage, each traced to its file."""

from __future__ import annotations

import polars as pl
import streamlit as st

from charts import figures
from core import fmt
from dashboard import components as ui
from dashboard import display, state, views
from dashboard.context import lang, txt
from dashboard.pickers import pick_unit
from dashboard.quality_banner import quality_banner


def render() -> None:
    language = lang()
    opened = ui.open_scored_page(txt("profile.title"))
    if opened is None:
        return
    db, b = opened
    code = pick_unit(b, language)
    if code is None:
        return
    unit = b.unit(code)
    history = views.unit_history(db, code)
    own_years = history.filter(~pl.col("reconstructed"))["year"].to_list()
    year = state.select("year", own_years, label=txt("state.year"), default=own_years[-1] if own_years else None)
    quality_banner(db, year=year, unit_code=code)
    ui.synthetic_note(db)
    src = display.source_line(b.meta, db.version, language)
    tier_names = display.tier_names(language)

    st.subheader(unit["name"], anchor=False)
    facts = [display.kind_name(unit["kind"], language), unit["subkind"] or "", unit["parent_name"] or ""]
    validity = txt(
        "profile.valid",
        start=fmt.day(unit["valid_from"], language) if unit["valid_from"] else "…",
        end=fmt.day(unit["valid_to"], language) if unit["valid_to"] else "…",
    )
    st.caption(" · ".join(x for x in [*facts, validity, code] if x))

    lineage_section(db, code, language)
    if year is None:
        st.info(txt("profile.no_own_years"), icon=":material/info:")
        return

    ranks = views.kind_ranks(db, code)
    this = history.filter((pl.col("year") == year) & ~pl.col("reconstructed")).row(0, named=True)
    rank_row = ranks.filter(pl.col("year") == year)
    prev = history.filter(pl.col("year") == year - 1)
    cards = [
        ui.Card(
            txt("profile.total", year=year),
            display.score(this["score"], language),
            note=txt(f"charts.stage.{this['score_stage'] or 'none'}"),
        ),
        ui.Card(
            txt("profile.rank"),
            fmt.integer(rank_row["rank"][0], language) if rank_row.height else fmt.MISSING,
            note=txt(
                "profile.rank_of",
                of=fmt.integer(rank_row["ranked"][0], language),
                kind=display.kind_name(unit["kind"], language),
            )
            if rank_row.height
            else "",
        ),
        ui.Card(txt("profile.tier"), tier_names.get(this["tier"] or "", fmt.MISSING)),
        ui.Card(
            txt("profile.change", previous=year - 1),
            display.signed(round(this["score"] - prev["score"][0], 2), language) if prev.height else fmt.MISSING,
            note=txt("profile.reconstructed_prev") if prev.height and prev["reconstructed"][0] else "",
        ),
    ]
    ui.cards(cards)

    # ---- components and criteria against the maximum and the median -------------------------------------
    ui.section(txt("profile.components", year=year), "bar_chart")
    comps = views.component_profile(db, code, year)
    if not comps.is_empty():
        frame = comps.with_columns(
            pl.col("points")
            .map_elements(lambda v: display.score(v, language), return_dtype=pl.String)
            .alias("points_text")
        )
        frame = frame.with_columns((pl.col("component_code") + ". " + pl.col("component_name")).alias("component_name"))
        ui.show_chart(
            figures.components(
                frame,
                figures.Frame(
                    txt("profile.components_title", unit=unit["name"], year=year),
                    txt("profile.components_sub"),
                    src,
                    language,
                ),
                {
                    "max": txt("charts.legend.max"),
                    "points": txt("charts.legend.points"),
                    "median": txt("charts.legend.median", kind=display.kind_name(unit["kind"], language)),
                },
            ),
            f"profile-{code}-{year}-components",
        )
    criteria = views.criterion_profile(db, code, year)
    if not criteria.is_empty():
        c = {
            k: display.col(k, language)
            for k in ("item", "name", "max", "points", "median", "self", "appraised", "survey", "file", "sheet", "row")
        }
        records = [
            {
                c["item"]: r["item_code"],
                c["name"]: r["name"],
                c["max"]: fmt.number(r["max_points"], language),
                c["points"]: display.score(r["points"], language),
                c["median"]: display.score(r["median_points"], language),
                c["self"]: display.score(r["self_score"], language),
                c["appraised"]: display.score(r["appraised_score"], language),
                c["survey"]: display.score(r["survey_score"], language),
                c["file"]: r["file_name"] or "",
                c["sheet"]: r["sheet"] or "",
                c["row"]: fmt.integer(r["source_row"], language),
            }
            for r in criteria.iter_rows(named=True)
        ]
        st.markdown(f"**{txt('profile.criteria')}**")
        ui.show_table(
            pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)),
            f"profile-{code}-{year}-criteria",
            numeric=(c["max"], c["points"], c["median"], c["self"], c["appraised"], c["survey"], c["row"]),
            caption=txt("profile.criteria_caption"),
        )

    # ---- history 2021–2030 ------------------------------------------------------------------------------
    ui.section(txt("profile.history"), "timeline")
    medians = (
        b.results.filter(pl.col("kind") == unit["kind"])
        .group_by("year")
        .agg(pl.col("total").median().round(2).alias("value"))
        .sort("year")
    )
    ui.show_chart(
        figures.history(
            history,
            figures.Frame(txt("profile.history_title", unit=unit["name"]), txt("profile.history_sub"), src, language),
            tier_names,
            txt("charts.legend.own"),
            txt("charts.legend.reconstructed"),
            medians,
            txt("charts.legend.median", kind=display.kind_name(unit["kind"], language)),
        ),
        f"profile-{code}-history",
    )
    c = {k: display.col(k, language) for k in ("year", "score", "tier", "rank", "basis")}
    records = []
    for r in history.iter_rows(named=True):
        rk = ranks.filter(pl.col("year") == r["year"])
        records.append(
            {
                c["year"]: str(r["year"]),
                c["score"]: display.score(r["score"], language),
                c["tier"]: tier_names.get(r["tier"] or "", fmt.MISSING),
                c["rank"]: (
                    txt(
                        "profile.rank_of_short",
                        rank=fmt.integer(rk["rank"][0], language),
                        of=fmt.integer(rk["ranked"][0], language),
                    )
                    if rk.height and not r["reconstructed"]
                    else ""
                ),
                c["basis"]: txt("profile.reconstructed_basis", found=r["predecessors_found"], of=r["predecessors"])
                if r["reconstructed"]
                else txt(f"charts.stage.{r['score_stage'] or 'none'}"),
            }
        )
    ui.show_table(
        pl.DataFrame(records, schema=dict.fromkeys(c.values(), pl.String)),
        f"profile-{code}-years",
        numeric=(c["score"],),
    )

    # ---- registration, task completion and awards ---------------------------------------------------------
    ui.section(txt("profile.records"), "workspace_premium")
    records_frame = views.unit_records(db, code)
    if records_frame.is_empty():
        st.caption(txt("profile.no_records"))
    else:
        c = {k: display.col(k, language) for k in ("record", "scope", "detail", "value", "file", "row")}
        rows = [
            {
                c["record"]: txt(f"profile.record.{r['record']}"),
                c["scope"]: r["scope"],
                c["detail"]: r["detail"] or "",
                c["value"]: fmt.percent(r["pct"], language) if r["pct"] is not None else (r["value"] or ""),
                c["file"]: r["file_name"] or "",
                c["row"]: fmt.integer(r["source_row"], language),
            }
            for r in records_frame.iter_rows(named=True)
        ]
        ui.show_table(
            pl.DataFrame(rows, schema=dict.fromkeys(c.values(), pl.String)),
            f"profile-{code}-records",
            numeric=(c["row"],),
        )


def lineage_section(db, code: str, language: str) -> None:
    before = views.predecessors_of(db, code)
    after = views.successors_of(db, code)
    if before.is_empty() and after.is_empty():
        return
    with st.container(border=True):
        st.markdown(f"**:material/account_tree: {txt('profile.lineage')}**")
        for r in before.iter_rows(named=True):
            st.markdown(
                txt(
                    f"profile.from.{r['relation']}",
                    name=r["predecessor_name"] or r["predecessor_code"],
                    day=fmt.day(r["effective_date"], language),
                )
            )
        for r in after.iter_rows(named=True):
            st.markdown(
                txt(
                    f"profile.into.{r['relation']}",
                    name=r["unit_name"] or r["unit_code"],
                    day=fmt.day(r["effective_date"], language),
                )
            )


render()
