"""Periodic reports, evaluation and the dashboard (issue: reports)."""
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.domain.appendix import appendix_counts as domain_counts
from app.domain.periods import Period, PeriodKind
from app.extensions import db
from app.models import ExtensionRequest, PeriodicReport, Task
from tests.conftest import PASSWORD, agency_id, user

NOV = Period(PeriodKind.monthly, 2026, 11)  # 15/10/2026 – 14/11/2026
d = lambda day, month: dt.date(2026, month, day)  # noqa: E731


def _headers(client, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def scenario(app, make_document):
    """Tasks of STC and SNV in every state of SPEC §5 for November 2026."""
    specs = [  # (lead, issued, source, deadline, completed_on, extension (approved_on, new deadline))
        ("STC", d(20, 10), "work_program", d(30, 11), None, None),            # new, open in time
        ("STC", d(25, 10), "meeting_conclusion", d(5, 11), d(4, 11), None),   # new, completed on time
        ("STC", d(1, 11), "ad_hoc", d(10, 11), None, None),                   # new, open overdue
        ("STC", d(2, 11), "ad_hoc", d(6, 11), d(12, 11), None),               # new, completed late
        ("STC", d(3, 11), "meeting_conclusion", d(8, 11), None, (d(7, 11), d(30, 11))),  # new, open extended
        ("STC", d(1, 10), "ad_hoc", d(31, 10), d(30, 10), None),              # carried in time, on time
        ("STC", d(1, 10), "ad_hoc", d(14, 10), None, None),                   # carried overdue (due S−1)
        ("STC", d(1, 9), "ad_hoc", d(30, 9), None, (d(25, 9), d(20, 11))),    # carried extended, open ext.
        ("STC", d(1, 9), "ad_hoc", d(30, 9), d(10, 10), None),                # completed before S: not counted
        ("STC", d(20, 11), "ad_hoc", d(30, 11), None, None),                  # issued after E: not counted
        ("SNV", d(16, 10), "work_program", d(14, 11), None, None),            # new, due on E: open overdue
        ("SNV", d(1, 10), "work_program", d(1, 11), d(3, 11), None),          # carried in time, late
    ]
    ids = []
    for lead, issued, source, deadline, completed, extension in specs:
        _, (task_id,) = make_document([{"lead": lead, "deadline": deadline}], issued_on=issued, source=source)
        ids.append((task_id, completed, extension, deadline))
    with app.app_context():
        for task_id, completed, extension, deadline in ids:
            task = db.session.get(Task, task_id)
            if extension:
                approved_on, new_deadline = extension
                db.session.add(ExtensionRequest(
                    task_id=task_id, reason="x", proposed_deadline=new_deadline, deadline_at_request=deadline,
                    status="approved", approved_deadline=new_deadline,
                    decided_at=dt.datetime.combine(approved_on, dt.time(9)),
                    requested_at=dt.datetime.combine(approved_on, dt.time(8))))
                task.original_deadline, task.deadline = deadline, new_deadline
            if completed:
                task.status, task.completed_on = "completed", completed
                task.result_submitted_at = dt.datetime.combine(completed, dt.time(10))
        db.session.commit()
    return [i for i, *_ in ids]


EXPECTED_STC = dict(new_work_program=1, new_meeting_conclusion=2, new_ad_hoc=2, carried_in_time=1,
                    carried_extended=1, carried_overdue=1, total=8, completed_on_time=2, completed_late=1,
                    open_extended=2, open_in_time=1, open_overdue=2)


def test_the_sql_counts_are_the_regulations_counts(app, scenario):
    from app.services.appendix import appendix_counts, appendix_counts_by_agency, task_facts

    with app.app_context():
        stc = appendix_counts(NOV, agency_id("STC"))
        assert stc.as_dict() == EXPECTED_STC
        assert stc.total == stc.completed_total + stc.open_total
        for agency, counts in appendix_counts_by_agency(NOV).items():
            assert counts == domain_counts(task_facts(agency), NOV.start, NOV.end)
        assert appendix_counts(NOV) == domain_counts(task_facts(), NOV.start, NOV.end)


def test_the_period_api(client):
    answer = client.get("/api/v1/reports/period?kind=monthly&year=2026&number=2", headers=_headers(client, "stc_head"))
    # 14/02/2026 is a Saturday before the Tết break (16–20/02).
    assert answer.get_json() == {"start": "2026-01-15", "end": "2026-02-14", "agency_due": "2026-02-24",
                                 "office_due": "2026-02-27"}
    half = client.get("/api/v1/reports/period?kind=half_year&year=2026", headers=_headers(client, "stc_head"))
    assert half.get_json()["start"] == "2025-12-15" and half.get_json()["end"] == "2026-06-14"
    bad = client.get("/api/v1/reports/period?kind=monthly&year=2026&number=13", headers=_headers(client, "stc_head"))
    assert bad.status_code == 422


def test_appendix_api_scopes(client, scenario):
    url = "/api/v1/reports/appendix-1?kind=monthly&year=2026&number=11"
    assert client.get(url, headers=_headers(client, "stc_head")).get_json() == EXPECTED_STC
    assert client.get(url + "&agency_id=1", headers=_headers(client, "stc_head")).status_code == 404
    province = client.get(url, headers=_headers(client, "chairman")).get_json()
    assert province["total"] == 10 and province["open_overdue"] == 3


def test_staff_draft_the_head_submits_and_the_counts_are_frozen(app, client, auth, scenario):
    url = "/reports/agency/monthly/2026/11"
    auth.login("stc_staff")
    page = client.get(url).get_data(as_text=True)
    late = re.findall(r'name="reason-(\d+)"', page)
    assert len(late) == 3  # completed late + two open overdue
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    form = {"version": version, "section_3": "", "section_4": "Đề nghị bổ sung kinh phí", "submit": "1",
            **{f"reason-{i}": "Chờ số liệu của các xã" for i in late}}
    client.post(url, data=form)  # staff may not submit: only the draft is saved
    with app.app_context():
        report = db.session.scalar(select(PeriodicReport))
        assert report.status == "draft" and report.section_4 == "Đề nghị bổ sung kinh phí"
        version = report.version
    auth.login("stc_head")
    client.post(url, data={**form, "version": version})
    with app.app_context():
        report = db.session.scalar(select(PeriodicReport))
        assert report.status == "submitted" and json.loads(report.frozen_counts) == EXPECTED_STC
        report_id = report.id
        db.session.get(Task, scenario[0]).status = "withdrawn"  # a later change…
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert 'class="count-total"><b>8</b>' in page  # …does not change the submitted report
    assert "warning" in page  # and the Office can see the difference
    files = {kind: client.get(f"/reports/file/{report_id}/{kind}").data for kind in ("pdf", "docx", "xlsx")}
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages)
    text = " ".join(text.split())
    assert "Tổng số nhiệm vụ được giao trong kỳ báo cáo: 8" in text
    assert "Số nhiệm vụ chưa hoàn thành quá hạn: 2" in text and "Đề nghị bổ sung kinh phí" in text
    book = load_workbook(io.BytesIO(files["xlsx"]))
    assert book.sheetnames == ["Phụ lục II", "Phụ lục I"]
    figures = {row[0].value: row[1].value for row in book["Phụ lục I"].iter_rows(min_row=2)}
    assert figures["Tổng số nhiệm vụ được giao trong kỳ báo cáo"] == 8
    assert figures["- Số nhiệm vụ được giao theo Chương trình công tác"] == 1
    assert figures["+ Số nhiệm vụ chưa hoàn thành quá hạn"] == 2
    assert not any("_" in str(label) for label in figures)  # no new_work_program…
    assert files["docx"][:2] == b"PK"
    auth.login("snv_head")
    assert client.get(f"/reports/file/{report_id}/pdf").status_code == 404


