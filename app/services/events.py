"""Lifecycle events and who is told of them (Art. 5, 10, 18): one place maps
each event to its recipients. The services call `emit` inside the transaction
of the change, so the bell rows commit (or roll back) with it; each insert is
set-based (INSERT … SELECT over the recipients) and carries a dedupe key, so an
event notifies each recipient once. Mail follows after commit (`after_commit`
enqueues the dispatch job; the cron dispatch catches up if Redis is down).

Recipients are chosen only among those the row-level rule (app.access) lets see
the task: the lead and coordinating agencies' users, the tracking officer, the
Office and the Chairman. The former lead of a transferred task no longer sees
it, so its notification carries no task and no link."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, literal, select, union

from app.domain.lifecycle import OFFICE_ROLES
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import AppUser, Task, local_now, task_coordinating_agency
from app.services.calendar import today
from app.services.notifications import NOTIFICATION_COLUMNS, agency_users, insert_ignoring_duplicates, role_users


EVENT_TITLE = {
    "task_sent": _l("New task assigned"),
    "task_received": _l("Task received by the lead agency"),
    "task_returned": _l("Task returned with feedback"),
    "task_reported": _l("Result submitted"),
    "task_confirmed": _l("Result confirmed"),
    "task_refused": _l("Result refused"),
    "task_transferred": _l("Task transferred to another lead agency"),
    "task_withdrawn": _l("Task withdrawn"),
    "extension_asked": _l("Extension asked"),
    "extension_decided": _l("Extension decided"),
    "contribution": _l("Contribution posted"),
    "report_submitted": _l("Periodic report submitted"),
    # The Office corrects a task (Art. 5.1.b, 5.3.a): the officer now tracking it, the agencies
    # now coordinating it, and those no longer coordinating it are told.
    "task_reassigned": _l("You now track this task"),
    "coordination_added": _l("Your agency now coordinates a task"),
    "coordination_removed": _l("Your agency no longer coordinates a task"),
}
EVENTS = tuple(EVENT_TITLE)


def _lead(task_id: int, agency_id=None):
    users = agency_users(AppUser.agency_id)
    if agency_id is not None:
        return select(users.c.user_id).where(users.c.agency_id == agency_id)
    return (select(users.c.user_id).join(Task, Task.lead_agency_id == users.c.agency_id)
            .where(Task.id == task_id))


def _coordinating(task_id: int, agency_ids=None):
    users = agency_users(AppUser.agency_id)
    stmt = (select(users.c.user_id)
            .join(task_coordinating_agency, task_coordinating_agency.c.agency_id == users.c.agency_id)
            .where(task_coordinating_agency.c.task_id == task_id))
    return stmt if agency_ids is None else stmt.where(users.c.agency_id.in_(list(agency_ids) or [0]))


def _agencies(agency_ids):
    users = agency_users(AppUser.agency_id)
    return select(users.c.user_id).where(users.c.agency_id.in_(list(agency_ids) or [0]))


def _user(user_id):
    return select(AppUser.id.label("user_id")).where(AppUser.id == user_id, AppUser.active.is_(True))


def _officer(task_id: int):
    return select(Task.tracking_officer_id.label("user_id")).where(
        Task.id == task_id, Task.tracking_officer_id.is_not(None))


RECIPIENTS = {  # event → the sets of users it concerns
    "task_sent": lambda t, **_: [_lead(t), _coordinating(t)],
    "task_received": lambda t, **_: [_officer(t)],
    "task_returned": lambda t, **_: [_officer(t)],
    "task_reported": lambda t, **_: [_officer(t)],
    "task_confirmed": lambda t, **_: [_lead(t)],
    "task_refused": lambda t, **_: [_lead(t)],
    "task_transferred": lambda t, **_: [_lead(t)],  # the former lead: see emit()
    "task_withdrawn": lambda t, **_: [_lead(t), _coordinating(t)],
    "extension_asked": lambda t, **_: [role_users((Role.Chairman.value,)), _officer(t)],
    "extension_decided": lambda t, **_: [_lead(t), _officer(t)],
    "contribution": lambda t, **_: [_lead(t)],
    "task_reassigned": lambda t, officer_id=None, **_: [_user(officer_id)],
    # Only agencies now in task_coordinating_agency: the row-level rule lets them see it.
    "coordination_added": lambda t, agency_ids=(), **_: [_coordinating(t, agency_ids)],
}


def _insert(recipients, *, kind, key, task_id, message, link, actor_id) -> int:
    everyone = union(*recipients).subquery() if len(recipients) > 1 else recipients[0].subquery()
    user_id = everyone.c[0]
    rows = select(user_id, literal(kind), literal(key), literal(task_id, Integer), literal(today()),
                  literal(message[:300]), literal(link), literal(local_now())).where(user_id.is_not(None))
    if actor_id:
        rows = rows.where(user_id != actor_id)  # nobody is told of their own act
    return insert_ignoring_duplicates(rows.distinct(), NOTIFICATION_COLUMNS)


def emit(event: str, task: Task, *, actor_id: int | None, ref: str | None = None, message: str | None = None,
         former_lead_id: int | None = None, **audience) -> int:
    """Notify the people an event on `task` concerns. `ref` names the event
    uniquely (a version, a request id): the same event never notifies twice."""
    db.session.flush()
    key = f"{event}:{task.id}:{ref if ref is not None else task.version}"
    text = message or f"{task.document.number if task.document else ''} — {task.content}".strip(" —")
    link = f"/tasks/show/{task.id}"
    if event == "coordination_removed":  # they no longer see the task: no task, no link (as the former lead)
        done = _insert([_agencies(audience.get("agency_ids", ()))], kind=event, key=key, task_id=None,
                       message=str(_l("Your agency no longer coordinates the task “%(task)s”.",
                                      task=task.content[:200])), link=None, actor_id=actor_id)
        _schedule_mail()
        return done
    done = _insert(RECIPIENTS[event](task.id, **audience), kind=event, key=key, task_id=task.id, message=text,
                   link=link, actor_id=actor_id)
    if event == "task_transferred" and former_lead_id:
        done += _insert([_lead(task.id, former_lead_id)], kind=event, key=key + ":former", task_id=None,
                        message=str(_l("The task “%(task)s” was transferred to another lead agency.",
                                       task=task.content[:200])), link=None, actor_id=actor_id)
    _schedule_mail()
    return done


def emit_report(report, *, actor_id: int | None) -> int:
    """A periodic report submitted → the Office (Art. 18)."""
    db.session.flush()
    agency = report.agency.name if getattr(report, "agency", None) else ""
    text = str(_l("%(agency)s submitted its periodic report.", agency=agency))
    done = _insert([role_users(tuple(OFFICE_ROLES))], kind="report_submitted", key=f"report_submitted:{report.id}",
                   task_id=None, message=text, link=f"/reports/office/{report.kind}/{report.year}/{report.number or 0}", actor_id=actor_id)
    _schedule_mail()
    return done


def _schedule_mail() -> None:
    """After the commit, enqueue the dispatch of the new notifications' mail."""
    from sqlalchemy import event as sa_event

    session = db.session()
    if session.info.get("mail_scheduled"):
        return
    session.info["mail_scheduled"] = True

    def enqueue_after_commit(_session):
        _session.info.pop("mail_scheduled", None)
        from app.jobs.queue import enqueue
        from app.jobs.tasks import dispatch_mail

        enqueue(dispatch_mail)  # Redis gone: logged there; the cron dispatch sends it later

    def forget(_session):
        _session.info.pop("mail_scheduled", None)

    sa_event.listen(session, "after_commit", enqueue_after_commit, once=True)
    sa_event.listen(session, "after_rollback", forget, once=True)
