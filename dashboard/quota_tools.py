"""What a reader does with a simulation on the Quota simulation page: compare it with other scenarios, test how
safe the list is against small score changes, and save, duplicate or delete scenarios.

Widgets only: the comparison, the robustness run and saving are services.quota's; scenario_actions checks the
role again on the server before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from access.policy import Denied, Principal, allowed
from analysis import quota
from analysis.quota import explain
from charts import figures
from core import fmt
from core.i18n import Translator, t
from dashboard import components as ui
from dashboard import views, widget_words
from dashboard.signin import denied_text
from dashboard.text import plain
from services import display, scenario_actions
from services import quota as quota_service
from store.queries import Published
from store.scenarios import SavedScenario, ScenarioStoreError


def compare(say: Translator, db: Path, result: quota.SimulationResult, inputs: quota.Inputs, label: str) -> None:
    ui.section(say("page.compare"), "compare_arrows", say("page.compare_caption"))
    chosen = st.multiselect(
        say("page.compare_with"),
        quota_service.compare_options(db, label),
        key="compare",
        placeholder=widget_words.choose_placeholder(say.lang),
        select_all=False,
        format_func=lambda o: quota_service.option_name(o, say.lang),
    )
    if not chosen:
        return
    compared = quota_service.compare_with(db, result, inputs, chosen, label, say.lang)
    for line in quota_service.cost_differences(compared, say.lang):
        st.markdown(f":material/payments: {plain(line)}")
    if not compared.changed:
        st.info(say("page.compare_none"), icon=":material/info:")
        return
    ui.show_table(compared.table(say.lang), f"quota-compare-{result.scope.key}", key="compare-table")


# The reader's last robustness run: (what determines it, the result). One per session, never shared.
ROBUST_SLOT = "quota_robustness"


def robustness(
    say: Translator, result: quota.SimulationResult, inputs: quota.Inputs, scenario_key: str, db: Published
) -> None:
    """The form, and the run it asks for kept in the reader's session until the scenario, the year or period,
    the published version or the noise change: any other widget on the page leaves it on screen."""
    language = say.lang
    r = result.scenario.robustness
    ui.section(
        say("page.robust"),
        "casino",
        say(
            "page.robust_caption", safe=fmt.number(r.safe * 100, language), unsafe=fmt.number(r.unsafe * 100, language)
        ),
    )
    with st.form("robust"):
        c = st.columns(4)
        kind = c[0].radio(
            say("page.noise_kind"),
            ("criterion", "total"),
            key="noise_kind",
            format_func=lambda k: say(f"page.noise_{k}"),
        )
        sd = c[1].number_input(
            say("page.criterion_sd"), min_value=0.0, max_value=20.0, value=r.criterion_sd, step=0.1, key="noise_sd"
        )
        step = c[2].number_input(
            say("page.rounding_step"), min_value=0.0, max_value=5.0, value=r.rounding_step, step=0.05, key="noise_step"
        )
        total = c[2].number_input(
            say("page.total_sd"), min_value=0.0, max_value=50.0, value=2.0, step=0.5, key="noise_total"
        )
        draws = c[3].number_input(
            say("page.draws"), min_value=100, max_value=100_000, value=r.draws, step=1000, key="noise_draws"
        )
        run = st.form_submit_button(say("page.run_robust"), icon=":material/play_arrow:")
    noise = {"kind": kind, "sd": sd, "step": step, "total": total if kind == "total" else None, "draws": int(draws)}
    key = quota_service.robustness_key(scenario_key, result.scope, db.version, noise)
    kept = st.session_state.get(ROBUST_SLOT)
    if run:
        rob = quota_service.robustness(
            result, inputs, noise_kind=kind, criterion_sd=sd, rounding_step=step, total_sd=total, draws=int(draws)
        )
        st.session_state[ROBUST_SLOT] = (key, rob)
    elif kept is not None and kept[0] == key:
        rob = kept[1]
        st.caption(say("page.robust_kept"))
    else:
        st.session_state.pop(ROBUST_SLOT, None)  # another scenario, scope, version or noise: not this run's
        return
    _show_robustness(say, result, rob, db)


def _show_robustness(
    say: Translator, result: quota.SimulationResult, rob: quota.RobustnessResult, db: Published
) -> None:
    language = say.lang
    counts = rob.summary()
    metrics = st.columns(3)
    metrics[0].metric(say("page.robust_metrics_in"), fmt.integer(counts["safe_in"], language))
    metrics[1].metric(say("page.robust_metrics_flip"), fmt.integer(counts["coin_flip"], language))
    metrics[2].metric(say("page.robust_metrics_out"), fmt.integer(counts["safe_out"], language))
    st.caption(say("page.robust_formula", draws=fmt.integer(rob.noise.draws, language), seed=rob.noise.seed))
    names = {"on": t("charts.legend.on_list", language), "off": t("charts.legend.off_list", language)}
    source = display.source_line(views.base(db).meta, db.version, language)
    note = say(
        "page.robust_chart_note",
        safe=fmt.number(rob.safe * 100, language),
        unsafe=fmt.number(rob.unsafe * 100, language),
    )
    cuts = sorted({rob.unsafe * 100, 50.0, rob.safe * 100})
    for i, chart in enumerate(quota_service.robustness_charts(rob, result, language)):
        subtitle = say(
            "page.robust_chart_sub",
            rule=chart.rule,
            scope=explain.scope_label(result, language),
            draws=fmt.integer(rob.noise.draws, language),
        )
        frame = figures.Frame(say("page.robust_chart_title"), subtitle, source, language, note)
        view = f"quota-robustness-{result.scope.key}-{i + 1}"
        ui.show_chart(figures.robustness_bars(chart.frame, frame, names, cuts), view, key=f"robust-chart-{i}")
        if chart.shown < chart.total:
            st.caption(
                say(
                    "page.robust_chart_subset",
                    shown=fmt.integer(chart.shown, language),
                    total=fmt.integer(chart.total, language),
                )
            )
    st.caption(say("page.robust_more"))
    ui.show_table(
        explain.robustness_table(rob, result, language),
        f"quota-robustness-{result.scope.key}",
        key="robust-table",
        height=None if rob.frame.height <= 40 else 600,
    )


def _saved_row(say: Translator, s: SavedScenario) -> str:
    return say("page.saved_row", name=plain(s.name), author=plain(s.author), moment=fmt.moment(s.updated, say.lang))


def save_and_manage(say: Translator, data: dict[str, Any] | None, db: Path, who: Principal | None) -> None:
    ui.section(say("page.manage"), "bookmarks", say("page.manage_caption"))
    # Only a courtesy: scenario_actions checks the role again on the server before anything is written.
    if not allowed(who, scenario_actions.ACTION):
        for s in quota_service.saved(db):
            st.markdown(_saved_row(say, s))
        return
    if data is not None:
        with st.form("save"):
            c = st.columns([2, 2, 1])
            name = c[0].text_input(say("page.save_name"), key="save_name")
            author = c[1].text_input(say("page.save_author"), value=who.name if who else "", key="save_author")
            overwrite = c[2].checkbox(say("page.save_overwrite"), key="save_overwrite")
            if st.form_submit_button(say("page.save_button"), icon=":material/save:"):
                try:
                    saved = quota_service.save(db, who, data, name, author, overwrite)
                    st.success(say("page.saved_ok", name=plain(saved.name), moment=fmt.moment(saved.updated, say.lang)))
                except Denied as exc:
                    st.error(denied_text(exc))
                except (ScenarioStoreError, quota.ScenarioError) as exc:
                    st.error(plain(quota_service.store_error(exc, say.lang)))
    for i, s in enumerate(quota_service.saved(db)):
        c = st.columns([4, 2, 1, 1])
        c[0].markdown(_saved_row(say, s))
        copy = c[1].text_input(
            say("page.duplicate_name"),
            key=f"dup_name_{i}",
            label_visibility="collapsed",
            placeholder=say("page.duplicate_name"),
        )
        try:
            if c[2].button(say("page.duplicate"), key=f"dup_{i}", icon=":material/content_copy:") and copy:
                scenario_actions.duplicate(db, who, s.name, copy)
                st.rerun()
            if c[3].button(say("page.delete"), key=f"del_{i}", icon=":material/delete:"):
                scenario_actions.delete(db, who, s.name)
                st.rerun()
        except Denied as exc:
            st.error(denied_text(exc))
        except ScenarioStoreError as exc:
            st.error(plain(quota_service.store_error(exc, say.lang)))
