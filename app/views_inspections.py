"""Inspection screens (Chương V, Art. 13–17), in Vietnamese: the list, a draft decision (also one
click from an agency's overdue tasks, Art. 14.2.b), the Chairman's issue or send-back, the leader's
plan, invitations and requests, findings, the inspected agency's report and the result report.
Thin: each action calls one service of app.services.inspections."""
from __future__ import annotations

import json

from flask import abort, flash, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.access import current_viewer, restrict_tasks
from app.domain.inspections import Action, ConductedBy, InspectionStatus
from app.domain.vocabulary import Role
from app.extensions import db
from app.form_tokens import one_time
from app.models import Agency, AppUser, Inspection, InspectionAgency, InspectionMember, Task
from app.domain import inspections as rules
from app.domain.inspections import PlanAction
from app.domain.lifecycle import OFFICE_ROLES
from app.services import inspection_files, inspection_plans, inspection_report_files, inspections
from app.services.calendar import today
from app.services.errors import ServiceError
from app.views import _flash_refusal, _form_date, _form_int, _perform, fmt_date

STATUS_CLASS = {"draft": "default", "issued": "info", "running": "primary", "ended": "warning",
                "reported": "success"}


def _agencies():
    return db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)).all()


def _users():
    """The accounts a Working Group can be made of (any users of any agency, Art. 15.2.đ)."""
    return db.session.scalars(select(AppUser).where(AppUser.active.is_(True)).order_by(
        AppUser.last_name, AppUser.first_name).options(selectinload(AppUser.agency))).all()


def _input(form) -> inspections.InspectionInput:
    return inspections.InspectionInput(
        conducted_by=form.get("conducted_by", "office"), agency_id=_form_int(form.get("agency_id")),
        legal_basis=form.get("legal_basis", ""), scope=form.get("scope", ""), tasks=form.get("tasks", ""),
        content_implementation=form.get("content_implementation") == "1",
        content_updating=form.get("content_updating") == "1",
        content_reporting=form.get("content_reporting") == "1", content_text=form.get("content_text", ""),
        form=form.get("form", ""), start_on=_form_date(form.get("start_on")), end_on=_form_date(form.get("end_on")),
        inspected_agency_ids=[i for i in (_form_int(v) for v in form.getlist("inspected_agency_ids")) if i],
        leader_id=_form_int(form.get("leader_id")),
        member_ids=[i for i in (_form_int(v) for v in form.getlist("member_ids")) if i],
        plan_item_id=_form_int(form.get("plan_item_id")))


DEFAULT_BASIS = ("Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025\n"
                 "Quyết định số 26/2026/QĐ-UBND của Ủy ban nhân dân tỉnh ban hành Quy chế theo dõi, đôn đốc, "
                 "kiểm tra việc thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao")


