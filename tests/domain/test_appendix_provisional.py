"""Before a period's cut-off a report is read as of today (provisional): a task with days
left is never overdue in it, a task due today still has today; after the cut-off the
end-of-period snapshot of SPEC §5 stands."""
from datetime import date

from app.domain.appendix import (
    Standing,
    TaskFacts,
    appendix_counts,
    open_state,
    provisional_day,
    state_at,
    state_during,
)

S, E = date(2026, 11, 15), date(2026, 12, 14)  # the December 2026 window
TODAY = date(2026, 12, 2)


def task(task_id, deadline, completed=None, extensions=(), issued=date(2026, 11, 20)):
    return TaskFacts(task_id=task_id, issued_on=issued, source="ad_hoc", original_deadline=deadline,
                     extensions=tuple(extensions), completed_on=completed)


def test_a_report_is_provisional_until_the_end_of_its_cut_off_day():
    assert provisional_day(E, TODAY) == TODAY
    assert provisional_day(E, E) == E  # the 14th itself is not over
    assert provisional_day(E, date(2026, 12, 15)) is None


def test_a_task_with_working_days_left_is_not_overdue_as_of_today():
    facts = task(1, deadline=date(2026, 12, 4))
    assert state_at(facts, E) is Standing.overdue  # the end-of-period snapshot would say so…
    assert open_state(facts, E, as_of=TODAY) is Standing.in_time  # …not the report read today
    assert open_state(facts, E) is Standing.overdue


def test_a_task_due_today_still_has_today_and_is_overdue_tomorrow():
    facts = task(1, deadline=TODAY)
    assert state_during(facts, TODAY) is Standing.in_time
    assert state_during(facts, date(2026, 12, 3)) is Standing.overdue


def test_an_extension_approved_by_today_counts_as_extended():
    facts = task(1, deadline=date(2026, 11, 30), extensions=[(date(2026, 11, 28), date(2026, 12, 30))])
    assert state_during(facts, TODAY) is Standing.extended
    assert state_during(facts, date(2026, 11, 27)) is Standing.in_time


def test_provisional_counts_split_the_open_tasks_as_of_today():
    facts = [task(1, date(2026, 12, 4)),                        # days left: in time
             task(2, TODAY),                                    # due today: in time
             task(3, date(2026, 12, 1)),                        # yesterday: overdue
             task(4, date(2026, 12, 1), completed=date(2026, 11, 30)),  # completed on time
             task(5, date(2026, 11, 30), extensions=[(date(2026, 11, 28), date(2026, 12, 30))])]
    provisional = appendix_counts(facts, S, E, as_of=TODAY)
    assert (provisional.open_in_time, provisional.open_overdue, provisional.open_extended) == (2, 1, 1)
    assert provisional.completed_on_time == 1 and provisional.total == 5
    final = appendix_counts(facts, S, E)
    assert (final.open_in_time, final.open_overdue, final.open_extended) == (0, 3, 1)
