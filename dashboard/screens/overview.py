"""Tổng quan / Overview: the headline figures of a year, in one glance."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis import official as off
from analysis import rankings
from charts import figures
from core import fmt
from dashboard import components as ui
from dashboard import display, state, views
from dashboard.context import lang, txt
from dashboard.quality_banner import quality_banner


def render() -> None:
    language = lang()
    db = ui.open_page(txt("overview.title"))
    if db is None:
        return
    b = views.base(db)
    years = sorted(set(b.years()) | set(off.years(b.official)))
    year = state.select("year", years, label=txt("state.year"), default=(b.years() or years)[-1])
    quality_banner(db, year=year)
    ui.synthetic_note(db)
    src = display.source_line(b.meta, db.version, language)

    # ---- the official PAR INDEX --------------------------------------------------------------------------
    ui.section(txt("overview.official", year=year), "public", txt("overview.official_caption"))
    table, cov = views.official_ranking(db, year, "province")
    home = b.home_province()
    cards = []
    if home is not None:
        mine = table.filter(pl.col("unit_code") == home)
        row = mine.row(0, named=True) if mine.height else None
        cards.append(
            ui.Card(
                txt("overview.home_score", name=b.unit(home)["name"] if b.unit(home) else home),
                display.score(row["score"], language) if row else fmt.MISSING,
                note=txt(
                    "overview.home_rank",
                    rank=fmt.integer(row["rank"], language),
                    of=fmt.integer(cov.expected, language),
                )
                if row and row["rank"]
                else txt("overview.not_published"),
            )
        )
    else:
        st.info(txt("overview.no_home_province"), icon=":material/info:")
    top = table.filter(pl.col("rank") == 1)
    if top.height:
        r = top.row(0, named=True)
        cards.append(
            ui.Card(
                txt("overview.top_province"),
                r["published_name"],
                note=txt("overview.top_note", score=display.score(r["score"], language)),
            )
        )
    avg = b.summary.filter((pl.col("metric") == "prov_avg_pct") & (pl.col("year") == year))
    if avg.height:
        cards.append(ui.Card(txt("overview.national_avg"), display.score(avg["value"][0], language)))
    cards.append(
        ui.Card(
            txt("overview.coverage"),
            txt(
                "overview.coverage_value",
                units=fmt.integer(cov.units, language),
                expected=fmt.integer(cov.expected, language),
            ),
            note=txt("overview.partial") if cov.partial else txt("overview.complete"),
        )
    )
    ui.cards(cards)
    trend_codes = [home] if home else _leaders(b, year)
    trend = off.trend(b.official, trend_codes)
    if not trend.is_empty():
        frame = trend.select("year", "score", "rank", "partial", pl.col("published_name").alias("label"))
        fig = views.figure(
            db,
            f"overview-official-trend-{year}",
            language,
            lambda: figures.official_trend(
                frame.drop_nulls("score"),
                figures.Frame(
                    txt("overview.official_trend_title"),
                    txt("overview.official_trend_sub"),
                    display.official_source(fmt.years(frame["year"].to_list()), language),
                    language,
                ),
                txt("overview.partial_short"),
            ),
        )
        ui.show_chart(fig, "overview-official-trend")

    # ---- internal units ----------------------------------------------------------------------------------
    if b.results.is_empty():
        return
    ui.section(txt("overview.internal", year=year), "account_balance", txt("overview.internal_caption"))
    averages = rankings.kind_averages(b.results)
    kind_cards = []
    for kind in b.kinds():
        now = averages.filter((pl.col("kind") == kind) & (pl.col("year") == year))
        before = averages.filter((pl.col("kind") == kind) & (pl.col("year") == year - 1))
        if now.is_empty():
            continue
        delta = now["mean"][0] - before["mean"][0] if before.height else None
        kind_cards.append(
            ui.Card(
                display.kind_name(kind, language),
                display.score(now["mean"][0], language),
                note=txt(
                    "overview.kind_note",
                    units=fmt.integer(now["units"][0], language),
                    delta=display.signed(round(delta, 2), language) if delta is not None else fmt.MISSING,
                ),
            )
        )
    if kind_cards:
        ui.cards(kind_cards)
    else:
        st.caption(txt("overview.no_internal_year", year=year))
    lines = averages.select("kind", "year", pl.col("mean").alias("value"))
    kind_names = {k: display.kind_name(k, language) for k in b.kinds()}
    # Two charts in tabs that run only when open: the first view draws one chart here, not two (Plotly's
    # drawing is most of the time before a page is usable). The tiers tab comes first: its label carries the
    # year, so a year change never moves the reader off the tab they chose.
    tiers_tab, averages_tab = st.tabs(
        [txt("overview.tiers_title", year=year), txt("overview.avg_title")], key="overview-internal", on_change="rerun"
    )
    if tiers_tab.open is not False:
        with tiers_tab:
            dist = rankings.tier_distribution(b.results.filter(pl.col("year") == year))
            if not dist.is_empty():
                frame = dist.with_columns(
                    pl.col("kind").replace_strict(kind_names, default=pl.col("kind")).alias("group")
                )
                ui.show_chart(
                    views.figure(
                        db,
                        f"overview-tiers-{year}",
                        language,
                        lambda: figures.tier_distribution(
                            frame,
                            figures.Frame(
                                txt("overview.tiers_title", year=year), txt("overview.tiers_sub"), src, language
                            ),
                            display.tier_names(language),
                        ),
                    ),
                    f"overview-tiers-{year}",
                )
            else:
                st.caption(txt("overview.no_internal_year", year=year))
    if averages_tab.open is not False:
        with averages_tab:
            ui.show_chart(
                views.figure(
                    db,
                    "overview-kind-averages",
                    language,
                    lambda: figures.kind_lines(
                        lines,
                        figures.Frame(txt("overview.avg_title"), txt("overview.avg_sub"), src, language),
                        kind_names,
                    ),
                ),
                "overview-kind-averages",
            )

    # ---- risers and fallers ------------------------------------------------------------------------------
    kinds = [k for k in b.kinds() if year in b.years(k)]
    if kinds:
        ui.section(txt("overview.movers", year=year), "swap_vert")
        kind = state.select(
            "kind", kinds, label=txt("state.kind"), format_func=lambda k: kind_names.get(k, k), radio=True
        )
        ranked = views.ranking(db, kind, year)
        risers, fallers = rankings.movers(ranked, 5)
        both = pl.concat([risers, fallers])
        if both.is_empty():
            st.caption(txt("overview.no_movers", year=year, previous=year - 1))
        else:
            frame = both.select(
                pl.struct("name", "parent_name", "unit_code")
                .map_elements(
                    lambda s: display.unit_label(s["name"], s["parent_name"], s["unit_code"]), return_dtype=pl.String
                )
                .alias("label"),
                pl.col("score_change").alias("change"),
            ).with_columns(
                pl.col("change")
                .map_elements(lambda v: display.signed(v, language), return_dtype=pl.String)
                .alias("change_text")
            )
            ui.show_chart(
                views.figure(
                    db,
                    f"overview-movers-{kind}-{year}",
                    language,
                    lambda: figures.movers(
                        frame,
                        figures.Frame(
                            txt("overview.movers_title", kind=kind_names[kind], year=year),
                            txt("overview.movers_sub", previous=year - 1),
                            src,
                            language,
                        ),
                    ),
                ),
                f"overview-movers-{kind}-{year}",
            )

    # ---- open data-quality warnings ---------------------------------------------------------------------
    ui.section(txt("overview.quality", year=year), "report")
    flagged = views.units_with_findings(db, year)
    if flagged.is_empty():
        st.caption(txt("overview.no_findings"))
    else:
        message = "message_vi" if language == "vi" else "message_en"
        frame = flagged.select(
            pl.col("name").fill_null(pl.col("unit_code")).alias(display.col("unit", language)),
            pl.col("kind")
            .map_elements(lambda k: display.kind_name(k, language), return_dtype=pl.String)
            .alias(display.col("kind", language)),
            pl.col("findings")
            .map_elements(lambda v: fmt.integer(v, language), return_dtype=pl.String)
            .alias(display.col("findings", language)),
            pl.col(message).alias(display.col("message", language)),
        )
        ui.show_table(frame, f"overview-quality-{year}", numeric=(display.col("findings", language),))


def _leaders(b: views.Base, year: int) -> list[str]:
    """The top three published provinces of the latest official year up to `year` (else the first one)."""
    years = off.years(b.official) or [year]
    shown = max([y for y in years if y <= year] or [years[0]])
    return off.ranking(b.official, shown).filter(pl.col("rank").is_not_null())["unit_code"].head(3).to_list()


render()
