"""The editable DOCX carries the same letter, on A4 with the Decree's margins."""
import io
import shutil
import subprocess
import unicodedata

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm
from pypdf import PdfReader

from app.render import render_docx
from tests.render.samples import OVERDUE_TASKS, long_task_rows, urging_letter
from tests.render.test_pdf import normalized


def open_docx(data: bytes):
    return Document(io.BytesIO(data))


def all_texts(document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts.extend(p.text for p in cell.paragraphs)
    return [unicodedata.normalize("NFC", t) for t in texts]


def test_the_letter_texts_are_in_the_docx(letter_docx):
    texts = all_texts(open_docx(letter_docx))
    for expected in [
        "UBND TỈNH KHÁNH HÒA",
        "VĂN PHÒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 123/VP-TH",
        "V/v đôn đốc thực hiện nhiệm vụ được giao",
        "Khánh Hòa, ngày 05 tháng 02 năm 2026",
        "Kính gửi: Sở Tài chính.",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, TH.",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Hòa",
    ]:
        assert expected in texts
    for _, document, content, deadline, days in OVERDUE_TASKS:
        assert {document, content, deadline, days} <= set(texts)
    assert any("Ủy ban nhân dân tỉnh" in t and "đôn đốc" in t for t in texts)


def test_the_page_is_a4_with_the_decree_margins(letter_docx):
    section = open_docx(letter_docx).sections[0]

    def mm(length):
        return round(length.mm, 1)  # Word stores twentieths of a point

    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (mm(section.top_margin), mm(section.bottom_margin)) == (20, 20)
    assert (mm(section.left_margin), mm(section.right_margin)) == (30, 15)


def test_the_font_is_times_new_roman(letter_docx):
    document = open_docx(letter_docx)
    assert document.styles["Normal"].font.name == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    fonts = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:hAnsi")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None


def test_body_paragraphs_are_justified_with_a_first_line_indent(letter_docx):
    document = open_docx(letter_docx)
    body = [p for p in document.paragraphs if p.text.startswith("Thực hiện Quy chế")]
    assert len(body) == 1
    style = body[0].style
    assert style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert style.paragraph_format.first_line_indent == Cm(1.27)


def test_the_task_table_has_grid_borders_and_a_repeated_header(letter_docx):
    document = open_docx(letter_docx)
    tasks = next(t for t in document.tables if t.cell(0, 0).text == "STT")
    assert tasks.style.name == "Table Grid"
    assert [c.text for c in tasks.rows[0].cells][2] == "Nội dung nhiệm vụ"
    header = tasks.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None
    assert all(run.bold for p in tasks.rows[0].cells[0].paragraphs for run in p.runs)
    assert len(tasks.rows) == 1 + len(OVERDUE_TASKS)


def test_masthead_and_closing_tables_have_no_borders(letter_docx):
    document = open_docx(letter_docx)
    masthead, closing = document.tables[0], document.tables[-1]
    for table in (masthead, closing):
        borders = table._tbl.tblPr.find(qn("w:tblBorders"))
        assert {b.get(qn("w:val")) for b in borders} == {"nil"}
    assert closing.cell(0, 0).paragraphs[0].runs[0].italic


def test_page_numbers_start_on_page_2(letter_docx):
    section = open_docx(letter_docx).sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.is_linked_to_previous
    assert "PAGE" not in section.first_page_header._element.xml
    instructions = section.header._element.findall(".//" + qn("w:instrText"))
    assert [i.text.strip() for i in instructions] == ["PAGE"]
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_the_title_is_the_summary(letter_docx):
    assert open_docx(letter_docx).core_properties.title == (
        "V/v đôn đốc thực hiện nhiệm vụ được giao"
    )


def test_no_stale_thumbnail_of_the_blank_template(letter_docx):
    package = open_docx(letter_docx).part.package
    assert not [r for r in package.rels.values() if r.reltype.endswith("/thumbnail")]


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_a_long_letter_and_repeats_the_header(tmp_path):
    source = tmp_path / "letter.docx"
    source.write_bytes(render_docx(urging_letter(long_task_rows(50))))
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=120,
    )
    reader = PdfReader(tmp_path / "letter.pdf")
    assert len(reader.pages) >= 3
    first = normalized(reader.pages[0].extract_text())
    second = normalized(reader.pages[1].extract_text())
    assert "Khánh Hòa, ngày 05 tháng 02 năm 2026" in first
    assert "Văn bản giao Nội dung nhiệm vụ" in second
    assert second.startswith("2 ") or second.endswith(" 2")
