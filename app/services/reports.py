"""Periodic reports (Art. 19, 20; Phụ lục I and II) and the Office's
consolidated report (Art. 18.2, 20.3).

Sections I–II are computed (app.services.appendix, SPEC §5); sections III–IV
are written by the agency (staff draft, the head submits). On submission the
counts and the task list are frozen in the report, so later edits to tasks do
not change it; the Office sees the frozen and the current counts side by side.
"""
from __future__ import annotations

import datetime as dt
import json

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.access import Viewer, may_see_agency
from app.domain import appendix as rules
from app.domain.lifecycle import HEAD_ROLES, OFFICE_ROLES
from app.domain.periods import Period, PeriodKind
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import Agency, Document, PeriodicReport, PeriodicReportRow, ReportReason, Task, local_now
from app.services.appendix import appendix_counts, appendix_counts_by_agency
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound

PROVINCE = "province"
STATE_LABEL = {"completed_on_time": "Hoàn thành đúng hạn", "completed_late": "Hoàn thành quá hạn",
               "in_time": "Chưa hoàn thành, còn hạn", "extended": "Được gia hạn",
               "overdue": "Chưa hoàn thành, quá hạn"}


def period_from(kind, year, number=None) -> Period:
    """A Period from request values, or Invalid naming what is wrong (in words a user reads:
    the domain's own ValueError texts are for developers)."""
    from app.domain.periods import NUMBERS

    try:
        kind = PeriodKind(kind)
    except ValueError:
        raise Invalid(_l("kind must be monthly, quarterly, half_year or annual."), {"kind": [_l("Not a valid choice.")]})
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Invalid(_l("year must be a year between 2000 and 2100."), {"year": [_l("Not a number.")]})
    if not 2000 <= year <= 2100:  # issue 8, finding 9: the dates the system accepts
        raise Invalid(_l("year must be a year between 2000 and 2100."), {"year": [_l("Out of range.")]})
    highest = NUMBERS.get(kind)
    if highest is None:
        if number not in (None, ""):
            raise Invalid(_l("A half-year or annual period has no number."), {"number": [_l("Leave it out.")]})
        return Period(kind, year)
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = None
    if number is None or not 1 <= number <= highest:
        raise Invalid(_l("number must be a whole number from 1 to %(n)s for this period.", n=highest),
                      {"number": [_l("Out of range.")]})
    return Period(kind, year, number)


def period_json(period: Period) -> dict:
    calendar = current_calendar()
    return {"kind": period.kind.value, "year": period.year, "number": period.number,
            "start": period.start.isoformat(), "end": period.end.isoformat(),
            "agency_due": period.agency_due(calendar).isoformat(),
            "office_due": period.office_due(calendar).isoformat()}


def current_period(kind: PeriodKind = PeriodKind.monthly) -> Period:
    """The latest period of this kind whose window has ended (the one reported on now)."""
    from app.domain.periods import period_containing

    period = period_containing(kind, today())
    from app.domain.periods import previous

    return period if period.end < today() else previous(period)


def scope_of(viewer: Viewer, agency_id: int | None) -> int | None:
    """Which agency's counts a viewer may read: an agency user only its own; the
    Office and the Chairman any agency or (None) the whole province."""
    if viewer.sees_all:
        return agency_id
    if viewer.agency_id is None:
        raise Forbidden(_l("Your account belongs to no agency."))
    if agency_id not in (None, viewer.agency_id) and not may_see_agency(viewer, agency_id):
        raise NotFound(_l("No such agency report."))
    return viewer.agency_id


def provisional_as_of(period: Period) -> dt.date | None:
    """Today while the period has not been cut off (its figures are provisional, as of
    today: "Số liệu tạm tính đến ngày …"); None once it has (Art. 20.1)."""
    return rules.provisional_day(period.end, today())


LATE = ("completed_late", "overdue")  # Section III: a line per late or overdue task (Art. 19.4)
ROW_CHUNK = 1000  # rows read from the database at a time (issue 10)


