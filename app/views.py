"""The web screens. FAB generates the lists; entry, detail and correction pages
are ours, because they call the register service (one service per action) and
the row-level rule (app.access) rather than writing rows themselves."""
from __future__ import annotations

import io
import datetime as dt
from operator import attrgetter

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_appbuilder import BaseView, IndexView, ModelView, expose, has_access
from flask_appbuilder._compat import as_unicode
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name
from flask_appbuilder.urltools import get_filter_args, get_order_args
from flask_appbuilder.widgets import ListWidget, RenderTemplateWidget, SearchWidget
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import BooleanField, SelectField

from app import forms, labels
from app.access import current_viewer, restrict_tasks, task_condition, visible_document, visible_task
from app.domain.entry_rules import entry_timeliness
from app.domain.vocabulary import AgencyKind, Role
from app.extensions import db
from app.form_tokens import one_time
from app.models import Agency, CalendarOverride, Document, Task
from app.domain import lifecycle as rules
from app.services import attachments, lifecycle, register
from app.services.calendar import current_calendar, forget_calendar, today
from app.services.deadlines import deadline_badge, deadline_text, task_deadline_state
from app.services.errors import ServiceError
from app.services.task_list import task_page
from app.services.timeline import extension_requests, task_timeline, task_updates

DATE = "%d/%m/%Y"


def _task_page(pk):
    return url_for("TaskView.show", pk=pk)


def fmt_date(value) -> str:
    return value.strftime(DATE) if value else ""


class RowLevelTaskFilter(BaseFilter):
    """base_filters entry: the row-level rule of app.access, applied to FAB's query."""

    name = "row-level rule"
    arg_name = None

    def apply(self, query, value):
        condition = task_condition(current_viewer())
        return query if condition is None else query.filter(condition)


class RowLevelDocumentFilter(BaseFilter):
    name = "row-level rule"
    arg_name = None

    def apply(self, query, value):
        condition = task_condition(current_viewer())
        if condition is None:
            return query
        return query.filter(Document.id.in_(select(Task.document_id).where(condition)))


class EagerInterface(SQLAInterface):
    """FAB's interface, loading the relations the list shows in one query each
    instead of one per row (PERFORMANCE.md)."""

    eager: tuple[str, ...] = ()

    def apply_all(self, query, *args, **kwargs):
        query = super().apply_all(query, *args, **kwargs)
        # FAB builds this class again for related models (filters): skip what they lack.
        names = [name for name in self.eager if hasattr(self.obj, name)]
        return query.options(*(selectinload(getattr(self.obj, name)) for name in names))


class TaskInterface(EagerInterface):
    """The task list, through app.services.task_list.task_page: for an agency
    user the page comes from the two index branches of the row-level rule, and
    the pager's exact count is cached until the task tables change."""

    eager = ("document", "lead_agency")

    def query(self, filters=None, order_column="", order_direction="", page=None, page_size=None,
              select_columns=None, outer_default_load=False):
        if self.obj is not Task:  # FAB reuses this class for related models
            if page is None and page_size is None and not select_columns:
                # The search form's choices (lead agency, tracking officer): every row, so the
                # count is their number — one statement instead of FAB's COUNT and SELECT.
                query = self.session.query(self.obj)
                if not order_column:  # a stable, readable order (the form is cached per worker)
                    query = query.order_by(*_choice_order(self.obj))
                rows = self.apply_all(query, filters, order_column, order_direction).all()
                return len(rows), rows
            return super().query(filters, order_column, order_direction, page, page_size,
                                 select_columns, outer_default_load)
        rest = _without_row_level(filters)
        apply, key = rest.apply_all if rest else None, _filters_key(rest)
        apply, state_key = _with_state(apply)
        key = key + state_key
        return task_page(self.session, current_viewer(), apply=apply,
                         order_column=order_column or "deadline",
                         descending=order_direction == "desc", page=page or 0,
                         page_size=page_size or tasks_export_limit(), eager=self.eager,
                         count_key=key)

    def get_values(self, lst, list_columns):
        """The list's cells (FAB's get_values, without its generic walk per cell): a dotted
        column through its relations (None when one is missing), a method called."""
        if self.obj is not Task:
            return super().get_values(lst, list_columns)
        getters = [(column, attrgetter(column)) for column in list_columns]
        rows = []
        for item in lst:
            row = {}
            for column, get in getters:
                try:
                    value = get(item)
                except AttributeError:
                    value = None
                row[column] = value() if callable(value) else value
            rows.append(row)
        return rows


