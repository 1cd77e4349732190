"""The row-level rule on every surface (SPEC §1): an agency user sees the tasks
its agency leads or coordinates, and nothing else; any other task answers 404."""
import io

import pytest
from openpyxl import load_workbook

from tests.conftest import PASSWORD

# Which of the two tasks (STC leads "STC task"; SNV leads "SNV task" with STC coordinating
# nothing, and Phường Nha Trang coordinating) each user sees.
SEES = {
    "admin": {"STC task", "SNV task"},
    "leader": {"STC task", "SNV task"},
    "officer": {"STC task", "SNV task"},
    "chairman": {"STC task", "SNV task"},
    "stc_head": {"STC task"},
    "stc_staff": {"STC task"},
    "snv_head": {"SNV task"},
    "nhatrang_chair": {"SNV task"},
    "wg_member": set(),
}


@pytest.fixture
def two_tasks(make_document):
    _, ids = make_document([
        {"lead": "STC", "content": "STC task"},
        {"lead": "SNV", "content": "SNV task", "coordinating": ["22366"]},
    ])
    return dict(zip(["STC task", "SNV task"], ids))


@pytest.mark.parametrize("username", SEES)
def test_list_show_and_export_follow_the_rule(client, auth, two_tasks, username):
    auth.login(username)
    page = client.get("/tasks/list/").get_data(as_text=True)
    for name, task_id in two_tasks.items():
        visible = name in SEES[username]
        assert (name in page) is visible, f"{username} list: {name}"
        assert client.get(f"/tasks/show/{task_id}").status_code == (200 if visible else 404)
    export = client.get("/tasks/export/")
    assert export.status_code == 200
    cells = {c for row in load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True) for c in row}
    assert {n for n in two_tasks if n in cells} == SEES[username]


@pytest.mark.parametrize("username", SEES)
def test_the_api_follows_the_rule(client, two_tasks, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/task/", headers=headers).get_json()
    assert {t["content"] for t in listed["result"]} == SEES[username]
    assert listed["count"] == len(SEES[username])
    for name, task_id in two_tasks.items():
        answer = client.get(f"/api/v1/task/{task_id}", headers=headers)
        assert answer.status_code == (200 if name in SEES[username] else 404)


@pytest.mark.parametrize("username", ["stc_head", "snv_head", "nhatrang_chair", "wg_member"])
def test_an_agency_user_cannot_edit_any_task(client, auth, two_tasks, username):
    auth.login(username)
    for task_id in two_tasks.values():
        assert client.get(f"/tasks/edit/{task_id}").status_code in (302, 403, 404)
        answer = client.post(f"/tasks/edit/{task_id}", data={"content": "hacked", "version": 1})
        assert answer.status_code in (302, 403, 404)
    auth.login("officer")
    assert "hacked" not in client.get("/tasks/list/").get_data(as_text=True)


def test_documents_are_visible_only_through_a_visible_task(client, auth, make_document):
    document_id, _ = make_document([{"lead": "SNV", "content": "only SNV"}])
    auth.login("stc_head")
    assert client.get(f"/documents/show/{document_id}").status_code == 404
    auth.login("snv_head")
    assert client.get(f"/documents/show/{document_id}").status_code == 200


def test_attachments_are_served_only_to_who_sees_the_task(app, client, auth, make_document):
    from app.services import attachments
    from app.models import Task
    from app.extensions import db
    from tests.conftest import user

    _, (stc_task,) = make_document([{"lead": "STC", "content": "with file"}])
    with app.test_request_context():
        class Upload:
            filename = "bao-cao-tiến-độ.pdf"

            def read(self):
                return b"%PDF-1.4 test"

        class Errors:
            def add(self, *a):
                raise AssertionError(a)

        checked = attachments.check_files([Upload()], Errors())
        rows = attachments.store(checked, task=db.session.get(Task, stc_task), uploaded_by_id=user("officer").id)
        db.session.commit()
        attachment_id = rows[0].id
    auth.login("snv_head")
    assert client.get(f"/attachments/{attachment_id}").status_code == 404
    auth.login("stc_staff")
    answer = client.get(f"/attachments/{attachment_id}")
    assert answer.status_code == 200 and answer.data == b"%PDF-1.4 test"
    assert "attachment" in answer.headers["Content-Disposition"]


def test_a_renamed_file_is_refused(app):
    from app.services import attachments

    with app.test_request_context():
        class Upload:
            filename = "virus.pdf"

            def read(self):
                return b"MZ\x90\x00"

        problems = []

        class Errors:
            def add(self, field, message):
                problems.append(str(message))

        assert attachments.check_files([Upload()], Errors()) == []
        assert problems == ["Tệp virus.pdf không phải là tệp PDF hợp lệ."]
