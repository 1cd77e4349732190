"""Inspections (Quy chế Chương V, Art. 13–17), as pure rules.

An inspection is drafted (by the Office for the Chairman, Art. 13.1.a–b, or by an
agency head within its own scope, Art. 13.2, 15.4), issued (the Chairman's decision,
Art. 15.1; the agency head's for its own), runs from its start date to its end date
(Art. 16), and is closed by its result report (Art. 17), due 10 working days after the
end for the Office's inspections (Art. 17.2) and 7 for an agency's own (Art. 17.1).

The stored stage is draft → issued → reported; the status a user sees adds the dates:
draft → issued (before the start) → running → ended (report not yet submitted) → reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.vocabulary import Role, StrEnum


class ConductedBy(StrEnum):
    office = "office"  # the Chairman's Working Group, prepared by the Office (Art. 13.1, 15.1)
    agency = "agency"  # an agency's own inspection within its scope (Art. 13.2, 15.4)


class InspectionForm(StrEnum):
    """Art. 14.2: regular and periodic by an approved plan; ad hoc on direction or when an
    agency is found not doing, or not rightly doing, its tasks."""

    regular = "regular"
    periodic = "periodic"
    ad_hoc = "ad_hoc"


class Stage(StrEnum):
    """What is stored; the dates make the rest of the status."""

    draft = "draft"
    issued = "issued"
    reported = "reported"


class InspectionStatus(StrEnum):
    draft = "draft"
    issued = "issued"
    running = "running"
    ended = "ended"
    reported = "reported"


# Art. 17.1 (an agency's own inspection: 07 working days), Art. 17.2 (the Office: 10).
REPORT_WORKING_DAYS = {ConductedBy.office: 10, ConductedBy.agency: 7}


def report_due_on(calendar, conducted_by: ConductedBy | str, end_on: date) -> date:
    """"Chậm nhất 10 (07) ngày làm việc sau khi kết thúc kiểm tra": the n-th working day
    after the end date (SPEC §3: the end date itself never counts)."""
    return calendar.add_working_days(end_on, REPORT_WORKING_DAYS[ConductedBy(conducted_by)])


def status_of(stage: Stage | str, start_on: date, end_on: date, today: date) -> InspectionStatus:
    stage = Stage(stage)
    if stage == Stage.draft:
        return InspectionStatus.draft
    if stage == Stage.reported:
        return InspectionStatus.reported
    if today < start_on:
        return InspectionStatus.issued
    if today <= end_on:
        return InspectionStatus.running
    return InspectionStatus.ended


# SPEC §1, §4.8: a Working Group member sees the inspected agencies' tasks from the start
# date until the result report is submitted — while running, and after the end until then.
GRANTS_VISIBILITY = frozenset({InspectionStatus.running, InspectionStatus.ended})


def report_late(due_on: date, submitted_on: date | None, today: date) -> bool:
    """Late: submitted after the due date, or not submitted and the due date has passed."""
    if submitted_on is not None:
        return submitted_on > due_on
    return today > due_on


def check_dates(start_on: date | None, end_on: date | None) -> str | None:
    """The reason the dates are refused, or None."""
    if start_on is None:
        return "start_required"
    if end_on is None:
        return "end_required"
    if end_on < start_on:
        return "end_before_start"
    return None


class Party(StrEnum):
    office = "office"  # OfficeOfficial, OfficeLeader (Art. 13.1)
    chairman = "chairman"  # Art. 15.1
    conducting_head = "conducting_head"  # head of the agency inspecting within its scope (Art. 13.2)
    conducting_staff = "conducting_staff"
    leader = "leader"  # Tổ trưởng Tổ công tác (Art. 16.1–16.2)
    member = "member"  # thành viên Tổ công tác
    inspected_head = "inspected_head"  # head / chair of an inspected agency (Art. 16.3)
    inspected_staff = "inspected_staff"
    other = "other"


OFFICE_ROLES = frozenset({Role.OfficeOfficial.value, Role.OfficeLeader.value})
HEAD_ROLES = frozenset({Role.AgencyHead.value, Role.CommuneChair.value})


def parties_of(*, roles: frozenset[str], user_id: int | None, agency_id: int | None,
               conducted_by: ConductedBy | str, conducting_agency_id: int | None,
               leader_id: int | None, member_ids: frozenset[int],
               inspected_ids: frozenset[int]) -> frozenset[Party]:
    parties: set[Party] = set()
    office_kind = ConductedBy(conducted_by) == ConductedBy.office
    if roles & OFFICE_ROLES:
        parties.add(Party.office)
    if Role.Chairman.value in roles:
        parties.add(Party.chairman)
    if not office_kind and agency_id is not None and agency_id == conducting_agency_id:
        if roles & HEAD_ROLES:
            parties.add(Party.conducting_head)
        if Role.AgencyStaff.value in roles:
            parties.add(Party.conducting_staff)
    if user_id is not None and user_id == leader_id:
        parties.add(Party.leader)
    if user_id is not None and (user_id in member_ids or user_id == leader_id):
        parties.add(Party.member)  # the leader is a member too
    if agency_id is not None and agency_id in inspected_ids:
        if roles & HEAD_ROLES:
            parties.add(Party.inspected_head)
        if Role.AgencyStaff.value in roles:
            parties.add(Party.inspected_staff)
    return frozenset(parties or {Party.other})


class Action(StrEnum):
    edit = "edit"  # change the draft decision
    submit = "submit"  # the Office submits the draft to the Chairman
    send_back = "send_back"  # the Chairman returns it to the Office with a note
    issue = "issue"  # Art. 15.1 (the Chairman), 15.4 (an agency head for its own)
    plan = "plan"  # the group's plan (Art. 15.3), invitations (16.2), requests (16.3)
    finding = "finding"  # findings of the group (Art. 17.3)
    agency_report = "agency_report"  # the inspected agency's report (Art. 16.3, 19.4)
    report = "report"  # submit the result report (Art. 17)


S = InspectionStatus
P = Party


@dataclass(frozen=True)
class Rule:
    states: frozenset[InspectionStatus]
    office_kind: frozenset[Party]  # who, for the Office's inspections
    agency_kind: frozenset[Party]  # who, for an agency's own


RULES: dict[Action, Rule] = {
    Action.edit: Rule(frozenset({S.draft}), frozenset({P.office}), frozenset({P.conducting_head, P.conducting_staff})),
    Action.submit: Rule(frozenset({S.draft}), frozenset({P.office}), frozenset()),
    Action.send_back: Rule(frozenset({S.draft}), frozenset({P.chairman}), frozenset()),
    Action.issue: Rule(frozenset({S.draft}), frozenset({P.chairman}), frozenset({P.conducting_head})),
    Action.plan: Rule(frozenset({S.issued, S.running}), frozenset({P.leader}), frozenset({P.leader})),
    Action.finding: Rule(frozenset({S.running, S.ended}), frozenset({P.member}), frozenset({P.member})),
    Action.agency_report: Rule(frozenset({S.issued, S.running, S.ended}),
                               frozenset({P.inspected_head, P.inspected_staff}),
                               frozenset({P.inspected_head, P.inspected_staff})),
    # "the leader or the Office" (the Office writes the result report of its inspection, Art. 13.1.b);
    # for an agency's own, the leader or its head (Art. 17.1).
    Action.report: Rule(frozenset({S.running, S.ended}), frozenset({P.leader, P.office}),
                        frozenset({P.leader, P.conducting_head})),
}


class InspectionRuleError(Exception):
    def __init__(self, action: Action, status: InspectionStatus):
        super().__init__(f"{action} in {status}")
        self.action, self.status = action, status


class NotYourAction(InspectionRuleError):
    """403: the user's part in the inspection does not allow the action."""


