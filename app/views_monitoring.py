"""Monitoring and urging screens (Art. 10, 11, 18.5): notifications, delay
reports, urging letters, the overdue list to propose to the Chairman, and the
Admin's view of the job queues. Thin: each action calls one service."""
from __future__ import annotations

import json
import uuid

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import labels
from app.access import current_viewer, restrict_tasks, visible_task
from app.domain.lifecycle import OFFICE_ROLES, WITH_THE_AGENCY
from app.extensions import db
from app.form_tokens import one_time
from app.models import Agency, AppUser, DelayReport, JobRun, Notification, Task, UrgingLetter
from app.services import delay_reports, letters, notifications
from app.services.calendar import current_calendar, today
from app.services.errors import ServiceError
from app.views import _flash_refusal, _form_date, _form_int, _perform, fmt_date


class NotificationView(BaseView):
    route_base = "/notifications"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        rows = notifications.recent(viewer, limit=100)
        return self.render_template("notifications.html", title=_("Notifications"), rows=rows,
                                    title_of=notifications.title)

    @expose("/read/<int:notification_id>", methods=["POST"])
    @has_access
    @permission_name("list")
    def read(self, notification_id):
        viewer = current_viewer()
        row = db.session.get(Notification, notification_id)
        notifications.mark_read(viewer, notification_id)
        if row is not None and row.user_id == viewer.user_id and row.link:
            return redirect(row.link)
        return redirect(url_for("NotificationView.index"))

    @expose("/read-all", methods=["POST"])
    @has_access
    @permission_name("list")
    def read_all(self):
        notifications.mark_read(current_viewer())
        return redirect(url_for("NotificationView.index"))


class DelayReportView(BaseView):
    """Delay reports and what the Office must do about them within 2 working days."""

    route_base = "/delay-reports"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        rows = db.session.scalars(
            delay_reports.visible_reports(viewer).order_by(DelayReport.status != "open", DelayReport.due_on)
            .limit(300).options(selectinload(DelayReport.task), selectinload(DelayReport.reporting_agency),
                                selectinload(DelayReport.concerned_agency))).all()
        return self.render_template("delay_reports.html", title=_("Delay reports"), rows=rows, today=today(),
                                    counts=delay_reports.status_counts(viewer), fmt_date=fmt_date,
                                    is_office=bool(viewer.roles & OFFICE_ROLES))

    @expose("/show/<int:report_id>")
    @has_access
    @permission_name("list")
    def show(self, report_id):
        viewer = current_viewer()
        report = delay_reports.visible_report(report_id, viewer)
        if report is None:
            abort(404)
        return self.render_template("delay_report_show.html", title=_("Delay report"), report=report,
                                    today=today(), fmt_date=fmt_date, is_office=bool(viewer.roles & OFFICE_ROLES))

    @expose("/new/<int:task_id>", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    @one_time("delay_report", lambda task_id: url_for("TaskView.show", pk=task_id))
    def new(self, task_id):
        viewer = current_viewer()
        task = visible_task(task_id, viewer)
        if task is None:
            abort(404)
        if request.method == "POST":
            form = request.form
            try:
                report = delay_reports.file_report(
                    task_id, viewer=viewer, description=form.get("description", ""),
                    received_on=_form_date(form.get("received_on"), _("Date received")),
                    concerned_agency_id=_form_int(form.get("concerned_agency_id")),
                    reporting_agency_id=_form_int(form.get("reporting_agency_id")),
                    files=request.files.getlist("files"))
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
            else:
                flash(_("The delay report was sent to the Office; it must act by %(date)s.",
                        date=fmt_date(report.due_on)), "success")
                return redirect(url_for("DelayReportView.show", report_id=report.id))
        parties = [task.lead_agency] + list(task.coordinating_agencies)
        agencies = db.session.scalars(select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)).all()
        return self.render_template("delay_report_new.html", title=_("Report a delay"), task=task,
                                    parties=[a for a in parties if a.id != viewer.agency_id], agencies=agencies,
                                    is_office=bool(viewer.roles & OFFICE_ROLES), today=today())

    @expose("/urge/<int:report_id>", methods=["POST"])
    @has_access
    @permission_name("handle")
    def urge(self, report_id):
        try:
            letter = delay_reports.urge(report_id, viewer=current_viewer())
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
            return redirect(url_for("DelayReportView.show", report_id=report_id))
        flash(_("An urging letter was drafted; edit it, number it and issue it."), "success")
        return redirect(url_for("LetterView.show", letter_id=letter.id))

    @expose("/escalate/<int:report_id>", methods=["POST"])
    @has_access
    @permission_name("handle")
    def escalate(self, report_id):
        return _perform(lambda: delay_reports.escalate(report_id, viewer=current_viewer(),
                                                       note=request.form.get("note", "")),
                        _("Reported to the Chairman; the reporting agency was sent a copy."),
                        url_for("DelayReportView.show", report_id=report_id))


