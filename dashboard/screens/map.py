"""Bản đồ / Map: the provinces coloured by an official index, or the home province's communes by tier; a click
opens the unit's profile. The figures: services/maps.py; the drawing: charts/maps.py."""

from __future__ import annotations

import streamlit as st

from charts import maps as map_charts
from charts.frame import Frame
from core import fmt, programme
from core.i18n import DEFAULT_LANGUAGE
from dashboard import components as ui
from dashboard import state, views
from dashboard.context import lang, translator
from dashboard.map_view import show_map
from dashboard.text import plain
from services import display, maps
from services.published import Base, Published


def render() -> None:
    language = lang()
    say, choose = translator("maps"), translator("state")
    db = ui.open_page(say("title"))
    if db is None:
        return
    b = views.base(db)
    c1, c2, c3 = st.columns([1, 1, 2])
    level = state.select(
        "level", list(maps.LEVELS), label=say("level"), container=c1, format_func=lambda v: say(f"levels.{v}")
    )
    years, latest = maps.years(b)
    year = state.select("year", years, label=choose("year"), default=latest, container=c2, share_default=False)
    if level == "commune":
        communes(db, b, year, language)
        return
    codes = maps.measures(b, year)
    measure = state.select(
        "measure", codes, label=say("measure"), container=c3, format_func=lambda m: maps.measure_name(m, language)
    )
    if measure is None:
        st.info(say("no_measure", year=year), icon=":material/info:")
        measure = "par_index.score"
    rows = views.computed(db, maps.province_rows, year, measure, language)
    shapes = maps.shapes(year)
    features = shapes["features"]
    field = maps.parse(measure).field
    classes = {k: (v, maps.class_tier(k)) for k, v in maps.class_names(field, language).items()}
    name = maps.measure_name(measure, language)
    frame = Frame(
        say("province_title", measure=name, year=year),
        say(
            "province_sub",
            shapes=fmt.integer(len(features), language),
            units=fmt.integer(rows.filter(rows["klass"] != maps.NO_DATA).height, language),
        ),
        f"{display.official_source(year, language)}. {say('source_shapes')}",
        language,
    )
    view = f"map-province-{year}-{measure}"
    fig = views.figure(
        db,
        view,
        language,
        lambda: map_charts.province_map(features, rows.to_dicts(), classes, frame, say("home"), shapes["archipelagos"]),
    )
    left, right = st.columns([3, 2])
    with left:
        clicked = show_map(fig, view)
        if clicked:
            _open(b, clicked, language, year)
        st.caption(say("click_hint"))
    with right:
        ui.show_table(maps.province_table(rows, measure, language), view, caption=say("table_caption"))


def communes(db: Published, b: Base, year: int, language: str) -> None:
    say = translator("maps")
    home = b.home_province()
    if home is None:
        st.info(say("no_home"), icon=":material/info:")
        return
    points = maps.commune_points(b, year, language)
    missing = maps.unlocated(b, year)
    if missing:
        st.caption(say("unlocated", count=fmt.integer(missing, language)))
    province = (b.unit(home) or {}).get("name") or home
    outlines = maps.home_shapes(b, year)
    tiers = display.tier_names(language)
    sub = say("commune_sub", points=fmt.integer(points.height, language))
    if year < programme.reorganisation_year():
        sub += f" — {say('commune_former')}"
    frame = Frame(
        say("commune_title", province=province, year=year),
        sub,
        f"{display.source_line(b.meta, db.version, language)}. {say('source_shapes')}",
        language,
    )
    view = f"map-commune-{year}"
    fig = views.figure(
        db,
        view,
        language,
        lambda: map_charts.commune_map(outlines, points.to_dicts(), tiers, say("class.none"), frame),
    )
    left, right = st.columns([3, 2])
    with left:
        clicked = show_map(fig, view)
        if clicked:
            _open(b, clicked, language, year)
        st.caption(say("click_hint"))
    with right:
        ui.show_table(maps.commune_table(points, language), view, caption=say("table_caption"))


def _open(b: Base, code: str, language: str, year: int) -> None:
    """A link to the clicked unit's page: a commune's profile; a province's place in the official ranking,
    which is where the dashboard describes provinces."""
    unit = b.unit(code)
    if unit is None:
        return
    lang_param = {"lang": language} if language != DEFAULT_LANGUAGE else {}
    name, say = plain(unit["name"]), translator("maps")
    if unit["kind"] == "province":
        target, params = "screens/rankings.py", {"kind": "province", "year": str(year), **lang_param}
        label = say("open_ranking", unit=name, year=year)
    else:
        target, params = "screens/profile.py", {"kind": unit["kind"], "unit": code, **lang_param}
        label = say("open_profile", unit=name)
    st.page_link(
        target,
        label=label,
        icon=":material/badge:",
        query_params=params,
    )


render()
