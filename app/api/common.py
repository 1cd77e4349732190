"""Shared helpers of the REST API: input parsing, JSON shapes, the error mapping."""
from __future__ import annotations

import datetime as dt
from flask import request
from flask_appbuilder.api import BaseApi
from flask_babel import lazy_gettext as _l
from app.services.deadlines import task_deadline_state
from app.extensions import db
from app.models import Agency, Document, Task
from app.domain import lifecycle as rules
from app.services import register
from app.services.calendar import today
from app.services.errors import FieldErrors, Invalid, ServiceError


MAX_PAGE_SIZE = 100
INT_MAX = 2**31 - 1  # PostgreSQL's integer


def _date(value, name: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise Invalid(_l("%(field)s is required (YYYY-MM-DD).", field=name), {name: [_l("Required.")]})
        return None
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(_l("%(field)s must be a date written YYYY-MM-DD.", field=name),
                      {name: [_l("Not a valid date.")]})
    errors = FieldErrors()
    if not errors.date_in_range(name, day, name):  # issue 8, finding 9: 9999-12-31 is a typo
        errors.raise_if_any()
    return day


def _int(value, name: str, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise Invalid(_l("%(field)s is required.", field=name), {name: [_l("Required.")]})
        return None
    if isinstance(value, bool):
        raise Invalid(_l("%(field)s must be a whole number.", field=name), {name: [_l("Not a number.")]})
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise Invalid(_l("%(field)s must be a whole number.", field=name), {name: [_l("Not a number.")]})
    if not -INT_MAX <= number <= INT_MAX:  # no database integer holds it (issue 8, finding 10)
        raise Invalid(_l("%(field)s is too large.", field=name), {name: [_l("Out of range.")]})
    return number


def _text(value, name: str) -> str | None:
    """A JSON text field: a string, or absent; an object, a list or a number is refused
    naming the field (issue 8, finding 10); the service checks what the text holds."""
    if value is None or isinstance(value, str):
        return value
    raise Invalid(_l("%(field)s must be text.", field=name), {name: [_l("Not text.")]})


def _int_list(value, name: str) -> list[int]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise Invalid(_l("%(field)s must be a list of ids.", field=name), {name: [_l("Not a list.")]})
    return [_int(v, name) for v in value]


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid(_l("The request body must be a JSON object."))
    return body


def _iso(value):
    return value.isoformat() if value else None


def task_json(task: Task) -> dict:
    state = task_deadline_state(task)
    return {
        "id": task.id,
        "document_id": task.document_id,
        "document_number": task.document.number,
        "content": task.content,
        "lead_agency_id": task.lead_agency_id,
        "coordinating_agency_ids": [a.id for a in task.coordinating_agencies],
        "tracking_officer_id": task.tracking_officer_id,
        "deadline": _iso(task.deadline),
        "original_deadline": _iso(task.original_deadline),
        "extended": task.original_deadline is not None,
        "result": task.result,
        "notes": task.notes,
        "status": task.status,
        "sent_at": task.sent_at.isoformat(timespec="seconds") if task.sent_at else None,
        "completed_on": _iso(task.completed_on),
        "completion": rules.completion(task.status, task.completed_on, task.deadline),
        "result_submitted_at": task.result_submitted_at.isoformat(timespec="seconds") if task.result_submitted_at else None,
        "overdue": state.overdue,
        "due_soon": state.due_soon,
        "working_days_left": state.days_left,
        "version": task.version,
    }


def document_json(document: Document) -> dict:
    return {
        "id": document.id,
        "doc_type": document.doc_type,
        "number": document.number,
        "summary": document.summary,
        "issued_on": _iso(document.issued_on),
        "signer": document.signer,
        "issuer": document.issuer,
        "issuer_name": document.issuer_name,
        "received_on": _iso(document.received_on),
        "urgency": document.urgency,
        "source": document.source,
        "entry_due_on": _iso(document.entry_due_on),
        "version": document.version,
    }


def agency_json(agency: Agency) -> dict:
    return {"id": agency.id, "code": agency.code, "name": agency.name,
            "short_name": agency.short_name, "kind": agency.kind, "active": agency.active,
            "edxml_code": agency.edxml_code}  # Intake (issue 12)


def _document_input(body: dict) -> register.DocumentInput:
    return register.DocumentInput(
        doc_type=body.get("doc_type", "official_letter"), number=_text(body.get("number"), "number") or "",
        summary=_text(body.get("summary"), "summary") or "", issued_on=_date(body.get("issued_on"), "issued_on"),
        signer=_text(body.get("signer"), "signer") or "", issuer=body.get("issuer", "committee"),
        source=body.get("source", ""), urgency=body.get("urgency", "normal"),
        secrecy=body.get("secrecy", "none"), issuer_name=_text(body.get("issuer_name"), "issuer_name"),
        received_on=_date(body.get("received_on"), "received_on", required=False),
    )


def _task_input(body: dict) -> register.TaskInput:
    return register.TaskInput(
        content=_text(body.get("content"), "content") or "",
        lead_agency_id=_int(body.get("lead_agency_id"), "lead_agency_id", required=False),
        deadline=_date(body.get("deadline"), "deadline", required=False),
        coordinating_agency_ids=_int_list(body.get("coordinating_agency_ids"), "coordinating_agency_ids"),
        tracking_officer_id=_int(body.get("tracking_officer_id"), "tracking_officer_id", required=False),
        notes=_text(body.get("notes"), "notes"),
    )


def _page() -> tuple[int, int]:
    page = _int(request.args.get("page", 0), "page")
    size = _int(request.args.get("page_size", 25), "page_size")
    if page < 0 or not 1 <= size <= MAX_PAGE_SIZE:
        raise Invalid(_l("page must be 0 or more and page_size between 1 and %(n)s.", n=MAX_PAGE_SIZE))
    if page * size > INT_MAX:
        raise Invalid(_l("page is beyond the last page."), {"page": [_l("Out of range.")]})
    return page, size


class _Api(BaseApi):
    """Maps service refusals to FAB-style error responses."""

    def handle(self, action, *args, status: int = 200):
        try:
            return self.response(status, **action(*args))
        except ServiceError as error:
            db.session.rollback()
            return self.response(error.status, **error.as_json())

def update_json(entry) -> dict:
    return {"id": entry.id, "task_id": entry.task_id, "kind": entry.kind, "body": entry.body,
            "draft": entry.draft, "agency_id": entry.agency_id, "author_id": entry.author_id,
            "created_at": entry.created_at.isoformat(timespec="seconds")}


def extension_json(entry) -> dict:
    return {"id": entry.id, "task_id": entry.task_id, "status": entry.status, "reason": entry.reason,
            "proposed_deadline": _iso(entry.proposed_deadline), "late": entry.late,
            "deadline_at_request": _iso(entry.deadline_at_request),
            "approved_deadline": _iso(entry.approved_deadline), "decision_comment": entry.decision_comment,
            "reference": entry.reference,
            "requested_at": entry.requested_at.isoformat(timespec="seconds"),
            "decided_at": entry.decided_at.isoformat(timespec="seconds") if entry.decided_at else None}


def event_json(event) -> dict:
    return {"at": event.at.isoformat(timespec="seconds"), "kind": event.kind, "title": event.title,
            "user": event.user.get_full_name() if event.user else None,
            "agency": event.agency.name if event.agency else None, "body": event.body, "note": event.note,
            "changes": [{"field": c.label, "old": c.old, "new": c.new} for c in event.changes],
            "files": [{"id": a.id, "filename": a.filename} for a in event.files]}


def delay_report_json(report) -> dict:
    return {"id": report.id, "task_id": report.task_id, "reporting_agency_id": report.reporting_agency_id,
            "concerned_agency_id": report.concerned_agency_id, "received_on": _iso(report.received_on),
            "due_on": _iso(report.due_on), "description": report.description, "status": report.status,
            "overdue": report.status == "open" and report.due_on < today(),
            "letter_id": report.letter_id}
