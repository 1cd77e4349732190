"""The periodic reporting windows of Art. 20 (SPEC §4.7).

Art. 20.1 cuts the figures on the 14th: a monthly report runs from the 15th of the previous
month to the 14th of the month; a quarterly one from the 15th of the month before the quarter
to the 14th of its last month; the half-year report from 15 December of the previous year to
14 June; the annual one from 15 December of the previous year to 14 December. So a quarter is
exactly its three monthly windows, and a window of "2027" may start in December 2026.

Art. 20.1 defines a single half-year report, the first half: no `half_year` period contains a
day from 15 June to 14 December (the annual report covers it).

Agencies report within 2 working days after the cut-off (Art. 20.2), the Office consolidates
within 5 (Art. 20.3), counted as SPEC §3 counts: from the day after the cut-off.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date

from app.domain.calendar import WorkingCalendar
from app.domain.vocabulary import StrEnum

CUT_OFF_DAY = 14  # Art. 20.1: the figures are cut on the 14th; a window opens on the 15th
AGENCY_REPORT_WORKING_DAYS = 2  # Art. 20.2
OFFICE_REPORT_WORKING_DAYS = 5  # Art. 20.3


class PeriodKind(StrEnum):
    monthly = "monthly"
    quarterly = "quarterly"
    half_year = "half_year"
    annual = "annual"


# How many numbered periods a year has; half_year and annual are not numbered.
NUMBERS = {PeriodKind.monthly: 12, PeriodKind.quarterly: 4}


@dataclass(frozen=True)
class Period:
    """One reporting period: `number` is the month (1–12) or the quarter (1–4), None otherwise."""

    kind: PeriodKind
    year: int
    number: int | None = None

    def __post_init__(self) -> None:
        try:
            kind = PeriodKind(self.kind)
        except ValueError:
            choices = ", ".join(k.value for k in PeriodKind)
            raise ValueError(f"unknown period kind {self.kind!r}; expected one of {choices}") from None
        object.__setattr__(self, "kind", kind)
        a = "an" if kind.value[0] in "aeiou" else "a"
        if not _is_int(self.year) or not MINYEAR < self.year <= MAXYEAR:
            raise ValueError(f"the year of {a} {kind} period must be an integer from "
                             f"{MINYEAR + 1} to {MAXYEAR}, got {self.year!r}")
        if kind in NUMBERS:
            highest = NUMBERS[kind]
            if self.number is None:
                raise ValueError(f"{a} {kind} period needs a number from 1 to {highest}")
            if not _is_int(self.number) or not 1 <= self.number <= highest:
                raise ValueError(f"the number of {a} {kind} period must be from 1 to {highest}, "
                                 f"got {self.number!r}")
        elif self.number is not None:
            raise ValueError(f"{a} {kind} period has no number, got {self.number!r}")

    # -- the window (Art. 20.1) ----------------------------------------------------------------

    @property
    def last_month(self) -> int:
        """The month whose 14th closes the window."""
        return {
            PeriodKind.monthly: self.number,
            PeriodKind.quarterly: 3 * (self.number or 0),
            PeriodKind.half_year: 6,
            PeriodKind.annual: 12,
        }[self.kind]

    @property
    def first_month(self) -> int:
        """The first month the period reports on; the window opens on the 15th of the month before."""
        return {
            PeriodKind.monthly: self.number,
            PeriodKind.quarterly: 3 * (self.number or 0) - 2,
            PeriodKind.half_year: 1,
            PeriodKind.annual: 1,
        }[self.kind]

    @property
    def start(self) -> date:
        """The 15th of the month before the first month (15 December of the previous year for
        January, Q1, the half-year and the year)."""
        if self.first_month == 1:
            return date(self.year - 1, 12, CUT_OFF_DAY + 1)
        return date(self.year, self.first_month - 1, CUT_OFF_DAY + 1)

    @property
    def end(self) -> date:
        """The cut-off: the 14th of the last month."""
        return date(self.year, self.last_month, CUT_OFF_DAY)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    # -- the due dates -------------------------------------------------------------------------

    def agency_due(self, calendar: WorkingCalendar) -> date:
        """Art. 20.2: agencies send their report within 2 working days after the cut-off."""
        return calendar.add_working_days(self.end, AGENCY_REPORT_WORKING_DAYS)

    def office_due(self, calendar: WorkingCalendar) -> date:
        """Art. 20.3: the Office submits the consolidated report within 5 working days after it."""
        return calendar.add_working_days(self.end, OFFICE_REPORT_WORKING_DAYS)

    # -- names ---------------------------------------------------------------------------------

    @property
    def label(self) -> str:
        """A stable key for ids and URLs: monthly-2026-03, quarterly-2026-q2, half_year-2026,
        annual-2026. `parse_label` reads it back."""
        if self.kind is PeriodKind.monthly:
            return f"monthly-{self.year}-{self.number:02d}"
        if self.kind is PeriodKind.quarterly:
            return f"quarterly-{self.year}-q{self.number}"
        return f"{self.kind.value}-{self.year}"

    def __str__(self) -> str:
        name = {
            PeriodKind.monthly: f"month {self.number}/{self.year}",
            PeriodKind.quarterly: f"quarter {self.number}/{self.year}",
            PeriodKind.half_year: f"first half of {self.year}",
            PeriodKind.annual: f"year {self.year}",
        }[self.kind]
        return f"{name} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_label(label: str) -> Period:
    """The period of a `Period.label`; ValueError if the text is not one."""
    parts = label.strip().split("-")
    try:
        kind = PeriodKind(parts[0])
        year = int(parts[1])
        if kind is PeriodKind.monthly and len(parts) == 3 and len(parts[2]) == 2:
            return Period(kind, year, int(parts[2]))
        if kind is PeriodKind.quarterly and len(parts) == 3 and parts[2][:1] == "q":
            return Period(kind, year, int(parts[2][1:]))
        if kind not in NUMBERS and len(parts) == 2:
            return Period(kind, year)
    except (ValueError, IndexError):
        pass
    raise ValueError(f"not a period label: {label!r} (expected e.g. monthly-2026-03, "
                     f"quarterly-2026-q2, half_year-2026, annual-2026)")


# -- finding periods ---------------------------------------------------------------------------


def _reporting_month(day: date) -> tuple[int, int]:
    """(year, month) of the monthly window holding the day: from the 15th on, the next month's."""
    if day.day <= CUT_OFF_DAY:
        return day.year, day.month
    if day.month == 12:
        return day.year + 1, 1
    return day.year, day.month + 1


