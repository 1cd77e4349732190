from datetime import date, timedelta

import pytest

from app.domain.calendar import NamedDay, WorkingCalendar

calendar = WorkingCalendar()


def test_weekdays_are_working_days_and_weekends_are_not():
    assert calendar.is_working_day(date(2026, 3, 2))  # Monday
    assert calendar.is_working_day(date(2026, 3, 6))  # Friday
    assert not calendar.is_working_day(date(2026, 3, 7))  # Saturday
    assert not calendar.is_working_day(date(2026, 3, 8))  # Sunday


def test_the_tet_break_is_off():
    for day in range(16, 21):
        assert not calendar.is_working_day(date(2026, 2, day))


def test_deadline_skips_the_tet_break():
    assert calendar.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)


def test_the_hung_kings_day_on_a_sunday_is_compensated_on_monday():
    assert not calendar.is_working_day(date(2026, 4, 27))
    assert calendar.holiday_name(date(2026, 4, 27)) == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert calendar.add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)


def test_deadline_skips_the_30_april_1_may_break():
    assert calendar.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)


def test_the_national_day_break_includes_the_swapped_monday():
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not calendar.is_working_day(day)
    assert calendar.holiday_name(date(2026, 8, 31)) == "Ngày nghỉ (thay cho ngày 22/08/2026)"
    assert calendar.add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_a_make_up_saturday_is_a_working_day():
    assert calendar.is_working_day(date(2026, 8, 22))
    assert calendar.add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert calendar.add_working_days(date(2026, 8, 21), 2) == date(2026, 8, 24)


def test_a_make_up_saturday_of_another_year_does_not_leak():
    # the package's weekend_workdays lists 2025-04-26 and 2026-08-22 together
    assert not calendar.is_working_day(date(2027, 8, 21))
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not calendar.is_working_day(date(2026, 4, 25))


def test_vietnamese_culture_day_is_off():
    assert not calendar.is_working_day(date(2026, 11, 24))
    assert calendar.holiday_name(date(2026, 11, 24)) == "Ngày Văn hóa Việt Nam"
    assert calendar.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)


def test_the_start_day_never_counts_even_when_it_is_a_day_off():
    assert calendar.add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Saturday
    assert calendar.add_working_days(date(2026, 3, 8), 1) == date(2026, 3, 9)  # Sunday
    assert calendar.add_working_days(date(2026, 2, 17), 1) == date(2026, 2, 23)  # Tết
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Friday


def test_zero_working_days_is_the_start_day_itself():
    assert calendar.add_working_days(date(2026, 3, 7), 0) == date(2026, 3, 7)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 3, 2), -1)


def test_an_admin_day_off_moves_the_deadline_later():
    assert calendar.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)
    with_day_off = WorkingCalendar(overrides={date(2026, 3, 3): False})
    assert not with_day_off.is_working_day(date(2026, 3, 3))
    assert with_day_off.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 4)


def test_an_admin_make_up_day_moves_the_deadline_earlier():
    assert calendar.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)
    with_make_up = WorkingCalendar(overrides={date(2026, 3, 7): True})
    assert with_make_up.add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 7)


def test_an_admin_override_wins_over_the_package():
    reopened = WorkingCalendar(overrides={date(2026, 2, 20): True, date(2026, 8, 22): False})
    assert reopened.is_working_day(date(2026, 2, 20))
    assert not reopened.is_working_day(date(2026, 8, 22))
    assert reopened.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 20)


def test_the_calendar_is_a_snapshot_of_the_overrides():
    overrides = {date(2026, 3, 3): False}
    snapshot = WorkingCalendar(overrides=overrides)
    overrides[date(2026, 3, 3)] = True
    assert not snapshot.is_working_day(date(2026, 3, 3))


