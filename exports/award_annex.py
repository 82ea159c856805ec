"""The award list as a proposal annex (phụ lục hồ sơ đề nghị khen thưởng): a formatted .xlsx with the
columns STT, Tên đơn vị / Họ và tên, Đơn vị, Thành tích / điểm, Hình thức khen thưởng, one section per rule
and group, the ties left to the council, and the rules that produced the list stated under the table; and
the same rows as CSV (UTF-8 with BOM, numbers as numbers), each row naming its rule and basis.

The workbook is laid out as an annex to a decision (Nghị định 30/2020/NĐ-CP) with the words of
exports.document_form: the issuer beside the national motto, the place and date, "Phụ lục" and the decision's
number and symbol to fill in, the table, and the signer's block; printed on A4 across the page's width, the
table's header on every page and the page number in the footer.

Every text cell goes through exports.cells.neutralise: a unit named "=HYPERLINK(…)" stays text.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import polars as pl
import xlsxwriter

from analysis.quota import cost as list_cost
from analysis.quota import cost_words, explain
from analysis.quota.model import pick
from analysis.quota.select import AWARDED
from analysis.quota.simulate import GroupResult, SimulationResult
from core import fmt
from core.i18n import t
from exports import document_form as form
from exports.cells import neutralise
from store.council import DocumentSettings

COLUMNS = ("stt", "name", "unit", "achievement", "award")
_WIDTHS = (6, 38, 34, 16, 40)
# The document's two halves: the issuer's block over the first two columns, the motto's and the signer's over
# the other three (Nghị định 30/2020: the issuer on the left, the motto and the signature on the right).
LEFT_HALF = (0, 1)
RIGHT_HALF = (2, len(COLUMNS) - 1)
SIGNATURE_SPACE = 4  # empty rows left for the signature and the seal
INCH_PER_CM = 1 / 2.54


@dataclass(frozen=True)
class AnnexRow:
    section: str
    status: str
    stt: int
    name: str
    unit: str
    measure: float | None
    award: str
    rule: str
    basis: str


def headers(lang: str) -> list[str]:
    name = f"{t('quota.table.unit', lang)} / {t('quota.table.person', lang)}"
    return [
        t("quota.table.stt", lang),
        name,
        t("quota.table.person_unit", lang),
        t("quota.table.achievement", lang),
        t("quota.table.award", lang),
    ]


def _section(g: GroupResult, lang: str) -> str:
    return t(
        "quota.annex.section",
        lang,
        award=pick(g.rule.award, lang),
        group=pick(g.group.name, lang),
        recipient=t(f"quota.recipient.{g.rule.recipient}", lang),
    )


def rows(result: SimulationResult, lang: str) -> list[AnnexRow]:
    """The annex's rows: the awarded of every rule and group in order, then those tied at the cut-off."""
    out: list[AnnexRow] = []
    for g in result.group_results():
        basis = explain.citation(result.scenario, g.rule, lang)
        rule = pick(g.rule.name, lang)
        individual = g.rule.recipient == "individual"
        group_name = pick(g.group.name, lang)
        picked = g.ranked.filter(pl.col("status").is_in((*AWARDED, "tie_council")))
        for i, r in enumerate(picked.iter_rows(named=True), start=1):
            unit = (r["unit_name"] if individual else group_name) or ""
            out.append(
                AnnexRow(
                    _section(g, lang),
                    r["status"],
                    i,
                    r["name"],
                    unit,
                    r["measure"],
                    pick(g.rule.award, lang),
                    rule,
                    basis,
                )
            )
    return out


