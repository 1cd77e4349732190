"""The documents entered late (Art. 6.1, 6.3) with, for each of their tasks, when it was
actually sent and how many working days after the entry deadline — the Office's list.
Two set-based queries per page: the documents, then their tasks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.domain.entry_rules import EntryTimeliness, entry_timeliness
from app.extensions import db
from app.models import Document, Task
from app.services.calendar import current_calendar, today
from app.services.register import late_entry_condition

PAGE_SIZE = 25


@dataclass
class SentTask:
    task: Task
    sent_at: dt.datetime | None
    timeliness: EntryTimeliness


@dataclass
class LateDocument:
    document: Document
    tasks: list[SentTask]


def late_entries(page: int = 0, page_size: int = PAGE_SIZE) -> tuple[int, list[LateDocument]]:
    """(how many documents, this page of them, latest entry deadline first)."""
    now = today()
    condition = late_entry_condition(now)
    total = db.session.scalar(select(func.count()).select_from(Document).where(condition)) or 0
    documents = db.session.scalars(
        select(Document).where(condition).order_by(Document.entry_due_on.desc(), Document.id.desc())
        .offset(max(page, 0) * page_size).limit(page_size)).all()
    by_document: dict[int, list[SentTask]] = {d.id: [] for d in documents}
    if documents:
        calendar = current_calendar()
        due = {d.id: d.entry_due_on for d in documents}
        tasks = db.session.scalars(
            select(Task).where(Task.document_id.in_(list(due)), Task.status != "withdrawn")
            .order_by(Task.document_id, Task.id).options(selectinload(Task.lead_agency))).all()
        for task in tasks:
            timeliness = entry_timeliness(due[task.document_id], task.sent_at.date() if task.sent_at else None,
                                          now, calendar)
            by_document[task.document_id].append(SentTask(task, task.sent_at, timeliness))
    return total, [LateDocument(d, by_document[d.id]) for d in documents]