def test_the_office_sees_who_is_late_and_reminds_them(app, client, auth, scenario):
    auth.login("officer")
    page = client.get("/reports/office/monthly/2026/11").get_data(as_text=True)
    assert "Sở Tài chính" in page and "Sở Nội vụ" in page
    client.post("/reports/remind/monthly/2026/11")
    with app.app_context():
        from app.models import Notification

        kinds = db.session.scalars(select(Notification.user_id).where(Notification.kind == "report_late")).all()
        assert user("stc_head").id in kinds and user("snv_head").id in kinds  # 18/11 is past due
    consolidated = client.get("/reports/consolidated/monthly/2026/11").get_data(as_text=True)
    assert 'id="consolidated-table"' in consolidated


def test_the_evaluation_is_published_to_everyone(app, client, auth, scenario):
    auth.login("officer")
    client.post("/evaluation/compute", data={"period": NOV.label})
    auth.login("nhatrang_chair")
    page = client.get(f"/evaluation/?period={NOV.label}").get_data(as_text=True)
    assert "Sở Tài chính" in page and "60/20/20" in page
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]+)</td>", page)
    assert [r[0] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]


def test_the_dashboard_numbers_open_those_tasks(app, client, auth, scenario):
    auth.login("stc_head")
    home = client.get("/").get_data(as_text=True)
    overdue = int(re.search(r'state-overdue"[^>]*>\s*<h3[^>]*>(\d+)<', home).group(1))
    listed = client.get("/tasks/list/?state=overdue").get_data(as_text=True)
    assert int(re.search(r"Số bản ghi:</strong>\s*(\d+)", listed).group(1)) == overdue > 0
    assert "<svg" in home and "trend-chart" in home


