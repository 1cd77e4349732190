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
from app.models_direction import Proposal
from app.services import difficulties, proposals, report_requests
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


def _text(body: dict, name: str) -> str:
    """A text field: absent, null or a string; anything else is refused, naming the field."""
    value = body.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_l("%(field)s must be text.", field=name), {name: [_l("Not text.")]})
    return value


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
            409: {description: No active agency matches the choice}
            422: {description: Refused}
        """
        def run():
            body = _body()
            viewer = current_viewer()
            req = report_requests.create_request(
                viewer=viewer, subject=_text(body, "subject"), body=_text(body, "body"),
                agency_ids=_int_list(body.get("agency_ids"), "agency_ids"), scope=_text(body, "scope") or None,
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
            if submit is not None and not isinstance(submit, (bool, str)):
                raise Invalid(_l("submit must be true or false."), {"submit": [_l("Not true or false.")]})
            if not isinstance(data.get("body", ""), str):
                raise Invalid(_l("%(field)s must be text.", field="body"), {"body": [_l("Not text.")]})
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



def issue_json(issue) -> dict:
    return {"id": issue.id, "task_id": issue.task_id, "kind": issue.kind, "agency_id": issue.agency_id,
            "body": issue.body, "proposal": issue.proposal_text, "status": issue.status, "answer": issue.answer,
            "proposal_id": issue.proposal_id, "created_at": _ts(issue.created_at)}


class DifficultyApi(_Api):
    """Difficulties (Art. 19.2) and disagreements (Art. 10.1.c) on a task."""

    resource_name = "task"
    openapi_spec_tag = "Difficulties"
    method_permission_name = {"difficulty": "post", "disagreement": "post"}

    @expose("/<int:pk>/difficulties", methods=["POST"])
    @protect()
    @safe
    def difficulty(self, pk):
        """The head (or chair) of an agency on the task reports a difficulty and what it proposes.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    body: {type: string}
                    proposal: {type: string}
          responses:
            201: {description: The difficulty}
            403: {description: Not the head of an agency on the task}
            404: {description: Not a task the caller may see}
            409: {description: The task is not being carried out}
        """
        def run():
            body = _body()
            issue = difficulties.report_difficulty(pk, viewer=current_viewer(), body=_text(body, "body"),
                                                   proposal=_text(body, "proposal"))
            return {"id": issue.id, "result": issue_json(issue)}
        return self.handle(run, status=201)

    @expose("/<int:pk>/disagreements", methods=["POST"])
    @protect()
    @safe
    def disagreement(self, pk):
        """The Office records where agencies disagree on a task.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    body: {type: string}
                    positions: {type: string}
          responses:
            201: {description: The disagreement}
            403: {description: Not the Office}
        """
        def run():
            body = _body()
            issue = difficulties.record_disagreement(pk, viewer=current_viewer(), body=_text(body, "body"),
                                                     positions=_text(body, "positions"))
            return {"id": issue.id, "result": issue_json(issue)}
        return self.handle(run, status=201)


def item_json(item) -> dict:
    return {"task_id": item.task_id, "decision": item.decision, "deadline": _iso(item.deadline),
            "lead_agency_id": item.lead_agency_id, "comment": item.comment, "decided_by_id": item.decided_by_id,
            "decided_at": _ts(item.decided_at), "carried_out_at": _ts(item.carried_out_at)}


def proposal_json(proposal) -> dict:
    return {"id": proposal.id, "reason": proposal.reason, "body": proposal.body, "status": proposal.status,
            "created_by_id": proposal.created_by_id, "created_at": _ts(proposal.created_at),
            "submitted_at": _ts(proposal.submitted_at), "decided_at": _ts(proposal.decided_at),
            "tasks": [item_json(i) for i in proposal.items]}


class ProposalApi(_Api):
    resource_name = "proposal"
    openapi_spec_tag = "Proposals to the Chairman"
    method_permission_name = {"get_list": "get", "get": "get", "pdf": "get", "docx": "get", "post": "post",
                              "submit": "submit", "direction": "direct", "transfer": "carry_out"}

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """Proposals (the Office and the Chairman): `?status=submitted` is the Chairman's queue, oldest first.
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
        """
        viewer = current_viewer()
        status = request.args.get("status")
        stmt = proposals.chairman_queue(viewer) if status == "submitted" else \
            proposals.visible_proposals(viewer).order_by(Proposal.id.desc())
        if status and status != "submitted":
            stmt = stmt.where(Proposal.status == status)
        rows = db.session.scalars(stmt.limit(500)).all()
        return self.response(200, count=len(rows), ids=[r.id for r in rows], result=[proposal_json(r) for r in rows])

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One proposal with each task's direction.
        ---
        get:
          responses:
            200: {description: The proposal}
            404: {description: Not found}
        """
        def run():
            proposal = proposals.visible_proposal(pk, current_viewer())
            if proposal is None:
                raise NotFound(_l("No such proposal."))
            return {"id": proposal.id, "result": proposal_json(proposal)}
        return self.handle(run)

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """The tracking officer drafts a proposal about one or many tasks.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    task_ids: {type: array, items: {type: integer}}
                    reason: {type: string, enum: [overdue, not_meeting, difficulty, disagreement, short_time, other]}
                    body: {type: string}
                    issue_ids: {type: array, items: {type: integer}}
          responses:
            201: {description: The draft}
            403: {description: Not the Office}
            409: {description: A difficulty taken up is already answered or proposed}
            422: {description: Refused}
        """
        def run():
            body = _body()
            proposal = proposals.draft_proposal(
                viewer=current_viewer(), task_ids=_int_list(body.get("task_ids"), "task_ids"),
                reason=_text(body, "reason"), body=_text(body, "body"),
                issue_ids=_int_list(body.get("issue_ids"), "issue_ids"))
            return {"id": proposal.id, "result": proposal_json(proposal)}
        return self.handle(run, status=201)

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    def submit(self, pk):
        """The Office leader approves it and sends it to the Chairman.
        ---
        post:
          responses:
            200: {description: The proposal, now with the Chairman}
            403: {description: Not the Office leader}
            409: {description: Already sent}
        """
        def run():
            proposal = proposals.submit_proposal(pk, viewer=current_viewer())
            return {"id": proposal.id, "result": proposal_json(proposal)}
        return self.handle(run)

    @expose("/<int:pk>/direction", methods=["POST"])
    @protect()
    @safe
    def direction(self, pk):
        """The Chairman's direction on one task of the proposal (Chairman only).
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    task_id: {type: integer}
                    decision: {type: string, enum: [urge, extend, transfer, withdraw, other]}
                    deadline: {type: string, format: date}
                    lead_agency_id: {type: integer}
                    comment: {type: string}
          responses:
            200: {description: The task's direction}
            403: {description: Not the Chairman}
            409: {description: Already directed, or the task's state refuses it}
            422: {description: Refused, nothing changed}
        """
        def run():
            body = _body()
            item = proposals.give_direction(
                pk, viewer=current_viewer(), task_id=_int(body.get("task_id"), "task_id"),
                decision=_text(body, "decision"), deadline=_date(body.get("deadline"), "deadline", required=False),
                lead_agency_id=_int(body.get("lead_agency_id"), "lead_agency_id", required=False),
                comment=_text(body, "comment"))
            return {"id": pk, "result": item_json(item)}
        return self.handle(run)

    @expose("/<int:pk>/transfer", methods=["POST"])
    @protect()
    @safe
    def transfer(self, pk):
        """The Office sends a task the Chairman transferred to its new lead agency.
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    task_id: {type: integer}
          responses:
            200: {description: Sent}
            409: {description: Not a transfer, or already sent}
        """
        def run():
            item = proposals.carry_out_transfer(pk, viewer=current_viewer(), task_id=_int(_body().get("task_id"), "task_id"))
            return {"id": pk, "result": item_json(item)}
        return self.handle(run)

    def _file(self, pk, kind):
        from flask import send_file
        import io

        try:
            data, mimetype, name = proposals.proposal_file(pk, kind, current_viewer())
        except NotFound as error:
            return self.response(404, **error.as_json())
        return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)

    @expose("/<int:pk>/pdf", methods=["GET"])
    @protect()
    @safe
    def pdf(self, pk):
        """The proposal and its directions as PDF (Decree 30 layout).
        ---
        get:
          responses:
            200: {description: application/pdf}
        """
        return self._file(pk, "pdf")

    @expose("/<int:pk>/docx", methods=["GET"])
    @protect()
    @safe
    def docx(self, pk):
        """The proposal and its directions as DOCX.
        ---
        get:
          responses:
            200: {description: DOCX}
        """
        return self._file(pk, "docx")
