"""Asking for direction (issue 13): ad-hoc report requests, difficulties and
disagreements, proposals to the Chairman and his directions, and the ladder that
an overdue task climbs. Pure: no Flask, no database.

- Art. 10.1.d, 18.4, 19.1: the Office (or the Chairman) asks agencies for a report
  outside the periodic cycle ("đột xuất"), by a date or within N working days.
- Art. 19.2, 10.1.b–c: a commune chair (any agency head) reports that a task exceeds
  its means; the Office records where agencies disagree.
- Art. 5.3.d, 6.3, 11.1.d, 18.3: the tracking officer proposes to the Chairman what
  to do about tasks that are late, not meeting requirements, in difficulty, disputed,
  or with little time left; the Office leader approves; the Chairman directs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.calendar import WorkingCalendar
from app.domain.lifecycle import EXTENSION_STATES, HEAD_ROLES, OFFICE_ROLES
from app.domain.vocabulary import AgencyKind, Role, StrEnum, TaskStatus

S = TaskStatus


class DirectionError(Exception):
    """A refusal, named by its code; the service turns it into a message."""

    def __init__(self, code: str, field: str | None = None):
        super().__init__(code)
        self.code, self.field = code, field


# --- who ---------------------------------------------------------------------------------

CHAIRMAN = Role.Chairman.value
AGENCY_ROLES = frozenset({Role.AgencyHead.value, Role.AgencyStaff.value, Role.CommuneChair.value})


def may_request_report(roles: frozenset[str]) -> bool:
    """Art. 18.4 (the Office), 19.1 (at the request of the Chairman)."""
    return bool(roles & (OFFICE_ROLES | {CHAIRMAN}))


def may_draft_answer(roles: frozenset[str]) -> bool:
    """Staff draft; the head or chair submits (as with progress updates)."""
    return bool(roles & AGENCY_ROLES)


def may_submit_answer(roles: frozenset[str]) -> bool:
    return bool(roles & HEAD_ROLES)


def may_report_difficulty(roles: frozenset[str], agency_id: int | None, lead_agency_id: int,
                          coordinating_ids: frozenset[int]) -> bool:
    """Art. 19.2: the chair (or head) of an agency that leads or coordinates the task."""
    return bool(roles & HEAD_ROLES) and agency_id is not None and (
        agency_id == lead_agency_id or agency_id in coordinating_ids)


def may_record_disagreement(roles: frozenset[str]) -> bool:
    """Art. 10.1.c: the Office records where agencies disagree."""
    return bool(roles & OFFICE_ROLES)


def may_draft_proposal(roles: frozenset[str]) -> bool:
    """Art. 5.3.d: the tracking officer (the Office) drafts."""
    return bool(roles & OFFICE_ROLES)


def may_submit_proposal(roles: frozenset[str]) -> bool:
    """The Office leader approves and sends it to the Chairman."""
    return Role.OfficeLeader.value in roles


def may_direct(roles: frozenset[str]) -> bool:
    return CHAIRMAN in roles


# --- ad-hoc report requests ----------------------------------------------------------------

class ReportScope(StrEnum):
    chosen = "chosen"
    all = "all"
    communes = "communes"
    departments = "departments"


COMMUNE_KINDS = frozenset({AgencyKind.commune.value, AgencyKind.ward.value, AgencyKind.special_zone.value})
DEPARTMENT_KINDS = frozenset({AgencyKind.department.value, AgencyKind.department_equivalent.value})
MAX_WORKING_DAYS = 60


def scope_kinds(scope: ReportScope | str) -> frozenset[str] | None:
    """The agency kinds a scope asks; None: every agency but the Office itself."""
    scope = ReportScope(scope)
    if scope == ReportScope.communes:
        return COMMUNE_KINDS
    if scope == ReportScope.departments:
        return DEPARTMENT_KINDS
    return None


def report_due(calendar: WorkingCalendar, sent_on: date, *, due_on: date | None = None,
               working_days: int | None = None) -> date:
    """The day the answer is due: a date given, or the N-th working day after sending
    (SPEC §3: the sending day does not count). Exactly one of the two."""
    if (due_on is None) == (working_days is None):
        raise DirectionError("due_required", "due_on")
    if working_days is not None:
        if not 1 <= working_days <= MAX_WORKING_DAYS:
            raise DirectionError("working_days_range", "due_working_days")
        return calendar.add_working_days(sent_on, working_days)
    if due_on <= sent_on:
        raise DirectionError("due_not_later", "due_on")
    return due_on


class AnswerState(StrEnum):
    on_time = "on_time"
    late = "late"
    not_yet = "not_yet"  # not submitted, still within the due date
    missing = "missing"  # not submitted, past the due date


def answer_state(due_on: date, submitted_at: datetime | None, today: date) -> AnswerState:
    """On time if submitted on or before the due day (like Art. 20.2 for periodic reports)."""
    if submitted_at is not None:
        return AnswerState.on_time if submitted_at.date() <= due_on else AnswerState.late
    return AnswerState.missing if today > due_on else AnswerState.not_yet


def answer_is_late(due_on: date, submitted_at: datetime | None, today: date) -> bool:
    return answer_state(due_on, submitted_at, today) in (AnswerState.late, AnswerState.missing)


def reporting_share(periodic_on_time: bool, adhoc_due: int, adhoc_on_time: int) -> float:
    """Art. 12: the reporting share of the evaluation counts the periodic report and every
    ad-hoc answer due in the period alike; a late (or missing) answer counts as a late report."""
    return (int(periodic_on_time) + adhoc_on_time) / (1 + adhoc_due)


# --- difficulties and disagreements --------------------------------------------------------

class IssueKind(StrEnum):
    difficulty = "difficulty"  # Art. 19.2
    disagreement = "disagreement"  # Art. 10.1.c


class IssueStatus(StrEnum):
    open = "open"
    answered = "answered"  # the Office answered directly
    proposed = "proposed"  # part of a proposal to the Chairman


def check_issue_handling(status: IssueStatus | str) -> None:
    """A difficulty is answered by the Office or proposed to the Chairman, once."""
    if IssueStatus(status) != IssueStatus.open:
        raise DirectionError("issue_handled")


# --- proposals to the Chairman -------------------------------------------------------------

class ProposalReason(StrEnum):
    overdue = "overdue"  # Art. 5.3.d, 18.3
    not_meeting = "not_meeting"  # Art. 5.3.d: not meeting requirements
    difficulty = "difficulty"  # Art. 19.2
    disagreement = "disagreement"  # Art. 10.1.c
    short_time = "short_time"  # Art. 6.3
    other = "other"


class ProposalStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"  # approved by the Office leader, in the Chairman's queue
    decided = "decided"  # every task has its direction


class Decision(StrEnum):
    urge = "urge"  # keep the task and urge
    extend = "extend"  # Art. 5.2.đ
    transfer = "transfer"  # to another lead agency: back to the Office to send
    withdraw = "withdraw"
    other = "other"  # free text


MAX_TASKS = 200


def check_submit(status: ProposalStatus | str) -> None:
    if ProposalStatus(status) != ProposalStatus.draft:
        raise DirectionError("not_draft")


# The states in which a direction can still act on a task.
DIRECTABLE = frozenset({S.assigned, S.in_progress, S.returned, S.reported})
TRANSFERABLE = frozenset({S.assigned, S.in_progress, S.returned})
WITHDRAWABLE = frozenset({S.draft, S.assigned, S.in_progress, S.returned, S.reported})


@dataclass(frozen=True)
class DirectionInput:
    decision: str
    deadline: date | None = None
    lead_agency_id: int | None = None
    comment: str | None = None


def check_direction(proposal_status: ProposalStatus | str, already_directed: bool, d: DirectionInput, *,
                    task_status: TaskStatus | str, task_deadline: date, lead_agency_id: int,
                    coordinating_ids: frozenset[int], today: date) -> Decision:
    """One direction per task of a proposal in the Chairman's queue; each choice is
    refused where the lifecycle would refuse it, so a direction that cannot be carried
    out changes nothing."""
    if ProposalStatus(proposal_status) != ProposalStatus.submitted:
        raise DirectionError("not_submitted")
    if already_directed:
        raise DirectionError("already_directed")
    try:
        decision = Decision(d.decision)
    except ValueError:
        raise DirectionError("decision_unknown", "decision")
    status = TaskStatus(task_status)
    if decision == Decision.extend:
        if status not in EXTENSION_STATES:  # Art. 5.2.đ: while it is being carried out
            raise DirectionError("extend_state")
        if d.deadline is None:
            raise DirectionError("deadline_required", "deadline")
        if d.deadline < today:
            raise DirectionError("deadline_past", "deadline")
        if d.deadline <= task_deadline:
            raise DirectionError("deadline_not_later", "deadline")
    elif decision == Decision.transfer:
        if status not in TRANSFERABLE:
            raise DirectionError("transfer_state")
        if d.lead_agency_id is None:
            raise DirectionError("lead_required", "lead_agency_id")
        if d.lead_agency_id == lead_agency_id:
            raise DirectionError("lead_same", "lead_agency_id")
        if d.lead_agency_id in coordinating_ids:
            raise DirectionError("lead_coordinating", "lead_agency_id")
    elif decision == Decision.withdraw:
        if status not in WITHDRAWABLE:
            raise DirectionError("withdraw_state")
        if not (d.comment or "").strip():
            raise DirectionError("comment_required", "comment")
    elif decision == Decision.other:
        if not (d.comment or "").strip():
            raise DirectionError("comment_required", "comment")
    elif status not in DIRECTABLE:  # urge
        raise DirectionError("urge_state")
    return decision


# --- Art. 6.3: little time left on a higher authority's document ---------------------------

def short_time_left(calendar: WorkingCalendar, received_on: date | None, deadline: date | None,
                    threshold: int) -> int | None:
    """The working days between receipt and the deadline when fewer than `threshold`
    (the Office then reports to the Chairman, Art. 6.3); else None."""
    if received_on is None or deadline is None or threshold <= 0:
        return None
    left = calendar.working_days_between(received_on, deadline)
    return left if left < threshold else None


# --- the ladder on an overdue task ---------------------------------------------------------

class Rung(StrEnum):
    reminder = "reminder"
    letter = "letter"  # an urging letter (Art. 18.5)
    proposal = "proposal"  # a proposal to the Chairman (Art. 5.3.d, 18.3)
    awaiting = "awaiting"  # a proposal is with the Office leader or the Chairman


@dataclass(frozen=True)
class LadderPolicy:
    letter_after: int = 3  # working days overdue before an urging letter
    proposal_after: int = 10  # working days overdue before a proposal

    def __post_init__(self):
        if self.letter_after < 1 or self.proposal_after < self.letter_after:
            raise ValueError("the ladder needs 1 <= letter_after <= proposal_after")


def next_rung(days_overdue: int, *, letter_issued: bool, proposal_open: bool, directed: bool,
              policy: LadderPolicy) -> Rung | None:
    """The rung the system suggests for an overdue task, one at a time: reminders, then
    an urging letter after N working days, then a proposal after M; none before the
    deadline has passed. After a direction, reminders continue (the direction is what
    the Chairman wants done)."""
    if days_overdue <= 0:
        return None
    if proposal_open:
        return Rung.awaiting
    if directed:
        return Rung.reminder
    if not letter_issued:
        return Rung.letter if days_overdue >= policy.letter_after else Rung.reminder
    return Rung.proposal if days_overdue >= policy.proposal_after else Rung.reminder
