"""Intake of edXML messages (issue 12) through the API: the contract, duplicates, later
messages (revoke, update, replace), malformed input (nothing stored), the Connector's narrow
scope, the Art. 6.1/6.3 entry deadline on the working calendar, registering, status replies."""
from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from app.domain.edxml import STATUS_NAMESPACE
from tests.conftest import PASSWORD
from tests.conftest import agency_id as _agency_id
from tests.conftest import user as _user
from tests.edxml_samples import PDF, b64, message, zipped

PROVINCE = "000.00.00.H32"


def _headers(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    assert answer.status_code == 200, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


@pytest.fixture
def connector(client):
    return _headers(client, "connector")


@pytest.fixture
def office(client):
    return _headers(client, "officer")


def post(client, headers, data, content_type="application/xml"):
    return client.post("/api/v1/intake/edxml", data=data, headers=headers, content_type=content_type)


# The API calls run in their own app contexts (a shared one would share flask.g, the signed-in
# user, between requests); the database is read in a context of its own.

def _count(model):
    from app.extensions import db

    with _APP[0].app_context():
        return db.session.scalar(select(func.count()).select_from(model))


_APP = []


@pytest.fixture(autouse=True)
def _remember_app(app):
    _APP[:] = [app]


def agency_id(code):
    with _APP[0].app_context():
        return _agency_id(code)


def user_id(username):
    with _APP[0].app_context():
        return _user(username).id


def _uploads(app):
    folder = app.config["UPLOAD_FOLDER"]
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def _register_body(intake_id, *, send=True, officer_id=None):
    return {"intake_id": intake_id, "send": send, "source": "ad_hoc", "tasks": [
        {"content": "Rà soát danh mục dự án chậm giải ngân", "lead_agency_id": agency_id("STC"),
         "deadline": "2026-12-31", "tracking_officer_id": officer_id},
        {"content": "Đôn đốc nhà thầu thi công", "lead_agency_id": agency_id("SXD"),
         "coordinating_agency_ids": [agency_id("STC")], "deadline": "2026-12-20"}]}


# ---------------------------------------------------------------- the contract

def test_the_document_system_posts_a_message_and_the_office_sees_it_pending(app, client, connector, office):
    answer = post(client, connector, message(due="31/12/2026", priority="1"))
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    result = body["result"]
    assert result["number"] == "2491/VPCP-KTTH" and result["issued_on"] == "2026-11-20"
    assert result["doc_type"] == "official_letter" and result["urgency"] == "urgent"
    assert result["summary"].startswith("V/v triển khai")
    assert result["signer"] == "Trần Văn Sơn" and result["signer_position"] == "Bộ trưởng, Chủ nhiệm"
    assert result["issuer"] == "higher_authority" and result["issuer_name"] == "Văn phòng Chính phủ"
    assert result["received_on"] == dt.date.today().isoformat() or result["received_on"]
    assert result["due_on"] == "2026-12-31"
    assert result["attachments"] == ["cong-van.pdf"]
    assert result["edxml_document_id"] == "000.00.00.G22,2026/11/20,2491/VPCP-KTTH"
    assert result["status"] == "pending" and result["entry_due_on"]

    listed = client.get("/api/v1/intake/", headers=office).get_json()
    assert listed["count"] == 1 and listed["ids"] == [body["id"]]
    one = client.get(f"/api/v1/intake/{body['id']}", headers=office).get_json()["result"]
    assert one["number"] == "2491/VPCP-KTTH" and one["messages"] == []


def test_a_multipart_file_is_accepted_like_a_raw_body(app, client, connector):
    import io

    answer = client.post("/api/v1/intake/edxml", headers=connector, content_type="multipart/form-data",
                         data={"file": (io.BytesIO(message()), "van-ban.edxml")})
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["result"]["number"] == "2491/VPCP-KTTH"


def test_zipped_attachments_become_the_documents_files(app, client, connector, office):
    archive = zipped({"quyet-dinh.pdf": PDF, "phu-luc.pdf": PDF})
    answer = post(client, connector, message(attachments=[("goi.zip", "application/zip", b64(archive))]))
    assert answer.status_code == 201
    assert sorted(answer.get_json()["result"]["attachments"]) == ["phu-luc.pdf", "quyet-dinh.pdf"]


def test_the_list_shows_pending_first_then_oldest_first(app, client, connector, office):
    first = post(client, connector, message(number="1")).get_json()["id"]
    second = post(client, connector, message(number="2")).get_json()["id"]
    third = post(client, connector, message(number="3")).get_json()["id"]
    assert client.post(f"/api/v1/intake/{first}/dismiss", json={"reason": "Không phải văn bản chỉ đạo"},
                       headers=office).status_code == 200
    assert client.get("/api/v1/intake/", headers=office).get_json()["ids"] == [second, third, first]


# ---------------------------------------------------------------- duplicates

def test_the_same_message_twice_answers_409_with_the_existing_id(app, client, connector):
    from app.models_intake import IncomingDocument

    first = post(client, connector, message())
    again = post(client, connector, message())
    assert again.status_code == 409
    assert again.get_json()["intake_id"] == first.get_json()["id"]
    assert "đã" in again.get_json()["message"]
    assert _count(IncomingDocument) == 1


def test_same_issuer_number_and_date_under_another_document_id_is_the_same(app, client, connector):
    first = post(client, connector, message(document_id=None)).get_json()["id"]
    again = post(client, connector, message(document_id="another,id"))
    assert again.status_code == 409 and again.get_json()["intake_id"] == first


def test_a_repeat_after_registration_names_the_document(app, client, connector, office):
    intake_id = post(client, connector, message()).get_json()["id"]
    created = client.post("/api/v1/document/", json=_register_body(intake_id), headers=office)
    assert created.status_code == 201, created.get_json()
    again = post(client, connector, message())
    assert again.status_code == 409
    assert again.get_json()["document_id"] == created.get_json()["id"]
    assert again.get_json()["link"] == f"/documents/show/{created.get_json()['id']}"


def test_a_document_already_typed_by_hand_is_recognised(app, client, connector, make_document):
    document_id, _ = make_document([{"lead": "STC"}], number="2491/VPCP-KTTH", issued_on=dt.date(2026, 11, 20))
    again = post(client, connector, message())
    assert again.status_code == 409 and again.get_json()["document_id"] == document_id


# ---------------------------------------------------------------- malformed: nothing stored

@pytest.mark.parametrize("data, element, words", [
    (b"not xml at all", "edXML", "XML"),
    (message(subject=None), "Subject", "Subject"),
    (message(number=None, notation=None), "Code", "Code"),
    (message(date="31/31/2026"), "PromulgationInfo/PromulgationDate", "31/31/2026"),
    (message(attachments=[("cv.pdf", "application/pdf", "@@not base64@@")]),
     "Attachment/ContentTransferEncoded", "base64"),
    (message(attachments=[("virus.exe", "application/octet-stream", b64(b"MZ\x90\x00"))]), "Attachment",
     "virus.exe"),
    (message(attachments=[("gia.pdf", "application/pdf", b64(b"MZ\x90\x00 not a pdf"))]), "Attachment",
     "gia.pdf"),
    (message(date="2030/01/01"), "PromulgationInfo/PromulgationDate", "01/01/2030"),
])
def test_a_malformed_message_is_refused_naming_the_element_and_nothing_is_stored(
        app, client, connector, office, data, element, words):
    from app.models import Notification
    from app.models_intake import IncomingAttachment, IncomingDocument

    before = _uploads(app)
    answer = post(client, connector, data)
    assert answer.status_code == 422
    body = answer.get_json()
    assert element in body["errors"], body
    assert words in body["message"] and "không" in body["message"].lower()
    assert _count(IncomingDocument) == 0 and _count(IncomingAttachment) == 0 and _count(Notification) == 0
    assert _uploads(app) == before


# ---------------------------------------------------------------- the Connector's narrow scope

def test_the_connector_may_only_post_messages(app, client, connector, make_document):
    document_id, (task_id,) = make_document([{"lead": "STC"}])
    assert post(client, connector, message()).status_code == 201
    intake_id = client.get("/api/v1/intake/", headers=_headers(client, "officer")).get_json()["ids"][0]
    for method, url in [("get", "/api/v1/intake/"), ("get", f"/api/v1/intake/{intake_id}"),
                        ("get", "/api/v1/task/"), ("get", f"/api/v1/task/{task_id}"),
                        ("get", "/api/v1/document/"), ("get", f"/api/v1/document/{document_id}"),
                        ("get", "/api/v1/agency/"), ("get", "/api/v1/calendar/is-working-day?date=2026-11-20"),
                        ("post", f"/api/v1/intake/{intake_id}/dismiss"), ("post", "/api/v1/document/"),
                        ("post", f"/api/v1/task/{task_id}/transition")]:
        answer = getattr(client, method)(url, headers=connector, json={"reason": "x"})
        assert answer.status_code in (403, 404, 405), (url, answer.status_code)
        assert answer.status_code == 403, url
    # Its web session sees no page either.
    web = client.post("/login/", data={"username": "connector", "password": PASSWORD})
    assert web.status_code in (302, 303)
    assert client.get(f"/tasks/show/{task_id}").status_code in (302, 403, 404)
    assert client.get("/incoming/list/").status_code in (302, 403, 404)


def test_agency_users_may_not_post_or_read_incoming_documents(app, client, connector):
    intake_id = post(client, connector, message()).get_json()["id"]
    head = _headers(client, "stc_head")
    assert post(client, head, message(number="9")).status_code == 403
    assert client.get("/api/v1/intake/", headers=head).status_code == 403
    assert client.get(f"/api/v1/intake/{intake_id}", headers=head).status_code == 403
    assert client.post("/api/v1/document/", json=_register_body(intake_id), headers=head).status_code == 403


# ---------------------------------------------------------------- Art. 6 on the working calendar

def _day_off(day, note="Nghỉ bù"):
    from app.extensions import db
    from app.models import CalendarOverride
    from app.services.calendar import forget_calendar

    with _APP[0].app_context():
        db.session.add(CalendarOverride(day=day, working=False, note=note))
        db.session.commit()
        forget_calendar()


def test_a_committee_document_is_due_one_working_day_after_issue_art_6_1_b(app, client, connector):
    # Friday 06/11/2026 → Monday 09/11, which the Admin made a day off → Tuesday 10/11.
    _day_off(dt.date(2026, 11, 9))
    answer = post(client, connector, message(organ_id=PROVINCE, competence="TM. ỦY BAN NHÂN DÂN",
                                             position="Chủ tịch", date="06/11/2026"))
    result = answer.get_json()["result"]
    assert result["issuer"] == "committee" and result["received_on"] is None
    assert result["entry_due_on"] == "2026-11-10"


def test_an_urgent_committee_document_is_due_the_same_day_art_6_1_a(app, client, connector):
    result = post(client, connector, message(organ_id=PROVINCE, competence="KT. CHỦ TỊCH", priority="3",
                                             date="2026/11/21")).get_json()["result"]
    assert result["issuer"] == "chairman" and result["urgency"] == "flash"
    assert result["entry_due_on"] == "2026-11-21"  # a Saturday: Art. 6.1.a, "ngay trong ngày phát hành"


def test_a_higher_authority_document_is_due_one_working_day_after_receipt_art_6_3(app, client, connector):
    from app.services.calendar import current_calendar, today

    with app.app_context():
        next_working = current_calendar().add_working_days(today(), 1)
    _day_off(next_working)  # the Admin's day off moves it one more working day
    result = post(client, connector, message(priority="3")).get_json()["result"]
    assert result["issuer"] == "higher_authority" and result["received_on"] == today().isoformat()
    with app.app_context():
        expected = current_calendar().add_working_days(today(), 1)
    assert expected > next_working  # Art. 6.3 counts working days only, whatever the urgency
    assert result["entry_due_on"] == expected.isoformat()
    assert result["entry_due_on"] > next_working.isoformat()
    assert result["working_days_left"] == 1


def test_the_office_code_the_admin_sets_makes_a_sender_the_committee(app, client, connector):
    from app.extensions import db
    from app.models import Agency

    with app.app_context():
        office = db.session.scalar(select(Agency).where(Agency.kind == "office"))
        office.edxml_code = "H34.01"
        db.session.commit()
    result = post(client, connector, message(organ_id="H34.01", competence="TM. ỦY BAN NHÂN DÂN")).get_json()
    assert result["result"]["issuer"] == "committee"


# ---------------------------------------------------------------- registering and the status reply

def test_registering_links_the_document_copies_the_files_and_answers_status_03_then_04(app, client,
                                                                                        connector, office):
    intake_id = post(client, connector, message()).get_json()["id"]
    status = client.get(f"/api/v1/intake/{intake_id}/status.edxml", headers=connector)
    assert status.status_code == 200 and _status_code(status.data) == "01"

    created = client.post("/api/v1/document/", json=_register_body(intake_id, send=False), headers=office)
    assert created.status_code == 201, created.get_json()
    document = created.get_json()["result"]
    assert document["number"] == "2491/VPCP-KTTH" and document["issued_on"] == "2026-11-20"
    assert document["issuer"] == "higher_authority" and document["issuer_name"] == "Văn phòng Chính phủ"
    assert document["intake_id"] == intake_id and len(document["task_ids"]) == 2
    one = client.get(f"/api/v1/intake/{intake_id}", headers=office).get_json()["result"]
    assert one["status"] == "registered" and one["document_id"] == document["id"]
    from app.extensions import db
    from app.models import Attachment

    with app.app_context():
        files = db.session.scalars(select(Attachment).where(Attachment.document_id == document["id"])).all()
    assert [f.filename for f in files] == ["cong-van.pdf"]
    with open(os.path.join(app.config["UPLOAD_FOLDER"], files[0].stored_name), "rb") as handle:
        assert handle.read() == PDF

    assert _status_code(client.get(f"/api/v1/intake/{intake_id}/status.edxml", headers=connector).data) == "03"
    assert client.post(f"/api/v1/document/{document['id']}/send", headers=office).status_code == 200
    reply = client.get(f"/api/v1/intake/{intake_id}/status.edxml", headers=connector)
    assert _status_code(reply.data) == "04"
    root = ET.fromstring(reply.data)
    assert root.find(f"{{{STATUS_NAMESPACE}}}Header/{{{STATUS_NAMESPACE}}}ResponseFor/"
                     f"{{{STATUS_NAMESPACE}}}Code").text == "2491/VPCP-KTTH"

    twice = client.post("/api/v1/document/", json=_register_body(intake_id), headers=office)
    assert twice.status_code == 409


def test_a_refused_registration_leaves_the_incoming_document_pending(app, client, connector, office):
    intake_id = post(client, connector, message()).get_json()["id"]
    body = _register_body(intake_id)
    body["tasks"][0].pop("deadline")  # Art. 7.2: no deadline
    answer = client.post("/api/v1/document/", json=body, headers=office)
    assert answer.status_code == 422 and "khoản 2 Điều 7" in answer.get_json()["errors"]["tasks-0-deadline"][0]
    assert client.get(f"/api/v1/intake/{intake_id}", headers=office).get_json()["result"]["status"] == "pending"
    assert client.get("/api/v1/document/", headers=office).get_json()["count"] == 0


def _status_code(data: bytes) -> str:
    root = ET.fromstring(data)
    return root.find(f"{{{STATUS_NAMESPACE}}}Header/{{{STATUS_NAMESPACE}}}StatusCode").text


# ---------------------------------------------------------------- later messages

def test_an_update_is_shown_old_to_new_told_to_the_tracking_officer_and_applied_only_when_confirmed(
        app, client, connector, office):
    from app.extensions import db
    from app.models import Notification, Task

    intake_id = post(client, connector, message()).get_json()["id"]
    officer_id = user_id("officer")
    leader = _headers(client, "leader")
    created = client.post("/api/v1/document/", json=_register_body(intake_id, officer_id=officer_id), headers=leader)
    assert created.status_code == 201, created.get_json()
    document_id = created.get_json()["id"]

    update_body = message(business="2", reason="Đính chính trích yếu",
                          subject="V/v đính chính các giải pháp giải ngân vốn", priority="2")
    answer = post(client, connector, update_body)
    assert answer.status_code == 201, answer.get_json()
    later = answer.get_json()["result"]["later_message"]
    assert answer.get_json()["id"] == intake_id and later["kind"] == "update"
    changes = {c["field"]: (c["old"], c["new"]) for c in later["changes"]}
    assert changes["summary"][1] == "V/v đính chính các giải pháp giải ngân vốn"
    assert changes["urgency"] == ("normal", "very_urgent")
    assert "number" not in changes
    # Nothing tracked changed yet.
    document = client.get(f"/api/v1/document/{document_id}", headers=office).get_json()["result"]
    assert document["summary"].startswith("V/v triển khai") and document["urgency"] == "normal"
    with app.app_context():
        told = db.session.scalars(select(Notification).where(Notification.kind == "incoming_message")).all()
        officers = set(db.session.scalars(select(Task.tracking_officer_id).where(Task.document_id == document_id)))
    # The tracking officers of its tasks (the one named, and the leader who entered the other).
    assert sorted(n.user_id for n in told) == sorted(officers) and officer_id in officers
    assert {n.link for n in told} == {f"/documents/show/{document_id}"}
    assert post(client, connector, update_body).status_code == 409  # the same later message twice

    decided = client.post(f"/api/v1/intake/messages/{later['id']}/decide", json={"apply": True}, headers=office)
    assert decided.status_code == 200, decided.get_json()
    document = client.get(f"/api/v1/document/{document_id}", headers=office).get_json()["result"]
    assert document["summary"] == "V/v đính chính các giải pháp giải ngân vốn"
    assert document["urgency"] == "very_urgent"
    again = client.post(f"/api/v1/intake/messages/{later['id']}/decide", json={"apply": True}, headers=office)
    assert again.status_code == 409


def test_a_revocation_withdraws_the_open_tasks_once_the_office_confirms(app, client, connector, office):
    intake_id = post(client, connector, message()).get_json()["id"]
    created = client.post("/api/v1/document/", json=_register_body(intake_id), headers=office).get_json()
    revoke = post(client, connector, message(business="1", reason="Ban hành sai thẩm quyền",
                                             business_document_id="000.00.00.G22,2026/11/20,2491/VPCP-KTTH",
                                             document_id="000.00.00.G22,2026/11/25,2600/VPCP-KTTH",
                                             number="2600", date="2026/11/25"))
    assert revoke.status_code == 201, revoke.get_json()
    later = revoke.get_json()["result"]["later_message"]
    assert later["kind"] == "revoke"
    statuses = [client.get(f"/api/v1/task/{t}", headers=office).get_json()["result"]["status"]
                for t in created["result"]["task_ids"]]
    assert statuses == ["assigned", "assigned"]
    assert client.post(f"/api/v1/intake/messages/{later['id']}/decide", json={"apply": True},
                       headers=office).status_code == 200
    statuses = [client.get(f"/api/v1/task/{t}", headers=office).get_json()["result"]["status"]
                for t in created["result"]["task_ids"]]
    assert statuses == ["withdrawn", "withdrawn"]


def test_a_replacement_of_a_pending_document_updates_it_when_set_aside_it_does_not(app, client, connector, office):
    intake_id = post(client, connector, message()).get_json()["id"]
    replace = post(client, connector, message(
        business="3", number="2700", date="2026/11/26", subject="V/v thay thế công văn 2491",
        document_id="000.00.00.G22,2026/11/26,2700/VPCP-KTTH",
        replaced=("000.00.00.G22,2026/11/20,2491/VPCP-KTTH",)))
    later = replace.get_json()["result"]["later_message"]
    changes = {c["field"]: (c["old"], c["new"]) for c in later["changes"]}
    assert changes["number"] == ("2491/VPCP-KTTH", "2700/VPCP-KTTH")
    assert changes["issued_on"] == ("2026-11-20", "2026-11-26")
    shown = client.get(f"/api/v1/intake/{intake_id}", headers=office).get_json()["result"]
    assert shown["number"] == "2491/VPCP-KTTH" and shown["messages"][0]["status"] == "pending"

    applied = client.post(f"/api/v1/intake/messages/{later['id']}/decide", json={"apply": True}, headers=office)
    result = applied.get_json()["result"]
    assert result["number"] == "2700/VPCP-KTTH" and result["issued_on"] == "2026-11-26"
    assert result["summary"] == "V/v thay thế công văn 2491"

    other = post(client, connector, message(business="2", number="2700", date="2026/11/26",
                                            subject="Trích yếu khác", document_id=None)).get_json()
    set_aside = client.post(f"/api/v1/intake/messages/{other['result']['later_message']['id']}/decide",
                            json={"apply": False}, headers=office).get_json()["result"]
    assert set_aside["summary"] == "V/v thay thế công văn 2491"


def test_a_revocation_of_an_unknown_document_is_refused(app, client, connector):
    answer = post(client, connector, message(business="1", business_document_id="x,2026/01/01,1/ABC",
                                             document_id="y", number="77", notation="ABC"))
    assert answer.status_code == 422 and "Bussiness/DocumentId" in answer.get_json()["errors"]


# ---------------------------------------------------------------- dismiss

def test_dismissing_keeps_only_the_fact_the_number_and_the_date(app, client, connector, office):
    from app.extensions import db
    from app.models_intake import IncomingAttachment, IncomingDocument

    before = _uploads(app)
    intake_id = post(client, connector, message()).get_json()["id"]
    assert len(_uploads(app) - before) == 1
    assert client.post(f"/api/v1/intake/{intake_id}/dismiss", json={"reason": " "}, headers=office).status_code == 422
    answer = client.post(f"/api/v1/intake/{intake_id}/dismiss", json={"reason": "Văn bản mật (Điều 7, 8)"},
                         headers=office)
    assert answer.status_code == 200
    result = answer.get_json()["result"]
    assert result["status"] == "dismissed" and result["number"] == "2491/VPCP-KTTH"
    assert result["issued_on"] == "2026-11-20" and result["dismissed_reason"] == "Văn bản mật (Điều 7, 8)"
    for field in ("summary", "signer", "signer_position", "issuer_name", "doc_type", "due_on", "urgency"):
        assert result[field] is None, field
    assert result["attachments"] == [] and _count(IncomingAttachment) == 0
    assert _uploads(app) == before
    with app.app_context():
        row = db.session.get(IncomingDocument, intake_id)
        assert row.content is None and row.recipients is None
    assert client.post(f"/api/v1/intake/{intake_id}/dismiss", json={"reason": "lần nữa"},
                       headers=office).status_code == 409
    assert post(client, connector, message()).status_code == 409  # still recognised


# ---------------------------------------------------------------- the Admin's folder import

def test_the_folder_import_reports_each_file_and_keeps_the_good_ones(app, tmp_path):
    from app.models_intake import IncomingDocument

    (tmp_path / "1-good.edxml").write_bytes(message(number="10"))
    (tmp_path / "2-no-subject.edxml").write_bytes(message(number="11", subject=None))
    (tmp_path / "3-good.edxml").write_bytes(message(number="12"))
    (tmp_path / "4-again.edxml").write_bytes(message(number="10"))
    (tmp_path / "5-not-xml.edxml").write_bytes(b"<<<")
    (tmp_path / "notes.txt").write_text("ignored")
    result = app.test_cli_runner().invoke(args=["intake", "edxml", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].endswith("1-good.edxml: 201 incoming 1 10/VPCP-KTTH") or "1-good.edxml: 201" in lines[0]
    assert "2-no-subject.edxml: 422" in lines[1] and "Subject" in lines[1]
    assert "3-good.edxml: 201" in lines[2]
    assert "4-again.edxml: 409" in lines[3]
    assert "5-not-xml.edxml: 422" in lines[4] and "XML" in lines[4]
    assert lines[-1] == "stored 2, later messages 0, duplicates 1, refused 2"
    assert not any("notes.txt" in line for line in lines)
    assert _count(IncomingDocument) == 2


def test_a_replacements_files_wait_with_it_and_replace_the_documents_when_applied(app, client, connector, office):
    from tests.edxml_samples import PDF

    before = _uploads(app)
    intake_id = post(client, connector, message()).get_json()["id"]
    replace = post(client, connector, message(
        business="3", number="2700", date="2026/11/26", document_id="000.00.00.G22,2026/11/26,2700/VPCP-KTTH",
        replaced=("000.00.00.G22,2026/11/20,2491/VPCP-KTTH",),
        attachments=[("cong-van-thay-the.pdf", "application/pdf", b64(PDF + b"%new"))])).get_json()
    later_id = replace["result"]["later_message"]["id"]
    shown = client.get(f"/api/v1/intake/{intake_id}", headers=office).get_json()["result"]
    assert shown["attachments"] == ["cong-van.pdf"]  # not yet
    assert shown["messages"][0]["attachments"] == ["cong-van-thay-the.pdf"]
    assert len(_uploads(app) - before) == 2
    applied = client.post(f"/api/v1/intake/messages/{later_id}/decide", json={"apply": True}, headers=office)
    assert applied.get_json()["result"]["attachments"] == ["cong-van-thay-the.pdf"]
    assert len(_uploads(app) - before) == 1  # the replaced file is gone from storage


def test_an_updates_files_join_the_registered_documents(app, client, connector, office):
    from app.extensions import db
    from app.models import Attachment
    from tests.edxml_samples import PDF

    intake_id = post(client, connector, message()).get_json()["id"]
    document_id = client.post("/api/v1/document/", json=_register_body(intake_id), headers=office).get_json()["id"]
    update_body = post(client, connector, message(business="2", subject="V/v bổ sung phụ lục",
                                                  attachments=[("phu-luc.pdf", "application/pdf", b64(PDF))]))
    later_id = update_body.get_json()["result"]["later_message"]["id"]
    with app.app_context():
        names = lambda: sorted(db.session.scalars(select(Attachment.filename).where(  # noqa: E731
            Attachment.document_id == document_id)))
        assert names() == ["cong-van.pdf"]
    client.post(f"/api/v1/intake/messages/{later_id}/decide", json={"apply": True}, headers=office)
    with app.app_context():
        assert names() == ["cong-van.pdf", "phu-luc.pdf"]
