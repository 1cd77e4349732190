"""Intake screens (issue 12): "Văn bản đến" — the incoming documents from the document
system (upload .edxml, list oldest first with the Art. 6 entry deadline, open → the entry
form pre-filled, dismiss, later messages confirmed) — and "Nhập nhiệm vụ từ Excel" on a
document. Thin: each action calls one service (app.services.intake, app.services.task_import)."""
from __future__ import annotations

import os

from flask import Flask, abort, current_app, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from app import forms, labels
from app.access import current_viewer
from app.extensions import db
from app.models_intake import IncomingAttachment, IncomingMessage
from app.services import intake
from app.services.errors import ServiceError
from app.views import (
    _agency_choices,
    _attach_errors,
    _document_input,
    _fill_task_choices,
    _flash_refusal,
    _officer_choices,
    _row_has_input,
    fmt_date,
)
from app.services import register

PAGE_SIZE = 50
FIELD_LABELS = {"number": _l("Number and symbol"), "issued_on": _l("Date of issue"),
                "doc_type": _l("Document type"), "summary": _l("Summary"), "signer": _l("Signed by"),
                "urgency": _l("Urgency"), "due_on": _l("Due date")}
KIND_LABELS = {"revoke": _l("Revocation"), "update": _l("Update"), "replace": _l("Replacement")}
STATUS_LABELS = {"pending": _l("Waiting to be registered"), "registered": _l("Registered"),
                 "dismissed": _l("Dismissed")}
MESSAGE_STATUS = {"pending": _l("Waiting for the Office's confirmation"), "applied": _l("Applied"),
                  "ignored": _l("Set aside")}


def _shown_value(field: str, value: str) -> str:
    if not value:
        return "—"
    if field in ("issued_on", "due_on"):
        import datetime as dt

        return fmt_date(dt.date.fromisoformat(value))
    if field == "doc_type":
        return str(labels.DOC_TYPE.get(value, value))
    if field == "urgency":
        return str(labels.URGENCY.get(value, value))
    return value


