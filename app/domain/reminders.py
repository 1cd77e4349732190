"""When the system reminds (Art. 10.2.a, 11: monitoring and urging), in working days.

A reminder goes to the lead agency and the tracking officer `days_before`
working days before the deadline, on the deadline day, and while the task is
overdue on the first working day after the deadline and then every
`overdue_every` working days, until it is completed or withdrawn.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.calendar import WorkingCalendar
from app.domain.vocabulary import StrEnum


class ReminderKind(StrEnum):
    due_soon = "due_soon"
    due_today = "due_today"
    overdue = "overdue"


@dataclass(frozen=True)
class ReminderPolicy:
    days_before: tuple[int, ...] = (3,)
    on_the_day: bool = True
    overdue_every: int = 2  # working days; 0: only the first day after the deadline

    @classmethod
    def parse(cls, days_before: str, on_the_day: bool, overdue_every: int) -> "ReminderPolicy":
        days = tuple(sorted({int(x) for x in str(days_before).replace(";", ",").split(",") if x.strip()}))
        if any(d <= 0 for d in days) or overdue_every < 0:
            raise ValueError("reminder days must be positive working-day counts")
        return cls(days, on_the_day, overdue_every)


def reminder_kind(calendar: WorkingCalendar, today: date, deadline: date,
                  policy: ReminderPolicy) -> ReminderKind | None:
    """The reminder an open task with this deadline gets today, if any."""
    if today == deadline:
        return ReminderKind.due_today if policy.on_the_day else None
    if today < deadline:
        left = calendar.working_days_between(today, deadline)
        return ReminderKind.due_soon if left in policy.days_before else None
    late = calendar.working_days_between(deadline, today)
    if late == 1 or (late > 1 and policy.overdue_every and (late - 1) % policy.overdue_every == 0):
        return ReminderKind.overdue
    return None


def delay_report_due(calendar: WorkingCalendar, received_on: date) -> date:
    """Art. 18.5: the Office urges the agency, or reports to the Chairman,
    within 2 working days after it receives the report."""
    return calendar.add_working_days(received_on, 2)
