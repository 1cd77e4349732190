"""Periodic reports, the consolidated report and the evaluation (Art. 12, 19,
20, 22). Thin: the counts are app.services.appendix's, the rules
app.domain.periods' and app.domain.appendix's."""
from __future__ import annotations

import io

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.access import current_viewer, may_see_agency
from app.form_tokens import one_time
from app.domain.lifecycle import HEAD_ROLES, OFFICE_ROLES
from app.domain.periods import Period, parse_label
from app.extensions import db
from app.models import Agency, Evaluation, EvaluationSetting, PeriodicReport, local_now
from app.services import evaluation, reports
from app.services.appendix import appendix_counts
from app.services.calendar import current_calendar, today
from app.services.errors import ServiceError, check_texts
from app.period_labels import period_choices, period_name
from app.views import _flash_refusal, fmt_date

PAGE_LIST = 300  # Phụ lục II lines on the report's page; the files hold every one


def _choices(period: Period):
    return period_choices(today(), period)


def _period(kind, year, number) -> Period:
    try:
        return reports.period_from(kind, year, number or None)
    except ServiceError:
        abort(404)


def _may_read(report: PeriodicReport) -> bool:
    viewer = current_viewer()
    return may_see_agency(viewer, report.agency_id)  # app.access: incl. a running inspection's grant