class WrongState(InspectionRuleError):
    """409: the inspection's status does not allow it now."""


def who_may(action: Action | str, conducted_by: ConductedBy | str) -> frozenset[Party]:
    rule = RULES[Action(action)]
    return rule.office_kind if ConductedBy(conducted_by) == ConductedBy.office else rule.agency_kind


def check(action: Action | str, status: InspectionStatus | str, conducted_by: ConductedBy | str,
          parties: frozenset[Party]) -> None:
    """The role first, then the state: a user never learns more than they may."""
    action, status = Action(action), InspectionStatus(status)
    if not who_may(action, conducted_by) & parties:
        raise NotYourAction(action, status)
    if status not in RULES[action].states:
        raise WrongState(action, status)


def allowed(status: InspectionStatus | str, conducted_by: ConductedBy | str,
            parties: frozenset[Party]) -> frozenset[Action]:
    status = InspectionStatus(status)
    return frozenset(a for a, rule in RULES.items()
                     if status in rule.states and who_may(a, conducted_by) & parties)


def may_draft(roles: frozenset[str], conducted_by: ConductedBy | str) -> bool:
    """Art. 13.1.a–b: the Office drafts the Chairman's decisions; Art. 13.2, 15.4: an agency's
    head (or its staff, for the head to issue) sets up its own."""
    if ConductedBy(conducted_by) == ConductedBy.office:
        return bool(roles & OFFICE_ROLES)
    return bool(roles & (HEAD_ROLES | {Role.AgencyStaff.value}))


