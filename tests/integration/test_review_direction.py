"""Review of the direction chapter (issue 13) and the inspection forms as an attacker would type
them: a number field holding a character that str.isdigit() calls a digit but int() refuses
('²', '³') is ignored like any other non-number — a Vietnamese page, never a 500."""
from __future__ import annotations

import pytest

from tests.integration.inspection_helpers import ids  # noqa: F401


@pytest.mark.parametrize("url, data", [
    ("/report-requests/new", {"subject": "Báo cáo nhanh", "body": "Nội dung", "scope": "chosen",
                              "agency_ids": ["²"], "task_ids": "1, ²", "due_working_days": "3"}),
    ("/proposals/new", {"task_ids": ["²"], "reason": "overdue", "body": "Xin ý kiến"}),
    ("/overdue-ladder/climb", {"task_ids": ["³"], "step": "reminder"}),
    ("/letters/urge-overdue", {"agency_ids": ["²"]}),  # the same fault beside these chapters
])
def test_a_superscript_digit_in_a_list_of_ids_is_not_a_server_error(client, auth, url, data):
    auth.login("officer")
    answer = client.post(url, data=data)
    assert answer.status_code < 500, answer.get_data(as_text=True)[:500]


def test_a_superscript_digit_in_an_explanation_field_is_not_a_server_error(client, auth, ids):  # noqa: F811
    from tests.integration.inspection_helpers import running

    inspection_id = running(client)
    auth.login("stc_staff")
    answer = client.post(f"/inspections/agency-report/{inspection_id}", data={"body": "Báo cáo", "explain-²": "x"})
    assert answer.status_code < 500, answer.get_data(as_text=True)[:500]


@pytest.mark.parametrize("lookup", ["letter", "document", "update", "plan"])
def test_a_superscript_digit_as_an_id_is_not_found_rather_than_a_server_error(app, lookup):
    """Every service lookup by an id typed into a form: '²' is no such record (404), not a ValueError."""
    from app.services import inspection_plans, letters, lifecycle, register
    from app.services.errors import NotFound
    from tests.conftest import viewer

    with app.test_request_context():
        calls = {
            "letter": lambda: letters._office_letter("²", viewer("officer"), 1),
            "document": lambda: register.update_document("²", None, expected_version=1, viewer=viewer("officer")),
            "update": lambda: lifecycle.publish_draft("²", viewer=viewer("stc_head")),
            "plan": lambda: inspection_plans._load("²", viewer("officer")),
        }
        with pytest.raises(NotFound):
            calls[lookup]()
