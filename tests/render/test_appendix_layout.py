"""A phụ lục after the signature: its own landscape A4 pages, headed as the Quy chế's form
(Phụ lục II), and table columns that never break a date, a number or "STT"."""
import datetime as dt
import io
import re

import pytest
from docx import Document as read_docx
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from pypdf import PdfReader

from app.render import Appendix, OfficialDocument, Paragraph, Table, attachment_reference, render_docx, render_pdf
from app.render.layout import LANDSCAPE_WIDTH_PT, PORTRAIT_WIDTH_PT, fit_widths, minimum_shares

MM = 72 / 25.4
COLUMNS = ["STT", "Văn bản giao", "Nội dung nhiệm vụ", "Cơ quan chủ trì / phối hợp", "Thời hạn",
           "Tình trạng", "Kết quả"]
WIDTHS = [0.7, 2.4, 4.0, 2.4, 1.6, 1.6, 2.6]


def _rows(n):
    return [[str(i), f"123/TB-UBND\n04/12/2026\nKết luận của Chủ tịch UBND tỉnh tại cuộc họp số {i}",
             "Rà soát, tham mưu phương án bố trí vốn đầu tư công năm 2027 cho các dự án chuyển tiếp",
             "Sở Tài chính\nPhối hợp: Sở Xây dựng", "04/12/2026\nGia hạn: 30/12/2026",
             "Chưa hoàn thành, còn hạn", ""] for i in range(1, n + 1)]


def _report(rows):
    reference = attachment_reference("Báo cáo", "12", "/BC-STC", dt.date(2026, 12, 16), "Sở Tài chính")
    return OfficialDocument(
        issuing_body="SỞ TÀI CHÍNH", number="12", number_suffix="/BC-STC", issued_on=dt.date(2026, 12, 16),
        title="BÁO CÁO", title_summary="Tình hình, kết quả thực hiện nhiệm vụ",
        recipients=["Văn phòng Ủy ban nhân dân tỉnh"],
        body=[Paragraph("I. TỔNG QUAN"), Paragraph("(Kèm theo danh mục nhiệm vụ cụ thể tại Phụ lục II.)")],
        signer_position="THỦ TRƯỞNG CƠ QUAN", signer_name="Nguyễn Văn B", cc=["Như trên"],
        appendices=[Appendix(label="Phụ lục II", title="DANH MỤC",
                             subtitle="Nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao",
                             reference=reference,
                             body=[Table(columns=COLUMNS, rows=rows, widths=WIDTHS,
                                         align=["center", "left", "left", "left", "center", "left", "left"])])])


@pytest.fixture(scope="module")
def reader():
    return PdfReader(io.BytesIO(render_pdf(_report(_rows(12)))))


def _text(page) -> str:
    return re.sub(r"\s+", " ", page.extract_text()).strip()


def test_the_report_is_portrait_then_the_appendix_landscape(reader):
    sizes = [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in reader.pages]
    assert len(sizes) >= 3  # the report, then Phụ lục II over more than one page
    first_landscape = sizes.index((297, 210))
    assert first_landscape >= 1 and set(sizes[:first_landscape]) == {(210, 297)}
    assert set(sizes[first_landscape:]) == {(297, 210)}
    # The signature is on the portrait pages, the list only on the landscape ones.
    portrait = " ".join(_text(p) for p in reader.pages[:first_landscape])
    assert "Nguyễn Văn B" in portrait and "123/TB-UBND" not in portrait
    heading = _text(reader.pages[first_landscape])
    expected = ("Phụ lục II DANH MỤC Nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao "
                "(Kèm theo Báo cáo số 12/BC-STC ngày 16/12/2026 của Sở Tài chính)")
    assert heading.startswith(expected)


def test_dates_numbers_and_stt_are_never_broken(reader):
    lines = [line.strip() for page in reader.pages for line in page.extract_text().splitlines()]
    text = "\n".join(lines)
    assert text.count("04/12/2026") == 2 * 12 and text.count("30/12/2026") == 12
    assert "STT" in text and not re.search(r"^S\s*$", text, re.M)
    assert not re.search(r"\d{2}/\d{2}/\d(\s|$)", text)  # no "04/12/2 026"
    assert text.count("123/TB-UBND") == 12


def test_a_draft_reference_leaves_the_blanks_of_the_form():
    assert attachment_reference("Báo cáo", None, "/BC-STC", None, "Sở Tài chính", 2026) == \
        "(Kèm theo Báo cáo số ……/BC-STC ngày ……/……/2026 của Sở Tài chính)"


def test_no_column_is_narrower_than_its_widest_token():
    table = Table(columns=COLUMNS, rows=_rows(3), widths=WIDTHS)
    for available in (PORTRAIT_WIDTH_PT, LANDSCAPE_WIDTH_PT):
        shares = fit_widths(table, available)
        assert abs(sum(shares) - 1) < 1e-9
        assert all(s >= m - 1e-9 for s, m in zip(shares, minimum_shares(table, available)))
    # As asked where there is room: the content column stays the widest.
    shares = fit_widths(table, LANDSCAPE_WIDTH_PT)
    assert max(shares) == shares[2]


def test_the_docx_appendix_is_a_landscape_section_with_the_heading():
    document = read_docx(io.BytesIO(render_docx(_report(_rows(3)))))
    first, appendix = document.sections
    assert first.orientation == WD_ORIENT.PORTRAIT and round(first.page_width.mm) == 210
    assert appendix.orientation == WD_ORIENT.LANDSCAPE
    assert (round(appendix.page_width.mm), round(appendix.page_height.mm)) == (297, 210)
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    start = texts.index("Phụ lục II")
    assert texts[start:start + 4] == [
        "Phụ lục II", "DANH MỤC", "Nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao",
        "(Kèm theo Báo cáo số 12/BC-STC ngày 16/12/2026 của Sở Tài chính)"]
    table = document.tables[-1]
    assert table.rows[1].cells[4].text == "04/12/2026\nGia hạn: 30/12/2026"
    # The date column is wide enough for "30/12/2026" (about 52 pt at 12 pt) plus padding.
    assert table.columns[4].width >= Mm(20)