def test_the_export_of_a_list_opened_from_a_dashboard_number_keeps_that_state(app, client, auth, scenario):
    """The export link carries the list's query: a list of the overdue tasks exports the overdue
    tasks, not every task of the agency."""
    import io

    from openpyxl import load_workbook

    auth.login("stc_head")
    home = client.get("/").get_data(as_text=True)
    overdue = int(re.search(r'state-overdue"[^>]*>\s*<h3[^>]*>(\d+)<', home).group(1))
    every = int(re.search(r"Số bản ghi:</strong>\s*(\d+)", client.get("/tasks/list/").get_data(as_text=True)).group(1))
    assert every > overdue > 0

    def rows(query):
        answer = client.get(f"/tasks/export/?{query}")
        assert answer.status_code == 200
        return load_workbook(io.BytesIO(answer.data)).active.max_row - 1  # less the header

    assert rows("state=overdue") == overdue
    assert rows("") == every


def test_appendix_for_every_agency_in_one_call(app, client, scenario):
    """Issue 10: all_agencies=1 gives each agency exactly what its own call gives, the
    province the province's; only the Office may ask; a bad flag is a 422 naming it."""
    url = "/api/v1/reports/appendix-1?kind=monthly&year=2026&number=11"
    office = _headers(client, "officer")
    with app.app_context():
        ids = {code: agency_id(code) for code in ("STC", "SNV", "SYT", "22366")}
    answer = client.get(url + "&all_agencies=1", headers=office)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["start"] == "2026-10-15" and body["end"] == "2026-11-14"
    rows = {row["code"]: row for row in body["agencies"]}
    assert len(rows) > 80  # every agency, zeros included
    fields = set(EXPECTED_STC)
    for code in ("STC", "SNV", "SYT", "22366"):
        one = client.get(url + f"&agency_id={ids[code]}", headers=office).get_json()
        assert {k: rows[code][k] for k in fields} == one, code
    assert {k: rows["STC"][k] for k in fields} == EXPECTED_STC
    assert rows["SYT"]["total"] == 0
    assert body["province"] == client.get(url, headers=office).get_json()
    for username in ("stc_head", "chairman", "nhatrang_chair"):
        refused = client.get(url + "&all_agencies=1", headers=_headers(client, username))
        assert refused.status_code == 403, username
        assert "Văn phòng" in refused.get_json()["message"]
    bad = client.get(url + "&all_agencies=2", headers=office)
    assert bad.status_code == 422 and "all_agencies" in bad.get_json()["errors"]
    both = client.get(url + f"&all_agencies=1&agency_id={ids['STC']}", headers=office)
    assert both.status_code == 422
