"""Where a task stands against its deadline (SPEC §4.5)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.calendar import WorkingCalendar
from app.domain.vocabulary import TaskStatus

CLOSED = frozenset({TaskStatus.completed, TaskStatus.withdrawn})
# Sent to the agencies and not closed: what counts as open, overdue or due soon.
OPEN = frozenset(s for s in TaskStatus if s not in CLOSED and s != TaskStatus.draft)


@dataclass(frozen=True)
class DeadlineState:
    overdue: bool
    due_soon: bool
    # Working days from today to the deadline (0 on the day); when overdue, the
    # working days since the deadline, as a positive number.
    working_days: int

    @property
    def days_left(self) -> int | None:
        return None if self.overdue else self.working_days


def deadline_state(
    calendar: WorkingCalendar,
    today: date,
    deadline: date,
    status: TaskStatus | str,
    due_soon_days: int,
) -> DeadlineState:
    if TaskStatus(status) in CLOSED:
        return DeadlineState(overdue=False, due_soon=False, working_days=0)
    if today > deadline:
        # Overdue at the end of the deadline day, whether or not today is a working day.
        return DeadlineState(True, False, calendar.working_days_between(deadline, today))
    left = calendar.working_days_between(today, deadline)
    return DeadlineState(False, left <= due_soon_days, left)
