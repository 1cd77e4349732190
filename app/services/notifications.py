"""In-app notifications (the bell) and who gets them. Producers insert with a
dedupe key, so running one twice notifies nobody twice."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, func, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite

from app.access import Viewer
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import AppUser, Notification, Task, local_now

KIND_TITLE = {
    "due_soon": _l("Task due soon"),
    "due_today": _l("Task due today"),
    "overdue": _l("Task overdue"),
    "delay_report": _l("Delay report received"),
    "delay_report_copy": _l("Your delay report was handled"),
    "urging_letter": _l("Urging letter"),
    "escalation": _l("Delay report for your direction"),
    "report_late": _l("Periodic report past due"),  # was shown as its identifier
    # Intake (issue 12)
    "incoming": _l("Incoming document to register"),
    "incoming_message": _l("Later message about a document"),
}
# Asking for direction (issue 13).
KIND_TITLE.update({
    "report_request": _l("Ad-hoc report asked"),
    "report_request_late": _l("Ad-hoc report past due"),
    "report_answer": _l("Ad-hoc report answered"),
    "difficulty": _l("Difficulty reported on a task"),
    "disagreement": _l("Disagreement recorded on a task"),
    "issue_answered": _l("The Office answered a difficulty"),
    "proposal_submitted": _l("Proposal for your direction"),
    "direction": _l("The Chairman's direction"),
    "short_time": _l("Little time left on a higher authority's task"),
    "ladder_reminder": _l("Reminder from the Office: task overdue"),
    # Art. 5.2.b: the Chairman directed a transfer; the Office has not sent the task yet.
    "transfer_to_send": _l("Transfer directed by the Chairman: send the task to its new lead agency"),
})


def _event_titles():
    from app.services.events import EVENT_TITLE

    return EVENT_TITLE
AGENCY_ROLES = (Role.AgencyHead.value, Role.AgencyStaff.value, Role.CommuneChair.value)


def insert_ignoring_duplicates(select_stmt, columns: list[str]) -> int:
    """INSERT … SELECT that skips rows whose (user_id, dedupe_key) exists."""
    dialect = db.engine.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Notification).from_select(columns, select_stmt).on_conflict_do_nothing(
        index_elements=["user_id", "dedupe_key"])
    if dialect == "postgresql":  # psycopg reports no rowcount here: count what was inserted
        inserted = stmt.returning(Notification.id).cte("inserted")
        return db.session.scalar(select(func.count()).select_from(inserted)) or 0
    return db.session.execute(stmt).rowcount or 0


def agency_users(agency_column, roles=AGENCY_ROLES):
    """(user id, agency) pairs of active users with these roles: a join target."""
    from flask_appbuilder.security.sqla.models import Role as FabRole, assoc_user_role

    return (select(AppUser.id.label("user_id"), AppUser.agency_id.label("agency_id"))
            .join(assoc_user_role, assoc_user_role.c.user_id == AppUser.id)
            .join(FabRole, FabRole.id == assoc_user_role.c.role_id)
            .where(AppUser.active.is_(True), FabRole.name.in_(roles)).distinct().subquery())


def role_users(roles):
    """SELECT user_id of the active users holding any of these roles."""
    from flask_appbuilder.security.sqla.models import Role as FabRole, assoc_user_role

    return (select(AppUser.id.label("user_id"))
            .join(assoc_user_role, assoc_user_role.c.user_id == AppUser.id)
            .join(FabRole, FabRole.id == assoc_user_role.c.role_id)
            .where(AppUser.active.is_(True), FabRole.name.in_(roles)))


def users_with_roles(roles) -> list[int]:
    return list(db.session.scalars(role_users(roles).distinct()))


def notify(user_ids, *, kind: str, key: str, message: str, link: str | None = None,
           task_id: int | None = None, day: dt.date | None = None) -> int:
    """Notify these users once per key."""
    from app.services.calendar import today

    rows = 0
    for user_id in set(u for u in user_ids if u):
        stmt = select(literal(user_id), literal(kind), literal(key), literal(task_id), literal(day or today()),
                      literal(message), literal(link), literal(local_now()))
        rows += insert_ignoring_duplicates(stmt, ["user_id", "kind", "dedupe_key", "task_id", "day", "message",
                                                  "link", "created_at"])
    return rows


def agency_user_ids(agency_id: int, roles=AGENCY_ROLES) -> list[int]:
    users = agency_users(AppUser.agency_id, roles)
    return list(db.session.scalars(select(users.c.user_id).where(users.c.agency_id == agency_id)))


# The bell counts up to this and then shows "99+": an Office officer tracking much of a
# province gets a reminder a task a day (Art. 10), and counting 300,000 unread rows cost
# 40 ms on every page at a million tasks (issue 10); reading the first 100 costs nothing.
BELL_MAX = 99


def unread_counted(user_id):
    """The user's unread notifications, counted up to BELL_MAX + 1 (a scalar subquery)."""
    first = (select(Notification.id).where(Notification.user_id == user_id, Notification.read_at.is_(None))
             .limit(BELL_MAX + 1).subquery())
    return select(func.count()).select_from(first).scalar_subquery()


