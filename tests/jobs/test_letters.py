"""Delay reports and urging letters, with their jobs (issue: jobs)."""
import datetime as dt
import io
import os
import unicodedata

import pytest
from docx import Document as Docx
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from app.models import DelayReport, JobRun, Notification, UrgingLetter
from app.services.calendar import today
from tests.conftest import PASSWORD, agency_id, user


def _headers(client, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.fixture
def overdue(make_document):
    past = today() - dt.timedelta(days=20)
    _, ids = make_document([
        {"lead": "STC", "content": "Rà soát danh mục dự án đầu tư công chậm giải ngân", "deadline": past,
         "coordinating": ["SNV"]},
        {"lead": "STC", "content": "Báo cáo Chủ tịch UBND tỉnh kết quả thu hồi tạm ứng", "deadline": past},
        {"lead": "SNV", "content": "Tham mưu quy định chức năng của Ủy ban nhân dân xã", "deadline": past},
    ], issued_on=past - dt.timedelta(days=30))
    return ids


def test_a_delay_report_is_due_two_working_days_after_receipt_and_reaches_the_office(client, overdue, app):
    with app.app_context():
        stc = agency_id("STC")
    answer = client.post("/api/v1/delay-report/", json={
        "task_id": overdue[0], "received_on": "2026-11-20", "description": "Sở Tài chính chưa gửi số liệu"},
        headers=_headers(client, "snv_head"))  # SNV coordinates the task; STC leads it
    assert answer.status_code == 201
    report = answer.get_json()["result"]
    assert report["due_on"] == "2026-11-25" and report["status"] == "open"
    assert report["concerned_agency_id"] == stc
    listed = client.get("/api/v1/delay-report/", headers=_headers(client, "officer")).get_json()
    assert listed["count"] == 1 and listed["result"][0]["overdue"] == (today() > dt.date(2026, 11, 25))
    with app.app_context():
        officer = user("officer")
        assert db.session.scalar(select(Notification.kind).where(Notification.user_id == officer.id)) == "delay_report"
    # An agency cannot report itself, nor a task it does not see.
    assert client.post("/api/v1/delay-report/", json={
        "task_id": overdue[0], "description": "x", "concerned_agency_id": stc},
        headers=_headers(client, "stc_head")).status_code == 422
    assert client.post("/api/v1/delay-report/", json={"task_id": overdue[2], "description": "x"},
                       headers=_headers(client, "nhatrang_chair")).status_code == 404


def test_the_office_urges_and_the_reporter_gets_a_copy(app, client, auth, overdue, run_jobs, ctx):
    from app.access import viewer_for
    from app.services import delay_reports

    report = delay_reports.file_report(overdue[0], viewer=viewer_for(user("snv_head")),
                                       description="Chậm gửi số liệu")
    auth.login("officer")
    answer = client.post(f"/delay-reports/urge/{report.id}")
    assert answer.status_code == 302
    run_jobs()  # renders the letter
    db.session.expire_all()
    letter = db.session.scalar(select(UrgingLetter))
    assert letter.agency.code == "STC" and letter.status == "draft" and letter.pdf_name and letter.docx_name
    assert db.session.get(DelayReport, report.id).status == "urged"
    copies = db.session.scalars(select(Notification.user_id).where(Notification.kind == "delay_report_copy")).all()
    assert user("snv_head").id in copies
    assert client.post(f"/delay-reports/urge/{report.id}", follow_redirects=True).status_code == 200
    assert db.session.scalar(select(func.count(UrgingLetter.id))) == 1  # handled once


def test_urging_overdue_tasks_drafts_one_letter_per_agency_once(app, client, auth, overdue, run_jobs, ctx):
    auth.login("officer")
    answer = client.post("/letters/urge-overdue", data={})
    assert answer.status_code == 302 and "/letters/progress/" in answer.headers["Location"]
    run_jobs()
    progress = client.get(answer.headers["Location"] + ".json").get_json()
    assert progress["status"] == "done" and progress["done"] == progress["total"] == 2
    db.session.expire_all()
    by_agency = {l.agency.code: l for l in db.session.scalars(select(UrgingLetter))}
    assert set(by_agency) == {"STC", "SNV"} and len(by_agency["STC"].tasks) == 2
    # The same batch again drafts nothing twice.
    from app.services.letters import draft_overdue_letters

    batch = by_agency["STC"].batch_key
    assert draft_overdue_letters(batch, None, user("officer").id)["letters"] == 2
    assert db.session.scalar(select(func.count(UrgingLetter.id))) == 2
    # The PDF reads back in Vietnamese, intact; the DOCX opens.
    letter = by_agency["STC"]
    pdf = client.get(f"/letters/file/{letter.id}/pdf")
    text = _pdf_text(pdf.data)
    assert "V/v đôn đốc thực hiện nhiệm vụ được giao" in text
    assert "Sở Tài chính" in text and "Rà soát danh mục dự án đầu tư công chậm giải ngân" in text
    assert "Khánh Hòa, ngày" in text and "Số:" in text
    docx = Docx(io.BytesIO(client.get(f"/letters/file/{letter.id}/docx").data))
    cells = " ".join(c.text for t in docx.tables for row in t.rows for c in row.cells)
    assert "Báo cáo Chủ tịch UBND tỉnh kết quả thu hồi tạm ứng" in cells


def test_a_batch_failing_midway_keeps_whole_letters_only(app, overdue, run_jobs, ctx, monkeypatch):
    import app.render.pdf as pdf_module
    from app.jobs.queue import enqueue, queue
    from app.jobs.tasks import urge_overdue
    from rq.registry import FailedJobRegistry

    real, calls = pdf_module.render_pdf, []

    def flaky(document):
        calls.append(document)
        if len(calls) == 2:
            raise RuntimeError("printer on fire")
        return real(document)

    monkeypatch.setattr(pdf_module, "render_pdf", flaky)
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "letters")
    before = set(os.listdir(folder)) if os.path.isdir(folder) else set()
    job = enqueue(urge_overdue, "batch-x", None, user("officer").id, queue_name="letters", job_id="urge-batch-x")
    job.retries_left = 0
    job.save()
    run_jobs()
    db.session.expire_all()
    letters = db.session.scalars(select(UrgingLetter)).all()
    assert len(letters) == 1 and letters[0].pdf_name  # the first is whole; the second is not there at all
    # The files written are the first letter's, and nothing of the second's is left behind.
    assert set(os.listdir(folder)) - before == {letters[0].pdf_name, letters[0].docx_name}
    assert db.session.scalar(select(JobRun.status).where(JobRun.name == "urge_overdue")) == "failed"
    assert "urge-batch-x" in FailedJobRegistry(queue=queue("letters")).get_job_ids()