def _with_state(apply):
    """The dashboard's numbers open the list on a state (`?state=overdue`, app.services.dashboard):
    the list, its count and its export all keep it. Returns (apply, the count key's part) — due
    soon, overdue… move with the date, not only with the data, so the key names today."""
    state = request.args.get("state")
    if not state:
        return apply, ()
    from app.services.dashboard import state_conditions

    now = today()
    condition = state_conditions(now).get(state)
    if condition is None:
        return apply, ()
    return (lambda q, f=apply: (f(q) if f else q).filter(condition)), (("state", state, now.isoformat()),)


def _filters_key(filters):
    """A hashable name for FAB's search filters (the count cache's key)."""
    if not filters:
        return ()
    return tuple((type(f).__name__, f.column_name, repr(v)) for f, v in zip(filters.filters, filters.values))


def _without_row_level(filters):
    """FAB's joined filters less the row-level one (the branches apply it)."""
    if not filters:
        return None
    rest = filters.copy()
    kept = [(f, v) for f, v in zip(rest.filters, rest.values) if not isinstance(f, RowLevelTaskFilter)]
    rest.filters, rest.values = [f for f, _ in kept], [v for _, v in kept]
    return rest if rest.filters else None


class DocumentInterface(EagerInterface):
    eager = ()


KIND_ORDER = {kind.value: n for n, kind in enumerate(AgencyKind)}


def _agency_choices():
    """Provincial bodies first (office, departments, …), then communes and wards; kept per
    worker under the directory version (app/page_cache.py: agencies' names and active flag)."""
    from app import page_cache, versions

    return list(page_cache.remember("agency_choices", (versions.get("directory"),), _read_agency_choices))


def _read_agency_choices():
    rows = db.session.execute(
        select(Agency.id, Agency.name, Agency.kind).where(Agency.active.is_(True))).all()
    rows.sort(key=lambda row: (KIND_ORDER.get(row.kind, 99), row.name))
    return [(row.id, row.name) for row in rows]


def _choice_order(model) -> tuple:
    """The search form's choices by what they show: agencies and users by name, else by id."""
    names = [getattr(model, column) for column in ("name", "first_name", "last_name") if hasattr(model, column)]
    return (*names, model.id)


def _officer_choices():
    return [(None, _("— choose —"))] + [(u.id, u.get_full_name()) for u in register.tracking_officers()]


def _fill_task_choices(row, agency_choices, officer_choices):
    row.lead_agency_id.choices = [(None, _("— choose —"))] + agency_choices
    row.coordinating_agency_ids.choices = agency_choices
    row.tracking_officer_id.choices = officer_choices


def _document_input(form) -> register.DocumentInput:
    return register.DocumentInput(
        doc_type=form.doc_type.data, number=form.number.data or "", summary=form.summary.data or "",
        issued_on=form.issued_on.data, signer=form.signer.data or "", issuer=form.issuer.data,
        source=form.source.data, urgency=form.urgency.data, secrecy=form.secrecy.data,
        issuer_name=form.issuer_name.data, received_on=form.received_on.data,
    )


def _attach_errors(form, error: ServiceError) -> None:
    """Put a service's field errors next to the fields of the form."""
    for key, messages in error.errors.items():
        target = form
        for part in key.split("-"):
            if hasattr(target, "entries") and part.isdigit() and int(part) < len(target.entries):
                target = target.entries[int(part)]
                target = getattr(target, "form", target)
            elif hasattr(target, part):
                target = getattr(target, part)
            else:
                target = None
                break
        if target is not None and hasattr(target, "errors"):
            if isinstance(target.errors, tuple):
                target.errors = list(target.errors)
            if isinstance(target.errors, list):
                target.errors.extend(str(m) for m in messages)
                continue
        form.form_errors.extend(str(m) for m in messages)


