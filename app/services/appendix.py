"""Phụ lục I counts in SQL, for one agency or every agency at once.

app.domain.appendix defines the counts (SPEC §5) over TaskFacts; this module
computes the same numbers with one aggregate query, so a province of a million
tasks is counted in the database rather than in Python.
tests/integration/test_reports.py checks both agree on a scenario with every
state, and the invariant total = completed in period + open at the end.

A task is overdue at the end of a day when its deadline in force is that day
or earlier (SPEC §4.5: overdue once the deadline has passed, at the end of the
deadline day).

Extensions: the deadline in force on a day is the latest approved new deadline
on or before it. An approval must move the deadline later (the lifecycle
rules), so the latest approval is also the largest approved deadline: MAX.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, case, func, not_, or_, select

from app.domain.appendix import AppendixCounts, TaskFacts
from app.domain.periods import Period
from app.extensions import db
from app.models import Document, ExtensionRequest, Task

FIELDS = ("new_work_program", "new_meeting_conclusion", "new_ad_hoc", "carried_in_time", "carried_extended",
          "carried_overdue", "total", "completed_on_time", "completed_late", "open_extended", "open_in_time",
          "open_overdue")


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# Where a task of a report stands (Phụ lục II's "Tình trạng"; the five figures of Phụ lục I,
# section II): one CASE per task, read by the counts and by the rows alike (issue 10), so
# the list of a report and its figures cannot disagree. The values are the states
# app.services.reports.STATE_LABEL names.
OUTCOME_FIELDS = {"completed_on_time": "completed_on_time", "completed_late": "completed_late",
                  "extended": "open_extended", "in_time": "open_in_time", "overdue": "open_overdue"}


class Terms:
    """The SQL terms of a period's report (app.domain.appendix, SPEC §5): `where` selects the
    tasks of its total (over Task joined to Document and outer-joined to `ext`), `outcome`
    is each one's state, `original` its first deadline, `extended_deadline` the deadline in
    force at the end of the period when an extension set it."""

    def __init__(self, start: dt.date, end: dt.date, as_of: dt.date | None = None):
        before = start - dt.timedelta(days=1)
        approved_on = func.date(ExtensionRequest.decided_at)
        # A result dated before its own document counts as of the document's date, as the
        # domain reads it (app.domain.appendix._completed_on): one typo cannot break a report.
        done = case((Task.completed_on < Document.issued_on, Document.issued_on), else_=Task.completed_on)
        self.ext = ext = (
            select(ExtensionRequest.task_id.label("task_id"),
                   func.max(case((approved_on <= before, ExtensionRequest.approved_deadline))).label("at_start"),
                   func.max(case((approved_on <= end, ExtensionRequest.approved_deadline))).label("at_end"),
                   func.max(case((approved_on <= done, ExtensionRequest.approved_deadline)))
                   .label("at_completion"))
            .join(Task, Task.id == ExtensionRequest.task_id).join(Document, Document.id == Task.document_id)
            .where(ExtensionRequest.status == "approved").group_by(ExtensionRequest.task_id).subquery())
        original = func.coalesce(Task.original_deadline, Task.deadline)
        at_start, at_end = func.coalesce(ext.c.at_start, original), func.coalesce(ext.c.at_end, original)
        at_completion = func.coalesce(ext.c.at_completion, original)
        issued = Document.issued_on
        self.new = and_(issued >= start, issued <= end)
        self.carried = and_(issued < start, or_(done.is_(None), done >= start))
        self.carried_overdue = and_(self.carried, at_start < start)  # overdue at the end of the day before
        self.carried_extended = and_(self.carried, not_(self.carried_overdue), ext.c.at_start.is_not(None))
        # At the end of E: due on E or before. Provisional (as of a day before the cut-off,
        # app.domain.appendix.state_during): due before that day; a task due today has today.
        overdue = at_end < (end + dt.timedelta(days=1) if as_of is None else as_of)
        completed = and_(done >= start, done <= end)
        self.outcome = case(
            (completed, case((done <= at_completion, "completed_on_time"), else_="completed_late")),
            (overdue, "overdue"), (ext.c.at_end.is_not(None), "extended"), else_="in_time")
        self.extended_deadline = case((ext.c.at_end.is_not(None) & (at_end != original), at_end))
        self.original = original
        # Every figure is of new or carried tasks: the others (done before the period) are
        # left out before aggregating — half of a province's tasks (issue 10).
        self.where = (Task.status != "withdrawn", issued <= end, or_(self.new, self.carried))

    def select_from(self, *columns):
        return (select(*columns).select_from(Task).join(Document, Document.id == Task.document_id)
                .outerjoin(self.ext, self.ext.c.task_id == Task.id).where(*self.where))


def _aggregates(start: dt.date, end: dt.date, as_of: dt.date | None = None):
    terms = Terms(start, end, as_of)
    new, carried = terms.new, terms.carried
    columns = {
        "new_work_program": _count(and_(new, Document.source == "work_program")),
        "new_meeting_conclusion": _count(and_(new, Document.source == "meeting_conclusion")),
        "new_ad_hoc": _count(and_(new, Document.source == "ad_hoc")),
        "carried_in_time": _count(and_(carried, not_(terms.carried_overdue), not_(terms.carried_extended))),
        "carried_extended": _count(terms.carried_extended),
        "carried_overdue": _count(terms.carried_overdue),
        "total": func.count(),
        **{name: _count(terms.outcome == state) for state, name in OUTCOME_FIELDS.items()},
    }
    return columns, terms.select_from()


def _counts(row) -> AppendixCounts:
    return AppendixCounts(**{name: int(getattr(row, name)) for name in FIELDS})


def appendix_counts(period: Period, agency_id: int | None = None, as_of: dt.date | None = None,
                    session=None) -> AppendixCounts:
    """One agency's counts (as lead agency), or the whole province's; `as_of`: provisional,
    as of that day before the cut-off (app.domain.appendix.provisional_day)."""
    columns, base = _aggregates(period.start, period.end, as_of)
    stmt = base.add_columns(*(c.label(n) for n, c in columns.items()))
    if agency_id is not None:
        stmt = stmt.where(Task.lead_agency_id == agency_id)
    return _counts((session or db.session).execute(stmt).one())


def appendix_counts_by_agency(period: Period, as_of: dt.date | None = None,
                              session=None) -> dict[int, AppendixCounts]:
    """Every lead agency's counts, in one query."""
    columns, base = _aggregates(period.start, period.end, as_of)
    stmt = base.add_columns(Task.lead_agency_id.label("agency_id"), *(c.label(n) for n, c in columns.items())) \
        .group_by(Task.lead_agency_id)
    return {row.agency_id: _counts(row) for row in (session or db.session).execute(stmt)}


