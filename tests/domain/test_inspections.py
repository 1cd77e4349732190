"""Chương V as rules: report due dates on the working calendar (Art. 17.1–17.2), the status from the
dates, and who may do what in which state (Art. 13–17)."""
from datetime import date

import pytest

from app.domain.calendar import WorkingCalendar
from app.domain.inspections import (
    Action,
    ConductedBy,
    InspectionStatus as S,
    NotYourAction,
    Party as P,
    WrongState,
    allowed,
    check,
    check_dates,
    may_draft,
    parties_of,
    report_due_on,
    report_late,
    status_of,
)

calendar = WorkingCalendar()


# -- Art. 17: 10 working days for the Office's inspections, 7 for an agency's own ---------------

def test_office_report_is_due_ten_working_days_after_an_ordinary_end():
    # Ends Friday 6/3/2026: two ordinary weeks later.
    assert report_due_on(calendar, ConductedBy.office, date(2026, 3, 6)) == date(2026, 3, 20)


def test_agency_report_is_due_seven_working_days_after_the_end():
    assert report_due_on(calendar, ConductedBy.agency, date(2026, 3, 6)) == date(2026, 3, 17)


def test_the_tet_break_does_not_count():
    # Ends Friday 13/2/2026; 16–20/2 is the Tết break: counting starts on 23/2.
    assert report_due_on(calendar, "office", date(2026, 2, 13)) == date(2026, 3, 6)
    assert report_due_on(calendar, "agency", date(2026, 2, 13)) == date(2026, 3, 3)


def test_an_end_just_before_tet_skips_the_whole_break():
    assert report_due_on(calendar, "office", date(2026, 2, 11)) == date(2026, 3, 4)
    assert report_due_on(calendar, "agency", date(2026, 2, 11)) == date(2026, 2, 27)


def test_the_hung_kings_day_and_30_april_1_may_do_not_count():
    # Ends Friday 24/4/2026: 27/4 (compensated Giỗ Tổ), 30/4 and 1/5 are off.
    assert report_due_on(calendar, "office", date(2026, 4, 24)) == date(2026, 5, 13)
    assert report_due_on(calendar, "agency", date(2026, 4, 24)) == date(2026, 5, 8)


def test_the_national_day_break_does_not_count():
    # Ends Friday 28/8/2026: 31/8, 1/9 and 2/9 are off.
    assert report_due_on(calendar, "office", date(2026, 8, 28)) == date(2026, 9, 16)
    assert report_due_on(calendar, "agency", date(2026, 8, 28)) == date(2026, 9, 11)


def test_an_end_on_a_weekend_counts_from_the_next_working_day():
    # Ends Saturday 7/3/2026: the first working day after it is Monday 9/3.
    assert report_due_on(calendar, "agency", date(2026, 3, 7)) == date(2026, 3, 17)


def test_the_admins_day_off_moves_the_due_date():
    closed = WorkingCalendar(overrides={date(2026, 3, 10): False})
    assert report_due_on(closed, "agency", date(2026, 3, 6)) == date(2026, 3, 18)


def test_report_late_on_the_day_after_the_due_date_only():
    due = date(2026, 3, 20)
    assert not report_late(due, None, date(2026, 3, 20))
    assert report_late(due, None, date(2026, 3, 21))
    assert not report_late(due, date(2026, 3, 20), date(2026, 4, 1))
    assert report_late(due, date(2026, 3, 23), date(2026, 3, 23))


# -- the status from the dates --------------------------------------------------------------

START, END = date(2026, 3, 2), date(2026, 3, 13)


@pytest.mark.parametrize("stage, today, expected", [
    ("draft", date(2026, 3, 5), S.draft),
    ("issued", date(2026, 3, 1), S.issued),
    ("issued", START, S.running),
    ("issued", END, S.running),
    ("issued", date(2026, 3, 14), S.ended),
    ("reported", date(2026, 3, 10), S.reported),
])
def test_status_follows_the_dates(stage, today, expected):
    assert status_of(stage, START, END, today) == expected


def test_end_before_start_is_refused():
    assert check_dates(END, START) == "end_before_start"
    assert check_dates(START, START) is None
    assert check_dates(None, END) == "start_required"


# -- who may do what, in which state --------------------------------------------------------

def parties(roles, user_id=9, agency_id=None, conducted_by="office", conducting=None):
    return parties_of(roles=frozenset(roles), user_id=user_id, agency_id=agency_id, conducted_by=conducted_by,
                      conducting_agency_id=conducting, leader_id=1, member_ids=frozenset({1, 2}),
                      inspected_ids=frozenset({50}))


OFFICE = parties({"OfficeOfficial"})
CHAIRMAN = parties({"Chairman"})
LEADER = parties({"OfficeOfficial"}, user_id=1)
MEMBER = parties({"WorkingGroupMember"}, user_id=2, agency_id=7)
INSPECTED_HEAD = parties({"AgencyHead"}, agency_id=50)
INSPECTED_STAFF = parties({"AgencyStaff"}, agency_id=50)
OUTSIDER = parties({"WorkingGroupMember"}, user_id=3, agency_id=7)


def test_parties_are_what_the_user_is_to_the_inspection():
    assert P.leader in LEADER and P.member in LEADER and P.office in LEADER
    assert MEMBER == {P.member}
    assert INSPECTED_HEAD == {P.inspected_head}
    assert OUTSIDER == {P.other}


