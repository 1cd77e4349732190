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
