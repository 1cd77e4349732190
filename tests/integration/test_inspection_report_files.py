"""The inspected agency's report WITH FILES (Art. 16.3): staff attach several files to the draft, the
head submits (with files too); the files are listed on the report and downloadable only by those who
may read it — the agency itself, the Working Group of that inspection until its result report, the
Office and the Chairman — never by another agency (not even one inspected by the same decision) or a
member of another inspection, whichever of them asks first; a file is served only while its bytes
match its record; removed only from a draft; a bad upload writes nothing and names the file."""
from __future__ import annotations

import datetime as dt
import io
import os
import re

from sqlalchemy import func, select

from tests.integration.inspection_helpers import agency_id, create, ids, issue, running, user, vn_today  # noqa: F401

PDF = b"%PDF-1.4\n% bien ban lam viec\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
XLSX = b"PK\x03\x04" + b"so lieu" * 20


def _upload(client, inspection_id, files, body="Sở đã triển khai các nhiệm vụ được giao", submit="0", **extra):
    data = {"body": body, "submit": submit, "files": [(io.BytesIO(data), name) for name, data in files], **extra}
    return client.post(f"/inspections/agency-report/{inspection_id}", data=data, content_type="multipart/form-data")


def _files(app):
    from app.extensions import db
    from app.models import InspectionReportFile

    with app.app_context():
        return [(f.id, f.filename, f.agency_id, f.size, f.sha256, f.stored_name)
                for f in db.session.scalars(select(InspectionReportFile).order_by(InspectionReportFile.id))]


def _stored(app):
    return sorted(os.listdir(app.config["UPLOAD_FOLDER"]))


def _download(client, file_id):
    return client.get(f"/inspections/agency-report-file/{file_id}")


def test_staff_attach_the_head_submits_the_group_the_office_and_the_chairman_download(app, client, auth, ids):
    inspection_id = running(client)
    show = f"/inspections/show/{inspection_id}"
    auth.login("stc_staff")
    page = client.get(show).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page and "multiple" in page
    answer = _upload(client, inspection_id, [("Biên bản làm việc.pdf", PDF), ("Ảnh hiện trường.png", PNG)])
    assert answer.status_code == 302
    (first, _, stc, size, digest, _), (second, *_) = _files(app)
    assert stc == agency_id("STC") and size == len(PDF) and len(digest) == 64
    page = client.get(show).get_data(as_text=True)
    assert "Biên bản làm việc.pdf" in page and "Ảnh hiện trường.png" in page
    assert f"/inspections/agency-report-file/{first}/remove" in page
    got = _download(client, first)  # the agency's own draft: its staff download it
    assert got.status_code == 200 and got.data == PDF and got.mimetype == "application/pdf"

    # Before submission the draft is the agency's own: not the group, not the Office.
    for username in ("snv_head", "wg_member", "officer", "chairman"):
        auth.login(username)
        assert _download(client, first).status_code == 404, username
        assert "Biên bản làm việc.pdf" not in client.get(show).get_data(as_text=True), username

    # The head sees the draft's files and submits, adding one more.
    auth.login("stc_head")
    assert "Biên bản làm việc.pdf" in client.get(show).get_data(as_text=True)
    answer = _upload(client, inspection_id, [("Số liệu.xlsx", XLSX)], submit="1")
    assert answer.status_code == 302
    assert [f[1] for f in _files(app)] == ["Biên bản làm việc.pdf", "Ảnh hiện trường.png", "Số liệu.xlsx"]
    page = client.get(show).get_data(as_text=True)
    assert 'id="agency-report-submitted"' in page and "Số liệu.xlsx" in page
    assert "agency-report-file/%d/remove" % first not in page  # submitted: nothing to remove any more

    for username in ("snv_head", "wg_member", "officer", "leader", "chairman"):
        auth.login(username)
        page = client.get(show).get_data(as_text=True)
        listed = page[page.index('id="agency-reports"'):]
        assert "Biên bản làm việc.pdf" in listed and "Số liệu.xlsx" in listed, username
        got = _download(client, second)
        assert got.status_code == 200 and got.data == PNG, username
        assert "attachment" in got.headers["Content-Disposition"]


