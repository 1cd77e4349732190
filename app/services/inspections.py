"""Inspections (Chương V, Art. 13–17): one function per action, each validating then running in
one transaction, raising one exception class per refusal (403 role, 404 not visible, 409 state,
422 input). The rules are app.domain.inspections'; who may see an inspection is decided inside
the lookups below (`visible_inspections`), never by the caller.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, literal, or_, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.access import Viewer, visible_task
from app.domain import inspections as rules
from app.domain.inspections import Action, ConductedBy, InspectionForm, InspectionStatus, Party, Stage
from app.domain.text import TEXT_MAX
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import (Agency, AppUser, ChangeLog, Inspection, InspectionAgency, InspectionAgencyReport,
                        InspectionFinding, InspectionMember, InspectionStep, Task, local_now,
                        task_coordinating_agency)
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from app.services.notifications import AGENCY_ROLES, agency_users, notify, users_with_roles


# -- refusals: one class per reason ---------------------------------------------------------------

class InspectionNotFound(NotFound):
    def __init__(self):
        super().__init__(_l("No such inspection."))


class NotYourInspectionAction(Forbidden):
    pass


class InspectionStateConflict(Conflict):
    pass


class InvalidInspection(Invalid):
    pass


ACTION_LABEL = {
    Action.edit: _l("change this draft decision"),
    Action.submit: _l("submit this decision to the Chairman"),
    Action.send_back: _l("send this decision back"),
    Action.issue: _l("issue this decision"),
    Action.plan: _l("record the Working Group's plan, invitations and requests"),
    Action.finding: _l("record findings"),
    Action.agency_report: _l("write the inspected agency's report"),
    Action.report: _l("submit the result report"),
}
STATUS_LABEL = {
    InspectionStatus.draft: _l("Draft decision"),
    InspectionStatus.issued: _l("Issued, not started"),
    InspectionStatus.running: _l("Inspection under way"),
    InspectionStatus.ended: _l("Ended, result report due"),
    InspectionStatus.reported: _l("Result reported"),
}
FORM_LABEL = {
    InspectionForm.regular: _l("Regular"),
    InspectionForm.periodic: _l("Periodic"),
    InspectionForm.ad_hoc: _l("Ad hoc"),
}
CONDUCTED_LABEL = {ConductedBy.office: _l("The Chairman's Working Group (Office)"),
                   ConductedBy.agency: _l("An agency's own inspection")}

HEADS = (Role.AgencyHead.value, Role.CommuneChair.value)


# -- the row-level rule for inspections ------------------------------------------------------------

def visible_inspections(viewer: Viewer):
    """The Office, the Chairman and the Admin see every inspection. Others see those their
    agency conducts (any stage), and, once issued, those whose Working Group they are in, those
    that inspect their agency (Art. 16.3, 17.2) and those their agency is invited to (Art. 16.2)."""
    stmt = select(Inspection)
    if viewer.sees_all:
        return stmt
    if viewer.user_id is None:
        return stmt.where(literal(False))
    in_group = exists(select(InspectionMember.user_id).where(
        InspectionMember.inspection_id == Inspection.id, InspectionMember.user_id == viewer.user_id))
    conditions = [in_group]
    if viewer.agency_id is not None:
        conditions.append(exists(select(InspectionAgency.agency_id).where(
            InspectionAgency.inspection_id == Inspection.id, InspectionAgency.agency_id == viewer.agency_id)))
        # Art. 16.2: an agency invited to send representatives sees the decision it works on.
        conditions.append(exists(select(InspectionStep.id).where(
            InspectionStep.inspection_id == Inspection.id, InspectionStep.kind == "invitation",
            InspectionStep.agency_id == viewer.agency_id)))
    issued = and_(Inspection.stage != Stage.draft.value, or_(*conditions))
    if viewer.agency_id is None:
        return stmt.where(issued)
    return stmt.where(or_(Inspection.agency_id == viewer.agency_id, issued))


def visible_inspection(inspection_id, viewer: Viewer) -> Inspection | None:
    try:
        inspection_id = int(inspection_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(visible_inspections(viewer).where(Inspection.id == inspection_id).options(
        selectinload(Inspection.inspected).selectinload(InspectionAgency.agency),
        selectinload(Inspection.members).selectinload(InspectionMember.user)))


def _load(inspection_id, viewer: Viewer) -> Inspection:
    inspection = visible_inspection(inspection_id, viewer)
    if inspection is None:
        raise InspectionNotFound()
    g.acting_user_id = viewer.user_id
    return inspection


def status(inspection: Inspection, on: dt.date | None = None) -> InspectionStatus:
    return rules.status_of(inspection.stage, inspection.start_on, inspection.end_on, on or today())


def parties(inspection: Inspection, viewer: Viewer) -> frozenset[Party]:
    return rules.parties_of(roles=viewer.roles, user_id=viewer.user_id, agency_id=viewer.agency_id,
                            conducted_by=inspection.conducted_by, conducting_agency_id=inspection.agency_id,
                            leader_id=inspection.leader_id, member_ids=inspection.member_ids,
                            inspected_ids=inspection.inspected_ids)


def allowed(inspection: Inspection, viewer: Viewer) -> frozenset[Action]:
    return rules.allowed(status(inspection), inspection.conducted_by, parties(inspection, viewer))


def _check(inspection: Inspection, action: Action, viewer: Viewer) -> None:
    try:
        rules.check(action, status(inspection), inspection.conducted_by, parties(inspection, viewer))
    except rules.NotYourAction:
        raise NotYourInspectionAction(_l("You may not %(action)s.", action=ACTION_LABEL[action]))
    except rules.WrongState as error:
        raise InspectionStateConflict(_l("You cannot %(action)s now: the inspection is “%(status)s”.",
                                         action=ACTION_LABEL[action], status=STATUS_LABEL[error.status]))


def report_is_late(inspection: Inspection) -> bool:
    return rules.report_late(inspection.report_due_on, inspection.report_submitted_on, today())


def working_days_left(inspection: Inspection) -> int | None:
    if inspection.report_submitted_on is not None:
        return None
    return current_calendar().remaining_working_days(today(), inspection.report_due_on)


def _log(inspection: Inspection, action: str, viewer: Viewer, comment: str | None = None) -> None:
    """The inspection's history: append-only like every ChangeLog row (app.history)."""
    db.session.add(ChangeLog(entity="inspection", entity_id=inspection.id, action=action,
                             comment=(comment or None) and comment[:TEXT_MAX], user_id=viewer.user_id))


