"""The working-day calendar of SPEC §3: every deadline of the Quy chế is in working days.

A working day is Monday to Friday, minus the public holidays and official days off that the
`holidays` package lists for Vietnam (Tết break, compensatory days, swapped days), plus the
package's make-up Saturdays (làm bù); the Admin's overrides then win over everything, because
the Government sets the Tết break and the swaps year by year.

The calendar is an immutable snapshot of the overrides: when they change, build a new one.
Years are loaded lazily, as the dates asked about need them, and kept as a sorted array of
working-day ordinals, so counting is a bisection rather than a walk through the days.
"""
from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import NamedTuple

from app.domain.dates import MAX_DATE, MIN_DATE, clamp

import holidays

# How many years a forward extension loads beyond what is strictly needed, so that a long
# deadline near the end of the loaded range does not extend one year at a time.
_EXTRA_YEARS = 1


class NamedDay(NamedTuple):
    """A day that breaks the Monday-to-Friday rule, as the Admin's calendar screen lists it."""

    day: date
    name: str | None  # the override's note, else the package's holiday name, else None


@dataclass(frozen=True)
class _Year:
    working: frozenset[int]  # ordinals of the working days of the year
    ordinals: tuple[int, ...]  # the same, sorted
    names: Mapping[date, str]  # the package's holiday names in the year


@dataclass(frozen=True)
class _Span:
    """The contiguous loaded years [first, last], with their working days in one sorted array."""

    first: int
    last: int
    years: Mapping[int, _Year]
    ordinals: tuple[int, ...]


class WorkingCalendar:
    def __init__(
        self,
        overrides: Mapping[date, bool] = MappingProxyType({}),
        notes: Mapping[date, str] = MappingProxyType({}),
    ) -> None:
        """`overrides`: date -> True (working day) / False (day off), set by the Admin.
        `notes`: optional names of the overridden days, shown by `days_off` and `holiday_name`.
        """
        self._overrides: Mapping[date, bool] = MappingProxyType(dict(overrides))
        self._notes: Mapping[date, str] = MappingProxyType(dict(notes))
        self._span: _Span | None = None
        self._lock = threading.Lock()

    # -- questions ---------------------------------------------------------------------------

    def is_working_day(self, d: date) -> bool:
        return d.toordinal() in self._span_covering(d.year, d.year).years[d.year].working

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after d (SPEC §3): counting starts the day after d, and d itself
        never counts, whether or not it is a working day. n == 0 returns d unchanged."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return d
        span = self._span_covering(d.year, d.year)
        while True:
            index = bisect_right(span.ordinals, d.toordinal()) + n - 1
            if index < len(span.ordinals):
                return date.fromordinal(span.ordinals[index])
            # ~250 working days a year: load enough years at once for what is missing.
            missing_years = (index - len(span.ordinals)) // 250 + 1
            if span.last >= MAX_DATE.year + 1:  # the calendar ends with the accepted dates
                raise ValueError(f"{n} working days after {d} is beyond {MAX_DATE}")
            span = self._span_covering(span.first, span.last + missing_years + _EXTRA_YEARS)

    def working_days_between(self, start: date, end: date) -> int:
        """The number of working days in (start, end]; negative, symmetrically, when end < start.

        So `add_working_days(d, n) == e` implies `working_days_between(d, e) == n`.
        Dates outside the accepted range (rows older than the check) are counted at its edge.
        """
        start, end = clamp(start), clamp(end)
        span = self._span_covering(min(start.year, end.year), max(start.year, end.year))
        return bisect_right(span.ordinals, end.toordinal()) - bisect_right(
            span.ordinals, start.toordinal()
        )

    def remaining_working_days(self, today: date, deadline: date) -> int:
        """Working days left until the deadline, seen from `today`.

        - before the deadline: the working days in (today, deadline], so 1 on the working day
          before a deadline that falls on a working day;
        - on the deadline day: 0;
        - after it: minus the working days in (deadline, today], so -1 on the first working day
          after the deadline.
        This is a count, not a state: it is also 0 on a weekend right after the deadline, and
        before a deadline set on a day off. Whether a task is overdue is `today > deadline`
        (SPEC §4.5), not the sign of this number.
        """
        return self.working_days_between(today, deadline)

    def holiday_name(self, d: date) -> str | None:
        """The Admin's note for an overridden day, else the package's name of the holiday on d."""
        if d in self._notes:
            return self._notes[d]
        return self._span_covering(d.year, d.year).years[d.year].names.get(d)

    def days_off(self, year: int) -> list[NamedDay]:
        """The days of `year` that break the Monday-to-Friday rule, in date order: weekdays that
        are not working days (holidays, Tết break, compensatory and swapped days, Admin's days off)
        and weekend days that are (make-up days)."""
        day, last = date(year, 1, 1), date(year, 12, 31)
        found = []
        while day <= last:
            if self.is_working_day(day) != (day.weekday() < 5):
                found.append(NamedDay(day, self.holiday_name(day)))
            day += timedelta(days=1)
        return found

    # -- loading -----------------------------------------------------------------------------

    def _span_covering(self, first: int, last: int) -> _Span:
        if first < MIN_DATE.year - 1 or last > MAX_DATE.year + 1:
            # Never load years day by day for a mistyped date (9999): callers check the range.
            raise ValueError(f"years {first}–{last} are outside the calendar ({MIN_DATE}–{MAX_DATE})")
        span = self._span
        if span is not None and span.first <= first and last <= span.last:
            return span
        with self._lock:
            span = self._span
            years = dict(span.years) if span is not None else {}
            if span is not None:  # keep the loaded years contiguous
                first, last = min(first, span.first), max(last, span.last)
            needed = [y for y in range(first, last + 1) if y not in years]
            if needed:
                package = _package(needed)
                years.update((y, self._load_year(y, package)) for y in needed)
            ordinals = tuple(o for y in range(first, last + 1) for o in years[y].ordinals)
            # One assignment, so a reader in another thread sees the old span or the new one.
            self._span = _Span(first, last, MappingProxyType(years), ordinals)
            return self._span

    def _load_year(self, year: int, package: holidays.HolidayBase) -> _Year:
        names = {d: name for d, name in package.items() if d.year == year}
        # weekend_workdays accumulates across the years the instance knows: keep this year's.
        make_up = {d for d in package.weekend_workdays if d.year == year}
        working = []
        day = date(year, 1, 1)
        while day.year == year:
            is_working = (day.weekday() < 5 and day not in names) or day in make_up
            is_working = self._overrides.get(day, is_working)  # the Admin wins
            if is_working:
                working.append(day.toordinal())
            day += timedelta(days=1)
        return _Year(frozenset(working), tuple(working), MappingProxyType(names))


def _package(years: list[int]) -> holidays.HolidayBase:
    # One year either side: a day off computed from one year's holiday (a compensatory or
    # swapped day) may fall in the next or the previous year.
    around = range(min(years) - 1, max(years) + 2)
    return holidays.country_holidays("VN", years=list(around), language="vi")
