"""A periodic report longer than its print limit and its page (issue 10): the PDF and DOCX
print the limit and say how many tasks there are and where the full list is; the XLSX
holds every row; the figures equal the rows; the frozen rows are the live rows at the
moment of submission; each agency reads only its own rows."""
import datetime as dt
import io
import json
import re

import pytest
from docx import Document as read_docx
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.periods import Period, PeriodKind
from app.extensions import db
from app.models import PeriodicReport, PeriodicReportRow, Task
from tests.conftest import agency_id

NOV = Period(PeriodKind.monthly, 2026, 11)  # 15/10/2026 – 14/11/2026
URL = "/reports/agency/monthly/2026/11"
STATES = {"Hoàn thành đúng hạn": "completed_on_time", "Hoàn thành quá hạn": "completed_late",
          "Chưa hoàn thành, còn hạn": "in_time", "Được gia hạn": "extended", "Chưa hoàn thành, quá hạn": "overdue"}
FIGURE = {"completed_on_time": "+ Số nhiệm vụ hoàn thành đúng hạn, sớm hạn",
          "in_time": "+ Số nhiệm vụ chưa hoàn thành còn trong thời hạn",
          "overdue": "+ Số nhiệm vụ chưa hoàn thành quá hạn"}


@pytest.fixture
def many(app, make_document, monkeypatch):
    """STC: 7 tasks in November (4 overdue at its end, 2 in time, 1 completed on time);
    SNV: 2 tasks, both overdue. The print limit 3, Section III's page 2."""
    monkeypatch.setitem(app.config, "REPORT_PRINT_MAX_ROWS", 3)
    monkeypatch.setitem(app.config, "REPORT_PRINT_MAX_REASONS", 3)
    monkeypatch.setitem(app.config, "REPORT_PAGE_ROWS", 2)
    due = [dt.date(2026, 11, 5)] * 4 + [dt.date(2026, 11, 30)] * 3
    _, stc = make_document([{"lead": "STC", "deadline": d, "content": f"Nhiệm vụ STC {n}",
                             "coordinating": ["SXD", "SNV"] if n in (1, 5) else []}
                            for n, d in enumerate(due, start=1)], issued_on=dt.date(2026, 10, 20), number="7/TB-UBND")
    make_document([{"lead": "SNV", "deadline": dt.date(2026, 11, 1), "content": f"Nhiệm vụ SNV {n}"}
                   for n in (1, 2)], issued_on=dt.date(2026, 10, 21), number="8/TB-UBND")
    with app.app_context():
        task = db.session.get(Task, stc[-1])
        task.status, task.completed_on = "completed", dt.date(2026, 11, 3)
        task.result_submitted_at = dt.datetime(2026, 11, 3, 10)
        db.session.commit()
    return stc


def _report_id(app, code):
    with app.app_context():
        return db.session.scalar(select(PeriodicReport.id).where(PeriodicReport.agency_id == agency_id(code)))


def _xlsx_rows(data):
    book = load_workbook(io.BytesIO(data))
    rows = [[c.value for c in row] for row in book["Phụ lục II"].iter_rows(min_row=2)]
    figures = {row[0].value: row[1].value for row in book["Phụ lục I"].iter_rows(min_row=2)}
    return rows, figures