def _live_rows_stmt(period: Period, agency_id: int | None, report_id: int | None = None, states=None):
    """Phụ lục II of a period as one statement over app.services.appendix.Terms: the tasks of
    the counts, each with the state the counts give it (the same CASE), in the list's order."""
    from app.services.appendix import Terms

    terms = Terms(period.start, period.end, provisional_as_of(period))
    reason = (select(ReportReason.reason).where(ReportReason.report_id == report_id,
                                                ReportReason.task_id == Task.id)
              .correlate(Task).scalar_subquery() if report_id is not None else literal(None))
    stmt = (terms.select_from(
        Task.id.label("task_id"), Document.number.label("document"), Document.issued_on, Document.summary,
        Task.content, Agency.name.label("lead"), terms.original.label("deadline"),
        terms.extended_deadline.label("extended_deadline"), terms.outcome.label("state"), Task.result,
        reason.label("reason"))
        .join(Agency, Agency.id == Task.lead_agency_id).order_by(Document.issued_on, Task.id))
    if agency_id is not None:
        stmt = stmt.where(Task.lead_agency_id == agency_id)
    if states is not None:
        stmt = stmt.where(terms.outcome.in_(states))
    return stmt, terms


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def _stream(session, stmt, chunk: int, coordinating: bool):
    """The rows of `stmt` as Phụ lục II dicts, `chunk` at a time (a server-side cursor on
    PostgreSQL); each chunk's coordinating agencies in one more statement."""
    from collections import defaultdict

    from app.models import task_coordinating_agency as tca

    result = session.execute(stmt.execution_options(yield_per=chunk))
    for part in result.partitions():
        names = defaultdict(list)
        if coordinating:
            for task_id, name in session.execute(
                    select(tca.c.task_id, Agency.name).join(Agency, Agency.id == tca.c.agency_id)
                    .where(tca.c.task_id.in_([r.task_id for r in part])).order_by(tca.c.task_id, Agency.name)):
                names[task_id].append(name)
        for r in part:
            yield {"task_id": r.task_id, "document": r.document, "issued_on": _iso(r.issued_on),
                   "summary": r.summary or "", "content": r.content or "", "lead": r.lead or "",
                   "coordinating": "; ".join(names[r.task_id]) if coordinating else (r.coordinating or ""),
                   "deadline": _iso(r.deadline), "extended_deadline": _iso(r.extended_deadline),
                   "state": r.state, "result": r.result or "", "reason": r.reason or ""}


def live_rows(period: Period, agency_id: int | None, *, report_id: int | None = None, states=None,
              limit: int | None = None, offset: int = 0, session=None, chunk: int = ROW_CHUNK):
    """Phụ lục II as the tasks stand now (or at the end of the period), streamed: never the
    whole list in memory. `report_id`: each row carries that report's Section III reason."""
    stmt, _terms = _live_rows_stmt(period, agency_id, report_id, states)
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _stream(session or db.session, stmt, chunk, coordinating=True)


def _frozen_stmt(report: PeriodicReport, states=None):
    reason = (select(ReportReason.reason).where(ReportReason.report_id == report.id,
                                                ReportReason.task_id == PeriodicReportRow.task_id)
              .correlate(PeriodicReportRow).scalar_subquery())
    stmt = (select(*(c for c in PeriodicReportRow.__table__.c if c.name not in ("report_id", "position")),
                   reason.label("reason"))
            .where(PeriodicReportRow.report_id == report.id).order_by(PeriodicReportRow.position))
    if states is not None:
        stmt = stmt.where(PeriodicReportRow.state.in_(states))
    return stmt


def _legacy(report: PeriodicReport) -> bool:
    """Submitted before the rows had a table (migration 0040 copies them; kept readable)."""
    return bool(report.frozen_rows) and report.agency_id is not None


def report_rows(report: PeriodicReport, *, states=None, limit: int | None = None, offset: int = 0,
                session=None, chunk: int = ROW_CHUNK):
    """An agency report's Phụ lục II as the report states it — frozen once submitted, live
    while a draft — streamed `chunk` at a time; `states`: only the rows in those states
    (LATE: Section III's); `limit`/`offset`: a page of them. Each row has its reason."""
    session = session or db.session
    if report.status != "submitted":
        return live_rows(report_period(report), report.agency_id, report_id=report.id, states=states,
                         limit=limit, offset=offset, session=session, chunk=chunk)
    if _legacy(report):
        reasons = {r.task_id: r.reason for r in report.reasons}
        rows = [dict(r, reason=reasons.get(r["task_id"], "")) for r in json.loads(report.frozen_rows)
                if states is None or r["state"] in states]
        return iter(rows[offset:None if limit is None else offset + limit])
    stmt = _frozen_stmt(report, states)
    if offset:
        stmt = stmt.offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    return _stream(session, stmt, chunk, coordinating=False)


