"""The inspection screens in Vietnamese (Chương V): the Office drafts (also from an agency's overdue
tasks), the Chairman sends back or issues, the leader plans and asks, the inspected agency's staff
draft and its head submits its report with a line per late task (Art. 19.4), members record findings,
the leader submits the result report, the inspected agency opens it; the daily sweep reminds."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.integration.inspection_helpers import agency_id, headers, ids, running, user  # noqa: F401


def _form(**overrides):
    today = dt.date.today()
    data = {"conducted_by": "office", "legal_basis": "Quyết định số 26/2026/QĐ-UBND", "scope": "Năm 2026",
            "tasks": "", "content_implementation": "1", "content_updating": "1", "form": "ad_hoc",
            "start_on": (today - dt.timedelta(days=1)).isoformat(), "end_on": (today + dt.timedelta(days=3)).isoformat(),
            "inspected_agency_ids": [str(agency_id("STC"))], "leader_id": str(user("snv_head").id),
            "member_ids": [str(user("wg_member").id)]}
    data.update(overrides)
    return data


def _notifications(app, username, kind):
    from app.extensions import db
    from app.models import Notification
    from tests.conftest import user as real_user

    with app.app_context():
        return db.session.scalars(select(Notification).where(Notification.user_id == real_user(username).id,
                                                             Notification.kind == kind)).all()


def test_the_menu_shows_inspections_to_those_who_use_them(client, auth, ids):
    for username in ("officer", "chairman", "wg_member", "stc_head", "nhatrang_chair"):
        auth.login(username)
        page = client.get("/inspections/")
        assert page.status_code == 200, username
        text = page.get_data(as_text=True)
        assert "Chưa có cuộc kiểm tra nào." in text
        home = client.get("/", follow_redirects=True).get_data(as_text=True)
        assert 'href="/inspections/"' in home, username


def test_one_click_from_the_overdue_list_drafts_an_ad_hoc_decision(client, auth, ids, make_document):
    past = dt.date.today() - dt.timedelta(days=40)
    make_document([{"lead": "STC", "deadline": past + dt.timedelta(days=5)}], issued_on=past)
    auth.login("officer")
    overdue = client.get("/overdue/?all=1").get_data(as_text=True)
    link = f"/inspections/add?agency_id={agency_id('STC')}"
    assert link in overdue and "Kiểm tra đột xuất" in overdue
    form = client.get(link).get_data(as_text=True)
    assert '<option value="ad_hoc" selected>' in form
    assert f'<option value="{agency_id("STC")}" selected>' in form
    assert "1 nhiệm vụ quá hạn" in form


def test_draft_send_back_issue_in_vietnamese_with_notifications(app, client, auth, ids):
    auth.login("officer")
    answer = client.post("/inspections/add", data=_form(), follow_redirects=True)
    text = answer.get_data(as_text=True)
    assert "Đã lưu dự thảo quyết định" in text and "Dự thảo quyết định" in text
    from app.extensions import db
    from app.models import Inspection

    with app.app_context():
        inspection_id = db.session.scalar(select(Inspection.id))
    text = client.post(f"/inspections/submit/{inspection_id}", follow_redirects=True).get_data(as_text=True)
    assert "Đã trình Chủ tịch dự thảo quyết định." in text and "Đang chờ Chủ tịch quyết định" in text
    [told] = _notifications(app, "chairman", "inspection_to_issue")
    assert told.link == f"/inspections/show/{inspection_id}"

    auth.login("chairman")
    page = client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
    assert 'id="issue-form"' in page and 'id="send-back-form"' in page
    text = client.post(f"/inspections/send-back/{inspection_id}", data={"note": "Bổ sung thành viên Sở Tư pháp"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã trả lại dự thảo quyết định cho Văn phòng." in text
    assert _notifications(app, "officer", "inspection_sent_back")

    auth.login("officer")
    page = client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
    assert "Bổ sung thành viên Sở Tư pháp" in page and 'id="submit-form"' in page
    client.post(f"/inspections/submit/{inspection_id}")
    # The Office cannot issue (no can_issue): nothing changes.
    client.post(f"/inspections/issue/{inspection_id}", data={"number": "1/QĐ-UBND"})
    with app.app_context():
        assert db.session.get(Inspection, inspection_id).stage == "draft"

    auth.login("chairman")
    text = client.post(f"/inspections/issue/{inspection_id}", data={"number": "21/QĐ-UBND"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã ban hành quyết định" in text and "Đang kiểm tra" in text and "21/QĐ-UBND" in text
    history = text[text.index('id="history"'):]
    for step in ("Tạo dự thảo quyết định", "Trình Chủ tịch", "Chủ tịch trả lại", "Ban hành quyết định"):
        assert step in history
    assert history.count("Ban hành quyết định") == 1
    assert _notifications(app, "wg_member", "inspection_issued")
    assert _notifications(app, "stc_head", "inspection_issued")
    assert not _notifications(app, "nhatrang_chair", "inspection_issued")


def test_a_bad_form_shows_the_vietnamese_reason_and_saves_nothing(app, client, auth, ids):
    auth.login("officer")
    today = dt.date.today()
    text = client.post("/inspections/add", data=_form(end_on=(today - dt.timedelta(days=5)).isoformat()),
                       follow_redirects=True).get_data(as_text=True)
    assert "Ngày kết thúc không được trước ngày bắt đầu." in text
    from app.extensions import db
    from app.models import Inspection

    with app.app_context():
        assert db.session.query(Inspection).count() == 0


def test_the_whole_inspection_through_the_screens(app, client, auth, ids, make_document):
    past = dt.date.today() - dt.timedelta(days=40)
    _, (late_task,) = make_document([{"lead": "STC", "content": "Báo cáo quyết toán",
                                      "deadline": past + dt.timedelta(days=5)}], issued_on=past)
    inspection_id = running(client)
    show = f"/inspections/show/{inspection_id}"

    # The leader asks the inspected agency for its report by a due date (Art. 16.3) and invites another.
    auth.login("snv_head")
    due = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    text = client.post(f"/inspections/step/{inspection_id}", data={
        "kind": "request", "agency_id": agency_id("STC"), "on_date": due, "body": "Báo cáo tình hình thực hiện"},
        follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi; những người liên quan đã được thông báo." in text and "Báo cáo tình hình thực hiện" in text
    client.post(f"/inspections/step/{inspection_id}", data={
        "kind": "invitation", "agency_id": agency_id("22366"), "body": "Mời dự buổi làm việc"})
    assert _notifications(app, "stc_head", "inspection_request")
    assert _notifications(app, "stc_staff", "inspection_request")
    assert _notifications(app, "nhatrang_chair", "inspection_invitation")

    # The inspected agency: staff draft, a line per late task to explain, the head submits.
    auth.login("stc_staff")
    page = client.get(show).get_data(as_text=True)
    assert "Báo cáo tình hình thực hiện" in page and f'name="explain-{late_task}"' in page
    assert 'name="submit" value="1"' not in page  # staff only save drafts
    client.post(f"/inspections/agency-report/{inspection_id}",
                data={"body": "Sở đã triển khai", f"explain-{late_task}": "", "submit": "0"})
    auth.login("stc_head")
    page = client.get(show).get_data(as_text=True)
    assert "Sở đã triển khai" in page
    refused = client.post(f"/inspections/agency-report/{inspection_id}",
                          data={"body": "Sở đã triển khai", "submit": "1"}, follow_redirects=True).get_data(as_text=True)
    assert f"Giải trình nhiệm vụ #{late_task} (khoản 4 Điều 19)." in refused
    text = client.post(f"/inspections/agency-report/{inspection_id}", data={
        "body": "Sở đã triển khai", f"explain-{late_task}": "Chờ số liệu của Kho bạc", "submit": "1"},
        follow_redirects=True).get_data(as_text=True)
    assert "Đã gửi báo cáo của cơ quan đến Tổ công tác." in text
    assert _notifications(app, "snv_head", "inspection_agency_report")

    # A member records a finding on the task; the leader reads the agency's report.
    auth.login("wg_member")
    text = client.post(f"/inspections/finding/{inspection_id}", data={
        "agency_id": agency_id("STC"), "task_id": str(late_task), "assessment": "Cập nhật chưa kịp thời",
        "conclusion": "Nhiệm vụ quá hạn do chậm phối hợp", "recommendations": "Giao Sở hoàn thành trước 31/12"},
        follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi kết quả kiểm tra." in text and "Nhiệm vụ quá hạn do chậm phối hợp" in text
    auth.login("snv_head")
    page = client.get(show).get_data(as_text=True)
    assert "Chờ số liệu của Kho bạc" in page
    # The result report starts from the findings.
    assert "Nhiệm vụ quá hạn do chậm phối hợp" in page[page.index('id="report-body"'):]
    # Before submission the inspected agency has no result to open.
    auth.login("stc_head")
    assert 'id="report-pdf"' not in client.get(show).get_data(as_text=True)
    assert client.get(f"/inspections/file/{inspection_id}/report/pdf").status_code == 404

    auth.login("snv_head")
    with app.app_context():
        from app.extensions import db
        from app.models import Inspection

        version = db.session.get(Inspection, inspection_id).version
    text = client.post(f"/inspections/report/{inspection_id}", data={
        "body": "Sở Tài chính cơ bản hoàn thành; còn 1 nhiệm vụ quá hạn.", "number": "25/BC-VP", "version": version},
        follow_redirects=True).get_data(as_text=True)
    assert "Đã gửi báo cáo kết quả kiểm tra" in text and "Đã báo cáo kết quả" in text

    auth.login("stc_head")
    [told] = _notifications(app, "stc_head", "inspection_reported")
    page = client.get(told.link).get_data(as_text=True)
    assert "Sở Tài chính cơ bản hoàn thành; còn 1 nhiệm vụ quá hạn." in page and 'id="report-pdf"' in page
    pdf = client.get(f"/inspections/file/{inspection_id}/report/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    # Another agency sees none of it.
    auth.login("nhatrang_chair")
    assert client.get(show).status_code == 404
    assert client.get(f"/inspections/file/{inspection_id}/decision/pdf").status_code == 404


def test_the_daily_sweep_reminds_of_result_reports_once_a_day(app, client, ids):
    from app.domain.calendar import WorkingCalendar
    from app.extensions import db
    from app.models import Inspection, Notification
    from app.services.inspections import remind_report_deadlines

    inspection_id = running(client)
    cal = WorkingCalendar()
    with app.app_context():
        row = db.session.get(Inspection, inspection_id)
        row.start_on = dt.date(2026, 2, 2)
        row.end_on = dt.date(2026, 2, 13)
        row.report_due_on = dt.date(2026, 3, 6)
        db.session.commit()
    with app.test_request_context():
        assert remind_report_deadlines(dt.date(2026, 3, 2)) == 0  # three working days before: not yet
        first = remind_report_deadlines(dt.date(2026, 3, 4))
        assert remind_report_deadlines(dt.date(2026, 3, 4)) == 0  # twice the same day: nothing twice
        rows = db.session.scalars(select(Notification).where(Notification.kind == "inspection_report_due")).all()
        from tests.conftest import user as real_user

        users = {n.user_id for n in rows}
        assert real_user("snv_head").id in users and real_user("officer").id in users
        assert real_user("wg_member").id not in users and real_user("stc_head").id not in users
        assert first == len(rows)
        assert all(n.link == f"/inspections/show/{inspection_id}" for n in rows)
        assert remind_report_deadlines(dt.date(2026, 3, 10)) == first  # late: reminded again each day
        assert cal.working_days_between(dt.date(2026, 3, 4), dt.date(2026, 3, 6)) == 2
