"""Mô phỏng chỉ tiêu khen thưởng / Award-quota simulation: pick or build a scenario, see who is proposed
under which rule and why, compare scenarios, test how safe the list is, save and share it.

Layout and widgets only: the scenario dict goes to analysis.quota, which validates, simulates and words
the result; the URL keeps the preset or saved scenario's name and the year or period (parsed, checked
against what exists, never executed).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import polars as pl
import streamlit as st

from access.policy import Denied, allowed
from analysis import quota
from analysis.quota import explain, presets
from analysis.quota.form import field_of, scenario_from_form
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
from analysis.rules import review_periods
from core import fmt
from dashboard import components as ui
from dashboard import quota_views, state, views
from dashboard.context import db_path, lang, txt, user
from dashboard.quality_banner import quality_banner
from dashboard.signin import denied_text
from exports import award_annex
from exports.filenames import slug
from services import scenario_actions
from store.queries import Published
from store.scenarios import ScenarioStore, ScenarioStoreError, folder

SOURCES = ("preset", "saved", "build")
KINDS = ("department", "district", "commune")
SHOWN_ROBUST = 20
DEFAULT_PRESET = "nga-nam-2022"
_PRESET = re.compile(r"^[a-z0-9-]{1,64}$")


def w(key: str, **params: object) -> str:
    return txt(f"quota.{key}", **params)


def _url_param(name: str, valid: list[str]) -> str | None:
    value = st.query_params.get(name)
    if value is None:
        return None
    if value in valid:
        return value
    st.caption(w("page.invalid_link", name=name))
    return None


def _choose_scenario(store: ScenarioStore) -> tuple[str, dict[str, Any] | None, str]:
    """(source, the scenario dict or None, a label) from the URL, the session and the widgets."""
    saved_names = [s.name for s in store.list()]
    from_url_saved = _url_param("scenario", saved_names)
    from_url_preset = _url_param("preset", presets.names()) if "preset" in st.query_params and \
        _PRESET.match(st.query_params.get("preset", "")) else None
    if "src" not in st.session_state:
        st.session_state["src"] = "saved" if from_url_saved else "preset"
    source = st.segmented_control(w("page.source"), SOURCES, key="src", required=True,
                                  format_func=lambda s: w(f"page.source_{s}"))
    if source == "preset":
        names = presets.names()
        if from_url_preset and st.session_state.get("preset_pick") is None:
            st.session_state["preset_pick"] = from_url_preset
        if st.session_state.get("preset_pick") is None:
            st.session_state["preset_pick"] = DEFAULT_PRESET
        name = st.selectbox(w("page.preset"), names, key="preset_pick",
                            format_func=lambda n: pick(presets.load(n).name, lang()))
        st.query_params["preset"] = name
        st.query_params.pop("scenario", None)
        return source, presets.raw(name), name
    if source == "saved":
        if not saved_names:
            st.info(w("page.no_saved"), icon=":material/info:")
            return source, None, ""
        if from_url_saved and st.session_state.get("saved_pick") is None:
            st.session_state["saved_pick"] = from_url_saved
        name = st.selectbox(w("page.saved"), saved_names, key="saved_pick")
        st.query_params["scenario"] = name
        st.query_params.pop("preset", None)
        return source, store.get(name).scenario, name
    st.query_params.pop("preset", None)
    st.query_params.pop("scenario", None)
    return source, _build_form(), ""


def _build_form() -> dict[str, Any] | None:
    """The one-rule scenario form; the applied scenario stays in the session until applied again."""
    periods = review_periods()
    none = w("page.none_option")
    with st.form("build", border=True):
        st.markdown(f"**{w('page.build')}**")
        st.caption(w("page.build_hint"))
        c1, c2, c3 = st.columns(3)
        values: dict[str, Any] = {
            "name": c1.text_input(w("field.name"), key="f_name"),
            "award_label": c2.text_input(w("field.award_label"), value="Giấy khen của Chủ tịch UBND", key="f_award"),
            "award_kind": c3.selectbox(w("field.award_kind"), AWARD_KINDS, key="f_award_kind",
                                       format_func=lambda k: w(f"award_kind.{k}")),
        }
        c1, c2 = st.columns(2)
        values["recipient"] = c1.radio(w("field.recipient"), ("collective", "individual"), horizontal=True,
                                       key="f_recipient", format_func=lambda r: w(f"recipient.{r}"))
        scope = c2.radio(w("field.scope"), ("year", *periods), horizontal=True, key="f_scope",
                         format_func=lambda p: w("page.scope_year") if p == "year" else
                         w("page.period_name", start=periods[p][0], end=periods[p][1]))
        values["review"] = list(periods[scope]) if scope != "year" else None
        groups = []
        use2 = st.checkbox(w("page.use_group2"), value=True, key="f_use2")
        for n, default_kind, default_count in ((1, "department", 1), (2, "commune", 2)):
            if n == 2 and not use2:
                break
            st.markdown(f"**{w('page.group_n', n=n)}**")
            c = st.columns(4)
            g = {
                "name": c[0].text_input(w("field.group_name"), value=w(f"kind.{default_kind}"), key=f"f_g{n}_name"),
                "kinds": c[1].multiselect(w("field.kinds"), KINDS, default=[default_kind], key=f"f_g{n}_kinds",
                                          format_func=lambda k: w(f"kind.{k}")),
                "quota_kind": c[2].selectbox(w("field.quota_kind"), ("count", "range", "percent"),
                                             key=f"f_g{n}_qk", format_func=lambda k: w(f"field.{k}")),
                "count": c[3].number_input(w("field.quota_count"), min_value=0, value=default_count, step=1,
                                           key=f"f_g{n}_count"),
            }
            c = st.columns(6)
            g["low"] = c[0].number_input(w("field.quota_low"), min_value=0, value=2, step=1, key=f"f_g{n}_low")
            g["high"] = c[1].number_input(w("field.quota_high"), min_value=0, value=3, step=1, key=f"f_g{n}_high")
            g["percent"] = c[2].number_input(w("field.quota_percent"), value=20.0, step=5.0, key=f"f_g{n}_pct")
            g["base"] = c[3].selectbox(w("field.quota_base"), BASES, key=f"f_g{n}_base",
                                       format_func=lambda b: w(f"base.{b}", titles="…"))
            g["titles"] = c[4].text_input(w("field.quota_titles"), key=f"f_g{n}_titles")
            g["rounding"] = c[5].selectbox(w("field.quota_rounding"), ROUNDINGS, key=f"f_g{n}_round",
                                           format_func=lambda r: w(f"rounding.{r}"))
            groups.append(g)
        values["groups"] = groups
        st.markdown(f"**{w('page.eligibility')}**")
        c = st.columns(4)
        values["registered_by"] = c[0].text_input(w("field.registered_by"), key="f_reg").strip()
        tier = c[1].selectbox(w("field.tier_min"), (None, *TIERS), key="f_tier",
                              format_func=lambda t: none if t is None else w(f"tier.{t}"))
        values["tier_min"] = tier
        values["total_min"] = c[2].number_input(w("field.total_min"), value=None, key="f_total")
        values["completion_min"] = c[3].number_input(w("field.completion_min"), value=None, key="f_done")
        c = st.columns(4)
        values["no_case"] = c[0].multiselect(w("field.no_case"), CASE_KINDS, default=list(CASE_KINDS),
                                             key="f_case", format_func=lambda k: w(f"case_kind.{k}"))
        values["member_discipline_from"] = c[1].selectbox(
            w("field.member_discipline_from"), (None, *CASE_LEVELS), key="f_member",
            format_func=lambda lv: none if lv is None else w(f"case_level.{lv}"))
        values["titles"] = c[2].text_input(w("field.titles"), key="f_titles")
        values["min_years"] = c[3].number_input(w("field.min_years"), value=None, min_value=1, max_value=10,
                                                key="f_years")
        values["exists_at_end"] = st.checkbox(w("field.exists_at_end"), key="f_exists")
        c = st.columns(4)
        values["measure"] = c[0].selectbox(w("field.measure"), MEASURES[:-1], key="f_measure",
                                           format_func=lambda m: w(f"measure.{m}", component="…"))
        values["component"] = c[1].text_input(w("field.component"), key="f_component").strip()
        values["tie_break"] = c[2].multiselect(w("field.tie_break"), TIE_BREAKS, key="f_tie",
                                               format_func=lambda k: w(f"tie_break.{k}", component="…"))
        values["at_cutoff"] = c[3].selectbox(w("field.at_cutoff"), AT_CUTOFF, index=AT_CUTOFF.index("flag"),
                                             key="f_cutoff", format_func=lambda m: w(f"at_cutoff.{m}"))
        submitted = st.form_submit_button(w("page.build_submit"), type="primary")
    if submitted:
        data = scenario_from_form(values)
        errors = quota.validate(data)
        if errors:
            st.session_state.pop("built", None)
            lines = [w("page.build_errors")]
            for e in errors:
                group, name = field_of(e)
                label = w(f"field.{name}") if txt(f"quota.field.{name}") != f"quota.field.{name}" else e.path
                where = f"{w('page.group_n', n=group)} › {label}" if group else label
                lines.append(f"- **{where}**: {w('validation.' + e.code, **e.params)}")
            st.error("\n".join(lines), icon=":material/error:")
        else:
            st.session_state["built"] = data
            st.success(w("page.build_ok"), icon=":material/check:")
    return st.session_state.get("built")


def _choose_scope(periods: dict[str, tuple[int, int]], years: list[int]) -> quota.Scope:
    kinds = ("year", "review")
    if "scope_kind" not in st.session_state:
        st.session_state["scope_kind"] = "review" if "period" in st.query_params and "year" not in st.query_params \
            else "year"
    c1, c2 = st.columns([1, 2])
    kind = c1.segmented_control(w("page.scope_kind"), kinds, key="scope_kind", required=True,
                                format_func=lambda k: w(f"page.scope_{k}"))
    if kind == "year":
        year = state.select("year", years, label=w("page.year"), default=years[-1] if years else None,
                            container=c2)
        st.query_params.pop("period", None)
        return quota.Scope.year(int(year))
    period = state.select("period", list(periods), label=w("page.period"), container=c2,
                          format_func=lambda p: w("page.period_name", start=periods[p][0], end=periods[p][1]))
    st.query_params.pop("year", None)
    first, last = periods[period]
    return quota.Scope(first, last)


def _show_group(g: quota.GroupResult, language: str, key: str) -> None:
    st.markdown(f"**{pick(g.group.name, language)}** — "
                f"{explain.quota_text(g.group, language, g.quota, g.rule.recipient)}")
    for n in g.notices:
        (st.warning if n.level == "warning" else st.info)(explain.notice(n, language), icon=":material/info:")
    if g.eligible:
        st.caption(w("page.awarded"))
        ui.show_table(explain.awarded_table(g, language), f"quota-{key}-awarded", key=f"{key}-awarded")
        if g.left_out.height:
            st.caption(w("page.left_out"))
            ui.show_table(explain.left_out_table(g, language), f"quota-{key}-left-out", key=f"{key}-left")
    if g.excluded.height:
        counts = explain.excluded_by_filter(g)
        with st.expander(w("page.excluded", count=g.excluded["id"].n_unique())):
            st.caption(w("page.excluded_counts", items="; ".join(
                f"{explain.filter_name(f, language)}: {n}" for f, n in counts.items())))
            ui.show_table(explain.excluded_table(g, language), f"quota-{key}-excluded", key=f"{key}-excluded")


def _show_result(result: quota.SimulationResult, language: str) -> None:
    sc = result.scenario
    for n in result.notices:
        st.warning(explain.notice(n, language), icon=":material/warning:")
    if sc.notes:
        with st.expander(w("page.notes")):
            for text in explain.notes(sc, language):
                st.markdown(f"- {text}")
    for i, rr in enumerate(result.rules):
        ui.section(pick(rr.rule.name, language), "military_tech", explain.citation(sc, rr.rule, language))
        with st.expander(w("page.rule_text")):
            st.markdown("\n".join(f"- {line}" for line in explain.statement(sc, rr.rule, language, rr.groups)))
        for n in rr.notices:
            st.warning(explain.notice(n, language), icon=":material/person_alert:")
        for j, g in enumerate(rr.groups):
            _show_group(g, language, f"r{i}g{j}")


def _downloads(result: quota.SimulationResult, db: Published, language: str, label: str) -> None:
    name = f"de-nghi-khen-thuong_{slug(label or result.scenario.id)}_{result.scope.key}"
    c1, c2 = st.columns(2)
    c1.download_button(w("page.download_xlsx"), award_annex.to_xlsx(result, language, db.version),
                       file_name=f"{name}.xlsx", icon=":material/download:", key="dl_xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    c2.download_button(w("page.download_csv"), award_annex.to_csv(result, language), file_name=f"{name}.csv",
                       icon=":material/download:", key="dl_csv", mime="text/csv")


def _compare(result: quota.SimulationResult, inputs: quota.Inputs, store: ScenarioStore, language: str,
             label: str) -> None:
    ui.section(w("page.compare"), "compare_arrows", w("page.compare_caption"))
    options = [f"preset:{n}" for n in presets.names()] + [f"saved:{s.name}" for s in store.list()]

    def name_of(option: str) -> str:
        kind, _, name = option.partition(":")
        return pick(presets.load(name).name, language) if kind == "preset" else name

    chosen = st.multiselect(w("page.compare_with"), [o for o in options if o.split(":", 1)[1] != label],
                            key="compare", format_func=name_of)
    if not chosen:
        return
    others = []
    for option in chosen:
        kind, _, name = option.partition(":")
        sc = presets.load(name) if kind == "preset" else quota.parse(store.get(name).scenario)
        others.append(quota.simulate(sc, inputs, result.scope))
    cmp = quota.compare([result, *others])
    labels = [label or pick(result.scenario.name, language), *[name_of(o) for o in chosen]]
    changed = cmp.frame.filter(pl.any_horizontal(pl.col(f"s{k}_change") != "same" for k in range(1, len(labels))))
    if changed.height == 0:
        st.info(w("page.compare_none"), icon=":material/info:")
        return
    table = explain.comparison_table(type(cmp)(cmp.results, changed), labels, language)
    ui.show_table(table, f"quota-compare-{result.scope.key}", key="compare-table")


def _robustness(result: quota.SimulationResult, inputs: quota.Inputs, language: str) -> None:
    r = result.scenario.robustness
    ui.section(w("page.robust"), "casino", w("page.robust_caption", safe=fmt.number(r.safe * 100, language),
                                              unsafe=fmt.number(r.unsafe * 100, language)))
    with st.form("robust"):
        c = st.columns(4)
        kind = c[0].radio(w("page.noise_kind"), ("criterion", "total"), key="noise_kind",
                          format_func=lambda k: w(f"page.noise_{k}"))
        sd = c[1].number_input(w("page.criterion_sd"), min_value=0.0, max_value=20.0, value=r.criterion_sd,
                               step=0.1, key="noise_sd")
        step = c[2].number_input(w("page.rounding_step"), min_value=0.0, max_value=5.0, value=r.rounding_step,
                                 step=0.05, key="noise_step")
        total = c[2].number_input(w("page.total_sd"), min_value=0.0, max_value=50.0, value=2.0, step=0.5,
                                  key="noise_total")
        draws = c[3].number_input(w("page.draws"), min_value=100, max_value=100_000, value=r.draws, step=1000,
                                  key="noise_draws")
        run = st.form_submit_button(w("page.run_robust"), icon=":material/play_arrow:")
    if not run:
        return
    noise = quota.Noise(criterion_sd=sd, rounding_step=step, total_sd=total if kind == "total" else None,
                        draws=int(draws), seed=r.seed)
    rob = quota.robustness(result, inputs, noise)
    counts = rob.summary()
    c = st.columns(3)
    c[0].metric(w("page.robust_metrics_in"), fmt.integer(counts["safe_in"], language))
    c[1].metric(w("page.robust_metrics_flip"), fmt.integer(counts["coin_flip"], language))
    c[2].metric(w("page.robust_metrics_out"), fmt.integer(counts["safe_out"], language))
    st.caption(w("page.robust_formula", draws=fmt.integer(noise.draws, language), seed=noise.seed))
    table = explain.robustness_table(rob, result, language)
    keep = (rob.frame["verdict"] == "coin_flip") | (pl.int_range(pl.len()).over("rule_id", "group_id") < SHOWN_ROBUST)
    keep = rob.frame.select(keep.alias("k"))["k"]
    st.caption(w("page.robust_more"))
    ui.show_table(table.filter(keep), f"quota-robustness-{result.scope.key}", key="robust-table")


def _save_and_manage(data: dict[str, Any] | None, store: ScenarioStore, db: Path, language: str) -> None:
    ui.section(w("page.manage"), "bookmarks", w("page.manage_caption", folder=str(folder(db))))
    who = user()
    # Only a courtesy: scenario_actions checks the role again on the server before anything is written.
    if not allowed(who, scenario_actions.ACTION):
        for s in store.list():
            st.markdown(w("page.saved_row", name=s.name, author=s.author, moment=fmt.moment(s.updated, language)))
        return
    if data is not None:
        with st.form("save"):
            c = st.columns([2, 2, 1])
            name = c[0].text_input(w("page.save_name"), key="save_name")
            author = c[1].text_input(w("page.save_author"), value=who.name if who else "", key="save_author")
            overwrite = c[2].checkbox(w("page.save_overwrite"), key="save_overwrite")
            if st.form_submit_button(w("page.save_button"), icon=":material/save:"):
                try:
                    stored = dict(data, name=name or data.get("name"))
                    quota.parse(stored)
                    saved = scenario_actions.save(db, who, name, json.loads(json.dumps(stored, default=str)),
                                                  author, overwrite)
                    st.success(w("page.saved_ok", name=saved.name, moment=fmt.moment(saved.updated, language)))
                except Denied as exc:
                    st.error(denied_text(exc))
                except ScenarioStoreError as exc:
                    st.error(w("page.store_error", detail=w(f"store.{exc.code}", name=exc.name)))
                except quota.ScenarioError as exc:
                    st.error(w("page.store_error", detail="; ".join(
                        f"{e.path}: {w('validation.' + e.code, **e.params)}" for e in exc.errors)))
    for i, s in enumerate(store.list()):
        c = st.columns([4, 2, 1, 1])
        c[0].markdown(w("page.saved_row", name=s.name, author=s.author, moment=fmt.moment(s.updated, language)))
        copy = c[1].text_input(w("page.duplicate_name"), key=f"dup_name_{i}", label_visibility="collapsed",
                               placeholder=w("page.duplicate_name"))
        try:
            if c[2].button(w("page.duplicate"), key=f"dup_{i}", icon=":material/content_copy:") and copy:
                scenario_actions.duplicate(db, who, s.name, copy)
                st.rerun()
            if c[3].button(w("page.delete"), key=f"del_{i}", icon=":material/delete:"):
                scenario_actions.delete(db, who, s.name)
                st.rerun()
        except Denied as exc:
            st.error(denied_text(exc))
        except ScenarioStoreError as exc:
            st.error(w("page.store_error", detail=w(f"store.{exc.code}", name=exc.name)))


def render() -> None:
    language = lang()
    db = ui.open_page(w("page.title"))
    if db is None:
        return
    st.caption(w("page.intro"))
    store = ScenarioStore(db_path())
    source, data, label = _choose_scenario(store)
    periods = review_periods()
    years = views.base(db).years() or list(state.YEARS)
    scope = _choose_scope(periods, years)
    quality_banner(db, tables=["unit_result", "registration", "task_completion", "sanction", "person_year"],
                   year=scope.first if scope.kind == "year" else None)
    ui.synthetic_note(db)
    if data is None:
        return
    try:
        scenario = quota.parse(data)
    except quota.ScenarioError as exc:
        st.error("\n".join([w("cli.invalid"), *[f"- {e.path}: {w('validation.' + e.code, **e.params)}"
                                                for e in exc.errors]]))
        return
    inputs = quota_views.quota_inputs(db, scope.first, scope.last)
    result = quota_views.simulation(db, json.dumps(data, sort_keys=True, ensure_ascii=False, default=str), scope)
    st.markdown(f"### {pick(scenario.name, language)} — {explain.scope_label(result, language)}")
    if scenario.plan.number:
        st.caption(explain.document(scenario, language))
    if source != "build":
        st.caption(w("page.share"))
        st.code("?" + "&".join(f"{k}={v}" for k, v in st.query_params.items() if k != "lang"), language=None)
    _show_result(result, language)
    if result.awarded_count or any(g.ties.height for g in result.group_results()):
        ui.section(w("page.downloads"), "download")
        _downloads(result, db, language, label)
    if result.rules:
        _compare(result, inputs, store, language, label)
        _robustness(result, inputs, language)
    _save_and_manage(data, store, db_path(), language)


render()