class CachedSearchWidget(SearchWidget):
    """FAB's search form, its fields rendered once per worker for every input they show
    (issue 10; app/page_cache.py): the agencies and the Office's officers (their names and
    active flags: the directory version; who is an officer: the security version), the
    labels (the locale) and, though the choices are the same for every viewer, its scope.
    The active filters and the nonce are the request's, never cached."""

    def __call__(self, **kwargs):
        from app import page_cache, versions
        from app.access import scope_key

        key = (type(self).__name__, self.template_args["route_base"], versions.get("directory"),
               versions.get("security"), page_cache.locale(), scope_key(current_viewer()))

        def compute():
            search_filters = self.filters.get_search_filters()
            form = self.template_args["form"]
            columns = self.template_args["include_cols"]
            return ({col: as_unicode(form[col].label.text) for col in columns},
                    {col: form[col]() for col in columns},
                    {col: [as_unicode(flt.name) for flt in search_filters[col]] for col in columns})

        kwargs["label_columns"], kwargs["form_fields"], kwargs["search_filters"] = page_cache.remember(
            "search_form", key, compute)
        kwargs["active_filters"] = self.filters.get_filters_values_tojson()
        return RenderTemplateWidget.__call__(self, **kwargs)


class PlainListWidget(ListWidget):
    """FAB's list with the rows written in Python (issue 10): its template called two macros,
    a route build and a filter per row and a formatter per cell — a third of the list page's
    CPU. The same HTML, escaped the same way (markupsafe: a Markup value such as the deadline
    badge as is, anything else escaped); the header, pager and actions stay FAB's
    (tests/integration/test_page_cache.py compares both renderings of the same rows)."""

    template = "task_list_widget.html"

    def __call__(self, **kwargs):
        kwargs["rows_html"] = self._rows
        return super().__call__(**kwargs)

    def _rows(self, can_show, can_edit, actions) -> Markup:
        args = self.template_args
        view, pks, columns = args["modelview_name"], args["pks"], args["include_columns"]
        formatters = args.get("formatters_columns") or {}
        suffix = "".join(f"&_flt_0_{flt.column_name}={value}" for flt, value in args["filters"].get_filters_values()
                         if flt.is_related_view)

        def link(endpoint):
            """The row's URL for the endpoint, as FAB's safe_url_for and set_link_filters make it."""
            try:
                probe = url_for(endpoint, pk="__pk__")
            except Exception:
                return None
            head, _, tail = probe.partition("__pk__")
            glue = "&" if "?" in tail else "?"
            return lambda pk: f"{head}{pk}{tail}" + (glue + suffix[1:] if suffix else "")

        show = link(f"{view}.show") if can_show else None
        edit = link(f"{view}.edit") if can_edit else None
        buttons = bool(can_show or can_edit)  # can_delete: FAB's own rows (task_list_widget.html)
        show_title, show_text = escape(_("Show record")), escape(_("Show"))
        edit_title, edit_text = escape(_("Edit record")), escape(_("Edit"))
        out = []
        for item, pk in zip(args["value_columns"], pks):
            out.append("<tr>")
            if actions:
                out.append(f'<td><input id="{escape(pk)}" class="action_check" name="rowid" value="{escape(pk)}"'
                           ' type="checkbox"></td>')
            if buttons:
                out.append('<td><center><div class="btn-group btn-group-xs" style="display: flex;">')
                if show:
                    out.append(f'<a href="{escape(show(pk))}" class="btn btn-sm btn-default" data-toggle="tooltip"'
                               f' rel="tooltip" title="{show_title}"><span class="sr-only">{show_text}</span>'
                               '<i class="fa fa-search"></i></a>')
                if edit:
                    out.append(f'<a href="{escape(edit(pk))}" class="btn btn-sm btn-default" data-toggle="tooltip"'
                               f' rel="tooltip" title="{edit_title}"><span class="sr-only">{edit_text}</span>'
                               '<i class="fa fa-edit"></i></a>')
                out.append("</div></center></td>")
            for column in columns:
                formatter = formatters.get(column)
                value = item[column]
                out.append(f"<td>{escape(formatter(value) if formatter else value)}</td>")
            out.append("</tr>")
        return Markup("".join(out))