def test_a_report_longer_than_the_print_limit_prints_the_limit_and_says_so(app, client, auth, many):
    auth.login("stc_head")
    page = client.get(URL).get_data(as_text=True)
    report_id = _report_id(app, "STC")
    files = {kind: client.get(f"/reports/file/{report_id}/{kind}").data for kind in ("pdf", "docx", "xlsx")}

    rows, figures = _xlsx_rows(files["xlsx"])
    assert [r[4] for r in rows] == [f"Nhiệm vụ STC {n}" for n in range(1, 8)]  # every row, in order
    assert figures["Tổng số nhiệm vụ được giao trong kỳ báo cáo"] == len(rows) == 7
    for state, line in FIGURE.items():  # the figures are the rows, state by state
        assert figures[line] == sum(STATES[r[9]] == state for r in rows), state
    assert figures[FIGURE["overdue"]] == 4

    note = "Danh mục gồm 7 nhiệm vụ; bản in này liệt kê 3 nhiệm vụ đầu tiên. Danh mục đầy đủ tại tệp XLSX của báo cáo."
    late_note = ("Mục III (nhiệm vụ hoàn thành quá hạn, chưa hoàn thành quá hạn) gồm 4 nhiệm vụ; bản in này liệt kê "
                 "3 nhiệm vụ đầu tiên. Nguyên nhân của từng nhiệm vụ tại tệp XLSX của báo cáo.")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages).split())
    assert note in text and late_note in text
    assert "Nhiệm vụ STC 3" in text and "Nhiệm vụ STC 4" not in text  # 4th is late (III) but past the limit
    assert "Tổng số nhiệm vụ được giao trong kỳ báo cáo: 7" in text  # the figures stay complete

    document = read_docx(io.BytesIO(files["docx"]))
    listing = document.tables[-1]
    assert len(listing.rows) == 1 + 3  # header + the limit
    assert note in [p.text for p in document.paragraphs] and late_note in [p.text for p in document.paragraphs]

    # The page: Phụ lục II's count is the whole list; Section III a page of 2 at a time.
    assert "Appendix II" in page or "Phụ lục II" in page
    assert len(re.findall(r'name="reason-(\d+)"', page)) == 2 and 'id="late-next"' in page
    second = client.get(URL + "?late_page=1").get_data(as_text=True)
    assert len(re.findall(r'name="reason-(\d+)"', second)) == 2 and 'id="late-previous"' in second
    assert set(re.findall(r'name="reason-(\d+)"', page)).isdisjoint(re.findall(r'name="reason-(\d+)"', second))


def test_reasons_are_saved_page_by_page_and_the_xlsx_holds_them_all(app, client, auth, many):
    auth.login("stc_head")
    for page in (0, 1):
        html = client.get(f"{URL}?late_page={page}").get_data(as_text=True)
        version = re.search(r'name="version" value="(\d+)"', html).group(1)
        ids = re.findall(r'name="reason-(\d+)"', html)
        client.post(f"{URL}?late_page={page}", data={"version": version, "section_3": "", "section_4": "",
                                                     "submit": "0", **{f"reason-{i}": f"Lý do {i}" for i in ids}})
    report_id = _report_id(app, "STC")
    rows, _figures = _xlsx_rows(client.get(f"/reports/file/{report_id}/xlsx").data)
    late = [r for r in rows if STATES[r[9]] == "overdue"]
    assert len(late) == 4 and all(r[11] and r[11].startswith("Lý do ") for r in late)
    assert all(not r[11] for r in rows if STATES[r[9]] != "overdue")


def test_turning_the_page_keeps_what_was_typed(app, client, auth, many):
    """A tired official types reasons on page 1 and clicks "next": the click saves the draft
    (the form posted to page 2's address) and shows page 2; page 1 keeps the reasons."""
    import html as html_lib

    auth.login("stc_head")
    first = client.get(URL).get_data(as_text=True)
    turn = re.search(r'<button[^>]*formaction="([^"]+)"[^>]*id="late-next"', first)
    assert turn, "the next-page control of an editable report saves the form"
    target = html_lib.unescape(turn.group(1))
    assert "late_page=1" in target
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', first))
    ids = re.findall(r'name="reason-(\d+)"', first)
    answer = client.post(target, data={**fields, "section_3": "", "section_4": "", "submit": "0",
                                       **{f"reason-{i}": f"Chờ số liệu {i}" for i in ids}})
    assert answer.status_code == 302 and "late_page=1" in answer.headers["Location"]
    second = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert set(re.findall(r'name="reason-(\d+)"', second)).isdisjoint(ids)
    again = client.get(URL).get_data(as_text=True)
    assert all(f"Chờ số liệu {i}" in again for i in ids)


