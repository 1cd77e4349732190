"""Text limits everywhere (issue 8, finding 10, the part beyond documents and tasks): every
service that takes text refuses what the database cannot store — more than its column or
TEXT_MAX, NUL, a lone surrogate, a value that is not text — naming the field in Vietnamese,
and writes nothing; through the API (422) and the web forms (the message on the page).
Search filters with such values are refused too, and long words wrap on the pages."""
from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from app.domain.text import TEXT_MAX
from tests.conftest import PASSWORD, agency_id, user

TOO_LONG = "x" * (TEXT_MAX + 1)
NUL = "Báo cáo\x00kết quả"
SURROGATE = "Lý do \ud800"
NOT_TEXT = {"a": 1}
BAD = [TOO_LONG, NUL, SURROGATE]


def _vi(app, msgid):
    with app.test_request_context(), force_locale("vi"):
        return gettext(msgid)


def _headers(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def _count(app, model) -> int:
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _refused(answer, field: str, label: str | None = None):
    assert answer.status_code == 422, answer.get_data(as_text=True)
    body = answer.get_json()
    assert field in body["errors"], body
    if label:
        assert label in body["message"], body
    return body


@pytest.fixture
def task(make_document):
    """A task sent to STC (lead) with SNV coordinating, received by STC."""
    _doc, (task_id,) = make_document([{"lead": "STC", "coordinating": ["SNV"]}])
    return task_id


def _receive(client, task_id):
    answer = client.post(f"/api/v1/task/{task_id}/transition", json={"action": "receive"},
                         headers=_headers(client, "stc_head"))
    assert answer.status_code == 200


@pytest.mark.parametrize("value", BAD + [NOT_TEXT])
def test_a_result_the_database_cannot_store_is_refused(app, client, task, value):
    from app.models import Task, TaskUpdate

    _receive(client, task)
    answer = client.post(f"/api/v1/task/{task}/transition", json={"action": "report", "result": value},
                         headers=_headers(client, "stc_head"))
    _refused(answer, "result", _vi(app, "Result"))
    assert _count(app, TaskUpdate) == 0
    with app.app_context():
        from app.extensions import db

        assert db.session.get(Task, task).status == "in_progress"


@pytest.mark.parametrize("field,value", [("comment", NUL), ("comment", ["a"]), ("reason", NOT_TEXT),
                                         ("reason", "x" * 40)])
def test_feedback_returning_a_task_is_checked(app, client, task, field, value):
    from app.models import Feedback

    body = {"action": "return", "comment": "Nội dung không đúng", "reason": "content_wrong", field: value}
    answer = client.post(f"/api/v1/task/{task}/transition", json=body, headers=_headers(client, "stc_head"))
    _refused(answer, field)
    assert _count(app, Feedback) == 0


def test_an_action_that_is_not_text_is_refused(client, task):
    answer = client.post(f"/api/v1/task/{task}/transition", json={"action": {"send": 1}},
                         headers=_headers(client, "officer"))
    _refused(answer, "action")


@pytest.mark.parametrize("value", BAD + [NOT_TEXT, 12])
def test_progress_updates_and_contributions(app, client, task, value):
    from app.models import TaskUpdate

    _receive(client, task)
    for username in ("stc_head", "snv_head"):  # a progress update, a contribution (Art. 10.3)
        answer = client.post(f"/api/v1/task/{task}/updates", json={"body": value},
                             headers=_headers(client, username))
        _refused(answer, "body")
    assert _count(app, TaskUpdate) == 0


@pytest.mark.parametrize("value", BAD + [NOT_TEXT])
def test_extension_requests_and_decisions(app, client, task, value):
    from app.models import ExtensionRequest

    _receive(client, task)
    later = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    answer = client.post(f"/api/v1/task/{task}/extension-requests",
                         json={"reason": value, "proposed_deadline": later}, headers=_headers(client, "stc_head"))
    _refused(answer, "reason", _vi(app, "Reason") if isinstance(value, str) else "reason")
    assert _count(app, ExtensionRequest) == 0
    asked = client.post(f"/api/v1/task/{task}/extension-requests",
                        json={"reason": "Chờ số liệu", "proposed_deadline": later},
                        headers=_headers(client, "stc_head"))
    assert asked.status_code == 201
    request_id = asked.get_json()["id"]
    answer = client.post(f"/api/v1/extension-request/{request_id}/decision",
                         json={"approve": True, "comment": value}, headers=_headers(client, "chairman"))
    _refused(answer, "comment")
    with app.app_context():
        from app.extensions import db

        assert db.session.get(ExtensionRequest, request_id).status == "pending"


@pytest.mark.parametrize("value", BAD + [NOT_TEXT])
def test_delay_reports(app, client, task, value):
    from app.models import DelayReport

    answer = client.post("/api/v1/delay-report/", json={"task_id": task, "description": value},
                         headers=_headers(client, "snv_head"))
    _refused(answer, "description")
    assert _count(app, DelayReport) == 0


@pytest.mark.parametrize("value", ["x" * 256, NUL, NOT_TEXT])
def test_calendar_overrides(app, client, value):
    from app.models import CalendarOverride

    answer = client.post("/api/v1/calendar/overrides",
                         json={"date": "2026-12-26", "working": True, "note": value}, headers=_headers(client, "admin"))
    _refused(answer, "note")
    assert _count(app, CalendarOverride) == 0


def test_a_calendar_note_of_the_web_form(app, client, auth):
    from app.models import CalendarOverride

    auth.login("admin")
    page = client.post("/calendar/add", data={"day": "2026-12-26", "working": "y", "note": NUL},
                       follow_redirects=True).get_data(as_text=True)
    assert "ký tự không lưu được" in page
    page = client.post("/calendar/add", data={"day": "2026-12-26", "note": "x" * 256},
                       follow_redirects=True).get_data(as_text=True)
    assert "Tối đa 255 ký tự" in page
    assert _count(app, CalendarOverride) == 0


@pytest.mark.parametrize("field,value", [("name", NOT_TEXT), ("name", NUL), ("code", "x" * 33),
                                         ("short_name", "x" * 129)])
def test_agencies(app, client, field, value):
    stc = None
    with app.app_context():
        stc = agency_id("STC")
    answer = client.put(f"/api/v1/agency/{stc}", json={field: value}, headers=_headers(client, "admin"))
    _refused(answer, field)
    assert client.get(f"/api/v1/agency/{stc}", headers=_headers(client, "admin")).get_json()["result"]["code"] == "STC"


@pytest.mark.parametrize("field", ["number", "summary", "signer", "issuer_name"])
def test_document_fields_that_are_not_text(client, field):
    body = {"number": "9/UBND-TH", "summary": "V/v", "issued_on": dt.date.today().isoformat(),
            "signer": "Nguyễn Văn A", "source": "ad_hoc", field: ["x"],
            "tasks": [{"content": "Nội dung", "lead_agency_id": 1, "deadline": "2026-12-31"}]}
    _refused(client.post("/api/v1/document/", json=body, headers=_headers(client, "officer")), field)


@pytest.mark.parametrize("field", ["content", "notes"])
def test_task_corrections_that_are_not_text(client, task, field):
    answer = client.put(f"/api/v1/task/{task}", json={"version": 1, field: {"x": 1}},
                        headers=_headers(client, "officer"))
    _refused(answer, field)


# -- the web forms -------------------------------------------------------------------------

@pytest.mark.parametrize("value", [TOO_LONG, NUL])  # a browser sends no lone surrogate
def test_the_web_update_form(app, client, auth, task, value):
    from app.models import TaskUpdate

    _receive(client, task)
    auth.login("stc_head")
    page = client.post(f"/tasks/update/{task}", data={"body": value}, follow_redirects=True)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert _vi(app, "Update") in text and ("ký tự" in text)
    assert _count(app, TaskUpdate) == 0


def test_the_web_report_and_extension_forms(app, client, auth, task):
    from app.models import ExtensionRequest, TaskUpdate

    _receive(client, task)
    auth.login("stc_head")
    page = client.post(f"/tasks/act/{task}", data={"action": "report", "result": NUL},
                       follow_redirects=True).get_data(as_text=True)
    assert _vi(app, "Result") in page and "ký tự" in page
    later = (dt.date.today() + dt.timedelta(days=60)).strftime("%d/%m/%Y")
    page = client.post(f"/tasks/extension/{task}", data={"reason": TOO_LONG, "proposed_deadline": later},
                       follow_redirects=True).get_data(as_text=True)
    assert _vi(app, "Reason") in page and "10000" in page.replace(".", "").replace(",", "")
    auth.login("officer")
    page = client.post(f"/tasks/record-extension/{task}",
                       data={"deadline": later, "reference": "x" * 129}, follow_redirects=True).get_data(as_text=True)
    assert _vi(app, "Reference") in page and "128" in page
    assert _count(app, TaskUpdate) == 0 and _count(app, ExtensionRequest) == 0


def test_the_web_delay_report_form(app, client, auth, task):
    from app.models import DelayReport

    auth.login("snv_head")
    page = client.post(f"/delay-reports/new/{task}", data={"description": NUL},
                       follow_redirects=True).get_data(as_text=True)
    assert _vi(app, "Description") in page and "ký tự" in page
    assert _count(app, DelayReport) == 0


@pytest.fixture
def letter(app, task):
    from app.access import viewer_for
    from app.services import letters

    with app.test_request_context():
        drafted = letters.draft_letter(agency_id("STC"), [task], viewer=viewer_for(user("officer")),
                                       batch_key="text-limits")
        return drafted.id, drafted.version, drafted.body


@pytest.mark.parametrize("field,value,shown", [("signer_name", "x" * 129, "128"), ("body", NUL, "ký tự"),
                                               ("summary", "x" * 256, "255"),
                                               ("signer_position", "x" * 129, "128")])
def test_the_letter_form(app, client, auth, letter, field, value, shown):
    from app.models import UrgingLetter

    letter_id, version, body = letter
    auth.login("officer")
    form = {"summary": "V/v đôn đốc", "body": "Nội dung", "signer_position": "PHÓ CHÁNH VĂN PHÒNG",
            "signer_name": "Nguyễn Văn B", "version": str(version), field: value}
    page = client.post(f"/letters/show/{letter_id}", data=form, follow_redirects=True).get_data(as_text=True)
    assert shown in page.replace(".", "").replace(",", "")
    with app.app_context():
        from app.extensions import db

        stored = db.session.get(UrgingLetter, letter_id)
        assert stored.body == body and stored.version == version
    form = {"issue": "1", "number": "x" * 65, "version": str(version)}
    page = client.post(f"/letters/show/{letter_id}", data=form, follow_redirects=True).get_data(as_text=True)
    assert "64" in page
    with app.app_context():
        from app.extensions import db

        assert db.session.get(UrgingLetter, letter_id).status == "draft"


def test_the_periodic_report_sections(app, client, auth):
    from app.extensions import db
    from app.models import PeriodicReport

    auth.login("stc_head")
    url = "/reports/agency/monthly/2026/11"
    page = client.get(url)
    assert page.status_code == 200
    with app.app_context():
        report = db.session.scalars(select(PeriodicReport)).one()
        report_id, version = report.id, report.version
    page = client.post(url, data={"version": str(version), "section_3": NUL, "section_4": "Kiến nghị"},
                       follow_redirects=True).get_data(as_text=True)
    assert _vi(app, "Section III") in page and "ký tự" in page
    with app.app_context():
        stored = db.session.get(PeriodicReport, report_id)
        assert (stored.section_3 or "") == "" and (stored.section_4 or "") == ""


def test_evaluation_weights_beyond_any_column(app, client, auth):
    auth.login("admin")
    page = client.post("/evaluation/weights", data={"on_time": str(10**12), "updated": "1", "reports": "1"},
                       follow_redirects=True).get_data(as_text=True)
    assert "từ 0 đến 1000" in page


# -- search filters and long words --------------------------------------------------------

@pytest.mark.parametrize("value", ["a\x00b", "x" * (TEXT_MAX + 1)])
def test_search_filters_that_cannot_be_searched(app, client, auth, task, value):
    auth.login("officer")
    answer = client.get("/tasks/list/", query_string={"_flt_2_content": value, "psize_TaskView": "25"})
    assert answer.status_code == 302 and "_flt_2_content" not in answer.headers["Location"]
    assert "psize_TaskView=25" in answer.headers["Location"]
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "_flt_2_content" in page and "không được dùng" in page
    api = client.get("/api/v1/task/", query_string={"status": value}, headers=_headers(client, "officer"))
    _refused(api, "status")


def test_long_unbroken_words_wrap_on_lists_and_pages(app, client, auth, make_document):
    word = "https://example.invalid/" + "a" * 400
    _doc, (task_id,) = make_document([{"lead": "STC", "content": word}])
    auth.login("officer")
    for url in ("/tasks/list/", f"/tasks/show/{task_id}"):
        page = client.get(url).get_data(as_text=True)
        assert "https://example.invalid/aaaa" in page and "/static/css/app.css" in page
    css = client.get("/static/css/app.css").get_data(as_text=True)
    assert "overflow-wrap: anywhere" in css and ".container td" in css
