"""The Quota simulation page's choice of scenario: a preset, a saved scenario or one built in the one-rule form.

Widgets only: the URL keeps the preset or saved scenario's name (parsed, checked against what exists, never
executed); the form's values become a scenario in services.quota, which also says what is wrong with them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import streamlit as st

from analysis.quota import presets
from analysis.quota.model import (
    AT_CUTOFF,
    AWARD_KINDS,
    BASES,
    CASE_KINDS,
    CASE_LEVELS,
    MEASURES,
    ROUNDINGS,
    TIE_BREAKS,
    TIERS,
    pick,
)
from core import programme
from core.i18n import Translator
from dashboard import state, widget_words
from dashboard.text import plain
from services import quota as quota_service

SOURCES = ("preset", "saved", "build")
KINDS = ("department", "district", "commune")
DEFAULT_PRESET = "nga-nam-2022"
_PRESET = re.compile(r"^[a-z0-9-]{1,64}$")


def _url_param(say: Translator, name: str, valid: list[str]) -> str | None:
    value = st.query_params.get(name)
    if value is None:
        return None
    if value in valid:
        return value
    st.caption(say("page.invalid_link", name=plain(name)))
    return None


def choose_scenario(
    say: Translator, saved_names: list[str], saved: Callable[[str], dict[str, Any]]
) -> tuple[str | None, dict[str, Any] | None, str]:
    """(source, the scenario dict or None, a label) from the URL, the session and the widgets; saved(name) gives
    a saved scenario's dict."""
    from_url_saved = _url_param(say, "scenario", saved_names)
    from_url_preset = (
        _url_param(say, "preset", presets.names())
        if "preset" in st.query_params and _PRESET.match(st.query_params.get("preset", ""))
        else None
    )
    # the kind of scenario and which one, side by side: the list below them should start above the fold
    left, right = st.columns([2, 3], vertical_alignment="bottom")
    source = state.one_of(
        say("page.source"),
        SOURCES,
        key="src",
        default="saved" if from_url_saved else "preset",
        format_func=lambda s: say(f"page.source_{s}"),
        container=left,
    )
    if source == "preset":
        name = state.select(
            "preset",
            presets.names(),
            label=say("page.preset"),
            default=from_url_preset or DEFAULT_PRESET,
            format_func=lambda n: pick(presets.load(n).name, say.lang),
            container=right,
        )
        st.query_params.pop("scenario", None)
        return source, presets.raw(name), name
    if source == "saved":
        if not saved_names:
            right.info(say("page.no_saved"), icon=":material/info:")
            return source, None, ""
        name = state.select("scenario", saved_names, label=say("page.saved"), default=from_url_saved, container=right)
        st.query_params.pop("preset", None)
        return source, saved(name), name
    st.query_params.pop("preset", None)
    st.query_params.pop("scenario", None)
    return source, build_form(say), ""


def _group(say: Translator, n: int, default_kind: str, default_count: int) -> dict[str, Any]:
    st.markdown(f"**{say('page.group_n', n=n)}**")
    c = st.columns(4)
    g = {
        "name": c[0].text_input(say("field.group_name"), value=say(f"kind.{default_kind}"), key=f"f_g{n}_name"),
        "kinds": c[1].multiselect(
            say("field.kinds"),
            KINDS,
            default=[default_kind],
            key=f"f_g{n}_kinds",
            placeholder=widget_words.choose_placeholder(say.lang),
            select_all=False,
            format_func=lambda k: say(f"kind.{k}"),
        ),
        "quota_kind": c[2].selectbox(
            say("field.quota_kind"),
            ("count", "range", "percent"),
            key=f"f_g{n}_qk",
            format_func=lambda k: say(f"field.{k}"),
        ),
        "count": c[3].number_input(
            say("field.quota_count"), min_value=0, value=default_count, step=1, key=f"f_g{n}_count"
        ),
    }
    quota_cols = st.columns(6)
    g["low"] = quota_cols[0].number_input(say("field.quota_low"), min_value=0, value=2, step=1, key=f"f_g{n}_low")
    g["high"] = quota_cols[1].number_input(say("field.quota_high"), min_value=0, value=3, step=1, key=f"f_g{n}_high")
    g["percent"] = quota_cols[2].number_input(say("field.quota_percent"), value=20.0, step=5.0, key=f"f_g{n}_pct")
    g["base"] = quota_cols[3].selectbox(
        say("field.quota_base"), BASES, key=f"f_g{n}_base", format_func=lambda b: say(f"base.{b}", titles="…")
    )
    g["titles"] = quota_cols[4].text_input(say("field.quota_titles"), key=f"f_g{n}_titles")
    g["rounding"] = quota_cols[5].selectbox(
        say("field.quota_rounding"), ROUNDINGS, key=f"f_g{n}_round", format_func=lambda r: say(f"rounding.{r}")
    )
    return g


