"""The life of a task (SPEC §4.3–4.5; Quy chế Chương II, Art. 10).

draft → assigned (the Office sends it to the lead agency) → in_progress (the
agency receives it) → reported (the lead agency submits its result) → completed
(the Office confirms it, Art. 5.1.c, 5.3.đ). From assigned the agency may return
it with feedback (Art. 5.2.b); the Office corrects it or transfers it to another
lead agency and sends it again. From reported the Office may refuse the result
with a reason (back to in_progress). The Office may withdraw a task with a
reason. Nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.vocabulary import Role, StrEnum, TaskStatus


class Action(StrEnum):
    send = "send"
    receive = "receive"
    return_ = "return"
    report = "report"
    confirm = "confirm"
    refuse = "refuse"
    withdraw = "withdraw"


class Party(StrEnum):
    """Who acts, as the rules see them."""

    office = "office"  # OfficeOfficial, OfficeLeader (Art. 5.1, 5.3)
    lead_head = "lead_head"  # AgencyHead / CommuneChair of the lead agency
    lead_staff = "lead_staff"  # AgencyStaff of the lead agency: drafts only
    coordinating = "coordinating"  # any user of a coordinating agency (Art. 10.3)
    chairman = "chairman"
    other = "other"


OFFICE_ROLES = frozenset({Role.OfficeOfficial.value, Role.OfficeLeader.value})
HEAD_ROLES = frozenset({Role.AgencyHead.value, Role.CommuneChair.value})


def party_of(roles: frozenset[str], agency_id: int | None, lead_agency_id: int,
             coordinating_ids: frozenset[int]) -> frozenset[Party]:
    """The parties a user is to one task (a user may be several, e.g. none)."""
    parties = set()
    if roles & OFFICE_ROLES:
        parties.add(Party.office)
    if Role.Chairman.value in roles:
        parties.add(Party.chairman)
    if agency_id is not None and agency_id == lead_agency_id:
        if roles & HEAD_ROLES:
            parties.add(Party.lead_head)
        if Role.AgencyStaff.value in roles:
            parties.add(Party.lead_staff)
    if agency_id is not None and agency_id in coordinating_ids:
        parties.add(Party.coordinating)
    return frozenset(parties or {Party.other})


@dataclass(frozen=True)
class Transition:
    sources: frozenset[TaskStatus]
    target: TaskStatus
    by: Party
    needs_comment: bool = False


S = TaskStatus
TRANSITIONS: dict[Action, Transition] = {
    Action.send: Transition(frozenset({S.draft, S.returned}), S.assigned, Party.office),
    Action.receive: Transition(frozenset({S.assigned}), S.in_progress, Party.lead_head),
    # Art. 5.2.b: the content is wrong or outside the agency's competence.
    Action.return_: Transition(frozenset({S.assigned}), S.returned, Party.lead_head, needs_comment=True),
    Action.report: Transition(frozenset({S.in_progress}), S.reported, Party.lead_head),
    # Art. 5.1.c, 5.3.đ: the Office confirms the result against the assigning document.
    Action.confirm: Transition(frozenset({S.reported}), S.completed, Party.office),
    Action.refuse: Transition(frozenset({S.reported}), S.in_progress, Party.office, needs_comment=True),
    Action.withdraw: Transition(
        frozenset({S.draft, S.assigned, S.in_progress, S.returned, S.reported}), S.withdrawn,
        Party.office, needs_comment=True),
}


class LifecycleError(Exception):
    code = "lifecycle"

    def __init__(self, action: Action, status: TaskStatus):
        super().__init__(f"{action} from {status}")
        self.action, self.status = action, status


class NotYourAction(LifecycleError):
    """The role may not do this (403)."""

    code = "forbidden"


class WrongState(LifecycleError):
    """The task's state does not allow it (409)."""

    code = "state"


class CommentRequired(LifecycleError):
    code = "comment_required"


def next_status(status: TaskStatus | str, action: Action | str, parties: frozenset[Party],
                comment: str | None = None) -> TaskStatus:
    """The state after `action`, or the reason it is refused. The role is
    checked before the state, so a user never learns more than they may."""
    action, status = Action(action), TaskStatus(status)
    rule = TRANSITIONS[action]
    if rule.by not in parties:
        raise NotYourAction(action, status)
    if status not in rule.sources:
        raise WrongState(action, status)
    if rule.needs_comment and not (comment or "").strip():
        raise CommentRequired(action, status)
    return rule.target


