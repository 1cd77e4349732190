"""What waits for each role (issue: lifecycle): counts first, oldest first."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.access import Viewer, restrict_tasks, scope_key
from app.domain.lifecycle import HEAD_ROLES, OFFICE_ROLES
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import DelayReport, ExtensionRequest, Feedback, Task, TaskUpdate

SHOWN = 8


@dataclass
class Section:
    key: str
    title: str
    count: int
    tasks: list = field(default_factory=list)  # (task, since) pairs, oldest first
    status: str | None = None  # the task list filtered by this status shows them all


def _section(key, title, stmt, since, viewer: Viewer, status=None) -> Section:
    stmt = restrict_tasks(stmt, viewer)
    count = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.with_only_columns(Task.id, since).order_by(since, Task.id).limit(SHOWN)).all() \
        if count else []
    return Section(key, str(title), count, [(row[0], row[1]) for row in rows], status)


def inbox(viewer: Viewer) -> list[Section]:
    """The sections with their tasks; the counts and ids are cached until a task,
    an update, a feedback, an extension request or a delay report changes."""
    from app.services.dashboard import cached

    sections = cached(("inbox", viewer.user_id, viewer.roles, viewer.agency_id, scope_key(viewer)), lambda: _sections(viewer))
    ids = {task_id for section in sections for task_id, _ in section.tasks}
    tasks = {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(ids)).options(
        selectinload(Task.lead_agency), selectinload(Task.document)))} if ids else {}
    return [Section(s.key, s.title, s.count, [(tasks[i], since) for i, since in s.tasks if i in tasks], s.status)
            for s in sections]


def _sections(viewer: Viewer) -> list[Section]:
    sections = []
    if viewer.roles & OFFICE_ROLES:
        sections += [
            _section("confirm", _l("Results to confirm"), select(Task).where(Task.status == "reported"),
                     Task.result_submitted_at, viewer, "reported"),
            _section("feedback", _l("Returned tasks to correct or transfer"),
                     select(Task).where(Task.status == "returned"),
                     select(func.max(Feedback.created_at)).where(Feedback.task_id == Task.id)
                     .scalar_subquery(), viewer, "returned"),
            _section("send", _l("Drafts to send"), select(Task).where(Task.status == "draft"),
                     Task.created_on, viewer, "draft"),
        ]
    if viewer.roles & OFFICE_ROLES:
        from app.services.delay_reports import visible_reports

        reports = visible_reports(viewer).where(DelayReport.status == "open")
        count = db.session.scalar(select(func.count()).select_from(reports.subquery()))
        rows = db.session.execute(reports.with_only_columns(Task.id, DelayReport.due_on)
                                  .order_by(DelayReport.due_on).limit(SHOWN)).all() if count else []
        sections.append(Section("delay_reports", str(_l("Delay reports to handle within 2 working days")),
                                count, [(task_id, due) for task_id, due in rows]))
    if Role.Chairman.value in viewer.roles or viewer.roles & OFFICE_ROLES:
        stmt = (select(Task).join(ExtensionRequest, ExtensionRequest.task_id == Task.id)
                .where(ExtensionRequest.status == "pending"))
        title = (_l("Extension requests to decide") if Role.Chairman.value in viewer.roles
                 else _l("Extension requests waiting for the Chairman"))
        sections.append(_section("extensions", title, stmt, ExtensionRequest.requested_at, viewer))
    if viewer.agency_id is not None:
        lead = Task.lead_agency_id == viewer.agency_id
        if viewer.roles & HEAD_ROLES:
            sections.append(_section("receive", _l("Tasks to receive"),
                                     select(Task).where(lead, Task.status == "assigned"), Task.sent_at,
                                     viewer, "assigned"))
            drafts = (select(Task).join(TaskUpdate, TaskUpdate.task_id == Task.id)
                      .where(TaskUpdate.draft.is_(True), TaskUpdate.agency_id == viewer.agency_id))
            sections.append(_section("drafts", _l("Drafts of your staff to post"), drafts,
                                     TaskUpdate.created_at, viewer))
        sections.append(_section("in_progress", _l("Tasks being carried out"),
                                 select(Task).where(lead, Task.status == "in_progress"), Task.deadline,
                                 viewer, "in_progress"))
    return sections