def _history_fields(say: Translator) -> dict[str, Any]:
    """The conditions over several years, folded away: each is used when its number of years is filled."""
    with st.expander(say("history.field.section")):
        st.caption(say("history.field.hint"))
        c = st.columns(4)
        out: dict[str, Any] = {
            "history_tier_years": c[0].number_input(
                say("history.field.tier_years"), value=None, min_value=1, max_value=10, key="f_h_tier_years"
            ),
            "history_tier": c[1].selectbox(
                say("history.field.tier"),
                TIERS,
                index=TIERS.index("tot"),
                key="f_h_tier",
                format_func=lambda t: say(f"tier.{t}"),
            ),
            "history_rank_years": c[2].number_input(
                say("history.field.rank_years"), value=None, min_value=2, max_value=10, key="f_h_rank_years"
            ),
        }
        c = st.columns(4)
        out["history_title_years"] = c[0].number_input(
            say("history.field.title_years"), value=None, min_value=1, max_value=10, key="f_h_title_years"
        )
        out["history_titles"] = c[1].text_input(say("history.field.titles"), key="f_h_titles")
        out["history_award_years"] = c[2].number_input(
            say("history.field.award_years"), value=None, min_value=1, max_value=10, key="f_h_award_years"
        )
        out["history_forms"] = c[3].multiselect(
            say("history.field.forms"),
            AWARD_KINDS,
            key="f_h_forms",
            format_func=lambda k: say(f"award_kind.{k}"),
            placeholder=say("history.field.forms_placeholder"),
        )
    return out


def build_form(say: Translator) -> dict[str, Any] | None:
    """The one-rule scenario form; the applied scenario stays in the session until applied again."""
    periods = programme.review_periods()
    none = say("page.none_option")
    with st.form("build", border=True):
        st.markdown(f"**{say('page.build')}**")
        st.caption(say("page.build_hint"))
        c1, c2, c3 = st.columns(3)
        values: dict[str, Any] = {
            "name": c1.text_input(say("field.name"), key="f_name"),
            "award_label": c2.text_input(
                say("field.award_label"), value=say("field.award_label_default"), key="f_award"
            ),
            "award_kind": c3.selectbox(
                say("field.award_kind"), AWARD_KINDS, key="f_award_kind", format_func=lambda k: say(f"award_kind.{k}")
            ),
        }
        forms = quota_service.award_forms(say.lang)
        values["award_form"] = st.selectbox(
            say("cost.form_field"),
            [None, *forms],
            key="f_award_form",
            format_func=lambda f: forms[f] if f else none,
            help=say("cost.form_help"),
        )
        c1, c2 = st.columns(2)
        values["recipient"] = c1.radio(
            say("field.recipient"),
            ("collective", "individual"),
            horizontal=True,
            key="f_recipient",
            format_func=lambda r: say(f"recipient.{r}"),
        )
        scope = c2.radio(
            say("field.scope"),
            ("year", *periods),
            horizontal=True,
            key="f_scope",
            format_func=lambda p: (
                say("page.scope_year")
                if p == "year"
                else say("page.period_name", start=periods[p][0], end=periods[p][1])
            ),
        )
        values["review"] = list(periods[scope]) if scope != "year" else None
        use2 = st.checkbox(say("page.use_group2"), value=True, key="f_use2")
        values["groups"] = [_group(say, 1, "department", 1), *([_group(say, 2, "commune", 2)] if use2 else [])]
        st.markdown(f"**{say('page.eligibility')}**")
        c = st.columns(4)
        values["registered_by"] = c[0].text_input(say("field.registered_by"), key="f_reg").strip()
        values["tier_min"] = c[1].selectbox(
            say("field.tier_min"),
            (None, *TIERS),
            key="f_tier",
            format_func=lambda t: none if t is None else say(f"tier.{t}"),
        )
        values["total_min"] = c[2].number_input(say("field.total_min"), value=None, key="f_total")
        values["completion_min"] = c[3].number_input(say("field.completion_min"), value=None, key="f_done")
        c = st.columns(4)
        values["no_case"] = c[0].multiselect(
            say("field.no_case"),
            CASE_KINDS,
            default=list(CASE_KINDS),
            key="f_case",
            placeholder=widget_words.choose_placeholder(say.lang),
            select_all=False,
            format_func=lambda k: say(f"case_kind.{k}"),
        )
        values["member_discipline_from"] = c[1].selectbox(
            say("field.member_discipline_from"),
            (None, *CASE_LEVELS),
            key="f_member",
            format_func=lambda lv: none if lv is None else say(f"case_level.{lv}"),
        )
        values["titles"] = c[2].text_input(say("field.titles"), key="f_titles")
        values["min_years"] = c[3].number_input(
            say("field.min_years"), value=None, min_value=1, max_value=10, key="f_years"
        )
        values["exists_at_end"] = st.checkbox(say("field.exists_at_end"), key="f_exists")
        values.update(_history_fields(say))
        c = st.columns(4)
        values["measure"] = c[0].selectbox(
            say("field.measure"),
            MEASURES[:-1],
            key="f_measure",
            format_func=lambda m: say(f"measure.{m}", component="…"),
        )
        values["component"] = c[1].text_input(say("field.component"), key="f_component").strip()
        values["tie_break"] = c[2].multiselect(
            say("field.tie_break"),
            TIE_BREAKS,
            key="f_tie",
            format_func=lambda k: say(f"tie_break.{k}", component="…"),
            placeholder=widget_words.choose_placeholder(say.lang),
            select_all=False,
        )
        values["at_cutoff"] = c[3].selectbox(
            say("field.at_cutoff"),
            AT_CUTOFF,
            index=AT_CUTOFF.index("flag"),
            key="f_cutoff",
            format_func=lambda m: say(f"at_cutoff.{m}"),
        )
        submitted = st.form_submit_button(say("page.build_submit"), type="primary")
    if submitted:
        data, errors = quota_service.from_form(values)
        if errors:
            st.session_state.pop("built", None)
            lines = [say("page.build_errors"), *[quota_service.form_error(e, say.lang) for e in errors]]
            st.error("\n".join(lines), icon=":material/error:")
        else:
            st.session_state["built"] = data
            st.success(say("page.build_ok"), icon=":material/check:")
    return st.session_state.get("built")
