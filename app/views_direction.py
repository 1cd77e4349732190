"""Asking for direction screens (issue 13): ad-hoc report requests, difficulties
and disagreements, proposals to the Chairman and his directions. Thin: each form
calls one service; what a user may see is the services' row-level rule."""
from __future__ import annotations

import io

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import labels
from app.access import current_viewer
from app.domain import direction as rules
from app.domain.vocabulary import AgencyKind
from app.extensions import db
from app.models import Agency
from app.models_direction import ReportRequest
from app.services import report_requests
from app.services.calendar import today
from app.services.errors import ServiceError
from app.views import _flash_refusal, _form_date, _form_int, _perform, fmt_date


def _agencies():
    return db.session.scalars(select(Agency).where(Agency.active.is_(True), Agency.kind != AgencyKind.office.value)
                              .order_by(Agency.kind, Agency.name)).all()


def _ids(values) -> list[int]:
    out = []
    for value in values:
        for part in str(value).replace(";", ",").split(","):
            if part.strip().isdigit():
                out.append(int(part.strip()))
    return out


class ReportRequestView(BaseView):
    """Yêu cầu báo cáo đột xuất (Art. 18.4, 19.1)."""

    route_base = "/report-requests"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        rows = db.session.scalars(report_requests.visible_requests(viewer).order_by(ReportRequest.id.desc())
                                  .limit(300)).all()
        mine = {}
        if not viewer.sees_all and viewer.agency_id:
            from app.models_direction import ReportAnswer

            mine = {a.request_id: a for a in db.session.scalars(select(ReportAnswer).where(
                ReportAnswer.agency_id == viewer.agency_id,
                ReportAnswer.request_id.in_([r.id for r in rows] or [0])))}
        counts = report_requests.list_counts([r.id for r in rows]) if viewer.sees_all else {}
        return self.render_template(
            "direction_requests.html", title=_("Ad-hoc report requests"), rows=rows, mine=mine, counts=counts,
            fmt_date=fmt_date, state_of=report_requests.state_of, state_label=report_requests.STATE_LABEL,
            can_add=self.appbuilder.sm.has_access("can_add", "ReportRequestView"))

    @expose("/new", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    def new(self):
        viewer = current_viewer()
        form = request.form
        if request.method == "POST":
            scope = form.get("scope") or "chosen"
            try:
                created = report_requests.create_request(
                    viewer=viewer, subject=form.get("subject", ""), body=form.get("body", ""),
                    agency_ids=[int(a) for a in form.getlist("agency_ids") if a.isdigit()] if scope == "chosen" else [],
                    scope=scope,
                    due_on=_form_date(form.get("due_on")) if form.get("due_mode") != "days" else None,
                    due_working_days=_form_int(form.get("due_working_days")) if form.get("due_mode") == "days" else None,
                    task_ids=_ids(form.getlist("task_ids")), files=request.files.getlist("files"))
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
            else:
                flash(_("The request was sent to %(n)s agencies; answers are due on %(date)s.",
                        n=len(created.answers), date=fmt_date(created.due_on)), "success")
                return redirect(url_for("ReportRequestView.show", request_id=created.id))
        return self.render_template("direction_request_new.html", title=_("Ask for an ad-hoc report"),
                                    agencies=_agencies(), form=form, task_ids=request.args.get("task_ids", ""),
                                    kind_labels=labels.AGENCY_KIND)

    @expose("/show/<int:request_id>")
    @has_access
    @permission_name("list")
    def show(self, request_id):
        viewer = current_viewer()
        req = report_requests.visible_request(request_id, viewer)
        if req is None:
            abort(404)
        answers = report_requests.visible_answers(req, viewer)
        own = answers[0] if not viewer.sees_all and answers else None
        return self.render_template(
            "direction_request_show.html", title=_("Ad-hoc report request"), req=req, answers=answers, own=own,
            files=report_requests.request_files(req.id),
            answer_files=report_requests.answer_files([a.id for a in answers]),
            counts=report_requests.counts(req, answers), state_of=report_requests.state_of,
            state_label=report_requests.STATE_LABEL, fmt_date=fmt_date, today=today(),
            office=viewer.sees_all, can_submit=rules.may_submit_answer(viewer.roles),
            can_answer=rules.may_draft_answer(viewer.roles),
            can_remind=self.appbuilder.sm.has_access("can_remind", "ReportRequestView"))

    @expose("/answer/<int:request_id>", methods=["POST"])
    @has_access
    @permission_name("answer")
    def answer(self, request_id):
        form = request.form
        submit = form.get("submit") == "1"
        return _perform(lambda: report_requests.answer(
            request_id, viewer=current_viewer(), body=form.get("body", ""), submit=submit,
            files=request.files.getlist("files"), expected_version=form.get("version")),
            _("Your agency's answer was submitted to the Office.") if submit else _("The draft was saved."),
            url_for("ReportRequestView.show", request_id=request_id))

    @expose("/remind/<int:request_id>", methods=["POST"])
    @has_access
    @permission_name("remind")
    def remind(self, request_id):
        return _perform(lambda: report_requests.remind(request_id, viewer=current_viewer()),
                        lambda n: _("%(n)s reminders sent to the agencies that have not answered.", n=n),
                        url_for("ReportRequestView.show", request_id=request_id))

    @expose("/download/<int:request_id>")
    @has_access
    @permission_name("download")
    def download(self, request_id):
        try:
            data, name = report_requests.answers_zip(request_id, current_viewer())
        except ServiceError:
            abort(404)
        return send_file(io.BytesIO(data), mimetype="application/zip", as_attachment=True, download_name=name)

    @expose("/file/<int:file_id>")
    @has_access
    @permission_name("list")
    def file(self, file_id):
        try:
            return report_requests.send_direction_file(file_id, current_viewer())
        except ServiceError:
            abort(404)


def init_direction(app, appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    from app.api.direction import ReportRequestApi

    appbuilder.add_view(ReportRequestView, "Ad-hoc reports", label=_l("Ad-hoc report requests"),
                        category="Monitoring", icon="fa-bullhorn")
    for api in (ReportRequestApi,):
        appbuilder.add_api(api)