def history(inspection: Inspection) -> list[ChangeLog]:
    return db.session.scalars(select(ChangeLog).where(
        ChangeLog.entity == "inspection", ChangeLog.entity_id == inspection.id).order_by(ChangeLog.id)).all()


# -- notifications (app/services/notifications.py) -----------------------------------------------

def _agency_user_ids(agency_ids, roles=AGENCY_ROLES) -> list[int]:
    if not agency_ids:
        return []
    users = agency_users(AppUser.agency_id, roles)
    return list(db.session.scalars(select(users.c.user_id).where(users.c.agency_id.in_(list(agency_ids)))))


def _tell(user_ids, inspection: Inspection, kind: str, message, key_suffix: str = "", actor: Viewer | None = None):
    ids = [u for u in set(user_ids) if u and (actor is None or u != actor.user_id)]
    notify(ids, kind=kind, key=f"{kind}:{inspection.id}{key_suffix}", message=str(message)[:300],
           link=f"/inspections/show/{inspection.id}")
    from app.services.events import _schedule_mail

    _schedule_mail()


def _office_ids() -> list[int]:
    return users_with_roles([Role.OfficeOfficial.value, Role.OfficeLeader.value])


def _title(inspection: Inspection) -> str:
    names = ", ".join(a.agency.name for a in inspection.inspected if a.agency)
    return str(_l("Inspection of %(agencies)s", agencies=names))[:200]


# -- input ----------------------------------------------------------------------------------------

@dataclass
class InspectionInput:
    conducted_by: str = "office"
    agency_id: int | None = None
    legal_basis: str = ""
    scope: str = ""
    tasks: str = ""
    content_implementation: bool = True
    content_updating: bool = True
    content_reporting: bool = True
    content_text: str = ""
    form: str = "regular"
    start_on: dt.date | None = None
    end_on: dt.date | None = None
    inspected_agency_ids: list[int] = field(default_factory=list)
    leader_id: int | None = None
    member_ids: list[int] = field(default_factory=list)
    plan_item_id: int | None = None  # the approved plan's line it comes from (Art. 14.2.a)


def _agency_scope(agency_id: int) -> set[int]:
    """Art. 13.2: an agency inspects within its own scope — itself (its units), and the agencies
    related to the tasks it leads (their coordinating agencies)."""
    tca = task_coordinating_agency
    related = db.session.scalars(select(tca.c.agency_id).distinct().join(Task, Task.id == tca.c.task_id)
                                 .where(Task.lead_agency_id == agency_id))
    return {agency_id, *related}


