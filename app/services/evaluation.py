"""Evaluation and ranking of the agencies per period (Art. 12, 22), published
to every signed-in user (Art. 12: "công bố công khai").

For each agency, over the tasks it leads that were due in the period (the
deadline in force at the end of the period falls in it):
- completed on time / late, still overdue, extended;
- on-time rate = completed on time / due;
- update rate (Art. 6.2) = tasks with a progress update or result posted on or
  before their deadline / due;
- reporting: the share of its reports due in the period that arrived on time: the
  periodic report (by the agency deadline, Art. 20.2) and every ad-hoc answer due in
  the period (issue 13; a late or missing answer counts as a late report);
- score = (w₁·on-time rate + w₂·update rate + w₃·reporting) / (w₁+w₂+w₃) × 100,
  with the Admin's weights shown beside it so anyone can check it by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select

from app.domain import appendix as rules
from app.domain.periods import Period
from app.extensions import db
from app.models import Evaluation, EvaluationSetting, PeriodicReport, Task, TaskUpdate, local_now
from app.services.appendix import task_facts
from app.services.calendar import current_calendar


@dataclass(frozen=True)
class Weights:
    on_time: int
    updated: int
    reports: int

    def __str__(self) -> str:
        return f"{self.on_time}/{self.updated}/{self.reports}"


def weights() -> Weights:
    row = db.session.get(EvaluationSetting, 1)
    return Weights(row.weight_on_time, row.weight_updated, row.weight_reports) if row else Weights(60, 20, 20)


def score(on_time_rate: float, update_rate: float, reported: float, w: Weights) -> float:
    total = w.on_time + w.updated + w.reports
    if total <= 0:
        return 0.0
    return round(100 * (w.on_time * on_time_rate + w.updated * update_rate + w.reports * reported) / total, 1)


def evaluate(period: Period) -> list[Evaluation]:
    """Compute and store the period's evaluation of every agency that had tasks due; idempotent."""
    start, end = period.start, period.end
    # Candidates: a task due in the period has its original or its current deadline on or after the start.
    candidates = db.session.execute(
        select(Task.id, Task.lead_agency_id).where(
            Task.status.not_in(["withdrawn", "draft"]),
            or_(Task.deadline >= start, Task.original_deadline >= start),
            or_(Task.deadline <= end, Task.original_deadline <= end))).all()
    lead = dict(candidates)
    facts = [f for f in task_facts(task_ids=list(lead)) if start <= rules.deadline_in_force(f, end) <= end] \
        if lead else []
    due_ids = [f.task_id for f in facts]
    first_update = dict(db.session.execute(
        select(TaskUpdate.task_id, func.min(TaskUpdate.created_at))
        .where(TaskUpdate.task_id.in_(due_ids or [0]), TaskUpdate.draft.is_(False))
        .group_by(TaskUpdate.task_id)).all())
    agency_due = period.agency_due(current_calendar())
    reports = {r.agency_id: r for r in db.session.scalars(select(PeriodicReport).where(
        PeriodicReport.period_key == period.label, PeriodicReport.agency_id.is_not(None)))}
    w = weights()
    per_agency: dict[int, dict] = {}
    for fact in facts:
        agency = lead[fact.task_id]
        stats = per_agency.setdefault(agency, dict(due=0, on_time=0, late=0, overdue=0, extended=0, updated=0))
        stats["due"] += 1
        if fact.completed_on is not None and fact.completed_on <= end:
            stats["on_time" if rules.completion_of(fact) == "on_time" else "late"] += 1
        elif rules.state_at(fact, end) == "overdue":
            stats["overdue"] += 1
        if rules.extended_by(fact, end):
            stats["extended"] += 1
        updated_at = first_update.get(fact.task_id)
        if updated_at is not None and updated_at.date() <= rules.deadline_in_force(fact, end):
            stats["updated"] += 1
    # Asking for direction (issue 13): ad-hoc answers due in the period count in the reporting share.
    from app.domain.direction import reporting_share
    from app.services.report_requests import adhoc_reporting

    adhoc = adhoc_reporting(start, end)
    rows = []
    for agency, stats in per_agency.items():
        report = reports.get(agency)
        on_time_report = bool(report and report.status == "submitted" and report.submitted_at.date() <= agency_due)
        reported = reporting_share(on_time_report, *adhoc.get(agency, (0, 0)))
        rows.append(Evaluation(
            agency_id=agency, period_key=period.label, tasks_due=stats["due"], completed_on_time=stats["on_time"],
            completed_late=stats["late"], overdue=stats["overdue"], extended=stats["extended"],
            updated_on_time=stats["updated"], report_on_time=on_time_report,
            score=score(stats["on_time"] / stats["due"], stats["updated"] / stats["due"], reported, w),
            rank=0, weights=str(w), computed_at=local_now()))
    rows.sort(key=lambda e: (-e.score, -e.completed_on_time, e.agency_id))
    for n, row in enumerate(rows, start=1):
        row.rank = n
    db.session.execute(delete(Evaluation).where(Evaluation.period_key == period.label))
    db.session.add_all(rows)
    db.session.commit()
    return rows


def published_periods() -> list[str]:
    return list(db.session.scalars(select(Evaluation.period_key).group_by(Evaluation.period_key)
                                   .order_by(Evaluation.period_key.desc())))
