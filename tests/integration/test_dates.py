"""Every date field shows and accepts dd/mm/yyyy whatever the browser's language
(issue 9); a wrong date gets the app's Vietnamese message naming the field."""
import datetime as dt
import re

from sqlalchemy import select

from app.extensions import db
from app.models import CalendarOverride, Document, ExtensionRequest, Task
from app.services import lifecycle
from app.services.calendar import today
from tests.conftest import agency_id, viewer
from tests.integration.test_views import _entry_form

WRONG = "không phải là ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)"


def vn(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def tag(page: str, field_id: str) -> str:
    return re.search(r'<input[^>]*\bid="%s"[^>]*>' % re.escape(field_id), page).group(0)


def test_the_entry_form_has_no_browser_date_input_and_shows_day_first(client, auth, ctx):
    auth.login("officer")
    page = client.get("/documents/add").get_data(as_text=True)
    assert 'type="date"' not in page
    field = tag(page, "issued_on")
    assert f'value="{vn(today())}"' in field and 'type="text"' in field
    assert 'pattern="\\d{1,2}/\\d{1,2}/\\d{4}|' in field and "data-vn-date" in field
    assert "data-vn-date" in tag(page, "tasks-0-deadline")
    assert "js/dates.js" in page  # the offline calendar


def test_a_document_entered_with_dd_mm_yyyy_dates(app, client, auth, ctx):
    auth.login("officer")
    issued = today() - dt.timedelta(days=1)
    answer = client.post("/documents/add", data=_entry_form(**{
        "issued_on": vn(issued), "tasks-0-deadline": "05/02/2027", "tasks-1-deadline": "2/3/2027"}))
    assert answer.status_code == 302
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.number == "900/UBND-KT"))
        assert document.issued_on == issued
        assert sorted(t.deadline for t in document.tasks) == [dt.date(2027, 2, 5), dt.date(2027, 3, 2)]
    page = client.get(f"/documents/edit/{document.id}").get_data(as_text=True)
    assert f'value="{vn(issued)}"' in tag(page, "issued_on")


def test_a_wrong_date_keeps_the_form_and_names_the_field_in_vietnamese(app, client, auth, ctx):
    auth.login("officer")
    answer = client.post("/documents/add", data=_entry_form(**{"tasks-0-deadline": "31/02/2027"}))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert f"Thời hạn: “31/02/2027” {WRONG}" in page
    assert 'value="31/02/2027"' in page  # what was typed stays
    assert "Not a valid date" not in page
    with app.app_context():
        assert db.session.scalar(select(Document.id)) is None


def test_a_task_corrected_with_a_dd_mm_yyyy_deadline(app, client, auth, make_document, ctx):
    _, (task_id,) = make_document([{"lead": "STC", "content": "Ban đầu"}], send=False)
    auth.login("officer")
    form = {"content": "Đã sửa", "lead_agency_id": str(agency_id("STC")), "version": "1",
            "deadline": "28/02/2027", "tracking_officer_id": "", "notes": ""}
    assert client.post(f"/tasks/edit/{task_id}", data=form).status_code == 302
    with app.app_context():
        assert db.session.get(Task, task_id).deadline == dt.date(2027, 2, 28)
    page = client.get(f"/tasks/edit/{task_id}").get_data(as_text=True)
    assert 'value="28/02/2027"' in tag(page, "deadline")
    form.update(version="2", deadline="2027-02-30")
    page = client.post(f"/tasks/edit/{task_id}", data=form).get_data(as_text=True)
    assert f"Thời hạn: “2027-02-30” {WRONG}" in page


def test_an_extension_asked_with_a_dd_mm_yyyy_date_and_refused_with_a_wrong_one(app, client, auth, make_document,
                                                                                  ctx):
    _, (task_id,) = make_document([{"lead": "STC", "deadline": today() + dt.timedelta(days=10)}])
    lifecycle.transition(task_id, "receive", viewer=viewer("stc_head"))
    db.session.commit()
    auth.login("stc_head")
    page = client.post(f"/tasks/extension/{task_id}", data={"proposed_deadline": "13/12/2027", "reason": "x"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Thời hạn đề nghị: “13/12/2027”" not in page
    with app.app_context():
        assert db.session.scalar(select(ExtensionRequest.proposed_deadline)) == dt.date(2027, 12, 13)
        db.session.execute(db.text("DELETE FROM extension_request"))
        db.session.commit()
    page = client.post(f"/tasks/extension/{task_id}", data={"proposed_deadline": "13/13/2027", "reason": "x"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"Thời hạn đề nghị: “13/13/2027” {WRONG}" in page
    with app.app_context():
        assert db.session.scalar(select(ExtensionRequest.id)) is None


def test_the_admin_adds_a_day_off_as_dd_mm_yyyy(app, client, auth, ctx):
    auth.login("admin")
    page = client.get("/calendar/add").get_data(as_text=True)
    assert 'type="date"' not in page and "data-vn-date" in tag(page, "day")
    answer = client.post("/calendar/add", data={"day": "04/05/2027", "note": "Nghỉ bù"})
    assert answer.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CalendarOverride.day)) == dt.date(2027, 5, 4)
    page = client.post("/calendar/add", data={"day": "40/05/2027", "note": "Sai"}).get_data(as_text=True)
    assert f"“40/05/2027” {WRONG}" in page


def test_a_search_filter_reads_the_day_first(app, client, auth, make_document, ctx):
    make_document([{"lead": "STC", "content": "Hạn mùng 2 tháng 12", "deadline": dt.date(2027, 12, 2)},
                   {"lead": "STC", "content": "Hạn 12 tháng 2", "deadline": dt.date(2027, 2, 12)}],
                  issued_on=today() - dt.timedelta(days=1))
    auth.login("officer")
    page = client.get("/tasks/list/?_flt_0_deadline=02/12/2027").get_data(as_text=True)
    assert "Hạn mùng 2 tháng 12" in page and "Hạn 12 tháng 2" not in page
    search = client.get("/tasks/list/").get_data(as_text=True)
    assert 'type="date"' not in search
