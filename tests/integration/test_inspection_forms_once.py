"""The inspection chapter's creating forms sent twice — a double click, the browser's "resend" —
create once, like every other creating form (app/form_tokens.py): the draft decision, a step of
the group's plan (a request, an invitation), a finding, a line of the year's plan."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.integration.inspection_helpers import agency_id, ids, running, vn_today  # noqa: F401
from tests.integration.test_inspections_views import _form

TOKEN = re.compile(r'name="once_token" value="([0-9a-f]{32})"')


def _token(client, url, form_id):
    html = client.get(url).get_data(as_text=True)
    form = html[html.index(f'id="{form_id}"'):]
    found = TOKEN.search(form[:form.index("</form>")])
    assert found, f"{form_id} carries a one-time token"
    return found.group(1)


def _count(app, model, **where):
    from app.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))


def _twice(client, url, data):
    first = client.post(url, data=data)
    again = client.post(url, data=data)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert "không tạo thêm lần thứ hai" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_the_draft_decision_sent_twice_is_saved_once(app, client, auth, ids):  # noqa: F811
    from app.models import Inspection

    auth.login("officer")
    token = _token(client, "/inspections/add", "inspection-form")
    _twice(client, "/inspections/add", {**_form(), "once_token": token})
    assert _count(app, Inspection) == 1


def test_a_request_and_a_finding_sent_twice_are_recorded_once(app, client, auth, ids):  # noqa: F811
    from app.models import InspectionFinding, InspectionStep

    inspection_id = running(client)
    show = f"/inspections/show/{inspection_id}"
    auth.login("snv_head")
    token = _token(client, show, "step-form")
    _twice(client, f"/inspections/step/{inspection_id}", {
        "kind": "request", "agency_id": agency_id("STC"), "on_date": vn_today().isoformat(),
        "body": "Báo cáo tình hình", "once_token": token})
    assert _count(app, InspectionStep, inspection_id=inspection_id) == 1

    auth.login("wg_member")
    token = _token(client, show, "finding-form")
    _twice(client, f"/inspections/finding/{inspection_id}", {
        "agency_id": agency_id("STC"), "assessment": "Chưa kịp thời", "conclusion": "Chậm",
        "recommendations": "", "once_token": token})
    assert _count(app, InspectionFinding, inspection_id=inspection_id) == 1


def test_a_line_of_the_years_plan_sent_twice_is_added_once(app, client, auth, ids):  # noqa: F811
    from app.models import InspectionPlanItem

    year = vn_today().year
    auth.login("officer")
    token = _token(client, f"/inspections/plan/{year}", "plan-item-form")
    _twice(client, f"/inspections/plan/{year}/item", {
        "agency_ids": [str(agency_id("STC"))], "content": "Kiểm tra việc cập nhật", "form": "periodic",
        "month": "6", "once_token": token})
    assert _count(app, InspectionPlanItem) == 1
