"""Ad-hoc report requests (issue 13; Art. 18.4, 19.1): asked, answered, counted, reminded,
downloaded — and an agency sees only its own answer."""
import datetime as dt
import io
import zipfile

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, Notification
from app.models_direction import ReportAnswer
from app.services.calendar import current_calendar, today
from tests.conftest import PASSWORD, agency_id, user


def _headers(client, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _ask(client, username="officer", **body):
    body.setdefault("subject", "Báo cáo tình hình giải ngân vốn đầu tư công")
    body.setdefault("body", "Nêu số liệu đến ngày 30/11")
    return client.post("/api/v1/report-request/", json=body, headers=_headers(client, username))


def _ids(app, *codes):
    with app.app_context():
        return [agency_id(c) for c in codes]


def test_three_agencies_asked_by_working_days_each_get_the_due_date_and_their_heads_are_told(client, app):
    stc, snv, commune = _ids(app, "STC", "SNV", "22366")
    answer = _ask(client, agency_ids=[stc, snv, commune], due_working_days=3)
    assert answer.status_code == 201
    result = answer.get_json()["result"]
    with app.app_context():
        expected = current_calendar().add_working_days(today(), 3).isoformat()
        heads = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "report_request")))
        assert heads == {user("stc_head").id, user("snv_head").id, user("nhatrang_chair").id}  # not staff
    assert result["due_on"] == expected
    assert sorted(a["agency_id"] for a in result["answers"]) == sorted([stc, snv, commune])
    assert {a["due_on"] for a in result["answers"]} == {expected}
    assert {a["status"] for a in result["answers"]} == {"pending"}


def test_all_communes_means_every_active_commune_ward_and_special_zone(client, app):
    answer = _ask(client, scope="communes", due_on=(today() + dt.timedelta(days=10)).isoformat())
    assert answer.status_code == 201
    with app.app_context():
        communes = db.session.scalar(select(func.count(Agency.id)).where(
            Agency.active.is_(True), Agency.kind.in_(["commune", "ward", "special_zone"])))
        asked = db.session.scalar(select(func.count(ReportAnswer.id)))
    assert asked == communes and communes > 60


def test_bad_requests_are_refused_with_the_field_named_and_nothing_sent(client, app):
    stc, = _ids(app, "STC")
    cases = [
        ({"agency_ids": [stc]}, "due_on"),  # no due date
        ({"agency_ids": [stc], "due_on": today().isoformat()}, "due_on"),  # not after today
        ({"agency_ids": [stc], "due_working_days": 0}, "due_working_days"),
        ({"agency_ids": [999999], "due_working_days": 2}, "agency_ids"),
        ({"scope": "everyone", "due_working_days": 2}, "scope"),
        ({"agency_ids": [stc], "due_working_days": 2, "subject": ""}, "subject"),
        ({"agency_ids": [stc], "due_on": "2026-13-01"}, "due_on"),
        ({"agency_ids": [stc], "due_on": "9999-12-31"}, "due_on"),
    ]
    for body, field in cases:
        answer = _ask(client, **body)
        assert answer.status_code == 422, body
        assert field in answer.get_json().get("errors", {}), (body, answer.get_json())
    assert _ask(client, "stc_head", agency_ids=[stc], due_working_days=2).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportAnswer.id))) == 0


