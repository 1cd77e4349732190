"""Issue 8, finding 15: every creating form carries a one-time token; two posts of
the same form (a double click, a slow network) create one record, and the second
is shown the first one's result with a Vietnamese message."""
import re
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import DelayReport, Document, ExtensionRequest, TaskUpdate
from app.services.calendar import today
from tests.conftest import PASSWORD, agency_id
from tests.integration.test_views import _entry_form

REPEATED = "Biểu mẫu này đã được gửi trước đó: hệ thống không tạo thêm lần thứ hai."


def _token(page: str, form_id: str) -> str:
    form = page[page.index(f'id="{form_id}"'):]
    form = form[:form.index("</form>")]
    return re.search(r'name="once_token" value="([0-9a-f]{32})"', form).group(1)


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _stc(app) -> str:
    with app.app_context():
        return str(agency_id("STC"))


def _signed_in(app, username):
    client = app.test_client()
    client.post("/login/", data={"username": username, "password": PASSWORD})
    return client


@pytest.fixture
def task(make_document):
    _, ids = make_document([{"lead": "STC", "content": "Rà soát hồ sơ", "coordinating": ["SNV"]}])
    return ids[0]


def test_a_progress_update_posted_twice_with_its_token_is_recorded_once(app, task):
    head = _signed_in(app, "stc_head")
    token = _token(head.get(f"/tasks/show/{task}").get_data(as_text=True), "update-form")
    data = {"body": "Đã hoàn thành 60% khối lượng", "once_token": token}
    first = head.post(f"/tasks/update/{task}", data=data)
    assert first.status_code == 302
    again = head.post(f"/tasks/update/{task}", data=data, follow_redirects=True)
    assert again.status_code == 200 and REPEATED in again.get_data(as_text=True)
    assert _count(app, TaskUpdate, TaskUpdate.task_id == task) == 1
    # A fresh page gives a fresh token: the official may post a second update on purpose.
    token = _token(head.get(f"/tasks/show/{task}").get_data(as_text=True), "update-form")
    head.post(f"/tasks/update/{task}", data={"body": "Đã hoàn thành 80%", "once_token": token})
    assert _count(app, TaskUpdate, TaskUpdate.task_id == task) == 2


def test_a_refused_post_leaves_its_token_free_for_the_corrected_one(app, task):
    head = _signed_in(app, "stc_head")
    token = _token(head.get(f"/tasks/show/{task}").get_data(as_text=True), "extension-form")
    refused = head.post(f"/tasks/extension/{task}", data={"reason": "", "proposed_deadline": "",
                                                           "once_token": token}, follow_redirects=True)
    assert REPEATED not in refused.get_data(as_text=True)
    assert _count(app, ExtensionRequest) == 0
    proposed = (today().replace(day=1) if today().day > 1 else today()).replace(year=today().year + 1)
    data = {"reason": "Chờ ý kiến của Bộ", "proposed_deadline": proposed.isoformat(), "once_token": token}
    assert head.post(f"/tasks/extension/{task}", data=data).status_code == 302
    assert _count(app, ExtensionRequest) == 1
    again = head.post(f"/tasks/extension/{task}", data=data, follow_redirects=True)
    assert REPEATED in again.get_data(as_text=True)
    assert _count(app, ExtensionRequest) == 1


def test_a_delay_report_sent_twice_is_filed_once_and_the_repeat_shows_it(app, task):
    snv = _signed_in(app, "snv_head")
    token = _token(snv.get(f"/delay-reports/new/{task}").get_data(as_text=True), "delay-report-form")
    data = {"description": "Sở Tài chính chưa gửi số liệu", "concerned_agency_id": _stc(app),
            "once_token": token}
    first = snv.post(f"/delay-reports/new/{task}", data=data)
    assert first.status_code == 302
    again = snv.post(f"/delay-reports/new/{task}", data=data)
    assert again.status_code == 302 and again.location == first.location  # the first one's page
    assert REPEATED in snv.get(again.location).get_data(as_text=True)
    assert _count(app, DelayReport) == 1


def test_a_document_entered_twice_is_saved_once(app, ctx):
    officer = _signed_in(app, "officer")
    token = _token(officer.get("/documents/add").get_data(as_text=True), "document-entry")
    data = _entry_form(once_token=token)
    first = officer.post("/documents/add", data=data)
    assert first.status_code == 302
    again = officer.post("/documents/add", data=data, follow_redirects=True)
    page = again.get_data(as_text=True)
    assert REPEATED in page and "900/UBND-KT" in page
    assert _count(app, Document, Document.number == "900/UBND-KT") == 1


def test_two_identical_posts_at_once_create_one_update(app, task):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("concurrent writers need PostgreSQL (CI); SQLite serialises them anyway")
    clients = [_signed_in(app, "stc_head") for _ in range(2)]
    token = _token(clients[0].get(f"/tasks/show/{task}").get_data(as_text=True), "update-form")
    barrier, answers = threading.Barrier(2), []

    def post(client):
        barrier.wait()
        answers.append(client.post(f"/tasks/update/{task}", data={"body": "Gửi hai lần cùng lúc",
                                                                  "once_token": token}).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [302, 302]
    assert _count(app, TaskUpdate, TaskUpdate.task_id == task) == 1


def test_two_identical_delay_reports_at_once_file_one(app, task):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("concurrent writers need PostgreSQL (CI); SQLite serialises them anyway")
    clients = [_signed_in(app, "snv_head") for _ in range(2)]
    token = _token(clients[0].get(f"/delay-reports/new/{task}").get_data(as_text=True), "delay-report-form")
    barrier, answers = threading.Barrier(2), []

    def post(client):
        barrier.wait()
        answers.append(client.post(f"/delay-reports/new/{task}", data={
            "description": "Chậm", "concerned_agency_id": _stc(app), "once_token": token}).status_code)

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == [302, 302]
    assert _count(app, DelayReport) == 1