def report_row_count(report: PeriodicReport, states=None, session=None) -> int:
    """How many rows report_rows gives (one count statement)."""
    session = session or db.session
    if report.status == "submitted" and _legacy(report):
        return sum(1 for _ in report_rows(report, states=states))
    if report.status == "submitted":
        stmt = select(func.count()).select_from(PeriodicReportRow).where(PeriodicReportRow.report_id == report.id)
        if states is not None:
            stmt = stmt.where(PeriodicReportRow.state.in_(states))
        return session.scalar(stmt)
    stmt, _terms = _live_rows_stmt(report_period(report), report.agency_id, states=states)
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def late_task_ids(report: PeriodicReport, among=None) -> set[int]:
    """The tasks of Section III (late or overdue), or those of them `among` the ids given."""
    stmt, _terms = _live_rows_stmt(report_period(report), report.agency_id, states=LATE)
    ids = select(stmt.order_by(None).subquery().c.task_id)
    if among is not None:
        among = list(among)
        if not among:
            return set()
        ids = ids.where(ids.selected_columns.task_id.in_(among))
    return set(db.session.scalars(ids))


def _missing_reasons(report: PeriodicReport) -> int:
    """Section III's late or overdue tasks the report gives no reason for (one count)."""
    stmt, _terms = _live_rows_stmt(report_period(report), report.agency_id, states=LATE)
    given = select(ReportReason.task_id).where(ReportReason.report_id == report.id, ReportReason.reason != "")
    stmt = stmt.order_by(None).where(Task.id.not_in(given))
    return db.session.scalar(select(func.count()).select_from(stmt.subquery()))


def phu_luc_ii_rows(period: Period, agency_id: int | None, limit: int | None = None) -> list[dict]:
    """The tasks the counts are made of (Phụ lục II), with their state at the end of the
    period — or, before its cut-off, as of today: a task with days left is not overdue.
    A list: for a bounded `limit` or a small scope; a report's files stream live_rows."""
    return list(live_rows(period, agency_id, limit=limit))


def late_rows(rows) -> list[dict]:
    """Section III: a line per late or overdue task (Art. 19.4)."""
    return [r for r in rows if r["state"] in LATE]


def _coordinating_names():
    """A task's coordinating agencies' names, "; "-joined in name order, as one SQL value
    (correlated to Task): what live_rows joins in Python, for INSERT … SELECT."""
    from app.models import task_coordinating_agency as tca

    names = (select(Agency.name.label("name")).join(tca, tca.c.agency_id == Agency.id)
             .where(tca.c.task_id == Task.id).order_by(Agency.name).correlate(Task))
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import aggregate_order_by

        return (select(func.coalesce(func.string_agg(Agency.name, aggregate_order_by(literal("; "), Agency.name)), ""))
                .join(tca, tca.c.agency_id == Agency.id).where(tca.c.task_id == Task.id)
                .correlate(Task).scalar_subquery())
    ordered = names.subquery()  # SQLite: group_concat keeps the order of its ordered subquery
    return select(func.coalesce(func.group_concat(ordered.c.name, "; "), "")).scalar_subquery()


def _freeze_rows(report: PeriodicReport, period: Period, counts) -> None:
    """Phụ lục II into periodic_report_row in one INSERT … SELECT of the same terms as
    live_rows (no row passes through the worker); then the rows are counted by state in
    the database and must give the frozen figures (a task changed between the two reads is
    a conflict to retry, never a report that disagrees)."""
    from sqlalchemy import delete, insert

    from app.services.appendix import OUTCOME_FIELDS, Terms

    db.session.execute(delete(PeriodicReportRow).where(PeriodicReportRow.report_id == report.id))
    terms = Terms(period.start, period.end, provisional_as_of(period))
    rows = (terms.select_from(
        literal(report.id), func.row_number().over(order_by=(Document.issued_on, Task.id)), Task.id,
        Document.number, Document.issued_on, func.coalesce(Document.summary, ""), func.coalesce(Task.content, ""),
        Agency.name, _coordinating_names(), terms.original, terms.extended_deadline, terms.outcome,
        func.coalesce(Task.result, ""))
        .join(Agency, Agency.id == Task.lead_agency_id).where(Task.lead_agency_id == report.agency_id))
    db.session.execute(insert(PeriodicReportRow).from_select(
        ["report_id", "position", "task_id", "document", "issued_on", "summary", "content", "lead", "coordinating",
         "deadline", "extended_deadline", "state", "result"], rows))
    position = db.session.scalar(select(func.count()).select_from(PeriodicReportRow)
                                 .where(PeriodicReportRow.report_id == report.id))
    by_state = dict(db.session.execute(
        select(PeriodicReportRow.state, func.count()).where(PeriodicReportRow.report_id == report.id)
        .group_by(PeriodicReportRow.state)).all())
    if position != counts.total or any(by_state.get(state, 0) != getattr(counts, name)
                                       for state, name in OUTCOME_FIELDS.items()):
        raise Conflict(_l("Tasks of the report changed while it was being submitted. Submit it again."))