def _validate(data: InspectionInput, viewer: Viewer) -> dict:
    errors = FieldErrors()
    if data.conducted_by not in {c.value for c in ConductedBy}:
        errors.add("conducted_by", _l("Choose who conducts the inspection: the Office or an agency."))
        errors.raise_if_any()
    if not rules.may_draft(viewer.roles, data.conducted_by):
        if data.conducted_by == ConductedBy.office:
            raise NotYourInspectionAction(_l("Only the Office drafts the Chairman's inspection decisions (Art. 13.1)."))
        raise NotYourInspectionAction(_l("Only an agency's head or staff set up its own inspection (Art. 13.2)."))
    conducting = None
    if data.conducted_by == ConductedBy.agency:
        conducting = data.agency_id or viewer.agency_id
        if conducting != viewer.agency_id:
            errors.add("agency_id", _l("An agency sets up inspections only for itself."))
    for name, label, value, required in (
            ("legal_basis", _l("Legal basis"), data.legal_basis, True),
            ("scope", _l("Scope and subjects"), data.scope, True),
            ("tasks", _l("Tasks of the inspection"), data.tasks, False),
            ("content.text", _l("Content"), data.content_text, False)):
        if not isinstance(value, str):
            errors.add(name, _l("%(field)s must be text.", field=label))
        elif required and not value.strip():
            errors.add(name, _l("%(field)s is required (Art. 15.2).", field=label))
        else:
            errors.text_fits(name, value, label, TEXT_MAX)
    if not (data.content_implementation or data.content_updating or data.content_reporting):
        errors.add("content", _l("Choose at least one content of Art. 14.1: implementation and results, "
                                 "updating on the system, or the reporting regime."))
    if data.form not in {f.value for f in InspectionForm}:
        errors.add("form", _l("Choose the form: regular, periodic or ad hoc (Art. 14.2)."))
    errors.date_in_range("start_on", data.start_on, _l("Start date"))
    errors.date_in_range("end_on", data.end_on, _l("End date"))
    problem = rules.check_dates(data.start_on, data.end_on)
    if problem == "start_required":
        errors.add("start_on", _l("Start date is required."))
    elif problem == "end_required":
        errors.add("end_on", _l("End date is required."))
    elif problem == "end_before_start":
        errors.add("end_on", _l("The end date cannot be before the start date."))
    inspected = list(dict.fromkeys(data.inspected_agency_ids))
    if not inspected:
        errors.add("inspected_agency_ids", _l("Choose at least one agency to inspect."))
    else:
        found = set(db.session.scalars(select(Agency.id).where(Agency.id.in_(inspected), Agency.active.is_(True))))
        missing = [a for a in inspected if a not in found]
        if missing:
            errors.add("inspected_agency_ids", _l("No such agency: %(ids)s.", ids=", ".join(map(str, missing))))
        elif conducting is not None:
            outside = [a for a in inspected if a not in _agency_scope(conducting)]
            if outside:
                errors.add("inspected_agency_ids", _l(
                    "An agency inspects only itself and the agencies related to the tasks it leads (Art. 13.2)."))
    members = list(dict.fromkeys(m for m in data.member_ids if m != data.leader_id))
    people = [p for p in [data.leader_id, *members] if p is not None]
    if data.leader_id is None:
        errors.add("leader_id", _l("Name the leader of the Working Group."))
    if people:
        found = set(db.session.scalars(select(AppUser.id).where(AppUser.id.in_(people), AppUser.active.is_(True))))
        if data.leader_id is not None and data.leader_id not in found:
            errors.add("leader_id", _l("The leader has no active account in the system."))
        missing = [m for m in members if m not in found]
        if missing:
            errors.add("member_ids", _l("These members have no active account in the system: %(ids)s.",
                                        ids=", ".join(map(str, missing))))
    errors.raise_if_any()
    return {"conducting": conducting, "inspected": inspected, "members": members}


def _apply(inspection: Inspection, data: InspectionInput, checked: dict) -> None:
    inspection.conducted_by = data.conducted_by
    inspection.agency_id = checked["conducting"]
    inspection.legal_basis = data.legal_basis.strip()
    inspection.scope = data.scope.strip()
    inspection.tasks = (data.tasks or "").strip()
    inspection.content_implementation = bool(data.content_implementation)
    inspection.content_updating = bool(data.content_updating)
    inspection.content_reporting = bool(data.content_reporting)
    inspection.content_text = (data.content_text or "").strip()
    inspection.form = data.form
    inspection.start_on, inspection.end_on = data.start_on, data.end_on
    inspection.report_due_on = rules.report_due_on(current_calendar(), data.conducted_by, data.end_on)
    inspection.inspected = [InspectionAgency(agency_id=a) for a in checked["inspected"]]
    inspection.members = [InspectionMember(user_id=data.leader_id, leader=True)] + [
        InspectionMember(user_id=m, leader=False) for m in checked["members"]]


# -- actions --------------------------------------------------------------------------------------

