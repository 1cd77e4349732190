"""The dashboard's numbers (issue: reports): counts by state, a table per
agency, and the last 12 months — aggregate queries, cached under the version
the database bumps on every task write (migration 0002) and today's date, so a
number shown is never stale and a million tasks are not re-counted per view."""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

from flask import current_app
from sqlalchemy import and_, case, func, select

from app.access import Viewer, restrict_tasks, scope_key
from app.domain.deadlines import OPEN as DEADLINE_OPEN
from app.domain.periods import last_n_months
from app.extensions import db
from app.models import Agency, DataVersion, Document, Task
from app.services import task_tally
from app.services.calendar import current_calendar, today

OPEN = [s.value for s in DEADLINE_OPEN]
_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def cached(key, compute):
    """`compute()`, reused while the task tables (and today) are unchanged."""
    from app import versions

    version = versions.get("task")  # read once per request (app/versions.py)
    if version is None or versions.wrote():
        return compute()
    entry = (version, today(), key)
    with _lock:
        if entry in _cache:
            return _cache[entry]
    value = compute()
    with _lock:
        _cache[entry] = value
        while len(_cache) > 256:
            _cache.popitem(last=False)
    return value


def state_conditions(now: dt.date | None = None) -> dict:
    """SQL conditions for the dashboard's states; the task list uses the same ones
    (?state=…), so a number clicked opens exactly those tasks."""
    now = now or today()
    soon = _soon(now)
    is_open = Task.status.in_(OPEN)
    done = Task.status == "completed"
    return {
        "in_time": and_(is_open, Task.deadline > soon),
        "due_soon": and_(is_open, Task.deadline >= now, Task.deadline <= soon),
        "overdue": and_(is_open, Task.deadline < now),
        "completed_on_time": and_(done, Task.completed_on <= Task.deadline),
        "completed_late": and_(done, Task.completed_on > Task.deadline),
    }


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _soon(now: dt.date) -> dt.date:
    return current_calendar().add_working_days(now, current_app.config["DUE_SOON_WORKING_DAYS"])


def board(viewer: Viewer) -> dict:
    """The dashboard: states, the agency table (the Office and the Chairman) and the trend.
    On PostgreSQL one statement over the tallies (task_tally.board), cached under every input:
    the data version (bumped by the database on every write to what it counts, migrations
    0002, 0006, 0031), today, the due-soon window's end (the calendar) and the viewer's scope."""
    scope = scope_key(viewer)
    if not task_tally.available(db.session, scope):
        return dict(states=counts(viewer), agencies=agency_table(viewer), trend=trend(viewer))
    now = today()
    soon = _soon(now)
    periods = last_n_months(now, 12)
    return cached(("board", scope, soon), lambda: _tallied_board(viewer, scope, now, soon, periods))


def board_html(viewer: Viewer, render) -> str:
    """The board rendered (`render(board)`), kept per worker under the same inputs as its
    numbers — the data version, today, the due-soon window's end, the viewer's scope — and
    the locale (app/page_cache.py, `board_html`)."""
    from app import page_cache, versions

    key = (versions.get("task"), today(), _soon(today()), scope_key(viewer), page_cache.locale())
    return page_cache.remember("board_html", key, lambda: render(board(viewer)))


def _tallied_board(viewer: Viewer, scope: tuple, now: dt.date, soon: dt.date, periods) -> dict:
    firsts = [dt.date(p.year, p.number, 1) for p in periods]
    states, by_agency, months = task_tally.board(db.session, scope, now, soon, firsts, by_agency=viewer.sees_all)
    rows = [dict(agency_id=agency_id, agency=name if name is not None else "?", **numbers)
            for agency_id, (name, numbers) in by_agency.items()]
    rows.sort(key=lambda r: (-r["overdue"], -r["due_soon"], r["agency"]))
    return dict(states=states, agencies=rows if viewer.sees_all else [],
                trend=[dict(label=f"{p.number:02d}/{p.year}", period=p.label,
                            **{measure: months.get((first, measure), 0) for measure in ("new", "on_time", "late")})
                       for p, first in zip(periods, firsts)])


def counts(viewer: Viewer) -> dict:
    if task_tally.available(db.session, scope_key(viewer)):  # PostgreSQL: the tallies, exact and a few thousand rows
        return board(viewer)["states"]
    if viewer.sees_all:  # the province: the sum of the agency table, one scan for both
        rows = agency_table(viewer)
        return {key: sum(r[key] for r in rows) for key in state_conditions()}

    def compute():
        conditions = state_conditions()
        stmt = select(*(_count(c).label(k) for k, c in conditions.items())).select_from(Task)
        return dict(db.session.execute(restrict_tasks(stmt, viewer)).one()._mapping)
    return cached(("counts", scope_key(viewer)), compute)


def agency_table(viewer: Viewer) -> list[dict]:
    """Per lead agency, sorted by overdue (the Office and the Chairman)."""
    def compute():
        conditions = state_conditions()
        stmt = (select(Task.lead_agency_id, *(_count(c).label(k) for k, c in conditions.items()))
                .group_by(Task.lead_agency_id))
        names = dict(db.session.execute(select(Agency.id, Agency.name)).all())
        rows = [dict(agency_id=r.lead_agency_id, agency=names.get(r.lead_agency_id, "?"),
                     **{k: int(getattr(r, k)) for k in conditions}) for r in db.session.execute(stmt)]
        rows.sort(key=lambda r: (-r["overdue"], -r["due_soon"], r["agency"]))
        return rows
    if not viewer.sees_all:
        return []
    if task_tally.available(db.session):
        return board(viewer)["agencies"]
    return cached(("agencies",), compute)


def trend(viewer: Viewer, months: int = 12) -> list[dict]:
    """For each of the last reporting months: new tasks, completed on time and late."""
    periods = last_n_months(today(), months)
    if task_tally.available(db.session, scope_key(viewer)) and months == 12:
        return board(viewer)["trend"]
    if task_tally.available(db.session, scope_key(viewer)) and periods:
        tally = task_tally.month_counts(db.session, scope_key(viewer),
                                        [dt.date(p.year, p.number, 1) for p in periods])
        return [dict(label=f"{p.number:02d}/{p.year}", period=p.label,
                     **{measure: tally.get((dt.date(p.year, p.number, 1), measure), 0)
                        for measure in ("new", "on_time", "late")}) for p in periods]

    def compute():
        first, last = periods[0].start, periods[-1].end
        month_of = {}
        for period in periods:
            day = period.start
            while day <= period.end:
                month_of[day] = period
                day += dt.timedelta(days=1)
        new_stmt = restrict_tasks(select(Document.issued_on, func.count()).join(Task, Task.document_id == Document.id)
                                  .where(Document.issued_on >= first, Document.issued_on <= last,
                                         Task.status != "withdrawn").group_by(Document.issued_on), viewer)
        done_stmt = restrict_tasks(select(Task.completed_on, _count(Task.completed_on <= Task.deadline),
                                          func.count()).where(Task.status == "completed", Task.completed_on >= first,
                                                              Task.completed_on <= last).group_by(Task.completed_on),
                                   viewer)
        rows = {p.label: dict(label=f"{p.number:02d}/{p.year}", period=p.label, new=0, on_time=0, late=0)
                for p in periods}
        for day, n in db.session.execute(new_stmt):
            rows[month_of[day].label]["new"] += n
        for day, on_time, n in db.session.execute(done_stmt):
            rows[month_of[day].label]["on_time"] += int(on_time)
            rows[month_of[day].label]["late"] += n - int(on_time)
        return [rows[p.label] for p in periods]
    return cached(("trend", scope_key(viewer), months), compute)