class ReportsView(BaseView):
    route_base = "/reports"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        period = reports.current_period()
        args = dict(kind=period.kind.value, year=period.year, number=period.number or 0)
        if viewer.sees_all:
            return redirect(url_for("ReportsView.office", **args))
        return redirect(url_for("ReportsView.agency", **args))

    @expose("/agency/<kind>/<int:year>/<int:number>", methods=["GET", "POST"])
    @has_access
    @permission_name("list")
    @one_time("periodic_report", lambda **_: request.full_path)
    def agency(self, kind, year, number):
        viewer = current_viewer()
        period = _period(kind, year, number)
        agency_id = request.args.get("agency_id", type=int) if viewer.sees_all else viewer.agency_id
        # Inspections (Chương V): a Working Group member reads the inspected agencies' reports.
        asked = request.args.get("agency_id", type=int)
        if asked is not None and not viewer.sees_all and may_see_agency(viewer, asked):
            agency_id = asked
        if agency_id is None or db.session.get(Agency, agency_id) is None:
            abort(404)
        report = reports.report_for(agency_id, period)
        if request.method == "POST":
            if not self.appbuilder.sm.has_access("can_write_report", "ReportsView"):
                abort(403)  # Art. 19: the agency writes its own report
            form = request.form
            reasons = {int(k.split("-", 1)[1]): v for k, v in form.items() if k.startswith("reason-")}
            return self._save(report, reasons, _("The report was submitted to the Office."))
        return self._render_report(report, period)

    @expose("/consolidated/<kind>/<int:year>/<int:number>", methods=["GET", "POST"])
    @has_access
    @permission_name("consolidate")
    @one_time("consolidated_report", lambda **_: request.full_path)
    def consolidated(self, kind, year, number):
        period = _period(kind, year, number)
        report = reports.report_for(None, period)
        if request.method == "POST":
            if not self.appbuilder.sm.has_access("can_write_consolidated", "ReportsView"):
                abort(403)  # Art. 20: the Office builds the consolidated report
            return self._save(report, {}, _("The consolidated report was submitted."),
                              number=request.form.get("report_number"))
        return self._render_report(report, period)

    def _save(self, report: PeriodicReport, reasons: dict, submitted_message: str, number: str | None = None):
        """Save sections III–IV (and the reasons), and submit when asked."""
        viewer, form = current_viewer(), request.form
        try:
            reports.save_sections(report.id, viewer=viewer, expected_version=form.get("version"),
                                  section_3=form.get("section_3", ""), section_4=form.get("section_4", ""),
                                  reasons=reasons)
            if form.get("submit") == "1":
                report = db.session.get(PeriodicReport, report.id)
                if number is not None:
                    check_texts(("report_number", number, _("Report number"),
                                 PeriodicReport.__table__.c.report_number.type.length))
                    report.report_number = number.strip() or None
                reports.submit(report.id, viewer=viewer, expected_version=report.version)
                flash(submitted_message, "success")
            else:
                flash(_("The draft was saved."), "success")
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
        return redirect(request.full_path)

    def _render_report(self, report: PeriodicReport, period: Period):
        from app.services.report_files import provisional_note, report_content, report_counts

        viewer = current_viewer()
        if report.agency_id:  # Phụ lục II's first PAGE_LIST lines: the files hold every one
            counts, rows = report_counts(report), list(reports.report_rows(report, limit=PAGE_LIST))
        else:
            counts, rows = report_content(report)
        current = appendix_counts(period, report.agency_id) if report.status == "submitted" else None
        calendar = current_calendar()
        can_edit = report.status == "draft" and (
            (report.agency_id is None and bool(viewer.roles & OFFICE_ROLES))
            or (report.agency_id == viewer.agency_id and viewer.agency_id is not None))
        late, late_pages = [], None
        if report.agency_id:
            # Issue 10: Section III a page at a time, each row read with its reason.
            size = current_app.config["REPORT_PAGE_ROWS"]
            late_total = reports.report_row_count(report, reports.LATE)
            last = max(0, (late_total - 1) // size)
            page = min(max(request.args.get("late_page", 0, type=int), 0), last)
            late = list(reports.report_rows(report, states=reports.LATE, limit=size, offset=page * size))
            turn = lambda n: url_for(request.endpoint, **request.view_args,  # noqa: E731
                                     **{**request.args.to_dict(), "late_page": n})
            late_pages = dict(page=page, last=last, total=late_total, first=page * size + 1,
                              previous=turn(page - 1) if page > 0 else None,
                              next=turn(page + 1) if page < last else None)
        return self.render_template(
            "report.html", title=_("Periodic report"), report=report, period=period, counts=counts,
            current=current, rows=rows if report.agency_id else [], table=rows if not report.agency_id else [],
            row_total=counts.total, page_list=PAGE_LIST, late=late, late_pages=late_pages, fmt_date=fmt_date,
            agency_due=period.agency_due(calendar), office_due=period.office_due(calendar),
            can_edit=can_edit, can_submit=can_edit and (report.agency_id is None or bool(viewer.roles & HEAD_ROLES)),
            state_label=reports.STATE_LABEL, period_title=period_name(period), kinds=_choices(period),
            provisional=provisional_note(report))

    @expose("/office/<kind>/<int:year>/<int:number>")
    @has_access
    @permission_name("consolidate")
    def office(self, kind, year, number):
        period = _period(kind, year, number)
        calendar = current_calendar()
        consolidated = reports.report_for(None, period, create=False)
        return self.render_template(
            "reports_office.html", title=_("Periodic reports"), period=period, rows=reports.submissions(period),
            agency_due=period.agency_due(calendar), office_due=period.office_due(calendar), today=today(),
            consolidated=consolidated, fmt_date=fmt_date, period_title=period_name(period),
            kinds=_choices(period))

    @expose("/remind/<kind>/<int:year>/<int:number>", methods=["POST"])
    @has_access
    @permission_name("remind")  # Office work, not the Chairman's (SPEC §1)
    def remind(self, kind, year, number):
        sent = reports.remind_late(_period(kind, year, number))
        flash(_("%(n)s reminders were sent to the agencies whose report is late.", n=sent), "success")
        return redirect(url_for("ReportsView.office", kind=kind, year=year, number=number))

    @expose("/file/<int:report_id>/<kind>")
    @has_access
    @permission_name("list")
    def file(self, report_id, kind):
        from app.services.report_files import report_document, report_xlsx

        report = db.session.get(PeriodicReport, report_id)
        if report is None or not _may_read(report) or kind not in ("pdf", "docx", "xlsx"):
            abort(404)
        from app.services.exports import export_session
        from app.services.file_names import report_file_name

        name = report_file_name(report, reports.report_period(report), kind)
        # One snapshot: a draft's figures and rows are read as of one moment (issue 10).
        with export_session(db.engine) as session:
            if kind == "xlsx":
                handle = report_xlsx(report, session)
                return send_file(handle, as_attachment=True, download_name=name,
                                 mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            document = report_document(report, session)
        # In a process of its own: the worker stays small (issue 10, app.render.apart).
        from app.render.apart import render_apart

        data = render_apart(kind, document)
        mimetype = ("application/pdf" if kind == "pdf"
                    else "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


class EvaluationView(BaseView):
    """Published to every signed-in user (Art. 12), with the history of past periods."""

    route_base = "/evaluation"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        published = []
        for key in evaluation.published_periods():
            try:
                published.append(parse_label(key))
            except ValueError:
                continue
        published.sort(key=lambda p: (p.end, p.kind.value), reverse=True)
        chosen = None
        if request.args.get("period"):
            try:
                chosen = parse_label(request.args["period"])
            except ValueError:
                abort(404)
        chosen = chosen or (published[0] if published else reports.current_period())
        rows = db.session.scalars(select(Evaluation).where(Evaluation.period_key == chosen.label)
                                  .order_by(Evaluation.rank).options(selectinload(Evaluation.agency))).all()
        return self.render_template(
            "evaluation.html", title=_("Evaluation of the agencies"), rows=rows, chosen=chosen,
            chosen_name=period_name(chosen), published=[(p, period_name(p)) for p in published],
            choices=period_choices(today(), chosen), weights=evaluation.weights(),
            is_office=bool(current_viewer().roles & OFFICE_ROLES), ended=chosen.end < today(),
            can_weigh=self.appbuilder.sm.has_access("can_weights", "EvaluationView"), fmt_date=fmt_date)

    @expose("/compute", methods=["POST"])
    @has_access
    @permission_name("compute")
    def compute(self):
        try:
            period = parse_label(request.form.get("period", ""))
        except ValueError:
            abort(400)
        if period.end >= today():
            flash(_("%(period)s closes on %(date)s (Art. 20.1); it can be evaluated after that.",
                    period=period_name(period), date=fmt_date(period.end)), "warning")
            return redirect(url_for("EvaluationView.index", period=period.label))
        rows = evaluation.evaluate(period)
        if rows:
            flash(_("The evaluation of %(n)s agencies for %(period)s was computed and published.",
                    n=len(rows), period=period_name(period)), "success")
        else:
            flash(_("No agency had a task due in %(period)s (%(start)s – %(end)s): there is nothing to rank.",
                    period=period_name(period), start=fmt_date(period.start), end=fmt_date(period.end)), "warning")
        return redirect(url_for("EvaluationView.index", period=period.label))

    @expose("/weights", methods=["POST"])
    @has_access
    @permission_name("weights")
    def weights(self):
        try:
            values = [int(request.form.get(k, "")) for k in ("on_time", "updated", "reports")]
        except ValueError:
            values = []
        if len(values) != 3 or min(values) < 0 or max(values) > 1000 or sum(values) == 0:
            flash(_("Weights are whole numbers from 0 to 1000, at least one above zero."), "danger")
            return redirect(url_for("EvaluationView.index"))
        row = db.session.get(EvaluationSetting, 1) or EvaluationSetting(id=1)
        row.weight_on_time, row.weight_updated, row.weight_reports = values
        row.changed_on = local_now()
        db.session.add(row)
        db.session.commit()
        flash(_("The weights were saved; they apply to the evaluations computed from now on."), "success")
        return redirect(url_for("EvaluationView.index"))


def init_reports(app, appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    appbuilder.add_view(ReportsView, "Periodic reports", label=_l("Periodic reports"), category="Reports",
                        category_label=_l("Reports and evaluation"), icon="fa-bar-chart")
    appbuilder.add_view(EvaluationView, "Evaluation", label=_l("Evaluation of the agencies"), category="Reports",
                        icon="fa-trophy")