def test_letters_follow_the_row_level_rule(app, client, overdue, run_jobs):
    from app.access import viewer_for
    from app.services import letters

    with app.test_request_context():
        letter = letters.draft_letter(agency_id("STC"), overdue[:2], viewer=viewer_for(user("officer")),
                                      batch_key="t")
        letters.render_files(letter.id)
        letter_id = letter.id
    stc, snv = _headers(client, "stc_head"), _headers(client, "snv_head")
    assert client.get(f"/api/v1/urging-letter/{letter_id}/pdf", headers=stc).status_code == 404  # a draft
    with app.test_request_context():
        letter = db.session.get(UrgingLetter, letter_id)
        letter.signer_name = "Nguyễn Văn Ký"
        db.session.commit()
        letters.issue_letter(letter_id, viewer=viewer_for(user("officer")), expected_version=letter.version,
                             number="412/VP-TH")
    run_jobs()
    answer = client.get(f"/api/v1/urging-letter/{letter_id}/pdf", headers=stc)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert "412/VP-TH" in _pdf_text(answer.data)
    # SNV coordinates task 1 but may not see task 2, which the letter also lists (issue 8, finding 3):
    # not its letter, on the page, the PDF and the DOCX alike.
    assert client.get(f"/api/v1/urging-letter/{letter_id}/docx", headers=snv).status_code == 404
    assert client.get(f"/api/v1/urging-letter/{letter_id}/pdf", headers=snv).status_code == 404
    auth_client = app.test_client()
    auth_client.post("/login/", data={"username": "snv_head", "password": PASSWORD})
    assert auth_client.get(f"/letters/file/{letter_id}/pdf").status_code == 404
    assert "412/VP-TH" not in auth_client.get("/letters/").get_data(as_text=True)
    with app.test_request_context():  # a letter about task 1 alone is SNV's to read (its copy)
        only_first = letters.draft_letter(agency_id("STC"), overdue[:1], viewer=viewer_for(user("officer")),
                                          batch_key="t1")
        only_first.signer_name = "Nguyễn Văn Ký"
        db.session.commit()
        letters.issue_letter(only_first.id, viewer=viewer_for(user("officer")),
                             expected_version=only_first.version, number="413/VP-TH")
        only_first_id = only_first.id
    run_jobs()
    assert client.get(f"/api/v1/urging-letter/{only_first_id}/docx", headers=snv).status_code == 200
    assert client.get(f"/api/v1/urging-letter/{letter_id}/pdf",
                      headers=_headers(client, "nhatrang_chair")).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(Notification.kind).where(Notification.user_id == user("stc_head").id,
                                                                 Notification.kind == "urging_letter"))


def test_the_web_app_records_a_delay_report_while_redis_is_down(app, client, overdue):
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        answer = client.post("/api/v1/delay-report/", json={"task_id": overdue[0], "description": "Chậm"},
                             headers=_headers(client, "snv_head"))
        assert answer.status_code == 201
        officer = _headers(client, "officer")
        assert client.get("/api/v1/task/", headers=officer).status_code == 200
        from tests.conftest import AuthActions

        auth = AuthActions(client)
        auth.login("officer")
        report_id = answer.get_json()["id"]
        assert client.post(f"/delay-reports/urge/{report_id}").status_code == 302  # the render waits
    finally:
        app.config["REDIS_URL"] = saved
    with app.app_context():
        letter = db.session.scalar(select(UrgingLetter))
        assert letter is not None and letter.pdf_name is None
        from app.services.letters import render_stale

        assert render_stale() == 1  # what the next sweep does


def test_urging_overdue_tasks_twice_the_same_day_drafts_nothing_twice(app, client, auth, overdue, run_jobs, ctx):
    """Issue 8, finding 15: the second press says what already exists."""
    auth.login("officer")
    client.post("/letters/urge-overdue", data={})
    run_jobs()
    assert db.session.scalar(select(func.count(UrgingLetter.id))) == 2
    again = client.post("/letters/urge-overdue", data={}, follow_redirects=True)
    assert again.status_code == 200
    assert "đã có trong văn bản đôn đốc soạn hôm nay" in again.get_data(as_text=True)
    run_jobs()
    assert db.session.scalar(select(func.count(UrgingLetter.id))) == 2