def report_for(agency_id: int | None, period: Period, *, create: bool = True) -> PeriodicReport | None:
    scope = f"agency:{agency_id}" if agency_id else PROVINCE
    report = db.session.scalar(select(PeriodicReport).where(
        PeriodicReport.scope_key == scope, PeriodicReport.period_key == period.label))
    if report is None and create:
        report = PeriodicReport(scope_key=scope, agency_id=agency_id, period_key=period.label,
                                kind=period.kind.value, year=period.year, number=period.number, status="draft")
        db.session.add(report)
        try:
            db.session.commit()
        except IntegrityError:  # created meanwhile by someone else
            db.session.rollback()
            return report_for(agency_id, period, create=False)
    return report


def report_period(report: PeriodicReport) -> Period:
    return Period(PeriodKind(report.kind), report.year, report.number)


def _may_edit(report: PeriodicReport, viewer: Viewer) -> None:
    if report.agency_id is None:
        if not viewer.roles & OFFICE_ROLES:
            raise Forbidden(_l("Only the Office writes the consolidated report."))
    elif viewer.agency_id != report.agency_id or not viewer.roles & (
            HEAD_ROLES | {Role.AgencyStaff.value}):
        raise Forbidden(_l("Only the agency writes its periodic report."))
    if report.status == "submitted":
        raise Conflict(_l("This report has been submitted; it can no longer be changed."))
    g.acting_user_id = viewer.user_id


def save_sections(report_id: int, *, viewer: Viewer, expected_version, section_3: str, section_4: str,
                  reasons: dict[int, str]) -> PeriodicReport:
    """Staff draft, the head (or the Office, for the consolidated report) too."""
    from app.services.register import check_version

    report = db.session.get(PeriodicReport, report_id)
    if report is None:
        raise NotFound(_l("No such report."))
    _may_edit(report, viewer)
    check_version(report, expected_version)
    errors = FieldErrors()  # issue 8, finding 10: nothing the database cannot store
    errors.text("section_3", section_3, _l("Section III"))
    errors.text("section_4", section_4, _l("Section IV"))
    for task_id, text in reasons.items():
        errors.text(f"reason-{task_id}", text, _l("Reason the task is late"))
    errors.raise_if_any()
    report.section_3, report.section_4 = (section_3 or "").strip(), (section_4 or "").strip()
    # Only the reasons posted (a page of Section III), and only for its late or overdue tasks.
    allowed = late_task_ids(report, among=reasons) if report.agency_id else set()
    existing = {r.task_id: r for r in db.session.scalars(select(ReportReason).where(
        ReportReason.report_id == report.id, ReportReason.task_id.in_(list(allowed) or [0])))}
    for task_id, text in reasons.items():
        if task_id not in allowed:
            continue
        if task_id in existing:
            existing[task_id].reason = (text or "").strip()
        else:
            db.session.add(ReportReason(report_id=report.id, task_id=task_id, reason=(text or "").strip()))
    _commit()
    return report


