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
    # No statement for an empty set (a task's history without agency or user changes).
    agencies = dict(db.session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids))).all()
                    ) if agency_ids else {}
    users = {u.id: u.get_full_name() for u in db.session.scalars(select(AppUser).where(AppUser.id.in_(user_ids)))
             } if user_ids else {}

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


def _history_events(task: Task) -> tuple[list[Event], list[tuple[dt.datetime, str | None, str | None]]]:
    """The change_log's events, one per action, and the deadline moves the extensions
    made ((at, old, new): told once, by the extension's own line)."""
    rows = db.session.scalars(
        select(ChangeLog).where(ChangeLog.entity == "task", ChangeLog.entity_id == task.id)
        .order_by(ChangeLog.id).options(selectinload(ChangeLog.user))).all()
    show = _describer(rows)
    events, moves = [], []
    sent = False
    # One event per action: the rows one transaction wrote share time, user and action.
    for (at, user_id, action), group in groupby(rows, key=lambda r: (r.at, r.user_id, r.action)):
        group = list(group)
        # Told once, by their own rows: the submitted result (with its files), the feedback
        # of a return (with its reason), an extension (with its decision).
        if action in ("report", "return"):
            continue
        if action == "extension":
            moves += [(at, r.old_value, r.new_value) for r in group if r.field == "deadline"]
            continue
        changes = [Change(str(FIELD_LABELS.get(r.field, r.field)), show(r.field, r.old_value),
                          show(r.field, r.new_value))
                   for r in group if r.field and r.field not in QUIET_FIELDS and r.field != "status"]
        kind = {"create": "transition", "update": "correction", "extension": "extension"}.get(action, "transition")
        title = str(labels.HISTORY_ACTION.get(action, action))
        if action == "send":
            sent = True
            if any(r.field == "lead_agency_id" for r in group):  # Art. 5.2.b
                title = str(_l("Transferred to another lead agency and sent"))
        events.append(Event(at=at, kind=kind, title=title, user=group[0].user, changes=changes,
                            note=group[0].comment))
    if not sent and task.sent_at is not None:
        # Entered with "Giao ngay" before the sending had a history row of its own.
        events.append(Event(at=task.sent_at, kind="transition", title=str(labels.HISTORY_ACTION["send"]),
                            user=db.session.get(AppUser, task.created_by_id) if task.created_by_id else None))
    return events, moves


def _deadline_move(moves, request) -> tuple[str | None, str | None]:
    """The deadline the approval replaced and the one it set, from the history row of the
    same decision (the nearest in time that set the approved date)."""
    approved = request.approved_deadline.isoformat()
    same = [m for m in moves if m[2] == approved]
    if same:
        at, old, new = min(same, key=lambda m: abs((m[0] - request.decided_at).total_seconds()))
        return old, new
    return request.deadline_at_request.isoformat() if request.deadline_at_request else None, approved


def extension_requests(task: Task) -> list[ExtensionRequest]:
    """The task's extension requests with who asked and decided, read once per request (its
    timeline and the pending one its page offers to decide)."""
    from app.versions import once

    return once("extension_requests", task.id, lambda: db.session.scalars(
        select(ExtensionRequest).where(ExtensionRequest.task_id == task.id).order_by(ExtensionRequest.id)
        .options(selectinload(ExtensionRequest.requested_by), selectinload(ExtensionRequest.decided_by))).all())


def task_updates(task: Task) -> list[TaskUpdate]:
    """Every update of the task, posted or draft, with its author, poster and agency, read once
    per request: the timeline shows the posted ones, the page the viewer's agency's drafts."""
    from app.versions import once

    return once("task_updates", task.id, lambda: db.session.scalars(
        select(TaskUpdate).where(TaskUpdate.task_id == task.id).order_by(TaskUpdate.id)
        .options(selectinload(TaskUpdate.author), selectinload(TaskUpdate.posted_by),
                 selectinload(TaskUpdate.agency))).all())


def task_timeline(task: Task) -> list[Event]:
    """The task's history, one line per event, oldest first."""
    events, moves = _history_events(task)
    updates = [entry for entry in task_updates(task) if not entry.draft]
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
        events.append(Event(at=feedback.created_at, kind="feedback", title=str(labels.HISTORY_ACTION["return"]),
                            user=feedback.author, agency=feedback.agency, body=feedback.body,
                            note=str(labels.FEEDBACK_REASON.get(feedback.reason, feedback.reason))))
    for request in extension_requests(task):
        if not request.reference or request.decided_at != request.requested_at:
            late = str(_l(" (asked after the deadline)")) if request.late else ""
            events.append(Event(
                at=request.requested_at, kind="extension", title=str(_l("Extension requested")) + late,
                user=request.requested_by, agency=request.agency, body=request.reason,
                note=str(_l("Proposed deadline: %(date)s", date=request.proposed_deadline.strftime("%d/%m/%Y")))))
        if request.decided_at:
            detail, changes = [], []
            if request.status == "approved" and request.approved_deadline:
                old, new = _deadline_move(moves, request)
                changes.append(Change(str(FIELD_LABELS["deadline"]), _fmt_date(old) if old else "—", _fmt_date(new)))
            if request.reference:
                detail.append(str(_l("Approved outside the system: %(ref)s", ref=request.reference)))
            title = _l("Extension approved") if request.status == "approved" else _l("Extension refused")
            events.append(Event(at=request.decided_at, kind="extension", title=str(title),
                                user=request.decided_by, body=request.decision_comment, changes=changes,
                                note="; ".join(detail) or None))
    # Asking for direction (issue 13): difficulties, disagreements, proposals and directions.
    from app.services.proposals import timeline_events

    events.extend(timeline_events(task))
    events.sort(key=lambda e: e.at)
    return events
