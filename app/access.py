"""The row-level rule (SPEC §1), in one place.

Office roles and the Chairman see every task. Every other user sees the tasks
where their agency is the lead (chủ trì) or a coordinating (phối hợp) agency —
and nothing else, on every surface: lists, detail pages, edits, search, exports,
attachments, the REST API and generated files all call the functions below.
A task a user may not see answers 404, as if it did not exist.

Inspections (Chương V; SPEC §1, §4.8): a member (or the leader) of the Working Group of a
Chairman's inspection also sees, read-only, the tasks of the agencies it inspects, from the
inspection's start date until its result report is submitted. The grant is part of the
viewer (`inspected_agency_ids`), so every surface above follows it, and `scope_key` names it.
Acting on a task is decided by the user's own agency and roles (app.domain.lifecycle.party_of),
never by this grant.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, g
from sqlalchemy import and_, exists, false, or_, select
from sqlalchemy.sql import ColumnElement

from app.domain.vocabulary import PROVINCE_WIDE_ROLES, Role
from app.extensions import db
from app.models import (Document, Inspection, InspectionAgency, InspectionMember, Task, local_now,
                        task_coordinating_agency)


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    roles: frozenset[str]
    agency_id: int | None
    # Agencies under a running inspection of the Chairman's Working Group the user belongs to
    # (Art. 15, 16; SPEC §1): seen read-only, as the Office sees them.
    inspected_agency_ids: frozenset[int] = frozenset()

    @property
    def agency_ids(self) -> frozenset[int]:
        """Every agency whose tasks this viewer sees (not for the province-wide roles)."""
        own = frozenset() if self.agency_id is None else frozenset({int(self.agency_id)})
        return own | self.inspected_agency_ids

    def own_scope(self) -> "Viewer":
        """The same user without the inspection grant: what the user's own agency may do."""
        return Viewer(self.user_id, self.roles, self.agency_id)

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
    if viewer.inspected_agency_ids:  # an inspection's grant: never the same key as the agency alone
        return ("agencies", None if viewer.agency_id is None else int(viewer.agency_id),
                tuple(sorted(viewer.inspected_agency_ids)))
    if viewer.agency_id is None:
        return ("none",)
    return ("agency", int(viewer.agency_id))


ANONYMOUS = Viewer(user_id=None, roles=frozenset(), agency_id=None)


def inspection_grants(user_id: int | None, today=None) -> frozenset[int]:
    """The agencies inspected by the Chairman's inspections (conducted by the Office) whose
    Working Group includes this user, issued, started on or before today and whose result
    report is not yet submitted (stage stays 'issued' until then: Art. 17, SPEC §4.8).
    One indexed query (inspection_member(user_id, …))."""
    if user_id is None:
        return frozenset()
    from app.versions import noted

    if noted("working_group_member") == (user_id, False):  # in no Working Group (read with the user)
        return frozenset()
    today = today or local_now().date()
    rows = db.session.scalars(
        select(InspectionAgency.agency_id).distinct()
        .join(Inspection, Inspection.id == InspectionAgency.inspection_id)
        .join(InspectionMember, and_(InspectionMember.inspection_id == Inspection.id,
                                     InspectionMember.user_id == user_id))
        .where(Inspection.conducted_by == "office", Inspection.stage == "issued",
               Inspection.start_on <= today))
    return frozenset(int(a) for a in rows)


def viewer_for(user) -> Viewer:
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    from app.grants import user_roles

    roles = user_roles(user)[0]  # the user's role names, exactly as user.roles (app/grants.py)
    viewer = Viewer(user_id=user.id, roles=roles, agency_id=getattr(user, "agency_id", None))
    if viewer.sees_all:
        return viewer
    return Viewer(viewer.user_id, roles, viewer.agency_id, inspection_grants(user.id))


def current_viewer() -> Viewer:
    """The signed-in user's viewer, computed once per request."""
    # FAB's current user: the session's, or the JWT's on the API.
    user = current_app.appbuilder.sm.current_user
    cached = g.get("_viewer")
    if cached is None or cached[0] is not user:
        cached = (user, viewer_for(user))
        g._viewer = cached
    return cached[1]