def submit(report_id: int, *, viewer: Viewer, expected_version) -> PeriodicReport:
    """The head (or chair) submits; the Office submits the consolidated report.
    Counts and Phụ lục II are frozen as they are now."""
    from app.services.register import check_version

    report = db.session.get(PeriodicReport, report_id)
    if report is None:
        raise NotFound(_l("No such report."))
    _may_edit(report, viewer)
    if report.agency_id is not None and not viewer.roles & HEAD_ROLES:
        raise Forbidden(_l("Staff draft the report; the head of the agency submits it."))
    check_version(report, expected_version)
    period = report_period(report)
    if provisional_as_of(period) is not None:  # Art. 20.1-20.2: figures are cut on the 14th, sent after
        raise Conflict(_l("The figures of %(period)s are cut off on %(date)s (Art. 20.1): the report can be "
                          "submitted from the next day; until then its figures are provisional.",
                          period=period_title(period), date=period.end.strftime("%d/%m/%Y")))
    if report.agency_id is not None:
        missing = _missing_reasons(report)
        if missing:
            raise Invalid(_l("Section III: give the reason for each late or overdue task (Art. 19.4); "
                             "%(n)s without a reason.", n=missing), {"reasons": [str(missing)]})
    counts = appendix_counts(period, report.agency_id)  # after the cut-off: never provisional
    report.frozen_counts = json.dumps(counts.as_dict())
    if report.agency_id is not None:
        report.frozen_rows = None
        _freeze_rows(report, period, counts)
    else:  # the consolidated table: a line per agency
        report.frozen_rows = json.dumps(province_table(period), ensure_ascii=False)
    report.status, report.submitted_at, report.submitted_by_id = "submitted", local_now(), viewer.user_id
    if report.agency_id is not None:  # Art. 18: the Office is told the agency's report is in
        from app.services.events import emit_report

        emit_report(report, actor_id=viewer.user_id)
    _commit()
    return report


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_l("Someone else saved this report at the same moment. Reload the page."))


def frozen_counts(report: PeriodicReport) -> rules.AppendixCounts | None:
    return rules.AppendixCounts(**json.loads(report.frozen_counts)) if report.frozen_counts else None


def province_table(period: Period, session=None) -> list[dict]:
    """The consolidated report's table: every agency's counts."""
    names = dict((session or db.session).execute(select(Agency.id, Agency.name)).all())
    by_agency = appendix_counts_by_agency(period, provisional_as_of(period), session=session)
    return [{"agency_id": agency_id, "agency": names.get(agency_id, "?"), **counts.as_dict()}
            for agency_id, counts in sorted(by_agency.items(), key=lambda item: names.get(item[0], ""))]


def submissions(period: Period) -> list[dict]:
    """Who must report for the period (agencies with tasks in it), who has, on time or late."""
    due = period.agency_due(current_calendar())
    by_agency = appendix_counts_by_agency(period)
    agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(list(by_agency))))}
    reports = {r.agency_id: r for r in db.session.scalars(select(PeriodicReport).where(
        PeriodicReport.period_key == period.label, PeriodicReport.agency_id.is_not(None)))}
    rows = []
    for agency_id, counts in by_agency.items():
        if counts.total == 0:
            continue
        report = reports.get(agency_id)
        submitted = report is not None and report.status == "submitted"
        on_time = submitted and report.submitted_at.date() <= due
        late = (submitted and not on_time) or (not submitted and today() > due)
        rows.append({"agency": agencies[agency_id], "report": report, "submitted": submitted,
                     "on_time": on_time, "late": late, "total": counts.total})
    rows.sort(key=lambda r: (not r["late"], r["submitted"], r["agency"].name))
    return rows


def remind_late(period: Period) -> int:
    """Remind the heads of the agencies whose report is past due (once per period)."""
    from app.services.notifications import agency_user_ids, notify

    sent = 0
    for row in submissions(period):
        if row["late"] and not row["submitted"]:
            sent += notify(agency_user_ids(row["agency"].id, (Role.AgencyHead.value, Role.CommuneChair.value)),
                           kind="report_late", key=f"report_late:{period.label}",
                           message=str(_l("Your periodic report for %(period)s is past due (%(date)s).",
                                          period=period_title(period),
                                          date=period.agency_due(current_calendar()).strftime("%d/%m/%Y"))),
                           link=f"/reports/agency/{period.kind.value}/{period.year}/{period.number or 0}")
    db.session.commit()
    return sent


def period_title(period: Period) -> str:
    """The period as the report's title says it ("tháng 11 năm 2026")."""
    if period.kind == PeriodKind.monthly:
        return f"tháng {period.number} năm {period.year}"
    if period.kind == PeriodKind.quarterly:
        return f"quý {['I', 'II', 'III', 'IV'][period.number - 1]} năm {period.year}"
    if period.kind == PeriodKind.half_year:
        return f"6 tháng đầu năm {period.year}"
    return f"năm {period.year}"


def build_consolidated(day: dt.date | None = None) -> dict:
    """The job after each cut-off (the 14th): the Office's consolidated draft
    for every period that ended yesterday or today."""
    from app.domain.periods import periods_ending_on

    day = day or today()
    built = []
    for offset in (0, 1):
        for period in periods_ending_on(day - dt.timedelta(days=offset)):
            report_for(None, period)
            built.append(period.label)
    return {"built": built}
