"""Working calendar API."""
from __future__ import annotations

from flask import request
from flask_appbuilder.api import expose, protect, safe
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from app.access import current_viewer
from app.extensions import db
from app.models import CalendarOverride
from app.services.calendar import current_calendar, forget_calendar
from app.services.errors import Invalid, check_texts
from app.api.common import (
    _Api,
    _body,
    _date,
    _int,
    _text,
)


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
          - {in: query, name: days, required: true, schema: {type: integer, minimum: 0, maximum: 3650}}
          responses:
            200: {description: '{"date": "YYYY-MM-DD"}'}
            422: {description: Bad input}
        """
        def run():
            start = _date(request.args.get("date"), "date")
            days = _int(request.args.get("days"), "days")
            if not 0 <= days <= 3650:
                raise Invalid(_l("days must be between 0 and 3650."))
            try:
                return {"date": current_calendar().add_working_days(start, days).isoformat()}
            except ValueError:  # beyond the calendar's last accepted date
                raise Invalid(_l("%(days)s working days after %(date)s is after 31/12/2100.",
                                 days=days, date=start.strftime("%d/%m/%Y")), {"days": [_l("Too far.")]})
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
            422: {description: Bad input}
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
                  required: [date, working]
                  properties:
                    date: {type: string, format: date}
                    working: {type: boolean, description: "true: a make-up working day; false: a day off"}
                    note: {type: string, maxLength: 255}
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
            note = _text(body.get("note"), "note") or ""
            check_texts(("note", note, _l("Note"), CalendarOverride.__table__.c.note.type.length))
            row = CalendarOverride(day=day, working=body["working"], note=note,
                                   created_by_id=current_viewer().user_id)
            db.session.add(row)
            db.session.commit()
            forget_calendar()
            return {"id": row.id, "result": {"date": day.isoformat(), "working": row.working, "note": row.note}}
        return self.handle(run, status=201)
