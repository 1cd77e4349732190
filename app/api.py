"""REST API (Art. 2.4, 21: connection with other systems), FAB's JWT login.

Responses follow FAB's shapes: lists {"count", "ids", "result"}, one item
{"id", "result"}, errors {"message"} (+ "errors" per field). Columns are listed
explicitly: no password hash or internal field is ever serialised. Every task
and document read goes through app.access, so a task the caller may not see
answers 404.
"""
from __future__ import annotations

import datetime as dt

from flask import request
from flask_appbuilder.api import BaseApi, expose, protect, safe
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.access import current_viewer, restrict_documents, restrict_tasks, visible_document, visible_task
from app.services.deadlines import task_deadline_state
from app.extensions import db
from app.models import Agency, CalendarOverride, DelayReport, Document, ExtensionRequest, Task
from app.domain import lifecycle as rules
from app.services import delay_reports, letters, lifecycle, register, reports
from app.services.appendix import appendix_counts
from app.services.calendar import current_calendar, forget_calendar, today
from app.services.errors import Invalid, NotFound, ServiceError
from app.services.task_list import task_page
from app.services.timeline import task_timeline

MAX_PAGE_SIZE = 100


def _date(value, name: str, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise Invalid(_l("%(field)s is required (YYYY-MM-DD).", field=name), {name: [_l("Required.")]})
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(_l("%(field)s must be a date written YYYY-MM-DD.", field=name),
                      {name: [_l("Not a valid date.")]})


def _int(value, name: str, required: bool = True) -> int | None:
    if value in (None, ""):
        if required:
            raise Invalid(_l("%(field)s is required.", field=name), {name: [_l("Required.")]})
        return None
    if isinstance(value, bool):
        raise Invalid(_l("%(field)s must be a whole number.", field=name), {name: [_l("Not a number.")]})
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Invalid(_l("%(field)s must be a whole number.", field=name), {name: [_l("Not a number.")]})


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
            "short_name": agency.short_name, "kind": agency.kind, "active": agency.active}


def _document_input(body: dict) -> register.DocumentInput:
    return register.DocumentInput(
        doc_type=body.get("doc_type", "official_letter"), number=str(body.get("number") or ""),
        summary=str(body.get("summary") or ""), issued_on=_date(body.get("issued_on"), "issued_on"),
        signer=str(body.get("signer") or ""), issuer=body.get("issuer", "committee"),
        source=body.get("source", ""), urgency=body.get("urgency", "normal"),
        secrecy=body.get("secrecy", "none"), issuer_name=body.get("issuer_name"),
        received_on=_date(body.get("received_on"), "received_on", required=False),
    )


def _task_input(body: dict) -> register.TaskInput:
    return register.TaskInput(
        content=str(body.get("content") or ""),
        lead_agency_id=_int(body.get("lead_agency_id"), "lead_agency_id", required=False),
        deadline=_date(body.get("deadline"), "deadline", required=False),
        coordinating_agency_ids=_int_list(body.get("coordinating_agency_ids"), "coordinating_agency_ids"),
        tracking_officer_id=_int(body.get("tracking_officer_id"), "tracking_officer_id", required=False),
        notes=body.get("notes"),
    )


def _page() -> tuple[int, int]:
    page = _int(request.args.get("page", 0), "page")
    size = _int(request.args.get("page_size", 25), "page_size")
    if page < 0 or not 1 <= size <= MAX_PAGE_SIZE:
        raise Invalid(_l("page must be 0 or more and page_size between 1 and %(n)s.", n=MAX_PAGE_SIZE))
    return page, size


class _Api(BaseApi):
    """Maps service refusals to FAB-style error responses."""

    def handle(self, action, *args, status: int = 200):
        try:
            return self.response(status, **action(*args))
        except ServiceError as error:
            db.session.rollback()
            return self.response(error.status, **error.as_json())