def to_csv(result: SimulationResult, lang: str) -> bytes:
    """The list as CSV: the annex's five columns, then the outcome, the rule and its basis."""
    data = rows(result, lang)
    cols = [*headers(lang), t("quota.table.status", lang), t("quota.table.rule", lang), t("quota.table.basis", lang)]
    frame = pl.DataFrame(
        {
            cols[0]: [r.stt for r in data],
            cols[1]: [r.name for r in data],
            cols[2]: [r.unit for r in data],
            cols[3]: [r.measure for r in data],
            cols[4]: [r.award for r in data],
            cols[5]: [explain.status_text(r.status, lang) for r in data],
            cols[6]: [r.rule for r in data],
            cols[7]: [r.basis for r in data],
        },
        schema={c: (pl.Int64 if i == 0 else pl.Float64 if i == 3 else pl.String) for i, c in enumerate(cols)},
    )
    text = [c for c, d in frame.schema.items() if d == pl.String]
    frame = frame.with_columns(pl.col(c).map_elements(neutralise, return_dtype=pl.String) for c in text)
    frame = frame.rename({c: str(neutralise(c)) for c in frame.columns})
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_bom=True)
    return buffer.getvalue()


def to_xlsx(
    result: SimulationResult,
    lang: str,
    version: int | None = None,
    now: datetime | None = None,
    fairness: Sequence[str] = (),
    settings: DocumentSettings | None = None,
) -> bytes:
    """The annex as a one-sheet workbook, printable on A4 landscape. fairness: who the individuals' awards go
    to (services.quota_fairness.lines: a heading, then lines), written under the rules. settings: the issuer
    and the signer (store.council); none, or an empty one, prints dotted lines to fill in by hand."""
    settings = settings or DocumentSettings()
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = _Sheet(wb, t("quota.annex.sheet", lang)[:31])
    row = _document_heading(sheet, settings, lang)
    row = _heading(sheet, result, lang, version, settings, row)
    header_row = row
    row = _table(sheet, result, lang, row)
    row = _cost(sheet, result, lang, row + 1)
    row = _stated_rules(sheet, result, lang, row + 1)
    if fairness:
        row = sheet.line(row + 1, fairness[0], "bold")
        for text in fairness[1:]:
            row = sheet.line(row, f"• {text}", "note", _height(text))
    moment = fmt.moment(now or datetime.now(), lang)
    row = sheet.line(row + 1, t("quota.annex.generated", lang, moment=moment), "note", _height(moment) + 15)
    _signature(sheet, settings, lang, row + 1)
    _print_setup(sheet.ws, header_row)
    wb.close()
    return buffer.getvalue()


def _print_setup(ws: Any, header_row: int) -> None:
    """A4 landscape with the decree's margins (left 3 cm, right, top and bottom 2 cm), as wide as the page
    and as many pages long as it needs, the table's header on every page and the page number at the foot."""
    ws.repeat_rows(header_row)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=3 * INCH_PER_CM, right=2 * INCH_PER_CM, top=2 * INCH_PER_CM, bottom=2 * INCH_PER_CM)
    ws.set_footer('&C&"Times New Roman"&12&P')


class _Sheet:
    """The annex's worksheet with its cell formats (Times New Roman throughout, as official documents are)."""

    def __init__(self, wb: Any, name: str) -> None:
        self.wb = wb
        self.ws = wb.add_worksheet(name)
        self.f = _formats(wb)
        self._lines: dict[form.Line, Any] = {}
        for i, width in enumerate(_WIDTHS):
            self.ws.set_column(i, i, width)

    def line(self, row: int, text: str, fmt_name: str, height: float | None = None) -> int:
        """text across the table's width at row; returns the next row."""
        self.ws.merge_range(row, 0, row, len(COLUMNS) - 1, neutralise(text), self.f[fmt_name])
        if height:
            self.ws.set_row(row, height)
        return row + 1

    def block_line(self, row: int, half: tuple[int, int], line: form.Line) -> None:
        """One line of a document block (exports.document_form), centred across half's columns at row."""
        key = form.Line("", line.size, line.bold, line.italic)
        if key not in self._lines:
            self._lines[key] = self.wb.add_format(
                {
                    "font_name": form.FONT,
                    "font_size": line.size,
                    "bold": line.bold,
                    "italic": line.italic,
                    "align": "center",
                    "valign": "vcenter",
                }
            )
        self.ws.merge_range(row, half[0], row, half[1], neutralise(line.text), self._lines[key])


