"""The draft's council section: each council session recorded for the report's year or period (services.council),
with the rule that made the list, the session's facts, the votes against the threshold and the final list."""

from __future__ import annotations

from analysis import quota
from analysis.quota import council, explain
from analysis.quota.model import pick
from core import fmt
from core.i18n import Translator
from exports.filenames import slug
from exports.report.content import ReportTable, Section
from exports.report.scope import Scope
from exports.tables import TableMeta
from services import council as council_service
from store.queries import Published


def section(db: Published, scope: Scope, lang: str) -> Section | None:
    """None when no session was recorded for this scope: the draft then says nothing about the council."""
    recorded = council_service.decisions(db.db, scope.first, scope.last)
    if not recorded:
        return None
    say = Translator("council.report", lang)
    out = Section(say("heading"))
    for d in recorded:
        try:
            scenario = quota.parse(d.scenario)
            name = pick(scenario.name, lang)
            document = explain.document(scenario, lang) if scenario.plan.number else name
        except quota.ScenarioError:  # a rule file changed since the vote: the label still names it
            name = document = d.scenario_label
        rule = council.thresholds().get(d.threshold)
        out.blocks.append(
            say(
                "intro",
                day=fmt.day(d.session_date, lang),
                scenario=name,
                document=document,
                present=d.present,
                members=d.members,
                issued=d.ballots_issued,
                returned=d.ballots_returned,
                valid=d.ballots_returned - d.ballots_invalid,
                rule=f"{pick(rule.name, lang)} ({rule.document})" if rule else d.threshold,
            )
        )
        meta = TableMeta(
            title=say("votes_title", scenario=name),
            filters=[],
            source=document,
            sheet=say("sheet"),
        )
        table_name = f"hoi-dong-{slug(d.scenario_label)}"
        out.blocks.append(ReportTable(table_name, meta, council_service.vote_rows(d, lang)))
        out.blocks.append(say("final", count=len(d.final_names), names="; ".join(d.final_names)))
    return out