def create_inspection(data: InspectionInput, *, viewer: Viewer) -> Inspection:
    """The Office drafts a decision for the Chairman (Art. 13.1.b, 14.2.b); an agency head or its
    staff one for the agency's own inspection (Art. 13.2, 15.4)."""
    checked = _validate(data, viewer)
    g.acting_user_id = viewer.user_id
    inspection = Inspection(stage=Stage.draft.value, created_by_id=viewer.user_id)
    _apply(inspection, data, checked)
    if data.plan_item_id is not None:
        from app.services.inspection_plans import item_for_decision

        item_for_decision(data.plan_item_id, viewer)  # refused before anything is written
    db.session.add(inspection)
    db.session.flush()
    if data.plan_item_id is not None:
        from app.services.inspection_plans import link_decision

        link_decision(data.plan_item_id, inspection.id, viewer)
    _log(inspection, "inspection_drafted", viewer)
    db.session.commit()
    return inspection


def update_draft(inspection_id, data: InspectionInput, *, viewer: Viewer, expected_version=None) -> Inspection:
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.edit, viewer)
    if expected_version not in (None, "") and str(expected_version) != str(inspection.version):
        raise InspectionStateConflict(_l("Someone else changed this inspection while you were editing it. "
                                         "Reload the page to see their changes."))
    data.conducted_by = inspection.conducted_by  # who conducts it never changes
    checked = _validate(data, viewer)
    try:
        db.session.query(InspectionAgency).filter_by(inspection_id=inspection.id).delete()
        db.session.query(InspectionMember).filter_by(inspection_id=inspection.id).delete()
        db.session.expire(inspection, ["inspected", "members"])
        _apply(inspection, data, checked)
        _log(inspection, "inspection_edited", viewer)
        db.session.commit()
    except StaleDataError:  # issued, sent back or edited by someone else since it was read: one outcome
        db.session.rollback()
        raise InspectionStateConflict(_l("Someone else changed this inspection while you were editing it. "
                                         "Reload the page to see their changes."))
    return inspection


def _claim(inspection: Inspection, from_stage: Stage, message, **values) -> None:
    """One outcome when two act at once: the row changes only while still in `from_stage`."""
    done = db.session.execute(
        update(Inspection).where(Inspection.id == inspection.id, Inspection.stage == from_stage.value,
                                 Inspection.version == inspection.version)
        .values(version=Inspection.version + 1, **values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise InspectionStateConflict(message)
    db.session.refresh(inspection)


def submit_for_issue(inspection_id, *, viewer: Viewer) -> Inspection:
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.submit, viewer)
    if inspection.submitted_at is not None:
        raise InspectionStateConflict(_l("This decision is already with the Chairman."))
    _claim(inspection, Stage.draft, _l("Someone else acted on this inspection at the same moment; reload the page."),
           submitted_at=local_now(), sent_back_note=None)
    _log(inspection, "inspection_submitted", viewer)
    _tell(users_with_roles([Role.Chairman.value]), inspection, "inspection_to_issue",
          _l("A draft inspection decision waits for your signature: %(title)s.", title=_title(inspection)),
          f":{inspection.version}", viewer)
    db.session.commit()
    return inspection


def send_back(inspection_id, *, viewer: Viewer, note: str) -> Inspection:
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.send_back, viewer)
    errors = FieldErrors()
    if not (note or "").strip():
        errors.add("note", _l("Write why the decision is sent back."))
    errors.text_fits("note", note or "", _l("Note"), TEXT_MAX)
    errors.raise_if_any()
    _claim(inspection, Stage.draft, _l("Someone else acted on this inspection at the same moment; reload the page."),
           submitted_at=None, sent_back_note=note.strip())
    _log(inspection, "inspection_sent_back", viewer, note.strip())
    recipients = [inspection.created_by_id] + _office_ids() if inspection.conducted_by == "office" \
        else [inspection.created_by_id]
    _tell(recipients, inspection, "inspection_sent_back",
          _l("The Chairman sent the inspection decision back: %(note)s", note=note.strip()[:200]),
          f":{inspection.version}", viewer)
    db.session.commit()
    return inspection