def _formats(wb: Any) -> dict[str, Any]:
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "align": "center", "font_name": "Times New Roman"}),
        "sub": wb.add_format({"italic": True, "align": "center", "font_name": "Times New Roman"}),
        "warn": wb.add_format(
            {"bold": True, "font_color": "#B00020", "align": "center", "font_name": "Times New Roman"}
        ),
        "head": wb.add_format(
            {
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "text_wrap": True,
                "bg_color": "#E8EEF7",
                "font_name": "Times New Roman",
            }
        ),
        "section": wb.add_format({"bold": True, "border": 1, "bg_color": "#F4F4F4", "font_name": "Times New Roman"}),
        "cell": wb.add_format({"border": 1, "valign": "top", "text_wrap": True, "font_name": "Times New Roman"}),
        "num": wb.add_format({"border": 1, "valign": "top", "num_format": "0.00", "font_name": "Times New Roman"}),
        "stt": wb.add_format({"border": 1, "valign": "top", "align": "center", "font_name": "Times New Roman"}),
        "text": wb.add_format({"text_wrap": True, "valign": "top", "font_name": "Times New Roman"}),
        "bold": wb.add_format({"bold": True, "font_name": "Times New Roman"}),
        "note": wb.add_format({"italic": True, "text_wrap": True, "valign": "top", "font_name": "Times New Roman"}),
        "warn_left": wb.add_format(
            {"bold": True, "font_color": "#B00020", "text_wrap": True, "valign": "top", "font_name": "Times New Roman"}
        ),
    }


def _document_heading(sheet: _Sheet, settings: DocumentSettings, lang: str) -> int:
    """From the first row, the issuer's block (left) beside the national motto, ending with the place and the
    date to fill in (right); returns the row after them. The annex has no number of its own: it goes with the
    decision's (the line under "Phụ lục")."""
    issuer, motto = form.heading_blocks(settings, lang, None, None, place_dots=True)
    for row in range(max(len(issuer), len(motto))):
        for half, block in ((LEFT_HALF, issuer), (RIGHT_HALF, motto)):
            if row < len(block):
                sheet.block_line(row, half, block[row])
    sheet.ws.set_row(len(motto) - 1, 24)  # the place and date stand a little apart from the rule above
    return max(len(issuer), len(motto))


def _heading(
    sheet: _Sheet, result: SimulationResult, lang: str, version: int | None, settings: DocumentSettings, row: int
) -> int:
    """From row, after a blank row: "Phụ lục", the title, the decision it goes with, scenario and scope,
    dataset, a synthetic-data warning, a blank row; returns the header's row."""
    scope = explain.scope_label(result, lang)
    annex, decision = form.annex_reference(settings, lang)
    row = sheet.line(row + 1, annex, "title")
    row = sheet.line(row, t("quota.annex.title", lang), "title")
    row = sheet.line(row, decision, "sub")
    row = sheet.line(
        row, t("quota.annex.subtitle", lang, scenario=pick(result.scenario.name, lang), scope=scope), "sub"
    )
    if result.dataset_name:
        dataset = t("quota.annex.dataset", lang, name=result.dataset_name, version=version if version else "–")
        row = sheet.line(row, dataset, "sub")
    if result.synthetic:
        row = sheet.line(row, t("quota.annex.synthetic", lang), "warn")
    return row + 1


def _table(sheet: _Sheet, result: SimulationResult, lang: str, row: int) -> int:
    """The header at row and the rows under it, a section line wherever the section changes; returns the row
    after the table."""
    ws, f = sheet.ws, sheet.f
    for col, text in enumerate(headers(lang)):
        ws.write_string(row, col, neutralise(text), f["head"])
    ws.set_row(row, 30)
    row += 1
    data = rows(result, lang)
    if not data:
        row = sheet.line(row, t("quota.annex.empty", lang), "cell")
    current = None
    for r in data:
        section = r.section if r.status != "tie_council" else f"{r.section} — {t('quota.annex.council', lang)}"
        if section != current:
            row = sheet.line(row, section, "section")
            current = section
        ws.write_number(row, 0, r.stt, f["stt"])
        ws.write_string(row, 1, neutralise(r.name), f["cell"])
        ws.write_string(row, 2, neutralise(r.unit), f["cell"])
        if r.measure is None:
            ws.write_blank(row, 3, None, f["num"])
        else:
            ws.write_number(row, 3, r.measure, f["num"])
        ws.write_string(row, 4, neutralise(r.award), f["cell"])
        row += 1
    return row


