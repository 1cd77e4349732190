"""The task list at scale (issue 10): the pager's total comes from the tallies
when the list is unfiltered or filtered on one status, and is exact right after
a raw write; the tracking-officer search offers the Office's officers, not
every user of the province."""
import re

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.conftest import agency_id


def _total(client, query=""):
    html = client.get(f"/tasks/list/?{query}").get_data(as_text=True)
    found = re.search(r"(?:Record Count|Số bản ghi):</strong>\s*(\d+)", html)
    return int(found.group(1)) if found else None


def test_the_pager_total_is_exact_after_raw_writes(app, client, auth, make_document):
    _doc, ids = make_document([{"lead": "STC"}, {"lead": "SNV", "coordinating": ["STC"]}, {"lead": "SNV"}])
    auth.login("stc_head")
    assert _total(client) == 2
    assert _total(client, "_flt_3_status=assigned") == 2
    auth.login("snv_head")
    assert _total(client) == 2
    with app.app_context():
        db.session.execute(text("UPDATE task SET status = 'in_progress' WHERE id = :id"), {"id": ids[1]})
        db.session.execute(text("INSERT INTO task_coordinating_agency (task_id, agency_id) VALUES (:t, :a)"),
                           {"t": ids[2], "a": agency_id("STC")})
        db.session.commit()
    auth.login("stc_head")
    assert _total(client) == 3
    assert _total(client, "_flt_3_status=assigned") == 2
    assert _total(client, "_flt_3_status=in_progress") == 1
    auth.login("officer")
    assert _total(client) == 3 and _total(client, "_flt_3_status=in_progress") == 1
    auth.login("snv_head")
    assert _total(client) == 2 and _total(client, "_flt_3_status=in_progress") == 1
    with app.app_context():
        db.session.execute(text("DELETE FROM notification WHERE task_id = :id"), {"id": ids[2]})
        db.session.execute(text("DELETE FROM task_coordinating_agency WHERE task_id = :id"), {"id": ids[2]})
        db.session.execute(text("DELETE FROM task WHERE id = :id"), {"id": ids[2]})
        db.session.commit()
    assert _total(client) == 1
    auth.login("stc_head")
    assert _total(client) == 2


def test_the_officer_search_lists_office_officers_only(app, client, auth, make_document):
    from app.services.seeding import create_user

    make_document([{"lead": "STC"}])
    with app.app_context():
        for n in range(30):
            create_user(username=f"many_staff_{n}", password="Test@2026pw", role_name="AgencyStaff",
                        agency_code="STC", full_name=f"Staff Zzmany{n:02d}")  # ASCII: the form is JSON-escaped
    auth.login("officer")
    html = client.get("/tasks/list/").get_data(as_text=True)
    assert "Test officer" in html and "Test leader" in html  # the Office's officials are offered
    assert "Zzmany" not in html  # agency staff are not
    with app.app_context():
        db.session.execute(text("DELETE FROM ab_user_role WHERE user_id IN"
                                " (SELECT id FROM ab_user WHERE username LIKE 'many_staff_%')"))
        db.session.execute(text("DELETE FROM ab_user WHERE username LIKE 'many_staff_%'"))
        db.session.commit()
