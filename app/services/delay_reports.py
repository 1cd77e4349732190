"""Delay reports (Art. 18.5, 19.3): an agency tells the Office that another
agency is late or not meeting requirements on a task. Within 2 working days
after receipt the Office issues an urging letter to that agency or reports to
the Chairman for direction, and either way copies the reporting agency."""
from __future__ import annotations

import datetime as dt

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.access import Viewer, restrict_tasks, visible_task
from app.domain.lifecycle import OFFICE_ROLES
from app.domain.reminders import delay_report_due
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import Agency, DelayReport, Task, local_now
from app.services import attachments
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from app.services.notifications import agency_user_ids, notify, users_with_roles

REPORTING_ROLES = frozenset({Role.AgencyHead.value, Role.CommuneChair.value})


def file_report(task_id, *, viewer: Viewer, description: str, received_on: dt.date | None = None,
                concerned_agency_id: int | None = None, reporting_agency_id: int | None = None,
                files=()) -> DelayReport:
    """An agency head files a report about another agency on a task it can see;
    the Office records one received on paper (naming the reporting agency)."""
    task = visible_task(task_id, viewer)
    if task is None:
        raise NotFound(_l("No such task."))
    g.acting_user_id = viewer.user_id
    office = bool(viewer.roles & OFFICE_ROLES)
    if not office and not viewer.roles & REPORTING_ROLES:
        raise Forbidden(_l("The head of an agency files a delay report; the Office records those received on paper."))
    errors = FieldErrors()
    if not errors.text("description", description, _l("Description")):  # issue 8, finding 10
        errors.raise_if_any()
    reporter = reporting_agency_id if office else viewer.agency_id
    parties = {task.lead_agency_id} | {a.id for a in task.coordinating_agencies}
    if not office and reporter not in parties:
        # Inspections (Chương V): a Working Group member sees an inspected agency's task
        # read-only; only an agency on the task reports on it (Art. 19.3).
        raise Forbidden(_l("Only an agency on this task reports a delay on it."))
    concerned = concerned_agency_id or (task.lead_agency_id if task.lead_agency_id != reporter else None)
    if reporter is None or db.session.get(Agency, reporter) is None:
        errors.add("reporting_agency_id", _l("Name the agency that reported the delay."))
    if concerned is None or concerned not in parties:
        errors.add("concerned_agency_id",
                   _l("Choose the agency that is late: the lead or a coordinating agency of the task."))
    elif concerned == reporter:
        errors.add("concerned_agency_id", _l("An agency does not report its own delay here."))
    if not (description or "").strip():
        errors.add("description", _l("Describe what is late or not meeting requirements."))
    received_on = received_on or today()
    if not errors.date_in_range("received_on", received_on, _l("Date received")):
        received_on = today()  # refused below; keeps the due-date computation in range
    elif received_on > today():
        errors.add("received_on", _l("The date received cannot be in the future."))
    checked = attachments.check_files(files, errors)
    errors.raise_if_any()
    report = DelayReport(task_id=task.id, reporting_agency_id=reporter, concerned_agency_id=concerned,
                         received_on=received_on, due_on=delay_report_due(current_calendar(), received_on),
                         description=description.strip(), created_by_id=viewer.user_id, status="open")
    db.session.add(report)
    db.session.flush()
    attachments.store(checked, task=task, uploaded_by_id=viewer.user_id)
    # The tracking officer (or, without one, the Office's leaders) must act within 2 working days.
    officers = [task.tracking_officer_id] if task.tracking_officer_id else users_with_roles([Role.OfficeLeader.value])
    notify(officers, kind="delay_report", key=f"delay_report:{report.id}", task_id=task.id,
           message=report.description[:300], link=f"/delay-reports/show/{report.id}")
    db.session.commit()
    return report


def visible_reports(viewer: Viewer):
    """The reports on tasks the viewer may see (the row-level rule of app.access)."""
    return restrict_tasks(select(DelayReport).join(Task, Task.id == DelayReport.task_id), viewer)


def visible_report(report_id, viewer: Viewer) -> DelayReport | None:
    try:
        report_id = int(report_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(visible_reports(viewer).where(DelayReport.id == report_id))


def _open_report(report_id, viewer: Viewer) -> DelayReport:
    report = visible_report(report_id, viewer)
    if report is None:
        raise NotFound(_l("No such delay report."))
    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office handles delay reports."))
    if report.status != "open":
        raise Conflict(_l("This delay report has already been handled."))
    g.acting_user_id = viewer.user_id
    return report


def _claim(report: DelayReport, status: str, viewer: Viewer) -> None:
    """One outcome per delay report (Art. 18.5: urge *or* report to the Chairman): the row
    changes only while it is still open, so of two Office officials acting at once one wins
    and the other is told, instead of both applying or the second failing with a 500."""
    done = db.session.execute(
        update(DelayReport).where(DelayReport.id == report.id, DelayReport.status == "open")
        .values(status=status, handled_at=local_now(), handled_by_id=viewer.user_id)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This delay report has already been handled."))
    db.session.refresh(report)


def _copy_reporter(report: DelayReport, what: str) -> None:
    notify(agency_user_ids(report.reporting_agency_id, (Role.AgencyHead.value, Role.CommuneChair.value)),
           kind="delay_report_copy", key=f"delay_report_copy:{report.id}", task_id=report.task_id,
           message=what, link=f"/tasks/show/{report.task_id}")


def urge(report_id, *, viewer: Viewer):
    """Draft an urging letter to the agency concerned (a job renders it); the
    report counts as handled and the reporting agency gets a copy."""
    from app.services.letters import draft_letter

    report = _open_report(report_id, viewer)
    _claim(report, "urged", viewer)
    letter = draft_letter(report.concerned_agency_id, [report.task_id], viewer=viewer,
                          batch_key=f"delay-report-{report.id}", commit=False)
    report.letter_id = letter.id
    _copy_reporter(report, str(_l("The Office is urging %(agency)s (letter drafted).",
                                  agency=report.concerned_agency.name)))
    db.session.commit()
    from app.services.letters import schedule_render

    schedule_render(letter.id)
    return letter


def escalate(report_id, *, viewer: Viewer, note: str) -> DelayReport:
    """Report to the Chairman for direction (Art. 18.5)."""
    report = _open_report(report_id, viewer)
    if not (note or "").strip():
        raise Invalid(_l("Write what the Chairman is asked to direct."), {"note": [_l("Required.")]})
    _claim(report, "escalated", viewer)
    report.handling_note = note.strip()
    notify(users_with_roles([Role.Chairman.value]), kind="escalation", key=f"escalation:{report.id}",
           task_id=report.task_id, message=note.strip()[:300], link=f"/tasks/show/{report.task_id}")
    _copy_reporter(report, str(_l("The Office reported the delay to the Chairman for direction.")))
    db.session.commit()
    return report


def status_counts(viewer: Viewer) -> dict:
    """Open reports near (due today or tomorrow's working day) and past their due date."""
    now = today()
    near = current_calendar().add_working_days(now, 1)
    rows = db.session.scalars(visible_reports(viewer).where(DelayReport.status == "open")
                              .with_only_columns(DelayReport.due_on)).all()
    return {"open": len(rows), "overdue": sum(1 for d in rows if d < now),
            "near": sum(1 for d in rows if now <= d <= near)}
