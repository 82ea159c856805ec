"""The form of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I): the issuer and national motto
block, number and symbol, place and date, title and summary (trích yếu), recipients and the signature block, and
page numbers at the top centre from the second page.

The blocks' words are made once (heading_blocks, signer_block, recipient_lines, annex_reference: lines of text
with their size and weight) and laid out here in python-docx, and in a worksheet by exports.award_annex.
The issuer, place and signer come from the deployment's settings (store.council.DocumentSettings); an empty
setting prints as a dotted line to fill in by hand, so the document can always be printed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import _Header
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from core.i18n import Translator
from store.council import DocumentSettings

FONT = "Times New Roman"
BODY_PT = 14
SMALL_PT = 12  # the issuer's lines and the recipients (NĐ 30: 12–13 and 11)
DOTS = "……………"
BLANK = "……"  # a part of a number or a date written in by hand


@dataclass(frozen=True)
class Line:
    """One line of a block, centred in its half of the page."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False


def number_symbol(settings: DocumentSettings, kind: str) -> str:
    """The symbol after "Số: …/": the kind of document (BC, BB, QĐ) and the issuer's abbreviation, dots when
    none is set ("QĐ-HĐTĐKT", "QĐ-……")."""
    return f"{kind}-{settings.symbol or BLANK}"


def heading_blocks(
    settings: DocumentSettings, lang: str, number: str | None, on: date | None, place_dots: bool
) -> tuple[list[Line], list[Line]]:
    """The issuer's block (left) and the motto's block (right), each ending with its line under the heading:
    the number and symbol (left; none when number is None) and the place and date (right; day and month left
    to fill in when on is None)."""
    say = Translator("council.document", lang)
    left = [Line(settings.parent_issuer.upper(), SMALL_PT)] if settings.parent_issuer else []
    left += [Line((settings.issuer or DOTS).upper(), SMALL_PT, bold=True), Line("―――――", SMALL_PT)]
    right = [
        Line(say("nation"), SMALL_PT, bold=True),
        Line(say("motto"), SMALL_PT + 1, bold=True),
        Line("―――――――――――", SMALL_PT),
    ]
    if number is not None:
        left.append(Line(say("number", symbol=number), BODY_PT - 1))
    place = settings.place or (DOTS if place_dots else "")
    when = (
        say("place_date", place=place, day=f"{on.day:02d}", month=f"{on.month:02d}", year=on.year)
        if on
        else say("place_date_blank", place=place)
    )
    right.append(Line(when, BODY_PT, italic=True))
    return left, right


def signer_block(settings: DocumentSettings, lang: str, space: int) -> list[Line]:
    """The signer's title, the signature's place (space empty lines) and name; dots where a setting is empty."""
    say = Translator("council.document", lang)
    return [
        Line((settings.signer_title or DOTS).upper(), BODY_PT, bold=True),
        Line(say("sign_here"), SMALL_PT, italic=True),
        *[Line("", BODY_PT)] * space,
        Line(settings.signer_name or DOTS, BODY_PT, bold=True),
    ]


def recipient_lines(settings: DocumentSettings, lang: str) -> tuple[str, list[str]]:
    """ "Nơi nhận:" and its lines, each after a dash, the archive last."""
    say = Translator("council.document", lang)
    return say("recipients"), [f"- {line}" for line in [*settings.recipients.splitlines(), say("archive")]]


def annex_reference(settings: DocumentSettings, lang: str) -> tuple[str, str]:
    """An annex's heading ("Phụ lục") and the decision it goes with, its number and date left to fill in:
    "(Kèm theo Quyết định số ……/QĐ-HĐTĐKT ngày …… tháng …… năm …… của …)"."""
    say = Translator("council.document", lang)
    return say("annex"), say("annex_of_decision", symbol=number_symbol(settings, "QĐ"), issuer=settings.issuer or DOTS)


def new_document() -> DocxDocument:
    """An A4 portrait document with the decree's margins (top and bottom 2 cm, left 3 cm, right 2 cm)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    normal.paragraph_format.space_after = Pt(3)
    # Word picks the font for Vietnamese from these attributes, not only from w:ascii.
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    page_numbers(doc)
    return doc


def page_numbers(doc: DocxDocument) -> None:
    """A PAGE field at the top centre, not on the first page (NĐ 30: số trang … không hiển thị số trang thứ nhất)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "2"), ("end", None)):
        if kind is not None:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = " PAGE "
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)


def _paragraph(cell: _Cell | DocxDocument) -> Paragraph:
    """A new paragraph; in a cell, its first (empty) paragraph first, so the cell starts with text, not a blank."""
    if isinstance(cell, _Cell) and len(cell.paragraphs) == 1 and not cell.paragraphs[0].runs:
        return cell.paragraphs[0]
    return cell.add_paragraph()