def issue(inspection_id, *, viewer: Viewer, number: str, issued_on: dt.date | None,
          expected_version=None) -> Inspection:
    """Art. 15.1 (the Chairman), 15.4 (an agency head for its own): number and date recorded;
    the Working Group and the inspected agencies are told. `expected_version` is the draft the
    signer read: a draft changed since (the Office may still edit it) is not issued unread."""
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.issue, viewer)
    if expected_version not in (None, "") and str(expected_version) != str(inspection.version):
        raise InspectionStateConflict(_l("The draft decision was changed after you opened it; reload the page "
                                         "and read it again before issuing it."))
    errors = FieldErrors()
    number = (number or "").strip() if isinstance(number, str) else ""
    if not number:
        errors.add("number", _l("Write the decision's number (Số: …/QĐ-UBND)."))
    elif errors.text_fits("number", number, _l("Number"), 64):
        taken = db.session.scalar(select(Inspection.id).where(Inspection.number == number,
                                                             Inspection.id != inspection.id))
        if taken:
            errors.add("number", _l("Number %(number)s is already used by another inspection decision.",
                                    number=number))
    issued_on = issued_on or today()
    if errors.date_in_range("issued_on", issued_on, _l("Date issued")) and issued_on > today():
        errors.add("issued_on", _l("The date issued cannot be in the future."))
    errors.raise_if_any()
    _claim(inspection, Stage.draft, _l("This decision has already been issued or changed; reload the page."),
           stage=Stage.issued.value, number=number, issued_on=issued_on, issued_by_id=viewer.user_id,
           # On the calendar as it stands when issued (the Admin may have added days off since the draft).
           report_due_on=rules.report_due_on(current_calendar(), inspection.conducted_by, inspection.end_on))
    _log(inspection, "inspection_issued", viewer, number)
    message = _l("Inspection decision %(number)s issued: %(title)s, from %(start)s to %(end)s.",
                 number=number, title=_title(inspection), start=inspection.start_on.strftime("%d/%m/%Y"),
                 end=inspection.end_on.strftime("%d/%m/%Y"))
    _tell(list(inspection.member_ids), inspection, "inspection_issued", message, ":group", viewer)
    _tell(_agency_user_ids(inspection.inspected_ids, HEADS), inspection, "inspection_issued", message,
          ":inspected", viewer)
    db.session.commit()
    return inspection


def _text(errors: FieldErrors, name: str, value, label, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.add(name, _l("%(field)s must be text.", field=label))
        return ""
    if required and not value.strip():
        errors.add(name, _l("%(field)s is required.", field=label))
    errors.text_fits(name, value, label, TEXT_MAX)
    return value.strip()


def add_finding(inspection_id, *, viewer: Viewer, agency_id, task_id=None, assessment="", conclusion="",
                recommendations="") -> InspectionFinding:
    """A member records findings on an inspected agency, optionally on one of its tasks (Art. 17.3)."""
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.finding, viewer)
    errors = FieldErrors()
    if agency_id not in inspection.inspected_ids:
        errors.add("agency_id", _l("Choose one of the agencies this inspection covers."))
    assessment = _text(errors, "assessment", assessment, _l("Assessment"))
    conclusion = _text(errors, "conclusion", conclusion, _l("Conclusion"))
    recommendations = _text(errors, "recommendations", recommendations, _l("Recommendations"))
    if not (assessment or conclusion or recommendations) and not errors:
        errors.add("assessment", _l("Write an assessment, a conclusion or a recommendation."))
    if task_id is not None:
        task = visible_task(task_id, viewer)
        if task is None or not ({task.lead_agency_id} | {a.id for a in task.coordinating_agencies}) & {agency_id}:
            errors.add("task_id", _l("Choose a task of the inspected agency."))
    errors.raise_if_any()
    finding = InspectionFinding(inspection_id=inspection.id, agency_id=agency_id, task_id=task_id,
                                assessment=assessment, conclusion=conclusion, recommendations=recommendations,
                                author_id=viewer.user_id)
    db.session.add(finding)
    _log(inspection, "inspection_finding", viewer, (conclusion or assessment or recommendations)[:300])
    db.session.commit()
    return finding


STEP_KINDS = ("plan", "invitation", "request")


def add_step(inspection_id, *, viewer: Viewer, kind: str, agency_id, on_date=None, body="",
             member_id=None, documents="") -> InspectionStep:
    """The leader's plan line (Art. 15.3, 16.1), invitation of a related agency (16.2) or request
    to an inspected agency for its report and documents by a due date (16.3); those concerned are told."""
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.plan, viewer)
    errors = FieldErrors()
    if kind not in STEP_KINDS:
        errors.add("kind", _l("Unknown kind of step."))
        errors.raise_if_any()
    if kind in ("plan", "request") and agency_id not in inspection.inspected_ids:
        errors.add("agency_id", _l("Choose one of the agencies this inspection covers."))
    if kind == "invitation" and (agency_id is None or db.session.get(Agency, agency_id) is None):
        errors.add("agency_id", _l("Choose the agency whose representatives are invited."))
    body = _text(errors, "body", body, _l("Content"), required=True)
    # Art. 16.3: the records, documents and files the agency is asked to provide (only a request asks).
    documents = _text(errors, "documents", documents, _l("Records and documents asked for")) \
        if kind == "request" else ""
    if on_date is None and kind in ("plan", "request"):
        errors.add("on_date", _l("The date is required."))
    elif on_date is not None and errors.date_in_range("on_date", on_date, _l("Date")) and kind == "request" \
            and on_date < today():
        errors.add("on_date", _l("The due date cannot be in the past."))
    if member_id is not None and member_id not in inspection.member_ids:
        errors.add("member_id", _l("The member in charge must be in the Working Group."))
    errors.raise_if_any()
    step = InspectionStep(inspection_id=inspection.id, kind=kind, agency_id=agency_id, on_date=on_date, body=body,
                          documents=documents, member_id=member_id, created_by_id=viewer.user_id)
    db.session.add(step)
    db.session.flush()
    _log(inspection, f"inspection_{kind}", viewer, body[:300])
    if kind == "request":
        message = _l("The Working Group asks for your report and documents by %(date)s: %(body)s",
                     date=on_date.strftime("%d/%m/%Y"), body=body[:150])
        if documents:
            message = f"{message} — {_l('Documents asked for: %(documents)s', documents=documents[:100])}"
        _tell(_agency_user_ids([agency_id]), inspection, "inspection_request", message, f":{step.id}", viewer)
    elif kind == "invitation":
        _tell(_agency_user_ids([agency_id], HEADS), inspection, "inspection_invitation",
              _l("Your agency is invited to send representatives to the Working Group: %(body)s", body=body[:150]),
              f":{step.id}", viewer)
    elif member_id:
        _tell([member_id], inspection, "inspection_plan",
              _l("You are in charge of a line of the group's plan: %(body)s", body=body[:150]), f":{step.id}", viewer)
    db.session.commit()
    return step


