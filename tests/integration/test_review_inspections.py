"""Review of the inspections chapter (Chương V) as an attacker and a tired official would use it:
two people acting on one draft decision at once, the Chairman issuing a draft changed after he read
it, and the row-level rule on every surface for Working Group members of two inspections."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, text

from tests.integration.inspection_helpers import (agency_id, body, create, headers, ids, issue, running,  # noqa: F401
                                                  user, vn_today)
from tests.integration.test_inspections_views import _form


def _row(app, inspection_id):
    from app.extensions import db
    from app.models import Inspection

    with app.app_context():
        row = db.session.get(Inspection, inspection_id)
        return {"stage": row.stage, "scope": row.scope, "version": row.version, "number": row.number,
                "agencies": sorted(row.inspected_ids)}


def test_an_edit_racing_the_chairmans_issue_is_a_409_not_a_500(app, client, auth, ids, monkeypatch):
    """The Office saves the draft while the Chairman issues it: the save must be refused (409, the
    Vietnamese reason), the issued decision unchanged — not a server error."""
    from app.extensions import db
    from app.services import inspections

    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "sqlite":
        pytest.skip("two connections writing at once: PostgreSQL")
    inspection_id = create(client)
    version = _row(app, inspection_id)["version"]
    real_validate = inspections._validate

    def the_chairman_issues_meanwhile(data, viewer):
        # The Chairman's issue commits after the Office's page read the draft, before its save writes.
        with db.engine.begin() as other:
            other.execute(text("UPDATE inspection SET stage = 'issued', number = '99/QĐ-UBND', "
                               "version = version + 1 WHERE id = :id"), {"id": inspection_id})
        return real_validate(data, viewer)

    monkeypatch.setattr(inspections, "_validate", the_chairman_issues_meanwhile)
    auth.login("officer")
    answer = client.post(f"/inspections/edit/{inspection_id}",
                         data=_form(scope="Sửa cùng lúc", version=str(version)), follow_redirects=True)
    assert answer.status_code == 200
    assert "Người khác" in answer.get_data(as_text=True)
    after = _row(app, inspection_id)
    assert after["stage"] == "issued" and after["scope"] != "Sửa cùng lúc"
    assert after["agencies"] == [agency_id("STC")]  # the inspected agencies were not half-replaced


def test_the_chairman_cannot_issue_a_draft_changed_after_he_read_it(app, client, auth, ids):
    inspection_id = create(client)
    client.post(f"/api/v1/inspection/{inspection_id}/submit", headers=headers(client, "officer"))
    auth.login("chairman")
    page = client.get(f"/inspections/show/{inspection_id}").get_data(as_text=True)
    read = _row(app, inspection_id)["version"]
    assert 'id="issue-form"' in page and f'name="version" value="{read}"' in page.split('id="issue-form"')[1]
    # Meanwhile the Office widens the draft to another agency.
    auth.login("officer")
    client.post(f"/inspections/edit/{inspection_id}", data=_form(
        inspected_agency_ids=[str(agency_id("STC")), str(agency_id("SNV"))], version=str(read)))
    assert _row(app, inspection_id)["agencies"] == sorted([agency_id("STC"), agency_id("SNV")])
    auth.login("chairman")
    text_ = client.post(f"/inspections/issue/{inspection_id}", data={"number": "77/QĐ-UBND", "version": str(read)},
                        follow_redirects=True).get_data(as_text=True)
    assert "tải lại" in text_.lower()
    assert _row(app, inspection_id)["stage"] == "draft"
    # The API too: the version read is checked when given.
    answer = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": "77/QĐ-UBND", "version": read},
                         headers=headers(client, "chairman"))
    assert answer.status_code == 409, answer.get_json()
    assert _row(app, inspection_id)["stage"] == "draft"
    current = _row(app, inspection_id)["version"]
    answer = client.post(f"/api/v1/inspection/{inspection_id}/issue",
                         json={"number": "77/QĐ-UBND", "version": current}, headers=headers(client, "chairman"))
    assert answer.status_code == 200, answer.get_json()


@pytest.mark.parametrize("office_first", [True, False])
def test_the_one_click_draft_counts_only_the_overdue_tasks_the_drafter_may_see(client, auth, ids, make_document,
                                                                             office_first):
    """An agency's staff may draft its own inspection (Art. 13.2), but /inspections/add?agency_id=<another>
    must not tell it how many overdue tasks another agency has (the row-level rule, SPEC §1)."""
    past = vn_today() - dt.timedelta(days=40)
    make_document([{"lead": "SNV", "deadline": past + dt.timedelta(days=5)},
                   {"lead": "SNV", "deadline": past + dt.timedelta(days=6)},
                   {"lead": "SNV", "deadline": past + dt.timedelta(days=7), "coordinating": ["STC"]}], issued_on=past)
    link = f"/inspections/add?agency_id={agency_id('SNV')}"

    def office():
        auth.login("officer")
        assert "3 nhiệm vụ quá hạn" in client.get(link).get_data(as_text=True)

    def stc_staff():
        auth.login("stc_staff")
        form = client.get(link).get_data(as_text=True)
        assert "3 nhiệm vụ quá hạn" not in form and "2 nhiệm vụ quá hạn" not in form
        # what STC sees of SNV: the one task STC coordinates
        assert "1 nhiệm vụ quá hạn" in form

    for step in ((office, stc_staff) if office_first else (stc_staff, office)):
        step()
