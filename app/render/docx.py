"""An editable DOCX copy of an OfficialDocument (offices edit before signing).

Same layout as the PDF (Decree 30/2020/NĐ-CP), built with python-docx: A4, the
Decree's margins, "Times New Roman" as the font Word users will see, the masthead
and the closing ("Nơi nhận" | signature) as borderless tables, body paragraphs in
the "Body Text" style so a paragraph typed in Word continues the format.
"""
from __future__ import annotations

import io
import unicodedata

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

from app.render import layout, model
from app.render.typeface import DOCX_FAMILY, text_width_pt

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(20)
MARGIN_BOTTOM = Mm(20)
MARGIN_LEFT = Mm(30)
MARGIN_RIGHT = Mm(15)
CONTENT_WIDTH = Emu(PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT)
# A phụ lục in landscape (the PDF's @page landscape).
LANDSCAPE_MARGINS = dict(top_margin=Mm(20), bottom_margin=Mm(15), left_margin=Mm(20), right_margin=Mm(20))
LANDSCAPE_CONTENT_WIDTH = Emu(PAGE_HEIGHT - Mm(20) - Mm(20))

MASTHEAD_SPLIT = 0.39  # left column share, as in official.css
CLOSING_SPLIT = 0.45
RECIPIENTS_OFFSET = Mm(25)
RECIPIENTS_GAP = Mm(2.5)
BODY_STYLE = "Body Text"
FIRST_LINE_INDENT = Cm(1.27)
RULE_WEIGHT = 6  # eighths of a point: 0.75 pt, as in the PDF

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


# Schema order (ECMA-376 CT_PPr, CT_TblPr): the elements a new child must precede.
_AFTER_PBDR = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                      "w:tblDescription", "w:tblPrChange")
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- low-level helpers ---------------------------------------------------------------


