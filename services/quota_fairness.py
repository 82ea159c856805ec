"""The fairness section of the Quota simulation page, Streamlit-free: who the individuals' awards go to, as
tables in the reader's language, and the line saying whether the list meets the scenario's preference."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis import quota
from analysis.quota import fairness as fair
from core import fmt
from core.i18n import Translator


@dataclass(frozen=True)
class FairnessView:
    summary: str
    verdict: str  # the preference met or departed from; empty when none proposed
    warning: bool  # the list departs from the preference
    tables: list[tuple[str, str, pl.DataFrame]]  # (dimension, heading, table) per dimension


def _label(say: Translator, dimension: str, key: str, label: str) -> str:
    if dimension == "position":
        return say(f"fairness.class.{key}")
    if dimension == "kind":
        return say(f"kind.{key}") if key else say("fairness.unknown")
    return label if key != fair.NO_DISTRICT else say("fairness.no_district")


def table(res: fair.FairnessResult, dimension: str, lang: str) -> pl.DataFrame:
    say = Translator("quota", lang)
    rows = res.dimension(dimension)
    frame = pl.DataFrame(
        {
            say("fairness.col.group"): [
                _label(say, dimension, k, lb) for k, lb in rows.select("key", "label").iter_rows()
            ],
            say("fairness.col.proposed"): [fmt.integer(v, lang) for v in rows["proposed"]],
            say("fairness.col.proposed_pct"): [fmt.percent(v, lang, 1) for v in rows["proposed_pct"]],
            say("fairness.col.considered"): [fmt.integer(v, lang) for v in rows["considered"]],
            say("fairness.col.considered_pct"): [fmt.percent(v, lang, 1) for v in rows["considered_pct"]],
        },
        schema_overrides={say("fairness.col.group"): pl.String},
    )
    # nobody proposed: there is no share of the list to show (the section says so above the table)
    return frame if res.proposed else frame.drop(say("fairness.col.proposed_pct"))


def view(result: quota.SimulationResult, inputs: quota.Inputs, lang: str) -> FairnessView | None:
    """The section's words and tables; None when the scenario has no individuals' rule for this scope."""
    res = fair.fairness(result, inputs)
    if res is None:
        return None
    say = Translator("quota", lang)
    summary = say(
        "fairness.summary", proposed=fmt.integer(res.proposed, lang), considered=fmt.integer(res.considered, lang)
    )
    pref = res.preference
    if not res.proposed:
        verdict = say("fairness.none_proposed")
    elif pref is None:
        verdict = say("fairness.no_preference")
    else:
        verdict = say(
            "fairness.departs" if res.departs else "fairness.meets",
            favour=say(f"fairness.class.{pref.favour}"),
            share=fmt.percent(res.favoured_share, lang, 1),
            count=fmt.integer(res.favoured, lang),
            total=fmt.integer(res.proposed, lang),
            min=fmt.percent(pref.min_share, lang),
            source=pref.source or result.scenario.plan.number,
        )
    tables = [(d, say(f"fairness.dimension.{d}"), table(res, d, lang)) for d in fair.DIMENSIONS]
    return FairnessView(summary, verdict, res.departs, tables)


def lines(result: quota.SimulationResult, inputs: quota.Inputs, lang: str) -> list[str]:
    """The section as lines of text, for the award annex and the CLI: title, summary, verdict, then one line
    per position class ("Người trực tiếp làm công tác: 1/3 (33,3%); trong số được xét 5/24 (20,8%)")."""
    fv = view(result, inputs, lang)
    res = fair.fairness(result, inputs)
    if fv is None or res is None:
        return []
    say = Translator("quota", lang)
    out = [say("fairness.title"), fv.summary, fv.verdict]
    for key, proposed, proposed_pct, considered, considered_pct in (
        res.dimension("position").select("key", "proposed", "proposed_pct", "considered", "considered_pct").iter_rows()
    ):
        out.append(
            say(
                "fairness.line",
                group=say(f"fairness.class.{key}"),
                proposed=fmt.integer(proposed, lang),
                total=fmt.integer(res.proposed, lang),
                share=fmt.percent(proposed_pct, lang, 1) if res.proposed else fmt.MISSING,
                considered=fmt.integer(considered, lang),
                all=fmt.integer(res.considered, lang),
                considered_share=fmt.percent(considered_pct, lang, 1),
            )
        )
    return out
