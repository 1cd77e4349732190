"""What waits for each role (issue: lifecycle): counts first, oldest first."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, null, select
from sqlalchemy.orm import selectinload

from app.access import Viewer, restrict_tasks, scope_key, task_condition_per_row
from app.domain.lifecycle import HEAD_ROLES, OFFICE_ROLES
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import DelayReport, ExtensionRequest, Feedback, Task, TaskUpdate
from app.services import task_tally

SHOWN = 8


@dataclass
class Section:
    key: str
    title: str
    count: int
    tasks: list = field(default_factory=list)  # (task, since) pairs, oldest first
    status: str | None = None  # the task list filtered by this status shows them all


def _section(key, title, stmt, since, viewer: Viewer, status=None, *, own_lead=False, tallied=False,
             per_row=False) -> Section:
    """own_lead: stmt already keeps only tasks the viewer's agency leads, which it
    sees (the row-level rule adds nothing but a slower plan); tallied: stmt is
    `status == status` (and own_lead), so the count is the tallies' (migration 0009);
    per_row: stmt selects few tasks, the rule is checked per row (access.task_condition_per_row)."""
    if per_row:
        condition = task_condition_per_row(viewer)
        stmt = stmt if condition is None else stmt.where(condition)
    elif not own_lead:
        stmt = restrict_tasks(stmt, viewer)
    if tallied and status and task_tally.available(db.session, scope_key(viewer)):
        count = task_tally.task_count(db.session, scope_key(viewer), [status], lead_only=own_lead)
    else:
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


def _returned_section(viewer: Viewer) -> Section:
    """Returned tasks, oldest latest feedback first, then those without feedback
    by id: picked from the feedback rows (few) rather than a subquery per returned task."""
    section = _section("feedback", _l("Returned tasks to correct or transfer"),
                       select(Task).where(Task.status == "returned"), Task.id, viewer, "returned", tallied=True)
    if not section.count:
        return section
    latest = func.max(Feedback.created_at)
    rows = db.session.execute(restrict_tasks(
        select(Task.id, latest).join(Feedback, Feedback.task_id == Task.id).where(Task.status == "returned")
        .group_by(Task.id).order_by(latest, Task.id).limit(SHOWN), viewer)).all()
    if len(rows) < SHOWN:
        rows += db.session.execute(restrict_tasks(
            select(Task.id, null()).where(Task.status == "returned", ~exists().where(Feedback.task_id == Task.id))
            .order_by(Task.id).limit(SHOWN - len(rows)), viewer)).all()
    section.tasks = [(row[0], row[1]) for row in rows]
    return section


def _sections(viewer: Viewer) -> list[Section]:
    sections = []
    if viewer.roles & OFFICE_ROLES:
        sections += [
            _section("confirm", _l("Results to confirm"), select(Task).where(Task.status == "reported"),
                     Task.result_submitted_at, viewer, "reported", tallied=True),
            _returned_section(viewer),
            _section("send", _l("Drafts to send"), select(Task).where(Task.status == "draft"),
                     Task.created_on, viewer, "draft", tallied=True),
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
                                     viewer, "assigned", own_lead=True, tallied=True))
            drafts = (select(Task).join(TaskUpdate, TaskUpdate.task_id == Task.id)
                      .where(TaskUpdate.draft.is_(True), TaskUpdate.agency_id == viewer.agency_id))
            sections.append(_section("drafts", _l("Drafts of your staff to post"), drafts,
                                     TaskUpdate.created_at, viewer, per_row=True))
        sections.append(_section("in_progress", _l("Tasks being carried out"),
                                 select(Task).where(lead, Task.status == "in_progress"), Task.deadline,
                                 viewer, "in_progress", own_lead=True, tallied=True))
    return sections