def test_staff_draft_the_head_submits_once_and_the_office_sees_who_answered(client, app):
    stc, snv, commune = _ids(app, "STC", "SNV", "22366")
    request_id = _ask(client, agency_ids=[stc, snv, commune], due_working_days=3).get_json()["id"]
    url = f"/api/v1/report-request/{request_id}/answer"
    draft = client.post(url, json={"body": "Dự thảo số liệu"}, headers=_headers(client, "stc_staff"))
    assert draft.status_code == 200 and draft.get_json()["result"]["status"] == "draft"
    assert client.post(url, json={"body": "x", "submit": True},
                       headers=_headers(client, "stc_staff")).status_code == 403
    assert client.post(url, json={"body": "x"}, headers=_headers(client, "officer")).status_code == 403
    assert client.post(url, json={"body": "x"}, headers=_headers(client, "wg_member")).status_code in (403, 404)
    data = {"body": "Đã giải ngân 85%", "submit": "1",
            "files": (io.BytesIO(b"%PDF-1.4 bao cao"), "Báo cáo STC.pdf")}
    sent = client.post(url, data=data, content_type="multipart/form-data", headers=_headers(client, "stc_head"))
    assert sent.status_code == 200 and sent.get_json()["result"]["state"] == "on_time"
    again = client.post(url, json={"body": "Sửa lại", "submit": True}, headers=_headers(client, "stc_head"))
    assert again.status_code == 409
    office = client.get(f"/api/v1/report-request/{request_id}", headers=_headers(client, "officer")).get_json()
    states = {a["agency_id"]: (a["state"], a["late"]) for a in office["result"]["answers"]}
    assert states == {stc: ("on_time", False), snv: ("not_yet", False), commune: ("not_yet", False)}
    # The Office's page: one on time, two not yet.
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    page = client.get(f"/report-requests/show/{request_id}").get_data(as_text=True)
    assert page.count("answer-not_yet") == 2
    assert page.count("answer-on_time") == 1 and "Đã giải ngân 85%" in page


def test_an_agency_sees_only_its_own_answer_on_every_surface_in_both_orders(client, app):
    stc, snv = _ids(app, "STC", "SNV")
    request_id = _ask(client, agency_ids=[stc, snv], due_working_days=3).get_json()["id"]
    url = f"/api/v1/report-request/{request_id}/answer"
    for head, text, name in (("stc_head", "Bí mật của STC", "stc.pdf"), ("snv_head", "Bí mật của SNV", "snv.pdf")):
        client.post(url, data={"body": text, "submit": "1", "files": (io.BytesIO(b"%PDF-1.4 " + text.encode()), name)},
                    content_type="multipart/form-data", headers=_headers(client, head))
    for me, other, mine_text, other_text in (("stc_head", snv, "Bí mật của STC", "Bí mật của SNV"),
                                             ("snv_head", stc, "Bí mật của SNV", "Bí mật của STC")):
        seen = client.get(f"/api/v1/report-request/{request_id}", headers=_headers(client, me)).get_json()
        assert [a["body"] for a in seen["result"]["answers"]] == [mine_text]
        assert other not in [a["agency_id"] for a in seen["result"]["answers"]]
        listed = client.get("/api/v1/report-request/", headers=_headers(client, me)).get_json()
        assert listed["ids"] == [request_id] and len(listed["result"][0]["answers"]) == 1
        client.post("/login/", data={"username": me, "password": PASSWORD})
        page = client.get(f"/report-requests/show/{request_id}").get_data(as_text=True)
        assert mine_text in page and other_text not in page
        with app.app_context():
            from app.models_direction import DirectionFile

            files = {f.filename: f.id for f in db.session.scalars(select(DirectionFile))}
        mine, theirs = (files["stc.pdf"], files["snv.pdf"]) if me == "stc_head" else (files["snv.pdf"], files["stc.pdf"])
        assert client.get(f"/report-requests/file/{mine}").status_code == 200
        assert client.get(f"/report-requests/file/{theirs}").status_code == 404
        assert client.get(f"/report-requests/download/{request_id}").status_code in (403, 404)
        client.get("/logout/")
    # An agency not asked sees no request at all.
    assert client.get(f"/api/v1/report-request/{request_id}",
                      headers=_headers(client, "nhatrang_chair")).status_code == 404
    assert client.get("/api/v1/report-request/", headers=_headers(client, "nhatrang_chair")).get_json()["count"] == 0


