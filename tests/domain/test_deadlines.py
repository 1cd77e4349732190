from datetime import date

from app.domain.calendar import WorkingCalendar
from app.domain.deadlines import deadline_state

CAL = WorkingCalendar()


def test_a_task_is_not_overdue_on_its_deadline_day():
    state = deadline_state(CAL, date(2026, 11, 25), date(2026, 11, 25), "in_progress", 3)
    assert not state.overdue and state.due_soon and state.days_left == 0


def test_a_task_is_overdue_the_day_after_its_deadline_even_on_a_weekend():
    state = deadline_state(CAL, date(2026, 11, 28), date(2026, 11, 27), "assigned", 3)
    assert state.overdue and state.working_days == 0 and state.days_left is None


def test_overdue_counts_working_days_since_the_deadline():
    # Friday 20/11 to Wednesday 25/11: 23, 25 (24/11 is Ngày Văn hóa Việt Nam).
    state = deadline_state(CAL, date(2026, 11, 25), date(2026, 11, 20), "assigned", 3)
    assert state.overdue and state.working_days == 2


def test_days_left_skip_the_tet_break():
    state = deadline_state(CAL, date(2026, 2, 13), date(2026, 2, 24), "assigned", 3)
    assert state.days_left == 2 and state.due_soon


def test_a_task_far_from_its_deadline_is_not_due_soon():
    state = deadline_state(CAL, date(2026, 11, 2), date(2026, 11, 30), "assigned", 3)
    assert not state.due_soon and state.days_left == 19


def test_a_completed_task_is_never_overdue():
    state = deadline_state(CAL, date(2026, 12, 25), date(2026, 11, 20), "completed", 3)
    assert not state.overdue and not state.due_soon