def test_deadlines_cross_into_the_next_year():
    # 28-31 Dec 2026 are Mon-Thu, 1 Jan 2027 is New Year's Day
    assert calendar.add_working_days(date(2026, 12, 28), 5) == date(2027, 1, 5)
    assert WorkingCalendar().add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_deadlines_ten_years_ahead():
    fresh = WorkingCalendar()
    far = fresh.add_working_days(date(2026, 1, 1), 2600)
    assert date(2036, 1, 1) < far < date(2037, 1, 1)
    assert fresh.working_days_between(date(2026, 1, 1), far) == 2600


def test_working_days_between_counts_the_end_but_not_the_start():
    assert calendar.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0
    assert calendar.working_days_between(date(2026, 3, 2), date(2026, 3, 3)) == 1
    assert calendar.working_days_between(date(2026, 3, 6), date(2026, 3, 8)) == 0
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_working_days_between_is_negative_backwards():
    assert calendar.working_days_between(date(2026, 3, 3), date(2026, 3, 2)) == -1
    assert calendar.working_days_between(date(2027, 1, 5), date(2026, 12, 28)) == -5


def test_working_days_between_inverts_add_working_days():
    with_overrides = WorkingCalendar(overrides={date(2026, 12, 26): True, date(2027, 1, 4): False})
    start = date(2026, 12, 1)
    for offset in range(60):
        d = start + timedelta(days=offset)
        for n in range(31):
            e = with_overrides.add_working_days(d, n)
            assert with_overrides.working_days_between(d, e) == n
            assert with_overrides.working_days_between(e, d) == -n
            if n:
                assert with_overrides.is_working_day(e)


def test_remaining_working_days_before_on_and_after_the_deadline():
    deadline = date(2026, 3, 6)  # Friday
    assert calendar.remaining_working_days(date(2026, 3, 2), deadline) == 4
    assert calendar.remaining_working_days(date(2026, 3, 5), deadline) == 1
    assert calendar.remaining_working_days(deadline, deadline) == 0
    assert calendar.remaining_working_days(date(2026, 3, 7), deadline) == 0  # weekend after
    assert calendar.remaining_working_days(date(2026, 3, 9), deadline) == -1
    assert calendar.remaining_working_days(date(2026, 3, 13), deadline) == -5


def test_remaining_working_days_skip_the_tet_break():
    assert calendar.remaining_working_days(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert calendar.remaining_working_days(date(2026, 2, 23), date(2026, 2, 13)) == -1


def test_days_off_lists_the_exceptions_to_monday_to_friday():
    days = calendar.days_off(2026)
    assert NamedDay(date(2026, 1, 1), "Tết Dương lịch") in days
    assert NamedDay(date(2026, 2, 16), "Giao thừa Tết Nguyên Đán") in days
    assert NamedDay(date(2026, 8, 22), None) in days  # make-up Saturday, no package name
    assert date(2026, 4, 26) not in [d.day for d in days]  # a Sunday holiday changes nothing
    assert [d.day for d in days] == sorted(d.day for d in days)
    assert len(days) == 14


def test_days_off_show_the_admin_notes():
    with_notes = WorkingCalendar(
        overrides={date(2026, 3, 3): False, date(2026, 3, 7): True},
        notes={date(2026, 3, 3): "Nghỉ theo quyết định", date(2026, 3, 7): "Làm bù"},
    )
    days = with_notes.days_off(2026)
    assert NamedDay(date(2026, 3, 3), "Nghỉ theo quyết định") in days
    assert NamedDay(date(2026, 3, 7), "Làm bù") in days
    assert with_notes.holiday_name(date(2026, 3, 7)) == "Làm bù"


def test_an_ordinary_day_has_no_holiday_name():
    assert calendar.holiday_name(date(2026, 3, 2)) is None


def test_short_deadlines_are_fast():
    import time

    fresh = WorkingCalendar()
    fresh.add_working_days(date(2026, 1, 1), 300)  # load the years once
    started = time.perf_counter()
    for i in range(20_000):
        fresh.add_working_days(date(2026, 1, 1) + timedelta(days=i % 300), 10)
    assert time.perf_counter() - started < 1.0  # ~20x margin on a slow machine
