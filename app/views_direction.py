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
from app.domain.lifecycle import OFFICE_ROLES
from app.domain.vocabulary import AgencyKind
from app.extensions import db
from app.form_tokens import one_time
from app.models import Agency
from app.models_direction import ReportRequest
from app.services import report_requests
from app.services.calendar import today
from app.services.errors import Invalid, ServiceError
from app.views import _flash_refusal, _form_date, _form_int, _perform, fmt_date


def short_time_threshold() -> int:
    """Art. 6.3: fewer working days than this between receipt and the deadline is "short"."""
    from flask import current_app

    return int(current_app.config["SHORT_TIME_WORKING_DAYS"])


def short_time_for(document) -> dict | None:
    """A higher authority's document with little time left (Art. 6.3), for its page."""
    from app.domain.vocabulary import Issuer
    from app.services.calendar import current_calendar

    if document.issuer != Issuer.higher_authority.value or document.received_on is None:
        return None
    threshold = short_time_threshold()
    short = [(t, rules.short_time_left(current_calendar(), document.received_on, t.deadline, threshold))
             for t in document.tasks if t.status not in ("completed", "withdrawn")]
    short = [(t, left) for t, left in short if left is not None]
    if not short:
        return None
    return {"threshold": threshold, "left": min(left for _, left in short), "task_ids": [t.id for t, _ in short]}


def _agencies():
    return db.session.scalars(select(Agency).where(Agency.active.is_(True), Agency.kind != AgencyKind.office.value)
                              .order_by(Agency.kind, Agency.name)).all()


