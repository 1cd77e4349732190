"""Reports API: periodic report, Phụ lục I (Art. 13)."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from app.access import current_viewer
from app.services import reports
from app.services.appendix import appendix_counts
from app.api.common import (
    _Api,
    _int,
)


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
          - {in: query, name: kind, required: true, schema: {type: string, enum: [monthly, quarterly, half_year, annual]}}
          - {in: query, name: year, required: true, schema: {type: integer}}
          - {in: query, name: number, schema: {type: integer}, description: "1–12 or 1–4; omitted for half_year and annual"}
          - {in: query, name: agency_id, schema: {type: integer}}
          responses:
            200: {description: The twelve counts}
            403: {description: An agency user asked for another agency or the province}
            422: {description: Bad period}
        """
        def run():
            period = reports.period_from(request.args.get("kind"), request.args.get("year"), request.args.get("number"))
            agency_id = _int(request.args.get("agency_id"), "agency_id", required=False)
            scope = reports.scope_of(current_viewer(), agency_id)
            return appendix_counts(period, scope).as_dict()
        return self.handle(run)
