"""The Word draft: headings, sentences, ranking tables and charts as images, in Times New Roman 13 pt as
Vietnamese administrative documents are written, on A4 with the usual margins."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import CharacterStyle
from docx.table import _Cell, _Row

from core import fmt
from core.i18n import t
from exports import document_form as form
from exports.report.content import Content, ReportChart, ReportTable
from store.council import DocumentSettings

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 10
IMAGE_WIDTH = Cm(16)


def _font(style: CharacterStyle, size: float, bold: bool | None = None) -> None:
    font = style.font
    font.name = FONT
    font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    font.color.rgb = RGBColor(0, 0, 0)
    # Word picks the font for Vietnamese from these attributes, not only from w:ascii.
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    _font(doc.styles["Normal"], BODY_PT)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    for level, size in ((0, 16), (1, 14), (2, 13)):
        _font(doc.styles["Title" if level == 0 else f"Heading {level}"], size, bold=True)


def _cell_text(value: object, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return fmt.number(value, lang, 2)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)  # ranks, years, counts: no thousands separator needed at these sizes
    if isinstance(value, datetime):
        return fmt.moment(value, lang)
    if isinstance(value, date):
        return fmt.day(value, lang)
    return str(value)


def _repeat_header(row: _Row) -> None:
    """The header row repeats on every page the table spans."""
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc: DocxDocument, table: ReportTable, number: int, lang: str) -> None:
    caption = doc.add_paragraph(t("report.table", lang, number=number, title=table.meta.title))
    caption.runs[0].bold = True
    frame = table.frame.head(table.shown)
    numeric = [dtype.is_numeric() for dtype in frame.dtypes]
    grid = doc.add_table(rows=frame.height + 1, cols=frame.width)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(grid.rows[0])
    cells = grid._cells  # one flat list: much faster than grid.cell(r, c) for every cell
    width = frame.width
    for c, name in enumerate(frame.columns):
        _write(cells[c], name, bold=True, right=False)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            _write(cells[r * width + c], _cell_text(value, lang), bold=False, right=numeric[c])
    if table.note:
        note = doc.add_paragraph(table.note)
        note.runs[0].italic = True


def _write(cell: _Cell, text: str, bold: bool, right: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.font.size = Pt(TABLE_PT)
    run.bold = bold


def _chart(doc: DocxDocument, chart: ReportChart, png: bytes, number: int, lang: str) -> None:
    doc.add_picture(io.BytesIO(png), width=IMAGE_WIDTH)
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption = doc.add_paragraph(t("report.figure", lang, number=number, caption=chart.caption))
    caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.runs[0].italic = True


def write(content: Content, images: Mapping[str, bytes], letterhead: DocumentSettings | None = None) -> bytes:
    """The draft as .docx bytes; images: each chart's PNG by its name; letterhead: the issuer and signer
    (Nghị định 30/2020/NĐ-CP's heading on the first page, the signature block at the end, page numbers)."""
    doc = Document()
    _setup(doc)
    if letterhead is not None:
        form.letterhead(doc, letterhead, content.lang, form.number_symbol(letterhead, "BC"), content.made)
    doc.core_properties.title = content.title
    doc.core_properties.author = "parboard"
    doc.core_properties.language = content.lang
    doc.add_heading(content.title, level=0).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in content.subtitle:
        doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if content.notice:
        notice = doc.add_paragraph(content.notice)
        notice.runs[0].bold = True
        notice.runs[0].font.color.rgb = RGBColor(0x9C, 0x00, 0x06)
    tables = charts = 0
    for section in content.sections:
        doc.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, ReportTable):
                tables += 1
                _table(doc, block, tables, content.lang)
            elif isinstance(block, ReportChart):
                charts += 1
                _chart(doc, block, images[block.name], charts, content.lang)
            else:
                doc.add_paragraph(block)
    if letterhead is not None:
        form.signature_lines(doc, letterhead, content.lang)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
