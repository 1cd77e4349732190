"""Difficulties and disagreements on a task (Art. 19.2, 10.1.b–c).

A commune chair (or any agency head) whose agency leads or coordinates a task
reports that it exceeds its means or meets difficulties, with what it proposes;
the Office and the agencies concerned are told. The Office records where agencies
disagree. Either one is answered by the Office directly, or becomes part of a
proposal to the Chairman (app.services.proposals); each step is on the task's
timeline. Visible to whoever may see the task (app.access).
"""
from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, literal, select, union, update
from sqlalchemy.orm import selectinload

from app.access import Viewer, restrict_tasks, visible_task
from app.domain import direction as rules
from app.domain.direction import DirectionError, IssueKind, IssueStatus
from app.domain.lifecycle import HEAD_ROLES, OFFICE_ROLES
from app.domain.text import TEXT_MAX
from app.extensions import db
from app.models import AppUser, Task, local_now, task_coordinating_agency
from app.models_direction import TaskIssue
from app.services.calendar import today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from app.services.notifications import NOTIFICATION_COLUMNS, agency_users, insert_ignoring_duplicates, role_users


def visible_issues(viewer: Viewer):
    return restrict_tasks(select(TaskIssue).join(Task, Task.id == TaskIssue.task_id), viewer)


def visible_issue(issue_id, viewer: Viewer) -> TaskIssue | None:
    try:
        issue_id = int(issue_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(visible_issues(viewer).where(TaskIssue.id == issue_id))


def _concerned(task: Task, *, office: bool = True, agencies: bool = True):
    """The tracking officer (or, without one, the Office's leaders) and the heads of the
    task's lead and coordinating agencies: all of them may see the task."""
    sets = []
    if office:
        if task.tracking_officer_id:
            sets.append(select(literal(task.tracking_officer_id, Integer).label("user_id")))
        else:
            sets.append(role_users(("OfficeLeader",)))
    if agencies:
        heads = agency_users(AppUser.agency_id, tuple(HEAD_ROLES))
        sets.append(select(heads.c.user_id).where(heads.c.agency_id == task.lead_agency_id))
        sets.append(select(heads.c.user_id).join(
            task_coordinating_agency, task_coordinating_agency.c.agency_id == heads.c.agency_id)
            .where(task_coordinating_agency.c.task_id == task.id))
    return sets


def _notify(task: Task, sets, *, kind: str, key: str, message: str, actor_id: int | None) -> int:
    everyone = union(*sets).subquery()
    user_id = everyone.c[0]
    rows = select(user_id, literal(kind), literal(key), literal(task.id, Integer), literal(today()),
                  literal(message[:300]), literal(f"/tasks/show/{task.id}"), literal(local_now())
                  ).where(user_id.is_not(None))
    if actor_id:
        rows = rows.where(user_id != actor_id)
    return insert_ignoring_duplicates(rows.distinct(), NOTIFICATION_COLUMNS)


def _check_text(errors: FieldErrors, name: str, value: str, label, required_message) -> str:
    value = (value or "").strip()
    if required_message and not value:
        errors.add(name, required_message)
    errors.text_fits(name, value, label, TEXT_MAX)
    return value


def report_difficulty(task_id, *, viewer: Viewer, body: str, proposal: str | None = None) -> TaskIssue:
    """Art. 19.2: a head of an agency on the task reports a difficulty and what it proposes."""
    task = visible_task(task_id, viewer)
    if task is None:
        raise NotFound(_l("No such task."))
    coordinating = frozenset(a.id for a in task.coordinating_agencies)
    if not rules.may_report_difficulty(viewer.roles, viewer.agency_id, task.lead_agency_id, coordinating):
        raise Forbidden(_l("The head (or chair) of an agency that leads or coordinates the task reports "
                           "its difficulties (Art. 19.2)."))
    if task.status in ("draft", "completed", "withdrawn"):
        raise Conflict(_l("Difficulties are reported while the task is being carried out."))
    g.acting_user_id = viewer.user_id
    errors = FieldErrors()
    body = _check_text(errors, "body", body, _l("Difficulty"), _l("Describe the difficulty."))
    proposal = _check_text(errors, "proposal", proposal, _l("What the agency proposes"), None)
    errors.raise_if_any()
    issue = TaskIssue(task_id=task.id, kind=IssueKind.difficulty.value, agency_id=viewer.agency_id, body=body,
                      proposal_text=proposal or None, status=IssueStatus.open.value, created_by_id=viewer.user_id,
                      created_at=local_now())
    db.session.add(issue)
    db.session.flush()
    _notify(task, _concerned(task), kind="difficulty", key=f"difficulty:{issue.id}", message=body,
            actor_id=viewer.user_id)
    db.session.commit()
    return issue


def record_disagreement(task_id, *, viewer: Viewer, body: str, positions: str) -> TaskIssue:
    """Art. 10.1.c: the Office records where agencies disagree, with each one's position."""
    task = visible_task(task_id, viewer)
    if task is None:
        raise NotFound(_l("No such task."))
    if not rules.may_record_disagreement(viewer.roles):
        raise Forbidden(_l("The Office records disagreements between agencies."))
    g.acting_user_id = viewer.user_id
    errors = FieldErrors()
    body = _check_text(errors, "body", body, _l("What the agencies disagree on"), _l("Say what the agencies disagree on."))
    positions = _check_text(errors, "positions", positions, _l("Positions"), _l("Give the position of each agency."))
    errors.raise_if_any()
    issue = TaskIssue(task_id=task.id, kind=IssueKind.disagreement.value, agency_id=None, body=body,
                      proposal_text=positions, status=IssueStatus.open.value, created_by_id=viewer.user_id,
                      created_at=local_now())
    db.session.add(issue)
    db.session.flush()
    _notify(task, _concerned(task, office=False), kind="disagreement", key=f"disagreement:{issue.id}",
            message=body, actor_id=viewer.user_id)
    db.session.commit()
    return issue


def _claim(issue: TaskIssue, **values) -> None:
    """One outcome per issue (answered or proposed): the row changes only while open."""
    done = db.session.execute(update(TaskIssue).where(TaskIssue.id == issue.id, TaskIssue.status == "open")
                              .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This difficulty has already been answered or proposed to the Chairman."))


def answer_issue(issue_id, *, viewer: Viewer, answer: str) -> TaskIssue:
    """The Office answers directly (Art. 10.1.b); the agencies on the task are told."""
    issue = visible_issue(issue_id, viewer)
    if issue is None:
        raise NotFound(_l("No such difficulty."))
    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office answers a difficulty or proposes it to the Chairman."))
    try:
        rules.check_issue_handling(issue.status)
    except DirectionError:
        raise Conflict(_l("This difficulty has already been answered or proposed to the Chairman."))
    g.acting_user_id = viewer.user_id
    errors = FieldErrors()
    answer = _check_text(errors, "answer", answer, _l("Answer"), _l("Write the Office's answer."))
    errors.raise_if_any()
    _claim(issue, status=IssueStatus.answered.value, answer=answer, handled_by_id=viewer.user_id,
           handled_at=local_now())
    db.session.refresh(issue)
    _notify(issue.task, _concerned(issue.task, office=False), kind="issue_answered", key=f"issue_answered:{issue.id}",
            message=answer, actor_id=viewer.user_id)
    db.session.commit()
    return issue


def mark_proposed(issue_ids, proposal_id: int, viewer: Viewer, task_ids: set[int]) -> None:
    """Part of the proposal's transaction: each issue must be open and on one of its tasks."""
    for issue_id in issue_ids:
        issue = visible_issue(issue_id, viewer)
        if issue is None or issue.task_id not in task_ids:
            db.session.rollback()
            message = _l("The difficulty #%(id)s is not one of the tasks proposed.", id=issue_id)
            raise Invalid(message, {"issue_ids": [message]})
        _claim(issue, status=IssueStatus.proposed.value, proposal_id=proposal_id, handled_by_id=viewer.user_id,
               handled_at=local_now())


def issues_of(task: Task) -> list[TaskIssue]:
    """The task's difficulties and disagreements with who wrote and answered them, read once per
    request (its page's panel and its timeline)."""
    from app.versions import once

    return once("issues_of", task.id, lambda: db.session.scalars(
        select(TaskIssue).where(TaskIssue.task_id == task.id).order_by(TaskIssue.id)
        .options(selectinload(TaskIssue.created_by), selectinload(TaskIssue.agency),
                 selectinload(TaskIssue.handled_by))).all())
