"""The council's session for the Quota simulation page, the report and the tests: the ballot and tally papers,
recording the council's vote (the role checked and the act audited, as saved scenarios are), and the
deployment's document settings (issuer, place, signer) that every signed document uses.

Recording keeps the scenario as simulated, the session, the votes and the final list together, in a file
beside the published database (store.council), never inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from access import audit
from access.policy import Denied, Principal, require
from analysis.quota import council
from analysis.quota.model import pick
from analysis.quota.simulate import SimulationResult
from core import fmt
from core.i18n import Translator
from services.display import Table
from store.council import CouncilStore, CouncilStoreError, Decision, DocumentSettings, Vote, read_settings
from store.council import write_settings as _write_settings

RECORD_ACTION = "save_scenario"  # whoever may save a scenario may record the council's vote on it
SETTINGS_ACTION = "publish_load"  # the deployment's letterhead: an administrator's setting

__all__ = [
    "CouncilStoreError",
    "Decision",
    "DocumentSettings",
    "Session",
    "counted",
    "decision",
    "decisions",
    "record",
    "settings",
    "vote_rows",
    "vote_table",
    "write_settings",
]


def settings(db: Path) -> DocumentSettings:
    return read_settings(db)


def write_settings(db: Path, who: Principal | None, values: DocumentSettings) -> DocumentSettings:
    try:
        require(who, SETTINGS_ACTION)
    except Denied:
        audit.record(db, who, "document_settings", audit.DENIED, "settings")
        raise
    try:
        saved = _write_settings(db, values)
    except OSError as exc:
        audit.record(db, who, "document_settings", audit.FAILED, "settings", reason=type(exc).__name__)
        raise
    audit.record(db, who, "document_settings", audit.DONE, "settings")
    return saved


def vote_table(d: Decision, lang: str) -> Table:
    """vote_rows as a page shows them: numbers written as the reader's language writes them."""
    frame = vote_rows(d, lang)
    numeric = tuple(frame.columns[1:4])
    share = frame.columns[3]
    shown = frame.with_columns(
        pl.col(frame.columns[1]).cast(pl.String),
        pl.col(frame.columns[2]).cast(pl.String),
        pl.col(share).map_elements(lambda v: fmt.number(v, lang, 2), return_dtype=pl.String),
    )
    return Table(shown, numeric)


def counted(d: Decision) -> dict[str, tuple[Vote, council.Tally]]:
    """Each voted candidate's count against the decision's threshold, per group (its seats in play)."""
    rule = council.thresholds()[d.threshold]
    groups: dict[str, list[Vote]] = {}
    for v in d.votes:
        groups.setdefault(v.key.rsplit("/", 1)[0], []).append(v)
    out = {}
    for votes in groups.values():
        tallies = council.count({v.key: (v.votes_for, v.votes_against) for v in votes}, votes[0].seats, rule,
                                d.members, d.present)  # fmt: skip
        out.update({v.key: (v, c) for v, c in zip(votes, tallies, strict=True)})
    return out


def vote_rows(d: Decision, lang: str) -> pl.DataFrame:
    """The recorded votes as the page and the report show them, headers in the reader's language; candidates
    without a single vote (a group the session did not take up) are left out."""
    say = Translator("council.doc", lang)
    rows = []
    for v, c in counted(d).values():
        if not v.votes_for + v.votes_against:  # a group the session did not vote on: left out, not "fails"
            continue
        result = say("revote") if c.revote else say("passes") if c.seat else say("fails")
        rows.append([v.name, v.votes_for, v.votes_against, round(float(c.share) * 100, 2), result,
                     say("yes") if v.decided else say("no"), v.group_title])  # fmt: skip
    names = ["person_or_unit", "yes_votes", "no_votes", "percent_share", "result", "decided", "award"]
    headers = [say(f"col.{n}") for n in names]
    return pl.DataFrame(rows, schema=headers, orient="row")


def decision(db: Path, result: SimulationResult, label: str) -> Decision | None:
    """The council's recorded vote on this scenario for this year or period, if any."""
    return CouncilStore(db).get(result.scope.first, result.scope.last, label)


def decisions(db: Path, first: int, last: int) -> list[Decision]:
    return CouncilStore(db).list(first, last)


@dataclass(frozen=True)
class Session:
    """What the page collects: the session's facts and, per candidate key, (for, against, decided)."""

    ballot: str
    session_date: date
    members: int
    present: int
    ballots_issued: int
    ballots_returned: int
    ballots_invalid: int
    threshold: str
    votes: dict[str, tuple[int, int, bool]]


def record(
    db: Path,
    who: Principal | None,
    result: SimulationResult,
    label: str,
    data: dict[str, Any],
    session: Session,
    lang: str = "vi",
) -> Decision:
    """Record the council's vote on result's list (data: the scenario dict as simulated). The role is checked
    first; the outcome goes to the audit trail."""
    target = f"{label} {result.scope.key}"
    try:
        require(who, RECORD_ACTION)
    except Denied:
        audit.record(db, who, "record_council", audit.DENIED, target)
        raise
    votes = []
    for g in council.ballot(result, session.ballot):
        for r in g.candidates.iter_rows(named=True):
            yes, no, chosen = session.votes.get(r["key"], (0, 0, False))
            votes.append(
                Vote(r["key"], g.title(lang), r["id"], r["name"], r["unit_name"] or "", r["measure"],
                     r["status"], int(yes), int(no), bool(chosen), g.seats)
            )  # fmt: skip
    final = council.final_list(result, session.ballot, {v.key: v.decided for v in votes})
    made = Decision(
        scenario_label=label,
        scenario=data,
        first=result.scope.first,
        last=result.scope.last,
        ballot=session.ballot,
        session_date=session.session_date,
        members=session.members,
        present=session.present,
        ballots_issued=session.ballots_issued,
        ballots_returned=session.ballots_returned,
        ballots_invalid=session.ballots_invalid,
        threshold=session.threshold,
        votes=tuple(votes),
        final=tuple(k for k, _, _ in final),
        final_names=tuple(f"{name} — {pick(rule, lang)}" for _, name, rule in final),
        recorded_by=who.name if who else "",
    )
    try:
        CouncilStore(db).record(made)
    except CouncilStoreError as exc:
        audit.record(db, who, "record_council", audit.REFUSED, target, reason=exc.code)
        raise
    except OSError as exc:
        audit.record(db, who, "record_council", audit.FAILED, target, reason=type(exc).__name__)
        raise
    audit.record(db, who, "record_council", audit.DONE, target, votes=len(votes), final=len(made.final))
    return made
