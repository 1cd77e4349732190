"""Reports API: periodic report, Phụ lục I (Art. 13)."""
from __future__ import annotations

from flask import request
from flask_babel import lazy_gettext as _l
from flask_appbuilder.api import expose, protect, safe
from app.access import current_viewer
from app.services import reports
from app.services.errors import Invalid
from app.services.appendix import appendix_all_agencies, appendix_counts
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
          - {in: query, name: all_agencies, schema: {type: integer, enum: [0, 1]},
             description: "1: every agency's counts in one call (Office roles only; 403 otherwise)"}
          responses:
            200: {description: "The twelve counts; with all_agencies=1 {period, start, end, province, agencies: [...]}"}
            403: {description: "An agency user asked for the province, or all_agencies asked by anyone but the Office"}
            404: {description: An agency user asked for another agency}
            422: {description: Bad period}
        """
        def run():
            period = reports.period_from(request.args.get("kind"), request.args.get("year"), request.args.get("number"))
            all_agencies = _int(request.args.get("all_agencies"), "all_agencies", required=False)
            if all_agencies not in (None, 0, 1):
                raise Invalid(_l("all_agencies must be 0 or 1."), {"all_agencies": [_l("Must be 0 or 1.")]})
            if all_agencies == 1:  # issue 10: every agency in one call, one aggregate
                if request.args.get("agency_id"):
                    raise Invalid(_l("Give agency_id or all_agencies=1, not both."),
                                  {"agency_id": [_l("Not with all_agencies=1.")]})
                return appendix_all_agencies(period, current_viewer())
            agency_id = _int(request.args.get("agency_id"), "agency_id", required=False)
            scope = reports.scope_of(current_viewer(), agency_id)
            # Before the cut-off, as of today (provisional), as the report page shows them.
            return appendix_counts(period, scope, reports.provisional_as_of(period)).as_dict()
        return self.handle(run)