class TaskView(ModelView):
    route_base = "/tasks"
    datamodel = TaskInterface(Task)
    base_filters = [["id", RowLevelTaskFilter, lambda: None]]
    base_order = ("deadline", "asc")
    base_permissions = ["can_list", "can_show", "can_edit", "can_export", "can_act"]
    list_title = _l("Tasks")
    show_title = _l("Task")
    edit_title = _l("Correct a task")
    list_columns = ["document.number", "content", "lead_agency.short_name", "deadline", "status",
                    "deadline_badge"]
    order_columns = ["deadline", "status"]
    # Scalar and small-table filters only: no <select> of every document (PERFORMANCE.md).
    search_columns = ["content", "deadline", "status", "lead_agency", "tracking_officer"]
    # Issue 10: the officer search lists the Office's officers only, not every user.
    search_form_query_rel_fields = {"tracking_officer": [["id", FilterInFunction, register.tracking_officer_ids]]}
    label_columns = {
        "document.number": _l("Document"),
        "content": _l("Task content"),
        "lead_agency.short_name": _l("Lead agency"),
        "lead_agency": _l("Lead agency"),
        "tracking_officer": _l("Tracking officer"),
        "deadline": _l("Deadline"),
        "status": _l("Status"),
        "deadline_badge": _l("Working days"),
    }
    formatters_columns = {
        "deadline": fmt_date,
        "status": lambda value: labels.TASK_STATUS.get(value, value),
        "content": lambda value: (value[:160] + "…") if value and len(value) > 160 else value,
    }
    list_template = "task_list.html"
    search_widget = CachedSearchWidget
    list_widget = PlainListWidget

    def render_template(self, template, **kwargs):
        # The status buttons above the list (task_list.html) filter by code.
        kwargs.setdefault("status_labels", labels.TASK_STATUS)
        return super().render_template(template, **kwargs)

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        # What the page shows of the task, in its own statement (the document's files in one more).
        task = visible_task(pk, options=(
            joinedload(Task.document).selectinload(Document.attachments), joinedload(Task.lead_agency),
            joinedload(Task.tracking_officer), selectinload(Task.coordinating_agencies)))
        if task is None:
            abort(404)
        viewer = current_viewer()
        who = lifecycle.parties(task, viewer)
        return self.render_template(
            "task_show.html", title=_("Task"), task=task, state=task_deadline_state(task),
            timeline=task_timeline(task), labels=labels, fmt_date=fmt_date,
            actions=[a.value for a in rules.allowed_actions(task.status, who)],
            can_update=rules.may_post_update(task.status, who),
            update_is_draft=rules.update_is_draft(who),
            # The viewer's agency's unposted drafts (lifecycle.drafts), from the rows the timeline read.
            drafts=[entry for entry in task_updates(task)
                    if entry.draft and viewer.agency_id is not None and entry.agency_id == viewer.agency_id],
            is_head=rules.Party.lead_head in who,
            can_ask_extension=rules.may_ask_extension(task.status, who),
            can_record_extension=rules.may_record_extension(task.status, who),
            pending_extension=next((r for r in extension_requests(task) if r.status == "pending"), None),
            can_decide=rules.Party.chairman in who,
            completion=rules.completion(task.status, task.completed_on, task.deadline),
            agency_choices=_agency_choices(),
            can_edit=self.appbuilder.sm.has_access("can_edit", "TaskView"),
            can_report_delay=self.appbuilder.sm.has_access("can_add", "DelayReportView")
            and rules.may_report_delay(who),
        )

    @expose("/act/<int:pk>", methods=["POST"])
    @has_access
    @one_time("task_action", _task_page)
    def act(self, pk):
        """One lifecycle action from the buttons of the task page."""
        form = request.form
        return _perform(
            lambda: lifecycle.transition(
                pk, form.get("action", ""), viewer=current_viewer(), comment=form.get("comment"),
                result=form.get("result"), reason=form.get("reason") or None,
                lead_agency_id=_form_int(form.get("lead_agency_id")),
                expected_version=form.get("version"), files=request.files.getlist("files")),
            _("Done: %(action)s.", action=labels.ACTION_BUTTON.get(form.get("action"), "")),
            url_for("TaskView.show", pk=pk))

    @expose("/update/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    @one_time("task_update", _task_page)
    def post_update(self, pk):
        return _perform(
            lambda: lifecycle.post_update(pk, viewer=current_viewer(), body=request.form.get("body", ""),
                                          files=request.files.getlist("files"),
                                          result_draft=request.form.get("result_draft") == "1"),
            lambda entry: _("Saved as a draft for your head to post.") if entry.draft
            else _("The update was posted."),
            url_for("TaskView.show", pk=pk))

    @expose("/publish/<int:update_id>", methods=["POST"])
    @has_access
    @permission_name("act")
    def publish(self, update_id):
        try:
            entry = lifecycle.publish_draft(update_id, viewer=current_viewer())
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(request.referrer or url_for("TaskView.list"))
        flash(_("The draft was posted."), "success")
        return redirect(url_for("TaskView.show", pk=entry.task_id))

    @expose("/extension/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    @one_time("extension_request", _task_page)
    def ask_extension(self, pk):
        return _perform(
            lambda: lifecycle.request_extension(
                pk, viewer=current_viewer(), reason=request.form.get("reason", ""),
                proposed_deadline=_form_date(request.form.get("proposed_deadline"), _("Proposed deadline"))),
            _("The extension request was sent to the Chairman."), url_for("TaskView.show", pk=pk))

    @expose("/record-extension/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    @one_time("extension_record", _task_page)
    def record_extension(self, pk):
        return _perform(
            lambda: lifecycle.record_extension(
                pk, viewer=current_viewer(), deadline=_form_date(request.form.get("deadline"), _("New deadline")),
                reference=request.form.get("reference", ""), comment=request.form.get("comment")),
            _("The extension was recorded."), url_for("TaskView.show", pk=pk))

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        task = visible_task(pk)
        if task is None:
            abort(404)
        form = forms.TaskEditForm(obj=task)
        _fill_task_choices(form, _agency_choices(), _officer_choices())
        if request.method == "GET":
            form.coordinating_agency_ids.data = [a.id for a in task.coordinating_agencies]
            form.version.data = task.version
        elif form.validate_on_submit():
            try:
                register.update_task(task.id, {
                    "content": form.content.data or "", "lead_agency_id": form.lead_agency_id.data,
                    "coordinating_agency_ids": form.coordinating_agency_ids.data or [],
                    "tracking_officer_id": form.tracking_officer_id.data,
                    "deadline": form.deadline.data, "notes": form.notes.data,
                }, expected_version=form.version.data, viewer=current_viewer(),
                    files=request.files.getlist(form.attachments.name))
            except ServiceError as error:
                db.session.rollback()
                flash(str(error.message), "danger")
                _attach_errors(form, error)
            else:
                flash(_("The task was saved."), "success")
                return redirect(url_for("TaskView.show", pk=task.id))
        return self.render_template("task_edit.html", title=_("Correct a task"), form=form, task=task)

    @expose("/export/")
    @has_access
    def export(self):
        """The list as it is filtered, as XLSX (same row-level rule), read and written in
        chunks on one snapshot and sent from a temporary file (app.services.exports)."""
        from app.services.exports import export_session, task_rows, tasks_xlsx
        from app.services.task_list import task_ids

        get_filter_args(self._filters)
        order_column, order_direction = get_order_args().get(self.__class__.__name__, ("", ""))
        rest = _without_row_level(self._filters.get_joined_filters(self._base_filters))
        limit, viewer = tasks_export_limit(), current_viewer()
        with export_session(db.engine) as session:
            apply, _key = _with_state(rest.apply_all if rest else None)
            ids = task_ids(session, viewer, apply=apply,
                           order_column=order_column or "deadline", descending=order_direction == "desc",
                           limit=limit + 1)  # one more: whether the list holds more than the file
            more_than = limit if len(ids) > limit else None
            handle = tasks_xlsx(task_rows(session, ids[:limit], current_app.config["EXPORT_CHUNK_ROWS"]),
                                labels=labels, badge=deadline_text, more_than=more_than)
        return send_file(handle, as_attachment=True, download_name=f"nhiem-vu-{today():%Y%m%d}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _form_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None


def _form_date(value, label=None):
    """dd/mm/yyyy (or ISO); a wrong date is refused naming the field."""
    from app.dates_ui import form_date

    return form_date(value, label)


def _perform(action, success, back: str):
    """Run one service call from a form: flash its success or its refusal, then go back."""
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        _flash_refusal(error)
    else:
        flash(success(result) if callable(success) else success, "success")
    return redirect(back)


def _flash_refusal(error: ServiceError) -> None:
    messages = [str(error.message)] + [str(m) for ms in error.errors.values() for m in ms
                                       if str(m) != str(error.message)]
    flash(" ".join(messages), "danger")


def tasks_export_limit() -> int:
    return current_app.config["EXPORT_MAX_ROWS"]


class DocumentView(ModelView):
    route_base = "/documents"
    datamodel = DocumentInterface(Document)
    base_filters = [["id", RowLevelDocumentFilter, lambda: None]]
    base_order = ("issued_on", "desc")
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    list_title = _l("Documents")
    list_columns = ["number", "issued_on", "doc_type", "summary", "urgency", "entry_due_on"]
    order_columns = ["number", "issued_on", "entry_due_on"]
    search_columns = ["number", "summary", "issued_on", "signer"]
    label_columns = {
        "number": _l("Number and symbol"), "issued_on": _l("Date of issue"),
        "doc_type": _l("Document type"), "summary": _l("Summary"), "urgency": _l("Urgency"),
        "signer": _l("Signed by"), "source": _l("Source"),
        "entry_due_on": _l("Entry due (Art. 6)"),
    }
    formatters_columns = {
        "issued_on": fmt_date, "entry_due_on": fmt_date,
        "doc_type": lambda v: labels.DOC_TYPE.get(v, v),
        "urgency": lambda v: labels.URGENCY.get(v, v),
        "source": lambda v: labels.SOURCE.get(v, v),
    }

    @expose("/add", methods=["GET", "POST"])
    @has_access
    @one_time("document_entry", lambda: url_for("DocumentView.list"))
    def add(self):
        """Enter a document and all its tasks on one screen (Art. 4, 5.3.a)."""
        form = forms.DocumentEntryForm()
        agency_choices, officer_choices = _agency_choices(), _officer_choices()
        if request.method == "GET":
            form.issued_on.data = today()
            viewer = current_viewer()
            for row in form.tasks:
                row.form.tracking_officer_id.data = viewer.user_id
            # Inspections (Chương V, Art. 17.3.c): a recommendation becomes a follow-up task once the
            # Committee or the Chairman assigns it in writing; the Office enters that document here.
            if request.args.get("task_content") and form.tasks:
                form.tasks[0].form.content.data = request.args.get("task_content", "")[:10_000]
                form.tasks[0].form.lead_agency_id.data = request.args.get("lead_agency_id", type=int)
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
                document = register.create_document(
                    _document_input(form), tasks, viewer=current_viewer(), send=form.send_now.data,
                    files=request.files.getlist(form.attachments.name))
            except ServiceError as error:
                db.session.rollback()
                flash(str(error.message), "danger")
                _attach_errors(form, error)
            else:
                flash(_("Document %(number)s was saved with %(n)s tasks.", number=document.number,
                        n=len(document.tasks)), "success")
                return redirect(url_for("DocumentView.show", pk=document.id))
        elif request.method == "POST":
            flash(_("The document was not saved: please correct the fields marked below."), "danger")
        return self.render_template("document_entry.html", title=_("Enter a document"), form=form,
                                    agency_choices=agency_choices, officer_choices=officer_choices)

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        document = visible_document(pk)
        if document is None:
            abort(404)
        condition = task_condition(current_viewer())
        stmt = select(Task).where(Task.document_id == document.id).order_by(Task.id).options(
            selectinload(Task.lead_agency), selectinload(Task.coordinating_agencies))
        if condition is not None:
            stmt = stmt.where(condition)
        tasks = db.session.scalars(stmt).all()
        calendar = current_calendar()
        entry = {t.id: entry_timeliness(document.entry_due_on, t.sent_at.date() if t.sent_at else None,
                                        today(), calendar) for t in tasks}
        return self.render_template(
            "document_show.html", title=_("Document"), document=document, tasks=tasks, entry=entry,
            labels=labels, fmt_date=fmt_date, badge=deadline_badge,
            can_edit=self.appbuilder.sm.has_access("can_edit", "DocumentView"))

    @expose("/send/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("edit")
    def send_all(self, pk):
        """Send every draft task of the document at once."""
        if visible_document(pk) is None:
            abort(404)
        return _perform(lambda: lifecycle.send_document(pk, viewer=current_viewer()),
                        lambda sent: _("%(n)s tasks were sent to their lead agencies.", n=len(sent)),
                        url_for("DocumentView.show", pk=pk))

    @expose("/edit/<pk>", methods=["GET", "POST"])
    @has_access
    def edit(self, pk):
        document = visible_document(pk)
        if document is None:
            abort(404)
        form = forms.DocumentEditForm(obj=document)
        if request.method == "GET":
            form.version.data = document.version
            form.secrecy.data = "none"
        elif form.validate_on_submit():
            try:
                register.update_document(document.id, _document_input(form),
                                         expected_version=form.version.data, viewer=current_viewer())
            except ServiceError as error:
                db.session.rollback()
                flash(str(error.message), "danger")
                _attach_errors(form, error)
            else:
                flash(_("The document was saved."), "success")
                return redirect(url_for("DocumentView.show", pk=document.id))
        return self.render_template("document_edit.html", title=_("Correct a document"), form=form,
                                    document=document)


def _row_has_input(row) -> bool:
    return bool((row.content.data or "").strip() or row.lead_agency_id.data or row.deadline.data)


class LateEntryView(BaseView):
    """Art. 6: the documents whose tasks the Office entered or sent late, with when each
    task was actually sent (app.services.late_entries)."""

    route_base = "/late-entries"
    default_view = "list"

    @expose("/list/")
    @has_access
    @permission_name("list")
    def list(self):
        from app.services.late_entries import PAGE_SIZE, late_entries

        page = max(request.args.get("page", 0, type=int), 0)
        total, rows = late_entries(page)
        return self.render_template(
            "late_entry_list.html", title=_("Documents entered late (Art. 6)"), rows=rows, total=total,
            page=page, pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), labels=labels, fmt_date=fmt_date)


class AgencyView(ModelView):
    route_base = "/agencies"
    datamodel = SQLAInterface(Agency)
    base_order = ("name", "asc")
    list_title = _l("Agencies")
    list_columns = ["code", "name", "short_name", "kind", "active"]
    add_columns = edit_columns = ["code", "name", "short_name", "kind", "active", "edxml_code"]
    show_columns = ["code", "name", "short_name", "kind", "active", "edxml_code"]
    search_columns = ["code", "name", "active"]
    show_title = _l("Agency")
    add_title = _l("Add an agency")
    edit_title = _l("Edit an agency")
    label_columns = {"code": _l("Code"), "name": _l("Name"), "short_name": _l("Short name"),
                     "kind": _l("Kind"), "active": _l("Active"),
                     "edxml_code": _l("Electronic organisation code (edXML)")}
    formatters_columns = {"kind": lambda v: labels.AGENCY_KIND.get(v, v),
                          "active": lambda v: _("Yes") if v else _("No")}
    add_form_extra_fields = edit_form_extra_fields = {
        "kind": SelectField(_l("Kind"), choices=labels.choices(labels.AGENCY_KIND)),
    }
    base_permissions = ["can_list", "can_show", "can_add", "can_edit"]
    validators_columns = {"code": [forms.storable_text(32)], "name": [forms.storable_text(255)],
                          "short_name": [forms.storable_text(128)],
                          "edxml_code": [forms.storable_text(64)]}  # intake (issue 12)
    # Intake (issue 12): the electronic code is optional; an empty field stores none.
    description_columns = {"edxml_code": _l(
        "Organisation code (QĐ 20/2020/QĐ-TTg), e.g. 000.00.12.H32: edXML messages sent from this code are "
        "this agency's.")}

    def pre_add(self, item):
        item.edxml_code = (item.edxml_code or "").strip() or None

    pre_update = pre_add


def _date_in_range(form, field):
    """Issue 8, finding 9: a day off in year 9999 is a typing mistake."""
    from wtforms.validators import ValidationError

    from app.domain.dates import in_range

    if field.data and not in_range(field.data):
        raise ValidationError(_("Enter a date between 01/01/2000 and 31/12/2100."))


class CalendarView(ModelView):
    """The Admin's days off and make-up working days (SPEC §3). Overrides are
    added or deleted, never edited (app.services.calendar relies on it)."""

    route_base = "/calendar"
    datamodel = SQLAInterface(CalendarOverride)
    base_order = ("day", "desc")
    base_permissions = ["can_list", "can_add", "can_delete"]
    list_title = _l("Working calendar: the Admin's changes")
    add_title = _l("Add a day off or a make-up working day")
    list_columns = ["day", "working", "note"]
    add_columns = ["day", "working", "note"]
    label_columns = {"day": _l("Date"), "working": _l("Working day (make-up day)"), "note": _l("Note")}
    description_columns = {"working": _l(
        "Ticked: the date is a working day (e.g. a make-up Saturday). Not ticked: a day off.")}
    formatters_columns = {"day": fmt_date,
                          "working": lambda v: _("Working day") if v else _("Day off")}
    list_template = "calendar_list.html"
    validators_columns = {"day": [_date_in_range], "note": [forms.storable_text(255)]}
    # FAB would make the not-null boolean "required", refusing an unticked box (a day off).
    add_form_extra_fields = {
        "working": BooleanField(_l("Working day (make-up day)"), description=_l(
            "Ticked: the date is a working day (e.g. a make-up Saturday). Not ticked: a day off.")),
    }

    def pre_add(self, item):
        item.created_by_id = current_viewer().user_id

    def post_add(self, item):
        forget_calendar()

    def post_delete(self, item):
        forget_calendar()

    @expose("/year/<int:year>")
    @has_access
    @permission_name("list")
    def year(self, year):
        from app.domain.dates import MAX_DATE, MIN_DATE

        if not MIN_DATE.year <= year <= MAX_DATE.year:
            abort(404)
        calendar = current_calendar()
        return self.render_template("calendar_year.html", title=_("Days off in %(year)s", year=year),
                                    year=year, days=calendar.days_off(year), fmt_date=fmt_date)


class AttachmentView(BaseView):
    route_base = "/attachments"
    default_view = "download"

    @expose("/<int:attachment_id>")
    @has_access
    def download(self, attachment_id):
        try:
            return attachments.send_attachment(attachment_id, current_viewer())
        except ServiceError:
            abort(404)


class HomeView(IndexView):
    index_template = "home.html"

    @expose("/")
    def index(self):
        viewer = current_viewer()
        board = sections = None
        if viewer.user_id:
            from app.services import dashboard
            from app.services.inbox import inbox

            sections = inbox(viewer)
            board = Markup(dashboard.board_html(viewer, lambda numbers: render_template(
                "_board.html", board=numbers)))
        return self.render_template(self.index_template, appbuilder=self.appbuilder, board=board,
                                    sections=sections, fmt_date=fmt_date)


class ExtensionView(BaseView):
    """The Chairman's queue of extension requests across the province
    (Art. 5.2.đ), oldest first, each with its task, history and reason."""

    route_base = "/extensions"
    default_view = "queue"

    @expose("/")
    @has_access
    @permission_name("list")
    def queue(self):
        from app.models import ExtensionRequest

        viewer = current_viewer()
        stmt = (select(ExtensionRequest).join(Task, Task.id == ExtensionRequest.task_id)
                .where(ExtensionRequest.status == "pending").order_by(ExtensionRequest.requested_at)
                .options(selectinload(ExtensionRequest.task).selectinload(Task.lead_agency),
                         selectinload(ExtensionRequest.task).selectinload(Task.document),
                         selectinload(ExtensionRequest.requested_by)))
        recent = (select(ExtensionRequest).join(Task, Task.id == ExtensionRequest.task_id)
                  .where(ExtensionRequest.status != "pending")
                  .order_by(ExtensionRequest.decided_at.desc()).limit(20)
                  .options(selectinload(ExtensionRequest.task), selectinload(ExtensionRequest.decided_by)))
        pending = db.session.scalars(restrict_tasks(stmt, viewer)).all()
        recent = db.session.scalars(restrict_tasks(recent, viewer)).all()
        return self.render_template("extension_queue.html", title=_("Extension requests"), pending=pending,
                                    recent=recent, fmt_date=fmt_date, labels=labels,
                                    can_decide=viewer.has_role(Role.Chairman))

    @expose("/decide/<int:request_id>", methods=["POST"])
    @has_access
    @permission_name("decide")
    def decide(self, request_id):
        form = request.form
        try:
            entry = lifecycle.decide_extension(
                request_id, viewer=current_viewer(), approve=form.get("approve") == "1",
                deadline=_form_date(form.get("deadline"), _("Approved deadline")), comment=form.get("comment"))
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(request.referrer or url_for("ExtensionView.queue"))
        flash(_("Approved: the new deadline is %(date)s.", date=fmt_date(entry.approved_deadline))
              if entry.status == "approved" else _("The extension was refused."), "success")
        return redirect(request.referrer or url_for("ExtensionView.queue"))
