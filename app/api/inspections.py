"""Inspections API (Chương V, Art. 13–17): the contract of issue 11. Every read goes through
app.services.inspections.visible_inspection (the row-level rule of inspections): an inspection the
caller may not see answers 404. Refusals: 403 role, 404 not visible, 409 state, 422 input."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from app.access import current_viewer
from app.api.common import _Api, _body, _date, _int, _int_list, _iso, _page
from app.extensions import db
from app.models import Inspection, InspectionAgency, InspectionMember
from app.services import inspection_files, inspection_report_files, inspections
from app.services.errors import Invalid, NotFound, ServiceError


def inspection_json(inspection: Inspection, viewer=None) -> dict:
    status = inspections.status(inspection)
    return {
        "id": inspection.id,
        "conducted_by": inspection.conducted_by,
        "agency_id": inspection.agency_id,
        "legal_basis": inspection.legal_basis,
        "scope": inspection.scope,
        "tasks": inspection.tasks,
        "content": {"implementation": inspection.content_implementation, "updating": inspection.content_updating,
                    "reporting": inspection.content_reporting, "text": inspection.content_text},
        "form": inspection.form,
        "start_on": _iso(inspection.start_on),
        "end_on": _iso(inspection.end_on),
        "inspected_agency_ids": sorted(inspection.inspected_ids),
        "leader_id": inspection.leader_id,
        "member_ids": sorted(inspection.member_ids - {inspection.leader_id}),
        "status": status.value,
        "submitted_to_chairman": inspection.submitted_at is not None,
        "sent_back_note": inspection.sent_back_note,
        "number": inspection.number,
        "issued_on": _iso(inspection.issued_on),
        "report_due_on": _iso(inspection.report_due_on),
        "report_working_days_left": inspections.working_days_left(inspection),
        "report_submitted_on": _iso(inspection.report_submitted_on),
        "report_late": inspections.report_is_late(inspection),
        "version": inspection.version,
    }


def finding_json(finding) -> dict:
    return {"id": finding.id, "inspection_id": finding.inspection_id, "agency_id": finding.agency_id,
            "task_id": finding.task_id, "assessment": finding.assessment, "conclusion": finding.conclusion,
            "recommendations": finding.recommendations, "author_id": finding.author_id,
            "created_at": finding.created_at.isoformat(timespec="seconds")}


def _bool(value, name: str, default: bool) -> bool:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise Invalid(_l("%(field)s must be true or false.", field=name), {name: [_l("Not true or false.")]})
    return value


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Invalid(_l("%(field)s must be text.", field=name), {name: [_l("Not text.")]})
    return value


def _input(body: dict) -> inspections.InspectionInput:
    content = body.get("content") or {}
    if not isinstance(content, dict):
        raise Invalid(_l("%(field)s must be an object.", field="content"), {"content": [_l("Not an object.")]})
    return inspections.InspectionInput(
        conducted_by=_text(body.get("conducted_by", "office"), "conducted_by"),
        agency_id=_int(body.get("agency_id"), "agency_id", required=False),
        legal_basis=_text(body.get("legal_basis"), "legal_basis"), scope=_text(body.get("scope"), "scope"),
        tasks=_text(body.get("tasks"), "tasks"),
        content_implementation=_bool(content.get("implementation"), "content.implementation", False),
        content_updating=_bool(content.get("updating"), "content.updating", False),
        content_reporting=_bool(content.get("reporting"), "content.reporting", False),
        content_text=_text(content.get("text"), "content.text"), form=_text(body.get("form", ""), "form"),
        start_on=_date(body.get("start_on"), "start_on", required=False),
        end_on=_date(body.get("end_on"), "end_on", required=False),
        inspected_agency_ids=_int_list(body.get("inspected_agency_ids"), "inspected_agency_ids"),
        leader_id=_int(body.get("leader_id"), "leader_id", required=False),
        member_ids=_int_list(body.get("member_ids"), "member_ids"))


class InspectionApi(_Api):
    resource_name = "inspection"
    openapi_spec_tag = "Inspections"
    method_permission_name = {"get_list": "get", "get": "get", "post": "post", "issue": "issue",
                              "submit": "post", "send_back": "issue", "findings": "finding",
                              "report": "report", "decision_file": "get", "report_file": "get",
                              "agency_report": "get", "agency_report_file": "get"}

    def _one(self, pk):
        inspection = inspections.visible_inspection(pk, current_viewer())
        if inspection is None:
            raise inspections.InspectionNotFound()
        return inspection

    @expose("/", methods=["POST"])
    @protect()
    @safe
    def post(self):
        """Draft an inspection decision (the Office, Art. 13.1) or an agency's own (Art. 13.2).
        ---
        post:
          responses:
            201: {description: "{id, result}"}
            403: {description: Not the Office or the agency's head}
            422: {description: Refused input}
            404: {description: No such inspection among those the caller may see}
            409: {description: "The inspection's state does not allow it"}
        """
        def run():
            inspection = inspections.create_inspection(_input(_body()), viewer=current_viewer())
            return {"id": inspection.id, "result": inspection_json(self._one(inspection.id))}
        return self.handle(run, status=201)

    @expose("/", methods=["GET"])
    @protect()
    @safe
    def get_list(self):
        """The inspections the caller may see, newest first, with status and report due date.
        ---
        get:
          responses:
            200: {description: "{count, ids, result}"}
            403: {description: Not allowed for the caller's role or part in the inspection}
            404: {description: No such inspection among those the caller may see}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            page, size = _page()
            stmt = inspections.visible_inspections(current_viewer())
            from sqlalchemy import func, select

            count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
            rows = db.session.scalars(stmt.order_by(Inspection.id.desc()).offset(page * size).limit(size).options(
                selectinload(Inspection.inspected), selectinload(Inspection.members))).all()
            return {"count": count, "ids": [r.id for r in rows], "result": [inspection_json(r) for r in rows]}
        return self.handle(run)

    @expose("/<int:pk>", methods=["GET"])
    @protect()
    @safe
    def get(self, pk):
        """One inspection.
        ---
        get:
          responses:
            200: {description: "{id, result}"}
            404: {description: Not visible}
            403: {description: Not allowed for the caller's role or part in the inspection}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            inspection = self._one(pk)
            return {"id": inspection.id, "result": inspection_json(inspection),
                    "findings": [finding_json(f) for f in inspections.findings(inspection, current_viewer())]}
        return self.handle(run)

    @expose("/<int:pk>/submit", methods=["POST"])
    @protect()
    @safe
    def submit(self, pk):
        """The Office submits the draft decision to the Chairman.
        ---
        post:
          responses:
            200: {description: "{id, result}"}
            403: {description: Not allowed for the caller's role or part in the inspection}
            404: {description: No such inspection among those the caller may see}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            inspection = inspections.submit_for_issue(pk, viewer=current_viewer())
            return {"id": inspection.id, "result": inspection_json(inspection)}
        return self.handle(run)

    @expose("/<int:pk>/send-back", methods=["POST"])
    @protect()
    @safe
    def send_back(self, pk):
        """The Chairman sends the draft back with a note.
        ---
        post:
          responses:
            200: {description: "{id, result}"}
            403: {description: Not allowed for the caller's role or part in the inspection}
            404: {description: No such inspection among those the caller may see}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            body = _body()
            inspection = inspections.send_back(pk, viewer=current_viewer(), note=_text(body.get("note"), "note"))
            return {"id": inspection.id, "result": inspection_json(inspection)}
        return self.handle(run)

    @expose("/<int:pk>/issue", methods=["POST"])
    @protect()
    @safe
    def issue(self, pk):
        """The Chairman (an agency head for its own) issues the decision: number and date (Art. 15).
        ---
        post:
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    number: {type: string}
                    issued_on: {type: string, format: date}
                    version: {type: integer}
          responses:
            200: {description: "{id, result}"}
            403: {description: Not the Chairman}
            409: {description: Already issued}
            404: {description: No such inspection among those the caller may see}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            body = _body()
            inspection = inspections.issue(pk, viewer=current_viewer(), number=_text(body.get("number"), "number"),
                                           issued_on=_date(body.get("issued_on"), "issued_on", required=False),
                                           expected_version=_int(body.get("version"), "version", required=False))
            return {"id": inspection.id, "result": inspection_json(inspection)}
        return self.handle(run)

    @expose("/<int:pk>/findings", methods=["POST"])
    @protect()
    @safe
    def findings(self, pk):
        """A member of the Working Group records findings (Art. 17.3).
        ---
        post:
          responses:
            201: {description: "{id, result}"}
            403: {description: Not allowed for the caller's role or part in the inspection}
            404: {description: No such inspection among those the caller may see}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            body = _body()
            finding = inspections.add_finding(
                pk, viewer=current_viewer(), agency_id=_int(body.get("agency_id"), "agency_id"),
                task_id=_int(body.get("task_id"), "task_id", required=False),
                assessment=_text(body.get("assessment"), "assessment"),
                conclusion=_text(body.get("conclusion"), "conclusion"),
                recommendations=_text(body.get("recommendations"), "recommendations"))
            return {"id": finding.id, "result": finding_json(finding)}
        return self.handle(run, status=201)

    @expose("/<int:pk>/report", methods=["POST"])
    @protect()
    @safe
    def report(self, pk):
        """Submit the result report (the leader or the Office; Art. 17). Without `body`, the report
        drafted from the findings is submitted.
        ---
        post:
          responses:
            200: {description: "{id, result}"}
            409: {description: "Already submitted, or not started"}
            403: {description: Not allowed for the caller's role or part in the inspection}
            404: {description: No such inspection among those the caller may see}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            body = request.get_json(silent=True) or {}
            if not isinstance(body, dict):
                raise Invalid(_l("The request body must be a JSON object."))
            text = body.get("body")
            inspection = inspections.submit_report(
                pk, viewer=current_viewer(), body=None if text is None else _text(text, "body"),
                number=None if body.get("number") is None else _text(body.get("number"), "number"),
                expected_version=body.get("version"))
            return {"id": inspection.id, "result": inspection_json(inspection)}
        return self.handle(run)

    def _file(self, pk, which, kind):
        try:
            return inspection_files.send_inspection_file(pk, which, kind, current_viewer())
        except ServiceError as error:
            return self.response(error.status, **error.as_json())

    @expose("/<int:pk>/decision/<kind>", methods=["GET"])
    @protect()
    @safe
    def decision_file(self, pk, kind):
        """The decision as PDF or DOCX (Decree 30/2020 layout).
        ---
        get:
          responses:
            200: {description: application/pdf or DOCX}
            404: {description: Not visible}
            403: {description: Not allowed for the caller's role or part in the inspection}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        return self._file(pk, "decision", kind)

    @expose("/<int:pk>/report/<kind>", methods=["GET"])
    @protect()
    @safe
    def report_file(self, pk, kind):
        """The result report as PDF or DOCX; the inspected agencies once it is submitted.
        ---
        get:
          responses:
            200: {description: application/pdf or DOCX}
            404: {description: Not visible}
            403: {description: Not allowed for the caller's role or part in the inspection}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        return self._file(pk, "report", kind)

    @expose("/<int:pk>/agency-report/<int:agency_id>", methods=["GET"])
    @protect()
    @safe
    def agency_report(self, pk, agency_id):
        """An inspected agency's report for the inspection, with its files (Art. 16.3).

        Read under the one rule of the page (app.services.inspections.may_read_agency_report): the agency
        itself; once submitted, the Office and the Chairman, and the Working Group until its result report.
        ---
        get:
          responses:
            200: {description: "{inspection_id, agency_id, status, body, explanations, submitted_at, files: [{id, filename, content_type, size, sha256, uploaded_on, url}]}"}
            404: {description: No such report among those the caller may read}
            403: {description: Not allowed for the caller's role or part in the inspection}
            409: {description: "The inspection's state does not allow it"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        def run():
            import json

            inspection = self._one(pk)
            report = inspections.agency_report(inspection, agency_id)
            if report is None or not inspections.may_read_agency_report(
                    inspection, agency_id, report.status == "submitted", current_viewer()):
                raise NotFound(_l("No such report."))
            return {
                "inspection_id": inspection.id, "agency_id": report.agency_id, "status": report.status,
                "body": report.body, "explanations": json.loads(report.explanations or "{}"),
                "submitted_at": report.submitted_at.isoformat(timespec="seconds") if report.submitted_at else None,
                "files": [{"id": f.id, "filename": f.filename, "content_type": f.content_type, "size": f.size,
                           "sha256": f.sha256, "uploaded_on": f.uploaded_on.isoformat(timespec="seconds"),
                           "url": f"/api/v1/inspection/{inspection.id}/agency-report-file/{f.id}"}
                          for f in report.files]}
        return self.handle(run)

    @expose("/<int:pk>/agency-report-file/<int:file_id>", methods=["GET"])
    @protect()
    @safe
    def agency_report_file(self, pk, file_id):
        """A file of an inspected agency's report, only while its bytes match its record (size, SHA-256).
        ---
        get:
          responses:
            200: {description: The file as uploaded}
            404: {description: No such file among those the caller may read}
            403: {description: Not allowed for the caller's role or part in the inspection}
            409: {description: "The stored bytes no longer match the record: not served"}
            422: {description: "Refused input: a Vietnamese message, with errors per field"}
        """
        found = inspection_report_files.visible_file(file_id, current_viewer())
        if found is None or found[1].id != pk:
            error = inspection_report_files.ReportFileNotFound()
            return self.response(error.status, **error.as_json())
        try:
            return inspection_report_files.send_report_file(file_id, current_viewer())
        except ServiceError as error:
            return self.response(error.status, **error.as_json())
