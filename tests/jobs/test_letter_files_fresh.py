"""Issue 8, finding 14: a generated file always matches the record it renders.

Letters edited or issued while the job queue is down used to keep their old
files: the PDF kept the old body, and an issued letter reached the agency with
no number on its "Số:" line. The files carry the fingerprint of what they
render; a stale or missing file is rendered on demand, and the sweep's
catch-up re-renders every stale file, not only missing ones."""
import datetime as dt
import io
import unicodedata

import pytest
from docx import Document as Docx
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import PeriodicReport, Task, UrgingLetter
from app.services.calendar import today
from tests.conftest import PASSWORD, agency_id, user

QUEUE_DOWN = "redis://127.0.0.1:1/0"  # nothing listens there: every enqueue fails


def _pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def _docx_text(data: bytes) -> str:
    document = Docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return unicodedata.normalize("NFC", " ".join(" ".join(parts).split()))


@pytest.fixture
def queue_down(app):
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = QUEUE_DOWN
    yield
    app.config["REDIS_URL"] = saved


@pytest.fixture
def rendered_letter(app, make_document):
    """A draft letter to Sở Tài chính, rendered while the queue still worked."""
    from app.access import viewer_for
    from app.services import letters

    past = today() - dt.timedelta(days=20)
    _, ids = make_document([{"lead": "STC", "content": "Rà soát danh mục dự án chậm giải ngân", "deadline": past}],
                           issued_on=past - dt.timedelta(days=30))
    with app.test_request_context():
        letter = letters.draft_letter(agency_id("STC"), ids, viewer=viewer_for(user("officer")), batch_key="fresh")
        letters.render_files(letter.id)
        return letter.id, ids[0]


def _office(app):
    client = app.test_client()
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    return client


def _version(app, letter_id):
    with app.app_context():
        return db.session.get(UrgingLetter, letter_id).version


