"""The REST contract of the task register (issue: Art. 2.4, 21)."""

import pytest

from tests.conftest import PASSWORD, agency_id


def _headers(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    assert answer.status_code == 200
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def _document(**overrides):
    body = {
        "doc_type": "official_letter", "number": "88/UBND-TH", "summary": "V/v báo cáo tình hình",
        "issued_on": "2026-11-20", "signer": "Trần Quốc Nam", "issuer": "committee",
        "urgency": "normal", "secrecy": "none", "source": "work_program", "send": True,
        "tasks": [{"content": "Báo cáo số liệu", "lead_agency_id": agency_id("STC"),
                   "coordinating_agency_ids": [agency_id("SNV")], "deadline": "2026-12-10"}],
    }
    body.update(overrides)
    return body


def test_the_office_enters_a_document_and_reads_its_task(client, ctx):
    headers = _headers(client, "officer")
    created = client.post("/api/v1/document/", json=_document(), headers=headers)
    assert created.status_code == 201
    task_id = created.get_json()["result"]["task_ids"][0]
    task = client.get(f"/api/v1/task/{task_id}", headers=headers).get_json()["result"]
    assert task["deadline"] == "2026-12-10" and task["status"] == "assigned"
    assert task["lead_agency_id"] == agency_id("STC")
    assert task["coordinating_agency_ids"] == [agency_id("SNV")]
    assert set(task) >= {"overdue", "due_soon", "original_deadline", "extended", "version"}


def test_a_classified_document_answers_422_citing_article_7(client, ctx):
    answer = client.post("/api/v1/document/", json=_document(secrecy="secret"),
                         headers=_headers(client, "officer"))
    assert answer.status_code == 422
    assert "khoản 1 Điều 7" in answer.get_json()["message"]
    assert client.get("/api/v1/document/", headers=_headers(client, "officer")).get_json()["count"] == 0


def test_a_task_without_deadline_answers_422(client, ctx):
    body = _document(tasks=[{"content": "Không thời hạn", "lead_agency_id": agency_id("STC")}])
    answer = client.post("/api/v1/document/", json=body, headers=_headers(client, "officer"))
    assert answer.status_code == 422
    assert "khoản 2 Điều 7" in answer.get_json()["errors"]["tasks-0-deadline"][0]


def test_bad_input_is_named(client, ctx):
    answer = client.post("/api/v1/document/", json=_document(issued_on="20/11/2026"),
                         headers=_headers(client, "officer"))
    assert answer.status_code == 422 and "issued_on" in answer.get_json()["message"]


def test_an_agency_head_cannot_create_or_update(client, ctx):
    headers = _headers(client, "stc_head")
    assert client.post("/api/v1/document/", json=_document(), headers=headers).status_code == 403
    assert client.post("/api/v1/task/", json={}, headers=headers).status_code == 403


def test_a_stale_put_answers_409(client, ctx):
    officer = _headers(client, "officer")
    body = _document(send=False)
    task_id = client.post("/api/v1/document/", json=body, headers=officer).get_json()["result"]["task_ids"][0]
    first = client.put(f"/api/v1/task/{task_id}", json={"version": 1, "notes": "một"}, headers=officer)
    assert first.status_code == 200 and first.get_json()["result"]["version"] == 2
    stale = client.put(f"/api/v1/task/{task_id}", json={"version": 1, "notes": "hai"}, headers=officer)
    assert stale.status_code == 409
    assert client.get(f"/api/v1/task/{task_id}", headers=officer).get_json()["result"]["notes"] == "một"


def test_no_password_hash_leaves_the_server(client, ctx):
    headers = _headers(client, "admin")
    for url in ("/api/v1/task/", "/api/v1/document/", "/api/v1/agency/", "/api/v1/_openapi",
                "/api/v1/security/users/", "/api/v1/security/users/1"):
        answer = client.get(url, headers=headers)
        assert answer.status_code == 200, url
        text = answer.get_data(as_text=True)
        assert "pbkdf2" not in text and "scrypt" not in text, url
    user = client.get("/api/v1/security/users/1", headers=headers).get_json()["result"]
    assert "password" not in user


@pytest.mark.parametrize("date,days,expected", [
    ("2026-02-13", 1, "2026-02-23"),  # Tết break 16–20/02/2026
    ("2026-04-24", 1, "2026-04-28"),  # Hùng Kings compensatory Monday 27/04
    ("2026-04-29", 1, "2026-05-04"),  # 30/4 and 1/5
    ("2026-08-21", 1, "2026-08-22"),  # make-up Saturday
    ("2026-08-28", 1, "2026-09-03"),  # 31/8, 1/9, 2/9
])
def test_add_working_days(client, ctx, date, days, expected):
    answer = client.get(f"/api/v1/calendar/add-working-days?date={date}&days={days}",
                        headers=_headers(client, "stc_head"))
    assert answer.get_json() == {"date": expected}


def test_is_working_day(client, ctx):
    headers = _headers(client, "stc_head")
    assert client.get("/api/v1/calendar/is-working-day?date=2026-09-02", headers=headers).get_json()["working"] is False
    assert client.get("/api/v1/calendar/is-working-day?date=2026-08-22", headers=headers).get_json()["working"] is True
    assert client.get("/api/v1/calendar/is-working-day?date=2026-13-01", headers=headers).status_code == 422


def test_only_the_admin_adds_calendar_overrides_and_they_apply_at_once(client, ctx):
    body = {"date": "2026-12-31", "working": False, "note": "Nghỉ bù Tết Dương lịch"}
    assert client.post("/api/v1/calendar/overrides", json=body,
                       headers=_headers(client, "officer")).status_code == 403
    admin = _headers(client, "admin")
    assert client.post("/api/v1/calendar/overrides", json=body, headers=admin).status_code == 201
    answer = client.get("/api/v1/calendar/add-working-days?date=2026-12-30&days=1", headers=admin)
    assert answer.get_json() == {"date": "2027-01-04"}  # 31/12 off, 1/1 holiday, then the weekend
    assert client.post("/api/v1/calendar/overrides", json=body, headers=admin).status_code == 422


def test_unauthenticated_calls_are_refused(client, ctx):
    assert client.get("/api/v1/task/").status_code == 401


def test_only_the_admin_adds_and_changes_agencies(client, ctx):
    body = {"code": "BQLDA", "name": "Ban Quản lý dự án đầu tư xây dựng tỉnh", "kind": "public_service_unit"}
    assert client.post("/api/v1/agency/", json=body, headers=_headers(client, "officer")).status_code == 403
    admin = _headers(client, "admin")
    created = client.post("/api/v1/agency/", json=body, headers=admin)
    assert created.status_code == 201 and created.get_json()["result"]["short_name"] == body["name"]
    agency = created.get_json()["id"]
    assert client.post("/api/v1/agency/", json=body, headers=admin).status_code == 422  # code taken
    changed = client.put(f"/api/v1/agency/{agency}", json={"active": False}, headers=admin)
    assert changed.get_json()["result"]["active"] is False
    # An inactive agency can no longer be given tasks.
    refused = client.post("/api/v1/document/", json=_document(tasks=[
        {"content": "x", "lead_agency_id": agency, "deadline": "2026-12-10"}]), headers=_headers(client, "officer"))
    assert refused.status_code == 422


def test_the_office_corrects_a_document_with_its_version(client, ctx):
    officer = _headers(client, "officer")
    document = client.post("/api/v1/document/", json=_document(), headers=officer).get_json()["id"]
    changed = client.put(f"/api/v1/document/{document}", json={"version": 1, "urgency": "flash"}, headers=officer)
    assert changed.status_code == 200
    assert changed.get_json()["result"]["entry_due_on"] == "2026-11-20"  # Art. 6.1.a: same day
    stale = client.put(f"/api/v1/document/{document}", json={"version": 1, "summary": "x"}, headers=officer)
    assert stale.status_code == 409