def agency_branches(session, agency_id, sort: str | None = None, *, unfiltered: bool = False):
    """The same rule for one agency (or each of a Working Group member's several,
    Viewer.agency_ids), as queries whose union is exactly the tasks task_condition
    admits: per agency, the tasks it leads, through task(lead_agency_id, deadline, id),
    and those it coordinates, through task_coordinating_agency. No branch yields a task
    twice (one agency names a task once among its coordinating rows), so a list may take
    the first n of each branch and merge them (app.services.task_list._branch_ids; a task
    coordinated by two of a member's agencies is in two branches, never twice in one).

    Returns [(query, order)]: a legacy Query (FAB's search filters apply to it) of `id`,
    and `sort_key` (the value of task.<sort>) when `sort` names a column; `order` the
    branch's (sort column, id column) for its ORDER BY, in an index of its table.
    `unfiltered`: no filter on task will be added, so a coordinating branch sorted by
    deadline or id (or not sorted) reads task_coordinating_agency alone, in its index
    (agency_id, deadline, task_id) — its copy of the deadline equals the task's at every
    moment (migration 0038) — or (agency_id, task_id); otherwise it joins task.
    tests/integration/test_task_list.py and test_link_deadline.py check that both forms agree."""
    tca = task_coordinating_agency
    link_sorts = {None: None, "deadline": tca.c.deadline, "id": tca.c.task_id}
    ids = sorted(agency_id) if isinstance(agency_id, (set, frozenset, list, tuple)) else [agency_id]
    key = None if sort is None else getattr(Task, sort)
    branches = []
    for agency in ids:
        lead = session.query(Task.id, *([] if key is None else [key.label("sort_key")]))
        branches.append((lead.filter(Task.lead_agency_id == agency), (key, Task.id)))
        if unfiltered and sort in link_sorts:
            link_key = link_sorts[sort]
            coordinating = session.query(tca.c.task_id.label("id"),
                                         *([] if link_key is None else [link_key.label("sort_key")]))
            branches.append((coordinating.filter(tca.c.agency_id == agency), (link_key, tca.c.task_id)))
        else:
            coordinating = (session.query(Task.id, *([] if key is None else [key.label("sort_key")]))
                            .join(tca, tca.c.task_id == Task.id).filter(tca.c.agency_id == agency))
            branches.append((coordinating, (key, Task.id)))
    return branches


def task_condition(viewer: Viewer) -> ColumnElement[bool] | None:
    """The SQL condition on Task for this viewer; None means every task."""
    if viewer.sees_all:
        return None
    # A WorkingGroupMember belongs to an agency too and sees its tasks, and those of the
    # agencies under a running inspection of its group (Viewer.inspected_agency_ids).
    ids = viewer.agency_ids
    if not ids:
        return false()
    tca = task_coordinating_agency
    if len(ids) == 1:
        (only,) = ids
        return or_(
            Task.lead_agency_id == only,
            Task.id.in_(select(tca.c.task_id).where(tca.c.agency_id == only)),
        )
    return or_(
        Task.lead_agency_id.in_(sorted(ids)),
        Task.id.in_(select(tca.c.task_id).where(tca.c.agency_id.in_(sorted(ids)))),
    )


def task_condition_per_row(viewer: Viewer) -> ColumnElement[bool] | None:
    """task_condition, written as a per-row EXISTS: for queries that another
    filter already narrows to a few tasks (a user's drafts), where PostgreSQL
    would otherwise hash every coordinating row of the agency (PERFORMANCE.md).
    The same tasks as task_condition (tests/integration/test_task_tally.py)."""
    ids = viewer.agency_ids
    if viewer.sees_all or len(ids) != 1:  # the province, nothing, or an inspection's several
        return task_condition(viewer)
    (only,) = ids
    tca = task_coordinating_agency
    return or_(
        Task.lead_agency_id == only,
        exists().where(tca.c.task_id == Task.id, tca.c.agency_id == only),
    )


def may_see_agency(viewer: Viewer, agency_id: int | None) -> bool:
    """Whether the viewer may read an agency's own records (its periodic reports, its
    counts): the province-wide roles any; an agency user its own; a Working Group member
    also the agencies its running inspection covers."""
    if agency_id is None:
        return viewer.sees_all
    return viewer.sees_all or int(agency_id) in viewer.agency_ids


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


def visible_task(task_id, viewer: Viewer | None = None, options=()) -> Task | None:
    """The task if the viewer may see it, else None; `options`: what to load with it."""
    viewer = viewer or current_viewer()
    try:
        task_id = int(task_id)
    except (TypeError, ValueError):
        return None
    # One task: the rule checked on its row (an IN over the agency's coordinating rows would
    # hash them all, ~100 ms for a big agency at a million tasks; issue 10).
    condition = task_condition_per_row(viewer)
    stmt = select(Task).where(Task.id == task_id).options(*options)
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

