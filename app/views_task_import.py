"""Nhập nhiệm vụ từ Excel (issue 12): on a document, download the template, upload the
filled workbook, see every row with its problems, and import when the whole file is valid
(app.services.task_import; all rows or none)."""
from __future__ import annotations

import base64
import binascii
import io

from flask import abort, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import expose as api_expose
from flask_appbuilder.api import protect, safe
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.access import current_viewer, visible_document
from app.api.common import _Api
from app.extensions import db
from app.form_tokens import one_time
from app.services import task_import
from app.services.errors import Invalid, ServiceError
from app.views import _flash_refusal, fmt_date


class TaskImportView(BaseView):
    route_base = "/documents"
    default_view = "form"

    def _document(self, document_id):
        document = visible_document(document_id)
        if document is None:
            abort(404)
        return document

    @expose("/<int:document_id>/import-tasks", methods=["GET"])
    @has_access
    @permission_name("import")
    def form(self, document_id):
        document = self._document(document_id)
        return self.render_template("task_import.html", title=_("Import tasks from Excel"), document=document,
                                    preview=None, headers=task_import.HEADERS, fmt_date=fmt_date)

    @expose("/<int:document_id>/import-tasks/template.xlsx", methods=["GET"])
    @has_access
    @permission_name("import")
    def template(self, document_id):
        self._document(document_id)
        return send_file(io.BytesIO(task_import.template_xlsx()), as_attachment=True,
                         download_name="mau-nhap-nhiem-vu.xlsx", mimetype=task_import.XLSX_TYPE)

    @expose("/<int:document_id>/import-tasks/preview", methods=["POST"])
    @has_access
    @permission_name("import")
    def preview(self, document_id):
        document = self._document(document_id)
        upload = request.files.get("file")
        data = upload.read() if upload and upload.filename else b""
        if not data:
            flash(_("Choose the filled-in Excel file."), "danger")
            return redirect(url_for("TaskImportView.form", document_id=document_id))
        try:
            result = task_import.preview(document.id, data, viewer=current_viewer())
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(url_for("TaskImportView.form", document_id=document_id))
        if not result.valid:
            flash(_("Nothing was imported: %(n)s problems in the file; correct them and upload it again.",
                    n=len(result.errors)), "danger")
        return self.render_template("task_import.html", title=_("Import tasks from Excel"), document=document,
                                    preview=result, headers=task_import.HEADERS, fmt_date=fmt_date,
                                    data=base64.b64encode(data).decode() if result.valid else None)

    @expose("/<int:document_id>/import-tasks/import", methods=["POST"])
    @has_access
    @permission_name("import")
    # A double click or the browser's "resend" imports the rows once (app/form_tokens.py).
    @one_time("task_import", lambda document_id: url_for("DocumentView.show", pk=document_id))
    def run_import(self, document_id):
        document = self._document(document_id)
        try:
            data = base64.b64decode(request.form.get("data", ""), validate=True)
        except (binascii.Error, ValueError):
            data = b""
        try:
            ids = task_import.import_tasks(document.id, data, viewer=current_viewer(),
                                           send=request.form.get("send") == "1")
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(url_for("TaskImportView.form", document_id=document_id))
        flash(_("%(n)s tasks were imported.", n=len(ids)), "success")
        return redirect(url_for("DocumentView.show", pk=document.id))


