"""The ladder on every overdue task (issue 13; Art. 10, 11, 18.3, 18.5): reminders sent
(with dates), urging letters issued, proposals made, directions given, and the next rung
the system suggests (app.domain.direction.next_rung: a reminder → an urging letter after
N working days overdue → a proposal to the Chairman after M).

Set-based: the rung of every overdue task is an SQL condition (the working-day thresholds
become two deadline cut-off dates, computed once on the calendar), so the overdue list
filters by rung over a million tasks with indexed EXISTS, and the history of a page of
tasks is read with one GROUP BY per kind.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, exists, func, literal, not_, or_, select

from app.access import Viewer
from app.domain.direction import LadderPolicy, Rung, next_rung
from app.domain.lifecycle import OFFICE_ROLES, WITH_THE_AGENCY
from app.extensions import db
from app.models import AppUser, Notification, Task, UrgingLetter, local_now, urging_letter_task
from app.models_direction import Proposal, ProposalTask
from app.services.calendar import current_calendar, today
from app.services.errors import Forbidden, Invalid
from app.services.notifications import NOTIFICATION_COLUMNS, agency_users, insert_ignoring_duplicates

OPEN = [s.value for s in WITH_THE_AGENCY]
REMINDER_KINDS = ("due_soon", "due_today", "overdue", "ladder_reminder")
RUNG_LABEL = {
    Rung.reminder: _l("Reminder"),
    Rung.letter: _l("Urging letter"),
    Rung.proposal: _l("Proposal to the Chairman"),
    Rung.awaiting: _l("Waiting for the Chairman's direction"),
}


def policy() -> LadderPolicy:
    config = current_app.config
    return LadderPolicy(
        letter_after=int(config["LADDER_LETTER_AFTER"]), proposal_after=int(config["LADDER_PROPOSAL_AFTER"]))


def cutoff(day: dt.date, working_days: int) -> dt.date:
    """The latest deadline that is at least `working_days` working days overdue on `day`."""
    calendar = current_calendar()
    candidate = day - dt.timedelta(days=working_days)
    while calendar.working_days_between(candidate, day) < working_days:
        candidate -= dt.timedelta(days=1)
    while calendar.working_days_between(candidate + dt.timedelta(days=1), day) >= working_days:
        candidate += dt.timedelta(days=1)
    return candidate


def _letter_issued():
    return exists(select(urging_letter_task.c.task_id)
                  .join(UrgingLetter, UrgingLetter.id == urging_letter_task.c.letter_id)
                  .where(urging_letter_task.c.task_id == Task.id, UrgingLetter.status == "issued"))


def _proposal_open():
    return exists(select(ProposalTask.task_id).join(Proposal, Proposal.id == ProposalTask.proposal_id)
                  .where(ProposalTask.task_id == Task.id, ProposalTask.decision.is_(None),
                         Proposal.status.in_(["draft", "submitted"])))


def _directed():
    return exists(select(ProposalTask.task_id).where(ProposalTask.task_id == Task.id,
                                                     ProposalTask.decision.is_not(None)))


def rung_condition(rung: str, day: dt.date | None = None):
    """The SQL condition on Task for overdue tasks whose next rung is `rung` (next_rung, as SQL)."""
    day, rules = day or today(), policy()
    letter_cut, proposal_cut = cutoff(day, rules.letter_after), cutoff(day, rules.proposal_after)
    overdue = and_(Task.status.in_(OPEN), Task.deadline < day)
    awaiting, directed, letter = _proposal_open(), _directed(), _letter_issued()
    free = and_(overdue, not_(awaiting), not_(directed))
    try:
        rung = Rung(rung)
    except ValueError:
        raise Invalid(_l("Unknown rung: %(rung)s.", rung=rung), {"rung": [_l("Unknown.")]})
    if rung == Rung.awaiting:
        return and_(overdue, awaiting)
    if rung == Rung.letter:
        return and_(free, not_(letter), Task.deadline <= letter_cut)
    if rung == Rung.proposal:
        return and_(free, letter, Task.deadline <= proposal_cut)
    return and_(overdue, not_(awaiting), or_(directed, and_(not_(letter), Task.deadline > letter_cut),
                                              and_(letter, Task.deadline > proposal_cut)))


@dataclass
class Ladder:
    days_overdue: int
    reminders: list[dt.date] = field(default_factory=list)  # days a reminder went out (latest first)
    letters: list[tuple[str, dt.date]] = field(default_factory=list)  # (number, issued on)
    proposals: list[tuple[int, str]] = field(default_factory=list)  # (id, status)
    directions: list[tuple[str, dt.datetime]] = field(default_factory=list)
    next: Rung | None = None


def ladders(tasks: list[Task], day: dt.date | None = None) -> dict[int, Ladder]:
    """The ladder of each task of a page: one query per kind, whatever the page size."""
    day, rules, calendar = day or today(), policy(), current_calendar()
    ids = [t.id for t in tasks]
    out = {t.id: Ladder(days_overdue=calendar.working_days_between(t.deadline, day) if t.deadline < day else 0)
           for t in tasks}
    if not ids:
        return out
    for task_id, reminded_on in db.session.execute(
            select(Notification.task_id, Notification.day).where(
                Notification.task_id.in_(ids), Notification.kind.in_(REMINDER_KINDS))
            .group_by(Notification.task_id, Notification.day).order_by(Notification.day.desc())):
        out[task_id].reminders.append(reminded_on)
    for task_id, number, issued_on in db.session.execute(
            select(urging_letter_task.c.task_id, UrgingLetter.number, UrgingLetter.issued_on)
            .join(UrgingLetter, UrgingLetter.id == urging_letter_task.c.letter_id)
            .where(urging_letter_task.c.task_id.in_(ids), UrgingLetter.status == "issued")
            .order_by(UrgingLetter.issued_on)):
        out[task_id].letters.append((number, issued_on))
    for task_id, proposal_id, status, decision, decided_at in db.session.execute(
            select(ProposalTask.task_id, Proposal.id, Proposal.status, ProposalTask.decision, ProposalTask.decided_at)
            .join(Proposal, Proposal.id == ProposalTask.proposal_id).where(ProposalTask.task_id.in_(ids))
            .order_by(Proposal.id)):
        out[task_id].proposals.append((proposal_id, status if decision is None else "decided"))
        if decision:
            out[task_id].directions.append((decision, decided_at))
    for ladder in out.values():
        open_proposal = any(s in ("draft", "submitted") for _, s in ladder.proposals)
        ladder.next = next_rung(ladder.days_overdue, letter_issued=bool(ladder.letters), proposal_open=open_proposal,
                                directed=bool(ladder.directions), policy=rules)
    return out


def _require_office(viewer: Viewer) -> None:
    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office climbs the ladder on overdue tasks."))
    g.acting_user_id = viewer.user_id


def _overdue_ids(task_ids) -> dict[int, list[int]]:
    """The chosen tasks that are still overdue and with the agency, by lead agency."""
    rows = db.session.execute(select(Task.lead_agency_id, Task.id).where(
        Task.id.in_(list(task_ids) or [0]), Task.status.in_(OPEN), Task.deadline < today())
        .order_by(Task.lead_agency_id, Task.deadline)).all()
    grouped: dict[int, list[int]] = {}
    for agency, task_id in rows:
        grouped.setdefault(agency, []).append(task_id)
    if not grouped:
        raise Invalid(_l("Choose at least one overdue task."), {"task_ids": [_l("Choose at least one overdue task.")]})
    return grouped


def remind_now(task_ids, *, viewer: Viewer) -> int:
    """The first rung, now: the lead agencies' users and the officers are reminded, once a day."""
    _require_office(viewer)
    grouped = _overdue_ids(task_ids)
    ids = [t for ts in grouped.values() for t in ts]
    users = agency_users(AppUser.agency_id)
    day = today()
    columns = lambda user_col: (  # noqa: E731
        user_col, literal("ladder_reminder"), literal(f"ladder_reminder:{day.isoformat()}:") + cast(Task.id, String),
        Task.id, literal(day), func.substr(Task.content, 1, 300), literal("/tasks/show/") + cast(Task.id, String),
        literal(local_now()))
    done = insert_ignoring_duplicates(
        select(*columns(users.c.user_id)).join(users, users.c.agency_id == Task.lead_agency_id)
        .where(Task.id.in_(ids)), NOTIFICATION_COLUMNS)
    db.session.commit()
    return done


def draft_letters(task_ids, *, viewer: Viewer) -> list[int]:
    """The second rung for many tasks at once: one draft letter per lead agency, in one transaction."""
    from app.services.letters import draft_letter, schedule_render

    _require_office(viewer)
    grouped = _overdue_ids(task_ids)
    batch = f"ladder-{today().isoformat()}-{uuid.uuid4().hex[:8]}"
    letters = [draft_letter(agency, ids, viewer=viewer, batch_key=batch, commit=False).id
               for agency, ids in grouped.items()]
    db.session.commit()
    for letter_id in letters:
        schedule_render(letter_id)
    return letters


def draft_proposal(task_ids, *, viewer: Viewer):
    """The third rung for many tasks at once: one proposal to the Chairman."""
    from app.services.proposals import draft_proposal as draft

    _require_office(viewer)
    grouped = _overdue_ids(task_ids)
    return draft(viewer=viewer, task_ids=[t for ts in grouped.values() for t in ts], reason="overdue")

