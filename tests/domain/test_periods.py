"""The reporting windows and their due dates (Art. 20, SPEC §4.7)."""
from datetime import date

import pytest

from app.domain.calendar import WorkingCalendar
from app.domain.periods import (
    Period,
    PeriodKind,
    last_n_months,
    parse_label,
    period_containing,
    periods_ending_on,
    previous,
)

CAL = WorkingCalendar()
M, Q, H, A = PeriodKind.monthly, PeriodKind.quarterly, PeriodKind.half_year, PeriodKind.annual

# Art. 20.1, every period of 2026 and 2027: (kind, year, number, start, end)
WINDOWS = [
    (M, 2026, 1, date(2025, 12, 15), date(2026, 1, 14)),
    (M, 2026, 2, date(2026, 1, 15), date(2026, 2, 14)),
    (M, 2026, 3, date(2026, 2, 15), date(2026, 3, 14)),
    (M, 2026, 4, date(2026, 3, 15), date(2026, 4, 14)),
    (M, 2026, 5, date(2026, 4, 15), date(2026, 5, 14)),
    (M, 2026, 6, date(2026, 5, 15), date(2026, 6, 14)),
    (M, 2026, 7, date(2026, 6, 15), date(2026, 7, 14)),
    (M, 2026, 8, date(2026, 7, 15), date(2026, 8, 14)),
    (M, 2026, 9, date(2026, 8, 15), date(2026, 9, 14)),
    (M, 2026, 10, date(2026, 9, 15), date(2026, 10, 14)),
    (M, 2026, 11, date(2026, 10, 15), date(2026, 11, 14)),
    (M, 2026, 12, date(2026, 11, 15), date(2026, 12, 14)),
    (Q, 2026, 1, date(2025, 12, 15), date(2026, 3, 14)),
    (Q, 2026, 2, date(2026, 3, 15), date(2026, 6, 14)),
    (Q, 2026, 3, date(2026, 6, 15), date(2026, 9, 14)),
    (Q, 2026, 4, date(2026, 9, 15), date(2026, 12, 14)),
    (H, 2026, None, date(2025, 12, 15), date(2026, 6, 14)),
    (A, 2026, None, date(2025, 12, 15), date(2026, 12, 14)),
    (M, 2027, 1, date(2026, 12, 15), date(2027, 1, 14)),
    (M, 2027, 2, date(2027, 1, 15), date(2027, 2, 14)),
    (M, 2027, 3, date(2027, 2, 15), date(2027, 3, 14)),
    (M, 2027, 4, date(2027, 3, 15), date(2027, 4, 14)),
    (M, 2027, 5, date(2027, 4, 15), date(2027, 5, 14)),
    (M, 2027, 6, date(2027, 5, 15), date(2027, 6, 14)),
    (M, 2027, 7, date(2027, 6, 15), date(2027, 7, 14)),
    (M, 2027, 8, date(2027, 7, 15), date(2027, 8, 14)),
    (M, 2027, 9, date(2027, 8, 15), date(2027, 9, 14)),
    (M, 2027, 10, date(2027, 9, 15), date(2027, 10, 14)),
    (M, 2027, 11, date(2027, 10, 15), date(2027, 11, 14)),
    (M, 2027, 12, date(2027, 11, 15), date(2027, 12, 14)),
    (Q, 2027, 1, date(2026, 12, 15), date(2027, 3, 14)),
    (Q, 2027, 2, date(2027, 3, 15), date(2027, 6, 14)),
    (Q, 2027, 3, date(2027, 6, 15), date(2027, 9, 14)),
    (Q, 2027, 4, date(2027, 9, 15), date(2027, 12, 14)),
    (H, 2027, None, date(2026, 12, 15), date(2027, 6, 14)),
    (A, 2027, None, date(2026, 12, 15), date(2027, 12, 14)),
]