def _ids(values) -> list[int]:
    out = []
    for value in values:
        for part in str(value).replace(";", ",").split(","):
            if part.strip().isdecimal():  # not isdigit(): '²' is a digit that int() refuses
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
    @one_time("report_request", lambda: url_for("ReportRequestView.index"))
    def new(self):
        viewer = current_viewer()
        form = request.form
        if request.method == "POST":
            scope = form.get("scope") or "chosen"
            try:
                created = report_requests.create_request(
                    viewer=viewer, subject=form.get("subject", ""), body=form.get("body", ""),
                    agency_ids=[int(a) for a in form.getlist("agency_ids") if a.isdecimal()] if scope == "chosen" else [],
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
            archive, name = report_requests.answers_zip(request_id, current_viewer())
        except report_requests.ArchiveTooLarge as error:
            flash(str(error.message), "danger")  # the request's page, with the message
            return redirect(url_for("ReportRequestView.show", request_id=request_id))
        except ServiceError:
            abort(404)
        # Streamed from the temporary file, closed when the answer is sent.
        return send_file(archive, mimetype="application/zip", as_attachment=True, download_name=name)

    @expose("/file/<int:file_id>")
    @has_access
    @permission_name("list")
    def file(self, file_id):
        try:
            return report_requests.send_direction_file(file_id, current_viewer())
        except ServiceError:
            abort(404)


class IssueView(BaseView):
    """Difficulties (Art. 19.2) and disagreements (Art. 10.1.c) on a task."""

    route_base = "/difficulties"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        from app.models_direction import TaskIssue
        from app.services import difficulties

        viewer = current_viewer()
        rows = db.session.scalars(difficulties.visible_issues(viewer).order_by(TaskIssue.status != "open",
                                                                               TaskIssue.id.desc()).limit(300)
                                  .options(selectinload(TaskIssue.task), selectinload(TaskIssue.agency))).all()
        return self.render_template("direction_issues.html", title=_("Difficulties and disagreements"), rows=rows,
                                    office=bool(viewer.roles & OFFICE_ROLES))

    @expose("/new/<int:task_id>", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    @one_time("task_issue", lambda task_id: url_for("TaskView.show", pk=task_id))
    def new(self, task_id):
        from app.access import visible_task
        from app.services import difficulties

        viewer = current_viewer()
        task = visible_task(task_id, viewer)
        if task is None:
            abort(404)
        office = bool(viewer.roles & OFFICE_ROLES)
        if request.method == "POST":
            form = request.form
            try:
                if office:
                    issue = difficulties.record_disagreement(task_id, viewer=viewer, body=form.get("body", ""),
                                                             positions=form.get("positions", ""))
                else:
                    issue = difficulties.report_difficulty(task_id, viewer=viewer, body=form.get("body", ""),
                                                           proposal=form.get("proposal", ""))
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
            else:
                flash(_("Recorded; the Office and the agencies concerned were told."), "success")
                return redirect(url_for("IssueView.show", issue_id=issue.id))
        return self.render_template("direction_issue_new.html", title=_("Record a disagreement") if office
                                    else _("Report a difficulty"), task=task, office=office)

    @expose("/show/<int:issue_id>")
    @has_access
    @permission_name("list")
    def show(self, issue_id):
        from app.services import difficulties

        viewer = current_viewer()
        issue = difficulties.visible_issue(issue_id, viewer)
        if issue is None:
            abort(404)
        return self.render_template("direction_issue_show.html", title=_("Difficulty"), issue=issue,
                                    office=bool(viewer.roles & OFFICE_ROLES))

    @expose("/answer/<int:issue_id>", methods=["POST"])
    @has_access
    @permission_name("handle")
    def answer(self, issue_id):
        from app.services import difficulties

        return _perform(lambda: difficulties.answer_issue(issue_id, viewer=current_viewer(),
                                                          answer=request.form.get("answer", "")),
                        _("The answer was recorded and the agencies told."),
                        url_for("IssueView.show", issue_id=issue_id))


class ProposalView(BaseView):
    """Proposals to the Chairman (Art. 5.3.d, 18.3) and his directions."""

    route_base = "/proposals"
    default_view = "index"

    @expose("/")
    @has_access
    @permission_name("list")
    def index(self):
        from app.models_direction import Proposal
        from app.services import proposals

        viewer = current_viewer()
        queue = db.session.scalars(proposals.chairman_queue(viewer).options(selectinload(Proposal.items))).all()
        others = db.session.scalars(proposals.visible_proposals(viewer).where(Proposal.status != "submitted")
                                    .order_by(Proposal.id.desc()).limit(200).options(selectinload(Proposal.items))).all()
        return self.render_template("direction_proposals.html", title=_("Proposals to the Chairman"), queue=queue,
                                    others=others, reason_label=proposals.REASON_LABEL,
                                    status_label=proposals.STATUS_LABEL)

    @expose("/new", methods=["GET", "POST"])
    @has_access
    @permission_name("add")
    @one_time("proposal", lambda: url_for("ProposalView.index"))
    def new(self):
        from app.models import Task
        from app.services import proposals

        viewer = current_viewer()
        source = request.form if request.method == "POST" else request.args
        task_ids = _ids(source.getlist("task_ids"))
        issue_ids = _ids(source.getlist("issue_ids"))
        if request.method == "POST":
            try:
                proposal = proposals.draft_proposal(viewer=viewer, task_ids=task_ids, reason=source.get("reason", ""),
                                                    body=source.get("body", ""), issue_ids=issue_ids)
            except ServiceError as error:
                db.session.rollback()
                _flash_refusal(error)
            else:
                flash(_("The proposal was drafted; the Office leader approves it and sends it to the Chairman."),
                      "success")
                return redirect(url_for("ProposalView.show", proposal_id=proposal.id))
        tasks = db.session.scalars(select(Task).where(Task.id.in_(task_ids or [0])).order_by(Task.deadline)
                                   .options(selectinload(Task.lead_agency), selectinload(Task.document))).all()
        return self.render_template("direction_proposal_new.html", title=_("Propose to the Chairman"), tasks=tasks,
                                    issue_ids=issue_ids, reason=source.get("reason", "overdue"),
                                    reason_label=proposals.REASON_LABEL, fmt_date=fmt_date, body=source.get("body", ""))

    @expose("/show/<int:proposal_id>")
    @has_access
    @permission_name("list")
    def show(self, proposal_id):
        from app.services import proposals

        viewer = current_viewer()
        proposal = proposals.visible_proposal(proposal_id, viewer)
        if proposal is None:
            abort(404)
        sm = self.appbuilder.sm
        return self.render_template(
            "direction_proposal_show.html", title=_("Proposal to the Chairman"), proposal=proposal,
            reason_label=proposals.REASON_LABEL, status_label=proposals.STATUS_LABEL,
            decision_label=proposals.DECISION_LABEL, direction_text=proposals.direction_text, fmt_date=fmt_date,
            labels=labels, today=today(), agencies=_agencies(),
            can_submit=sm.has_access("can_submit", "ProposalView") and rules.may_submit_proposal(viewer.roles),
            can_direct=sm.has_access("can_direct", "ProposalView") and rules.may_direct(viewer.roles),
            can_carry_out=sm.has_access("can_carry_out", "ProposalView"))

    @expose("/submit/<int:proposal_id>", methods=["POST"])
    @has_access
    @permission_name("submit")
    def submit(self, proposal_id):
        from app.services import proposals

        return _perform(lambda: proposals.submit_proposal(proposal_id, viewer=current_viewer()),
                        _("Approved and sent to the Chairman."), url_for("ProposalView.show", proposal_id=proposal_id))

    @expose("/direct/<int:proposal_id>", methods=["POST"])
    @has_access
    @permission_name("direct")
    def direct(self, proposal_id):
        from app.services import proposals

        form = request.form
        return _perform(lambda: proposals.give_direction(
            proposal_id, viewer=current_viewer(), task_id=form.get("task_id"), decision=form.get("decision", ""),
            deadline=_form_date(form.get("deadline")), lead_agency_id=_form_int(form.get("lead_agency_id")),
            comment=form.get("comment", "")),
            _("Your direction was recorded, carried out and sent to the agencies concerned."),
            url_for("ProposalView.show", proposal_id=proposal_id))

    @expose("/transfer/<int:proposal_id>", methods=["POST"])
    @has_access
    @permission_name("carry_out")
    def transfer(self, proposal_id):
        from app.services import proposals

        return _perform(lambda: proposals.carry_out_transfer(proposal_id, viewer=current_viewer(),
                                                             task_id=request.form.get("task_id")),
                        _("The task was sent to its new lead agency."),
                        url_for("ProposalView.show", proposal_id=proposal_id))

    @expose("/short-time.json")
    @has_access
    @permission_name("list")
    def short_time(self):
        """Art. 6.3, for the entry screen: the working days between receipt and a deadline."""
        from flask import jsonify

        from app.services.calendar import current_calendar

        threshold = short_time_threshold()
        try:
            received_on = _form_date(request.args.get("received_on"))
            deadline = _form_date(request.args.get("deadline"))
        except Invalid:  # half-typed: no warning yet (the form's own check names the field)
            received_on = deadline = None
        if received_on is None or deadline is None:
            return jsonify(left=None, threshold=threshold, short=False)
        left = rules.short_time_left(current_calendar(), received_on, deadline, threshold)
        return jsonify(left=current_calendar().working_days_between(received_on, deadline), threshold=threshold,
                       short=left is not None)

    @expose("/file/<int:proposal_id>/<kind>")
    @has_access
    @permission_name("list")
    def file(self, proposal_id, kind):
        from app.services import proposals

        try:
            data, mimetype, name = proposals.proposal_file(proposal_id, kind, current_viewer())
        except ServiceError:
            abort(404)
        return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)


class LadderView(BaseView):
    """Climbing one rung for many overdue tasks at once (from the overdue list)."""

    route_base = "/overdue-ladder"

    @expose("/climb", methods=["POST"])
    @has_access
    @permission_name("climb")
    @one_time("ladder_climb", lambda: url_for("OverdueView.index"))
    def climb(self):
        from app.services import ladder

        viewer = current_viewer()
        task_ids = _ids(request.form.getlist("task_ids"))
        step = request.form.get("step")
        back = request.referrer or url_for("OverdueView.index")
        try:
            if step == "reminder":
                n = ladder.remind_now(task_ids, viewer=viewer)
                flash(_("%(n)s reminders sent.", n=n), "success")
            elif step == "letter":
                letters = ladder.draft_letters(task_ids, viewer=viewer)
                flash(_("%(n)s urging letters drafted, one per agency; edit, number and issue them.", n=len(letters)),
                      "success")
                return redirect(url_for("LetterView.index"))
            elif step == "proposal":
                proposal = ladder.draft_proposal(task_ids, viewer=viewer)
                flash(_("One proposal to the Chairman was drafted for the tasks chosen."), "success")
                return redirect(url_for("ProposalView.show", proposal_id=proposal.id))
            else:
                abort(400)
        except ServiceError as error:
            db.session.rollback()
            _flash_refusal(error)
        return redirect(back)


def init_direction(app, appbuilder) -> None:
    from flask_babel import lazy_gettext as _l

    from app.api.direction import DifficultyApi, ProposalApi, ReportRequestApi

    appbuilder.add_view(ReportRequestView, "Ad-hoc reports", label=_l("Ad-hoc report requests"),
                        category="Monitoring", icon="fa-bullhorn")
    appbuilder.add_view(ProposalView, "Proposals to the Chairman", label=_l("Proposals to the Chairman"),
                        category="Monitoring", icon="fa-gavel")
    appbuilder.add_view(IssueView, "Difficulties", label=_l("Difficulties and disagreements"),
                        category="Monitoring", icon="fa-life-ring")
    appbuilder.add_view_no_menu(LadderView)

    @app.context_processor
    def direction_links():
        def direction_for(task):
            """What the task page offers the signed-in user (issue 13)."""
            viewer = current_viewer()
            coordinating = frozenset(a.id for a in task.coordinating_agencies)
            office = bool(viewer.roles & OFFICE_ROLES)
            from app.services import difficulties, proposals

            return {
                "difficulty": rules.may_report_difficulty(viewer.roles, viewer.agency_id, task.lead_agency_id,
                                                          coordinating)
                and task.status not in ("draft", "completed", "withdrawn"),
                "disagreement": office, "propose": office and task.status not in ("completed", "withdrawn"),
                "issues": difficulties.issues_of(task),
                "directions": [d for d in proposals.directions_of(task.id) if d.decided_at],
                "direction_text": proposals.direction_text,
            }
        def short_time(document):
            viewer = current_viewer()
            return short_time_for(document) if viewer.roles & OFFICE_ROLES else None

        def adhoc_reports(period_key):
            """Art. 12, beside the published score: per agency (ad-hoc answers due, on time)."""
            from app.domain.periods import parse_label

            try:
                period = parse_label(period_key)
            except (ValueError, TypeError, KeyError):
                return {}
            return report_requests.adhoc_reporting(period.start, period.end)

        return {"direction_for": direction_for, "direction_short_time": short_time,
                "direction_adhoc_reports": adhoc_reports}
    for api in (ReportRequestApi, DifficultyApi, ProposalApi):
        appbuilder.add_api(api)
