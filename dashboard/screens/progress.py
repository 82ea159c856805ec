"""Tiến bộ 2021–2030 / Progress: trends, a unit × year heatmap, improvement on 2021, targets and a projection."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis import progress, projection, rankings
from analysis.rules import review_periods
from charts import figures
from core import fmt
from dashboard import components as ui
from dashboard import display, state, views
from dashboard.context import lang, txt
from dashboard.pickers import pick_unit
from dashboard.quality_banner import quality_banner

HEATMAP_ROWS = 40


def render() -> None:
    language = lang()
    opened = ui.open_scored_page(txt("progress.title"))
    if opened is None:
        return
    db, b = opened
    quality_banner(db, tables=["unit_result", "unit_score"])
    ui.synthetic_note(db)
    src = display.source_line(b.meta, db.version, language)
    kind_names = {k: display.kind_name(k, language) for k in b.kinds()}

    # ---- trends per kind --------------------------------------------------------------------------------
    ui.section(txt("progress.trends"), "show_chart", txt("progress.trends_caption"))
    averages = rankings.kind_averages(b.results)
    ui.show_chart(
        views.figure(
            db,
            "progress-kind-medians",
            language,
            lambda: figures.kind_lines(
                averages.select("kind", "year", pl.col("median").alias("value")),
                figures.Frame(txt("progress.median_title"), txt("progress.median_sub"), src, language),
                kind_names,
            ),
        ),
        "progress-kind-medians",
    )

    # ---- one kind: improvement on the 2021 baseline, heatmap ---------------------------------------------
    code = pick_unit(b, language)
    kind = state.get("kind", options=b.kinds()) or b.kinds()[0]
    years = b.years(kind)
    latest = years[-1]
    ui.section(
        txt("progress.improvement", kind=kind_names[kind], year=latest, base=progress.BASELINE_YEAR),
        "trending_up",
        txt("progress.improvement_caption"),
    )
    imp = views.improvement(db, kind, latest)
    table, numeric = views.improvement_display(db, kind, latest, language)
    ui.show_table(table, f"progress-improvement-{kind}-{latest}", numeric=numeric)

    unit_rows = views.base(db).units.filter(pl.col("unit_code").is_in(imp["unit_code"].to_list()))
    parent = state.get("parent")
    if parent and unit_rows.filter(pl.col("parent_code") == parent).height:
        unit_rows = unit_rows.filter(pl.col("parent_code") == parent)
    chosen = (
        imp.filter(pl.col("unit_code").is_in(unit_rows["unit_code"].to_list()))
        .sort("score", "unit_code", descending=[True, False])["unit_code"]
        .head(HEATMAP_ROWS)
        .to_list()
    )
    rebuilt = views.history_of(db, kind, chosen)
    matrix = progress.heatmap(rebuilt, chosen)
    names = dict(b.units.select("unit_code", "name").iter_rows())
    ui.show_chart(
        figures.heatmap(
            matrix,
            [names.get(u, u) for u in chosen],
            figures.Frame(
                txt("progress.heatmap_title", kind=kind_names[kind]),
                txt("progress.heatmap_sub", n=len(chosen), of=imp.height, year=latest),
                src,
                language,
            ),
        ),
        f"progress-heatmap-{kind}",
    )

    # ---- one unit: projection, targets, components holding it back ---------------------------------------
    if code is None:
        return
    unit = b.unit(code)
    ui.section(txt("progress.unit", unit=unit["name"]), "flag")
    history = views.unit_history(db, code)
    own = history.filter(~pl.col("reconstructed"))
    proj = projection.linear(own["year"].to_list(), own["score"].to_list())
    targets = state.targets()
    target_editor(targets)
    target_frame = pl.DataFrame(
        [{"year": y, "score": t.score} for y, t in sorted(targets.items()) if t.score is not None],
        schema={"year": pl.Int64, "score": pl.Float64},
    )
    names_ = {k: txt(f"charts.legend.{k}") for k in ("band", "projection", "reconstructed", "score", "target")}
    ui.show_chart(
        figures.projection(
            history,
            proj,
            target_frame,
            figures.Frame(
                txt("progress.projection_title", unit=unit["name"]), txt("progress.projection_sub"), src, language
            ),
            names_,
        ),
        f"progress-{code}-projection",
    )
    if proj.made:
        final_year = review_periods()["final"][1]
        last = proj.at(final_year) or (proj.fitted[-1], proj.lower[-1], proj.upper[-1]) if proj.years else None
        st.caption(
            txt(
                "progress.projection_method",
                n=proj.n,
                slope=display.signed(proj.slope, language),
                se=fmt.number(proj.residual_se, language, 2),
                fit=display.score(last[0], language) if last else fmt.MISSING,
                lo=display.score(last[1], language) if last else fmt.MISSING,
                hi=display.score(last[2], language) if last else fmt.MISSING,
            )
            + (" " + txt("progress.projection_clipped") if proj.clipped else "")
        )
    else:
        st.info(txt("progress.projection_none", n=proj.n), icon=":material/info:")

    if targets:
        ranks = views.kind_ranks(db, code)
        actual = {r["year"]: (r["score"], None) for r in own.iter_rows(named=True)}
        for r in ranks.iter_rows(named=True):
            actual[r["year"]] = (actual.get(r["year"], (None, None))[0], r["rank"])
        projected = dict(zip(proj.years, proj.fitted, strict=True)) if proj.made else {}
        checks = progress.check_targets({y: (t.score, t.rank) for y, t in targets.items()}, actual, projected)
        c = {
            k: display.col(k, language)
            for k in ("year", "target_score", "target_rank", "score", "rank", "projected", "met")
        }
        rows = [
            {
                c["year"]: str(k.year),
                c["target_score"]: display.score(k.target_score, language),
                c["target_rank"]: fmt.integer(k.target_rank, language),
                c["score"]: display.score(k.score, language),
                c["rank"]: fmt.integer(k.rank, language),
                c["projected"]: display.score(k.projected, language),
                c["met"]: txt("progress.met_yes")
                if k.met
                else (txt("progress.met_no") if k.met is False else txt("progress.met_open")),
            }
            for k in checks
        ]
        ui.show_table(
            pl.DataFrame(rows, schema=dict.fromkeys(c.values(), pl.String)),
            f"progress-{code}-targets",
            numeric=tuple(c[k] for k in ("target_score", "target_rank", "score", "rank", "projected")),
        )

    if own.height:
        year = own["year"].max()
        comps = views.component_profile(db, code, year)
        if not comps.is_empty():
            st.markdown(f"**{txt('progress.holding_back', year=year)}**")
            c = {
                k: display.col(k, language)
                for k in ("component", "points", "max", "lost", "share", "median", "vs_median")
            }
            rows = [
                {
                    c["component"]: f"{r['component_code']}. {r['component_name']}",
                    c["points"]: display.score(r["points"], language),
                    c["max"]: fmt.number(r["max_points"], language),
                    c["lost"]: display.score(r["lost"], language),
                    c["share"]: fmt.percent(r["share"], language, 1),
                    c["median"]: display.score(r["median_points"], language),
                    c["vs_median"]: display.signed(r["vs_median"], language),
                }
                for r in comps.sort(["lost", "component_code"], descending=[True, False]).iter_rows(named=True)
            ]
            ui.show_table(
                pl.DataFrame(rows, schema=dict.fromkeys(c.values(), pl.String)),
                f"progress-{code}-{year}-components",
                numeric=tuple(list(c.values())[1:]),
            )


def target_editor(targets: dict[int, state.Target]) -> None:
    """Add or remove a target score or rank for a year; the targets live in the URL (?targets=2030s95r3)."""
    with st.expander(txt("progress.targets"), icon=":material/flag:", expanded=bool(targets)):
        with st.form("targets_form", border=False):
            c1, c2, c3 = st.columns(3)
            year = c1.selectbox(txt("state.year"), list(range(2026, 2031)), index=4)
            score = c2.number_input(txt("progress.target_score"), 0.0, 100.0, value=None, step=0.5, format="%.2f")
            rank = c3.number_input(txt("progress.target_rank"), 1, 100000, value=None, step=1)
            added = st.form_submit_button(txt("progress.target_add"), icon=":material/add:")
            if added and (score is not None or rank is not None):
                targets = {**targets, year: state.Target(score, int(rank) if rank is not None else None)}
                state.set_targets(targets)
                st.rerun()
        if targets and st.button(txt("progress.target_clear"), icon=":material/delete:", key="targets_clear"):
            state.set_targets({})
            st.rerun()


render()
