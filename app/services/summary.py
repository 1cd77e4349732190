"""Counts for the home page, in the viewer's scope (one aggregate query)."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import case, func, select

from app.access import Viewer, restrict_tasks
from app.domain.deadlines import CLOSED
from app.domain.vocabulary import TaskStatus
from app.extensions import db
from app.models import Task
from app.services.calendar import current_calendar, today


def task_counts(viewer: Viewer) -> dict[str, int]:
    now = today()
    soon = current_calendar().add_working_days(now, current_app.config["DUE_SOON_WORKING_DAYS"])
    is_open = Task.status.not_in([s.value for s in CLOSED])

    def count_if(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    stmt = select(
        count_if(is_open).label("open"),
        count_if(is_open & (Task.deadline < now)).label("overdue"),
        count_if(is_open & (Task.deadline >= now) & (Task.deadline <= soon)).label("due_soon"),
        count_if(Task.status == TaskStatus.draft.value).label("draft"),
        count_if(Task.status == TaskStatus.completed.value).label("completed"),
    ).select_from(Task)
    row = db.session.execute(restrict_tasks(stmt, viewer)).one()
    return dict(row._mapping)