def test_only_the_office_drafts_the_chairmans_decisions_and_agencies_their_own():
    assert may_draft(frozenset({"OfficeOfficial"}), "office")
    assert not may_draft(frozenset({"Chairman"}), "office")
    assert not may_draft(frozenset({"AgencyHead"}), "office")
    assert may_draft(frozenset({"AgencyHead"}), "agency")
    assert not may_draft(frozenset({"WorkingGroupMember"}), "agency")


def test_the_chairman_issues_a_draft_and_the_office_cannot():
    check(Action.issue, S.draft, "office", CHAIRMAN)
    with pytest.raises(NotYourAction):
        check(Action.issue, S.draft, "office", OFFICE)


def test_a_decision_is_issued_once():
    with pytest.raises(WrongState):
        check(Action.issue, S.issued, "office", CHAIRMAN)
    with pytest.raises(WrongState):
        check(Action.issue, S.running, "office", CHAIRMAN)


def test_the_agency_head_issues_its_own_inspection_but_not_the_chairmans():
    head = parties({"AgencyHead"}, agency_id=7, conducted_by="agency", conducting=7)
    assert P.conducting_head in head
    check(Action.issue, S.draft, "agency", head)
    with pytest.raises(NotYourAction):
        check(Action.issue, S.draft, "office", parties({"AgencyHead"}, agency_id=7))
    # A head of another agency is nothing to it.
    with pytest.raises(NotYourAction):
        check(Action.issue, S.draft, "agency", parties({"AgencyHead"}, agency_id=8, conducted_by="agency",
                                                       conducting=7))


def test_the_role_is_checked_before_the_state():
    with pytest.raises(NotYourAction):
        check(Action.issue, S.reported, "office", OFFICE)


def test_members_record_findings_only_while_it_runs_or_after_its_end():
    for status in (S.running, S.ended):
        check(Action.finding, status, "office", MEMBER)
        check(Action.finding, status, "office", LEADER)
    for status in (S.draft, S.issued, S.reported):
        with pytest.raises(WrongState):
            check(Action.finding, status, "office", MEMBER)
    for outsider in (OUTSIDER, INSPECTED_HEAD, CHAIRMAN, OFFICE):
        with pytest.raises(NotYourAction):
            check(Action.finding, S.running, "office", outsider)


def test_the_leader_or_the_office_submits_the_result_report_a_member_does_not():
    check(Action.report, S.ended, "office", LEADER)
    check(Action.report, S.running, "office", OFFICE)
    with pytest.raises(NotYourAction):
        check(Action.report, S.ended, "office", MEMBER)
    with pytest.raises(WrongState):
        check(Action.report, S.issued, "office", LEADER)
    with pytest.raises(WrongState):
        check(Action.report, S.reported, "office", LEADER)


def test_only_the_leader_plans_invites_and_asks():
    assert Action.plan in allowed(S.issued, "office", LEADER)
    assert Action.plan not in allowed(S.issued, "office", MEMBER)
    assert Action.plan not in allowed(S.ended, "office", LEADER)


def test_the_inspected_agency_writes_its_report_once_issued():
    assert Action.agency_report in allowed(S.running, "office", INSPECTED_HEAD)
    assert Action.agency_report in allowed(S.issued, "office", INSPECTED_STAFF)
    assert Action.agency_report not in allowed(S.draft, "office", INSPECTED_HEAD)
    assert Action.agency_report not in allowed(S.reported, "office", INSPECTED_HEAD)


def test_the_chairman_sends_a_draft_back_and_nobody_else_does():
    assert allowed(S.draft, "office", CHAIRMAN) == {Action.send_back, Action.issue}
    assert Action.send_back not in allowed(S.draft, "office", OFFICE)
    assert allowed(S.draft, "office", OFFICE) == {Action.edit, Action.submit}


def test_a_member_outside_can_do_nothing_in_any_state():
    for status in S:
        assert allowed(status, "office", OUTSIDER) == frozenset()


# -- the year's plan (Art. 13.1.a, 14.2.a) ------------------------------------------------------

from app.domain.inspections import PlanAction, PlanNotYours, PlanWrongStage, check_plan, plan_actions  # noqa: E402

OFFICE_ROLES_ = frozenset({"OfficeOfficial"})
CHAIRMAN_ROLES = frozenset({"Chairman"})


def test_the_office_drafts_and_submits_the_plan_the_chairman_approves_it():
    assert plan_actions("draft", OFFICE_ROLES_) == {PlanAction.edit, PlanAction.submit}
    assert plan_actions("submitted", CHAIRMAN_ROLES) == {PlanAction.approve, PlanAction.send_back}
    assert plan_actions("approved", OFFICE_ROLES_) == {PlanAction.draft_decision}
    assert plan_actions("draft", CHAIRMAN_ROLES) == frozenset()


def test_a_submitted_plan_is_no_longer_edited_and_only_the_chairman_approves():
    with pytest.raises(PlanWrongStage):
        check_plan(PlanAction.edit, "submitted", OFFICE_ROLES_)
    with pytest.raises(PlanNotYours):
        check_plan(PlanAction.approve, "submitted", OFFICE_ROLES_)
    with pytest.raises(PlanNotYours):
        check_plan(PlanAction.approve, "submitted", frozenset({"AgencyHead"}))
    with pytest.raises(PlanWrongStage):
        check_plan(PlanAction.approve, "approved", CHAIRMAN_ROLES)