def unread_count(viewer: Viewer) -> int:
    """Unread notifications up to BELL_MAX + 1 (the bell shows more than BELL_MAX as "99+")."""
    if not viewer.user_id:
        return 0
    from app.versions import noted

    known = noted("unread")
    if known is not None and known[0] == viewer.user_id:  # read with the user (app/security.py)
        return known[1]
    return db.session.scalar(select(unread_counted(viewer.user_id))) or 0


def recent(viewer: Viewer, limit: int = 50) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.user_id == viewer.user_id)
                              .order_by(Notification.id.desc()).limit(limit)).all()


def mark_read(viewer: Viewer, notification_id: int | None = None) -> int:
    """Mark one (or all) of the viewer's notifications read."""
    condition = and_(Notification.user_id == viewer.user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        condition = and_(condition, Notification.id == notification_id)
    done = db.session.execute(update(Notification).where(condition).values(read_at=local_now())).rowcount
    db.session.commit()
    return done


def title(notification: Notification) -> str:
    label = KIND_TITLE.get(notification.kind) or _event_titles().get(notification.kind, notification.kind)
    return str(label)


def reminder_rows(kind: str, deadlines: list[dt.date], day: dt.date, open_statuses):
    """The (user, task) rows of one reminder kind: the lead agency's head, staff
    and chair, and the tracking officer, of every open task with these deadlines."""
    users = agency_users(AppUser.agency_id)
    key_prefix = f"reminder:{kind}:{day.isoformat()}:"
    base = (Task.deadline.in_(deadlines), Task.status.in_(open_statuses))
    columns = lambda user_col: (  # noqa: E731
        user_col, literal(kind), literal(key_prefix) + cast(Task.id, String), Task.id, literal(day),
        func.substr(Task.content, 1, 300), literal("/tasks/show/") + cast(Task.id, String),
        literal(local_now()))
    agency_side = select(*columns(users.c.user_id)).join(users, users.c.agency_id == Task.lead_agency_id).where(*base)
    officer_side = select(*columns(Task.tracking_officer_id)).where(*base, Task.tracking_officer_id.is_not(None))
    return agency_side, officer_side


NOTIFICATION_COLUMNS = ["user_id", "kind", "dedupe_key", "task_id", "day", "message", "link", "created_at"]


# Inspections (Chương V): the titles of their notifications.
KIND_TITLE.update({
    "inspection_to_issue": _l("Inspection decision to issue"),
    "inspection_sent_back": _l("Inspection decision sent back"),
    "inspection_issued": _l("Inspection decision issued"),
    "inspection_request": _l("Working Group request"),
    "inspection_invitation": _l("Invitation to the Working Group"),
    "inspection_plan": _l("Working Group plan"),
    "inspection_agency_report": _l("Inspected agency's report received"),
    "inspection_reported": _l("Inspection result report"),
    "inspection_report_due": _l("Inspection result report due"),
})
KIND_TITLE.update({  # the year's inspection plan (Chương V, Art. 13.1.a)
    "inspection_plan_to_approve": _l("Inspection plan to approve"),
    "inspection_plan_decided": _l("Inspection plan decided"),
})