def steps(inspection: Inspection) -> list[InspectionStep]:
    return db.session.scalars(select(InspectionStep).where(InspectionStep.inspection_id == inspection.id)
                              .order_by(InspectionStep.kind, InspectionStep.on_date, InspectionStep.id)).all()


def explain_rows(inspection: Inspection, agency_id: int) -> list[Task]:
    """Art. 19.4: the agency's tasks to explain in its report — overdue now, or completed late in the
    inspected year (from 1 January of the start's year), led by the agency; at most 500."""
    since = dt.date(inspection.start_on.year, 1, 1)
    now = today()
    open_states = ("assigned", "in_progress", "returned", "reported")
    return db.session.scalars(
        select(Task).where(Task.lead_agency_id == agency_id, or_(
            and_(Task.status.in_(open_states), Task.deadline < now),
            and_(Task.status == "completed", Task.completed_on > Task.deadline, Task.completed_on >= since)))
        .order_by(Task.deadline, Task.id).limit(500).options(selectinload(Task.document))).all()


def agency_report(inspection: Inspection, agency_id: int) -> InspectionAgencyReport | None:
    return db.session.get(InspectionAgencyReport, (inspection.id, agency_id))


def save_agency_report(inspection_id, *, viewer: Viewer, body: str, explanations: dict[int, str],
                       submit: bool = False, files=(), expected_version=None) -> InspectionAgencyReport:
    """Art. 16.3, 19.4: the inspected agency's staff draft its report and attach the records and
    documents asked for (several files, the checks of every upload); its head submits it, with files
    too. A bad file refuses the whole save, naming the file: nothing is written, no file is kept."""
    from app.services import attachments, inspection_report_files

    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.agency_report, viewer)
    who = parties(inspection, viewer)
    if submit and not rules.may_submit_agency_report(who):
        raise NotYourInspectionAction(_l("The head of the agency submits its report; staff save drafts."))
    report = agency_report(inspection, viewer.agency_id)
    if report is not None and report.status == "submitted":
        raise InspectionStateConflict(_l("Your agency's report has been submitted; it can no longer be changed."))
    if report is not None and expected_version not in (None, "") and str(expected_version) != str(report.version):
        raise InspectionStateConflict(_l("Someone else saved your agency's report meanwhile; reload the page."))
    errors = FieldErrors()
    checked = attachments.check_files(files, errors)
    body = _text(errors, "body", body, _l("Report"), required=submit)
    allowed_ids = {t.id for t in explain_rows(inspection, viewer.agency_id)}
    clean = {}
    for task_id, text in (explanations or {}).items():
        if task_id in allowed_ids:
            clean[str(task_id)] = _text(errors, f"explain-{task_id}", text, _l("Explanation"))
    if submit:
        for task_id in allowed_ids:
            if not clean.get(str(task_id)):
                errors.add(f"explain-{task_id}", _l("Explain task #%(id)s (Art. 19.4).", id=task_id))
    errors.raise_if_any()
    if report is None:
        report = InspectionAgencyReport(inspection_id=inspection.id, agency_id=viewer.agency_id)
        db.session.add(report)
    report.body, report.explanations, report.updated_at = body, json.dumps(clean, ensure_ascii=False), local_now()
    db.session.flush()  # the report row first: its files name it
    inspection_report_files.store(checked, report, uploaded_by_id=viewer.user_id)
    if submit:
        report.status, report.submitted_at, report.submitted_by_id = "submitted", local_now(), viewer.user_id
        _log(inspection, "inspection_agency_report", viewer, db.session.get(Agency, viewer.agency_id).name)
        leader = [inspection.leader_id] if inspection.leader_id else []
        _tell(leader, inspection, "inspection_agency_report",
              _l("%(agency)s submitted its report for the inspection.",
                 agency=db.session.get(Agency, viewer.agency_id).name), f":{viewer.agency_id}", viewer)
    _commit_report()
    return report