@pytest.mark.parametrize("kind, year, number, start, end", WINDOWS)
def test_each_period_runs_from_the_15th_to_the_14th(kind, year, number, start, end):
    period = Period(kind, year, number)
    assert (period.start, period.end) == (start, end)


def test_january_and_the_first_quarter_start_in_december_of_the_previous_year():
    assert Period(M, 2027, 1).start == date(2026, 12, 15)
    assert Period(Q, 2027, 1).start == date(2026, 12, 15)
    assert Period(H, 2027).start == Period(A, 2027).start == date(2026, 12, 15)


def test_a_quarter_is_exactly_its_three_months():
    for year in (2026, 2027):
        for quarter in range(1, 5):
            months = [Period(M, year, 3 * quarter - i) for i in (2, 1, 0)]
            period = Period(Q, year, quarter)
            assert (period.start, period.end) == (months[0].start, months[-1].end)
            assert [previous(m) for m in months[1:]] == months[:-1]


def test_the_windows_of_a_kind_follow_each_other_without_gap_or_overlap():
    for kind, number in ((M, 12), (Q, 4), (A, None)):
        period = Period(kind, 2028, number)
        for _ in range(30):
            before = previous(period)
            assert (period.start - before.end).days == 1
            period = before


# Art. 20.2 (agencies, 2 working days) and 20.3 (the Office, 5), counted from the day after
# the cut-off on the real 2026–2027 calendar: (kind, year, number, agency due, office due)
DUE = [
    (M, 2026, 1, date(2026, 1, 16), date(2026, 1, 21)),  # Wed 14/01: Thu 15, Fri 16
    # Sat 14/02/2026, then the Tết break Mon 16 – Fri 20/02: Mon 23 is the 1st working day,
    # Tue 24 the 2nd, Fri 27 the 5th.
    (M, 2026, 2, date(2026, 2, 24), date(2026, 2, 27)),
    (M, 2026, 3, date(2026, 3, 17), date(2026, 3, 20)),  # Sat 14/03: Mon 16, Tue 17 … Fri 20
    (M, 2026, 4, date(2026, 4, 16), date(2026, 4, 21)),  # Tue 14/04
    (M, 2026, 5, date(2026, 5, 18), date(2026, 5, 21)),  # Thu 14/05: Fri 15, Mon 18
    (M, 2026, 6, date(2026, 6, 16), date(2026, 6, 19)),  # Sun 14/06: Mon 15, Tue 16 … Fri 19
    (M, 2026, 8, date(2026, 8, 18), date(2026, 8, 21)),  # Fri 14/08
    (M, 2026, 11, date(2026, 11, 17), date(2026, 11, 20)),  # Sat 14/11
    (M, 2026, 12, date(2026, 12, 16), date(2026, 12, 21)),  # Mon 14/12: … Fri 18, Mon 21
    (Q, 2026, 1, date(2026, 3, 17), date(2026, 3, 20)),
    (Q, 2026, 2, date(2026, 6, 16), date(2026, 6, 19)),
    (H, 2026, None, date(2026, 6, 16), date(2026, 6, 19)),
    (A, 2026, None, date(2026, 12, 16), date(2026, 12, 21)),
    (M, 2027, 2, date(2027, 2, 16), date(2027, 2, 19)),  # Sun 14/02/2027, after the Tết break
    # Wed 14/04/2027: Thu 15, then Fri 16 is the Hùng Kings' day: Mon 19 is the 2nd; the 5th
    # is Thu 22.
    (M, 2027, 4, date(2027, 4, 19), date(2027, 4, 22)),
]


@pytest.mark.parametrize("kind, year, number, agency_due, office_due", DUE)
def test_the_reports_are_due_in_working_days_after_the_cut_off(kind, year, number, agency_due,
                                                                office_due):
    period = Period(kind, year, number)
    assert period.agency_due(CAL) == agency_due
    assert period.office_due(CAL) == office_due


