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
