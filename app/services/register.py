"""The task register: entering documents with their tasks, correcting them.

Art. 4 says what is recorded, Art. 7–9 what is refused, Art. 6 by when it must
be entered. Every function validates the whole input first and raises Invalid
with every problem at once; nothing is written (no row, no file) on a refusal.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask_appbuilder.security.sqla.models import Role as FabRole
from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select

from app.access import Viewer, visible_task
from app.domain.entry_rules import (
    MissingReceivedOn,
    NotTrackable,
    check_document_trackable,
    check_task_trackable,
    entry_due_date,
)
from app.domain.lifecycle import ASSIGNMENT_CORRECTABLE
from app.domain.text import TEXT_MAX
from app.domain.vocabulary import (
    DocType,
    Issuer,
    Role,
    Secrecy,
    Source,
    TaskStatus,
    Urgency,
)
from app.extensions import db
from app.models import Agency, Document, Task, AppUser, local_now
from app.services import attachments
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound

OFFICE_EDITORS = frozenset({Role.Admin.value, Role.OfficeOfficial.value, Role.OfficeLeader.value})
TRACKING_ROLES = frozenset({Role.OfficeOfficial.value, Role.OfficeLeader.value})

SECRET_MESSAGE = _l(
    "This document is classified (confidential, secret or top secret). Under Art. 7.1 "
    "and Art. 8 of the Regulation, tasks assigned in classified documents are not entered "
    "in the system: the agencies report on them on paper. Nothing has been saved."
)
@dataclass
class DocumentInput:
    doc_type: str
    number: str
    summary: str
    issued_on: dt.date | None
    signer: str
    issuer: str
    source: str
    urgency: str = Urgency.normal.value
    secrecy: str = Secrecy.none.value
    issuer_name: str | None = None
    received_on: dt.date | None = None


@dataclass
class TaskInput:
    content: str
    lead_agency_id: int | None
    deadline: dt.date | None
    coordinating_agency_ids: list[int] = field(default_factory=list)
    tracking_officer_id: int | None = None
    notes: str | None = None


def _column_length(model, name: str) -> int:
    return model.__table__.c[name].type.length or TEXT_MAX


def _enum_value(enum, value, name: str, label, errors: FieldErrors) -> None:
    if not isinstance(value, str) or value not in {m.value for m in enum}:  # a dict or list too
        errors.add(name, _l("%(field)s: '%(value)s' is not a valid choice.", field=label, value=value))


def check_not_classified(secrecy: str) -> None:
    """Art. 7.1, 8: refused before anything else is looked at or stored."""
    try:
        check_document_trackable(Secrecy(secrecy))
    except ValueError:
        raise Invalid(_l("Secrecy: '%(value)s' is not a valid choice.", value=secrecy),
                      {"secrecy": [_l("Not a valid choice.")]})
    except NotTrackable:
        raise Invalid(SECRET_MESSAGE, {"secrecy": [SECRET_MESSAGE]})


def _validate_document(data: DocumentInput, errors: FieldErrors, *, existing_id: int | None = None):
    for name, label, length in (("number", _l("Number and symbol"), _column_length(Document, "number")),
                                ("signer", _l("Signer"), _column_length(Document, "signer")),
                                ("issuer_name", _l("Issuing authority"), _column_length(Document, "issuer_name")),
                                ("summary", _l("Summary"), TEXT_MAX)):
        errors.text_fits(name, getattr(data, name), label, length)
    _enum_value(DocType, data.doc_type, "doc_type", _l("Document type"), errors)
    _enum_value(Issuer, data.issuer, "issuer", _l("Issued by"), errors)
    _enum_value(Urgency, data.urgency, "urgency", _l("Urgency"), errors)
    _enum_value(Source, data.source, "source", _l("Source"), errors)
    if not (data.number or "").strip():
        errors.add("number", _l("Number and symbol are required (e.g. 123/UBND-TH)."))
    if not (data.summary or "").strip():
        errors.add("summary", _l("The summary (trích yếu) is required."))
    if not (data.signer or "").strip():
        errors.add("signer", _l("The signer is required."))
    if data.issued_on is None:
        errors.add("issued_on", _l("The date of issue is required."))
    elif not errors.date_in_range("issued_on", data.issued_on, _l("Date of issue")):
        pass
    elif data.issued_on > today():
        errors.add("issued_on", _l("The date of issue cannot be in the future."))
    if data.issuer == Issuer.higher_authority.value:
        if not (data.issuer_name or "").strip():
            errors.add("issuer_name", _l("Name the higher authority that issued the document."))
        if data.received_on is None:
            errors.add("received_on", _l(
                "The date the Committee received it is required for a higher authority's "
                "document (Art. 6.3)."))
    if not errors.date_in_range("received_on", data.received_on, _l("Date received")):
        pass
    elif data.received_on and data.issued_on and data.received_on < data.issued_on:
        errors.add("received_on", _l("The date received cannot be before the date of issue."))
    if data.received_on and data.received_on > today():
        errors.add("received_on", _l("The date received cannot be in the future."))
    if data.number and data.issued_on and "number" not in errors.by_field and "issued_on" not in errors.by_field:
        clash = db.session.scalar(
            select(Document.id).where(Document.number == data.number.strip(),
                                      Document.issued_on == data.issued_on)
        )
        if clash and clash != existing_id:
            errors.add("number", _l(
                "Document %(number)s of %(date)s is already in the register.",
                number=data.number.strip(), date=data.issued_on.strftime("%d/%m/%Y")))


def _office_officer_ids(ids) -> set[int]:
    if not ids:
        return set()
    return set(db.session.scalars(
        select(AppUser.id).join(AppUser.roles).where(
            AppUser.id.in_(ids), AppUser.active.is_(True), FabRole.name.in_(TRACKING_ROLES))))


def _validate_tasks(tasks: list[TaskInput], issued_on, errors: FieldErrors) -> dict[int, Agency]:
    if not tasks:
        errors.add("tasks", _l("Enter at least one task of the document."))
        return {}
    wanted = {t.lead_agency_id for t in tasks if t.lead_agency_id}
    wanted |= {a for t in tasks for a in t.coordinating_agency_ids}
    agencies = {a.id: a for a in db.session.scalars(
        select(Agency).where(Agency.id.in_(wanted), Agency.active.is_(True)))}
    officers = _office_officer_ids({t.tracking_officer_id for t in tasks if t.tracking_officer_id})
    for n, task in enumerate(tasks, start=1):
        for name, label in (("content", _l("Task %(n)s: content", n=n)), ("notes", _l("Task %(n)s: notes", n=n))):
            errors.text_fits(f"tasks-{n - 1}-{name}", getattr(task, name), label, TEXT_MAX)
        key = f"tasks-{n - 1}"
        if not (task.content or "").strip():
            errors.add(f"{key}-content", _l("Task %(n)s: the content is required.", n=n))
        if task.lead_agency_id is None:
            errors.add(f"{key}-lead_agency_id", _l("Task %(n)s: choose the lead agency.", n=n))
        elif task.lead_agency_id not in agencies:
            errors.add(f"{key}-lead_agency_id", _l("Task %(n)s: the lead agency does not exist or is inactive.", n=n))
        unknown = [a for a in task.coordinating_agency_ids if a not in agencies]
        if unknown:
            errors.add(f"{key}-coordinating_agency_ids",
                       _l("Task %(n)s: a coordinating agency does not exist or is inactive.", n=n))
        if task.lead_agency_id and task.lead_agency_id in task.coordinating_agency_ids:
            errors.add(f"{key}-coordinating_agency_ids",
                       _l("Task %(n)s: the lead agency cannot also be a coordinating agency.", n=n))
        try:
            check_task_trackable(task.deadline)
        except NotTrackable:
            errors.add(f"{key}-deadline", _no_deadline(n))
        else:
            in_range = errors.date_in_range(f"{key}-deadline", task.deadline, _l("Task %(n)s: deadline", n=n))
            if in_range and issued_on and task.deadline < issued_on:
                errors.add(f"{key}-deadline",
                           _l("Task %(n)s: the deadline is before the document's date of issue.", n=n))
        if task.tracking_officer_id and task.tracking_officer_id not in officers:
            errors.add(f"{key}-tracking_officer_id",
                       _l("Task %(n)s: the tracking officer must be an active Office official.", n=n))
    return agencies


def _no_deadline(n: int):
    return _l(
        "Task %(n)s has no specific deadline. Under Art. 7.2 and Art. 9 of the Regulation, "
        "a task without a specific completion deadline is not tracked in the system: the "
        "agency reports on it in its monthly, quarterly, half-year and annual reports.", n=n)


def require_office_editor(viewer: Viewer) -> None:
    # The history rows this action writes name this user (app.history).
    g.acting_user_id = viewer.user_id
    if not viewer.roles & OFFICE_EDITORS:
        raise Forbidden(_l("Only the Office enters and corrects documents and tasks."))


def create_document(
    data: DocumentInput,
    tasks: list[TaskInput],
    *,
    viewer: Viewer,
    send: bool = False,
    files=(),
    on_created=None,
) -> Document:
    """Enter a document and its tasks in one transaction (Art. 4, 5.1.a, 5.3.a).

    With send=True the tasks go to their lead agencies at once and the time is
    recorded (Art. 6). `on_created(document)` runs in the same transaction, after
    the rows are flushed (intake: links the incoming document and its files)."""
    require_office_editor(viewer)
    check_not_classified(data.secrecy)
    errors = FieldErrors()
    _validate_document(data, errors)
    agencies = _validate_tasks(tasks, data.issued_on, errors)
    checked_files = attachments.check_files(files, errors)
    errors.raise_if_any(_l("The document was not saved: please correct the fields marked below."))

    try:
        due = entry_due_date(current_calendar(), issuer=Issuer(data.issuer),
                             urgency=Urgency(data.urgency), issued_on=data.issued_on,
                             received_on=data.received_on)
    except MissingReceivedOn:  # already reported by _validate_document
        raise Invalid(_l("The date received is required (Art. 6.3)."))
    document = Document(
        doc_type=data.doc_type, number=data.number.strip(), summary=data.summary.strip(),
        issued_on=data.issued_on, signer=data.signer.strip(), issuer=data.issuer,
        issuer_name=(data.issuer_name or "").strip() or None,
        received_on=data.received_on, urgency=data.urgency, source=data.source,
        entry_due_on=due, created_by_id=viewer.user_id,
    )
    db.session.add(document)
    sent_at = local_now() if send else None
    for item in tasks:
        document.tasks.append(_new_task(item, agencies, viewer, sent_at))
    db.session.flush()
    attachments.store(checked_files, document=document, uploaded_by_id=viewer.user_id)
    if on_created is not None:
        on_created(document)
    if send:  # Art. 5, 10: "Giao ngay" tells the agencies as the send action does
        from app.services import events

        for task in document.tasks:
            events.emit("task_sent", task, actor_id=viewer.user_id)
    db.session.commit()
    return document


def _new_task(item: TaskInput, agencies: dict, viewer: Viewer, sent_at) -> Task:
    """A validated TaskInput as a Task; sent at `sent_at` (Art. 6) or a draft."""
    return Task(
        content=item.content.strip(), lead_agency_id=item.lead_agency_id,
        coordinating_agencies=[agencies[a] for a in dict.fromkeys(item.coordinating_agency_ids)],
        tracking_officer_id=item.tracking_officer_id or (
            viewer.user_id if viewer.roles & TRACKING_ROLES else None),
        deadline=item.deadline, notes=(item.notes or "").strip() or None,
        status=TaskStatus.assigned.value if sent_at else TaskStatus.draft.value,
        sent_at=sent_at, created_by_id=viewer.user_id,
    )


def add_task(document_id, item: TaskInput, *, viewer: Viewer, send: bool = False) -> Task:
    """Add one more task to a document already entered."""
    require_office_editor(viewer)
    document = db.session.get(Document, document_id)
    if document is None:
        raise NotFound(_l("No such document."))
    errors = FieldErrors()
    agencies = _validate_tasks([item], document.issued_on, errors)
    errors.raise_if_any(_l("The task was not saved: please correct the fields marked below."))
    task = _new_task(item, agencies, viewer, local_now() if send else None)
    task.document = document
    db.session.add(task)
    if send:
        from app.services import events

        events.emit("task_sent", task, actor_id=viewer.user_id)
    db.session.commit()
    return task


def late_entry_condition(now: dt.date):
    """Documents entered late (Art. 6.1, 6.3), as SQL: a task sent after the
    document's entry deadline, or still unsent past it — the set form of
    app.domain.entry_rules.entry_timeliness, for the Office's list."""
    sent_late = and_(Task.sent_at.is_not(None), func.date(Task.sent_at) > func.date(Document.entry_due_on))
    unsent_late = and_(Task.sent_at.is_(None), Task.status == TaskStatus.draft.value, Document.entry_due_on < now)
    return exists().where(Task.document_id == Document.id, or_(sent_late, unsent_late))