def _line(cell: _Cell | DocxDocument, text: str, size: float, bold: bool = False, italic: bool = False) -> Paragraph:
    paragraph = _paragraph(cell)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    return paragraph


def widths(table: Table, cm: Sequence[float]) -> None:
    """Fixed column widths, written where Word (the cells) and LibreOffice (the grid) each read them."""
    table.autofit = False
    for column, width in zip(table.columns, cm, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, cm, strict=True):
            cell.width = Cm(width)


def _plain_table(doc: DocxDocument | _Header, cm: tuple[float, float]) -> tuple[_Cell, _Cell]:
    """Two side-by-side cells without borders: how the decree sets the issuer beside the motto."""
    table = doc.add_table(1, 2, Cm(sum(cm))) if isinstance(doc, _Header) else doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, cm)
    left, right = table.rows[0].cells
    for cell in (left, right):
        cell.paragraphs[0].paragraph_format.space_after = Pt(0)
    return left, right


def heading(
    doc: DocxDocument | _Header,
    settings: DocumentSettings,
    lang: str,
    number: str | None,
    on: date | None,
    place_dots: bool,
) -> None:
    """Issuer (left) and motto (right); under them the number and symbol (left) and the place and date (right).

    number: the symbol after "Số: …/" (e.g. "BB-HĐTĐKT"), None for a document without a number (a ballot);
    on: the date, None to leave day and month to fill in; place_dots: whether a missing place prints dots.
    doc may be a page header: a document whose body tables are counted elsewhere carries it on its first page."""
    left, right = _plain_table(doc, (6.0, 10.0))
    issuer, motto = heading_blocks(settings, lang, number, on, place_dots)
    for cell, lines in ((left, issuer), (right, motto)):
        for line in lines:
            _line(cell, line.text, line.size, line.bold, line.italic)


def title(doc: DocxDocument, text: str, summary: str = "") -> None:
    """The document's kind in capitals and bold, and its summary (trích yếu) under it."""
    paragraph = _line(doc, text.upper(), BODY_PT, bold=True)
    paragraph.paragraph_format.space_before = Pt(12)
    if summary:
        _line(doc, summary, BODY_PT, bold=True)
    _line(doc, "―――――", SMALL_PT).paragraph_format.space_after = Pt(6)


def signature(doc: DocxDocument, settings: DocumentSettings, lang: str, recipients: bool = True) -> None:
    """Recipients (left) and the signer's title, signature space and name (right)."""
    left, right = _plain_table(doc, (7.5, 8.5))
    if recipients:
        heading_text, lines = recipient_lines(settings, lang)
        head = _paragraph(left)
        run = head.add_run(heading_text)
        run.bold, run.italic = True, True
        run.font.size = Pt(SMALL_PT)
        for text in lines:
            p = left.add_paragraph(text)
            p.paragraph_format.space_after = Pt(0)
            p.runs[0].font.size = Pt(SMALL_PT - 1)
    for line in signer_block(settings, lang, space=4):
        _line(right, line.text, line.size, line.bold, line.italic)


def paragraph(doc: DocxDocument, text: str, bold: bool = False, italic: bool = False) -> Paragraph:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    return p


def letterhead(doc: DocxDocument, settings: DocumentSettings, lang: str, number: str, on: date) -> None:
    """The heading on the first page's header and page numbers from the second page on: for a document (the report)
    whose body is tables and text that other code reads in order."""
    page_numbers(doc)
    header = doc.sections[0].first_page_header
    header.is_linked_to_previous = False
    heading(header, settings, lang, number, on, place_dots=True)


def signature_lines(doc: DocxDocument, settings: DocumentSettings, lang: str) -> None:
    """The signature block as paragraphs (signer on the right half, recipients under it on the left), for a body
    that holds no layout tables."""
    for line in signer_block(settings, lang, space=3):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.left_indent = Cm(8)
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.keep_with_next = True  # the block stays on one page, with the recipients under it
        run = p.add_run(line.text)
        run.font.size = Pt(line.size)
        run.bold, run.italic = line.bold, line.italic
    heading_text, lines = recipient_lines(settings, lang)
    head = doc.add_paragraph()
    head.paragraph_format.space_before = Pt(12)
    head.paragraph_format.keep_with_next = True
    run = head.add_run(heading_text)
    run.bold, run.italic = True, True
    run.font.size = Pt(SMALL_PT)
    for text in lines:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        r = p.add_run(text)
        r.font.size = Pt(SMALL_PT - 1)
