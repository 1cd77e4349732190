"""The lifecycle through the REST API (issue: lifecycle)."""
import datetime as dt

from app.services.calendar import today
from tests.conftest import PASSWORD


def _headers(client, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _move(client, task_id, user, **body):
    return client.post(f"/api/v1/task/{task_id}/transition", json=body, headers=_headers(client, user))


def test_the_path_through_the_api_with_status_codes(client, make_document):
    _, (task_id,) = make_document([{"lead": "STC", "coordinating": ["SNV"],
                                    "deadline": today() + dt.timedelta(days=15)}], send=False, issued_on=today())
    assert _move(client, task_id, "stc_head", action="send").status_code == 403
    assert _move(client, task_id, "officer", action="send").status_code == 200
    assert _move(client, task_id, "officer", action="send").status_code == 409
    assert _move(client, task_id, "stc_staff", action="receive").status_code == 403
    assert _move(client, task_id, "snv_head", action="receive").status_code == 403
    assert _move(client, task_id, "stc_head", action="receive").get_json()["result"]["status"] == "in_progress"
    assert _move(client, task_id, "stc_head", action="report").status_code == 422  # no result
    answer = _move(client, task_id, "stc_head", action="report", result="Đã hoàn thành")
    assert answer.get_json()["result"]["status"] == "reported"
    assert _move(client, task_id, "officer", action="refuse").status_code == 422  # no reason
    done = _move(client, task_id, "officer", action="confirm").get_json()["result"]
    assert done["status"] == "completed" and done["completion"] == "on_time"
    assert done["completed_on"] == today().isoformat()
    assert _move(client, task_id, "nhatrang_chair", action="confirm").status_code == 404  # not visible
    history = client.get(f"/api/v1/task/{task_id}/history", headers=_headers(client, "snv_head")).get_json()
    titles = [e["title"] for e in history["result"]]
    assert titles[0] == "Tạo mới" and "Xác nhận kết quả" in titles


def test_updates_and_an_extension_through_the_api(client, make_document):
    _, (task_id,) = make_document([{"lead": "STC", "coordinating": ["SNV"],
                                    "deadline": today() + dt.timedelta(days=15)}], issued_on=today())
    update = client.post(f"/api/v1/task/{task_id}/updates", json={"body": "Đã họp"},
                         headers=_headers(client, "stc_staff"))
    assert update.status_code == 201 and update.get_json()["result"]["draft"] is True
    contribution = client.post(f"/api/v1/task/{task_id}/updates", json={"body": "Số liệu SNV"},
                               headers=_headers(client, "snv_head"))
    assert contribution.get_json()["result"]["kind"] == "contribution"
    proposed = (today() + dt.timedelta(days=40)).isoformat()
    asked = client.post(f"/api/v1/task/{task_id}/extension-requests",
                        json={"reason": "Chờ số liệu", "proposed_deadline": proposed},
                        headers=_headers(client, "stc_head"))
    assert asked.status_code == 201
    request_id = asked.get_json()["id"]
    again = client.post(f"/api/v1/task/{task_id}/extension-requests",
                        json={"reason": "x", "proposed_deadline": proposed}, headers=_headers(client, "stc_head"))
    assert again.status_code == 409
    queue = client.get("/api/v1/extension-request/", headers=_headers(client, "chairman")).get_json()
    assert queue["ids"] == [request_id]
    decision = {"approve": True, "comment": "Đồng ý gia hạn"}
    assert client.post(f"/api/v1/extension-request/{request_id}/decision", json=decision,
                       headers=_headers(client, "officer")).status_code == 403
    decided = client.post(f"/api/v1/extension-request/{request_id}/decision", json=decision,
                          headers=_headers(client, "chairman"))
    assert decided.status_code == 200 and decided.get_json()["result"]["approved_deadline"] == proposed
    task = client.get(f"/api/v1/task/{task_id}", headers=_headers(client, "stc_head")).get_json()["result"]
    assert task["deadline"] == proposed and task["extended"] is True
    assert task["original_deadline"] == (today() + dt.timedelta(days=15)).isoformat()
    assert client.post(f"/api/v1/extension-request/{request_id}/decision", json=decision,
                       headers=_headers(client, "chairman")).status_code == 409
