"""Intake API (Art. 2.4, 21): the document system posts edXML messages; the Office lists,
reads and dismisses incoming documents; the sender fetches the status reply. Registering
one is `POST /api/v1/document/` with `"intake_id"` (app/api/register.py)."""
from __future__ import annotations

from flask import Response, request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import lazy_gettext as _l

from app.access import current_viewer
from app.api.common import _Api, _body, _int, _iso, _page
from app.models_intake import IncomingDocument
from app.services import intake
from app.services.errors import Invalid, ServiceError


def incoming_json(incoming: IncomingDocument, *, with_messages: bool = False) -> dict:
    body = {
        "id": incoming.id,
        "status": incoming.status,
        "number": incoming.number,
        "issued_on": _iso(incoming.issued_on),
        "doc_type": incoming.doc_type,
        "type_code": incoming.type_code,
        "type_name": incoming.type_name,
        "summary": incoming.summary,
        "signer": incoming.signer,
        "signer_position": incoming.signer_position,
        "urgency": incoming.urgency,
        "issuer": incoming.issuer,
        "issuer_name": incoming.issuer_name,
        "sender_code": incoming.sender_code,
        "received_on": _iso(incoming.received_on),
        "received_at": incoming.received_at.isoformat(timespec="seconds"),
        "due_on": _iso(incoming.due_on),
        "entry_due_on": _iso(incoming.entry_due_on),
        "working_days_left": intake.working_days_left(incoming),
        "recipients": (incoming.recipients or "").splitlines(),
        "attachments": [f.filename for f in incoming.files],
        "edxml_document_id": incoming.edxml_document_id,
        "document_id": incoming.document_id,
        "dismissed_reason": incoming.dismissed_reason,
    }
    if with_messages:
        body["messages"] = [{"id": m.id, "kind": m.kind, "reason": m.reason, "status": m.status,
                             "attachments": [f.filename for f in m.files],
                             "received_at": m.received_at.isoformat(timespec="seconds"),
                             "changes": [{"field": f, "old": o, "new": n} for f, o, n in intake.message_changes(m)]}
                            for m in incoming.messages]
    return body


def _message_bytes() -> bytes:
    """The raw edXML body, or the one file of a multipart upload."""
    if request.files:
        files = [f for key in request.files for f in request.files.getlist(key) if f and f.filename]
        if len(files) != 1:
            raise Invalid(_l("Send one edXML message per request (one file)."), {"file": [_l("One file.")]})
        return files[0].read()
    return request.get_data(cache=False)


