"""Review of the Excel import (issue 12): the confirming form sent twice (a double click, the
browser's "resend") imports the tasks once, like every other creating form (app/form_tokens.py)."""
from __future__ import annotations

import io
import re

from tests.integration.test_task_import import (_new_document_file, document, task_count, workbook,  # noqa: F401
                                                working_days)


def _confirm_form(client, url, data):
    html = client.post(url, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "nv.xlsx")}).get_data(as_text=True)
    assert 'id="run-import"' in html, html
    token = re.search(r'name="once_token" value="([0-9a-f]{32})"', html)
    assert token, "the confirming form carries a one-time token"
    return {"data": re.search(r'name="data" value="([^"]+)"', html).group(1), "once_token": token.group(1)}


def test_the_import_confirmed_twice_creates_the_tasks_once(app, client, auth, document):
    (day1, day2), _ = working_days(app)
    auth.login("officer")
    form = _confirm_form(client, f"/documents/{document}/import-tasks/preview", workbook([
        ["Việc A", "STC", None, day1.strftime("%d/%m/%Y"), None, None],
        ["Việc B", "SNV", None, day2.strftime("%d/%m/%Y"), None, None]]))
    before = task_count(app)
    first = client.post(f"/documents/{document}/import-tasks/import", data={**form, "send": "1"})
    assert first.status_code == 302 and task_count(app) == before + 2
    again = client.post(f"/documents/{document}/import-tasks/import", data={**form, "send": "1"})
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert task_count(app) == before + 2
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "không tạo thêm lần thứ hai" in page


def test_a_new_document_confirmed_twice_is_saved_once(app, client, auth):
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Document

    auth.login("officer")
    form = _confirm_form(client, "/documents/import-tasks/preview", _new_document_file(app))
    first = client.post("/documents/import-tasks/import", data=form)
    assert first.status_code == 302 and "/documents/show/" in first.headers["Location"]
    again = client.post("/documents/import-tasks/import", data=form)
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == 1
    assert task_count(app) == 2