def check_version(obj, expected_version) -> None:
    """A stale edit is refused, never silently applied (DEVELOPERS.md)."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise Conflict(_l("The form is missing its version: reload the page and try again."))
    if expected != obj.version:
        raise Conflict(_l(
            "Someone else changed this record while you were editing it (your version "
            "%(yours)s, now %(now)s). Reload the page to see their changes, then make yours "
            "again.", yours=expected, now=obj.version))


def update_task(task_id, changes: dict, *, expected_version, viewer: Viewer, files=()) -> Task:
    """The Office corrects a task (Art. 5.1.b, 5.3.b). `changes` holds any of
    content, lead_agency_id, coordinating_agency_ids, tracking_officer_id,
    deadline, notes."""
    task = visible_task(task_id, viewer)
    if task is None:
        raise NotFound(_l("No such task."))
    require_office_editor(viewer)
    check_version(task, expected_version)

    merged = TaskInput(
        content=changes.get("content", task.content),
        lead_agency_id=changes.get("lead_agency_id", task.lead_agency_id),
        deadline=changes.get("deadline", task.deadline),
        coordinating_agency_ids=list(changes.get(
            "coordinating_agency_ids", [a.id for a in task.coordinating_agencies])),
        tracking_officer_id=changes.get("tracking_officer_id", task.tracking_officer_id),
        notes=changes.get("notes", task.notes),
    )
    errors = FieldErrors()
    agencies = _validate_tasks([merged], task.document.issued_on, errors)
    if merged.deadline != task.deadline and TaskStatus(task.status) not in ASSIGNMENT_CORRECTABLE:
        errors.add("tasks-0-deadline", _l(
            "The deadline of a task already sent to its lead agency changes only by an "
            "extension approved by the Chairman (Art. 5.2.đ)."))
    if merged.lead_agency_id != task.lead_agency_id and TaskStatus(task.status) not in ASSIGNMENT_CORRECTABLE:
        errors.add("tasks-0-lead_agency_id", _l(
            "The lead agency of a task already sent changes only when the agency returns "
            "it (Art. 5.2.b)."))
    checked_files = attachments.check_files(files, errors)
    errors.raise_if_any(_l("The task was not saved: please correct the fields marked below."))

    officer_before = task.tracking_officer_id
    coordinating_before = {a.id for a in task.coordinating_agencies}
    task.content = merged.content.strip()
    task.lead_agency_id = merged.lead_agency_id
    task.deadline = merged.deadline
    task.tracking_officer_id = merged.tracking_officer_id
    task.notes = (merged.notes or "").strip() or None
    wanted = [agencies[a] for a in dict.fromkeys(merged.coordinating_agency_ids)]
    if {a.id for a in wanted} != {a.id for a in task.coordinating_agencies}:
        task.coordinating_agencies = wanted
    attachments.store(checked_files, task=task, uploaded_by_id=viewer.user_id)
    _tell_corrections(task, officer_before, coordinating_before, viewer)
    _commit_or_conflict()
    return task


def _tell_corrections(task: Task, officer_before, coordinating_before: set[int], viewer: Viewer) -> None:
    """Art. 5.3 (the officer tracks and urges), 5.2.a (the agencies the task is sent to review it):
    a new tracking officer is told, and once the task has been sent, the agencies added as
    coordinating are told (they now see it) and those removed are told without a link (they no longer
    do). In the transaction of the change; the task's version names the change (once each)."""
    from app.services import events

    if task.tracking_officer_id and task.tracking_officer_id != officer_before:
        events.emit("task_reassigned", task, actor_id=viewer.user_id, officer_id=task.tracking_officer_id,
                    ref=f"{task.version}:{task.tracking_officer_id}")
    if task.status == TaskStatus.draft.value:
        return  # nobody outside the Office sees a draft
    now = {a.id for a in task.coordinating_agencies}
    db.session.flush()  # (a change of the coordinating agencies alone does not bump the version)
    for event, ids in (("coordination_added", now - coordinating_before),
                       ("coordination_removed", coordinating_before - now)):
        if ids:
            events.emit(event, task, actor_id=viewer.user_id, agency_ids=ids,
                        ref=f"{task.version}:{','.join(map(str, sorted(ids)))}")