def _new_document_routes(view_class):
    @expose("/import-tasks", methods=["GET"])
    @has_access
    @permission_name("import")
    def new_form(self):
        return self.render_template("task_import.html", title=_("Enter a document and its tasks from Excel"),
                                    document=None, preview=None, headers=task_import.HEADERS, fmt_date=fmt_date)

    @expose("/import-tasks/template.xlsx", methods=["GET"])
    @has_access
    @permission_name("import")
    def new_template(self):
        return send_file(io.BytesIO(task_import.template_xlsx(with_document=True)), as_attachment=True,
                         download_name="mau-nhap-van-ban-va-nhiem-vu.xlsx", mimetype=task_import.XLSX_TYPE)

    @expose("/import-tasks/preview", methods=["POST"])
    @has_access
    @permission_name("import")
    def new_preview(self):
        upload = request.files.get("file")
        data = upload.read() if upload and upload.filename else b""
        if not data:
            flash(_("Choose the filled-in Excel file."), "danger")
            return redirect(url_for("TaskImportView.new_form"))
        try:
            result = task_import.preview_new_document(data, viewer=current_viewer())
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(url_for("TaskImportView.new_form"))
        if not result.valid:
            flash(_("Nothing was imported: %(n)s problems in the file; correct them and upload it again.",
                    n=len(result.errors)), "danger")
        return self.render_template("task_import.html", title=_("Enter a document and its tasks from Excel"),
                                    document=None, preview=result, headers=task_import.HEADERS, fmt_date=fmt_date,
                                    data=base64.b64encode(data).decode() if result.valid else None)

    @expose("/import-tasks/import", methods=["POST"])
    @has_access
    @permission_name("import")
    @one_time("task_import_document", lambda: url_for("DocumentView.list"))
    def new_import(self):
        try:
            data = base64.b64decode(request.form.get("data", ""), validate=True)
        except (binascii.Error, ValueError):
            data = b""
        try:
            document = task_import.import_document(data, viewer=current_viewer(), send=request.form.get("send") == "1")
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(url_for("TaskImportView.new_form"))
        flash(_("Document %(number)s was saved with %(n)s tasks.", number=document.number, n=len(document.tasks)),
              "success")
        return redirect(url_for("DocumentView.show", pk=document.id))

    for function in (new_form, new_template, new_preview, new_import):
        setattr(view_class, function.__name__, function)
    return view_class


_new_document_routes(TaskImportView)


class TaskImportApi(_Api):
    """`POST /api/v1/document/<id>/tasks/import` (XLSX, raw or multipart `file`; `?send=1`)."""

    resource_name = "document"
    openapi_spec_tag = "Documents"
    method_permission_name = {"import_tasks": "post", "import_document": "post"}

    @api_expose("/tasks/import", methods=["POST"])
    @protect()
    @safe
    def import_document(self):
        """A new document from the first row's document columns, and every row's task: all or nothing.
        ---
        post:
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema: {type: object, required: [file], properties: {file: {type: string, format: binary}}}
              application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                schema: {type: string, format: binary}
          parameters:
          - {in: query, name: send, schema: {type: boolean}}
          responses:
            201: {description: "{id, created, task_ids}"}
            422: {description: "{message, errors: [{row, column, message}]}: nothing created"}
        """
        def run():
            upload = request.files.get("file")
            data = upload.read() if upload else request.get_data(cache=False)
            if not data:
                raise Invalid(_l("Send the Excel file (.xlsx)."))
            send = (request.args.get("send") or request.form.get("send") or "").lower() in ("1", "true", "yes")
            document = task_import.import_document(data, viewer=current_viewer(), send=send)
            ids = [t.id for t in document.tasks]
            return {"id": document.id, "created": len(ids), "task_ids": ids}
        return self.handle(run, status=201)

    @api_expose("/<int:pk>/tasks/import", methods=["POST"])
    @protect()
    @safe
    def import_tasks(self, pk):
        """Import the tasks of an XLSX (the template's columns): all rows or none.
        ---
        post:
          requestBody:
            required: true
            content:
              multipart/form-data:
                schema: {type: object, required: [file], properties: {file: {type: string, format: binary}}}
              application/vnd.openxmlformats-officedocument.spreadsheetml.sheet:
                schema: {type: string, format: binary}
          parameters:
          - {in: query, name: send, schema: {type: boolean}}
          responses:
            200: {description: "{created, task_ids}"}
            422: {description: "{message, errors: [{row, column, message}]}: nothing created"}
        """
        def run():
            if visible_document(pk) is None:
                from app.services.errors import NotFound

                raise NotFound(_l("No such document."))
            upload = request.files.get("file")
            data = upload.read() if upload else request.get_data(cache=False)
            if not data:
                raise Invalid(_l("Send the Excel file (.xlsx)."))
            send = (request.args.get("send") or request.form.get("send") or "").lower() in ("1", "true", "yes")
            ids = task_import.import_tasks(pk, data, viewer=current_viewer(), send=send)
            return {"created": len(ids), "task_ids": ids}
        return self.handle(run)


def init_task_import(app, appbuilder) -> None:
    appbuilder.add_view_no_menu(TaskImportView)
    appbuilder.add_link("Import from Excel", label=_l("Enter a document and its tasks from Excel"),
                        href="/documents/import-tasks", category="Tasks", icon="fa-file-excel-o")
    appbuilder.add_api(TaskImportApi)