def test_the_february_2026_due_dates_skip_the_tet_break():
    february = Period(M, 2026, 2)
    assert february.end == date(2026, 2, 14) and february.end.weekday() == 5  # a Saturday
    assert all(not CAL.is_working_day(date(2026, 2, d)) for d in range(16, 21))
    assert CAL.working_days_between(february.end, february.agency_due(CAL)) == 2
    assert CAL.working_days_between(february.end, february.office_due(CAL)) == 5


def test_an_admin_day_off_moves_the_due_dates():
    calendar = WorkingCalendar({date(2026, 1, 16): False})
    assert Period(M, 2026, 1).agency_due(calendar) == date(2026, 1, 19)
    assert Period(M, 2026, 1).office_due(calendar) == date(2026, 1, 22)


@pytest.mark.parametrize("kind, day, expected", [
    (M, date(2026, 3, 14), Period(M, 2026, 3)),
    (M, date(2026, 3, 15), Period(M, 2026, 4)),
    (M, date(2026, 12, 14), Period(M, 2026, 12)),
    (M, date(2026, 12, 15), Period(M, 2027, 1)),
    (M, date(2026, 12, 20), Period(M, 2027, 1)),
    (M, date(2026, 12, 31), Period(M, 2027, 1)),
    (M, date(2027, 1, 1), Period(M, 2027, 1)),
    (M, date(2027, 1, 14), Period(M, 2027, 1)),
    (Q, date(2026, 12, 15), Period(Q, 2027, 1)),
    (Q, date(2027, 3, 14), Period(Q, 2027, 1)),
    (Q, date(2027, 3, 15), Period(Q, 2027, 2)),
    (Q, date(2026, 6, 14), Period(Q, 2026, 2)),
    (Q, date(2026, 6, 15), Period(Q, 2026, 3)),
    (Q, date(2026, 9, 15), Period(Q, 2026, 4)),
    (Q, date(2026, 12, 14), Period(Q, 2026, 4)),
    (H, date(2025, 12, 15), Period(H, 2026)),
    (H, date(2026, 6, 14), Period(H, 2026)),
    (A, date(2026, 12, 14), Period(A, 2026)),
    (A, date(2026, 12, 15), Period(A, 2027)),
    ("monthly", date(2026, 2, 1), Period(M, 2026, 2)),
])
def test_the_period_containing_a_day_changes_on_the_15th(kind, day, expected):
    found = period_containing(kind, day)
    assert found == expected and found.start <= day <= found.end and found.contains(day)


def test_every_day_of_two_years_is_in_exactly_one_period_of_each_kind():
    for ordinal in range(date(2025, 12, 1).toordinal(), date(2028, 1, 1).toordinal()):
        day = date.fromordinal(ordinal)
        for kind in (M, Q, A):
            assert period_containing(kind, day).contains(day)
        assert period_containing(Q, day).contains(period_containing(M, day).end)


def test_no_half_year_period_contains_the_second_half():
    # Art. 20.1 has one six-month report, 15/12–14/06; the annual report covers the rest.
    for day in (date(2026, 6, 15), date(2026, 9, 1), date(2026, 12, 14)):
        with pytest.raises(ValueError, match="half-year"):
            period_containing(H, day)


def test_the_periods_ending_on_a_14th():
    assert periods_ending_on(date(2026, 6, 14)) == [Period(M, 2026, 6), Period(Q, 2026, 2),
                                                     Period(H, 2026)]
    assert periods_ending_on(date(2026, 12, 14)) == [Period(M, 2026, 12), Period(Q, 2026, 4),
                                                      Period(A, 2026)]
    assert periods_ending_on(date(2026, 3, 14)) == [Period(M, 2026, 3), Period(Q, 2026, 1)]
    assert periods_ending_on(date(2027, 1, 14)) == [Period(M, 2027, 1)]


def test_no_period_ends_on_any_other_day():
    assert periods_ending_on(date(2026, 6, 15)) == []
    assert periods_ending_on(date(2026, 6, 13)) == []
    assert periods_ending_on(date(2026, 12, 31)) == []