def _commit_report() -> None:
    """Two saves of one agency report at once (staff's draft, the head's submission): the
    report's version decides, the later one is refused and leaves nothing behind."""
    from sqlalchemy.orm.exc import StaleDataError

    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise InspectionStateConflict(_l("Someone else saved your agency's report meanwhile; reload the page."))


def draft_report_text(inspection: Inspection) -> str:
    """The result report, drafted from the findings (Art. 17.3.a–c), per inspected agency."""
    findings = db.session.scalars(select(InspectionFinding).where(InspectionFinding.inspection_id == inspection.id)
                                  .order_by(InspectionFinding.agency_id, InspectionFinding.id)
                                  .options(selectinload(InspectionFinding.agency))).all()
    parts = []
    for agency in sorted((a.agency for a in inspection.inspected), key=lambda a: a.name):
        mine = [f for f in findings if f.agency_id == agency.id]
        lines = [agency.name]
        for label, attr in ((_l("Assessment (Art. 17.3.a)"), "assessment"),
                            (_l("Conclusion (Art. 17.3.b)"), "conclusion"),
                            (_l("Recommendations (Art. 17.3.c)"), "recommendations")):
            texts = [(f"#{f.task_id}: " if f.task_id else "") + getattr(f, attr) for f in mine if getattr(f, attr)]
            if texts:
                lines.append(f"{label}:")
                lines += [f"- {t}" for t in texts]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def submit_report(inspection_id, *, viewer: Viewer, body: str | None = None, number: str | None = None,
                  expected_version=None) -> Inspection:
    """Art. 17: the result report goes to the Chairman (and, for an agency's own, the Office), and
    the inspected agencies are told and can open it (17.2). The members' grant ends here."""
    inspection = _load(inspection_id, viewer)
    _check(inspection, Action.report, viewer)
    if expected_version not in (None, "") and str(expected_version) != str(inspection.version):
        raise InspectionStateConflict(_l("Someone else changed this inspection meanwhile; reload the page."))
    errors = FieldErrors()
    text = draft_report_text(inspection) if body is None else _text(errors, "body", body, _l("Result report"))
    if not (text or "").strip():
        errors.add("body", _l("The result report is empty: record findings or write it."))
    number = _text(errors, "number", number, _l("Number")) if number is not None else None
    if number and len(number) > 64:
        errors.add("number", _l("%(field)s may be at most %(max)s characters; it has %(n)s.",
                                field=_l("Number"), max=64, n=len(number)))
    errors.raise_if_any()
    _claim(inspection, Stage.issued, _l("The result report has already been submitted."),
           stage=Stage.reported.value, report_body=text, report_number=number or None,
           report_submitted_on=today(), report_submitted_by_id=viewer.user_id)
    _log(inspection, "inspection_reported", viewer)
    message = _l("The result report of inspection %(number)s was submitted: %(title)s.",
                 number=inspection.number or "", title=_title(inspection))
    recipients = users_with_roles([Role.Chairman.value])
    if inspection.conducted_by == ConductedBy.agency:
        recipients += _office_ids()  # Art. 17.1: also sent to the Office to follow and consolidate
    _tell(recipients, inspection, "inspection_reported", message, ":chairman", viewer)
    _tell(_agency_user_ids(inspection.inspected_ids), inspection, "inspection_reported", message, ":inspected", viewer)
    db.session.commit()
    return inspection


INSIDE = frozenset({Party.leader, Party.member, Party.conducting_head, Party.conducting_staff})
INSPECTED = frozenset({Party.inspected_head, Party.inspected_staff})


def may_read_report(inspection: Inspection, viewer: Viewer) -> bool:
    """The result report and the findings: the Office, the Chairman, the group and the conducting
    agency while it is drafted; also the inspected agencies once it is submitted (Art. 17.2) — not an
    agency only invited to send representatives (Art. 16.2)."""
    who = parties(inspection, viewer)
    if viewer.sees_all or who & INSIDE:
        return True
    return inspection.stage == Stage.reported.value and bool(who & INSPECTED)


