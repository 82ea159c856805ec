"""The council's session papers as Word documents in the administrative form (exports.document_form):

- the ballot (phiếu bầu): per group, each candidate with its figures and "Đồng ý / Không đồng ý" boxes, and how
  many the member may approve;
- the tally sheet (biên bản kiểm phiếu): members and ballots, the votes per candidate, the share of the base and
  the result against the voting rule (analysis.quota.council, data/rules/council.yaml). Without a recorded
  vote the counts are left blank to be filled in by hand.
"""

from __future__ import annotations

import io

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from analysis.quota import council, explain
from analysis.quota.council import BallotGroup, Threshold
from analysis.quota.model import pick
from analysis.quota.simulate import SimulationResult
from core import fmt
from core.i18n import Translator
from exports import document_form as form
from services.council import counted
from store.council import Decision, DocumentSettings

TABLE_PT = 12
BOX = "☐"


# Column widths (cm) over the 16 cm between the margins: the name column takes what the figures leave.
BALLOT_COLS = {False: (1.2, 6.8, 2.0, 2.0, 2.0, 2.0), True: (1.0, 4.0, 4.0, 1.6, 1.4, 2.0, 2.0)}
TALLY_COLS = (1.2, 4.6, 1.6, 1.8, 1.8, 1.9, 1.8, 1.3)