def test_the_office_downloads_every_answer_as_a_zip_with_an_xlsx_of_who_and_when(client, app):
    stc, snv = _ids(app, "STC", "SNV")
    request_id = _ask(client, agency_ids=[stc, snv], due_working_days=3).get_json()["id"]
    client.post(f"/api/v1/report-request/{request_id}/answer",
                data={"body": "=HYPERLINK(\"http://x\")", "submit": "1",
                      "files": (io.BytesIO(b"%PDF-1.4 so lieu"), "Số liệu.pdf")},
                content_type="multipart/form-data", headers=_headers(client, "stc_head"))
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    answer = client.get(f"/report-requests/download/{request_id}")
    assert answer.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(answer.data))
    names = archive.namelist()
    assert any(n.endswith("Số liệu.pdf") for n in names) and "tong-hop.xlsx" in names
    sheet = load_workbook(io.BytesIO(archive.read("tong-hop.xlsx"))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    by_agency = {r[1]: r for r in rows}
    with app.app_context():
        stc_name, snv_name = db.session.get(Agency, stc).name, db.session.get(Agency, snv).name
    assert by_agency[stc_name][3] == "Đã trả lời đúng hạn" and by_agency[stc_name][7] == "=HYPERLINK(\"http://x\")"
    assert sheet.cell(row=4 + rows.index(by_agency[stc_name]), column=8).data_type == "s"  # text, not a formula
    assert by_agency[snv_name][3] == "Chưa trả lời" and by_agency[snv_name][4] in (None, "")


def test_the_late_are_reminded_once_a_day_by_the_button_and_the_sweep(client, app):
    stc, snv = _ids(app, "STC", "SNV")
    request_id = _ask(client, agency_ids=[stc, snv], due_working_days=1).get_json()["id"]
    with app.app_context():
        from app.services.report_requests import remind_late

        # Nobody is late yet.
        assert remind_late(today()) == 0
        later = current_calendar().add_working_days(today(), 3)
        assert remind_late(later) == 2  # stc_head, snv_head
        assert remind_late(later) == 0  # the same day again: nothing twice
    client.post(f"/api/v1/report-request/{request_id}/answer", json={"body": "Xong", "submit": True},
                headers=_headers(client, "stc_head"))
    with app.app_context():
        assert remind_late(later + dt.timedelta(days=1)) == 1  # only SNV still owes it
    # The button: nobody is past due today, so nobody is reminded; staff may not press it.
    assert client.post(f"/api/v1/report-request/{request_id}/remind",
                       headers=_headers(client, "officer")).get_json()["reminded"] == 0
    assert client.post(f"/api/v1/report-request/{request_id}/remind",
                       headers=_headers(client, "stc_head")).status_code == 403


def test_a_late_answer_lowers_the_reporting_share_of_the_evaluation(app, client, make_document):
    from app.domain.periods import period_containing, previous
    from app.models import Evaluation
    from app.models_direction import ReportRequest
    from app.services.evaluation import evaluate

    period = previous(period_containing("monthly", today()))
    start = period.start
    past = start + dt.timedelta(days=2)
    make_document([{"lead": "STC", "deadline": past}, {"lead": "SNV", "deadline": past}],
                  issued_on=start - dt.timedelta(days=20))
    with app.test_request_context():
        stc, snv = agency_id("STC"), agency_id("SNV")
        req = ReportRequest(subject="Đột xuất", body="x", scope="chosen", sent_on=start, due_on=past,
                            created_at=dt.datetime.combine(start, dt.time(8)))
        db.session.add(req)
        db.session.flush()
        late_at = dt.datetime.combine(past + dt.timedelta(days=1), dt.time(9))
        db.session.add_all([
            ReportAnswer(request_id=req.id, agency_id=stc, due_on=past, status="submitted", body="a",
                         submitted_at=dt.datetime.combine(past, dt.time(9)), late=False),
            ReportAnswer(request_id=req.id, agency_id=snv, due_on=past, status="submitted", body="b",
                         submitted_at=late_at, late=True)])
        db.session.commit()
        evaluate(period)
        scores = dict(db.session.execute(select(Evaluation.agency_id, Evaluation.score)).all())
    # Same tasks, same (missing) periodic report: only the ad-hoc answer differs — 0.5 vs 0 of 20 points.
    assert scores[stc] - scores[snv] == 10.0
    # The published page shows what the score counted, so it can be checked by hand.
    client.post("/login/", data={"username": "stc_head", "password": PASSWORD})
    page = client.get(f"/evaluation/?period={period.label}").get_data(as_text=True)
    assert "đột xuất: 1/1 đúng hạn" in page and "đột xuất: 0/1 đúng hạn" in page


def test_a_stale_draft_or_a_second_submission_is_refused_and_changes_nothing(client, app):
    stc, = _ids(app, "STC")
    request_id = _ask(client, agency_ids=[stc], due_working_days=3).get_json()["id"]
    url = f"/api/v1/report-request/{request_id}/answer"
    first = client.post(url, json={"body": "Bản 1", "submit": False, "version": 1}, headers=_headers(client, "stc_staff"))
    assert first.get_json()["result"]["version"] == 2
    stale = client.post(url, json={"body": "Bản cũ", "submit": True, "version": 1}, headers=_headers(client, "stc_head"))
    assert stale.status_code == 409 and "Tải lại trang" in stale.get_json()["message"]
    assert client.post(url, json={"body": "", "submit": True}, headers=_headers(client, "stc_head")).status_code == 422
    with app.app_context():
        answer = db.session.scalar(select(ReportAnswer))
        assert (answer.status, answer.body) == ("draft", "Bản 1")


def test_the_request_form_sent_twice_sends_one_request(client, app):
    import re

    from app.models_direction import ReportRequest

    stc, = _ids(app, "STC")
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    form = client.get("/report-requests/new").get_data(as_text=True)
    token = re.search(r'name="once_token" value="([0-9a-f]{32})"', form).group(1)
    data = {"subject": "Báo cáo nhanh thiệt hại do bão", "body": "Số liệu đến 17 giờ", "scope": "chosen",
            "agency_ids": str(stc), "due_mode": "days", "due_working_days": "1", "once_token": token}
    first = client.post("/report-requests/new", data=data)
    second = client.post("/report-requests/new", data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(ReportRequest.id))) == 1