def test_a_bad_file_among_good_ones_writes_nothing_and_says_which_and_why(app, client, auth, ids):
    inspection_id = running(client)
    auth.login("stc_staff")
    before = _stored(app)
    answer = _upload(client, inspection_id, [("Biên bản.pdf", PDF), ("virus.pdf", b"MZ\x90\x00 not a pdf"),
                                             ("ghi chú.txt", b"hello")], body="Báo cáo có tệp hỏng")
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Tệp virus.pdf không phải là tệp PDF hợp lệ." in text
    assert "ghi chú.txt" in text
    assert "Báo cáo có tệp hỏng" in text  # what was typed is kept on the page
    from app.extensions import db
    from app.models import InspectionAgencyReport

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(InspectionAgencyReport)) == 0
    assert _files(app) == [] and _stored(app) == before  # no row, no file left on disk

    # An empty file and one over the limit, on an existing draft: the draft stays as it was.
    assert _upload(client, inspection_id, [("Biên bản.pdf", PDF)], body="Bản nháp 1").status_code == 302
    app.config["MAX_ATTACHMENT_BYTES"], limit = 1024 * 1024, app.config["MAX_ATTACHMENT_BYTES"]
    try:
        answer = _upload(client, inspection_id, [("trống.pdf", b""), ("lớn.pdf", b"%PDF" + b"0" * (1024 * 1024))],
                         body="Bản nháp 2")
    finally:
        app.config["MAX_ATTACHMENT_BYTES"] = limit
    text = answer.get_data(as_text=True)
    assert answer.status_code == 422 and "trống.pdf" in text and "lớn.pdf" in text
    with app.app_context():
        assert db.session.scalar(select(InspectionAgencyReport.body)) == "Bản nháp 1"
    assert [f[1] for f in _files(app)] == ["Biên bản.pdf"] and len(_stored(app)) == len(before) + 1


def test_another_agency_and_a_member_of_another_inspection_never_get_a_file_in_either_order(
        app, client, auth, ids):
    # Two agencies inspected by the same decision; another inspection whose leader is wg_member.
    inspection_id = running(client, inspected_agency_ids=[agency_id("STC"), agency_id("22366")], member_ids=[])
    other = create(client, inspected_agency_ids=[agency_id("SNV")], leader_id=user("wg_member").id, member_ids=[])
    issue(client, other, number="16/QĐ-UBND")
    auth.login("stc_head")
    assert _upload(client, inspection_id, [("Hồ sơ STC.pdf", PDF)], submit="1").status_code == 302
    [(file_id, *_)] = _files(app)

    outsiders = ("nhatrang_chair", "wg_member")  # inspected by the same decision; a member of another
    insiders = ("snv_head", "officer")  # the leader of this inspection; the Office
    for order in (outsiders + insiders, insiders + outsiders, tuple(reversed(outsiders + insiders))):
        for username in order:
            auth.login(username)
            got = _download(client, file_id)
            if username in outsiders:
                assert got.status_code == 404 and got.data != PDF, (order, username)
                assert "Hồ sơ STC.pdf" not in client.get(f"/inspections/show/{other}").get_data(as_text=True)
            else:
                assert got.status_code == 200 and got.data == PDF, (order, username)
    # Ids guessed around it, and nonsense, answer 404 alike.
    auth.login("nhatrang_chair")
    for guess in (file_id + 1, file_id - 1, 0, 99999999):
        assert _download(client, guess).status_code == 404
    assert client.get("/inspections/agency-report-file/abc").status_code == 404
    # The commune's own report is its own: STC's head does not get it either.
    assert _upload(client, inspection_id, [("Hồ sơ xã.pdf", PNG[:0] + PDF)]).status_code == 302
    commune_file = _files(app)[-1][0]
    auth.login("stc_head")
    assert _download(client, commune_file).status_code == 404
    # …nor remove another agency's file.
    assert client.post(f"/inspections/agency-report-file/{commune_file}/remove").status_code == 404
    assert len(_files(app)) == 2


