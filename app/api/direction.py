"""Asking for direction API (issue 13): ad-hoc report requests and answers,
difficulties on a task, proposals to the Chairman and his directions. Same JWT,
same row-level rule, same refusals (403/404/409/422 with a Vietnamese message)."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import lazy_gettext as _l

from app.access import current_viewer
from app.api.common import _Api, _body, _date, _int, _int_list, _iso
from app.extensions import db
from app.models_direction import ReportRequest
from app.services import report_requests
from app.services.errors import Invalid, NotFound


def _ts(value):
    return value.isoformat(timespec="seconds") if value else None


def answer_json(entry) -> dict:
    state = report_requests.state_of(entry)
    submitted = entry.status == "submitted"
    return {"agency_id": entry.agency_id, "agency": entry.agency.name, "due_on": _iso(entry.due_on),
            "status": entry.status, "state": state.value, "submitted_at": _ts(entry.submitted_at) if submitted else None,
            "late": state.value in ("late", "missing"), "body": entry.body if submitted else None,
            "version": entry.version}


def request_json(req: ReportRequest, viewer) -> dict:
    answers = report_requests.visible_answers(req, viewer)
    return {"id": req.id, "subject": req.subject, "body": req.body, "scope": req.scope,
            "sent_on": _iso(req.sent_on), "due_on": _iso(req.due_on), "due_working_days": req.due_working_days,
            "task_ids": [t.id for t in req.tasks], "answers": [answer_json(a) for a in answers]}


def _form_or_json() -> dict:
    if request.mimetype == "multipart/form-data" or request.form:
        return request.form.to_dict()
    return _body()


def _bool(value) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


class ReportRequestApi(_Api):
    resource_name = "report-request"
    openapi_spec_tag = "Ad-hoc reports"
    method_permission_name = {"get_list": "get", "get": "get", "post": "post", "answer": "answer",
                              "remind": "remind"}

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """Ask agencies for an ad-hoc report (Art. 18.4, 19.1).
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    subject: {type: string}
                    body: {type: string}
                    agency_ids: {type: array, items: {type: integer}}
                    scope: {type: string, enum: [all, communes, departments]}
                    due_on: {type: string, format: date}
                    due_working_days: {type: integer}
                    task_ids: {type: array, items: {type: integer}}
          responses:
            201: {description: "{id, result: {due_on, answers: [{agency_id, due_on, status}]}}"}
            403: {description: Not the Office or the Chairman}
            422: {description: Refused}
        """
        def run():
            body = _body()
            viewer = current_viewer()
            req = report_requests.create_request(
                viewer=viewer, subject=str(body.get("subject") or ""), body=str(body.get("body") or ""),
                agency_ids=_int_list(body.get("agency_ids"), "agency_ids"), scope=body.get("scope"),
                due_on=_date(body.get("due_on"), "due_on", required=False),
                due_working_days=_int(body.get("due_working_days"), "due_working_days", required=False),
                task_ids=_int_list(body.get("task_ids"), "task_ids"))
            return {"id": req.id, "result": request_json(req, viewer)}
        return self.handle(run, status=201)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """The requests the caller may see, newest first (an agency: those addressed to it).
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
        """
        viewer = current_viewer()
        rows = db.session.scalars(report_requests.visible_requests(viewer)
                                  .order_by(ReportRequest.id.desc()).limit(500)).all()
        return self.response(200, count=len(rows), ids=[r.id for r in rows],
                             result=[request_json(r, viewer) for r in rows])

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One request with the answers the caller may see (an agency: its own).
        ---
        get:
          responses:
            200: {description: "{id, result: {answers: [{agency_id, status, submitted_at, late}]}}"}
            404: {description: Not found}
        """
        def run():
            viewer = current_viewer()
            req = report_requests.visible_request(pk, viewer)
            if req is None:
                raise NotFound(_l("No such report request."))
            return {"id": req.id, "result": request_json(req, viewer)}
        return self.handle(run)

    @expose("/<int:pk>/answer", methods=["POST"])
    @protect()
    @safe
    def answer(self, pk):
        """The agency's answer: staff save a draft, the head submits (multipart for files).
        ---
        post:
          requestBody:
            content:
              multipart/form-data:
                schema:
                  type: object
                  properties:
                    body: {type: string}
                    submit: {type: boolean}
                    version: {type: integer}
                    files: {type: array, items: {type: string, format: binary}}
          responses:
            200: {description: The answer}
            403: {description: Not the agency asked, or staff submitting}
            409: {description: Already submitted}
        """
        def run():
            data = _form_or_json()
            viewer = current_viewer()
            submit = data.get("submit")
            if submit is None:
                submit = viewer.has_role("AgencyHead", "CommuneChair")
            entry = report_requests.answer(pk, viewer=viewer, body=str(data.get("body") or ""),
                                           submit=_bool(submit), files=request.files.getlist("files"),
                                           expected_version=data.get("version"))
            return {"id": entry.id, "result": answer_json(entry)}
        return self.handle(run)

    @expose("/<int:pk>/remind", methods=["POST"])
    @protect()
    @safe
    def remind(self, pk):
        """Remind the agencies whose answer is past due (once a day each).
        ---
        post:
          responses:
            200: {description: "{reminded}"}
        """
        return self.handle(lambda: {"reminded": report_requests.remind(pk, viewer=current_viewer())})


__all__ = ["ReportRequestApi"]