def test_fields_of_the_wrong_type_are_refused_naming_the_field(client, app):
    stc, = _ids(app, "STC")
    for body, field in (({"subject": 123}, "subject"), ({"body": ["x"]}, "body"), ({"scope": 5}, "scope"),
                        ({"agency_ids": "1,2"}, "agency_ids"), ({"due_working_days": True}, "due_working_days")):
        data = {"agency_ids": [stc], "due_working_days": 2, **body}
        answer = _ask(client, **data)
        assert answer.status_code == 422 and field in answer.get_json()["errors"], (body, answer.get_json())
    request_id = _ask(client, agency_ids=[stc], due_working_days=2).get_json()["id"]
    url = f"/api/v1/report-request/{request_id}/answer"
    for body, field in (({"body": 5, "submit": True}, "body"), ({"body": "x", "submit": 3}, "submit")):
        answer = client.post(url, json=body, headers=_headers(client, "stc_head"))
        assert answer.status_code == 422 and field in answer.get_json()["errors"], answer.get_json()


def test_a_download_above_the_configured_size_is_refused_with_a_vietnamese_message(client, app):
    """The ZIP of every answer is bounded (REPORT_ZIP_MAX_BYTES): above it the Office is told
    in Vietnamese, on the request's page, and nothing is read; at or below it the archive comes."""
    stc, snv = _ids(app, "STC", "SNV")
    request_id = _ask(client, agency_ids=[stc, snv], due_working_days=3).get_json()["id"]
    payload = b"%PDF-1.4 " + b"so lieu " * 4000  # ~32 KB
    client.post(f"/api/v1/report-request/{request_id}/answer",
                data={"body": "Báo cáo", "submit": "1", "files": (io.BytesIO(payload), "Số liệu.pdf")},
                content_type="multipart/form-data", headers=_headers(client, "stc_head"))
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    limit = app.config["REPORT_ZIP_MAX_BYTES"]
    try:
        app.config["REPORT_ZIP_MAX_BYTES"] = len(payload) - 1
        refused = client.get(f"/report-requests/download/{request_id}")
        assert refused.status_code == 302 and refused.headers["Location"].endswith(f"/report-requests/show/{request_id}")
        page = client.get(refused.headers["Location"]).get_data(as_text=True)
        assert "vượt mức" in page and "cho một lần tải về" in page
        assert "Open each agency" not in page  # Vietnamese, not the msgid
        app.config["REPORT_ZIP_MAX_BYTES"] = len(payload)
        answer = client.get(f"/report-requests/download/{request_id}")
        assert answer.status_code == 200 and answer.mimetype == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(answer.data))
        assert any(n.endswith("Số liệu.pdf") for n in archive.namelist())
        assert archive.read(next(n for n in archive.namelist() if n.endswith(".pdf"))) == payload
    finally:
        app.config["REPORT_ZIP_MAX_BYTES"] = limit
