"""The daily deadline sweep (Art. 10.1, 11): set-based, whatever the number of tasks.

It reads the open tasks' distinct deadlines with their counts (one indexed
GROUP BY), decides in Python — on the working calendar — which deadlines are
due soon, due today or overdue and which get a reminder today, then inserts
the reminders with one INSERT … SELECT per kind. The notification table's
dedupe key makes a second run that day insert nothing.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import func, select

from app.domain.deadlines import OPEN as DEADLINE_OPEN
from app.domain.lifecycle import WITH_THE_AGENCY
from app.domain.reminders import ReminderKind, ReminderPolicy, reminder_kind
from app.extensions import db
from app.models import Task
from app.services.calendar import current_calendar, today
from app.services.notifications import NOTIFICATION_COLUMNS, insert_ignoring_duplicates, reminder_rows

OPEN = [s.value for s in DEADLINE_OPEN]
REMINDED = [s.value for s in WITH_THE_AGENCY]


def policy() -> ReminderPolicy:
    config = current_app.config
    return ReminderPolicy.parse(config["REMINDER_DAYS_BEFORE"], config["REMINDER_ON_THE_DAY"],
                                config["REMINDER_OVERDUE_EVERY"])


def deadline_sweep(day: dt.date | None = None, *, force: bool = False) -> dict:
    day = day or today()
    calendar = current_calendar()
    if not calendar.is_working_day(day) and not force:
        return {"day": day.isoformat(), "skipped": "not a working day"}
    rules = policy()
    soon = calendar.add_working_days(day, current_app.config["DUE_SOON_WORKING_DAYS"])
    per_deadline = db.session.execute(
        select(Task.deadline, func.count()).where(Task.status.in_(OPEN)).group_by(Task.deadline)).all()
    reminded = set(db.session.scalars(
        select(Task.deadline).where(Task.status.in_(REMINDED)).group_by(Task.deadline)))
    counts = {"overdue": 0, "due_today": 0, "due_soon": 0}
    by_kind: dict[ReminderKind, list[dt.date]] = {}
    for deadline, n in per_deadline:
        if deadline < day:
            counts["overdue"] += n
        elif deadline == day:
            counts["due_today"] += n
        elif deadline <= soon:
            counts["due_soon"] += n
        kind = reminder_kind(calendar, day, deadline, rules) if deadline in reminded else None
        if kind is not None:
            by_kind.setdefault(kind, []).append(deadline)
    reminders = 0
    for kind, deadlines in by_kind.items():
        for rows in reminder_rows(kind.value, deadlines, day, REMINDED):
            reminders += insert_ignoring_duplicates(rows, NOTIFICATION_COLUMNS)
    db.session.commit()
    return {"day": day.isoformat(), "open": sum(n for _, n in per_deadline), **counts,
            "reminders": reminders}
