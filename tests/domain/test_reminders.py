from datetime import date

import pytest

from app.domain.calendar import WorkingCalendar
from app.domain.reminders import ReminderKind, ReminderPolicy, delay_report_due, reminder_kind

CAL = WorkingCalendar()
POLICY = ReminderPolicy(days_before=(3,), on_the_day=True, overdue_every=2)


def kind(today, deadline, policy=POLICY):
    return reminder_kind(CAL, today, deadline, policy)


def test_three_working_days_before_skips_the_weekend():
    # Deadline Wednesday 02/12/2026: 3 working days before is Thursday 26/11 (27, 30/11, 01/12, 02/12 = 4).
    assert kind(date(2026, 11, 27), date(2026, 12, 2)) == ReminderKind.due_soon
    assert kind(date(2026, 11, 26), date(2026, 12, 2)) is None


def test_three_working_days_before_skips_ngay_van_hoa():
    # 24/11/2026 is a day off: from Friday 20/11, 3 working days ahead is Wednesday 26/11.
    assert kind(date(2026, 11, 20), date(2026, 11, 26)) == ReminderKind.due_soon


def test_on_the_day():
    assert kind(date(2026, 12, 2), date(2026, 12, 2)) == ReminderKind.due_today
    assert kind(date(2026, 12, 2), date(2026, 12, 2), ReminderPolicy((3,), False, 2)) is None


@pytest.mark.parametrize("today,expected", [
    (date(2026, 12, 3), ReminderKind.overdue),  # first working day after
    (date(2026, 12, 4), None),
    (date(2026, 12, 7), ReminderKind.overdue),  # 3rd working day after: every 2
    (date(2026, 12, 8), None),
    (date(2026, 12, 9), ReminderKind.overdue),
])
def test_overdue_repeats_every_n_working_days(today, expected):
    assert kind(today, date(2026, 12, 2)) == expected


def test_overdue_after_a_friday_deadline_reminds_on_monday():
    assert kind(date(2026, 11, 30), date(2026, 11, 27)) == ReminderKind.overdue


def test_the_tet_break_does_not_count_as_overdue_days():
    # Deadline Friday 13/02/2026; the Tết break is 16–20/02; Monday 23/02 is the first working day after.
    assert kind(date(2026, 2, 23), date(2026, 2, 13)) == ReminderKind.overdue
    assert kind(date(2026, 2, 24), date(2026, 2, 13)) is None


def test_policy_parsing_refuses_nonsense():
    assert ReminderPolicy.parse("5, 3", True, 2).days_before == (3, 5)
    with pytest.raises(ValueError):
        ReminderPolicy.parse("0", True, 2)


def test_delay_report_due_two_working_days_after_receipt():
    assert delay_report_due(CAL, date(2026, 11, 20)) == date(2026, 11, 25)  # Fri → Mon 23, Wed 25 (24 off)
    assert delay_report_due(CAL, date(2026, 2, 12)) == date(2026, 2, 23)  # Thu → Fri 13, Mon 23 after Tết