def test_a_letter_edited_while_the_queue_is_down_serves_its_new_body(app, rendered_letter, queue_down):
    letter_id, _ = rendered_letter
    office = _office(app)
    old = _pdf_text(office.get(f"/letters/file/{letter_id}/pdf").data)
    assert "Nội dung sửa khi hàng đợi ngừng" not in old
    answer = office.post(f"/letters/show/{letter_id}", data={
        "version": _version(app, letter_id), "summary": "V/v đôn đốc thực hiện nhiệm vụ được giao",
        "body": "Đoạn mở đầu.\r\n\r\nNội dung sửa khi hàng đợi ngừng hoạt động.",
        "signer_authority": "KT. CHÁNH VĂN PHÒNG", "signer_position": "PHÓ CHÁNH VĂN PHÒNG",
        "signer_name": "Nguyễn Văn Ký"})
    assert answer.status_code == 302
    pdf = office.get(f"/letters/file/{letter_id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = _pdf_text(pdf.data)
    assert "Nội dung sửa khi hàng đợi ngừng hoạt động." in text and "Nguyễn Văn Ký" in text
    docx = office.get(f"/letters/file/{letter_id}/docx")
    assert docx.status_code == 200
    assert "Nội dung sửa khi hàng đợi ngừng hoạt động." in _docx_text(docx.data)
    # The page links the files at once: nothing is "being prepared".
    page = office.get(f"/letters/show/{letter_id}").get_data(as_text=True)
    assert 'id="letter-pdf"' in page


def test_a_letter_issued_while_the_queue_is_down_reaches_the_agency_with_its_number(
        app, client, rendered_letter, queue_down):
    letter_id, _ = rendered_letter
    office = _office(app)
    with app.app_context():
        letter = db.session.get(UrgingLetter, letter_id)
        letter.signer_name = "Nguyễn Văn Ký"
        db.session.commit()
    answer = office.post(f"/letters/show/{letter_id}", data={
        "version": _version(app, letter_id), "issue": "1", "number": "777/VP-TH"})
    assert answer.status_code == 302
    token = client.post("/api/v1/security/login", json={
        "username": "stc_head", "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    pdf = client.get(f"/api/v1/urging-letter/{letter_id}/pdf", headers=headers)
    assert pdf.status_code == 200, pdf.get_data(as_text=True)
    assert "Số: 777/VP-TH" in _pdf_text(pdf.data)
    docx = client.get(f"/api/v1/urging-letter/{letter_id}/docx", headers=headers)
    assert docx.status_code == 200 and "777/VP-TH" in _docx_text(docx.data)
    agency = app.test_client()
    agency.post("/login/", data={"username": "stc_head", "password": PASSWORD})
    assert "777/VP-TH" in _pdf_text(agency.get(f"/letters/file/{letter_id}/pdf").data)


def test_a_letter_never_rendered_is_rendered_when_first_asked_for(app, make_document, queue_down):
    from app.access import viewer_for
    from app.services import letters

    past = today() - dt.timedelta(days=20)
    _, ids = make_document([{"lead": "STC", "content": "Nhiệm vụ chưa có tệp", "deadline": past}],
                           issued_on=past - dt.timedelta(days=30))
    with app.test_request_context():
        letter_id = letters.draft_letter(agency_id("STC"), ids, viewer=viewer_for(user("officer")),
                                         batch_key="never").id
    pdf = _office(app).get(f"/letters/file/{letter_id}/pdf")
    assert pdf.status_code == 200 and "Nhiệm vụ chưa có tệp" in _pdf_text(pdf.data)


def test_the_sweep_catch_up_re_renders_every_stale_file_not_only_missing_ones(app, rendered_letter, queue_down):
    from app.services.letters import render_stale

    letter_id, task_id = rendered_letter
    with app.app_context():
        assert render_stale() == 0  # fresh files are left alone
        before = db.session.get(UrgingLetter, letter_id).pdf_name
        task = db.session.get(Task, task_id)
        task.content = "Nội dung nhiệm vụ đã được đính chính"
        db.session.commit()
        assert render_stale() == 1
        letter = db.session.get(UrgingLetter, letter_id)
        assert letter.pdf_name != before
        import os

        with open(os.path.join(app.config["UPLOAD_FOLDER"], "letters", letter.pdf_name), "rb") as stored:
            assert "Nội dung nhiệm vụ đã được đính chính" in _pdf_text(stored.read())
        assert render_stale() == 0


def test_a_periodic_report_file_always_shows_the_report_as_it_stands(app, make_document, queue_down):
    """Periodic and consolidated report files are rendered from the record on every request."""
    from app.access import viewer_for
    from app.domain.periods import period_containing
    from app.services import reports

    make_document([{"lead": "STC", "content": "Nhiệm vụ trong kỳ"}])
    with app.test_request_context():
        period = period_containing("monthly", today())
        report = reports.report_for(agency_id("STC"), period)
        report.section_4 = "Kiến nghị bổ sung kinh phí lần một."
        db.session.commit()
        report_id = report.id
    staff = app.test_client()
    staff.post("/login/", data={"username": "stc_head", "password": PASSWORD})
    assert "lần một" in _pdf_text(staff.get(f"/reports/file/{report_id}/pdf").data)
    with app.app_context():
        db.session.get(PeriodicReport, report_id).section_4 = "Kiến nghị bổ sung kinh phí lần hai."
        db.session.commit()
    assert "lần hai" in _pdf_text(staff.get(f"/reports/file/{report_id}/pdf").data)
    assert "lần hai" in _docx_text(staff.get(f"/reports/file/{report_id}/docx").data)


def test_the_sweep_removes_old_files_no_letter_points_at(app, rendered_letter, queue_down):
    """A worker killed mid-letter leaves the files of a render whose transaction never committed."""
    import os
    import time

    from app.services.letters import remove_orphan_files

    letter_id, _ = rendered_letter
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "letters")
    old_orphan, fresh_orphan = os.path.join(folder, "0" * 32 + ".pdf"), os.path.join(folder, "1" * 32 + ".pdf")
    for path in (old_orphan, fresh_orphan):
        with open(path, "wb") as out:
            out.write(b"%PDF-1.7 half")
    two_hours_ago = time.time() - 7200
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    with app.app_context():
        letter = db.session.get(UrgingLetter, letter_id)
        for name in (letter.pdf_name, letter.docx_name):  # the letter's own files, however old
            os.utime(os.path.join(folder, name), (two_hours_ago, two_hours_ago))
        assert remove_orphan_files() >= 1  # (older tests of the session may have left their own)
        assert not os.path.exists(old_orphan) and os.path.exists(fresh_orphan)
        assert all(os.path.exists(os.path.join(folder, n)) for n in (letter.pdf_name, letter.docx_name))
    os.remove(fresh_orphan)


def test_two_readers_of_a_stale_letter_at_once_get_the_new_text_and_it_is_rendered_once(
        app, rendered_letter, queue_down):
    import os
    import threading

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("concurrent renders need PostgreSQL's row lock (CI)")
    letter_id, task_id = rendered_letter
    folder = os.path.join(app.config["UPLOAD_FOLDER"], "letters")
    with app.app_context():
        db.session.get(Task, task_id).content = "Nội dung đính chính, hai người cùng mở"
        db.session.commit()
    before = set(os.listdir(folder))
    clients = [_office(app) for _ in range(2)]
    barrier, texts = threading.Barrier(2), []

    def read(client):
        barrier.wait()
        texts.append(_pdf_text(client.get(f"/letters/file/{letter_id}/pdf").data))

    threads = [threading.Thread(target=read, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(texts) == 2 and all("hai người cùng mở" in t for t in texts)
    with app.app_context():
        letter = db.session.get(UrgingLetter, letter_id)
        assert set(os.listdir(folder)) - before == {letter.pdf_name, letter.docx_name}  # one render, no orphan