class TaskApi(_Api):
    resource_name = "task"
    openapi_spec_tag = "Tasks"
    method_permission_name = {"get_list": "get", "get": "get", "post": "post", "put": "put",
                              "transition": "act", "post_update": "act", "extension_request": "act",
                              "history": "get"}

    @expose("/<int:pk>/transition", methods=["POST"])
    @protect()
    @safe
    def transition(self, pk):
        """Send, receive, return, report, confirm, refuse or withdraw (SPEC §4.3).
        ---
        post:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    action: {type: string, enum: [send, receive, return, report, confirm, refuse, withdraw]}
                    comment: {type: string}
                    result: {type: string}
                    reason: {type: string, enum: [content_wrong, not_competent, data_mismatch]}
                    lead_agency_id: {type: integer}
                    version: {type: integer}
          responses:
            200: {description: "{id, result}: the task after the action"}
            403: {description: The role may not do this}
            404: {description: Not found}
            409: {description: The task's state does not allow it, or it changed meanwhile}
            422: {description: Missing reason or result}
        """
        def run():
            body = _body()
            task = lifecycle.transition(
                pk, body.get("action", ""), viewer=current_viewer(), comment=body.get("comment"),
                result=body.get("result"), reason=body.get("reason"),
                lead_agency_id=_int(body.get("lead_agency_id"), "lead_agency_id", required=False),
                expected_version=body.get("version"))
            return {"id": task.id, "result": task_json(task)}
        return self.handle(run)

    @expose("/<int:pk>/updates", methods=["POST"])
    @protect()
    @safe
    def post_update(self, pk):
        """A progress update (lead agency; AgencyStaff's are drafts) or a contribution
        (coordinating agency, Art. 10.3).
        ---
        post:
          requestBody:
            content:
              application/json:
                schema: {type: object, properties: {body: {type: string}}}
          responses:
            201: {description: The update}
        """
        def run():
            entry = lifecycle.post_update(pk, viewer=current_viewer(), body=str(_body().get("body") or ""))
            return {"id": entry.id, "result": update_json(entry)}
        return self.handle(run, status=201)

    @expose("/<int:pk>/extension-requests", methods=["POST"])
    @protect()
    @safe
    def extension_request(self, pk):
        """Ask for an extension (Art. 5.2.đ): the lead agency's head, with a reason and a date.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    reason: {type: string}
                    proposed_deadline: {type: string, format: date}
          responses:
            201: {description: The request (late when asked after the deadline)}
            409: {description: One is already pending, or the state does not allow it}
        """
        def run():
            body = _body()
            entry = lifecycle.request_extension(
                pk, viewer=current_viewer(), reason=str(body.get("reason") or ""),
                proposed_deadline=_date(body.get("proposed_deadline"), "proposed_deadline"))
            return {"id": entry.id, "result": extension_json(entry)}
        return self.handle(run, status=201)

    @expose("/<int:pk>/history", methods=["GET"])
    @protect()
    @safe
    def history(self, pk):
        """The task's timeline: transitions, corrections, updates, feedback, extensions, files.
        ---
        get:
          responses:
            200: {description: "{id, result: [events]}"}
        """
        def run():
            task = visible_task(pk)
            if task is None:
                raise NotFound(_l("No such task."))
            return {"id": task.id, "result": [event_json(e) for e in task_timeline(task)]}
        return self.handle(run)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """List the tasks the caller may see, by deadline.
        ---
        get:
          parameters:
          - {in: query, name: page, schema: {type: integer}}
          - {in: query, name: page_size, schema: {type: integer}}
          - {in: query, name: status, schema: {type: string}}
          - {in: query, name: lead_agency_id, schema: {type: integer}}
          responses:
            200: {description: "{count, ids, result}"}
            401: {description: Not signed in}
        """
        def run():
            page, size = _page()
            status = request.args.get("status")
            lead = _int(request.args.get("lead_agency_id"), "lead_agency_id", required=False)

            def apply(query):
                if status:
                    query = query.filter(Task.status == status)
                if lead is not None:
                    query = query.filter(Task.lead_agency_id == lead)
                return query

            count, rows = task_page(db.session, current_viewer(), apply=apply if status or lead else None,
                                    page=page, page_size=size,
                                    eager=("document", "coordinating_agencies"),
                                    count_key=("api", status, lead))
            return {"count": count, "ids": [t.id for t in rows], "result": [task_json(t) for t in rows]}
        return self.handle(run)

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One task (404 if the caller may not see it).
        ---
        get:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200: {description: "{id, result}"}
            404: {description: Not found}
        """
        def run():
            task = visible_task(pk)
            if task is None:
                raise NotFound(_l("No such task."))
            return {"id": task.id, "result": task_json(task)}
        return self.handle(run)

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """Add a task to a document already entered.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    document_id: {type: integer}
                    content: {type: string}
                    lead_agency_id: {type: integer}
                    coordinating_agency_ids: {type: array, items: {type: integer}}
                    tracking_officer_id: {type: integer}
                    deadline: {type: string, format: date}
                    notes: {type: string}
                    send: {type: boolean}
          responses:
            201: {description: "{id, result}"}
            422: {description: "Refused (Art. 7, validation): {message, errors}"}
        """
        def run():
            body = _body()
            task = register.add_task(_int(body.get("document_id"), "document_id"), _task_input(body),
                                     viewer=current_viewer(), send=bool(body.get("send")))
            return {"id": task.id, "result": task_json(task)}
        return self.handle(run, status=201)

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    def put(self, pk):
        """Correct a task; `version` must be the one read (409 if someone changed it since).
        ---
        put:
          parameters:
          - {in: path, name: pk, required: true, schema: {type: integer}}
          responses:
            200: {description: "{id, result}"}
            409: {description: Stale version}
            422: {description: Refused}
        """
        def run():
            body = _body()
            changes = {}
            for key in ("content", "notes"):
                if key in body:
                    changes[key] = body[key]
            if "lead_agency_id" in body:
                changes["lead_agency_id"] = _int(body["lead_agency_id"], "lead_agency_id")
            if "tracking_officer_id" in body:
                changes["tracking_officer_id"] = _int(body["tracking_officer_id"], "tracking_officer_id", False)
            if "deadline" in body:
                changes["deadline"] = _date(body["deadline"], "deadline")
            if "coordinating_agency_ids" in body:
                changes["coordinating_agency_ids"] = _int_list(body["coordinating_agency_ids"], "coordinating_agency_ids")
            task = register.update_task(pk, changes, expected_version=body.get("version"),
                                        viewer=current_viewer())
            return {"id": task.id, "result": task_json(task)}
        return self.handle(run)


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


class ExtensionRequestApi(_Api):
    resource_name = "extension-request"
    openapi_spec_tag = "Extensions"
    method_permission_name = {"get_list": "get", "decision": "decide"}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """Pending extension requests the caller may see, oldest first.
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
        """
        rows = db.session.scalars(restrict_tasks(
            select(ExtensionRequest).join(Task, Task.id == ExtensionRequest.task_id)
            .where(ExtensionRequest.status == "pending").order_by(ExtensionRequest.requested_at),
            current_viewer())).all()
        return self.response(200, count=len(rows), ids=[r.id for r in rows], result=[extension_json(r) for r in rows])

    @expose("/<int:pk>/decision", methods=["POST"])
    @protect()
    @safe
    def decision(self, pk):
        """The Chairman approves (optionally another date) or refuses.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    approve: {type: boolean}
                    deadline: {type: string, format: date}
                    comment: {type: string}
          responses:
            200: {description: The decided request}
            403: {description: Not the Chairman}
            409: {description: Already decided}
        """
        def run():
            body = _body()
            if not isinstance(body.get("approve"), bool):
                raise Invalid(_l("approve must be true or false."))
            entry = lifecycle.decide_extension(
                pk, viewer=current_viewer(), approve=body["approve"],
                deadline=_date(body.get("deadline"), "deadline", required=False), comment=body.get("comment"))
            return {"id": entry.id, "result": extension_json(entry)}
        return self.handle(run)


class DocumentApi(_Api):
    resource_name = "document"
    openapi_spec_tag = "Documents"
    method_permission_name = {"get_list": "get", "get": "get", "post": "post", "put": "put", "send": "put"}

    @expose("/<int:pk>/send", methods=["POST"])
    @protect()
    @safe
    def send(self, pk):
        """Send every draft task of the document to its lead agency at once.
        ---
        post:
          responses:
            200: {description: "{id, result: [tasks sent]}"}
            409: {description: No draft task left}
        """
        def run():
            if visible_document(pk) is None:
                raise NotFound(_l("No such document."))
            sent = lifecycle.send_document(pk, viewer=current_viewer())
            return {"id": pk, "result": [task_json(t) for t in sent]}
        return self.handle(run)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """List the documents the caller may see (those with a visible task), newest first.
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
        """
        def run():
            page, size = _page()
            stmt = restrict_documents(select(Document), current_viewer())
            count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
            rows = db.session.scalars(stmt.order_by(Document.issued_on.desc(), Document.id.desc())
                                      .offset(page * size).limit(size)).all()
            return {"count": count, "ids": [d.id for d in rows], "result": [document_json(d) for d in rows]}
        return self.handle(run)

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One document with the ids of the tasks the caller may see.
        ---
        get:
          responses:
            200: {description: "{id, result}"}
            404: {description: Not found}
        """
        def run():
            document = visible_document(pk)
            if document is None:
                raise NotFound(_l("No such document."))
            ids = db.session.scalars(restrict_tasks(
                select(Task.id).where(Task.document_id == document.id).order_by(Task.id), current_viewer())).all()
            return {"id": document.id, "result": document_json(document) | {"task_ids": ids}}
        return self.handle(run)

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """Enter a document with its tasks (Art. 4); classified documents (Art. 7.1, 8)
        and tasks without a deadline (Art. 7.2, 9) answer 422 and nothing is stored.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    doc_type: {type: string}
                    number: {type: string}
                    summary: {type: string}
                    issued_on: {type: string, format: date}
                    signer: {type: string}
                    issuer: {type: string, enum: [committee, chairman, higher_authority]}
                    issuer_name: {type: string}
                    received_on: {type: string, format: date}
                    urgency: {type: string, enum: [normal, urgent, very_urgent, flash]}
                    secrecy: {type: string, enum: [none, confidential, secret, top_secret]}
                    source: {type: string, enum: [work_program, meeting_conclusion, ad_hoc]}
                    send: {type: boolean}
                    tasks: {type: array, items: {type: object}}
          responses:
            201: {description: "{id, result}"}
            422: {description: "Refused: {message, errors}"}
        """
        def run():
            body = _body()
            register.check_not_classified(body.get("secrecy", "none"))
            tasks = body.get("tasks") or []
            if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
                raise Invalid(_l("tasks must be a list of objects."))
            document = register.create_document(
                _document_input(body), [_task_input(t) for t in tasks], viewer=current_viewer(),
                send=bool(body.get("send")))
            return {"id": document.id,
                    "result": document_json(document) | {"task_ids": [t.id for t in document.tasks]}}
        return self.handle(run, status=201)

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    def put(self, pk):
        """Correct a document; `version` as read (409 when stale).
        ---
        put:
          responses:
            200: {description: "{id, result}"}
            409: {description: Stale version}
        """
        def run():
            document = visible_document(pk)
            if document is None:
                raise NotFound(_l("No such document."))
            body = document_json(document) | _body()
            updated = register.update_document(pk, _document_input(body),
                                               expected_version=body.get("version"), viewer=current_viewer())
            return {"id": updated.id, "result": document_json(updated)}
        return self.handle(run)


