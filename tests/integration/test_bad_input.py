"""Issue 8, finding 9: a date outside 2000–2100 is refused at entry with a Vietnamese
message naming the field, nothing is stored, and a row stored before the check
(raw SQL) no longer makes a page answer 500."""
import datetime as dt

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.integration.test_api import _document, _headers


def _task(deadline):
    return {"tasks": [{"content": "Báo cáo", "lead_agency_id": _document()["tasks"][0]["lead_agency_id"],
                       "deadline": deadline}]}


@pytest.mark.parametrize("overrides, field", [
    (lambda: _task("9999-12-31"), "deadline"),
    (lambda: _task("1999-12-31"), "deadline"),
    (lambda: {"issued_on": "0202-12-02"}, "issued_on"),
    (lambda: {"issuer": "higher_authority", "issuer_name": "Bộ Tài chính", "received_on": "1900-01-01"},
     "received_on"),
])
def test_a_far_date_is_refused_by_the_api_and_nothing_is_stored(client, ctx, overrides, field):
    headers = _headers(client, "officer")
    answer = client.post("/api/v1/document/", json=_document(**overrides()), headers=headers)
    assert answer.status_code == 422
    body = answer.get_json()
    assert field in body["errors"]
    assert "01/01/2000" in str(body["errors"][field]) and "31/12/2100" in str(body["errors"][field])
    assert client.get("/api/v1/document/", headers=headers).get_json()["count"] == 0


def test_an_extension_to_year_9999_is_refused(client, ctx, make_document):
    from app.services import lifecycle
    from app.services.errors import Invalid
    from tests.conftest import viewer

    _, (task_id,) = make_document([{"lead": "STC"}])
    with pytest.raises(Invalid) as refused:
        lifecycle.request_extension(task_id, viewer=viewer("stc_head"), reason="Cần thêm thời gian",
                                    proposed_deadline=dt.date(9999, 12, 31))
    assert "proposed_deadline" in refused.value.errors


@pytest.mark.parametrize("query", ["date=9999-12-31&days=1", "date=2100-06-01&days=3650"])
def test_add_working_days_far_out_answers_422_not_500(client, ctx, query):
    answer = client.get(f"/api/v1/calendar/add-working-days?{query}", headers=_headers(client, "officer"))
    assert answer.status_code == 422
    assert "2100" in answer.get_json()["message"]


def test_a_stored_far_deadline_does_not_break_the_pages(app, client, auth, make_document):
    _, (task_id,) = make_document([{"lead": "STC", "content": "Nhiệm vụ năm 9999"}])
    with app.app_context():
        db.session.execute(text("UPDATE task SET deadline = '9999-12-31' WHERE id = :id"), {"id": task_id})
        db.session.commit()
    for username in ("officer", "stc_head"):
        auth.login(username)
        for url in (f"/tasks/show/{task_id}", "/tasks/list/", "/tasks/export/", "/"):
            assert client.get(url).status_code == 200, (username, url)


def test_the_service_refuses_a_far_deadline_naming_the_task(app, ctx):
    from app.services.register import DocumentInput, TaskInput, create_document
    from app.services.errors import Invalid
    from tests.conftest import agency_id, viewer

    data = DocumentInput(doc_type="official_letter", number="1/UBND-TH", summary="V/v", issued_on=dt.date(2026, 11, 2),
                         signer="A", issuer="committee", source="ad_hoc", urgency="normal")
    with pytest.raises(Invalid) as refused:
        create_document(data, [TaskInput(content="X", lead_agency_id=agency_id("STC"), deadline=dt.date(9999, 12, 31),
                                         coordinating_agency_ids=[])], viewer=viewer("officer"), send=True)
    assert "Nhiệm vụ 1: thời hạn" in str(refused.value.errors["tasks-0-deadline"][0])


def test_the_days_off_page_of_year_zero_is_not_found(client, auth):
    auth.login("admin")
    assert client.get("/calendar/year/0").status_code == 404
    assert client.get("/calendar/year/2026").status_code == 200


def _with_task(**task):
    body = _document()
    body["tasks"][0].update(task)
    return body


@pytest.mark.parametrize("body, field", [
    (lambda: _document(number="1" * 60 + "/UBND"), "number"),
    (lambda: _document(signer="Nguyễn " * 30), "signer"),
    (lambda: _document(issuer="higher_authority", issuer_name="Bộ " * 100, received_on="2026-11-21"),
     "issuer_name"),
    (lambda: _document(summary="V/v\x00 triển khai"), "summary"),
    (lambda: _document(number="12\x00/UBND"), "number"),
    (lambda: _with_task(content="x" * 10_001), "tasks-0-content"),
    (lambda: _with_task(content="Nội dung \ud800 lỗi"), "tasks-0-content"),
    (lambda: _document(doc_type={"$ne": 1}), "doc_type"),
    (lambda: _document(urgency=["urgent"]), "urgency"),
])
def test_text_the_database_cannot_store_is_refused_naming_the_field(client, ctx, body, field):
    """Issue 8, finding 10: on PostgreSQL these answered 500."""
    headers = _headers(client, "officer")
    answer = client.post("/api/v1/document/", json=body(), headers=headers)
    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    assert field in answer.get_json()["errors"]
    assert client.get("/api/v1/document/", headers=headers).get_json()["count"] == 0


@pytest.mark.parametrize("url", ["/tasks/show/99999999999", "/tasks/show/2147483648", "/documents/show/2147483648",
                                 "/letters/show/2147483648", "/letters/file/2147483648/pdf", "/calendar/year/99999"])
def test_an_id_no_database_integer_holds_is_not_found(client, auth, url):
    auth.login("officer")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/task/2147483648", "/api/v1/document/99999999999"])
def test_the_api_answers_a_huge_id_with_404_json(client, ctx, url):
    answer = client.get(url, headers=_headers(client, "officer"))
    assert answer.status_code == 404 and answer.is_json


@pytest.mark.parametrize("query, location", [
    ("page_TaskView=abc", "/tasks/list/"),
    ("psize_TaskView=-1", "/tasks/list/"),
    ("psize_TaskView=0", "/tasks/list/?psize_TaskView=1"),
    ("psize_TaskView=100000000&page_TaskView=2", "/tasks/list/?psize_TaskView=100&page_TaskView=2"),
])
def test_paging_parameters_that_are_not_small_numbers_are_corrected(client, auth, query, location):
    auth.login("stc_head")
    answer = client.get(f"/tasks/list/?{query}")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(location)
    assert client.get(location).status_code == 200
