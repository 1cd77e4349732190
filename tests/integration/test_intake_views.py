"""The "Văn bản đến" pages (issue 12): upload one or many .edxml files (a report per file),
the list oldest first with the Art. 6 entry deadline and working days left, open → the
entry form pre-filled, registering links the document, dismissing; the home page count;
agencies see none of it."""
from __future__ import annotations

import io
import re

from sqlalchemy import select

from tests.conftest import agency_id
from tests.edxml_samples import message


def _upload(client, *files):
    return client.post("/incoming/upload", content_type="multipart/form-data", data={
        "files": [(io.BytesIO(data), name) for name, data in files]})


def test_the_office_uploads_several_files_and_each_is_reported(app, client, auth):
    auth.login("officer")
    page = _upload(client, ("a.edxml", message(number="101")), ("b.edxml", message(number="102", subject=None)),
                   ("c.edxml", message(number="101")))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    report = html[html.index('id="upload-report"'):html.index("</table>", html.index('id="upload-report"'))]
    assert "a.edxml" in report and "Đã nhận: văn bản số 101/VPCP-KTTH ngày 20/11/2026" in report
    assert "b.edxml" in report and "Thiếu phần tử Subject" in report
    assert "c.edxml" in report and "Gói tin này đã được nhận" in report
    assert "Đã tiếp nhận 1/3 tệp." in html


def test_the_list_shows_the_entry_deadline_and_days_left_oldest_first(app, client, auth):
    auth.login("officer")
    _upload(client, ("a.edxml", message(number="201")))
    _upload(client, ("b.edxml", message(number="202")))
    html = client.get("/incoming/list/").get_data(as_text=True)
    table = html[html.index('id="incoming-list"'):]
    assert table.index("201/VPCP-KTTH") < table.index("202/VPCP-KTTH")
    with app.app_context():
        from app.services.calendar import current_calendar, today

        due = current_calendar().add_working_days(today(), 1)
    assert due.strftime("%d/%m/%Y") in table  # Art. 6.3: one working day after receipt
    assert re.search(r"<td>1</td>", table)  # working days left
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="incoming-count">2<', home)


def test_opening_one_gives_the_entry_form_pre_filled_and_saving_registers_it(app, client, auth):
    auth.login("officer")
    _upload(client, ("a.edxml", message(due="31/12/2026")))
    with app.app_context():
        from app.extensions import db
        from app.models_intake import IncomingDocument

        intake_id = db.session.scalar(select(IncomingDocument.id))
    shown = client.get(f"/incoming/show/{intake_id}").get_data(as_text=True)
    assert "cong-van.pdf" in shown and f"/incoming/register/{intake_id}" in shown
    form = client.get(f"/incoming/register/{intake_id}").get_data(as_text=True)
    assert 'value="2491/VPCP-KTTH"' in form and 'value="20/11/2026"' in form
    assert "V/v triển khai các giải pháp" in form and 'value="Trần Văn Sơn"' in form
    assert re.search(r'<option selected value="higher_authority">', form)
    assert 'value="Văn phòng Chính phủ"' in form
    assert 'value="31/12/2026"' in form  # the message's due date as the first task's deadline

    saved = client.post(f"/incoming/register/{intake_id}", data={
        "doc_type": "official_letter", "number": "2491/VPCP-KTTH", "issued_on": "2026-11-20",
        "signer": "Trần Văn Sơn", "summary": "V/v triển khai các giải pháp", "issuer": "higher_authority",
        "issuer_name": "Văn phòng Chính phủ", "received_on": "2026-11-21", "urgency": "normal",
        "secrecy": "none", "source": "ad_hoc", "send_now": "y",
        "tasks-0-content": "Rà soát danh mục", "tasks-0-lead_agency_id": str(agency_id_in(app, "STC")),
        "tasks-0-deadline": "2026-12-31",
        "tasks-1-content": "Đôn đốc thi công", "tasks-1-lead_agency_id": str(agency_id_in(app, "SXD")),
        "tasks-1-deadline": "2026-12-20"})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    document_page = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Rà soát danh mục" in document_page and "Đôn đốc thi công" in document_page
    assert "cong-van.pdf" in document_page and "Nhận từ hệ thống quản lý văn bản" in document_page
    again = client.get(f"/incoming/register/{intake_id}")
    assert again.status_code == 302 and "/documents/show/" in again.headers["Location"]
    assert re.search(r'id="incoming-count">0<', client.get("/").get_data(as_text=True))


def agency_id_in(app, code):
    with app.app_context():
        return agency_id(code)


def test_dismissing_from_the_page(app, client, auth):
    auth.login("officer")
    _upload(client, ("a.edxml", message()))
    with app.app_context():
        from app.extensions import db
        from app.models_intake import IncomingDocument

        intake_id = db.session.scalar(select(IncomingDocument.id))
    refused = client.post(f"/incoming/dismiss/{intake_id}", data={"reason": ""}, follow_redirects=True)
    assert "Ghi rõ lý do" in refused.get_data(as_text=True)
    done = client.post(f"/incoming/dismiss/{intake_id}", data={"reason": "Không phải văn bản chỉ đạo"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Văn bản số 2491/VPCP-KTTH không được nhập; chỉ giữ lại số, ngày và lý do." in done
    shown = client.get(f"/incoming/show/{intake_id}").get_data(as_text=True)
    assert "Không phải văn bản chỉ đạo" in shown and "V/v triển khai" not in shown


def test_agencies_see_no_incoming_document_and_no_count(app, client, auth):
    auth.login("officer")
    _upload(client, ("a.edxml", message()))
    auth.login("stc_head")
    assert client.get("/incoming/list/").status_code in (302, 403)
    assert client.post("/incoming/upload", data={}).status_code in (302, 403)
    assert 'id="incoming-count"' not in client.get("/").get_data(as_text=True)


def test_absurd_pages_and_ids_answer_without_error(app, client, auth):
    auth.login("officer")
    assert client.get("/incoming/list/?page=99999999999999999999999").status_code == 200
    assert client.get("/incoming/list/?page=abc").status_code == 200
    assert client.get("/incoming/show/99999999999").status_code == 404
    assert client.get("/incoming/show/12345").status_code == 404
    assert client.get("/incoming/register/12345").status_code == 404