class IncomingView(BaseView):
    """Văn bản đến: what the document system sent, waiting for the Office (Art. 6)."""

    route_base = "/incoming"
    default_view = "list"

    def _context(self, **kwargs):
        return dict(fmt_date=fmt_date, labels=labels, status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
                    message_status=MESSAGE_STATUS, field_labels=FIELD_LABELS, shown=_shown_value,
                    days_left=intake.working_days_left, changes_of=intake.message_changes, **kwargs)

    @expose("/list/")
    @has_access
    @permission_name("list")
    def list(self, report=None):
        try:
            page = max(0, int(request.args.get("page", 0)))
        except ValueError:
            page = 0
        status = request.args.get("status") or None
        if status not in (None, "pending", "registered", "dismissed"):
            status = None
        count, rows = intake.listing(status=status, page=page, page_size=PAGE_SIZE)
        return self.render_template("intake_list.html", title=_("Incoming documents"), **self._context(
            rows=rows, count=count, page=page, pages=(count + PAGE_SIZE - 1) // PAGE_SIZE, status=status,
            report=report, can_upload=self.appbuilder.sm.has_access("can_upload", "IncomingView")))

    @expose("/upload", methods=["POST"])
    @has_access
    @permission_name("upload")
    def upload(self):
        """One or many .edxml files: each is received on its own (a bad one never stops
        the others), and the page reports each file."""
        report = []
        files = [f for f in request.files.getlist("files") if f and f.filename]
        if not files:
            flash(_("Choose one or more .edxml files."), "danger")
            return redirect(url_for("IncomingView.list"))
        for storage in files:
            name = os.path.basename(storage.filename.replace("\\", "/"))
            try:
                receipt = intake.receive(storage.read(), viewer=current_viewer(), channel="upload")
            except intake.Duplicate as error:
                db.session.rollback()
                report.append(dict(name=name, ok=False, message=str(error.message), intake_id=error.intake_id,
                                   document_id=error.document_id))
            except ServiceError as error:
                db.session.rollback()
                details = [str(m) for ms in error.errors.values() for m in ms]
                report.append(dict(name=name, ok=False, message=" ".join(details) or str(error.message)))
            else:
                if receipt.later is not None:
                    message = _("A later message (%(kind)s) about document %(number)s: confirm it on its page.",
                                kind=str(KIND_LABELS[receipt.later.kind]).lower(), number=receipt.incoming.number)
                else:
                    message = _("Received: document %(number)s of %(date)s.", number=receipt.incoming.number,
                                date=fmt_date(receipt.incoming.issued_on))
                report.append(dict(name=name, ok=True, message=message, intake_id=receipt.incoming.id))
        good = sum(1 for r in report if r["ok"])
        flash(_("%(good)s of %(n)s files received.", good=good, n=len(report)),
              "success" if good == len(report) else "warning")
        return self.list(report=report)

    @expose("/show/<int:pk>")
    @has_access
    @permission_name("list")
    def show(self, pk):
        try:
            incoming = intake.get(pk)
        except ServiceError:
            abort(404)
        sm = self.appbuilder.sm
        return self.render_template("intake_show.html", title=_("Incoming document"), **self._context(
            incoming=incoming, can_register=sm.has_access("can_register", "IncomingView"),
            can_dismiss=sm.has_access("can_dismiss", "IncomingView"),
            can_decide=sm.has_access("can_decide", "IncomingView")))

    @expose("/file/<int:file_id>")
    @has_access
    @permission_name("list")
    def file(self, file_id):
        row = db.session.get(IncomingAttachment, file_id)
        if row is None:
            abort(404)
        path = os.path.join(current_app.config["UPLOAD_FOLDER"], secure_filename(row.stored_name))
        if not os.path.exists(path):
            abort(404)
        return send_file(path, mimetype=row.content_type, as_attachment=True, download_name=row.filename,
                         max_age=0)

    @expose("/dismiss/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("dismiss")
    def dismiss(self, pk):
        try:
            incoming = intake.dismiss(pk, request.form.get("reason", ""), viewer=current_viewer())
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(url_for("IncomingView.show", pk=pk))
        flash(_("Document %(number)s was dismissed; only its number, its date and the reason are kept.",
                number=incoming.number), "success")
        return redirect(url_for("IncomingView.list"))

    @expose("/decide/<int:message_id>", methods=["POST"])
    @has_access
    @permission_name("decide")
    def decide(self, message_id):
        later = db.session.get(IncomingMessage, message_id)
        if later is None:
            abort(404)
        incoming_id = later.incoming_id
        try:
            incoming = intake.decide_message(message_id, apply=request.form.get("apply") == "1",
                                             viewer=current_viewer())
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(request.referrer or url_for("IncomingView.show", pk=incoming_id))
        flash(_("Applied.") if request.form.get("apply") == "1" else _("Set aside: nothing was changed."), "success")
        if incoming is not None and incoming.document_id:
            return redirect(url_for("DocumentView.show", pk=incoming.document_id))
        return redirect(url_for("IncomingView.show", pk=incoming_id))

    @expose("/register/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("register")
    def register(self, pk):
        """The entry form, pre-filled from the message; saving registers the document with
        its tasks (register.create_document's rules) and links the incoming document."""
        try:
            incoming = intake.get(pk)
        except ServiceError:
            abort(404)
        if incoming.status != "pending":
            flash(_("This incoming document was already registered or dismissed."), "warning")
            if incoming.document_id:
                return redirect(url_for("DocumentView.show", pk=incoming.document_id))
            return redirect(url_for("IncomingView.show", pk=pk))
        form = forms.DocumentEntryForm()
        agency_choices, officer_choices = _agency_choices(), _officer_choices()
        if request.method == "GET":
            for name, value in intake.document_defaults(incoming).items():
                getattr(form, name).data = value
            form.source.data = "ad_hoc"
            form.secrecy.data = "none"
            viewer = current_viewer()
            for row in form.tasks:
                row.form.tracking_officer_id.data = viewer.user_id
                row.form.deadline.data = incoming.due_on
        for row in form.tasks:
            _fill_task_choices(row.form, agency_choices, officer_choices)
        if request.method == "POST" and form.validate_on_submit():
            tasks = [register.TaskInput(
                content=row.form.content.data or "", lead_agency_id=row.form.lead_agency_id.data,
                deadline=row.form.deadline.data,
                coordinating_agency_ids=row.form.coordinating_agency_ids.data or [],
                tracking_officer_id=row.form.tracking_officer_id.data, notes=row.form.notes.data,
            ) for row in form.tasks if _row_has_input(row.form)]
            try:
                register.check_not_classified(form.secrecy.data)
                document = intake.register_incoming(
                    incoming.id, _document_input(form), tasks, viewer=current_viewer(), send=form.send_now.data,
                    files=request.files.getlist(form.attachments.name))
            except ServiceError as error:
                db.session.rollback()
                flash(str(error.message), "danger")
                _attach_errors(form, error)
                incoming = intake.get(pk)
            else:
                flash(_("Document %(number)s was saved with %(n)s tasks.", number=document.number,
                        n=len(document.tasks)), "success")
                return redirect(url_for("DocumentView.show", pk=document.id))
        elif request.method == "POST":
            flash(_("The document was not saved: please correct the fields marked below."), "danger")
        return self.render_template("intake_register.html", title=_("Register an incoming document"), form=form,
                                    agency_choices=agency_choices, officer_choices=officer_choices,
                                    **self._context(incoming=incoming))


def _document_panel(document_id: int) -> dict:
    """For document_show.html: the incoming document it came from and its later messages,
    and whether the viewer may import tasks from Excel."""
    from flask import current_app as app
    from sqlalchemy import select

    from app.models_intake import IncomingDocument

    sm = app.appbuilder.sm
    if not sm.has_access("can_list", "IncomingView"):
        return {"can_import": sm.has_access("can_import", "TaskImportView"), "incoming": None, "messages": []}
    incoming = db.session.scalar(select(IncomingDocument).where(IncomingDocument.document_id == document_id))
    return {"can_import": sm.has_access("can_import", "TaskImportView"), "incoming": incoming,
            "messages": incoming.messages if incoming else [],
            "can_decide": sm.has_access("can_decide", "IncomingView")}


def _home_incoming() -> int | None:
    from flask import current_app as app

    if not app.appbuilder.sm.has_access("can_list", "IncomingView"):
        return None
    return intake.pending_count()


def init_intake(app: Flask, appbuilder) -> None:
    from app.api.intake import IntakeApi
    from app.cli_intake import intake_cli

    appbuilder.add_view(IncomingView, "Incoming documents", label=_l("Incoming documents"), category="Tasks",
                        icon="fa-inbox")
    appbuilder.add_api(IntakeApi)
    app.cli.add_command(intake_cli)
    app.jinja_env.globals.update(
        intake_document_panel=_document_panel, intake_home_count=_home_incoming,
        intake_field_labels=FIELD_LABELS, intake_kind_labels=KIND_LABELS, intake_message_status=MESSAGE_STATUS,
        intake_shown=_shown_value, intake_changes_of=intake.message_changes)
    from app.views_task_import import init_task_import

    init_task_import(app, appbuilder)
