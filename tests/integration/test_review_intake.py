"""Review of the intake chapter (issue 12) as an attacker and a tired official would use it:
a later message decided by someone who may not carry it out leaves nothing half-written."""
from __future__ import annotations

from tests.edxml_samples import message
from tests.integration.test_intake import _register_body, post  # noqa: F401  (fixtures below)
from tests.integration.test_intake import _headers, _remember_app, connector, office  # noqa: F401


def _revoke(client, connector):
    return post(client, connector, message(business="1", reason="Ban hành sai thẩm quyền",
                                           business_document_id="000.00.00.G22,2026/11/20,2491/VPCP-KTTH",
                                           document_id="000.00.00.G22,2026/11/25,2600/VPCP-KTTH",
                                           number="2600", date="2026/11/25"))


def _statuses(client, office, task_ids):
    return [client.get(f"/api/v1/task/{t}", headers=office).get_json()["result"]["status"] for t in task_ids]


def test_a_revocation_the_admin_cannot_carry_out_is_refused_and_stays_pending(app, client, connector, office):
    """The Admin may open the intake pages, but withdrawing tasks is the Office's (Art. 5.3): the
    refusal must leave the message pending for the Office, not 'applied' with every task still open."""
    intake_id = post(client, connector, message()).get_json()["id"]
    created = client.post("/api/v1/document/", json=_register_body(intake_id), headers=office).get_json()
    task_ids = created["result"]["task_ids"]
    later = _revoke(client, connector).get_json()["result"]["later_message"]
    admin = _headers(client, "admin")
    answer = client.post(f"/api/v1/intake/messages/{later['id']}/decide", json={"apply": True}, headers=admin)
    assert answer.status_code == 403, answer.get_json()
    assert "Văn phòng" in answer.get_json()["message"]
    assert _statuses(client, office, task_ids) == ["assigned", "assigned"]
    # Nothing was half-written: the Office can still confirm it, and then the tasks are withdrawn.
    again = client.post(f"/api/v1/intake/messages/{later['id']}/decide", json={"apply": True}, headers=office)
    assert again.status_code == 200, again.get_json()
    assert _statuses(client, office, task_ids) == ["withdrawn", "withdrawn"]