def _cost(sheet: _Sheet, result: SimulationResult, lang: str, row: int) -> int:
    """The list's cost: one row per award form (form and recipient, count × multiplier × base salary,
    amount, basis), the total, and whether it is complete; amounts written as the reader reads them."""
    if not result.rules:
        return row
    ws, f = sheet.ws, sheet.f
    cost = list_cost.cost(result)
    row = sheet.line(row, t("quota.cost.annex_heading", lang), "bold")
    ws.write_blank(row, 0, None, f["head"])
    heads = [
        t("quota.cost.form", lang),
        f"{t('quota.cost.count', lang)} × {t('quota.cost.multiplier', lang)} × {t('quota.cost.salary', lang)}",
        t("quota.cost.subtotal", lang),
        t("quota.cost.basis", lang),
    ]
    for col, text in enumerate(heads, start=1):
        ws.write_string(row, col, neutralise(text), f["head"])
    row += 1
    # No number in the first column: only the award list's rows are numbered (readers count them by it).
    for line, cells in zip(cost.lines, cost_words.rows(cost, lang), strict=True):
        form, recipient, count, multiplier, salary, _each, subtotal, basis = cells
        ws.write_blank(row, 0, None, f["stt"])
        ws.write_string(row, 1, neutralise(f"{form} ({recipient})"), f["cell"])
        ws.write_string(row, 2, neutralise(f"{count} × {multiplier} × {salary}"), f["cell"])
        ws.write_string(row, 3, neutralise(subtotal), f["cell"])
        ws.write_string(row, 4, neutralise(basis), f["cell"])
        ws.set_row(row, _height(basis) * 2.2 if line.missing is None else _height(basis) * 1.6)
        row += 1
    ws.write_blank(row, 0, None, f["stt"])
    ws.write_string(row, 1, neutralise(cost_words.total_label(cost, lang)), f["section"])
    ws.write_string(row, 2, neutralise(fmt.integer(cost.count, lang)), f["section"])
    ws.write_string(row, 3, neutralise(cost_words.total_text(cost, lang)), f["section"])
    ws.write_blank(row, 4, None, f["section"])
    row += 1
    summary = cost_words.summary(cost, lang)
    return sheet.line(row, summary, "warn_left" if not cost.complete else "note", _height(summary))


def _stated_rules(sheet: _Sheet, result: SimulationResult, lang: str, row: int) -> int:
    """Under the table, the rules that produced it with their notices, then the scenario's notes."""
    scenario = result.scenario
    row = sheet.line(row, t("quota.annex.rule_heading", lang), "bold")
    for rr in result.rules:
        for text in explain.statement(scenario, rr.rule, lang, rr.groups):
            row = sheet.line(row, text, "text", _height(text))
        for n in [*rr.notices, *[n for g in rr.groups for n in g.notices]]:
            text = explain.notice(n, lang)
            row = sheet.line(row, f"• {text}", "note", _height(text))
        row += 1
    for n in result.notices:
        row = sheet.line(row, explain.notice(n, lang), "note", _height(explain.notice(n, lang)))
    if scenario.notes:
        row = sheet.line(row, t("quota.statement.notes", lang), "bold")
        for text in explain.notes(scenario, lang):
            row = sheet.line(row, f"• {text}", "note", _height(text))
    return row


def _signature(sheet: _Sheet, settings: DocumentSettings, lang: str, row: int) -> int:
    """The signer's block on the right half from row: title, "(Ký, ghi rõ họ tên)", room to sign, name."""
    for line in form.signer_block(settings, lang, SIGNATURE_SPACE):
        sheet.block_line(row, RIGHT_HALF, line)
        row += 1
    return row


def _height(text: str) -> float:
    # Merged cells do not grow with wrapped text in Excel: give long statements the lines they need.
    per_line = sum(_WIDTHS) * 1.1
    lines = max(1, -(-len(text) // int(per_line)))
    return 15.0 * lines
