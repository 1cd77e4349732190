"""Monitoring API: delay reports, urging letters (Art. 10-12)."""
from __future__ import annotations

from flask_appbuilder.api import expose, protect, safe
from app.access import current_viewer
from app.extensions import db
from app.models import DelayReport
from app.services import delay_reports, letters, reports
from app.services.errors import ServiceError
from app.api.common import (
    _Api,
    _body,
    _date,
    _int,
    _text,
    delay_report_json,
)


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
                  required: [task_id, description]
                  properties:
                    task_id: {type: integer}
                    received_on: {type: string, format: date}
                    description: {type: string, minLength: 1, maxLength: 10000}
                    concerned_agency_id: {type: integer}
                    reporting_agency_id: {type: integer, description: "the Office recording a paper report"}
          responses:
            201: {description: "{id, result: {due_on, status, …}}"}
            404: {description: No such task among those the caller may see}
            409: {description: "The task's state does not allow it"}
            422: {description: Refused}
        """
        def run():
            body = _body()
            report = delay_reports.file_report(
                _int(body.get("task_id"), "task_id"), viewer=current_viewer(),
                description=_text(body.get("description"), "description"),
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
            409: {description: The file is still being prepared}
        """
        return self._file(pk, "docx")
