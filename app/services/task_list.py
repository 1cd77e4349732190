"""One page of the tasks a viewer may see: the list view, the API and exports
share it, so the row-level rule and its fast form live in one place."""
from __future__ import annotations

import datetime as dt
import re
import threading
from ast import literal_eval
from collections import OrderedDict
from typing import Callable

from sqlalchemy import func, select, union, union_all
from sqlalchemy.orm import joinedload, selectinload

from app.access import Viewer, agency_branches, scope_key, task_condition
from app.models import DataVersion, Task

_counts: OrderedDict = OrderedDict()
_counts_lock = threading.Lock()
MAX_CACHED_COUNTS = 2048


def data_versions(session, viewer: Viewer, lead: int | None = None) -> tuple | None:
    """The data versions a filtered count of this viewer depends on, read in one statement.

    The database bumps them in the same statement as the write (migrations 0002, 0032): the
    global one on every write to task or task_coordinating_agency, 'task@<agency>' on every
    write touching a task that agency leads or coordinates, before or after. An agency's (or
    a Working Group member's several agencies') counts depend on its own versions only; the
    Office's on the global one, or on the lead agency's when the search names one. An agency
    without a row yet (no write since the migration; SQLite) is answered by the global
    version, tagged apart so the two never meet. None: no version (never cached)."""
    if viewer.sees_all:
        agencies = () if lead is None else (int(lead),)
    else:
        agencies = tuple(sorted(viewer.agency_ids))
    names = ["task"] + [f"task@{a}" for a in agencies]
    found = dict(session.execute(select(DataVersion.name, DataVersion.version)
                                 .where(DataVersion.name.in_(names))).all())
    if found.get("task") is None:
        return None
    if not agencies:
        return (("task", found["task"]),)
    return tuple((f"task@{a}", found[f"task@{a}"]) if f"task@{a}" in found else (f"task@{a}?", found["task"])
                 for a in agencies)


def cached_count(session, key, compute: Callable[[], int], versions: tuple | None = None) -> int:
    """The exact count for `key`, reused while the versions it depends on are unchanged.

    `versions` (data_versions) are read first, so an entry can only be newer than its
    versions, never older: a count shown is never stale (PERFORMANCE.md). Without them,
    the global version (every write to the task tables moves it)."""
    if versions is None:
        version = session.scalar(select(DataVersion.version).where(DataVersion.name == "task"))
        versions = None if version is None else (("task", version),)
    if key is None or versions is None:
        return compute()
    entry = (versions, key)
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
_DIGITS = re.compile(r"[0-9]{1,9}")


def count_terms(count_key) -> tuple[frozenset | None, int | None] | None:
    """(statuses, lead agency id) when the search filters on nothing else — the terms the
    tallies answer — else None. `count_key` is the list's (FAB's filters as the view names
    them: (filter class, column, repr(value)), …), () for no filter, or the API's
    ("api", status, lead_agency_id)."""
    from app.domain.vocabulary import TaskStatus

    known = {s.value for s in TaskStatus}
    if count_key is None:
        return None
    if len(count_key) == 3 and count_key[0] == "api":
        _api, status, lead = count_key
        if status is not None and status not in known:
            return None
        return (None if status is None else frozenset({status})), (None if lead is None else int(lead))
    statuses, lead = None, None
    for term in count_key:
        if not isinstance(term, tuple) or len(term) != 3:
            return None
        kind, column, value = term
        if (kind, column) == ("FilterEqual", "status"):
            status = _status_value(value)
            if status is None:
                return None
            statuses = frozenset({status}) if statuses is None else statuses & {status}
        elif (kind, column) == ("FilterRelationOneToManyEqual", "lead_agency"):
            try:
                text = literal_eval(value)
            except (ValueError, SyntaxError):
                return None
            if isinstance(text, list) and len(text) == 1:  # FAB keeps a search's values as a list
                text = text[0]
            if not isinstance(text, str) or not _DIGITS.fullmatch(text):
                return None
            if lead is not None and lead != int(text):
                return None  # two different leads: leave it to COUNT
            lead = int(text)
        else:
            return None
    return statuses, lead


def tallied_count(session, viewer: Viewer, count_key) -> int | None:
    """The pager's total from the tallies (migration 0009) when the search filters on
    statuses and the lead agency only (unfiltered included): exact at every moment, no
    COUNT over the scope, and a write elsewhere does not cost this viewer a recount.
    None: the count must be computed (other filters, an agency searching for another lead
    agency's tasks it coordinates, a Working Group member's several agencies, SQLite)."""
    from app.services import task_tally

    terms = count_terms(count_key)
    scope = scope_key(viewer)
    if terms is None or not task_tally.available(session, scope):
        return None
    statuses, lead = terms
    if statuses is not None and not statuses:
        return 0  # two different statuses at once
    statuses = None if statuses is None else sorted(statuses)
    if lead is None:
        return task_tally.task_count(session, scope, statuses)
    if scope == ("all",):  # the Office: the lead rows of that agency
        return task_tally.task_count(session, ("agency", lead), statuses, lead_only=True)
    if scope == ("agency", lead):  # an agency's own lead tasks
        return task_tally.task_count(session, scope, statuses, lead_only=True)
    if scope == ("none",):
        return 0
    return None


