"""The PDF reads back as the letter that was meant, in the shipped typeface."""
import io
import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from app.render import OfficialDocument, Paragraph, Table, render_pdf
from app.render.pdf import render_html
from app.render.typeface import FONT_DIR, FONT_FILES, font_face_css
from tests.render.samples import OVERDUE_TASKS

ROOT = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
PAGE_HEIGHT = 297 * MM
TOP_MARGIN = 20 * MM


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def page_text(reader: PdfReader, index: int = 0) -> str:
    return normalized(reader.pages[index].extract_text())


def texts_with_positions(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of every text run, in PDF points from the bottom-left corner."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((text.strip(), x, y))

    page.extract_text(visitor_text=visit)
    return found


def embedded_fonts(reader: PdfReader) -> dict[str, TTFont]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(data))
    return fonts


def test_the_letter_reads_back_intact(letter_reader):
    text = page_text(letter_reader)
    for expected in [
        "UBND TỈNH KHÁNH HÒA",
        "VĂN PHÒNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 123/VP-TH",
        "Khánh Hòa, ngày 05 tháng 02 năm 2026",
        "V/v đôn đốc thực hiện nhiệm vụ được giao",
        "Kính gửi: Sở Tài chính.",
        "Ủy ban nhân dân tỉnh",
        "đôn đốc",
        "Quyết định số 26/2026/QĐ-UBND",
        "khẩn trương thực hiện",
        "được giao./.",
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Nguyễn Văn Hòa",
        "Nơi nhận:",
        "- Như trên;",
        "- Lưu: VT, TH.",
    ]:
        assert expected in text


def test_every_task_of_the_table_is_printed(letter_reader):
    text = page_text(letter_reader)
    assert "STT Văn bản giao Nội dung nhiệm vụ Thời hạn Số ngày quá hạn" in text
    for number, _, content, deadline, days in OVERDUE_TASKS:
        assert normalized(content) in text
        assert f"{deadline} {days}" in text


def test_the_pdf_embeds_only_the_shipped_liberation_serif_2(letter_reader):
    fonts = embedded_fonts(letter_reader)
    assert fonts, "no embedded font"
    assert all("+Times-VN" in name for name in fonts)
    names = {font["name"].getDebugName(4) for font in fonts.values()}
    assert names == {
        "Liberation Serif",
        "Liberation Serif Bold",
        "Liberation Serif Italic",
        "Liberation Serif Bold Italic",
    }
    assert {font["name"].getDebugName(5) for font in fonts.values()} == {"Version 2.1.5"}


def test_the_stylesheet_points_at_the_shipped_files():
    css = font_face_css()
    for path in FONT_FILES.values():
        assert path.parent == FONT_DIR and path.is_file()
        assert path.as_uri() in css
    assert (FONT_DIR / "LICENSE").read_text(encoding="utf-8").count("SIL OPEN FONT LICENSE") >= 1


def test_the_pdf_is_the_same_on_a_machine_without_fonts(letter_reader, tmp_path):
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">'
        f"<fontconfig><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    output = tmp_path / "letter.pdf"
    script = (
        "import sys, warnings; warnings.simplefilter('ignore')\n"
        "from app.render import render_pdf\n"
        "from tests.render.samples import urging_letter\n"
        "open(sys.argv[1], 'wb').write(render_pdf(urging_letter()))\n"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", script, str(output)], check=True, cwd=ROOT, env=env)
    isolated = PdfReader(output)
    assert isolated.pages[0].get_contents().get_data() == (
        letter_reader.pages[0].get_contents().get_data()
    )
    assert {name: font["glyf"].keys() for name, font in embedded_fonts(isolated).items()} == {
        name: font["glyf"].keys() for name, font in embedded_fonts(letter_reader).items()
    }


def test_the_pdf_title_is_the_summary(letter_reader):
    metadata = letter_reader.metadata
    assert metadata.title == "V/v đôn đốc thực hiện nhiệm vụ được giao"
    assert metadata.author == "UBND TỈNH KHÁNH HÒA - VĂN PHÒNG"


def test_the_page_is_a4_portrait(letter_reader):
    box = letter_reader.pages[0].mediabox
    assert round(float(box.width) / MM) == 210
    assert round(float(box.height) / MM) == 297


def test_a_long_table_runs_over_pages_numbered_from_page_2(long_letter_reader):
    reader = long_letter_reader
    assert len(reader.pages) >= 3

    def numbers_in_top_margin(index):
        return [
            (text, x)
            for text, x, y in texts_with_positions(reader.pages[index])
            if y > PAGE_HEIGHT - TOP_MARGIN
        ]

    assert numbers_in_top_margin(0) == []
    (number, x), = numbers_in_top_margin(1)
    assert number == "2"
    content_centre = (30 + (210 - 30 - 15) / 2) * MM
    assert abs(x - content_centre) < 10
    assert [text for text, _ in numbers_in_top_margin(2)] == ["3"]


def test_the_table_header_repeats_on_the_next_page(long_letter_reader):
    second = page_text(long_letter_reader, 1)
    assert "Văn bản giao Nội dung nhiệm vụ Thời hạn Số ngày quá hạn" in second
    last = page_text(long_letter_reader, len(long_letter_reader.pages) - 1)
    assert "Nhiệm vụ đôn đốc số 50" in " ".join(
        page_text(long_letter_reader, i) for i in range(len(long_letter_reader.pages))
    )
    assert "Nguyễn Văn Hòa" in last


def test_a_draft_with_several_recipients_and_an_urgency_mark():
    doc = OfficialDocument(
        number=None,
        number_suffix="/BC-VP",
        year=2026,
        title="Báo cáo",
        title_summary="Kết quả thực hiện nhiệm vụ tháng 01 năm 2026",
        urgency_mark="Khẩn",
        recipients=["Ủy ban nhân dân tỉnh", "Chủ tịch UBND tỉnh"],
        body=[Paragraph("Nội dung báo cáo.")],
        signer_position="Chánh Văn phòng",
        signer_name="Trần Thị Thu",
    )
    text = page_text(PdfReader(io.BytesIO(render_pdf(doc))))
    for expected in [
        "Số: /BC-VP",
        "Khánh Hòa, ngày tháng năm 2026",
        "KHẨN",
        "BÁO CÁO",
        "Kết quả thực hiện nhiệm vụ tháng 01 năm 2026",
        "Kính gửi: - Ủy ban nhân dân tỉnh; - Chủ tịch UBND tỉnh.",
        "CHÁNH VĂN PHÒNG Trần Thị Thu",
    ]:
        assert expected in text


def test_texts_are_escaped_and_composed():
    decomposed = unicodedata.normalize("NFD", "Hòa <b>đôn đốc</b> & Ủy ban")
    html = render_html(OfficialDocument(body=[Paragraph(decomposed)]))
    assert "Hòa &lt;b&gt;đôn đốc&lt;/b&gt; &amp; Ủy ban" in html


def test_a_line_break_in_a_cell_stays_a_line_break_as_in_the_docx():
    doc = OfficialDocument(
        body=[Table(columns=["Văn bản giao"], rows=[["Số 123/UBND-TH\nngày 02/01/2026"]])]
    )
    lines = PdfReader(io.BytesIO(render_pdf(doc))).pages[0].extract_text().splitlines()
    assert "Số 123/UBND-TH" in lines and "ngày 02/01/2026" in lines
