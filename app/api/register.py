"""Register API: documents, tasks, agencies (Art. 5-7)."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from app.access import current_viewer, restrict_documents, restrict_tasks, visible_document, visible_task
from app.extensions import db
from app.domain.vocabulary import TaskStatus
from app.models import Agency, Document, Task
from app.services import lifecycle, register
from app.services.errors import Invalid, NotFound, check_texts
from app.services.task_list import task_page
from app.services.timeline import task_timeline
from app.api.common import (
    _Api,
    _body,
    _date,
    _document_input,
    _int,
    _int_list,
    _page,
    _task_input,
    _text,
    agency_json,
    document_json,
    event_json,
    extension_json,
    task_json,
    update_json,
)


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
                  required: [action]
                  properties:
                    action: {type: string, enum: [send, receive, return, report, confirm, refuse, withdraw]}
                    comment: {type: string, maxLength: 10000, description: "required to return, refuse, withdraw"}
                    result: {type: string, maxLength: 10000, description: "required to report"}
                    reason: {type: string, enum: [content_wrong, not_competent, data_mismatch],
                             description: "required to return (Art. 5.2.b)"}
                    lead_agency_id: {type: integer, description: "send: transfer to another lead agency"}
                    version: {type: integer, description: "the task's version as read (409 if stale)"}
          responses:
            200: {description: "{id, result}: the task after the action"}
            403: {description: The role may not do this}
            404: {description: Not found}
            409: {description: "The task's state does not allow it, or it changed meanwhile"}
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
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [body]
                  properties: {body: {type: string, minLength: 1, maxLength: 10000}}
          responses:
            201: {description: The update}
            409: {description: "The task's state does not allow updates"}
        """
        def run():
            entry = lifecycle.post_update(pk, viewer=current_viewer(), body=_text(_body().get("body"), "body"))
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
                  required: [reason, proposed_deadline]
                  properties:
                    reason: {type: string, minLength: 1, maxLength: 10000}
                    proposed_deadline: {type: string, format: date}
          responses:
            201: {description: The request (late when asked after the deadline)}
            409: {description: "One is already pending, or the state does not allow it"}
        """
        def run():
            body = _body()
            entry = lifecycle.request_extension(
                pk, viewer=current_viewer(), reason=_text(body.get("reason"), "reason"),
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
            404: {description: Not found}
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
          - {in: query, name: page, schema: {type: integer, minimum: 0}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
          - {in: query, name: status, schema: {type: string, enum: [draft, assigned, in_progress, returned, reported, completed, withdrawn]}}
          - {in: query, name: lead_agency_id, schema: {type: integer}}
          responses:
            200: {description: "{count, ids, result}"}
            401: {description: Not signed in}
        """
        def run():
            page, size = _page()
            status = request.args.get("status")
            if status is not None and status not in {s.value for s in TaskStatus}:
                raise Invalid(_l("status: '%(value)s' is not a valid choice.", value=status),
                              {"status": [_l("Not a valid choice.")]})
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
                  required: [document_id, content, lead_agency_id, deadline]
                  properties:
                    document_id: {type: integer}
                    content: {type: string, minLength: 1, maxLength: 10000}
                    lead_agency_id: {type: integer}
                    coordinating_agency_ids: {type: array, items: {type: integer}}
                    tracking_officer_id: {type: integer}
                    deadline: {type: string, format: date, description: "Art. 7.2: a task without one is refused"}
                    notes: {type: string, maxLength: 10000}
                    send: {type: boolean}
          responses:
            201: {description: "{id, result}"}
            404: {description: No such document}
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
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [version]
                  properties:
                    version: {type: integer, description: "the task's version as read"}
                    content: {type: string, minLength: 1, maxLength: 10000}
                    notes: {type: string, nullable: true, maxLength: 10000}
                    lead_agency_id: {type: integer}
                    tracking_officer_id: {type: integer, nullable: true}
                    deadline: {type: string, format: date}
                    coordinating_agency_ids: {type: array, items: {type: integer}}
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
                    changes[key] = _text(body[key], key)
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
            404: {description: Not found}
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
          parameters:
          - {in: query, name: page, schema: {type: integer, minimum: 0}}
          - {in: query, name: page_size, schema: {type: integer, minimum: 1, maximum: 100}}
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
                  required: [number, summary, issued_on, signer, source, tasks]
                  properties:
                    doc_type: {type: string, enum: [official_letter, decision, directive, notice, plan, report,
                                                   proposal, programme, telegram, invitation], default: official_letter}
                    number: {type: string, minLength: 1, maxLength: 64, example: "123/UBND-TH"}
                    summary: {type: string, minLength: 1, maxLength: 10000}
                    issued_on: {type: string, format: date}
                    signer: {type: string, minLength: 1, maxLength: 128}
                    issuer: {type: string, enum: [committee, chairman, higher_authority], default: committee}
                    issuer_name: {type: string, maxLength: 255, description: "required for higher_authority"}
                    received_on: {type: string, format: date, description: "required for higher_authority (Art. 6.3)"}
                    urgency: {type: string, enum: [normal, urgent, very_urgent, flash], default: normal}
                    secrecy: {type: string, enum: [none, confidential, secret, top_secret], default: none,
                              description: "anything but none is refused (Art. 7.1, 8)"}
                    source: {type: string, enum: [work_program, meeting_conclusion, ad_hoc]}
                    send: {type: boolean}
                    tasks:
                      type: array
                      minItems: 1
                      items:
                        type: object
                        required: [content, lead_agency_id, deadline]
                        properties:
                          content: {type: string, minLength: 1, maxLength: 10000}
                          lead_agency_id: {type: integer}
                          coordinating_agency_ids: {type: array, items: {type: integer}}
                          tracking_officer_id: {type: integer}
                          deadline: {type: string, format: date}
                          notes: {type: string, maxLength: 10000}
          responses:
            201: {description: "{id, result}"}
            422: {description: "Refused: {message, errors}"}
        """
        def run():
            body = _body()
            register.check_not_classified(body.get("secrecy", "none"))
            if body.get("intake_id") not in (None, ""):  # Intake (issue 12): from an incoming document
                from app.api.intake import register_from_intake

                return register_from_intake(body)
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
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [version]
                  properties:
                    version: {type: integer, description: "the document's version as read"}
                    doc_type: {type: string, enum: [official_letter, decision, directive, notice, plan, report,
                                                   proposal, programme, telegram, invitation]}
                    number: {type: string, minLength: 1, maxLength: 64}
                    summary: {type: string, minLength: 1, maxLength: 10000}
                    issued_on: {type: string, format: date}
                    signer: {type: string, minLength: 1, maxLength: 128}
                    issuer: {type: string, enum: [committee, chairman, higher_authority]}
                    issuer_name: {type: string, nullable: true, maxLength: 255}
                    received_on: {type: string, format: date, nullable: true}
                    urgency: {type: string, enum: [normal, urgent, very_urgent, flash]}
                    source: {type: string, enum: [work_program, meeting_conclusion, ad_hoc]}
          responses:
            200: {description: "{id, result}"}
            409: {description: Stale version}
            422: {description: Refused}
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
            404: {description: Not found}
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
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [code, name, kind]
                  properties:
                    code: {type: string, minLength: 1, maxLength: 32}
                    name: {type: string, minLength: 1, maxLength: 255}
                    short_name: {type: string, maxLength: 128}
                    kind: {type: string, enum: [office, department, department_equivalent, commune, ward,
                                               special_zone, public_service_unit, state_enterprise, other]}
                    active: {type: boolean}
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
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    code: {type: string, minLength: 1, maxLength: 32}
                    name: {type: string, minLength: 1, maxLength: 255}
                    short_name: {type: string, maxLength: 128}
                    kind: {type: string, enum: [office, department, department_equivalent, commune, ward,
                                               special_zone, public_service_unit, state_enterprise, other]}
                    active: {type: boolean}
          responses:
            200: {description: "{id, result}"}
            422: {description: Refused}
        """
        agency = db.session.get(Agency, pk)
        if agency is None:
            return self.response_404()
        return self.handle(lambda: self._save(agency))

    def _save(self, agency: Agency) -> dict:
        from app.labels import AGENCY_KIND

        body = _body()
        check_texts(*((key, _text(body.get(key), key), key, Agency.__table__.c[key].type.length)
                      for key in ("code", "name", "short_name", "kind")))
        for key in ("code", "name", "short_name", "kind"):
            if key in body and body[key] is not None:
                setattr(agency, key, body[key].strip())
        if "active" in body:
            agency.active = bool(body["active"])
        if "edxml_code" in body:  # Intake (issue 12): optional, unique
            agency.edxml_code = str(body["edxml_code"] or "").strip()[:64] or None
            with db.session.no_autoflush:
                taken = agency.edxml_code and db.session.scalar(select(Agency.id).where(
                    Agency.edxml_code == agency.edxml_code, Agency.id != (agency.id or 0)))
            if taken:
                raise Invalid(_l("The electronic code %(code)s is another agency's.", code=agency.edxml_code))
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
