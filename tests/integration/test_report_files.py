"""Report files as an official downloads and reads them: readable Vietnamese names,
sheets and labels in Vietnamese, Phụ lục II on landscape pages after the signature,
period names in Vietnamese on the pages and buttons."""
import datetime as dt
import io
import re
from urllib.parse import unquote

from docx import Document as read_docx
from docx.enum.section import WD_ORIENT
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.periods import Period, PeriodKind
from app.extensions import db
from app.models import PeriodicReport

NOV = Period(PeriodKind.monthly, 2026, 11)
MM = 72 / 25.4


def _report_id(app, agency_code=None):
    with app.app_context():
        query = select(PeriodicReport.id)
        query = query.where(PeriodicReport.agency_id.is_not(None)) if agency_code else \
            query.where(PeriodicReport.agency_id.is_(None))
        return db.session.scalar(query)


def _tasks(make_document):
    make_document([{"lead": "STC", "deadline": dt.date(2026, 11, 4), "coordinating": ["SNV"]},
                   {"lead": "STC", "deadline": dt.date(2026, 11, 30)}],
                  issued_on=dt.date(2026, 10, 20), number="123/TB-UBND", source="meeting_conclusion",
                  summary="Thông báo kết luận của Chủ tịch UBND tỉnh")


def test_agency_report_files_are_named_sheeted_and_laid_out_in_vietnamese(app, client, auth, make_document):
    _tasks(make_document)
    auth.login("stc_head")
    page = client.get("/reports/agency/monthly/2026/11").get_data(as_text=True)
    assert "Tháng 11/2026" in page and "monthly-2026" not in re.sub(r'value="[^"]*"|href="[^"]*"', "", page)
    assert "Quý IV/2026" in page and "6 tháng đầu năm 2026" in page and "Năm 2026" in page  # the selector
    report_id = _report_id(app, "STC")
    answers = {kind: client.get(f"/reports/file/{report_id}/{kind}") for kind in ("pdf", "docx", "xlsx")}
    for kind, answer in answers.items():
        assert answer.status_code == 200
        assert answer.headers["Content-Disposition"] == f"attachment; filename=bao-cao-thang-11-2026-STC.{kind}"

    reader = PdfReader(io.BytesIO(answers["pdf"].data))
    sizes = [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in reader.pages]
    assert sizes[0] == (210, 297) and sizes[-1] == (297, 210)
    landscape = next(i for i, size in enumerate(sizes) if size == (297, 210))
    heading = " ".join(reader.pages[landscape].extract_text().split())
    assert heading.startswith("Phụ lục II DANH MỤC Nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân "
                              "tỉnh giao (Kèm theo Báo cáo số ……/BC-STC ngày ……/……/2026 của Sở Tài chính)")
    assert "04/11/2026" in reader.pages[landscape].extract_text()
    assert "20/10/2026" in reader.pages[landscape].extract_text()

    document = read_docx(io.BytesIO(answers["docx"].data))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert "DANH MỤC" in [p.text for p in document.paragraphs]

    book = load_workbook(io.BytesIO(answers["xlsx"].data))
    assert book.sheetnames == ["Phụ lục II", "Phụ lục I"]
    header = [c.value for c in book["Phụ lục II"][1]]
    assert header[:4] == ["STT", "Số, ký hiệu văn bản", "Ngày ban hành", "Trích yếu"]
    first = [c.value for c in book["Phụ lục II"][2]]
    assert first[1] == "123/TB-UBND" and first[2] == "20/10/2026" and first[7] == "04/11/2026"
    assert first[9] == "Chưa hoàn thành, quá hạn"


def test_consolidated_files_are_named_and_labelled_in_vietnamese(app, client, auth, make_document):
    _tasks(make_document)
    auth.login("officer")
    client.get("/reports/consolidated/monthly/2026/11")
    report_id = _report_id(app)
    answer = client.get(f"/reports/file/{report_id}/xlsx")
    assert answer.headers["Content-Disposition"] == "attachment; filename=bao-cao-tong-hop-thang-11-2026.xlsx"
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["Tổng hợp", "Phụ lục I"]
    header = [c.value for c in book["Tổng hợp"][1]]
    assert header[:3] == ["STT", "Cơ quan, đơn vị, địa phương", "Tổng số nhiệm vụ"]
    assert "Mới trong kỳ: tại Thông báo kết luận cuộc họp" in header
    assert not [h for h in header if "_" in h]
    row = [c.value for c in book["Tổng hợp"][2]]
    assert row[1] == "Sở Tài chính" and row[2] == 2
    quarterly = client.get("/reports/consolidated/quarterly/2026/3").get_data(as_text=True)
    assert "Quý III/2026" in quarterly


def test_a_name_with_diacritics_has_an_ascii_fallback_and_a_utf8_name(app):
    from app.services.file_names import ascii_slug

    assert ascii_slug("Sở Tài chính — Đề án") == "So-Tai-chinh-De-an"
    with app.test_request_context():
        from flask import send_file

        answer = send_file(io.BytesIO(b"x"), as_attachment=True, download_name="báo-cáo-Sở-Tài-chính.pdf")
        disposition = answer.headers["Content-Disposition"]
        fallback = re.search(r'filename=([^;]+)', disposition).group(1)
        assert fallback.isascii() and "bao-cao" in fallback
        assert unquote(re.search(r"filename\*=UTF-8''(\S+)", disposition).group(1)) == "báo-cáo-Sở-Tài-chính.pdf"


def test_the_evaluation_page_names_periods_in_vietnamese(app, client, auth, make_document):
    _tasks(make_document)
    auth.login("officer")
    page = client.get("/evaluation/?period=monthly-2026-11").get_data(as_text=True)
    button = re.search(r'id="compute-evaluation">([^<]+)<', page).group(1)
    assert "Tháng 11/2026" in button and "monthly" not in button
    assert "Quý III/2026" in page  # the selector
    answer = client.post("/evaluation/compute", data={"period": "monthly-2026-11"}, follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "Đã tính và công bố kết quả đánh giá 1 cơ quan, đơn vị kỳ Tháng 11/2026" in text
    assert re.search(r"<tr><td>1</td><td>Sở Tài chính</td><td>1</td>", text)
    published = re.search(r'id="published-periods">(.*?)</p>', text, re.S).group(1)
    assert "Tháng 11/2026" in published and "monthly" not in re.sub(r'href="[^"]*"', "", published)