def update_document(document_id, data: DocumentInput, *, expected_version, viewer: Viewer) -> Document:
    """The Office corrects a document's fields (Art. 5.1.b); the Art. 6 entry
    deadline is recomputed from the corrected dates."""
    require_office_editor(viewer)
    document = db.session.get(Document, int(document_id)) if str(document_id).isdecimal() else None
    if document is None:
        raise NotFound(_l("No such document."))
    check_version(document, expected_version)
    check_not_classified(data.secrecy)
    errors = FieldErrors()
    _validate_document(data, errors, existing_id=document.id)
    if data.issued_on and any(t.deadline < data.issued_on for t in document.tasks):
        errors.add("issued_on", _l("A task of this document has a deadline before this date of issue."))
    errors.raise_if_any(_l("The document was not saved: please correct the fields marked below."))
    document.doc_type, document.number = data.doc_type, data.number.strip()
    document.summary, document.issued_on = data.summary.strip(), data.issued_on
    document.signer, document.issuer = data.signer.strip(), data.issuer
    document.issuer_name = (data.issuer_name or "").strip() or None
    document.received_on, document.urgency, document.source = data.received_on, data.urgency, data.source
    document.entry_due_on = entry_due_date(
        current_calendar(), issuer=Issuer(data.issuer), urgency=Urgency(data.urgency),
        issued_on=data.issued_on, received_on=data.received_on)
    _commit_or_conflict()
    return document


def _commit_or_conflict() -> None:
    from sqlalchemy.orm.exc import StaleDataError

    try:
        db.session.commit()
    except StaleDataError:
        # Two saves raced past check_version: the database's version column let one win.
        db.session.rollback()
        raise Conflict(_l("Someone else saved this record at the same moment. Reload the "
                          "page to see their changes, then make yours again."))


def tracking_officer_ids() -> list[int]:
    """Everyone who holds a tracking role, active or not (a task keeps its officer):
    the task list's "tracking officer" search offers only them, never every user
    of the province (issue 10: the list's HTML stays small when users are many)."""
    return list(db.session.scalars(
        select(AppUser.id).join(AppUser.roles).where(FabRole.name.in_(TRACKING_ROLES)).distinct()))


def tracking_officers() -> list[AppUser]:
    """Office officials who may be assigned to track a task (Art. 4.4, 5.3)."""
    return db.session.scalars(
        select(AppUser).join(AppUser.roles).where(AppUser.active.is_(True), FabRole.name.in_(TRACKING_ROLES))
        .order_by(AppUser.first_name, AppUser.last_name).distinct()).all()