def may_submit_agency_report(parties: frozenset[Party]) -> bool:
    """Art. 16.3: staff draft, the head submits."""
    return Party.inspected_head in parties


# -- the year's inspection plan (Art. 13.1.a, 14.2.a) -------------------------------------------
# The Office drafts the plan of regular and periodic inspections of the year and submits it; the
# Chairman approves it (or sends it back); from an approved plan's line the Office drafts a decision.

class PlanStage(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"


class PlanAction(StrEnum):
    edit = "edit"  # add or remove lines
    submit = "submit"
    approve = "approve"
    send_back = "send_back"
    draft_decision = "draft_decision"


PLAN_RULES: dict[PlanAction, tuple[frozenset[PlanStage], frozenset[Party]]] = {
    PlanAction.edit: (frozenset({PlanStage.draft}), frozenset({Party.office})),
    PlanAction.submit: (frozenset({PlanStage.draft}), frozenset({Party.office})),
    PlanAction.approve: (frozenset({PlanStage.submitted}), frozenset({Party.chairman})),
    PlanAction.send_back: (frozenset({PlanStage.submitted}), frozenset({Party.chairman})),
    PlanAction.draft_decision: (frozenset({PlanStage.approved}), frozenset({Party.office})),
}


class PlanRuleError(Exception):
    def __init__(self, action: PlanAction, stage: PlanStage):
        super().__init__(f"{action} in {stage}")
        self.action, self.stage = action, stage


class PlanNotYours(PlanRuleError):
    pass


class PlanWrongStage(PlanRuleError):
    pass


def plan_parties(roles: frozenset[str]) -> frozenset[Party]:
    parties = set()
    if roles & OFFICE_ROLES:
        parties.add(Party.office)
    if Role.Chairman.value in roles:
        parties.add(Party.chairman)
    return frozenset(parties or {Party.other})


def check_plan(action: PlanAction | str, stage: PlanStage | str, roles: frozenset[str]) -> None:
    action, stage = PlanAction(action), PlanStage(stage)
    stages, who = PLAN_RULES[action]
    if not who & plan_parties(roles):
        raise PlanNotYours(action, stage)
    if stage not in stages:
        raise PlanWrongStage(action, stage)


def plan_actions(stage: PlanStage | str, roles: frozenset[str]) -> frozenset[PlanAction]:
    stage, parties = PlanStage(stage), plan_parties(roles)
    return frozenset(a for a, (stages, who) in PLAN_RULES.items() if stage in stages and who & parties)


# Art. 14.2.a: the plan holds regular and periodic inspections; ad hoc ones (14.2.b) come without it.
PLANNED_FORMS = frozenset({InspectionForm.regular, InspectionForm.periodic})