def test_the_previous_period_crosses_the_year():
    assert previous(Period(M, 2027, 1)) == Period(M, 2026, 12)
    assert previous(Period(M, 2026, 7)) == Period(M, 2026, 6)
    assert previous(Period(Q, 2027, 1)) == Period(Q, 2026, 4)
    assert previous(Period(H, 2027)) == Period(H, 2026)
    assert previous(Period(A, 2027)) == Period(A, 2026)


def test_the_last_months_end_with_the_one_holding_the_day_oldest_first():
    assert last_n_months(date(2027, 1, 20), 3) == [Period(M, 2026, 12), Period(M, 2027, 1),
                                                    Period(M, 2027, 2)]
    assert last_n_months(date(2026, 12, 15), 1) == [Period(M, 2027, 1)]
    assert last_n_months(date(2026, 3, 14), 0) == []
    assert len(last_n_months(date(2026, 3, 14), 24)) == 24
    assert last_n_months(date(2026, 3, 14), 24)[0] == Period(M, 2024, 4)


def test_a_negative_number_of_months_is_refused():
    with pytest.raises(ValueError, match="n must be >= 0"):
        last_n_months(date(2026, 3, 14), -1)


def test_labels_are_short_keys_that_read_back():
    assert Period(M, 2026, 3).label == "monthly-2026-03"
    assert Period(Q, 2026, 2).label == "quarterly-2026-q2"
    assert Period(H, 2026).label == "half_year-2026"
    assert Period(A, 2026).label == "annual-2026"
    for kind, year, number, _, _ in WINDOWS:
        period = Period(kind, year, number)
        assert parse_label(period.label) == period


@pytest.mark.parametrize("text", ["", "monthly", "monthly-2026", "monthly-2026-3", "monthly-2026-13",
                                  "quarterly-2026-2", "quarterly-2026-q5", "half_year-2026-1",
                                  "weekly-2026-01", "annual-twenty"])
def test_a_label_that_is_not_a_period_is_refused(text):
    with pytest.raises(ValueError, match="not a period label"):
        parse_label(text)


def test_a_period_reads_as_its_name_and_window():
    assert str(Period(M, 2026, 1)) == "month 1/2026 (15/12/2025–14/01/2026)"
    assert str(Period(Q, 2026, 2)) == "quarter 2/2026 (15/03/2026–14/06/2026)"
    assert str(Period(H, 2026)) == "first half of 2026 (15/12/2025–14/06/2026)"
    assert str(Period(A, 2027)) == "year 2027 (15/12/2026–14/12/2027)"


def test_a_kind_may_be_given_as_text_and_periods_are_values():
    assert Period("quarterly", 2026, 2) == Period(Q, 2026, 2)
    assert Period("quarterly", 2026, 2).kind is Q
    assert len({Period(M, 2026, 3), Period(M, 2026, 3), Period(Q, 2026, 1)}) == 2


@pytest.mark.parametrize("kind, year, number, message", [
    (M, 2026, None, "a monthly period needs a number from 1 to 12"),
    (M, 2026, 0, "must be from 1 to 12, got 0"),
    (M, 2026, 13, "must be from 1 to 12, got 13"),
    (M, 2026, "3", "must be from 1 to 12, got '3'"),
    (M, 2026, True, "must be from 1 to 12, got True"),
    (Q, 2026, None, "a quarterly period needs a number from 1 to 4"),
    (Q, 2026, 5, "must be from 1 to 4, got 5"),
    (H, 2026, 1, "a half_year period has no number, got 1"),
    (A, 2026, 2026, "an annual period has no number, got 2026"),
    ("weekly", 2026, 1, "unknown period kind 'weekly'"),
    (M, "2026", 1, "year of a monthly period must be an integer"),
    (A, 1, None, "year of an annual period must be an integer"),
])
def test_a_bad_period_is_refused_with_a_clear_message(kind, year, number, message):
    with pytest.raises(ValueError, match=message):
        Period(kind, year, number)
