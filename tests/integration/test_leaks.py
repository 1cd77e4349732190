"""Issue 8, findings 1, 2 and 4: no number is shared between viewers of different
scope, whoever asks first, and an action checks its own permission."""
import datetime as dt

import pytest

from app.access import Viewer, scope_key
from app.services import dashboard
from tests.integration.test_task_list import _page_ids


@pytest.mark.parametrize("first, second", [("officer", "stc_head"), ("stc_head", "officer"),
                                           ("stc_head", "snv_head"), ("snv_head", "stc_head")])
def test_the_list_total_is_each_viewers_own_in_either_order(app, client, auth, make_document, first, second):
    make_document([{"lead": "STC"}, {"lead": "STC"}, {"lead": "SNV"}, {"lead": "SYT"}])
    expected = {"officer": 4, "stc_head": 2, "snv_head": 1}
    for username in (first, second, first):
        auth.login(username)
        assert _page_ids(client, "")[1] == expected[username], username


@pytest.mark.parametrize("first, second", [("officer", "stc_head"), ("stc_head", "officer")])
def test_the_excel_export_count_is_each_viewers_own(app, client, auth, make_document, first, second):
    import io

    from openpyxl import load_workbook

    make_document([{"lead": "STC"}, {"lead": "SNV"}, {"lead": "SYT"}])
    expected = {"officer": 3, "stc_head": 1}
    for username in (first, second):
        auth.login(username)
        answer = client.get("/tasks/export/")
        assert answer.status_code == 200
        rows = list(load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True))
        assert len(rows) - 1 == expected[username], username


def test_a_scope_key_never_confuses_the_office_with_agency_one():
    office = Viewer(user_id=1, roles=frozenset({"OfficeOfficial"}), agency_id=None)
    agency_one = Viewer(user_id=2, roles=frozenset({"AgencyHead"}), agency_id=1)
    nobody = Viewer(user_id=3, roles=frozenset({"AgencyHead"}), agency_id=None)
    assert len({scope_key(office), scope_key(agency_one), scope_key(nobody)}) == 3


@pytest.mark.parametrize("office_first", [True, False])
def test_the_dashboard_trend_and_counts_of_agency_one_are_its_own(app, make_document, office_first):
    """The Office and the agency with id 1 (True == 1 once made them share a key)."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import Agency

    today = dt.date.today()
    make_document([{"lead": "STC"}, {"lead": "SNV"}], issued_on=today - dt.timedelta(days=1))
    with app.test_request_context():
        first_id = db.session.scalar(select(Agency.id).order_by(Agency.id))
        code = db.session.scalar(select(Agency.code).where(Agency.id == first_id))
        make_document([{"lead": code}], issued_on=today - dt.timedelta(days=1))
        office = Viewer(user_id=None, roles=frozenset({"OfficeOfficial"}), agency_id=None)
        agency = Viewer(user_id=None, roles=frozenset({"AgencyHead"}), agency_id=first_id)
        order = [office, agency] if office_first else [agency, office]
        seen = {}
        for v in order + order:
            seen.setdefault(v, []).append((sum(r["new"] for r in dashboard.trend(v)), dashboard.counts(v)))
        assert {t for t, _ in seen[office]} == {3}
        assert {t for t, _ in seen[agency]} == {1}
        assert seen[office][0][1] != seen[agency][0][1]


def test_the_chairman_cannot_send_late_report_reminders(app, client, auth):
    auth.login("chairman")
    answer = client.post("/reports/remind/monthly/2026/11")
    assert answer.status_code in (302, 403)
    if answer.status_code == 302:  # FAB redirects a refused action to the login/index page
        assert "/reports/" not in answer.headers["Location"] or "login" in answer.headers["Location"]
    from app.extensions import db
    from app.models import Notification

    with app.app_context():
        assert db.session.query(Notification).count() == 0
    auth.login("officer")
    assert client.post("/reports/remind/monthly/2026/11").status_code in (200, 302)
