"""The lifecycle on the web pages: buttons offered per role, refusals shown,
the inbox on each role's home page."""
import datetime as dt
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Task
from app.services.calendar import today


def _task(make_document, **task):
    task.setdefault("lead", "STC")
    task.setdefault("deadline", today() + dt.timedelta(days=20))
    _, (task_id,) = make_document([task], send=task.pop("send", True), issued_on=today())
    return task_id


def _actions(page):
    return re.findall(r'id="action-(\w+)"', page)


def test_each_role_is_offered_only_its_actions(client, auth, make_document):
    task_id = _task(make_document, coordinating=["SNV"])
    expected = {"officer": ["withdraw"], "stc_head": ["receive", "return"], "stc_staff": [],
                "snv_head": [], "chairman": []}
    for username, actions in expected.items():
        auth.login(username)
        assert _actions(client.get(f"/tasks/show/{task_id}").get_data(as_text=True)) == actions, username


def test_a_refused_action_is_explained_and_changes_nothing(app, client, auth, make_document):
    task_id = _task(make_document)
    auth.login("stc_staff")
    page = client.post(f"/tasks/act/{task_id}", data={"action": "receive"}, follow_redirects=True)
    assert page.status_code == 200 and "alert-danger" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Task, task_id).status == "assigned"


def test_a_stale_button_is_refused(app, client, auth, make_document):
    task_id = _task(make_document)
    auth.login("stc_head")
    client.post(f"/tasks/act/{task_id}", data={"action": "receive", "version": "1"})
    page = client.post(f"/tasks/act/{task_id}", data={"action": "return", "version": "1", "reason": "not_competent",
                                                      "comment": "x"}, follow_redirects=True).get_data(as_text=True)
    assert "alert-danger" in page
    with app.app_context():
        assert db.session.get(Task, task_id).status == "in_progress"


def test_home_pages_list_what_waits_oldest_first(app, client, auth, make_document):
    first = _task(make_document, content="Việc giao trước")
    second = _task(make_document, content="Việc giao sau")
    auth.login("stc_head")
    home = client.get("/").get_data(as_text=True)
    inbox = home[home.index('inbox-receive'):]
    assert inbox.index("Việc giao trước") < inbox.index("Việc giao sau")
    assert re.search(r'inbox-receive.*?badge pull-right">2<', home, re.S)
    auth.login("snv_head")
    assert "Việc giao trước" not in client.get("/").get_data(as_text=True)
    auth.login("stc_head")
    client.post(f"/tasks/act/{first}", data={"action": "receive"})
    client.post(f"/tasks/act/{first}", data={"action": "report", "result": "Xong"})
    auth.login("officer")
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'inbox-confirm.*?badge pull-right">1<.*?Việc giao trước', home, re.S)
    with app.app_context():
        assert db.session.scalar(select(Task.status).where(Task.id == second)) == "assigned"


def test_the_chairman_sees_the_queue_and_decides(app, client, auth, make_document):
    task_id = _task(make_document)
    auth.login("chairman")  # the inbox is cached: the request below must show at once
    assert re.search(r'inbox-extensions.*?badge pull-right">0<', client.get("/").get_data(as_text=True), re.S)
    auth.login("stc_head")
    client.post(f"/tasks/extension/{task_id}", data={
        "reason": "Chờ vốn", "proposed_deadline": (today() + dt.timedelta(days=50)).isoformat()})
    auth.login("officer")
    assert "Chờ vốn" in client.get("/extensions/").get_data(as_text=True)
    assert client.post("/extensions/decide/1", data={"approve": "1"}).status_code in (302, 403)
    auth.login("chairman")
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'inbox-extensions.*?badge pull-right">1<', home, re.S)
    client.post("/extensions/decide/1", data={"approve": "1", "deadline": (today() + dt.timedelta(days=45)).isoformat()})
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.deadline == today() + dt.timedelta(days=45)
        assert task.original_deadline == today() + dt.timedelta(days=20)


def test_the_office_sends_all_draft_tasks_of_a_document_at_once(app, client, auth, make_document):
    document_id, task_ids = make_document([{"lead": "STC"}, {"lead": "SNV"}], send=False, issued_on=today())
    auth.login("stc_head")
    assert client.post(f"/documents/send/{document_id}").status_code in (302, 403, 404)
    auth.login("officer")
    page = client.get(f"/documents/show/{document_id}").get_data(as_text=True)
    assert 'id="send-all"' in page
    client.post(f"/documents/send/{document_id}")
    with app.app_context():
        tasks = [db.session.get(Task, i) for i in task_ids]
        assert [t.status for t in tasks] == ["assigned", "assigned"] and all(t.sent_at for t in tasks)
    assert 'id="send-all"' not in client.get(f"/documents/show/{document_id}").get_data(as_text=True)


def test_staff_draft_the_result_and_the_head_submits_it(app, client, auth, make_document):
    task_id = _task(make_document)
    auth.login("stc_head")
    client.post(f"/tasks/act/{task_id}", data={"action": "receive"})
    auth.login("stc_staff")
    client.post(f"/tasks/update/{task_id}", data={"body": "Dự thảo: đã hoàn thành 100%", "result_draft": "1"})
    auth.login("stc_head")
    page = client.get(f"/tasks/show/{task_id}").get_data(as_text=True)
    assert re.search(r'name="result"[^>]*>Dự thảo: đã hoàn thành 100%</textarea>', page)
    auth.login("snv_head")
    assert client.get(f"/tasks/show/{task_id}").status_code == 404