def allowed_actions(status: TaskStatus | str, parties: frozenset[Party]) -> list[Action]:
    status = TaskStatus(status)
    return [a for a, rule in TRANSITIONS.items() if rule.by in parties and status in rule.sources]


# The states in which the lead agency must act on the task: reminders and
# urging letters are about these (a returned or reported task waits for the Office).
WITH_THE_AGENCY = frozenset({S.assigned, S.in_progress})


# Corrections by the Office (Art. 5.1.b, 5.3.b). Once the task is with its lead
# agency, the deadline moves only by an extension the Chairman approves
# (Art. 5.2.đ) and the lead agency changes only after the agency returns it
# (Art. 5.2.b): both may be corrected only in these states.
ASSIGNMENT_CORRECTABLE = frozenset({S.draft, S.returned})


# Progress updates and contributions (Art. 5.2.d, 6.2, 10.3).
def may_post_update(status: TaskStatus | str, parties: frozenset[Party]) -> bool:
    """Lead agency heads post progress; staff draft it; coordinating agencies
    post their contribution — while the task is with the agencies."""
    open_states = {S.assigned, S.in_progress, S.reported}
    return TaskStatus(status) in open_states and bool(
        parties & {Party.lead_head, Party.lead_staff, Party.coordinating})


def update_is_draft(parties: frozenset[Party]) -> bool:
    """AgencyStaff draft; only the head (or chair) posts (issue: lifecycle)."""
    return Party.lead_head not in parties and Party.lead_staff in parties


# Extensions (Art. 5.2.đ, SPEC §4.4).
EXTENSION_STATES = frozenset({S.assigned, S.in_progress})


class ExtensionError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ExtensionAssessment:
    late: bool  # asked after the deadline in force had passed


def may_ask_extension(status: TaskStatus | str, parties: frozenset[Party]) -> bool:
    return Party.lead_head in parties and TaskStatus(status) in EXTENSION_STATES


def may_record_extension(status: TaskStatus | str, parties: frozenset[Party]) -> bool:
    """The Office records an extension the Chairman approved outside the system."""
    return Party.office in parties and TaskStatus(status) in EXTENSION_STATES


def may_report_delay(parties: frozenset[Party]) -> bool:
    """Art. 19.3: an agency on the task tells the Office another one is late (its
    head; the Office records reports received on paper)."""
    return bool(parties & {Party.office, Party.lead_head, Party.coordinating})


def check_extension_request(status: TaskStatus | str, parties: frozenset[Party], *,
                            has_pending: bool, proposed: date | None, deadline: date,
                            today: date, reason: str | None) -> ExtensionAssessment:
    """Art. 5.2.đ: the lead agency asks, with a reason and a proposed date; one
    pending request per task; a request after the deadline is allowed, marked late."""
    if Party.lead_head not in parties:
        raise ExtensionError("forbidden")
    if TaskStatus(status) not in EXTENSION_STATES:
        raise ExtensionError("state")
    if has_pending:
        raise ExtensionError("pending")
    if not (reason or "").strip():
        raise ExtensionError("reason_required")
    if proposed is None:
        raise ExtensionError("date_required")
    if proposed <= deadline:
        raise ExtensionError("not_later")
    return ExtensionAssessment(late=today > deadline)


def check_extension_decision(parties: frozenset[Party], *, approve: bool, chosen: date | None,
                             deadline: date) -> None:
    """Only the Chairman decides (Art. 5.2.đ); an approved date must move the deadline later."""
    if Party.chairman not in parties:
        raise ExtensionError("forbidden")
    if approve and (chosen is None or chosen <= deadline):
        raise ExtensionError("not_later")


def extended_deadlines(deadline: date, original_deadline: date | None, approved: date) -> tuple[date, date]:
    """(new deadline, original deadline): the first deadline is kept however
    many extensions follow (SPEC §4.4)."""
    return approved, original_deadline or deadline


class Completion(StrEnum):
    on_time = "on_time"
    late = "late"


def completion(status: TaskStatus | str, completed_on: date | None, deadline: date) -> Completion | None:
    """SPEC §4.5: on time if the confirmed result was submitted on or before
    the deadline in force."""
    if TaskStatus(status) != S.completed or completed_on is None:
        return None
    return Completion.on_time if completed_on <= deadline else Completion.late