def test_the_group_reads_the_files_until_its_result_report_then_only_the_agency_office_and_chairman(
        app, client, auth, ids):
    inspection_id = running(client)
    auth.login("stc_head")
    assert _upload(client, inspection_id, [("Hồ sơ.pdf", PDF)], submit="1").status_code == 302
    [(file_id, *_)] = _files(app)
    auth.login("snv_head")
    assert _download(client, file_id).status_code == 200
    from app.extensions import db
    from app.models import Inspection

    with app.app_context():
        version = db.session.get(Inspection, inspection_id).version
    client.post(f"/inspections/report/{inspection_id}", data={"body": "Kết quả kiểm tra", "version": version})
    with app.app_context():
        assert db.session.get(Inspection, inspection_id).stage == "reported"
    for username, code in (("snv_head", 404), ("wg_member", 404), ("stc_head", 200), ("stc_staff", 200),
                           ("officer", 200), ("chairman", 200)):
        auth.login(username)
        assert _download(client, file_id).status_code == code, username


def test_a_file_is_served_only_while_it_matches_its_record(app, client, auth, ids):
    inspection_id = running(client)
    auth.login("stc_staff")
    _upload(client, inspection_id, [("Biên bản.pdf", PDF), ("Số liệu.xlsx", XLSX)])
    (first, _, _, _, _, stored), (second, _, _, _, _, stored_second) = _files(app)
    folder = app.config["UPLOAD_FOLDER"]
    with open(os.path.join(folder, stored), "wb") as out:  # same size, other bytes
        out.write(PDF.replace(b"bien", b"BIEN"))
    refused = _download(client, first)
    assert refused.status_code == 302 and refused.data != PDF
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Tệp Biên bản.pdf trong kho lưu trữ không còn khớp với tệp đã tải lên" in page
    os.remove(os.path.join(folder, stored_second))
    refused = _download(client, second)
    assert refused.status_code == 302
    assert "Tệp Số liệu.xlsx không còn trong kho lưu trữ" in client.get(refused.headers["Location"]).get_data(
        as_text=True)


def test_files_are_removed_only_from_a_draft_and_only_by_the_agency(app, client, auth, ids):
    inspection_id = running(client)
    auth.login("stc_staff")
    _upload(client, inspection_id, [("Bản cũ.pdf", PDF), ("Bản đúng.pdf", PDF)])
    (old, _, _, _, _, stored), (kept, *_) = _files(app)
    page = client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
    assert f"/inspections/agency-report-file/{old}/remove" in page
    text = client.post(f"/inspections/agency-report-file/{old}/remove", follow_redirects=True).get_data(as_text=True)
    assert "Đã gỡ tệp Bản cũ.pdf khỏi dự thảo." in text
    assert [f[0] for f in _files(app)] == [kept]
    assert stored not in _stored(app)
    assert _download(client, old).status_code == 404

    auth.login("officer")  # the Office reads nothing of a draft, and removes nothing
    assert client.post(f"/inspections/agency-report-file/{kept}/remove").status_code == 404

    auth.login("stc_head")
    _upload(client, inspection_id, [], submit="1")
    auth.login("stc_staff")
    text = client.post(f"/inspections/agency-report-file/{kept}/remove", follow_redirects=True).get_data(as_text=True)
    assert "Báo cáo đã được gửi: không thể gỡ tệp của báo cáo nữa." in text
    assert [f[0] for f in _files(app)] == [kept]
    # And no file joins a submitted report.
    answer = _upload(client, inspection_id, [("Muộn.pdf", PDF)])
    assert answer.status_code == 409 and [f[0] for f in _files(app)] == [kept]