def _status_value(text: str) -> str | None:
    """The status of FilterEqual's value as _filters_key spells it (repr of a str)."""
    from app.domain.vocabulary import TaskStatus

    for status in TaskStatus:
        if text in (repr(status.value), repr([status.value])):
            return status.value
    return None


def _eager(names):
    """How to load the relations a page shows: a many-to-one (document, lead agency) in the
    page's own statement (an inner join: both are NOT NULL), a collection in one more."""
    options = []
    for name in names:
        attribute = getattr(Task, name)
        if attribute.property.uselist:
            options.append(selectinload(attribute))
        else:
            nullable = any(c.nullable for c in attribute.property.local_columns)
            options.append(joinedload(attribute, innerjoin=not nullable))
    return options


def _lead_filter(count_key) -> int | None:
    """The lead agency a search names (one, whatever else it filters on), else None."""
    if not count_key or (len(count_key) == 3 and count_key[0] == "api"):
        return None if not count_key or count_key[2] is None else int(count_key[2])
    leads = {count_terms((term,)) for term in count_key
             if isinstance(term, tuple) and term[:2] == ("FilterRelationOneToManyEqual", "lead_agency")}
    leads = {terms[1] for terms in leads if terms is not None}
    return leads.pop() if len(leads) == 1 else None


def _versions(session, viewer: Viewer, count_key) -> tuple | None:
    if count_key is None:
        return None
    return data_versions(session, viewer, _lead_filter(count_key) if viewer.sees_all else None)


def _sort(order_column: str) -> str:
    return order_column if order_column in SORTABLE else "deadline"


def _order(order_column: str, descending: bool):
    """The ORDER BY of the list: `order_column` then id, so a page is stable."""
    key = getattr(Task, _sort(order_column))
    return (key.desc(), Task.id.desc()) if descending else (key.asc(), Task.id.asc())


def _scoped(session, viewer: Viewer, apply: Callable | None, *entities):
    """The list's query for a province-wide (or agency-less) viewer: the row-level rule, then the search."""
    query = session.query(*entities)
    condition = task_condition(viewer)  # None for the Office: every task
    if condition is not None:
        query = query.filter(condition)
    return apply(query) if apply else query


def _branch_ids(session, viewer: Viewer, apply: Callable | None, order_column: str, descending: bool,
                offset: int, limit: int) -> list[int]:
    """Ids offset … offset+limit of an agency viewer's list: the first offset+limit of each branch
    of the row-level rule (app.access.agency_branches), each walked in its own index's order, then
    merged in the list's order (UNION ALL: PostgreSQL merges the sorted branches, reading no more
    than the page's end) and DISTINCT in that order, so a task two branches hold (led and
    coordinated by the agency, or coordinated by two of a Working Group member's agencies: the
    same id and sort key in both) is kept once — not a hash of every row picked, then a sort."""
    picked = []
    for query, (key, id_) in agency_branches(session, viewer.agency_ids, _sort(order_column),
                                             unfiltered=apply is None):
        query = apply(query) if apply else query
        order = (key.desc(), id_.desc()) if descending else (key.asc(), id_.asc())
        picked.append(query.order_by(*order).limit(offset + limit).subquery().select())
    merged = union_all(*picked).subquery()
    sort = (merged.c.sort_key.desc(), merged.c.id.desc()) if descending else (
        merged.c.sort_key.asc(), merged.c.id.asc())
    page = select(merged.c.id, merged.c.sort_key).distinct().order_by(*sort).offset(offset).limit(limit)
    return [row.id for row in session.execute(page)]


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
    order = _order(order_column, descending)
    options = _eager(eager)
    cache_key = None if count_key is None else (scope_key(viewer), count_key)
    count = tallied_count(session, viewer, count_key)
    if viewer.sees_all or not viewer.agency_ids:
        query = _scoped(session, viewer, apply, Task)
        # The key names the viewer's scope even without a filter (count_key == ()).
        if count is None:
            count = cached_count(session, cache_key, query.order_by(None).count, _versions(session, viewer, count_key))
        rows = query.order_by(*order).offset(page * page_size).limit(page_size).options(*options).all()
        return count, rows

    if count is None:
        ids_only = [apply(q) if apply else q
                    for q, _order_by in agency_branches(session, viewer.agency_ids, unfiltered=apply is None)]
        count = cached_count(session, cache_key,
                             lambda: session.scalar(select(func.count()).select_from(
                                 union(*(q.statement for q in ids_only)).subquery())),
                             _versions(session, viewer, count_key))
    ids = _branch_ids(session, viewer, apply, order_column, descending, page * page_size, page_size)
    rows = {t.id: t for t in session.query(Task).filter(Task.id.in_(ids)).options(*options)}
    return count, [rows[i] for i in ids]


def task_ids(session, viewer: Viewer, *, apply: Callable | None = None, order_column: str = "deadline",
             descending: bool = False, limit: int = 20000) -> list[int]:
    """The ids of the first `limit` tasks of the list, in the list's order (task_page's:
    `order_column` then id, through the same row-level rule and its branches), and
    nothing else loaded: the export reads its rows in chunks of these (app.services.exports)."""
    if viewer.sees_all or not viewer.agency_ids:
        order = _order(order_column, descending)
        return [row[0] for row in _scoped(session, viewer, apply, Task.id).order_by(*order).limit(limit)]
    return _branch_ids(session, viewer, apply, order_column, descending, 0, limit)
