"""The rules of asking for direction (issue 13), without an app or a database."""
import datetime as dt

import pytest

from app.domain.calendar import WorkingCalendar
from app.domain.direction import (
    AnswerState, Decision, DirectionError, DirectionInput, LadderPolicy, Rung, answer_state, check_direction,
    next_rung, report_due, reporting_share, short_time_left,
)

CAL = WorkingCalendar()
FRI = dt.date(2026, 11, 27)  # a Friday


def test_n_working_days_from_sending_skip_the_weekend_and_the_sending_day():
    assert report_due(CAL, FRI, working_days=1) == dt.date(2026, 11, 30)  # Monday
    assert report_due(CAL, FRI, working_days=5) == dt.date(2026, 12, 4)


def test_a_due_date_must_be_after_sending_and_exactly_one_form_is_given():
    assert report_due(CAL, FRI, due_on=dt.date(2026, 12, 1)) == dt.date(2026, 12, 1)
    for kwargs, code in (({}, "due_required"), ({"due_on": FRI, "working_days": 2}, "due_required"),
                         ({"due_on": FRI}, "due_not_later"), ({"working_days": 0}, "working_days_range"),
                         ({"working_days": 61}, "working_days_range")):
        with pytest.raises(DirectionError) as refused:
            report_due(CAL, FRI, **kwargs)
        assert refused.value.code == code


def test_a_working_day_count_over_tet_lands_after_the_break():
    # Tết 2027 (6–12 Feb. in the holidays package): 3 working days after 5 Feb. is not in the break.
    due = report_due(CAL, dt.date(2027, 2, 4), working_days=3)
    assert CAL.is_working_day(due) and CAL.working_days_between(dt.date(2027, 2, 4), due) == 3


def test_an_answer_on_the_due_day_is_on_time_and_the_day_after_is_late():
    due = dt.date(2026, 12, 1)
    assert answer_state(due, dt.datetime(2026, 12, 1, 23, 59), due) == AnswerState.on_time
    assert answer_state(due, dt.datetime(2026, 12, 2, 0, 1), due) == AnswerState.late
    assert answer_state(due, None, due) == AnswerState.not_yet
    assert answer_state(due, None, due + dt.timedelta(days=1)) == AnswerState.missing


def test_a_late_answer_weighs_like_a_late_periodic_report():
    assert reporting_share(True, 0, 0) == 1.0
    assert reporting_share(True, 1, 0) == 0.5  # periodic on time, the ad-hoc answer late
    assert reporting_share(False, 3, 3) == 0.75


POLICY = LadderPolicy(letter_after=3, proposal_after=10)


@pytest.mark.parametrize("days, letter, proposal, directed, expected", [
    (0, False, False, False, None),
    (1, False, False, False, Rung.reminder),
    (3, False, False, False, Rung.letter),
    (12, False, False, False, Rung.letter),  # one rung at a time: the letter first
    (5, True, False, False, Rung.reminder),
    (10, True, False, False, Rung.proposal),
    (15, True, True, False, Rung.awaiting),
    (20, True, False, True, Rung.reminder),
])
def test_the_ladders_next_rung(days, letter, proposal, directed, expected):
    assert next_rung(days, letter_issued=letter, proposal_open=proposal, directed=directed,
                     policy=POLICY) == expected


def test_a_ladder_whose_proposal_comes_before_its_letter_is_refused():
    with pytest.raises(ValueError):
        LadderPolicy(letter_after=5, proposal_after=2)


def _direct(decision, status="in_progress", **kwargs):
    return check_direction("submitted", False, DirectionInput(decision, **kwargs), task_status=status,
                           task_deadline=dt.date(2026, 11, 1), lead_agency_id=1, coordinating_ids=frozenset({2}),
                           today=dt.date(2026, 11, 27))


@pytest.mark.parametrize("decision, status, kwargs, code", [
    ("extend", "in_progress", {"deadline": dt.date(2026, 11, 20)}, "deadline_past"),  # before today
    ("extend", "in_progress", {}, "deadline_required"),
    ("extend", "reported", {"deadline": dt.date(2026, 12, 20)}, "extend_state"),
    ("transfer", "in_progress", {"lead_agency_id": 1}, "lead_same"),
    ("transfer", "in_progress", {"lead_agency_id": 2}, "lead_coordinating"),
    ("transfer", "completed", {"lead_agency_id": 3}, "transfer_state"),
    ("withdraw", "in_progress", {}, "comment_required"),
    ("withdraw", "completed", {"comment": "x"}, "withdraw_state"),
    ("other", "in_progress", {"comment": " "}, "comment_required"),
    ("sack", "in_progress", {}, "decision_unknown"),
])
def test_a_direction_the_lifecycle_would_refuse_is_refused(decision, status, kwargs, code):
    with pytest.raises(DirectionError) as refused:
        _direct(decision, status, **kwargs)
    assert refused.value.code == code


def test_a_direction_is_given_once_and_only_on_a_proposal_in_the_queue():
    assert _direct("extend", deadline=dt.date(2026, 12, 20)) == Decision.extend
    assert _direct("extend", deadline=dt.date(2026, 11, 27)) == Decision.extend  # today is allowed
    with pytest.raises(DirectionError, match="not_submitted"):
        check_direction("draft", False, DirectionInput("urge"), task_status="in_progress",
                        task_deadline=dt.date(2026, 11, 1), lead_agency_id=1, coordinating_ids=frozenset(),
                        today=dt.date(2026, 11, 27))
    with pytest.raises(DirectionError, match="already_directed"):
        check_direction("submitted", True, DirectionInput("urge"), task_status="in_progress",
                        task_deadline=dt.date(2026, 11, 1), lead_agency_id=1, coordinating_ids=frozenset(),
                        today=dt.date(2026, 11, 27))


def test_art_6_3_warns_when_fewer_working_days_than_the_threshold_are_left():
    assert short_time_left(CAL, FRI, dt.date(2026, 12, 2), 5) == 3
    assert short_time_left(CAL, FRI, dt.date(2026, 12, 11), 5) is None
    assert short_time_left(CAL, None, dt.date(2026, 12, 2), 5) is None