def test_a_stale_draft_is_refused_and_keeps_no_file(app, client, auth, ids):
    inspection_id = running(client)
    auth.login("stc_staff")
    _upload(client, inspection_id, [], body="Bản nháp")
    from app.extensions import db
    from app.models import InspectionAgencyReport

    with app.app_context():
        version = db.session.scalar(select(InspectionAgencyReport.version))
    auth.login("stc_head")
    _upload(client, inspection_id, [], body="Thủ trưởng sửa", version=str(version))
    auth.login("stc_staff")
    before = _stored(app)
    answer = _upload(client, inspection_id, [("Biên bản.pdf", PDF)], body="Bản cũ", version=str(version))
    assert answer.status_code == 409 and "Người khác vừa lưu báo cáo của cơ quan" in answer.get_data(as_text=True)
    assert _files(app) == [] and _stored(app) == before


def test_the_groups_request_says_which_records_and_documents_it_asks_for(app, client, auth, ids):
    inspection_id = running(client)
    auth.login("snv_head")
    due = (vn_today() + dt.timedelta(days=3)).isoformat()
    client.post(f"/inspections/step/{inspection_id}", data={
        "kind": "request", "agency_id": agency_id("STC"), "on_date": due, "body": "Báo cáo tình hình thực hiện",
        "documents": "Biên bản họp giao ban quý III; bảng số liệu giải ngân"})
    auth.login("stc_staff")
    page = client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
    mine = page[page.index("my-request"):page.index('id="agency-report-form"')]
    assert "Hồ sơ, tài liệu đề nghị cung cấp" in mine and "bảng số liệu giải ngân" in mine
    from app.extensions import db
    from app.models import Notification
    from tests.conftest import user as real_user

    with app.app_context():
        told = db.session.scalar(select(Notification.message).where(
            Notification.user_id == real_user("stc_staff").id, Notification.kind == "inspection_request"))
    assert re.search("Hồ sơ, tài liệu đề nghị cung cấp: Biên bản họp giao ban", told)


def test_the_api_reads_the_report_and_its_files_under_the_same_rule(app, client, auth, ids):
    from tests.integration.inspection_helpers import headers

    inspection_id = running(client, inspected_agency_ids=[agency_id("STC"), agency_id("22366")])
    auth.login("stc_staff")
    _upload(client, inspection_id, [("Biên bản.pdf", PDF)])
    [(file_id, *_)] = _files(app)
    report = f"/api/v1/inspection/{inspection_id}/agency-report/{agency_id('STC')}"
    url = f"/api/v1/inspection/{inspection_id}/agency-report-file/{file_id}"
    own = client.get(report, headers=headers(client, "stc_head")).get_json()
    assert own["status"] == "draft" and [f["filename"] for f in own["files"]] == ["Biên bản.pdf"]
    assert own["files"][0]["url"] == url and own["files"][0]["size"] == len(PDF)
    for username in ("snv_head", "officer", "nhatrang_chair"):  # a draft: the agency's own
        assert client.get(report, headers=headers(client, username)).status_code == 404, username
        assert client.get(url, headers=headers(client, username)).status_code == 404, username
    auth.login("stc_head")
    _upload(client, inspection_id, [], submit="1")
    for username, code in (("snv_head", 200), ("chairman", 200), ("nhatrang_chair", 404), ("wg_member", 200)):
        got = client.get(url, headers=headers(client, username))
        assert got.status_code == code, username
        assert (got.data == PDF) == (code == 200)
        assert client.get(report, headers=headers(client, username)).status_code == code, username
    # The same file under another inspection's id is not found.
    other = create(client)
    assert client.get(f"/api/v1/inspection/{other}/agency-report-file/{file_id}",
                      headers=headers(client, "officer")).status_code == 404
    message = client.get(f"/api/v1/inspection/{inspection_id}/agency-report/{agency_id('22366')}",
                         headers=headers(client, "officer")).get_json()["message"]
    assert message == "Không tìm thấy báo cáo."