class LetterView(BaseView):
    route_base = "/letters"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        rows = db.session.scalars(letters.visible_letters(viewer).order_by(UrgingLetter.id.desc()).limit(300)
                                  .options(selectinload(UrgingLetter.agency))).all()
        return self.render_template("letters.html", title=_("Urging letters"), rows=rows, fmt_date=fmt_date,
                                    is_office=bool(viewer.roles & OFFICE_ROLES))

    @expose("/show/<int:letter_id>", methods=["GET", "POST"])
    @has_access
    @permission_name("list")
    def show(self, letter_id):
        viewer = current_viewer()
        if request.method == "POST" and not self.appbuilder.sm.has_access("can_write", "LetterView"):
            abort(403)  # Art. 18.5: the Office edits and issues urging letters
        letter = letters.visible_letter(letter_id, viewer)
        if letter is None:
            abort(404)
        if request.method == "POST":
            form = request.form
            try:
                if form.get("issue") == "1":
                    letters.issue_letter(letter_id, viewer=viewer, expected_version=form.get("version"),
                                         number=form.get("number", ""))
                    flash(_("The letter was issued and the agency notified."), "success")
                else:
                    letters.update_letter(
                        letter_id, viewer=viewer, expected_version=form.get("version"),
                        summary=form.get("summary", ""), body=form.get("body", ""),
                        signer_authority=form.get("signer_authority"),
                        signer_position=form.get("signer_position", ""), signer_name=form.get("signer_name", ""))
                    flash(_("The letter was saved."), "success")
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
            return redirect(url_for("LetterView.show", letter_id=letter_id))
        return self.render_template("letter_show.html", title=_("Urging letter"), letter=letter,
                                    fmt_date=fmt_date, is_office=bool(viewer.roles & OFFICE_ROLES),
                                    suffix=current_app.config["LETTER_NUMBER_SUFFIX"])

    @expose("/file/<int:letter_id>/<kind>")
    @has_access
    @permission_name("list")
    def file(self, letter_id, kind):
        try:
            return letters.send_letter_file(letter_id, kind, current_viewer())
        except ServiceError as error:
            if error.status == 404:
                abort(404)
            _flash_refusal(error)
            return redirect(url_for("LetterView.show", letter_id=letter_id))

    @expose("/urge-overdue", methods=["GET", "POST"])
    @has_access
    @permission_name("urge")
    @one_time("urge_overdue", lambda: url_for("LetterView.index"))
    def urge_overdue(self):
        """Select overdue tasks (of one agency or many) and draft one letter per agency, as a job."""
        if request.method == "POST":
            from app.jobs.queue import enqueue
            from app.jobs.tasks import urge_overdue

            agency_ids = [int(a) for a in request.form.getlist("agency_ids") if a.isdecimal()] or None
            waiting = letters.overdue_by_agency(agency_ids, skip_urged_today=True)
            overdue = letters.overdue_by_agency(agency_ids)
            already = sum(map(len, overdue.values())) - sum(map(len, waiting.values()))
            if not waiting:
                flash(_("Every one of these overdue tasks is already in a letter drafted today: "
                        "nothing new was drafted. Open the letters below."), "info")
                return redirect(url_for("LetterView.index"))
            if already:
                flash(_("%(n)s overdue tasks already in today's letters are left out.", n=already), "info")
            batch = f"overdue-{today().isoformat()}-{uuid.uuid4().hex[:8]}"
            job = enqueue(urge_overdue, batch, agency_ids, current_viewer().user_id, queue_name="letters",
                          job_id=f"urge-{batch}")
            if job is None:
                flash(_("The job queue is unavailable right now; try again in a moment."), "danger")
                return redirect(url_for("LetterView.urge_overdue"))
            return redirect(url_for("LetterView.progress_page", job_id=job.id))
        grouped = letters.overdue_by_agency(None)
        agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(list(grouped))))}
        rows = sorted(((agencies[a], len(ids)) for a, ids in grouped.items()), key=lambda r: -r[1])
        return self.render_template("letters_urge.html", title=_("Urge overdue tasks"), rows=rows)

    @expose("/progress/<job_id>")
    @has_access
    @permission_name("urge")
    def progress_page(self, job_id):
        return self.render_template("letters_progress.html", title=_("Drafting letters"), job_id=job_id)

    @expose("/progress/<job_id>.json")
    @has_access
    @permission_name("urge")
    def progress(self, job_id):
        run = db.session.scalar(select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id.desc()))
        if run is None:
            return jsonify(status="queued", done=0, total=0)
        detail = json.loads(run.detail) if run.detail else {}
        total = detail.get("total", detail.get("agencies", 0))
        return jsonify(status=run.status, done=detail.get("done", detail.get("letters", 0)), total=total,
                       error=run.error.splitlines()[-1] if run.error else None)


