"""A task's full timeline: every transition, correction, update, contribution,
feedback, extension and file, with who and when (issue: lifecycle). It is read
from append-only rows; nothing in it can be edited afterwards."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import labels
from app.extensions import db
from app.models import Agency, AppUser, Attachment, ChangeLog, ExtensionRequest, Feedback, Task, TaskUpdate

FIELD_LABELS = {
    "content": _l("Task content"), "lead_agency_id": _l("Lead agency"),
    "coordinating_agencies": _l("Coordinating agencies"), "tracking_officer_id": _l("Tracking officer"),
    "deadline": _l("Deadline"), "original_deadline": _l("Original deadline"), "notes": _l("Notes"),
    "status": _l("Status"), "document_id": _l("Document"),
}
# Shown by the events that carry them (the result text, its time), not as field changes.
QUIET_FIELDS = {"result", "result_submitted_at", "completed_on", "sent_at"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Event:
    at: dt.datetime
    kind: str  # css-ish kind: transition, correction, update, contribution, result, feedback, extension, file
    title: str
    user: AppUser | None = None
    agency: Agency | None = None
    body: str | None = None
    changes: list[Change] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    note: str | None = None


def _fmt_date(value: str) -> str:
    return dt.date.fromisoformat(value).strftime("%d/%m/%Y")


def _describer(rows):
    """Turns stored ids and codes into names and labels, with one query per kind."""
    agency_ids, user_ids = set(), set()
    for row in rows:
        values = [v for v in (row.old_value, row.new_value) if v]
        if row.field in ("lead_agency_id", "coordinating_agencies"):
            agency_ids |= {int(x) for v in values for x in v.split(",") if x}
        elif row.field == "tracking_officer_id":
            user_ids |= {int(v) for v in values}
    agencies = dict(db.session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids))).all())
    users = {u.id: u.get_full_name() for u in db.session.scalars(select(AppUser).where(AppUser.id.in_(user_ids)))}

    def show(name, value):
        if not value:
            return "—"
        if name in ("lead_agency_id", "coordinating_agencies"):
            return ", ".join(agencies.get(int(x), x) for x in value.split(",") if x) or "—"
        if name == "tracking_officer_id":
            return users.get(int(value), value)
        if name == "status":
            return str(labels.TASK_STATUS.get(value, value))
        if name in ("deadline", "original_deadline"):
            return _fmt_date(value)
        return value

    return show


def _history_events(task: Task) -> list[Event]:
    rows = db.session.scalars(
        select(ChangeLog).where(ChangeLog.entity == "task", ChangeLog.entity_id == task.id)
        .order_by(ChangeLog.id).options(selectinload(ChangeLog.user))).all()
    show = _describer(rows)
    events = []
    # One event per action: the rows one transaction wrote share time, user and action.
    for (at, user_id, action), group in groupby(rows, key=lambda r: (r.at, r.user_id, r.action)):
        group = list(group)
        if action == "report":  # the submitted result's own event tells it, with its files
            continue
        changes = [Change(str(FIELD_LABELS.get(r.field, r.field)), show(r.field, r.old_value),
                          show(r.field, r.new_value))
                   for r in group if r.field and r.field not in QUIET_FIELDS and r.field != "status"]
        kind = {"create": "transition", "update": "correction", "extension": "extension"}.get(action, "transition")
        events.append(Event(at=at, kind=kind, title=str(labels.HISTORY_ACTION.get(action, action)),
                            user=group[0].user, changes=changes, note=group[0].comment))
    return events


def task_timeline(task: Task) -> list[Event]:
    events = _history_events(task)
    updates = db.session.scalars(
        select(TaskUpdate).where(TaskUpdate.task_id == task.id, TaskUpdate.draft.is_(False))
        .options(selectinload(TaskUpdate.author), selectinload(TaskUpdate.posted_by),
                 selectinload(TaskUpdate.agency))).all()
    files_by_update: dict[int, list[Attachment]] = {}
    loose_files = []
    for attachment in db.session.scalars(select(Attachment).where(Attachment.task_id == task.id)
                                         .options(selectinload(Attachment.uploaded_by))):
        if attachment.update_id:
            files_by_update.setdefault(attachment.update_id, []).append(attachment)
        else:
            loose_files.append(attachment)
    for entry in updates:
        note = None
        if entry.posted_by_id and entry.posted_by_id != entry.author_id:
            note = str(_l("Drafted by %(author)s, posted by %(head)s", author=entry.author.get_full_name(),
                          head=entry.posted_by.get_full_name()))
        events.append(Event(at=entry.posted_at or entry.created_at, kind=entry.kind,
                            title=str(labels.UPDATE_KIND[entry.kind]), user=entry.posted_by or entry.author,
                            agency=entry.agency, body=entry.body, files=files_by_update.get(entry.id, []),
                            note=note))
    for attachment in loose_files:
        events.append(Event(at=attachment.uploaded_on, kind="file", title=str(_l("File added")),
                            user=attachment.uploaded_by, files=[attachment]))
    for feedback in db.session.scalars(select(Feedback).where(Feedback.task_id == task.id)
                                       .options(selectinload(Feedback.author), selectinload(Feedback.agency))):
        events.append(Event(at=feedback.created_at, kind="feedback", title=str(_l("Feedback")),
                            user=feedback.author, agency=feedback.agency, body=feedback.body,
                            note=str(labels.FEEDBACK_REASON.get(feedback.reason, feedback.reason))))
    for request in db.session.scalars(select(ExtensionRequest).where(ExtensionRequest.task_id == task.id)
                                      .options(selectinload(ExtensionRequest.requested_by),
                                               selectinload(ExtensionRequest.decided_by))):
        if not request.reference or request.decided_at != request.requested_at:
            late = str(_l(" (asked after the deadline)")) if request.late else ""
            events.append(Event(
                at=request.requested_at, kind="extension", title=str(_l("Extension requested")) + late,
                user=request.requested_by, agency=request.agency, body=request.reason,
                note=str(_l("Proposed deadline: %(date)s", date=request.proposed_deadline.strftime("%d/%m/%Y")))))
        if request.decided_at:
            decision = str(labels.EXTENSION_STATUS[request.status])
            detail = []
            if request.approved_deadline:
                detail.append(str(_l("New deadline: %(date)s", date=request.approved_deadline.strftime("%d/%m/%Y"))))
            if request.reference:
                detail.append(str(_l("Approved outside the system: %(ref)s", ref=request.reference)))
            events.append(Event(at=request.decided_at, kind="extension",
                                title=str(_l("Extension decision: %(decision)s", decision=decision)),
                                user=request.decided_by, body=request.decision_comment,
                                note="; ".join(detail) or None))
    # Asking for direction (issue 13): difficulties, disagreements, proposals and directions.
    from app.services.proposals import timeline_events

    events.extend(timeline_events(task))
    events.sort(key=lambda e: e.at)
    return events
