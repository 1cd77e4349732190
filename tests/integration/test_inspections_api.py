"""The inspection API of issue 11 (Chương V): the contract, the states and the refusals
(403 role, 404 not visible, 409 state, 422 input) with Vietnamese messages."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.integration.inspection_helpers import (agency_id, body, create, headers, ids, issue,  # noqa: F401
                                                 running, user, vn_today)


def test_the_office_drafts_and_the_chairman_issues(client, ids):
    answer = client.post("/api/v1/inspection/", json=body(), headers=headers(client, "officer"))
    assert answer.status_code == 201
    created = answer.get_json()
    assert created["result"]["status"] == "draft"
    assert created["result"]["inspected_agency_ids"] == [agency_id("STC")]
    assert created["result"]["leader_id"] == user("snv_head").id
    assert created["result"]["member_ids"] == [user("wg_member").id]
    from app.domain.calendar import WorkingCalendar

    end = dt.date.fromisoformat(body()["end_on"])
    assert created["result"]["report_due_on"] == WorkingCalendar().add_working_days(end, 10).isoformat()
    assert created["result"]["report_late"] is False and created["result"]["report_submitted_on"] is None

    result = issue(client, created["id"], "15/QĐ-UBND")
    assert result["status"] == "running" and result["number"] == "15/QĐ-UBND"
    assert result["issued_on"] == vn_today().isoformat()
    listed = client.get("/api/v1/inspection/", headers=headers(client, "officer")).get_json()
    assert listed["count"] == 1 and listed["result"][0]["status"] == "running"


def test_an_issued_decision_is_issued_once(client, ids):
    inspection_id = running(client)
    again = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": "16/QĐ-UBND"},
                        headers=headers(client, "chairman"))
    assert again.status_code == 409
    assert "Đang kiểm tra" in again.get_json()["message"]


def test_only_the_chairman_issues_the_offices_decision(client, ids):
    inspection_id = create(client)
    for username in ("officer", "wg_member", "stc_head"):
        answer = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": "1/QĐ-UBND"},
                             headers=headers(client, username))
        assert answer.status_code in (403, 404), username
    answer = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": "1/QĐ-UBND"},
                         headers=headers(client, "officer"))
    assert answer.status_code == 403  # no can_issue on InspectionApi for the Office (FAB's own refusal)


def test_a_number_is_used_once(client, ids):
    running(client)
    second = create(client)
    answer = client.post(f"/api/v1/inspection/{second}/issue", json={"number": "15/QĐ-UBND"},
                         headers=headers(client, "chairman"))
    assert answer.status_code == 422 and "number" in answer.get_json()["errors"]


@pytest.mark.parametrize("overrides, field", [
    ({"end_on": "2026-01-01", "start_on": "2026-02-01"}, "end_on"),
    ({"inspected_agency_ids": [999999]}, "inspected_agency_ids"),
    ({"inspected_agency_ids": []}, "inspected_agency_ids"),
    ({"member_ids": [999999]}, "member_ids"),
    ({"leader_id": None}, "leader_id"),
    ({"form": "surprise"}, "form"),
    ({"legal_basis": ""}, "legal_basis"),
    ({"content": {"implementation": False, "updating": False, "reporting": False}}, "content"),
    ({"start_on": "9999-12-31"}, "start_on"),
    ({"scope": "x\x00y"}, "scope"),
])
def test_bad_input_answers_422_naming_the_field_and_stores_nothing(client, ids, overrides, field):
    answer = client.post("/api/v1/inspection/", json=body(**overrides), headers=headers(client, "officer"))
    assert answer.status_code == 422, answer.get_json()
    payload = answer.get_json()
    assert field in payload.get("errors", {field: None}), payload
    assert payload["message"] and not payload["message"].startswith(("The ", "Choose", "Name"))
    assert client.get("/api/v1/inspection/", headers=headers(client, "officer")).get_json()["count"] == 0


def test_end_before_start_says_so_in_vietnamese(client, ids):
    answer = client.post("/api/v1/inspection/", json=body(start_on="2026-02-01", end_on="2026-01-01"),
                         headers=headers(client, "officer"))
    assert "Ngày kết thúc không được trước ngày bắt đầu" in str(answer.get_json())


def test_an_agency_cannot_draft_the_chairmans_decision(client, ids):
    answer = client.post("/api/v1/inspection/", json=body(), headers=headers(client, "stc_head"))
    assert answer.status_code == 403
    member = client.post("/api/v1/inspection/", json=body(), headers=headers(client, "wg_member"))
    assert member.status_code == 403  # no can_post on InspectionApi for the role


def test_who_sees_an_inspection(client, ids):
    inspection_id = create(client)
    # A draft: the Office and the Chairman only.
    for username, code in (("officer", 200), ("chairman", 200), ("stc_head", 404), ("wg_member", 404),
                           ("snv_head", 404)):
        answer = client.get(f"/api/v1/inspection/{inspection_id}", headers=headers(client, username))
        assert answer.status_code == code, username
    issue(client, inspection_id)
    # Issued: also the group (wg_member, leader snv_head) and the inspected agency (stc_head).
    for username in ("stc_head", "wg_member", "snv_head", "stc_staff"):
        answer = client.get(f"/api/v1/inspection/{inspection_id}", headers=headers(client, username))
        assert answer.status_code == 200, username
    assert client.get(f"/api/v1/inspection/{inspection_id}",
                      headers=headers(client, "nhatrang_chair")).status_code == 404
    assert client.get("/api/v1/inspection/", headers=headers(client, "nhatrang_chair")).get_json()["count"] == 0


def test_members_record_findings_the_inspected_agency_does_not(client, ids, make_document):
    _, (task_id,) = make_document([{"lead": "STC", "content": "Thu ngân sách"}])
    inspection_id = running(client)
    url = f"/api/v1/inspection/{inspection_id}/findings"
    finding = {"agency_id": agency_id("STC"), "task_id": task_id, "assessment": "Cập nhật chậm",
               "conclusion": "Chưa đạt tiến độ", "recommendations": "Đôn đốc hoàn thành trong tháng"}
    answer = client.post(url, json=finding, headers=headers(client, "wg_member"))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["result"]["task_id"] == task_id
    assert client.post(url, json=finding, headers=headers(client, "stc_head")).status_code == 403
    assert client.post(url, json=finding, headers=headers(client, "nhatrang_chair")).status_code == 404
    wrong_agency = client.post(url, json={**finding, "agency_id": agency_id("SNV"), "task_id": None},
                               headers=headers(client, "wg_member"))
    assert wrong_agency.status_code == 422 and "agency_id" in wrong_agency.get_json()["errors"]
    detail = client.get(f"/api/v1/inspection/{inspection_id}", headers=headers(client, "officer")).get_json()
    assert [f["conclusion"] for f in detail["findings"]] == ["Chưa đạt tiến độ"]
    # The inspected agency reads findings only in the submitted result.
    assert client.get(f"/api/v1/inspection/{inspection_id}",
                      headers=headers(client, "stc_head")).get_json()["findings"] == []


def test_no_finding_before_the_start(client, ids):
    later = vn_today() + dt.timedelta(days=10)
    inspection_id = running(client, start_on=later.isoformat(), end_on=(later + dt.timedelta(days=3)).isoformat())
    assert client.get(f"/api/v1/inspection/{inspection_id}",
                      headers=headers(client, "officer")).get_json()["result"]["status"] == "issued"
    answer = client.post(f"/api/v1/inspection/{inspection_id}/findings",
                         json={"agency_id": agency_id("STC"), "assessment": "x"}, headers=headers(client, "wg_member"))
    assert answer.status_code == 409


def test_the_leader_submits_the_report_once_and_the_inspected_agency_is_told(client, ids, app):
    inspection_id = running(client)
    client.post(f"/api/v1/inspection/{inspection_id}/findings",
                json={"agency_id": agency_id("STC"), "conclusion": "Hoàn thành 8/10 nhiệm vụ"},
                headers=headers(client, "wg_member"))
    member = client.post(f"/api/v1/inspection/{inspection_id}/report", json={}, headers=headers(client, "wg_member"))
    assert member.status_code == 403
    answer = client.post(f"/api/v1/inspection/{inspection_id}/report", json={}, headers=headers(client, "snv_head"))
    assert answer.status_code == 200, answer.get_json()
    result = answer.get_json()["result"]
    assert result["status"] == "reported"
    assert result["report_submitted_on"] == vn_today().isoformat() and result["report_late"] is False
    again = client.post(f"/api/v1/inspection/{inspection_id}/report", json={}, headers=headers(client, "officer"))
    assert again.status_code == 409
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Notification

    with app.app_context():
        told = db.session.scalars(select(Notification).where(Notification.kind == "inspection_reported")).all()
    told_users = {n.user_id for n in told}
    assert user("stc_head").id in told_users and user("chairman").id in told_users
    assert user("nhatrang_chair").id not in told_users
    assert all(n.link == f"/inspections/show/{inspection_id}" for n in told)


def test_the_decision_file_reads_back(client, ids):
    inspection_id = running(client)
    from docx import Document as Docx
    from pypdf import PdfReader

    pdf = client.get(f"/api/v1/inspection/{inspection_id}/decision/pdf", headers=headers(client, "stc_head"))
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    text = " ".join(text.split())
    for expected in ("QUYẾT ĐỊNH", "Về việc kiểm tra", "Số: 15/QĐ-UBND", "Căn cứ Quyết định số 26/2026/QĐ-UBND",
                     "Điều 1.", "Điều 2.", "Điều 3.", "Sở Tài chính", "Tổ trưởng", "Test snv_head", "Test wg_member",
                     "Nơi nhận", "CHỦ TỊCH", "đột xuất"):
        assert expected in text, expected
    docx = client.get(f"/api/v1/inspection/{inspection_id}/decision/docx", headers=headers(client, "officer"))
    document = Docx(io.BytesIO(docx.data))
    words = "\n".join([p.text for p in document.paragraphs]
                      + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "QUYẾT ĐỊNH" in words and "Điều 2." in words and "Test wg_member" in words and "15/QĐ-UBND" in words


def test_the_result_report_file_reaches_the_inspected_agency_only_once_submitted(client, ids):
    inspection_id = running(client)
    client.post(f"/api/v1/inspection/{inspection_id}/findings",
                json={"agency_id": agency_id("STC"), "conclusion": "Chậm cập nhật kết quả trên Hệ thống"},
                headers=headers(client, "wg_member"))
    url = f"/api/v1/inspection/{inspection_id}/report/pdf"
    assert client.get(url, headers=headers(client, "stc_head")).status_code == 404
    client.post(f"/api/v1/inspection/{inspection_id}/report", json={"number": "20/BC-VP"},
                headers=headers(client, "snv_head"))
    from pypdf import PdfReader

    pdf = client.get(url, headers=headers(client, "stc_head"))
    assert pdf.status_code == 200
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    for expected in ("BÁO CÁO", "Kết quả kiểm tra việc thực hiện nhiệm vụ", "Chậm cập nhật kết quả trên Hệ thống",
                     "Sở Tài chính", "Số: 20/BC-VP", "Nơi nhận", "TỔ TRƯỞNG", "Test snv_head", "15/QĐ-UBND"):
        assert expected in text, expected
    assert client.get(url, headers=headers(client, "nhatrang_chair")).status_code == 404
    from docx import Document as Docx

    docx = client.get(f"/api/v1/inspection/{inspection_id}/report/docx", headers=headers(client, "stc_head"))
    words = "\n".join(c.text for t in Docx(io.BytesIO(docx.data)).tables for r in t.rows for c in r.cells)
    assert "Chậm cập nhật kết quả trên Hệ thống" in words


def test_an_agency_inspects_itself_and_reports_in_seven_working_days(client, ids):
    from app.domain.calendar import WorkingCalendar

    data = body(conducted_by="agency", agency_id=agency_id("STC"), leader_id=user("stc_head").id,
                member_ids=[user("stc_staff").id])
    answer = client.post("/api/v1/inspection/", json=data, headers=headers(client, "stc_head"))
    assert answer.status_code == 201, answer.get_json()
    inspection_id = answer.get_json()["id"]
    end = dt.date.fromisoformat(data["end_on"])
    assert answer.get_json()["result"]["report_due_on"] == WorkingCalendar().add_working_days(end, 7).isoformat()
    # The Chairman does not issue an agency's own; its head does.
    refused = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": "3/QĐ-STC"},
                          headers=headers(client, "chairman"))
    assert refused.status_code == 403
    assert refused.get_json()["message"] == "Anh/chị không có quyền ban hành quyết định này."
    issued = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": "3/QĐ-STC"},
                         headers=headers(client, "stc_head"))
    assert issued.status_code == 200 and issued.get_json()["result"]["status"] == "running"
    # Another agency's inspection cannot be set up by it (Art. 13.2).
    other = client.post("/api/v1/inspection/", json={**data, "inspected_agency_ids": [agency_id("22366")]},
                        headers=headers(client, "stc_head"))
    assert other.status_code == 422 and "inspected_agency_ids" in other.get_json()["errors"]


def test_two_chairmen_issuing_at_once_leave_one_number(client, ids, app):
    """Both read the draft before either commits: the row changes only while still a draft at the
    version read, so the second gets a 409 and the first number stays."""
    inspection_id = create(client)
    from app.access import viewer_for
    from app.extensions import db
    from app.models import Inspection
    from app.services import inspections
    from app.services.errors import Conflict
    from tests.conftest import user as real_user

    with app.test_request_context():
        read_by_second = db.session.get(Inspection, inspection_id).version
        inspections.issue(inspection_id, viewer=viewer_for(real_user("chairman")), number="30/QĐ-UBND",
                          issued_on=None)
        stale = type("Stale", (), {"id": inspection_id, "version": read_by_second})()
        with pytest.raises(Conflict):
            inspections._claim(stale, inspections.Stage.draft, "x", stage="issued", number="31/QĐ-UBND")
    assert client.get(f"/api/v1/inspection/{inspection_id}",
                      headers=headers(client, "officer")).get_json()["result"]["number"] == "30/QĐ-UBND"


def test_a_day_off_added_before_the_issue_moves_the_report_due_date(client, ids, app):
    from app.domain.calendar import WorkingCalendar
    from app.extensions import db
    from app.models import CalendarOverride

    inspection_id = create(client)
    draft = client.get(f"/api/v1/inspection/{inspection_id}", headers=headers(client, "officer")).get_json()
    due = dt.date.fromisoformat(draft["result"]["report_due_on"])
    end = dt.date.fromisoformat(draft["result"]["end_on"])
    day_off = WorkingCalendar().add_working_days(end, 1)
    with app.app_context():
        db.session.add(CalendarOverride(day=day_off, working=False, note="Nghỉ đột xuất"))
        db.session.commit()
    issued = issue(client, inspection_id)
    assert issued["report_due_on"] == WorkingCalendar({day_off: False}).add_working_days(end, 10).isoformat()
    assert dt.date.fromisoformat(issued["report_due_on"]) > due