class AgencyApi(_Api):
    resource_name = "agency"
    openapi_spec_tag = "Agencies"
    method_permission_name = {"get_list": "get", "get": "get", "post": "post", "put": "put"}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """All agencies (the list is public to signed-in users).
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
        """
        rows = db.session.scalars(select(Agency).order_by(Agency.name)).all()
        return self.response(200, count=len(rows), ids=[a.id for a in rows],
                             result=[agency_json(a) for a in rows])

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One agency.
        ---
        get:
          responses:
            200: {description: "{id, result}"}
        """
        agency = db.session.get(Agency, pk)
        if agency is None:
            return self.response_404()
        return self.response(200, id=agency.id, result=agency_json(agency))

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """Add an agency (Admin).
        ---
        post:
          responses:
            201: {description: "{id, result}"}
            422: {description: Refused}
        """
        return self.handle(lambda: self._save(Agency(active=True)), status=201)

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    def put(self, pk):
        """Change an agency (Admin).
        ---
        put:
          responses:
            200: {description: "{id, result}"}
        """
        agency = db.session.get(Agency, pk)
        if agency is None:
            return self.response_404()
        return self.handle(lambda: self._save(agency))

    def _save(self, agency: Agency) -> dict:
        from app.labels import AGENCY_KIND

        body = _body()
        for key in ("code", "name", "short_name", "kind"):
            if key in body:
                setattr(agency, key, str(body[key]).strip())
        if "active" in body:
            agency.active = bool(body["active"])
        missing = [k for k in ("code", "name", "kind") if not getattr(agency, k)]
        if missing:
            raise Invalid(_l("Missing: %(fields)s.", fields=", ".join(missing)))
        if agency.kind not in AGENCY_KIND:
            raise Invalid(_l("kind: '%(value)s' is not a valid choice.", value=agency.kind))
        clash = db.session.scalar(select(Agency.id).where(Agency.code == agency.code))
        if clash and clash != agency.id:
            raise Invalid(_l("The code %(code)s is taken.", code=agency.code))
        agency.short_name = agency.short_name or agency.name
        db.session.add(agency)
        db.session.commit()
        return {"id": agency.id, "result": agency_json(agency)}


class CalendarApi(_Api):
    resource_name = "calendar"
    openapi_spec_tag = "Working calendar"
    method_permission_name = {"add_working_days": "get", "is_working_day": "get", "add_override": "post"}

    @expose("/add-working-days", methods=["GET"])
    @protect()
    @safe
    def add_working_days(self):
        """The N-th working day after a date (SPEC §3).
        ---
        get:
          parameters:
          - {in: query, name: date, required: true, schema: {type: string, format: date}}
          - {in: query, name: days, required: true, schema: {type: integer}}
          responses:
            200: {description: '{"date": "YYYY-MM-DD"}'}
            422: {description: Bad input}
        """
        def run():
            start = _date(request.args.get("date"), "date")
            days = _int(request.args.get("days"), "days")
            if not 0 <= days <= 3650:
                raise Invalid(_l("days must be between 0 and 3650."))
            return {"date": current_calendar().add_working_days(start, days).isoformat()}
        return self.handle(run)

    @expose("/is-working-day", methods=["GET"])
    @protect()
    @safe
    def is_working_day(self):
        """Whether a date is a working day.
        ---
        get:
          parameters:
          - {in: query, name: date, required: true, schema: {type: string, format: date}}
          responses:
            200: {description: '{"working": true}'}
        """
        def run():
            day = _date(request.args.get("date"), "date")
            calendar = current_calendar()
            return {"working": calendar.is_working_day(day), "name": calendar.holiday_name(day)}
        return self.handle(run)

    @expose("/overrides", methods=["POST"])
    @protect()
    @safe
    def add_override(self):
        """Add a day off or a make-up working day (Admin only).
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    date: {type: string, format: date}
                    working: {type: boolean}
                    note: {type: string}
          responses:
            201: {description: The override}
            403: {description: Not an Admin}
            422: {description: Bad input}
        """
        def run():
            body = _body()
            day = _date(body.get("date"), "date")
            if not isinstance(body.get("working"), bool):
                raise Invalid(_l("working must be true or false."))
            if db.session.scalar(select(CalendarOverride.id).where(CalendarOverride.day == day)):
                raise Invalid(_l("%(day)s already has a change: delete it first.", day=day.strftime("%d/%m/%Y")))
            row = CalendarOverride(day=day, working=body["working"], note=str(body.get("note") or "")[:255],
                                   created_by_id=current_viewer().user_id)
            db.session.add(row)
            db.session.commit()
            forget_calendar()
            return {"id": row.id, "result": {"date": day.isoformat(), "working": row.working, "note": row.note}}
        return self.handle(run, status=201)


def delay_report_json(report) -> dict:
    return {"id": report.id, "task_id": report.task_id, "reporting_agency_id": report.reporting_agency_id,
            "concerned_agency_id": report.concerned_agency_id, "received_on": _iso(report.received_on),
            "due_on": _iso(report.due_on), "description": report.description, "status": report.status,
            "overdue": report.status == "open" and report.due_on < today(),
            "letter_id": report.letter_id}


class DelayReportApi(_Api):
    resource_name = "delay-report"
    openapi_spec_tag = "Delay reports"
    method_permission_name = {"get_list": "get", "post": "post"}

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """File a delay report (Art. 18.5, 19.3): due 2 working days after receipt.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    task_id: {type: integer}
                    received_on: {type: string, format: date}
                    description: {type: string}
                    concerned_agency_id: {type: integer}
                    reporting_agency_id: {type: integer, description: "the Office recording a paper report"}
          responses:
            201: {description: "{id, result: {due_on, status, …}}"}
            422: {description: Refused}
        """
        def run():
            body = _body()
            report = delay_reports.file_report(
                _int(body.get("task_id"), "task_id"), viewer=current_viewer(),
                description=str(body.get("description") or ""),
                received_on=_date(body.get("received_on"), "received_on", required=False),
                concerned_agency_id=_int(body.get("concerned_agency_id"), "concerned_agency_id", required=False),
                reporting_agency_id=_int(body.get("reporting_agency_id"), "reporting_agency_id", required=False))
            return {"id": report.id, "result": delay_report_json(report)}
        return self.handle(run, status=201)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """Delay reports on tasks the caller may see, with `due_on` and `overdue`.
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
        """
        rows = db.session.scalars(delay_reports.visible_reports(current_viewer())
                                  .order_by(DelayReport.due_on, DelayReport.id)).all()
        return self.response(200, count=len(rows), ids=[r.id for r in rows],
                             result=[delay_report_json(r) for r in rows])


class UrgingLetterApi(_Api):
    resource_name = "urging-letter"
    openapi_spec_tag = "Urging letters"
    method_permission_name = {"pdf": "get", "docx": "get"}

    def _file(self, pk, kind):
        try:
            return letters.send_letter_file(pk, kind, current_viewer())
        except ServiceError as error:
            return self.response(error.status, **error.as_json())

    @expose("/<int:pk>/pdf", methods=["GET"])
    @protect()
    @safe
    def pdf(self, pk):
        """The letter as PDF (same row-level rule as the tasks it urges).
        ---
        get:
          responses:
            200: {description: application/pdf}
            404: {description: Not found}
            409: {description: The file is still being prepared}
        """
        return self._file(pk, "pdf")

    @expose("/<int:pk>/docx", methods=["GET"])
    @protect()
    @safe
    def docx(self, pk):
        """The letter as DOCX, for editing before signing.
        ---
        get:
          responses:
            200: {description: DOCX}
            404: {description: Not found}
        """
        return self._file(pk, "docx")


class ReportsApi(_Api):
    resource_name = "reports"
    openapi_spec_tag = "Reports"
    method_permission_name = {"period": "get", "appendix_1": "get"}

    @expose("/period", methods=["GET"])
    @protect()
    @safe
    def period(self):
        """A reporting period's window and deadlines (Art. 20).
        ---
        get:
          parameters:
          - {in: query, name: kind, required: true, schema: {type: string, enum: [monthly, quarterly, half_year, annual]}}
          - {in: query, name: year, required: true, schema: {type: integer}}
          - {in: query, name: number, schema: {type: integer}, description: "1–12 or 1–4; omitted for half_year and annual"}
          responses:
            200: {description: '{"start", "end", "agency_due", "office_due"}'}
            422: {description: Bad period}
        """
        def run():
            period = reports.period_from(request.args.get("kind"), request.args.get("year"), request.args.get("number"))
            body = reports.period_json(period)
            return {key: body[key] for key in ("start", "end", "agency_due", "office_due")}
        return self.handle(run)

    @expose("/appendix-1", methods=["GET"])
    @protect()
    @safe
    def appendix_1(self):
        """Phụ lục I counts (SPEC §5) of an agency (as lead) or, without agency_id, the province
        (Office roles and the Chairman); an agency user gets its own agency only.
        ---
        get:
          parameters:
          - {in: query, name: kind, required: true, schema: {type: string}}
          - {in: query, name: year, required: true, schema: {type: integer}}
          - {in: query, name: number, schema: {type: integer}}
          - {in: query, name: agency_id, schema: {type: integer}}
          responses:
            200: {description: The twelve counts}
        """
        def run():
            period = reports.period_from(request.args.get("kind"), request.args.get("year"), request.args.get("number"))
            agency_id = _int(request.args.get("agency_id"), "agency_id", required=False)
            scope = reports.scope_of(current_viewer(), agency_id)
            return appendix_counts(period, scope).as_dict()
        return self.handle(run)