class IntakeApi(_Api):
    resource_name = "intake"
    openapi_spec_tag = "Intake"
    method_permission_name = {"post_edxml": "post", "get_list": "get", "get": "get", "dismiss": "dismiss",
                              "decide": "decide", "status": "status"}

    @expose("/edxml", methods=["POST"])
    @protect()
    @safe
    def post_edxml(self):
        """An edXML message from the document system (raw body, or a multipart file).
        ---
        post:
          requestBody:
            content:
              application/xml: {schema: {type: string}}
              multipart/form-data: {schema: {type: object, properties: {file: {type: string, format: binary}}}}
          responses:
            201: {description: "{id, result}: the incoming document (result.later_message for a revoke/update/replace)"}
            403: {description: Not the Connector or the Office}
            409: {description: "{message, intake_id | document_id}: the same message again"}
            422: {description: "{message, errors}: malformed; the element is named"}
        """
        def run():
            receipt = intake.receive(_message_bytes(), viewer=current_viewer(), channel="api")
            result = incoming_json(receipt.incoming)
            if receipt.later is not None:
                result["later_message"] = {"id": receipt.later.id, "kind": receipt.later.kind,
                                           "changes": [{"field": f, "old": o, "new": n}
                                                       for f, o, n in intake.message_changes(receipt.later)]}
            return {"id": receipt.incoming.id, "result": result}
        return self.handle(run, status=201)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """Incoming documents, pending first, each group oldest first.
        ---
        get:
          parameters:
          - {in: query, name: status, schema: {type: string, enum: [pending, registered, dismissed]}}
          responses:
            200: {description: "{count, ids, result}"}
        """
        def run():
            intake.require_reader(current_viewer())
            page, size = _page()
            status = request.args.get("status")
            if status not in (None, "pending", "registered", "dismissed"):  # "" too (as documented)
                raise Invalid(_l("status: '%(value)s' is not a valid choice.", value=status))
            count, rows = intake.listing(status=status, page=page, page_size=size)
            return {"count": count, "ids": [r.id for r in rows], "result": [incoming_json(r) for r in rows]}
        return self.handle(run)

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One incoming document with its later messages.
        ---
        get:
          responses:
            200: {description: "{id, result}"}
            404: {description: Not found}
        """
        def run():
            intake.require_reader(current_viewer())
            incoming = intake.get(pk)
            return {"id": incoming.id, "result": incoming_json(incoming, with_messages=True)}
        return self.handle(run)

    @expose("/<int:pk>/dismiss", methods=["POST"])
    @protect()
    @safe
    def dismiss(self, pk):
        """Dismiss with a reason (not a directive; classified, Art. 7–8): only the fact,
        the number and the date are kept.
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema: {type: object, required: [reason], properties: {reason: {type: string, maxLength: 10000}}}
          responses:
            200: {description: "{id, result}"}
            409: {description: Already registered or dismissed}
        """
        def run():
            incoming = intake.dismiss(pk, str(_body().get("reason") or ""), viewer=current_viewer())
            return {"id": incoming.id, "result": incoming_json(incoming)}
        return self.handle(run)

    @expose("/messages/<int:message_id>/decide", methods=["POST"])
    @protect()
    @safe
    def decide(self, message_id):
        """Apply (`{"apply": true}`) or set aside a later message (revoke, update, replace).
        ---
        post:
          requestBody:
            required: true
            content:
              application/json:
                schema: {type: object, required: [apply], properties: {apply: {type: boolean}}}
          responses:
            200: {description: "{id, result}: the incoming document after"}
            409: {description: Already decided}
        """
        def run():
            body = _body()
            if not isinstance(body.get("apply"), bool):
                raise Invalid(_l("apply must be true or false."), {"apply": [_l("Required.")]})
            incoming = intake.decide_message(message_id, apply=body["apply"], viewer=current_viewer())
            return {"id": incoming.id, "result": incoming_json(incoming, with_messages=True)}
        return self.handle(run)

    @expose("/<int:pk>/status.edxml", methods=["GET"])
    @protect()
    @safe
    def status(self, pk):
        """The edXML status reply for the sender: 03 registered, 04 tasks sent (01 waiting,
        02 dismissed).
        ---
        get:
          responses:
            200: {description: The status message (application/xml)}
            404: {description: Not found}
        """
        try:
            data = intake.status_reply(pk, viewer=current_viewer())
        except ServiceError as error:
            from app.extensions import db

            db.session.rollback()
            return self.response(error.status, **error.as_json())
        return Response(data, status=200, mimetype="application/xml",
                        headers={"Content-Disposition": f'attachment; filename="status-{pk}.edxml"'})


def register_from_intake(body: dict) -> dict:
    """`POST /api/v1/document/` with `"intake_id"`: the document's fields default to the
    message's; the tasks are the caller's (same rules as any entry)."""
    from app.api.common import _document_input, _task_input, document_json

    viewer = current_viewer()
    intake.require_reader(viewer)
    incoming = intake.get(_int(body.get("intake_id"), "intake_id"))
    defaults = {key: (_iso(value) if hasattr(value, "isoformat") else value)
                for key, value in intake.document_defaults(incoming).items()}
    merged = defaults | {"source": "ad_hoc"} | {k: v for k, v in body.items() if v is not None}
    tasks = merged.get("tasks") or []
    if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
        raise Invalid(_l("tasks must be a list of objects."))
    document = intake.register_incoming(incoming.id, _document_input(merged), [_task_input(t) for t in tasks],
                                        viewer=viewer, send=bool(merged.get("send")))
    return {"id": document.id, "result": document_json(document) | {
        "task_ids": [t.id for t in document.tasks], "intake_id": incoming.id}}
