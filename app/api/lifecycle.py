"""Lifecycle API: extension requests (Art. 9)."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from app.access import current_viewer, restrict_tasks
from app.extensions import db
from app.models import ExtensionRequest, Task
from app.services import lifecycle
from app.services.errors import Invalid
from app.api.common import (
    _Api,
    _body,
    _date,
    extension_json,
)


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
                  required: [approve]
                  properties:
                    approve: {type: boolean}
                    deadline: {type: string, format: date, description: "approve: another date than proposed"}
                    comment: {type: string, maxLength: 10000}
          responses:
            200: {description: The decided request}
            403: {description: Not the Chairman}
            404: {description: Not found}
            409: {description: Already decided}
            422: {description: Bad input}
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
