"""The screens as an official uses them: entering a document on one screen,
seeing deadlines in working days, correcting a task, the calendar."""
import datetime as dt
import io

from sqlalchemy import select

from app.extensions import db
from app.models import Attachment, Document, Task
from app.services.calendar import today
from tests.conftest import agency_id


def _entry_form(**overrides):
    form = {
        "doc_type": "official_letter", "number": "900/UBND-KT", "summary": "V/v kiểm tra tiến độ",
        "issued_on": today().isoformat(), "signer": "Trần Quốc Nam", "issuer": "committee",
        "issuer_name": "", "received_on": "", "urgency": "urgent", "secrecy": "none",
        "source": "ad_hoc", "send_now": "y",
        "tasks-0-content": "Báo cáo tiến độ dự án A", "tasks-0-lead_agency_id": str(agency_id("STC")),
        "tasks-0-deadline": (today() + dt.timedelta(days=20)).isoformat(), "tasks-0-notes": "",
        "tasks-1-content": "Phối hợp kiểm tra hiện trường", "tasks-1-lead_agency_id": str(agency_id("SXD")),
        "tasks-1-coordinating_agency_ids": [str(agency_id("STC")), str(agency_id("22366"))],
        "tasks-1-deadline": (today() + dt.timedelta(days=10)).isoformat(), "tasks-1-notes": "",
    }
    form.update(overrides)
    return form


def test_the_office_enters_a_document_with_two_tasks_and_a_file(app, client, auth, ctx):
    auth.login("officer")
    data = _entry_form()
    data["attachments"] = [(io.BytesIO(b"%PDF-1.4 van ban"), "Công văn 900.pdf")]
    answer = client.post("/documents/add", data=data, content_type="multipart/form-data",
                         follow_redirects=True)
    page = answer.get_data(as_text=True)
    assert "Đã lưu văn bản số 900/UBND-KT với 2 nhiệm vụ." in page
    assert "Công văn 900.pdf" in page
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.number == "900/UBND-KT"))
        assert [t.status for t in document.tasks] == ["assigned", "assigned"]
        assert {a.code for a in document.tasks[1].coordinating_agencies} == {"STC", "22366"}
        assert document.entry_due_on == today()  # Art. 6.1.a: urgent, the same day
        assert db.session.scalar(select(Attachment.filename)) == "Công văn 900.pdf"


def test_a_refused_entry_keeps_what_was_typed_and_names_the_problem(app, client, auth, ctx):
    auth.login("officer")
    answer = client.post("/documents/add", data=_entry_form(**{"tasks-1-deadline": ""}))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Nhiệm vụ 2 không có thời hạn cụ thể" in page and "khoản 2 Điều 7" in page
    assert "Phối hợp kiểm tra hiện trường" in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(Document.id)) is None


def test_a_classified_document_is_refused_from_the_form(app, client, auth, ctx):
    auth.login("officer")
    page = client.post("/documents/add", data=_entry_form(secrecy="top_secret")).get_data(as_text=True)
    assert "khoản 1 Điều 7" in page
    with app.app_context():
        assert db.session.scalar(select(Task.id)) is None


def test_the_list_shows_working_days_left_and_overdue(client, auth, make_document):
    make_document([{"lead": "STC", "content": "Sắp đến", "deadline": today() + dt.timedelta(days=60)},
                   {"lead": "STC", "content": "Đã quá", "deadline": today() - dt.timedelta(days=1)}],
                  issued_on=today() - dt.timedelta(days=10))
    auth.login("stc_head")
    page = client.get("/tasks/list/").get_data(as_text=True)
    assert 'label-danger">Quá hạn' in page
    assert 'label-info">Còn' in page


def test_a_correction_from_a_stale_form_is_refused(app, client, auth, make_document, ctx):
    _, (task_id,) = make_document([{"lead": "STC", "content": "Ban đầu"}], send=False)
    auth.login("officer")
    form = {"content": "Sửa lần 1", "lead_agency_id": str(agency_id("STC")), "version": "1",
            "deadline": (today() + dt.timedelta(days=30)).isoformat(), "tracking_officer_id": "",
            "notes": ""}
    assert client.post(f"/tasks/edit/{task_id}", data=form).status_code == 302
    page = client.post(f"/tasks/edit/{task_id}", data=form | {"content": "Sửa từ bản cũ"}).get_data(as_text=True)
    assert "Người khác đã thay đổi bản ghi này" in page
    history = client.get(f"/tasks/show/{task_id}").get_data(as_text=True)
    assert "Ban đầu → Sửa lần 1" in history and "Sửa từ bản cũ" not in history


def test_the_admin_adds_a_day_off_and_the_calendar_page_shows_it(app, client, auth):
    auth.login("admin")
    answer = client.post("/calendar/add", data={"day": "2026-12-31", "working": "", "note": "Nghỉ bù"},
                         follow_redirects=True)
    assert answer.status_code == 200
    page = client.get("/calendar/year/2026").get_data(as_text=True)
    assert "31/12/2026" in page and "Nghỉ bù" in page
    assert "22/08/2026" in page  # the package's make-up Saturday is listed too
    again = client.post("/calendar/add", data={"day": "2026-12-31", "working": "y", "note": "x"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Đã tồn tại." in again  # FAB's unique check on the date, at the field


def test_late_entries_are_listed_for_the_office(app, client, auth, make_document):
    # Issued 10 days ago, sent today: past its Art. 6.1.b deadline.
    make_document([{"lead": "STC"}], number="55/UBND-TH", issued_on=today() - dt.timedelta(days=10))
    make_document([{"lead": "STC"}], number="56/UBND-TH", issued_on=today())
    auth.login("officer")
    page = client.get("/late-entries/list/").get_data(as_text=True)
    assert "55/UBND-TH" in page and "56/UBND-TH" not in page
    auth.login("stc_head")
    assert client.get("/late-entries/list/").status_code in (302, 403)


def test_english_is_available(client, auth):
    auth.login("stc_head")
    client.get("/lang/en")
    page = client.get("/tasks/list/").get_data(as_text=True)
    assert "Lead agency" in page and "Cơ quan chủ trì" not in page
    client.get("/lang/vi")
    assert "Cơ quan chủ trì" in client.get("/tasks/list/").get_data(as_text=True)


def test_a_file_over_the_limit_is_refused_and_nothing_is_saved(app, client, auth, ctx):
    auth.login("officer")
    app.config["MAX_ATTACHMENT_BYTES"] = 1024
    try:
        data = _entry_form()
        data["attachments"] = [(io.BytesIO(b"%PDF" + b"x" * 2000), "lớn.pdf")]
        page = client.post("/documents/add", data=data, content_type="multipart/form-data").get_data(as_text=True)
    finally:
        app.config["MAX_ATTACHMENT_BYTES"] = 20 * 1024 * 1024
    assert "lớn.pdf" in page and "MB" in page
    with app.app_context():
        assert db.session.scalar(select(Document.id)) is None
        assert db.session.scalar(select(Attachment.id)) is None
