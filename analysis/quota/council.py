"""The council's session over a simulated list: who goes on the ballot, and the tally against the voting rule.

Two ballots: `ties` (the candidates tied at a cut-off the rule leaves to the council, status tie_council) and
`list` (the whole proposed list: awarded, admitted ties and ties for the council). The voting thresholds and
the quorum are data (data/rules/council.yaml), each with its source.

A candidate passes when its "Đồng ý" votes reach the threshold's share of the base (every member of the
council, or those present): more than the share when the rule says "quá nửa", at least the share otherwise.
In a tie, the seats left go to the candidates that pass, most votes first; equal votes over the last seat
are not settled here (the council votes again), and are marked `revote`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

import polars as pl

from analysis.quota.model import pick
from analysis.quota.select import AWARDED
from analysis.quota.simulate import GroupResult, SimulationResult
from core import yamlfile
from core.paths import RULES

BALLOTS = ("ties", "list")
ON_BALLOT = {"ties": ("tie_council",), "list": (*AWARDED, "tie_council")}


@dataclass(frozen=True)
class Threshold:
    id: str
    name: dict[str, str]
    share: Fraction
    strict: bool
    of: str  # members | present
    document: str
    quote: str
    verified: bool

    def needed(self, members: int, present: int) -> int:
        """The fewest "Đồng ý" votes that pass: more than (or at least) share × base, in whole votes."""
        base = members if self.of == "members" else present
        exact = self.share * base
        whole = int(exact)  # floor: shares and bases are positive
        return whole + 1 if self.strict or whole < exact else whole


@cache
def _rules() -> dict[str, Any]:
    with open(RULES / "council.yaml", encoding="utf-8") as fh:
        data: dict[str, Any] = yamlfile.load(fh)
    return data


def thresholds() -> dict[str, Threshold]:
    out = {}
    for key, d in _rules()["thresholds"].items():
        c = d.get("citation", {})
        share = Fraction(str(d["share"])).limit_denominator(1000)
        out[key] = Threshold(
            key, d["name"], share, bool(d["strict"]), d["of"], c.get("document", ""), c.get("quote", ""), c["verified"]
        )
    return out


def default_threshold() -> str:
    return str(_rules()["default"])


def quorum(members: int) -> int:
    """The fewest members present for the session to decide (at least the quorum's share, whole members)."""
    share = Fraction(str(_rules()["quorum"]["share"])).limit_denominator(1000)
    exact = share * members
    return int(exact) + (0 if exact == int(exact) else 1)


def quorum_source() -> str:
    return str(_rules()["quorum"]["citation"]["document"])


def key(rule_id: str, group_id: str, candidate: str) -> str:
    """A candidate on a ballot: the same unit or person may stand for several awards, each voted on apart."""
    return f"{rule_id}/{group_id}/{candidate}"


@dataclass(frozen=True)
class BallotGroup:
    """One group's candidates as a ballot lists them, and how many of them the council may choose."""

    group: GroupResult
    candidates: pl.DataFrame  # key, id, name, unit_name, measure, position, status
    seats: int  # the most "Đồng ý" a member may give in this group (the seats in play)

    @property
    def individual(self) -> bool:
        return self.group.rule.recipient == "individual"

    def title(self, lang: str) -> str:
        return f"{pick(self.group.rule.name, lang)} — {pick(self.group.group.name, lang)}"


def ballot(result: SimulationResult, kind: str) -> list[BallotGroup]:
    """The groups that have candidates on the `kind` ballot, in the result's order."""
    out = []
    for g in result.group_results():
        rows = g.ranked.filter(pl.col("status").is_in(ON_BALLOT[kind]))
        if rows.is_empty():
            continue
        seats = g.cutoff.tied_seats if kind == "ties" else g.awarded.height + g.cutoff.tied_seats
        prefix = f"{g.rule.id}/{g.group.id}/"
        cols = rows.select(
            (pl.lit(prefix) + pl.col("id")).alias("key"), "id", "name", "unit_name", "measure", "position", "status"
        )
        out.append(BallotGroup(g, cols, seats))
    return out


@dataclass(frozen=True)
class Tally:
    """One candidate's count: the votes, the share of the base, and the result against the threshold."""

    key: str
    votes_for: int
    votes_against: int
    share: Fraction  # votes_for over the threshold's base
    passes: bool
    seat: bool  # passes and within the seats in play (most votes first)
    revote: bool  # passes, but tied on votes over the last seat


def count(
    votes: dict[str, tuple[int, int]], seats: int, threshold: Threshold, members: int, present: int
) -> list[Tally]:
    """votes: candidate key → (for, against), in ballot order. Returns one Tally per candidate, same order."""
    base = members if threshold.of == "members" else present
    needed = threshold.needed(members, present)
    passing = sorted((v[0] for v in votes.values() if v[0] >= needed), reverse=True)
    last = passing[seats - 1] if 0 < seats <= len(passing) else None
    # votes that win a seat outright: more than the last seat's, or the last seat's if no one below shares it
    over = len(passing) > seats and last is not None and passing[seats] == last
    out = []
    for cid, (yes, no) in votes.items():
        passes = yes >= needed
        if last is None:
            seat, revote = passes, False
        elif over:
            seat, revote = passes and yes > last, passes and yes == last
        else:
            seat, revote = passes and yes >= last, False
        out.append(Tally(cid, yes, no, Fraction(yes, base) if base else Fraction(0), passes, seat, revote))
    return out


def final_list(result: SimulationResult, kind: str, decided: dict[str, bool]) -> list[tuple[str, str, dict[str, str]]]:
    """(candidate key, name, the rule's name) on the final list: for a ties ballot, everyone awarded outright plus
    the ties decided yes; for a list ballot, the candidates decided yes. decided: candidate key → the council's
    choice."""
    out = []
    for g in result.group_results():
        for cid, name, status in g.ranked.select("id", "name", "status").iter_rows():
            k = key(g.rule.id, g.group.id, cid)
            voted = status in ON_BALLOT[kind]
            if (voted and decided.get(k, False)) or (not voted and status in AWARDED):
                out.append((k, name, g.rule.name))
    return out
