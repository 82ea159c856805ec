"""The draft's award proposals: the lists a chosen quota scenario gives for the report's year or period,
each with the rule that produced it (analysis.quota does the choosing and words the rule; this lays it out).
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from analysis import quota
from analysis.quota import cost as list_cost
from analysis.quota import cost_words, explain, presets
from analysis.quota.model import pick
from core.i18n import t
from exports.filenames import slug
from exports.report.content import ReportTable, Section
from exports.report.scope import Scope
from exports.tables import TableMeta
from store.queries import Published

SHOWN = ("awarded", "tie_admitted", "tie_council", "tie_refused")


def section_for(scenario: str | None) -> Callable[[Published, Scope, str], Section]:
    """The award section for the named preset scenario, as an extra section of the report; without a scenario,
    the section that says which exist."""

    def make(db: Published, scope: Scope, lang: str) -> Section:
        return section(db, scope, lang, scenario) if scenario else unchosen(lang)

    return make


def unchosen(lang: str) -> Section:
    """No scenario chosen: say which exist, rather than pick one for the reader."""
    choices = ", ".join(f"{name} ({pick(presets.load(name).name, lang)})" for name in presets.names())
    return Section(t("report.section.awards", lang), [t("report.awards_unchosen", lang, choices=choices)])


def _cost(result: quota.SimulationResult, scope: Scope, lang: str) -> list[str | ReportTable]:
    """The list's cost: a sentence, the table per award form, and the total said to be incomplete when a
    reward amount is missing."""
    cost = list_cost.cost(result)
    scenario = result.scenario
    meta = TableMeta(
        title=t("quota.cost.report_table", lang),
        filters=[
            (t("report.filter.scenario", lang), pick(scenario.name, lang)),
            (t("report.filter.period", lang), scope.label(lang)),
        ],
        source=explain.document(scenario, lang),
        synthetic=result.synthetic,
        sheet=t("quota.cost.report_table", lang),
    )
    return [
        t("quota.cost.report_intro", lang),
        ReportTable("kinh-phi-khen-thuong", meta, cost_words.table(cost, lang)),
        cost_words.summary(cost, lang),
    ]


def section(db: Published, scope: Scope, lang: str, scenario_name: str) -> Section:
    w = lambda key, **p: t(f"report.{key}", lang, **p)  # noqa: E731
    out = Section(w("section.awards"))
    scenario = presets.load(scenario_name)
    q_scope = quota.Scope(scope.first, scope.last)
    result = quota.simulate(scenario, quota.load_inputs(db, q_scope), q_scope)
    out.blocks.append(w("awards_intro", scenario=pick(scenario.name, lang), document=explain.document(scenario, lang)))
    out.blocks += [explain.notice(n, lang) for n in result.notices]
    if result.synthetic:
        out.blocks.append(w("synthetic"))
    for rule_result in result.rules:
        out.blocks.append("\n".join(explain.statement(scenario, rule_result.rule, lang, rule_result.groups)))
        out.blocks += [explain.notice(n, lang) for n in rule_result.notices]
        for g in rule_result.groups:
            out.blocks += [explain.notice(n, lang) for n in g.notices]
            rows = g.ranked.filter(pl.col("status").is_in(SHOWN))
            if rows.is_empty():
                continue
            individual = g.rule.recipient == "individual"
            columns = {
                w("col.order"): pl.int_range(1, rows.height + 1),
                w("col.person") if individual else w("col.unit"): pl.col("name"),
            }
            if individual:
                columns[w("col.person_unit")] = pl.col("unit_name")
            frame = rows.select(
                **columns,
                **{
                    w("col.measure"): pl.col("measure").cast(pl.Float64),
                    w("col.position"): pl.col("position"),
                    w("col.status"): pl.col("status").map_elements(
                        lambda s: explain.status_text(s, lang), return_dtype=pl.String
                    ),
                },
            )
            title = f"{pick(rule_result.rule.name, lang)} — {pick(g.group.name, lang)}"
            meta = TableMeta(
                title=title,
                filters=[(w("filter.scenario"), pick(scenario.name, lang)), (w("filter.period"), scope.label(lang))],
                source=explain.document(scenario, lang),
                synthetic=result.synthetic,
                sheet=pick(g.group.name, lang),
            )
            name = f"de-nghi-khen-{slug(rule_result.rule.id)}-{slug(g.group.id)}"
            out.blocks.append(ReportTable(name, meta, frame))
    if result.rules:
        out.blocks += _cost(result, scope, lang)
    if not result.rules:
        out.blocks.append(w("awards_none", scenario=pick(scenario.name, lang)))
    out.blocks += explain.notes(scenario, lang)
    return out