def _grid(doc: DocxDocument, headers: list[str], rows: list[list[str]], right: set[int], cm: tuple[float, ...]) -> None:
    table = doc.add_table(rows=len(rows) + 1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    cells = table._cells
    width = len(headers)
    for r, values in enumerate([headers, *rows]):
        for c, text in enumerate(values):
            p = cells[r * width + c].paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            if r == 0 or c in right:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER if r == 0 or text == BOX else WD_ALIGN_PARAGRAPH.RIGHT
            run = p.add_run(text)
            run.font.size = Pt(TABLE_PT if text != BOX else TABLE_PT + 4)
            run.bold = r == 0
    form.widths(table, cm)


def _points(value: float | None, lang: str) -> str:
    return fmt.number(value, lang, 2) if value is not None else ""


def _save(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _who(group: BallotGroup, say: Translator) -> str:
    return say("col.person") if group.individual else say("col.unit")


def ballot(result: SimulationResult, kind: str, settings: DocumentSettings, lang: str) -> bytes:
    """The ballot for the ties at the cut-off (kind "ties") or for the whole list ("list")."""
    say = Translator("council.doc", lang)
    doc = form.new_document()
    doc.core_properties.title = say(f"ballot_title_{kind}")
    doc.core_properties.language = lang
    form.heading(doc, settings, lang, None, None, place_dots=False)
    scope = explain.scope_label(result, lang)
    form.title(doc, say("ballot_kind"), say(f"ballot_title_{kind}") + f" — {scope}")
    form.paragraph(doc, say("basis", scenario=pick(result.scenario.name, lang), document=_document(result, lang)))
    groups = council.ballot(result, kind)
    if not groups:
        form.paragraph(doc, say("nothing_to_vote"), italic=True)
    for number, g in enumerate(groups, start=1):
        form.paragraph(doc, f"{number}. {g.title(lang)}", bold=True).paragraph_format.space_before = Pt(9)
        form.paragraph(doc, say("choose", seats=g.seats, candidates=g.candidates.height), italic=True)
        headers = [say("col.order"), _who(g, say)]
        headers += [say("col.person_unit")] if g.individual else []
        headers += [say("col.measure"), say("col.position"), say("col.yes"), say("col.no")]
        rows = []
        for i, r in enumerate(g.candidates.iter_rows(named=True), start=1):
            row = [str(i), r["name"]] + ([r["unit_name"] or ""] if g.individual else [])
            rows.append([*row, _points(r["measure"], lang), str(r["position"]), BOX, BOX])
        last = len(headers) - 1
        _grid(doc, headers, rows, {last - 3, last - 2, last - 1, last}, BALLOT_COLS[g.individual])
    form.paragraph(doc, say("ballot_how"), italic=True)
    return _save(doc)


def _document(result: SimulationResult, lang: str) -> str:
    return explain.document(result.scenario, lang) if result.scenario.plan.number else pick(result.scenario.name, lang)


def tally(
    result: SimulationResult,
    kind: str,
    settings: DocumentSettings,
    lang: str,
    decision: Decision | None = None,
    threshold: Threshold | None = None,
) -> bytes:
    """The tally sheet; with a recorded decision its counts and results, without one blanks to fill in."""
    say = Translator("council.doc", lang)
    rule = threshold or council.thresholds()[decision.threshold if decision else council.default_threshold()]
    doc = form.new_document()
    doc.core_properties.title = say("tally_kind")
    doc.core_properties.language = lang
    on = decision.session_date if decision else None
    form.heading(doc, settings, lang, form.number_symbol(settings, "BB"), on, place_dots=True)
    scope = explain.scope_label(result, lang)
    form.title(doc, say("tally_kind"), say(f"ballot_title_{kind}") + f" — {scope}")
    form.paragraph(doc, say("basis", scenario=pick(result.scenario.name, lang), document=_document(result, lang)))
    blank = "……"
    if decision:
        when = say("session_on", day=fmt.day(decision.session_date, lang))
        members, present = str(decision.members), str(decision.present)
        issued, returned = str(decision.ballots_issued), str(decision.ballots_returned)
        valid = str(decision.ballots_returned - decision.ballots_invalid)
        invalid = str(decision.ballots_invalid)
    else:
        when = say("session_blank")
        members = present = issued = returned = valid = invalid = blank
    form.paragraph(doc, when)
    form.paragraph(doc, say("members", members=members, present=present))
    if decision:
        need = council.quorum(decision.members)
        met = say("quorum_met") if decision.present >= need else say("quorum_not_met")
        form.paragraph(doc, say("quorum", needed=need, source=council.quorum_source(), result=met), italic=True)
    form.paragraph(doc, say("ballots", issued=issued, returned=returned, valid=valid, invalid=invalid))
    form.paragraph(doc, say("rule", rule=pick(rule.name, lang), document=rule.document))
    if not rule.verified:
        form.paragraph(doc, say("rule_unverified"), italic=True)
    recorded = counted(decision) if decision else {}
    for number, g in enumerate(council.ballot(result, kind), start=1):
        form.paragraph(doc, f"{number}. {g.title(lang)}", bold=True).paragraph_format.space_before = Pt(9)
        if decision:
            needed = rule.needed(decision.members, decision.present)
            form.paragraph(doc, say("needed", needed=needed, seats=g.seats), italic=True)
        headers = [say("col.order"), _who(g, say), say("col.measure"), say("col.yes_votes"), say("col.no_votes")]
        headers += [say("col.share"), say("col.result"), say("col.decided")]
        rows = []
        for i, r in enumerate(g.candidates.iter_rows(named=True), start=1):
            row = [str(i), r["name"], _points(r["measure"], lang)]
            if r["key"] not in recorded:
                rows.append([*row, "", "", "", "", ""])
                continue
            v, c = recorded[r["key"]]
            share = fmt.number(float(c.share) * 100, lang, 2) + " %"
            outcome = say("revote") if c.revote else say("passes") if c.seat else say("fails")
            if not c.votes_for + c.votes_against:
                rows.append([*row, "", "", "", say("not_voted"), ""])
                continue
            rows.append(
                [*row, str(c.votes_for), str(c.votes_against), share, outcome, say("yes" if v.decided else "no")]
            )
        _grid(doc, headers, rows, {2, 3, 4, 5}, TALLY_COLS)
    if decision:
        form.paragraph(doc, say("final", count=len(decision.final_names)), bold=True)
        for name in decision.final_names:
            form.paragraph(doc, f"- {name}")
    form.paragraph(doc, say("closing"), italic=True)
    form.signature(doc, settings, lang)
    return _save(doc)


def file_stem(kind: str, document: str) -> str:
    """'phieu-bau-dong-hang', 'bien-ban-kiem-phieu-danh-sach': officers file these by their Vietnamese names."""
    return {"ballot": "phieu-bau", "tally": "bien-ban-kiem-phieu"}[document] + (
        "-dong-hang" if kind == "ties" else "-danh-sach"
    )
