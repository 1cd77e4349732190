"""A report read before its period's cut-off shows the tasks as they stand today,
marked "Số liệu tạm tính đến ngày …", and lists no task with days left as overdue; it
cannot be submitted until the figures are cut off (Art. 20.1–20.2)."""
import datetime as dt
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.appendix import appendix_counts as domain_counts
from app.domain.periods import Period, PeriodKind
from app.extensions import db
from app.models import PeriodicReport
from tests.conftest import agency_id

DEC = Period(PeriodKind.monthly, 2026, 12)  # 15/11/2026 – 14/12/2026
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def december(make_document, monkeypatch):
    monkeypatch.setattr("app.services.reports.today", lambda: TODAY)
    make_document([{"lead": "STC", "content": "Còn hai ngày làm việc", "deadline": dt.date(2026, 12, 4)},
                   {"lead": "STC", "content": "Đến hạn hôm nay", "deadline": TODAY},
                   {"lead": "STC", "content": "Quá hạn từ hôm qua", "deadline": dt.date(2026, 12, 1)}],
                  issued_on=dt.date(2026, 11, 20), number="123/TB-UBND")


def _state_of(page: str, content: str) -> str:
    row = re.search(rf"<td>{content}</td><td>[^<]*</td><td>([^<]+)</td>", page)
    return row.group(1)


def test_before_the_cut_off_the_report_is_provisional_as_of_today(app, client, auth, december):
    auth.login("stc_head")
    page = client.get("/reports/agency/monthly/2026/12").get_data(as_text=True)
    assert "Số liệu tạm tính đến ngày 02/12/2026" in page
    assert _state_of(page, "Còn hai ngày làm việc") == "Chưa hoàn thành, còn hạn"
    assert _state_of(page, "Đến hạn hôm nay") == "Chưa hoàn thành, còn hạn"
    assert _state_of(page, "Quá hạn từ hôm qua") == "Chưa hoàn thành, quá hạn"
    assert len(re.findall(r'name="reason-(\d+)"', page)) == 1  # only the overdue one needs a reason
    assert 'class="count-open_overdue"><b>1</b>' in page and 'class="count-open_in_time"><b>2</b>' in page
    assert 'id="submit-report"' not in page

    with app.app_context():
        from app.services.appendix import appendix_counts, task_facts

        sql = appendix_counts(DEC, agency_id("STC"), TODAY)
        assert sql == domain_counts(task_facts(agency_id("STC")), DEC.start, DEC.end, as_of=TODAY)
        assert (sql.open_in_time, sql.open_overdue) == (2, 1)
        report = db.session.scalar(select(PeriodicReport))
        report_id, version = report.id, report.version

    pdf = client.get(f"/reports/file/{report_id}/pdf").data
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Số liệu tạm tính đến ngày 02/12/2026" in text
    assert "Số nhiệm vụ chưa hoàn thành quá hạn: 1" in text
    assert "Số nhiệm vụ chưa hoàn thành còn trong thời hạn: 2" in text

    # Submitting now would freeze provisional figures: refused, nothing frozen.
    answer = client.post("/reports/agency/monthly/2026/12", data={
        "version": version, "section_3": "", "section_4": "", "submit": "1",
        **{f"reason-{i}": "Chờ số liệu" for i in re.findall(r'name="reason-(\d+)"', page)}},
        follow_redirects=True)
    assert "được chốt ngày 14/12/2026" in answer.get_data(as_text=True)
    with app.app_context():
        report = db.session.get(PeriodicReport, report_id)
        assert report.status == "draft" and report.frozen_counts is None


def test_after_the_cut_off_the_end_of_period_snapshot_stands(app, client, auth, december, monkeypatch):
    monkeypatch.setattr("app.services.reports.today", lambda: dt.date(2026, 12, 16))
    auth.login("stc_head")
    page = client.get("/reports/agency/monthly/2026/12").get_data(as_text=True)
    assert "tạm tính" not in page
    for content in ("Còn hai ngày làm việc", "Đến hạn hôm nay", "Quá hạn từ hôm qua"):
        assert _state_of(page, content) == "Chưa hoàn thành, quá hạn"
    assert 'id="submit-report"' in page