def test_the_frozen_rows_are_the_live_rows_at_submission(app, client, auth, many, monkeypatch):
    from app.services import reports

    with app.test_request_context():
        live = reports.phu_luc_ii_rows(NOV, agency_id("STC"))
    auth.login("stc_head")
    reasons = {f"reason-{r['task_id']}": "Chờ số liệu" for r in reports.late_rows(live)}
    html = client.get(URL).get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    client.post(URL, data={"version": version, "section_3": "", "section_4": "", "submit": "0", **reasons})
    with app.app_context():
        version = db.session.scalar(select(PeriodicReport.version).where(PeriodicReport.agency_id == agency_id("STC")))
    client.post(URL, data={"version": version, "section_3": "", "section_4": "", "submit": "1"})
    with app.test_request_context():
        report = db.session.scalar(select(PeriodicReport).where(PeriodicReport.agency_id == agency_id("STC")))
        assert report.status == "submitted" and report.frozen_rows is None
        db.session.get(Task, many[0]).content = "Đã sửa sau khi gửi"  # a later change…
        db.session.commit()
        frozen = [{k: v for k, v in r.items() if k != "reason"} for r in reports.report_rows(report)]
        assert frozen[0]["coordinating"] == live[0]["coordinating"] and "; " in live[0]["coordinating"]
        assert frozen == [{k: v for k, v in r.items() if k != "reason"} for r in live]  # …is not in the report
        assert json.loads(report.frozen_counts)["total"] == len(frozen) == 7
        assert db.session.scalar(select(PeriodicReportRow.position).where(
            PeriodicReportRow.report_id == report.id).order_by(PeriodicReportRow.position.desc()).limit(1)) == 7
    rows, figures = _xlsx_rows(client.get(f"/reports/file/{report.id}/xlsx").data)
    assert [r[4] for r in rows] == [r["content"] for r in live] and figures[FIGURE["overdue"]] == 4
    assert all(r[11] == "Chờ số liệu" for r in rows if STATES[r[9]] == "overdue")


def test_a_submitted_report_of_before_0040_is_still_read_from_its_json(app, client, auth, many):
    from app.services import reports

    auth.login("stc_head")
    client.get(URL)
    with app.test_request_context():
        report = db.session.scalar(select(PeriodicReport).where(PeriodicReport.agency_id == agency_id("STC")))
        live = reports.phu_luc_ii_rows(NOV, report.agency_id)
        from app.services.appendix import appendix_counts

        report.frozen_counts = json.dumps(appendix_counts(NOV, report.agency_id).as_dict())
        report.frozen_rows = json.dumps([{k: v for k, v in r.items() if k != "reason"} for r in live])
        report.status = "submitted"
        db.session.commit()
        report_id = report.id
    rows, figures = _xlsx_rows(client.get(f"/reports/file/{report_id}/xlsx").data)
    assert [r[4] for r in rows] == [r["content"] for r in live] and figures[FIGURE["overdue"]] == 4


@pytest.mark.parametrize("order", [("stc_head", "snv_head"), ("snv_head", "stc_head")])
def test_two_agencies_read_their_own_rows_only_in_either_order(app, client, auth, many, order):
    own = {"stc_head": ("STC", 7), "snv_head": ("SNV", 2)}
    for username in order:
        auth.login(username)
        client.get(URL)
    for username in order:
        code, count = own[username]
        other = "SNV" if code == "STC" else "STC"
        auth.login(username)
        rows, figures = _xlsx_rows(client.get(f"/reports/file/{_report_id(app, code)}/xlsx").data)
        assert len(rows) == figures["Tổng số nhiệm vụ được giao trong kỳ báo cáo"] == count
        assert all(r[4].startswith(f"Nhiệm vụ {code} ") for r in rows)
        page = client.get(URL).get_data(as_text=True)
        assert f"Nhiệm vụ {other} " not in page and f"Nhiệm vụ {code} 1" in page
        for kind in ("pdf", "docx", "xlsx"):
            assert client.get(f"/reports/file/{_report_id(app, other)}/{kind}").status_code == 404


def test_a_result_dated_before_its_document_counts_and_lists_alike(app, make_document):
    """app.domain.appendix._completed_on: such a result counts as of the document's date; the
    SQL terms read it the same way, in the figures and in the row (one CASE for both)."""
    from app.domain.appendix import appendix_counts as domain_counts
    from app.services import reports
    from app.services.appendix import appendix_counts, task_facts

    _, (task_id,) = make_document([{"lead": "STC", "deadline": dt.date(2026, 11, 5)}], issued_on=dt.date(2026, 10, 20))
    with app.test_request_context():
        task = db.session.get(Task, task_id)
        task.status, task.completed_on = "completed", dt.date(2026, 10, 10)  # a mistyped date
        db.session.commit()
        counts = appendix_counts(NOV, agency_id("STC"))
        assert counts == domain_counts(task_facts(agency_id("STC")), NOV.start, NOV.end)
        assert counts.completed_on_time == counts.total == 1
        assert [r["state"] for r in reports.phu_luc_ii_rows(NOV, agency_id("STC"))] == ["completed_on_time"]