class InspectionView(BaseView):
    route_base = "/inspections"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        stmt = inspections.visible_inspections(viewer)
        rows = db.session.scalars(stmt.order_by(Inspection.id.desc()).limit(300).options(
            selectinload(Inspection.inspected).selectinload(InspectionAgency.agency),
            selectinload(Inspection.members))).all()
        late = [r for r in rows if r.stage == "issued" and inspections.report_is_late(r)]
        return self.render_template(
            "inspection_list.html", title=_("Inspections"), rows=rows, status_of=inspections.status,
            status_label=inspections.STATUS_LABEL, status_class=STATUS_CLASS, fmt_date=fmt_date,
            late_count=len(late), days_left=inspections.working_days_left, is_late=inspections.report_is_late,
            can_add=self.appbuilder.sm.has_access("can_add", "InspectionView"),
            form_label=inspections.FORM_LABEL, sees_all=viewer.sees_all)

    @expose("/add", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    @one_time("inspection", lambda: url_for("InspectionView.index"))
    def add(self):
        viewer = current_viewer()
        office = bool(viewer.roles & {Role.OfficeOfficial.value, Role.OfficeLeader.value})
        if request.method == "POST":
            try:
                inspection = inspections.create_inspection(_input(request.form), viewer=viewer)
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
                values = request.form
            else:
                flash(_("The draft decision was saved. Submit it to the Chairman when it is ready.")
                      if inspection.conducted_by == "office" else _("The draft decision was saved."), "success")
                return redirect(url_for("InspectionView.show", pk=inspection.id))
        else:
            values = {"legal_basis": DEFAULT_BASIS, "form": request.args.get("form", "regular"),
                      "content_implementation": "1", "content_updating": "1", "content_reporting": "1"}
            item_id = request.args.get("plan_item", type=int)
            if item_id:
                try:
                    item = inspection_plans.item_for_decision(item_id, viewer)
                except ServiceError as error:
                    _flash_refusal(error)
                    return redirect(url_for("InspectionView.index"))
                values.update({"form": item.form, "inspected": [a.id for a in item.agencies], "scope": item.content,
                               "plan_item_id": item.id})
            agency_id = request.args.get("agency_id", type=int)
            if agency_id and db.session.get(Agency, agency_id) is not None:
                # Art. 14.2.b: one click from an agency's overdue tasks — an ad hoc inspection of it.
                agency = db.session.get(Agency, agency_id)
                # Counted through the row-level rule: an agency's staff may draft its own inspection
                # (Art. 13.2) but learns nothing of another agency's tasks it does not see (SPEC §1).
                overdue = db.session.scalar(restrict_tasks(select(func.count(Task.id)).where(
                    Task.lead_agency_id == agency_id, Task.status.in_(("assigned", "in_progress", "returned")),
                    Task.deadline < today()), viewer))
                values.update({"form": "ad_hoc", "inspected": [agency_id],
                               "scope": _("Tasks assigned to %(agency)s by the Provincial People's Committee and "
                                          "its Chairman; %(n)s task(s) overdue.", agency=agency.name, n=overdue),
                               "tasks": _("Check the overdue tasks and their causes (Art. 14.2.b).")})
        selected = {int(v) for v in (values.getlist("inspected_agency_ids") if hasattr(values, "getlist")
                                     else values.get("inspected", []))}
        members = {int(v) for v in (values.getlist("member_ids") if hasattr(values, "getlist") else [])}
        return self.render_template(
            "inspection_form.html", title=_("Draft an inspection decision"), values=values, office=office,
            agencies=_agencies(), users=_users(), selected=selected, members=members,
            form_label=inspections.FORM_LABEL, today=today())

    @expose("/edit/<int:pk>", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    def edit(self, pk):
        """Correct the draft (after the Chairman sent it back, for instance)."""
        viewer = current_viewer()
        inspection = inspections.visible_inspection(pk, viewer)
        if inspection is None:
            abort(404)
        if Action.edit not in inspections.allowed(inspection, viewer):
            flash(_("You may not %(action)s.", action=inspections.ACTION_LABEL[Action.edit]), "danger")
            return redirect(url_for("InspectionView.show", pk=pk))
        if request.method == "POST":
            try:
                inspections.update_draft(pk, _input(request.form), viewer=viewer,
                                         expected_version=request.form.get("version"))
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
            else:
                flash(_("The draft decision was saved."), "success")
                return redirect(url_for("InspectionView.show", pk=pk))
        values = {
            "conducted_by": inspection.conducted_by, "agency_id": inspection.agency_id,
            "legal_basis": inspection.legal_basis, "scope": inspection.scope, "tasks": inspection.tasks,
            "content_implementation": "1" if inspection.content_implementation else "",
            "content_updating": "1" if inspection.content_updating else "",
            "content_reporting": "1" if inspection.content_reporting else "",
            "content_text": inspection.content_text, "form": inspection.form,
            "start_on": inspection.start_on.isoformat(), "end_on": inspection.end_on.isoformat(),
            "leader_id": inspection.leader_id, "version": inspection.version}
        return self.render_template(
            "inspection_form.html", title=_("Draft an inspection decision"), values=values,
            office=inspection.conducted_by == ConductedBy.office.value, agencies=_agencies(), users=_users(),
            selected=set(inspection.inspected_ids), members=set(inspection.member_ids) - {inspection.leader_id},
            form_label=inspections.FORM_LABEL, today=today())

    @expose("/show/<int:pk>")
    @has_access
    @permission_name("show")
    def show(self, pk):
        return self._show(pk)

    def _show(self, pk, code: int = 200, typed: dict | None = None):
        """The inspection's page; after a refused save of the agency's report, again with what was
        typed and the refusal's status (`code`), so a bad file costs nothing but the file."""
        viewer = current_viewer()
        inspection = inspections.visible_inspection(pk, viewer)
        if inspection is None:
            abort(404)
        status = inspections.status(inspection)
        actions = inspections.allowed(inspection, viewer)
        who = inspections.parties(inspection, viewer)
        report = inspections.agency_report(inspection, viewer.agency_id) if viewer.agency_id else None
        explain = inspections.explain_rows(inspection, viewer.agency_id) \
            if Action.agency_report in actions else []
        readable = inspections.agency_reports(inspection, viewer)
        # Every inspected agency's line for those who follow the inspection (drafts stay the agency's own).
        overview = viewer.sees_all or (bool(who & inspections.INSIDE) and inspection.stage != "reported")
        shown = {r.agency_id for r in readable}
        agency_reports = [r for r in readable if r.agency_id != viewer.agency_id or overview]
        pending = [a.agency for a in inspection.inspected if a.agency_id not in shown] if overview else []
        steps = inspections.steps(inspection)
        explanations = json.loads(report.explanations) if report else {}
        if typed is not None:
            explanations = {**explanations, **{str(k): v for k, v in typed["explanations"].items()}}
        page = self.render_template(
            "inspection_show.html", title=_("Inspection"), inspection=inspection, status=status,
            status_label=inspections.STATUS_LABEL, status_class=STATUS_CLASS, actions=actions, A=Action,
            fmt_date=fmt_date, findings=inspections.findings(inspection, viewer),
            steps=steps, history=inspections.history(inspection),
            history_label=HISTORY_LABEL, form_label=inspections.FORM_LABEL,
            conducted_label=inspections.CONDUCTED_LABEL, days_left=inspections.working_days_left(inspection),
            late=inspections.report_is_late(inspection), agencies=_agencies(),
            may_read_report=inspections.may_read_report(inspection, viewer),
            draft_report=inspections.draft_report_text(inspection) if Action.report in actions else "",
            my_report=report, explain=explain, explanations=explanations,
            typed_body=typed["body"] if typed is not None else None,
            my_files=report.files if report else [],
            my_requests=[s for s in steps if s.kind == "request" and s.agency_id == viewer.agency_id],
            agency_reports=agency_reports, pending_agencies=pending, json=json, today=today(),
            is_head=inspections.Party.inspected_head in who,
            can_enter_tasks=self.appbuilder.sm.has_access("can_add", "DocumentView"))
        return (page, code) if code != 200 else page

    def _back(self, pk):
        return url_for("InspectionView.show", pk=pk)

    @expose("/submit/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("add")
    def submit(self, pk):
        return _perform(lambda: inspections.submit_for_issue(pk, viewer=current_viewer()),
                        _("The draft decision was submitted to the Chairman."), self._back(pk))

    @expose("/send-back/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("issue")
    def send_back(self, pk):
        return _perform(lambda: inspections.send_back(pk, viewer=current_viewer(), note=request.form.get("note", "")),
                        _("The decision was sent back to the Office."), self._back(pk))

    @expose("/issue/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("issue")
    def issue(self, pk):
        return _perform(lambda: inspections.issue(pk, viewer=current_viewer(), number=request.form.get("number", ""),
                                                  issued_on=_form_date(request.form.get("issued_on")),
                                                  expected_version=request.form.get("version")),
                        _("The decision was issued; the Working Group and the inspected agencies were told."),
                        self._back(pk))

    @expose("/finding/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    @one_time("inspection_finding", lambda pk: url_for("InspectionView.show", pk=pk))
    def finding(self, pk):
        form = request.form
        return _perform(lambda: inspections.add_finding(
            pk, viewer=current_viewer(), agency_id=_form_int(form.get("agency_id")),
            task_id=_form_int(form.get("task_id")), assessment=form.get("assessment", ""),
            conclusion=form.get("conclusion", ""), recommendations=form.get("recommendations", "")),
            _("The finding was recorded."), self._back(pk))

    @expose("/step/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    @one_time("inspection_step", lambda pk: url_for("InspectionView.show", pk=pk))
    def step(self, pk):
        form = request.form
        return _perform(lambda: inspections.add_step(
            pk, viewer=current_viewer(), kind=form.get("kind", ""), agency_id=_form_int(form.get("agency_id")),
            on_date=_form_date(form.get("on_date")), body=form.get("body", ""),
            member_id=_form_int(form.get("member_id")), documents=form.get("documents", "")),
            _("Recorded; those concerned were told."), self._back(pk))

    @expose("/agency-report/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    def agency_report(self, pk):
        form = request.form
        submit = form.get("submit") == "1"
        explanations = {int(k.split("-", 1)[1]): v for k, v in form.items()
                        if k.startswith("explain-") and k.split("-", 1)[1].isdecimal()}
        try:
            inspections.save_agency_report(
                pk, viewer=current_viewer(), body=form.get("body", ""), explanations=explanations, submit=submit,
                files=request.files.getlist("files"), expected_version=form.get("version"))
        except ServiceError as error:
            # Nothing was written (no row, no file): the page again, with what was typed, and a 4xx.
            db.session.rollback()
            _flash_refusal(error)
            if isinstance(error, inspections.InspectionNotFound):
                abort(404)
            return self._show(pk, error.status, {"body": form.get("body", ""), "explanations": explanations})
        flash(_("Your agency's report was submitted to the Working Group.") if submit else _("The draft was saved."),
              "success")
        return redirect(self._back(pk))

    @expose("/agency-report-file/<int:file_id>")
    @has_access
    @permission_name("file")
    def agency_report_file(self, file_id):
        """A file of an inspected agency's report, to those who may read that report (404 to anyone else)."""
        try:
            return inspection_report_files.send_report_file(file_id, current_viewer())
        except inspection_report_files.ReportFileDamaged as error:
            flash(str(error.message), "danger")
            found = inspection_report_files.visible_file(file_id, current_viewer())
            return redirect(self._back(found[1].id)) if found else abort(404)
        except ServiceError:
            abort(404)

    @expose("/agency-report-file/<int:file_id>/remove", methods=["POST"])
    @has_access
    @permission_name("act")
    def agency_report_file_remove(self, file_id):
        found = inspection_report_files.visible_file(file_id, current_viewer())
        if found is None:
            abort(404)
        return _perform(lambda: inspection_report_files.remove_file(file_id, viewer=current_viewer()),
                        lambda row: _("%(name)s was removed from the draft.", name=row.filename),
                        self._back(found[1].id))

    @expose("/report/<int:pk>", methods=["POST"])
    @has_access
    @permission_name("act")
    def report(self, pk):
        form = request.form
        return _perform(lambda: inspections.submit_report(
            pk, viewer=current_viewer(), body=form.get("body", ""), number=form.get("number") or None,
            expected_version=form.get("version")),
            _("The result report was submitted; the inspected agencies were told."), self._back(pk))

    @expose("/file/<int:pk>/<which>/<kind>")
    @has_access
    @permission_name("file")
    def file(self, pk, which, kind):
        try:
            return inspection_files.send_inspection_file(pk, which, kind, current_viewer())
        except ServiceError:
            abort(404)


    # -- the year's plan (Art. 13.1.a, 14.2.a) --------------------------------------------------

    @expose("/plan/")
    @has_access
    @permission_name("list")
    def plan_index(self):
        return redirect(url_for("InspectionView.plan", year=today().year))

    @expose("/plan/<int:year>")
    @has_access
    @permission_name("list")
    def plan(self, year):
        viewer = current_viewer()
        if not viewer.sees_all or not 2000 <= year <= 2100:
            abort(404)
        plan = inspection_plans.plan_for(year, viewer, create=bool(viewer.roles & OFFICE_ROLES))
        actions = rules.plan_actions(plan.stage, viewer.roles) if plan else frozenset()
        return self.render_template(
            "inspection_plan.html", title=_("Inspection plan"), plan=plan, year=year, actions=actions, PA=PlanAction,
            stage_label=inspection_plans.PLAN_STAGE_LABEL, form_label=inspections.FORM_LABEL,
            agencies=_agencies(), months=range(1, 13))

    @expose("/plan/<int:year>/item", methods=["POST"])
    @has_access
    @permission_name("plan")
    @one_time("inspection_plan_item", lambda year: url_for("InspectionView.plan", year=year))
    def plan_item(self, year):
        viewer = current_viewer()
        form = request.form
        plan = inspection_plans.plan_for(year, viewer, create=True) if viewer.sees_all and 2000 <= year <= 2100 \
            else abort(404)
        return _perform(lambda: inspection_plans.add_item(
            plan.id, viewer=viewer, agency_ids=[i for i in (_form_int(v) for v in form.getlist("agency_ids")) if i],
            content=form.get("content", ""), form=form.get("form", ""), month=_form_int(form.get("month"))),
            _("The planned inspection was added."), url_for("InspectionView.plan", year=year))

    @expose("/plan/item/<int:item_id>/remove", methods=["POST"])
    @has_access
    @permission_name("plan")
    def plan_item_remove(self, item_id):
        year = request.form.get("year", type=int) or today().year
        return _perform(lambda: inspection_plans.remove_item(item_id, viewer=current_viewer()),
                        _("The planned inspection was removed."), url_for("InspectionView.plan", year=year))

    @expose("/plan/<int:year>/submit", methods=["POST"])
    @has_access
    @permission_name("plan")
    def plan_submit(self, year):
        viewer = current_viewer()
        plan = inspection_plans.plan_for(year, viewer) if viewer.sees_all else None
        if plan is None:
            abort(404)
        return _perform(lambda: inspection_plans.submit(plan.id, viewer=viewer),
                        _("The plan was submitted to the Chairman."), url_for("InspectionView.plan", year=year))

    @expose("/plan/<int:year>/decide", methods=["POST"])
    @has_access
    @permission_name("issue")
    def plan_decide(self, year):
        viewer = current_viewer()
        plan = inspection_plans.plan_for(year, viewer) if viewer.sees_all else None
        if plan is None:
            abort(404)
        approve = request.form.get("approve") == "1"
        return _perform(lambda: inspection_plans.decide(plan.id, viewer=viewer, approve=approve,
                                                        note=request.form.get("note", "")),
                        _("The plan was approved.") if approve else _("The plan was sent back to the Office."),
                        url_for("InspectionView.plan", year=year))


HISTORY_LABEL = {
    "inspection_drafted": _l("Draft decision created"),
    "inspection_edited": _l("Draft decision changed"),
    "inspection_submitted": _l("Submitted to the Chairman"),
    "inspection_sent_back": _l("Sent back by the Chairman"),
    "inspection_issued": _l("Decision issued"),
    "inspection_plan": _l("Plan line recorded"),
    "inspection_invitation": _l("Representatives invited"),
    "inspection_request": _l("Report and documents requested"),
    "inspection_finding": _l("Finding recorded"),
    "inspection_agency_report": _l("Inspected agency's report submitted"),
    "inspection_reported": _l("Result report submitted"),
}


def init_inspections(app, appbuilder) -> None:
    from app.api.inspections import InspectionApi

    appbuilder.add_view(InspectionView, "Inspections", label=_l("Inspections"), icon="fa-search")
    appbuilder.add_api(InspectionApi)