def may_read_agency_report(inspection: Inspection, agency_id: int, submitted: bool, viewer: Viewer) -> bool:
    """Who reads an inspected agency's report for the inspection and downloads its files: the one
    rule, used by the page, the file downloads and the API alike.
    - The agency itself (its head or commune chair, its staff): its own report, draft or submitted —
      its staff draft and its head submits (Art. 16.3).
    - Once it is submitted: the Office and the Chairman (the province-wide roles, as for every record
      of an inspection): the Office follows every inspection and writes the result report of its own
      (Art. 13.1.b, 17.2), the Chairman receives the result (Art. 15.1, 17).
    - Once it is submitted and until the result report is submitted: the Working Group of that
      inspection (leader and members) and, for an agency's own inspection, the conducting agency's
      head and staff. The report is given to the group at its request (Art. 16.3: "theo yêu cầu của
      Tổ công tác") for the result it reports (Art. 17.3); the group's read-only window over the
      inspected agency closes when that result is submitted, as the members' grant over its tasks
      does (SPEC §4.8).
    - Nobody else: not another agency inspected by the same decision, not an agency invited to send
      representatives (Art. 16.2), not a member of another inspection. A draft is the agency's own."""
    who = parties(inspection, viewer)
    if viewer.agency_id is not None and viewer.agency_id == agency_id and who & INSPECTED:
        return True
    if not submitted:
        return False
    if viewer.sees_all:
        return True
    return bool(who & INSIDE) and inspection.stage != Stage.reported.value


def agency_reports(inspection: Inspection, viewer: Viewer) -> list[InspectionAgencyReport]:
    """The inspected agencies' reports this viewer may read (may_read_agency_report), files loaded."""
    rows = db.session.scalars(select(InspectionAgencyReport).where(
        InspectionAgencyReport.inspection_id == inspection.id).order_by(InspectionAgencyReport.agency_id)
        .options(selectinload(InspectionAgencyReport.agency), selectinload(InspectionAgencyReport.files))).all()
    return [r for r in rows if may_read_agency_report(inspection, r.agency_id, r.status == "submitted", viewer)]


def findings(inspection: Inspection, viewer: Viewer) -> list[InspectionFinding]:
    """Findings: the group, the Office, the Chairman and the conducting agency; the inspected agencies
    once the result report is submitted (Art. 17.2)."""
    if not may_read_report(inspection, viewer):
        return []
    return db.session.scalars(select(InspectionFinding).where(InspectionFinding.inspection_id == inspection.id)
                              .order_by(InspectionFinding.agency_id, InspectionFinding.id)
                              .options(selectinload(InspectionFinding.agency),
                                       selectinload(InspectionFinding.author))).all()


# -- the daily sweep ------------------------------------------------------------------------------

REMIND_DAYS_BEFORE = 2


def remind_report_deadlines(day: dt.date | None = None) -> int:
    """Result reports due (Art. 17): on each working day from REMIND_DAYS_BEFORE working days before
    the due date, and every day once late, the group's leader (and, for the Office's inspections,
    the Office; for an agency's own, its heads) is reminded. One INSERT … SELECT per audience; the dedupe key makes a second run
    the same day insert nothing."""
    from sqlalchemy import Integer, String, cast, true

    from app.services.notifications import NOTIFICATION_COLUMNS, insert_ignoring_duplicates, role_users

    day = day or today()
    horizon = current_calendar().add_working_days(day, REMIND_DAYS_BEFORE)
    due = and_(Inspection.stage == Stage.issued.value, Inspection.end_on < day, Inspection.report_due_on <= horizon)
    message = str(_l("An inspection's result report is due (Art. 17); open it to see the working days left."))

    def columns(user_column):
        return (user_column, literal("inspection_report_due"),
                literal(f"inspection_report_due:{day.isoformat()}:") + cast(Inspection.id, String),
                literal(None, Integer), literal(day), literal(message),
                literal("/inspections/show/") + cast(Inspection.id, String), literal(local_now()))

    leaders = select(*columns(InspectionMember.user_id)).join(InspectionMember, and_(
        InspectionMember.inspection_id == Inspection.id, InspectionMember.leader.is_(True))).where(due)
    office = role_users([Role.OfficeOfficial.value, Role.OfficeLeader.value]).distinct().subquery()
    office_rows = (select(*columns(office.c.user_id)).select_from(Inspection).join(office, true())
                   .where(due, Inspection.conducted_by == ConductedBy.office.value))
    # Art. 17.1: an agency's own result report goes from its head to the Chairman and the Office,
    # so the conducting agency's heads are reminded too (they see the inspection: it is theirs).
    heads = agency_users(AppUser.agency_id, HEADS)
    head_rows = (select(*columns(heads.c.user_id)).select_from(Inspection)
                 .join(heads, heads.c.agency_id == Inspection.agency_id)
                 .where(due, Inspection.conducted_by == ConductedBy.agency.value))
    done = insert_ignoring_duplicates(leaders, NOTIFICATION_COLUMNS)
    done += insert_ignoring_duplicates(office_rows, NOTIFICATION_COLUMNS)
    done += insert_ignoring_duplicates(head_rows, NOTIFICATION_COLUMNS)
    db.session.commit()
    return done