def task_facts(agency_id: int | None = None, task_ids=None, where=()) -> list[TaskFacts]:
    """The tasks as the domain sees them (for Phụ lục II and for checking the SQL).
    `where`: extra conditions on Task/Document; `task_ids` are read in chunks, so a
    large agency never builds a statement with more parameters than a driver takes."""
    if task_ids is not None:
        ids = list(task_ids)
        return [fact for offset in range(0, len(ids), CHUNK)
                for fact in task_facts(agency_id, where=(*where, Task.id.in_(ids[offset:offset + CHUNK])))]
    conditions = list(where)
    if agency_id is not None:
        conditions.append(Task.lead_agency_id == agency_id)
    stmt = select(Task.id, Document.issued_on, Document.source, Task.original_deadline, Task.deadline,
                  Task.completed_on, Task.status).join(Document, Document.id == Task.document_id).where(*conditions)
    rows = db.session.execute(stmt).all()
    scope = select(Task.id).join(Document, Document.id == Task.document_id).where(*conditions)
    extensions: dict[int, list] = {}
    ext_stmt = select(ExtensionRequest.task_id, ExtensionRequest.decided_at, ExtensionRequest.approved_deadline) \
        .where(ExtensionRequest.status == "approved", ExtensionRequest.task_id.in_(scope))
    for task_id, decided_at, approved in db.session.execute(ext_stmt):
        extensions.setdefault(task_id, []).append((decided_at.date(), approved))
    return [TaskFacts(task_id=r.id, issued_on=r.issued_on, source=r.source,
                      original_deadline=r.original_deadline or r.deadline,
                      extensions=tuple(extensions.get(r.id, ())), completed_on=r.completed_on,
                      withdrawn=r.status == "withdrawn") for r in rows]


CHUNK = 10_000


def appendix_all_agencies(period: Period, viewer) -> dict:
    """Phụ lục I for every agency of a period in one aggregate (issue 10), for the
    Office (Art. 20: the Office compiles the province's report from the agencies').
    Every active agency is listed, zeros included; the province's counts are their
    sum (each task has one lead agency). Forbidden for anyone else."""
    from flask_babel import lazy_gettext as _l

    from app.domain.lifecycle import OFFICE_ROLES
    from app.models import Agency
    from app.services.errors import Forbidden

    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office may read every agency's counts at once."))
    by_agency = appendix_counts_by_agency(period)
    agencies = db.session.execute(select(Agency.id, Agency.code, Agency.name).where(
        or_(Agency.active.is_(True), Agency.id.in_(list(by_agency) or [0]))).order_by(Agency.name)).all()
    zero = AppendixCounts(**dict.fromkeys(FIELDS, 0))
    rows = [dict(agency_id=a.id, code=a.code, name=a.name, **by_agency.get(a.id, zero).as_dict()) for a in agencies]
    province = {name: sum(getattr(c, name) for c in by_agency.values()) for name in FIELDS}
    return dict(period=period.label, start=period.start.isoformat(), end=period.end.isoformat(),
                province=province, agencies=rows)