class OverdueView(BaseView):
    """Art. 5.3.d: the tracking officer's overdue tasks to propose to the
    Chairman, worst first (the Office's leaders see all of them)."""

    route_base = "/overdue"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        viewer = current_viewer()
        stmt = (select(Task).where(Task.status.in_([s.value for s in WITH_THE_AGENCY]), Task.deadline < today())
                .order_by(Task.deadline, Task.id).limit(500)
                .options(selectinload(Task.lead_agency), selectinload(Task.document)))
        mine = request.args.get("all") != "1" and viewer.has_role("OfficeOfficial")
        if mine:
            stmt = stmt.where(Task.tracking_officer_id == viewer.user_id)
        # Asking for direction (issue 13): the ladder on each task, and the filter by its next rung.
        from app.services import ladder

        rung = request.args.get("rung") or None
        if rung in ladder.RUNG_LABEL:
            stmt = stmt.where(ladder.rung_condition(rung))
        rows = db.session.scalars(restrict_tasks(stmt, viewer)).all()
        calendar, now = current_calendar(), today()
        steps = ladder.ladders(rows, now)
        rows = [(t, calendar.working_days_between(t.deadline, now)) for t in rows]
        return self.render_template("overdue.html", title=_("Overdue tasks to propose to the Chairman"),
                                    rows=rows, mine=mine, fmt_date=fmt_date, labels=labels, steps=steps,
                                    rung=rung, rung_label=ladder.RUNG_LABEL, ladder_policy=ladder.policy())


class JobsView(BaseView):
    """The Admin's view of the queues: counts, failed jobs with their
    tracebacks (re-run one), and the recent runs recorded in the database."""

    route_base = "/jobs"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        from rq import Queue
        from rq.job import Job
        from rq.registry import FailedJobRegistry, StartedJobRegistry

        from app.jobs.queue import QUEUES, redis_connection

        queues, failed, redis_error = [], [], None
        try:
            connection = redis_connection()
            for name in QUEUES:
                queue = Queue(name, connection=connection)
                registry = FailedJobRegistry(queue=queue)
                queues.append(dict(name=name, queued=queue.count, failed=registry.count,
                                   started=StartedJobRegistry(queue=queue).count))
                for job_id in registry.get_job_ids()[:50]:
                    job = Job.fetch(job_id, connection=connection)
                    failed.append(dict(id=job_id, queue=name, func=job.func_name, args=job.args,
                                       ended=job.ended_at, trace=job.exc_info or ""))
        except Exception as error:  # noqa: BLE001 — Redis down: the page still answers
            redis_error = str(error)
        runs = db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(50)).all()
        return self.render_template("jobs.html", title=_("Background jobs"), queues=queues, failed=failed,
                                    runs=runs, redis_error=redis_error)

    @expose("/requeue/<queue_name>/<job_id>", methods=["POST"])
    @has_access
    @permission_name("manage")
    def requeue(self, queue_name, job_id):
        from rq import Queue
        from rq.registry import FailedJobRegistry

        from app.jobs.queue import QUEUES, redis_connection

        if queue_name not in QUEUES:
            abort(404)
        FailedJobRegistry(queue=Queue(queue_name, connection=redis_connection())).requeue(job_id)
        flash(_("The job was queued again."), "success")
        return redirect(url_for("JobsView.index"))

    @expose("/sweep", methods=["POST"])
    @has_access
    @permission_name("sweep")
    def sweep(self):
        """The deadline sweep on demand (the Office or the Admin)."""
        from app.jobs.queue import enqueue
        from app.jobs.tasks import deadline_sweep

        job = enqueue(deadline_sweep)
        flash(_("The deadline sweep was started.") if job else
              _("The job queue is unavailable right now; try again in a moment."), "success" if job else "danger")
        return redirect(request.referrer or url_for("OverdueView.index"))


def init_monitoring(app, appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    appbuilder.add_view(OverdueView, "Overdue tasks", label=_l("Overdue tasks to propose (Art. 5.3.d)"),
                        category="Monitoring", category_label=_l("Monitoring and urging"), icon="fa-exclamation")
    appbuilder.add_view(DelayReportView, "Delay reports", label=_l("Delay reports"), category="Monitoring",
                        icon="fa-flag")
    appbuilder.add_view(LetterView, "Urging letters", label=_l("Urging letters"), category="Monitoring",
                        icon="fa-envelope")
    appbuilder.add_view(JobsView, "Background jobs", label=_l("Background jobs"), category="Administration",
                        icon="fa-cogs")
    appbuilder.add_view_no_menu(NotificationView)

    @app.context_processor
    def bell():
        def unread_notifications():
            viewer = current_viewer()
            return notifications.unread_count(viewer) if viewer.user_id else 0
        return {"unread_notifications": unread_notifications, "bell_max": notifications.BELL_MAX}


