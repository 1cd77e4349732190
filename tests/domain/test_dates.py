from datetime import date

import pytest

from app.domain.calendar import WorkingCalendar
from app.domain.dates import MAX_DATE, MIN_DATE, clamp, in_range


def test_the_accepted_dates_are_this_century():
    assert in_range(MIN_DATE) and in_range(MAX_DATE) and in_range(date(2026, 12, 2))
    assert not in_range(date(9999, 12, 31)) and not in_range(date(1999, 12, 31))
    assert clamp(date(9999, 12, 31)) == MAX_DATE and clamp(date(1, 1, 1)) == MIN_DATE


def test_the_calendar_refuses_far_years_at_once_instead_of_loading_them():
    calendar = WorkingCalendar()
    with pytest.raises(ValueError):
        calendar.is_working_day(date(9999, 12, 31))
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2100, 6, 1), 3650)
    with pytest.raises(ValueError):
        calendar.days_off(0)


def test_counting_to_a_stored_far_deadline_stops_at_the_calendars_end():
    calendar = WorkingCalendar()
    assert calendar.remaining_working_days(date(2026, 12, 2), date(9999, 12, 31)) == \
        calendar.remaining_working_days(date(2026, 12, 2), MAX_DATE)
