"""Every allowed and refused transition, per party (SPEC §4.3)."""
from datetime import date

import pytest

from app.domain.lifecycle import (
    TRANSITIONS,
    Action,
    CommentRequired,
    Completion,
    ExtensionError,
    NotYourAction,
    Party,
    WrongState,
    allowed_actions,
    check_extension_decision,
    check_extension_request,
    completion,
    extended_deadlines,
    may_post_update,
    next_status,
    party_of,
    update_is_draft,
)
from app.domain.vocabulary import TaskStatus as S

OFFICE, HEAD, STAFF = frozenset({Party.office}), frozenset({Party.lead_head}), frozenset({Party.lead_staff})
COORD, CHAIR, OTHER = frozenset({Party.coordinating}), frozenset({Party.chairman}), frozenset({Party.other})

ALLOWED = {
    # (action, from) -> (party, to)
    (Action.send, S.draft): (OFFICE, S.assigned),
    (Action.send, S.returned): (OFFICE, S.assigned),
    (Action.receive, S.assigned): (HEAD, S.in_progress),
    (Action.return_, S.assigned): (HEAD, S.returned),
    (Action.report, S.in_progress): (HEAD, S.reported),
    (Action.confirm, S.reported): (OFFICE, S.completed),
    (Action.refuse, S.reported): (OFFICE, S.in_progress),
    **{(Action.withdraw, s): (OFFICE, S.withdrawn)
       for s in (S.draft, S.assigned, S.in_progress, S.returned, S.reported)},
}


@pytest.mark.parametrize("action,source", sorted(ALLOWED, key=str))
def test_each_allowed_transition_goes_where_the_regulation_says(action, source):
    party, target = ALLOWED[(action, source)]
    assert next_status(source, action, party, comment="lý do") == target


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("party", [OFFICE, HEAD, STAFF, COORD, CHAIR, OTHER], ids=str)
def test_everything_else_is_refused(action, source, party):
    if (action, source) in ALLOWED and ALLOWED[(action, source)][0] == party:
        return
    with pytest.raises((NotYourAction, WrongState)):
        next_status(source, action, party, comment="lý do")


def test_the_role_is_checked_before_the_state():
    with pytest.raises(NotYourAction):
        next_status(S.completed, Action.confirm, HEAD)


def test_a_coordinating_agency_cannot_report_return_or_receive():
    for action in (Action.report, Action.return_, Action.receive):
        with pytest.raises(NotYourAction):
            next_status(S.assigned if action != Action.report else S.in_progress, action, COORD)


def test_staff_cannot_submit_the_result():
    with pytest.raises(NotYourAction):
        next_status(S.in_progress, Action.report, STAFF)


@pytest.mark.parametrize("action,source,party", [
    (Action.return_, S.assigned, HEAD), (Action.refuse, S.reported, OFFICE), (Action.withdraw, S.draft, OFFICE)])
def test_returning_refusing_and_withdrawing_need_a_reason(action, source, party):
    with pytest.raises(CommentRequired):
        next_status(source, action, party, comment="  ")


def test_allowed_actions_lists_what_the_party_may_do_now():
    assert allowed_actions(S.assigned, HEAD) == [Action.receive, Action.return_]
    assert allowed_actions(S.reported, OFFICE) == [Action.confirm, Action.refuse, Action.withdraw]
    assert allowed_actions(S.completed, OFFICE) == []
    assert allowed_actions(S.in_progress, COORD) == []


def test_completed_and_withdrawn_are_final():
    for action, rule in TRANSITIONS.items():
        assert S.completed not in rule.sources and S.withdrawn not in rule.sources


def test_party_of_a_user():
    assert party_of(frozenset({"AgencyHead"}), 5, 5, frozenset()) == HEAD
    assert party_of(frozenset({"CommuneChair"}), 5, 5, frozenset()) == HEAD
    assert party_of(frozenset({"AgencyStaff"}), 5, 5, frozenset()) == STAFF
    assert party_of(frozenset({"AgencyHead"}), 7, 5, frozenset({7})) == COORD
    assert party_of(frozenset({"AgencyHead"}), 8, 5, frozenset({7})) == OTHER
    assert party_of(frozenset({"OfficeOfficial"}), None, 5, frozenset()) == OFFICE
    assert party_of(frozenset({"Chairman"}), None, 5, frozenset()) == CHAIR
    assert party_of(frozenset({"Admin"}), None, 5, frozenset()) == OTHER


def test_staff_updates_are_drafts_and_heads_post():
    assert update_is_draft(STAFF) and not update_is_draft(HEAD) and not update_is_draft(COORD)
    assert may_post_update(S.in_progress, COORD) and not may_post_update(S.completed, HEAD)
    assert not may_post_update(S.in_progress, OFFICE)


DEADLINE = date(2026, 12, 15)


def _ask(**overrides):
    args = dict(has_pending=False, proposed=date(2026, 12, 31), deadline=DEADLINE, today=date(2026, 12, 1),
                reason="Chờ ý kiến các bộ")
    args.update(overrides)
    return check_extension_request(S.in_progress, HEAD, **args)


def test_an_extension_request_in_time_is_not_late():
    assert _ask().late is False


def test_an_extension_request_after_the_deadline_is_allowed_but_late():
    assert _ask(today=date(2026, 12, 16)).late is True


@pytest.mark.parametrize("overrides,code", [
    ({"has_pending": True}, "pending"), ({"reason": ""}, "reason_required"),
    ({"proposed": None}, "date_required"), ({"proposed": DEADLINE}, "not_later")])
def test_an_extension_request_is_refused(overrides, code):
    with pytest.raises(ExtensionError) as refused:
        _ask(**overrides)
    assert refused.value.code == code


def test_only_the_lead_head_asks_and_only_while_the_task_is_open():
    with pytest.raises(ExtensionError, match="forbidden"):
        check_extension_request(S.in_progress, COORD, has_pending=False, proposed=date(2027, 1, 5),
                                deadline=DEADLINE, today=date(2026, 12, 1), reason="x")
    with pytest.raises(ExtensionError, match="state"):
        check_extension_request(S.reported, HEAD, has_pending=False, proposed=date(2027, 1, 5),
                                deadline=DEADLINE, today=date(2026, 12, 1), reason="x")


def test_only_the_chairman_decides():
    with pytest.raises(ExtensionError, match="forbidden"):
        check_extension_decision(OFFICE, approve=True, chosen=date(2027, 1, 5), deadline=DEADLINE)
    check_extension_decision(CHAIR, approve=True, chosen=date(2027, 1, 5), deadline=DEADLINE)
    check_extension_decision(CHAIR, approve=False, chosen=None, deadline=DEADLINE)


def test_the_first_deadline_is_kept_across_extensions():
    first = extended_deadlines(DEADLINE, None, date(2027, 1, 5))
    assert first == (date(2027, 1, 5), DEADLINE)
    assert extended_deadlines(*first, date(2027, 2, 1)) == (date(2027, 2, 1), DEADLINE)


def test_completion_is_judged_by_the_submission_date_against_the_deadline_in_force():
    assert completion(S.completed, DEADLINE, DEADLINE) == Completion.on_time
    assert completion(S.completed, date(2026, 12, 16), DEADLINE) == Completion.late
    assert completion(S.reported, date(2026, 12, 1), DEADLINE) is None
