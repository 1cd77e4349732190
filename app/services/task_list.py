"""One page of the tasks a viewer may see: the list view, the API and exports
share it, so the row-level rule and its fast form live in one place."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from sqlalchemy import func, select, union
from sqlalchemy.orm import selectinload

from app.access import Viewer, agency_branches, scope_key, task_condition
from app.models import DataVersion, Task

_counts: OrderedDict = OrderedDict()
_counts_lock = threading.Lock()
MAX_CACHED_COUNTS = 2048


def cached_count(session, key, compute: Callable[[], int]) -> int:
    """The exact count for `key`, reused while the task tables are unchanged.

    The database bumps data_version on every write to task or
    task_coordinating_agency (triggers, migration 0002), whoever writes; the
    version is read first, so an entry can only be newer than its version,
    never older: a count shown is never stale (PERFORMANCE.md)."""
    version = session.scalar(select(DataVersion.version).where(DataVersion.name == "task"))
    if key is None or version is None:
        return compute()
    entry = (version, key)
    with _counts_lock:
        if entry in _counts:
            _counts.move_to_end(entry)
            return _counts[entry]
    count = compute()
    with _counts_lock:
        _counts[entry] = count
        while len(_counts) > MAX_CACHED_COUNTS:
            _counts.popitem(last=False)
    return count

SORTABLE = ("deadline", "status", "id")


def tallied_count(session, viewer: Viewer, count_key) -> int | None:
    """The pager's total from the tallies (migration 0009) when the list is
    unfiltered or filtered on one status only: exact at every moment, no COUNT
    over the scope, and a write elsewhere does not cost this viewer a recount.
    None: the count must be computed (other filters, or no tallies: SQLite)."""
    from app.services import task_tally

    if count_key is None or not task_tally.available(session, scope_key(viewer)):
        return None
    if count_key == ():
        return task_tally.task_count(session, scope_key(viewer))
    if len(count_key) == 1 and count_key[0][:2] == ("FilterEqual", "status"):
        status = _status_value(count_key[0][2])
        if status is not None:
            return task_tally.task_count(session, scope_key(viewer), [status])
    return None


def _status_value(text: str) -> str | None:
    """The status of FilterEqual's value as _filters_key spells it (repr of a str)."""
    from app.domain.vocabulary import TaskStatus

    for status in TaskStatus:
        if text in (repr(status.value), repr([status.value])):
            return status.value
    return None


def task_page(session, viewer: Viewer, *, apply: Callable | None = None, order_column: str = "deadline",
              descending: bool = False, page: int = 0, page_size: int = 25,
              eager=("document", "lead_agency"), count_key=None) -> tuple[int, list[Task]]:
    """(count, tasks) for one page, ordered by `order_column` then id.

    `apply(query)` adds search filters to a legacy Query on Task; `count_key`
    names them (hashable) so the count can be cached; None: never cached. For an agency
    user the page's ids are picked from each branch of the row-level rule
    (app.access.agency_branches) before the rest is loaded, and the count is
    that of their union: PostgreSQL plans `lead = A OR id IN (…)` as a scan of
    every task (PERFORMANCE.md)."""
    key = getattr(Task, order_column if order_column in SORTABLE else "deadline")
    order = (key.desc(), Task.id.desc()) if descending else (key.asc(), Task.id.asc())
    options = [selectinload(getattr(Task, name)) for name in eager]
    if viewer.sees_all or not viewer.agency_ids:
        query = session.query(Task)
        condition = task_condition(viewer)  # None for the Office: every task
        if condition is not None:
            query = query.filter(condition)
        if apply:
            query = apply(query)
        # The key names the viewer's scope even without a filter (count_key == ()).
        count = tallied_count(session, viewer, count_key)
        if count is None:
            count = cached_count(session, None if count_key is None else (scope_key(viewer), count_key),
                                 query.order_by(None).count)
        rows = query.order_by(*order).offset(page * page_size).limit(page_size).options(*options).all()
        return count, rows

    def branches(*columns, ids_only=False):
        return [apply(q) if apply else q
                for q in agency_branches(session, viewer.agency_ids, *columns, ids_only=ids_only)]

    count = tallied_count(session, viewer, count_key)
    if count is None:
        count = cached_count(session, None if count_key is None else (scope_key(viewer), count_key),
                             lambda: session.scalar(select(func.count()).select_from(
                                 union(*(q.statement for q in branches(ids_only=apply is None))).subquery())))
    limit = (page + 1) * page_size
    picked = union(*(q.order_by(*order).limit(limit).subquery().select()
                     for q in branches(key.label("sort_key")))).subquery()
    sort = (picked.c.sort_key.desc(), picked.c.id.desc()) if descending else (
        picked.c.sort_key.asc(), picked.c.id.asc())
    ids = session.scalars(
        select(picked.c.id).order_by(*sort).offset(page * page_size).limit(page_size)).all()
    rows = {t.id: t for t in session.query(Task).filter(Task.id.in_(ids)).options(*options)}
    return count, [rows[i] for i in ids]


def task_ids(session, viewer: Viewer, *, apply: Callable | None = None, order_column: str = "deadline",
             descending: bool = False, limit: int = 20000) -> list[int]:
    """The ids of the first `limit` tasks of the list, in the list's order (task_page's:
    `order_column` then id, through the same row-level rule and its branches), and
    nothing else loaded: the export reads its rows in chunks of these (app.services.exports)."""
    key = getattr(Task, order_column if order_column in SORTABLE else "deadline")
    order = (key.desc(), Task.id.desc()) if descending else (key.asc(), Task.id.asc())
    if viewer.sees_all or not viewer.agency_ids:
        query = session.query(Task.id)
        condition = task_condition(viewer)  # None for the Office: every task
        if condition is not None:
            query = query.filter(condition)
        if apply:
            query = apply(query)
        return [row[0] for row in query.order_by(*order).limit(limit)]
    branches = [apply(q) if apply else q
                for q in agency_branches(session, viewer.agency_ids, key.label("sort_key"))]
    picked = union(*(q.order_by(*order).limit(limit).subquery().select() for q in branches)).subquery()
    sort = (picked.c.sort_key.desc(), picked.c.id.desc()) if descending else (
        picked.c.sort_key.asc(), picked.c.id.asc())
    return list(session.scalars(select(picked.c.id).order_by(*sort).limit(limit)))