def _set_run_fonts(rpr, family: str = DOCX_FAMILY) -> None:
    """Name the family for every script slot, dropping theme fonts that would win."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), family)


def _set_language(rpr, language: str = "vi-VN") -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language)


def _run(paragraph, text: str, size: float, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(_nfc(text))
    run.font.size = Pt(size)
    # Only switch emphasis on; plain runs inherit the style, as Word itself writes them.
    if bold:
        run.font.bold = True
    if italic:
        run.font.italic = True
    # Blanks left for the number and the date must survive as typed.
    for t in run._r.findall(qn("w:t")):
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, before: float = 0, after: float = 0,
            line: float = 1.0, keep_with_next: bool = False):
    fmt = paragraph.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line
    if keep_with_next:
        fmt.keep_with_next = True
    return paragraph


class _Cell:
    """Adds paragraphs to a table cell, reusing the empty one every cell starts with."""

    def __init__(self, cell):
        self.cell = cell
        self.fresh = True

    def paragraph(self):
        if self.fresh:
            self.fresh = False
            return self.cell.paragraphs[0]
        return self.cell.add_paragraph()


def _rule(paragraph, width: Emu, available: Emu, gap: float = 0) -> None:
    """Turn an empty paragraph into a centred horizontal rule `width` long."""
    width = Emu(min(int(width), int(available)))
    side = Emu(max(0, (int(available) - int(width)) // 2))
    fmt = paragraph.paragraph_format
    fmt.left_indent = side
    fmt.right_indent = side
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(3 + gap)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(RULE_WEIGHT))
    bottom.set(qn("w:space"), "0")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.insert_element_before(borders, *_AFTER_PBDR)
    # A tiny paragraph mark so the rule hugs the line above.
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    ppr.append(mark)


def _pt_to_emu(points: float) -> Emu:
    return Emu(int(points * 12700))


def _cell_margins(table, twips: int) -> None:
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.insert_element_before(margins, *_AFTER_TBL_CELL_MAR)


def _borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.insert_element_before(borders, *_AFTER_TBL_BORDERS)
    # No cell padding: the rules are centred on the full column width.
    _cell_margins(table, 0)


def _fixed_widths(table, widths: list[Emu]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    total = OxmlElement("w:tblW")
    total.set(qn("w:w"), str(int(sum(int(w) for w in widths) / 635)))  # EMU -> twips
    total.set(qn("w:type"), "dxa")
    existing = tbl_pr.find(qn("w:tblW"))
    if existing is not None:
        tbl_pr.replace(existing, total)
    else:
        tbl_pr.insert_element_before(
            total, "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", *_AFTER_TBL_BORDERS
        )
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def _row_flags(row, header: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    tr_pr.append(cant_split)
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _page_number_field(paragraph, size: float) -> None:
    def add(element):
        run = _run(paragraph, "", size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    add(begin)
    instruction = OxmlElement("w:instrText")
    instruction.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instruction.text = " PAGE "
    add(instruction)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    add(separate)
    _run(paragraph, "2", size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    add(end)


# --- the document --------------------------------------------------------------------


def _setup(document, doc: model.OfficialDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_run_fonts(rpr)
    _set_language(rpr)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    if spacing is not None:
        spacing.set(qn("w:after"), "0")
        spacing.set(qn("w:line"), "240")

    normal = document.styles["Normal"]
    normal.font.name = DOCX_FAMILY
    normal.font.size = Pt(14)
    _set_run_fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0

    body = document.styles[BODY_STYLE]
    body.font.size = Pt(14)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = FIRST_LINE_INDENT
    body.paragraph_format.space_before = Pt(0)
    body.paragraph_format.space_after = Pt(6)
    body.paragraph_format.line_spacing = 1.2
    body.paragraph_format.widow_control = True

    # Page numbers centred in the top margin, from page 2.
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    _page_number_field(_format(header.paragraphs[0]), 13)

    # python-docx's template carries a thumbnail of its own blank page; file managers
    # would show it instead of this document.
    package_rels = document.part.package.rels
    for key, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[key]

    properties = document.core_properties
    properties.title = _nfc(doc.metadata_title())
    properties.author = _nfc(doc.author())
    properties.language = "vi-VN"


def _masthead(document, doc: model.OfficialDocument) -> None:
    left_width = Emu(int(CONTENT_WIDTH * MASTHEAD_SPLIT))
    right_width = Emu(CONTENT_WIDTH - left_width)
    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    _fixed_widths(table, [left_width, right_width])

    left = _Cell(table.cell(0, 0))
    _run(_format(left.paragraph()), doc.parent_body_text(), 13)
    issuing = doc.issuing_body_text()
    _run(_format(left.paragraph()), issuing, 13, bold=True)
    # Decree 30: a short rule, 1/3 to 1/2 of the line above.
    _rule(left.paragraph(), _pt_to_emu(0.4 * text_width_pt(issuing, 13, bold=True)), left_width)

    right = _Cell(table.cell(0, 1))
    _run(_format(right.paragraph()), model.NATIONAL_TITLE, 12, bold=True)
    _run(_format(right.paragraph()), model.MOTTO, 13, bold=True)
    # Decree 30: a rule as long as the motto.
    _rule(right.paragraph(), _pt_to_emu(text_width_pt(model.MOTTO, 13, bold=True)), right_width)

    left = _Cell(table.cell(1, 0))
    _run(_format(left.paragraph(), before=8), doc.number_line(), 13)
    summary = doc.summary_line()
    if summary:
        paragraph = _format(left.paragraph(), before=3)
        paragraph.paragraph_format.left_indent = Mm(4)
        paragraph.paragraph_format.right_indent = Mm(4)
        _run(paragraph, summary, 12)
    for mark in doc.marks():
        _run(_format(left.paragraph(), before=6), mark, 13, bold=True)

    right = _Cell(table.cell(1, 1))
    _run(_format(right.paragraph(), before=8), doc.date_text(), 13, italic=True)


def _title(document, doc: model.OfficialDocument) -> None:
    title = doc.title_text()
    if not title:
        return
    _run(_format(document.add_paragraph(), before=12, keep_with_next=True), title, 14, bold=True)
    if doc.title_summary:
        paragraph = _format(document.add_paragraph(), keep_with_next=True)
        _run(paragraph, doc.title_summary, 14, bold=True)
        width = min(text_width_pt(doc.title_summary, 14, bold=True) * 12700, CONTENT_WIDTH)
        rule = document.add_paragraph()
        _rule(rule, Emu(int(0.35 * width)), CONTENT_WIDTH, gap=3)
        rule.paragraph_format.space_after = Pt(6)


def _recipients(document, doc: model.OfficialDocument) -> None:
    lines = doc.recipient_lines()
    if not lines:
        return
    if len(lines) == 1:
        paragraph = _format(document.add_paragraph(), before=12, after=12)
        _run(paragraph, f"{model.RECIPIENT_LABEL} {lines[0]}", 14)
        return
    label = _pt_to_emu(text_width_pt(model.RECIPIENT_LABEL + " ", 14))
    indent = Emu(RECIPIENTS_OFFSET + label + RECIPIENTS_GAP)
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        paragraph = _format(
            document.add_paragraph(), WD_ALIGN_PARAGRAPH.LEFT,
            before=12 if index == 0 else 0, after=12 if last else 0, keep_with_next=not last,
        )
        paragraph.paragraph_format.left_indent = indent
        if index == 0:
            # A hanging "Kính gửi:" with a tab stop where the list starts.
            paragraph.paragraph_format.first_line_indent = Emu(-(label + RECIPIENTS_GAP))
            paragraph.paragraph_format.tab_stops.add_tab_stop(indent)
            _run(paragraph, f"{model.RECIPIENT_LABEL}\t{line}", 14)
        else:
            _run(paragraph, line, 14)


def _table(document, block: model.Table, width: Emu = CONTENT_WIDTH) -> None:
    if block.title:
        paragraph = _format(document.add_paragraph(), before=6, after=4, keep_with_next=True)
        _run(paragraph, block.title, 13, bold=True)
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    _cell_margins(table, 60)  # 3 pt, the PDF's cell padding
    shares = layout.fit_widths(block, width / 12700)
    _fixed_widths(table, [Emu(int(width * w)) for w in shares])
    alignments = [_ALIGN[a] for a in block.alignments()]
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, text in zip(header.cells, block.columns):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _run(_format(cell.paragraphs[0], before=2, after=2), text, 12, bold=True)
    for row, values in zip(table.rows[1:], block.rows):
        _row_flags(row)
        for cell, text, align in zip(row.cells, values, alignments):
            _run(_format(cell.paragraphs[0], align, before=2, after=2), text, 12)
    # Word glues two consecutive tables together; a small paragraph keeps them apart.
    _format(document.add_paragraph(), after=3).paragraph_format.line_spacing = 1.0


def _body(document, blocks, width: Emu = CONTENT_WIDTH) -> None:
    for block in blocks:
        if isinstance(block, model.Table):
            _table(document, block, width)
        else:
            paragraph = document.add_paragraph(style=BODY_STYLE)
            _run(paragraph, block.text, 14)


def _closing(document, doc: model.OfficialDocument) -> None:
    left_width = Emu(int(CONTENT_WIDTH * CLOSING_SPLIT))
    right_width = Emu(CONTENT_WIDTH - left_width)
    spacer = _format(document.add_paragraph(), after=0)
    spacer.paragraph_format.line_spacing = 1.0
    spacer.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _fixed_widths(table, [left_width, right_width])
    _row_flags(table.rows[0])

    cc = _Cell(table.cell(0, 0))
    _run(_format(cc.paragraph(), WD_ALIGN_PARAGRAPH.LEFT), model.CC_LABEL, 12, bold=True, italic=True)
    for line in doc.cc_lines():
        _run(_format(cc.paragraph(), WD_ALIGN_PARAGRAPH.LEFT), line, 11)

    signature = _Cell(table.cell(0, 1))
    for line in doc.signature_lines():
        _run(_format(signature.paragraph()), line, 14, bold=True)
    # Room for the signature and the seal.
    _run(_format(signature.paragraph(), before=Cm(2.5).pt), doc.signer_name, 14, bold=True)


def _appendix(document, appendix: model.Appendix) -> None:
    """A new section from a new page: landscape A4 when the phụ lục is wide; its pages
    keep the page number in the top margin."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.different_first_page_header_footer = False
    width = CONTENT_WIDTH
    if appendix.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
        for name, value in LANDSCAPE_MARGINS.items():
            setattr(section, name, value)
        width = LANDSCAPE_CONTENT_WIDTH
    for kind, text in appendix.heading_lines():
        paragraph = _format(document.add_paragraph(), before=6 if kind == "title" else 0,
                            after=9 if kind == "reference" else 0, keep_with_next=True)
        _run(paragraph, text, 13 if kind == "reference" else 14, bold=kind != "reference",
             italic=kind == "reference")
    _body(document, appendix.body, width)


def render_docx(doc: model.OfficialDocument) -> bytes:
    document = Document()
    _setup(document, doc)
    # A new Document starts with no paragraph; the masthead table goes first.
    _masthead(document, doc)
    # Also keeps Word from gluing the masthead to a table that would follow it.
    spacer = _format(document.add_paragraph())
    spacer.paragraph_format.line_spacing = Pt(6)
    _title(document, doc)
    _recipients(document, doc)
    _body(document, doc.body)
    _closing(document, doc)
    for appendix in doc.appendices:
        _appendix(document, appendix)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