def period_containing(kind: PeriodKind | str, day: date) -> Period:
    """The period of that kind whose window holds the day (Art. 20.1).

    ValueError for a half_year and a day from 15 June to 14 December: the Quy chế has no
    second half-year report; that stretch is reported in the annual report.
    """
    kind = PeriodKind(kind)
    year, month = _reporting_month(day)
    if kind is PeriodKind.monthly:
        return Period(kind, year, month)
    if kind is PeriodKind.quarterly:
        return Period(kind, year, (month - 1) // 3 + 1)
    if kind is PeriodKind.half_year:
        if month > 6:
            raise ValueError(f"no half-year period contains {day:%d/%m/%Y}: Art. 20.1 defines only "
                             f"the first half (15/12 to 14/06); the annual report covers the rest")
        return Period(kind, year)
    return Period(kind, year)


def periods_ending_on(day: date) -> list[Period]:
    """Every period cut off on that day (its end), shortest first: on a 14th the month's, on the
    14th of March, June, September and December also the quarter's, on 14 June the half-year's,
    on 14 December the year's. Empty on any other day."""
    if day.day != CUT_OFF_DAY:
        return []
    found = [Period(PeriodKind.monthly, day.year, day.month)]
    if day.month % 3 == 0:
        found.append(Period(PeriodKind.quarterly, day.year, day.month // 3))
    if day.month == 6:
        found.append(Period(PeriodKind.half_year, day.year))
    if day.month == 12:
        found.append(Period(PeriodKind.annual, day.year))
    return found


def previous(period: Period) -> Period:
    """The period of the same kind just before (the previous year's for half_year and annual)."""
    if period.kind in NUMBERS:
        if period.number == 1:
            return Period(period.kind, period.year - 1, NUMBERS[period.kind])
        return Period(period.kind, period.year, period.number - 1)
    return Period(period.kind, period.year - 1)


def last_n_months(day: date, n: int) -> list[Period]:
    """The n monthly periods up to and including the one holding the day, oldest first."""
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    months: list[Period] = []
    if n == 0:
        return months
    month = period_containing(PeriodKind.monthly, day)
    months.append(month)
    while len(months) < n:
        month = previous(month)
        months.append(month)
    return months[::-1]

