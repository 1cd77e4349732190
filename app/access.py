"""The row-level rule (SPEC §1), in one place.

Office roles and the Chairman see every task. Every other user sees the tasks
where their agency is the lead (chủ trì) or a coordinating (phối hợp) agency —
and nothing else, on every surface: lists, detail pages, edits, search, exports,
attachments, the REST API and generated files all call the functions below.
A task a user may not see answers 404, as if it did not exist.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import exists, false, or_, select
from sqlalchemy.sql import ColumnElement

from app.domain.vocabulary import PROVINCE_WIDE_ROLES, Role
from app.extensions import db
from app.models import Document, Task, task_coordinating_agency


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    roles: frozenset[str]
    agency_id: int | None

    @property
    def sees_all(self) -> bool:
        return bool(self.roles & {r.value for r in PROVINCE_WIDE_ROLES})

    def has_role(self, *roles: Role | str) -> bool:
        return bool(self.roles & {str(r) for r in roles})


def scope_key(viewer: Viewer) -> tuple:
    """The explicit name of what a viewer may see, for every cache key: the
    province, one agency, or nothing (never `sees_all or agency_id`: True == 1)."""
    if viewer.sees_all:
        return ("all",)
    if viewer.agency_id is None:
        return ("none",)
    return ("agency", int(viewer.agency_id))


ANONYMOUS = Viewer(user_id=None, roles=frozenset(), agency_id=None)


def viewer_for(user) -> Viewer:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    return Viewer(
        user_id=user.id,
        roles=frozenset(role.name for role in user.roles),
        agency_id=getattr(user, "agency_id", None),
    )


def current_viewer() -> Viewer:
    """The signed-in user's viewer, computed once per request."""
    # FAB's current user: the session's, or the JWT's on the API.
    user = current_app.appbuilder.sm.current_user
    cached = g.get("_viewer")
    if cached is None or cached[0] is not user:
        cached = (user, viewer_for(user))
        g._viewer = cached
    return cached[1]


def agency_branches(session, agency_id: int, *columns, ids_only: bool = False):
    """The same rule for one agency, as two queries (legacy Query objects, so
    FAB's search filters apply to them) whose union is exactly the tasks
    task_condition admits: the tasks it leads, through task(lead_agency_id,
    deadline), and those it coordinates, through task_coordinating_agency
    (agency_id, task_id). A list picks its page from each before joining the
    rest (PERFORMANCE.md); tests/integration/test_task_list.py checks that both
    forms always agree."""
    tca = task_coordinating_agency
    lead = session.query(Task.id, *columns).filter(Task.lead_agency_id == agency_id)
    if ids_only:
        # Only ids, no filter on task to apply: the index alone answers.
        coordinating = session.query(tca.c.task_id.label("id")).filter(tca.c.agency_id == agency_id)
    else:
        coordinating = (session.query(Task.id, *columns)
                        .join(tca, tca.c.task_id == Task.id).filter(tca.c.agency_id == agency_id))
    return lead, coordinating


def task_condition(viewer: Viewer) -> ColumnElement[bool] | None:
    """The SQL condition on Task for this viewer; None means every task."""
    if viewer.sees_all:
        return None
    # A WorkingGroupMember belongs to an agency too and sees its tasks; the
    # inspections of Chương V will add the agencies under a running inspection.
    if viewer.agency_id is None:
        return false()
    tca = task_coordinating_agency
    return or_(
        Task.lead_agency_id == viewer.agency_id,
        Task.id.in_(select(tca.c.task_id).where(tca.c.agency_id == viewer.agency_id)),
    )


def task_condition_per_row(viewer: Viewer) -> ColumnElement[bool] | None:
    """task_condition, written as a per-row EXISTS: for queries that another
    filter already narrows to a few tasks (a user's drafts), where PostgreSQL
    would otherwise hash every coordinating row of the agency (PERFORMANCE.md).
    The same tasks as task_condition (tests/integration/test_task_tally.py)."""
    if viewer.sees_all or viewer.agency_id is None:
        return task_condition(viewer)
    tca = task_coordinating_agency
    return or_(
        Task.lead_agency_id == viewer.agency_id,
        exists().where(tca.c.task_id == Task.id, tca.c.agency_id == viewer.agency_id),
    )


def restrict_tasks(stmt, viewer: Viewer):
    condition = task_condition(viewer)
    return stmt if condition is None else stmt.where(condition)


def restrict_documents(stmt, viewer: Viewer):
    """A document is visible when at least one of its tasks is."""
    condition = task_condition(viewer)
    if condition is None:
        return stmt
    return stmt.where(
        Document.id.in_(select(Task.document_id).where(condition))
    )


def visible_task(task_id, viewer: Viewer | None = None) -> Task | None:
    viewer = viewer or current_viewer()
    try:
        task_id = int(task_id)
    except (TypeError, ValueError):
        return None
    # One task: the rule checked on its row (an IN over the agency's coordinating rows would
    # hash them all, ~100 ms for a big agency at a million tasks; issue 10).
    condition = task_condition_per_row(viewer)
    stmt = select(Task).where(Task.id == task_id)
    return db.session.scalar(stmt if condition is None else stmt.where(condition))


def visible_document(document_id, viewer: Viewer | None = None) -> Document | None:
    viewer = viewer or current_viewer()
    try:
        document_id = int(document_id)
    except (TypeError, ValueError):
        return None
    condition = task_condition_per_row(viewer)
    stmt = select(Document).where(Document.id == document_id)
    if condition is not None:  # one of its (few) tasks is visible, checked row by row
        stmt = stmt.where(exists().where(Task.document_id == Document.id, condition))
    return db.session.scalar(stmt)

