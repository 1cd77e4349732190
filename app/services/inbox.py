"""What waits for each role (issue: lifecycle): counts first, oldest first."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import BigInteger, Date, DateTime, Integer, String, cast, exists, func, literal, null, select, union_all
from sqlalchemy.orm import joinedload

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
             per_row=False) -> "_Plan":
    """own_lead: stmt already keeps only tasks the viewer's agency leads, which it
    sees (the row-level rule adds nothing but a slower plan); tallied: stmt is
    `status == status` (and own_lead), so the count is the tallies' (migration 0009);
    per_row: stmt selects few tasks, the rule is checked per row (access.task_condition_per_row).
    Nothing is run here: every section's count and first rows are one statement (_run)."""
    if per_row:
        condition = task_condition_per_row(viewer)
        stmt = stmt if condition is None else stmt.where(condition)
    elif not own_lead:
        stmt = restrict_tasks(stmt, viewer)
    if tallied and status and task_tally.available(db.session, scope_key(viewer)):
        count = task_tally.count_select(scope_key(viewer), [status], lead_only=own_lead)
    else:
        count = select(func.count()).select_from(stmt.order_by(None).subquery())
    return _Plan(key, str(title), status, count, [(stmt, since)])


@dataclass
class _Plan:
    key: str
    title: str
    status: str | None
    count: object  # a scalar SELECT
    rows: list  # (stmt, since): its first SHOWN tasks by since then id; the next only fills up


def _rows_part(key, part, stmt, since):
    rank = func.row_number().over(order_by=(since, Task.id))
    inner = (stmt.with_only_columns(Task.id.label("task_id"), since.label("since"), rank.label("rank"))
             .order_by(since, Task.id).limit(SHOWN).subquery())
    kind = type(since.type)
    at = inner.c.since if issubclass(kind, DateTime) else cast(null(), DateTime)
    on = inner.c.since if issubclass(kind, Date) and not issubclass(kind, DateTime) else cast(null(), Date)
    return select(literal(key, String).label("key"), literal(part, Integer).label("part"),
                  cast(null(), BigInteger).label("n"), inner.c.task_id, at.label("since_at"), on.label("since_on"),
                  cast(inner.c.rank, BigInteger).label("rank"))


def _run(plans: list[_Plan]) -> list[Section]:
    """Every section's count and its first rows: one statement, whatever the role (issue 10)."""
    if not plans:
        return []
    parts = []
    for plan in plans:
        parts.append(select(literal(plan.key, String).label("key"), literal(0, Integer).label("part"),
                            cast(plan.count.scalar_subquery(), BigInteger).label("n"),
                            cast(null(), Integer).label("task_id"), cast(null(), DateTime).label("since_at"),
                            cast(null(), Date).label("since_on"), cast(null(), BigInteger).label("rank")))
        parts += [_rows_part(plan.key, i + 1, stmt, since) for i, (stmt, since) in enumerate(plan.rows)]
    counts, rows = {}, {}
    for row in db.session.execute(union_all(*parts)):
        if row.part == 0:
            counts[row.key] = int(row.n or 0)
        else:
            since = row.since_at if row.since_at is not None else row.since_on
            rows.setdefault(row.key, []).append((row.part, row.rank, row.task_id, since))
    sections = []
    for plan in plans:
        count = counts.get(plan.key, 0)
        found = sorted(rows.get(plan.key, [])) if count else []
        sections.append(Section(plan.key, plan.title, count, [(i, since) for _p, _r, i, since in found][:SHOWN],
                                plan.status))
    return sections


def inbox(viewer: Viewer) -> list[Section]:
    """The sections with their tasks; the counts and ids are cached until a task,
    an update, a feedback, an extension request or a delay report changes."""
    from app.services.dashboard import cached

    sections = cached(("inbox", viewer.user_id, viewer.roles, viewer.agency_id, scope_key(viewer)), lambda: _sections(viewer))
    ids = {task_id for section in sections for task_id, _ in section.tasks}
    tasks = {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(ids)).options(
        joinedload(Task.lead_agency), joinedload(Task.document)))} if ids else {}  # one statement
    return [Section(s.key, s.title, s.count, [(tasks[i], since) for i, since in s.tasks if i in tasks], s.status)
            for s in sections]


def _returned_section(viewer: Viewer) -> _Plan:
    """Returned tasks, oldest latest feedback first, then those without feedback
    by id: picked from the feedback rows (few) rather than a subquery per returned task."""
    plan = _section("feedback", _l("Returned tasks to correct or transfer"),
                    select(Task).where(Task.status == "returned"), Task.id, viewer, "returned", tallied=True)
    latest = func.max(Feedback.created_at)
    plan.rows = [
        (restrict_tasks(select(Task.id).join(Feedback, Feedback.task_id == Task.id)
                        .where(Task.status == "returned").group_by(Task.id), viewer), latest),
        (restrict_tasks(select(Task.id).where(Task.status == "returned",
                                              ~exists().where(Feedback.task_id == Task.id)), viewer),
         cast(null(), DateTime)),
    ]
    return plan


def _sections(viewer: Viewer) -> list[Section]:
    return _run(_plans(viewer))


def _plans(viewer: Viewer) -> list[_Plan]:
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
        sections.append(_Plan("delay_reports", str(_l("Delay reports to handle within 2 working days")), None,
                              select(func.count()).select_from(reports.subquery()),
                              [(reports, DelayReport.due_on)]))
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
