"""The inspection screens in Vietnamese (Chương V): the Office drafts (also from an agency's overdue
tasks), the Chairman sends back or issues, the leader plans and asks, the inspected agency's staff
draft and its head submits its report with a line per late task (Art. 19.4), members record findings,
the leader submits the result report, the inspected agency opens it; the daily sweep reminds."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from tests.integration.inspection_helpers import vn_today, agency_id, headers, ids, running, user  # noqa: F401


def _form(**overrides):
    today = vn_today()
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
    past = vn_today() - dt.timedelta(days=40)
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
    today = vn_today()
    text = client.post("/inspections/add", data=_form(end_on=(today - dt.timedelta(days=5)).isoformat()),
                       follow_redirects=True).get_data(as_text=True)
    assert "Ngày kết thúc không được trước ngày bắt đầu." in text
    from app.extensions import db
    from app.models import Inspection

    with app.app_context():
        assert db.session.query(Inspection).count() == 0


def test_the_whole_inspection_through_the_screens(app, client, auth, ids, make_document):
    past = vn_today() - dt.timedelta(days=40)
    _, (late_task,) = make_document([{"lead": "STC", "content": "Báo cáo quyết toán",
                                      "deadline": past + dt.timedelta(days=5)}], issued_on=past)
    inspection_id = running(client)
    show = f"/inspections/show/{inspection_id}"

    # The leader asks the inspected agency for its report by a due date (Art. 16.3) and invites another.
    auth.login("snv_head")
    due = (vn_today() + dt.timedelta(days=3)).isoformat()
    text = client.post(f"/inspections/step/{inspection_id}", data={
        "kind": "request", "agency_id": agency_id("STC"), "on_date": due, "body": "Báo cáo tình hình thực hiện"},
        follow_redirects=True).get_data(as_text=True)
    assert "Đã ghi; những người liên quan đã được thông báo." in text and "Báo cáo tình hình thực hiện" in text
    assert _notifications(app, "stc_head", "inspection_request")
    assert _notifications(app, "stc_staff", "inspection_request")

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


def test_the_office_corrects_a_draft_sent_back_and_a_stale_form_is_refused(app, client, auth, ids):
    from app.extensions import db
    from app.models import Inspection

    auth.login("officer")
    client.post("/inspections/add", data=_form())
    with app.app_context():
        inspection_id, version = db.session.execute(select(Inspection.id, Inspection.version)).one()
    form = client.get(f"/inspections/edit/{inspection_id}").get_data(as_text=True)
    assert "Quyết định số 26/2026/QĐ-UBND" in form and f'value="{version}"' in form
    changed = _form(scope="Năm 2026, lĩnh vực đầu tư công", member_ids=[str(user("wg_member").id),
                                                                        str(user("stc_staff").id)],
                    version=str(version))
    text = client.post(f"/inspections/edit/{inspection_id}", data=changed, follow_redirects=True).get_data(as_text=True)
    assert "lĩnh vực đầu tư công" in text and "Test stc_staff" in text and "Sửa dự thảo quyết định" in text
    stale = client.post(f"/inspections/edit/{inspection_id}", data={**changed, "scope": "Cũ"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Người khác đã sửa cuộc kiểm tra này" in stale
    with app.app_context():
        row = db.session.get(Inspection, inspection_id)
        assert row.scope == "Năm 2026, lĩnh vực đầu tư công" and len(row.members) == 3
    # Once issued, the draft is no longer editable.
    auth.login("chairman")
    client.post(f"/inspections/issue/{inspection_id}", data={"number": "50/QĐ-UBND"})
    auth.login("officer")
    client.post(f"/inspections/edit/{inspection_id}", data={**changed, "scope": "Sau ban hành",
                                                            "version": str(version + 2)})
    with app.app_context():
        assert db.session.get(Inspection, inspection_id).scope == "Năm 2026, lĩnh vực đầu tư công"


def test_the_years_plan_drafted_approved_and_a_decision_drafted_from_a_line(app, client, auth, ids):
    from app.extensions import db
    from app.models import Inspection, InspectionPlanItem

    year = vn_today().year
    auth.login("officer")
    page = client.get(f"/inspections/plan/{year}").get_data(as_text=True)
    assert f"Kế hoạch kiểm tra năm {year}" in page and "Dự thảo kế hoạch" in page
    refused = client.post(f"/inspections/plan/{year}/item", data={
        "agency_ids": [str(agency_id("STC"))], "content": "Kiểm tra", "form": "ad_hoc", "month": "13"},
        follow_redirects=True).get_data(as_text=True)
    assert "Chọn tháng từ 1 đến 12." in refused and "kiểm tra đột xuất không cần kế hoạch" in refused
    text = client.post(f"/inspections/plan/{year}/item", data={
        "agency_ids": [str(agency_id("STC")), str(agency_id("SNV"))], "content": "Kiểm tra việc cập nhật trên Hệ thống",
        "form": "periodic", "month": "6"}, follow_redirects=True).get_data(as_text=True)
    assert "Đã thêm cuộc kiểm tra dự kiến." in text and "Kiểm tra việc cập nhật trên Hệ thống" in text
    client.post(f"/inspections/plan/{year}/submit")
    assert _notifications(app, "chairman", "inspection_plan_to_approve")
    # Submitted: no more lines.
    client.post(f"/inspections/plan/{year}/item", data={
        "agency_ids": [str(agency_id("STC"))], "content": "Thêm", "form": "regular", "month": "7"})
    with app.app_context():
        assert db.session.query(InspectionPlanItem).count() == 1

    auth.login("stc_head")  # an agency does not read the Office's plan
    assert client.get(f"/inspections/plan/{year}").status_code == 404

    auth.login("chairman")
    text = client.post(f"/inspections/plan/{year}/decide", data={"approve": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã phê duyệt kế hoạch kiểm tra." in text
    assert _notifications(app, "officer", "inspection_plan_decided")

    auth.login("officer")
    with app.app_context():
        item_id = db.session.scalar(select(InspectionPlanItem.id))
    form = client.get(f"/inspections/add?plan_item={item_id}").get_data(as_text=True)
    assert "Theo kế hoạch kiểm tra đã được phê duyệt" in form and '<option value="periodic" selected>' in form
    data = _form(form="periodic", plan_item_id=str(item_id),
                 inspected_agency_ids=[str(agency_id("STC")), str(agency_id("SNV"))])
    client.post("/inspections/add", data=data)
    again = client.post("/inspections/add", data=data, follow_redirects=True).get_data(as_text=True)
    assert "Đã dự thảo quyết định từ cuộc kiểm tra dự kiến này." in again
    with app.app_context():
        assert db.session.query(Inspection).count() == 1
        inspection_id = db.session.scalar(select(Inspection.id))
        assert db.session.get(InspectionPlanItem, item_id).inspection_id == inspection_id
    assert f"/inspections/show/{inspection_id}" in client.get(f"/inspections/plan/{year}").get_data(as_text=True)


def test_an_invited_agency_is_told_and_reads_the_decision_not_the_findings_or_the_result(app, client, auth, ids):
    inspection_id = running(client)
    show = f"/inspections/show/{inspection_id}"
    auth.login("nhatrang_chair")
    assert client.get(show).status_code == 404
    auth.login("wg_member")  # a member does not invite: only the leader
    client.post(f"/inspections/step/{inspection_id}", data={
        "kind": "invitation", "agency_id": agency_id("22366"), "body": "Mời dự buổi làm việc"})
    assert not _notifications(app, "nhatrang_chair", "inspection_invitation")
    auth.login("snv_head")
    client.post(f"/inspections/step/{inspection_id}", data={
        "kind": "invitation", "agency_id": agency_id("22366"), "body": "Mời dự buổi làm việc ngày 10"})
    client.post(f"/inspections/finding/{inspection_id}", data={
        "agency_id": agency_id("STC"), "conclusion": "Kết luận nội bộ của Tổ"})
    [told] = _notifications(app, "nhatrang_chair", "inspection_invitation")
    auth.login("nhatrang_chair")
    page = client.get(told.link).get_data(as_text=True)
    assert "Mời dự buổi làm việc ngày 10" in page and "Kết luận nội bộ của Tổ" not in page
    assert client.get(f"/inspections/file/{inspection_id}/decision/pdf").status_code == 200
    client.post(f"/api/v1/inspection/{inspection_id}/report", json={}, headers=headers(client, "snv_head"))
    page = client.get(show).get_data(as_text=True)
    assert "Kết luận nội bộ của Tổ" not in page and 'id="report-pdf"' not in page
    assert client.get(f"/inspections/file/{inspection_id}/report/pdf").status_code == 404
    # …while the inspected agency reads both.
    auth.login("stc_head")
    assert "Kết luận nội bộ của Tổ" in client.get(show).get_data(as_text=True)
    # The invitation gives no view of the inspected agency's tasks.
    answer = client.get("/api/v1/task/", headers=headers(client, "nhatrang_chair")).get_json()
    assert answer["count"] == 0


def test_a_recommendation_of_the_result_opens_the_entry_of_a_follow_up_task(app, client, auth, ids):
    inspection_id = running(client)
    client.post(f"/api/v1/inspection/{inspection_id}/findings", json={
        "agency_id": agency_id("STC"), "recommendations": "Hoàn thành đề án trước 30/6"},
        headers=headers(client, "wg_member"))
    client.post(f"/api/v1/inspection/{inspection_id}/report", json={}, headers=headers(client, "snv_head"))
    auth.login("officer")
    page = client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
    assert "Nhập thành nhiệm vụ tiếp theo (Điều 7)" in page
    link = re.search(r'href="(/documents/add\?[^"]+)"', page).group(1).replace("&amp;", "&")
    entry = client.get(link).get_data(as_text=True)
    assert "Hoàn thành đề án trước 30/6" in entry
    assert f'<option selected value="{agency_id("STC")}">' in entry or f'value="{agency_id("STC")}" selected' in entry
    auth.login("stc_head")  # the inspected agency reads the result, but enters no task
    assert "Nhập thành nhiệm vụ tiếp theo" not in client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
