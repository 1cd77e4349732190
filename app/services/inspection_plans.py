"""The year's inspection plan (Art. 13.1.a, 14.2.a): the Office drafts its lines (agencies, content, form,
planned month) and submits it; the Chairman approves it or sends it back; from an approved line the Office
drafts the inspection decision (app.services.inspections.create_inspection). The Office and the Chairman
read plans; nobody else."""
from __future__ import annotations

import datetime as dt

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.access import Viewer
from app.domain import inspections as rules
from app.domain.inspections import PlanAction, PlanStage
from app.domain.text import TEXT_MAX
from app.domain.vocabulary import Role
from app.extensions import db
from app.models import Agency, InspectionPlan, InspectionPlanItem, local_now
from app.services.errors import Conflict, FieldErrors, Forbidden, NotFound
from app.services.notifications import notify, users_with_roles


class PlanNotFound(NotFound):
    def __init__(self):
        super().__init__(_l("No such inspection plan."))


class NotYourPlanAction(Forbidden):
    pass


class PlanStageConflict(Conflict):
    pass


PLAN_STAGE_LABEL = {PlanStage.draft: _l("Draft plan"), PlanStage.submitted: _l("Submitted to the Chairman"),
                    PlanStage.approved: _l("Approved")}


def _readable(viewer: Viewer) -> None:
    if not viewer.sees_all:
        raise PlanNotFound()


def plan_for(year: int, viewer: Viewer, *, create: bool = False) -> InspectionPlan | None:
    _readable(viewer)
    plan = db.session.scalar(select(InspectionPlan).where(InspectionPlan.year == year).options(
        selectinload(InspectionPlan.items).selectinload(InspectionPlanItem.agencies)))
    if plan is None and create:
        if not 2000 <= year <= 2100:
            raise PlanNotFound()
        plan = InspectionPlan(year=year, stage=PlanStage.draft.value, created_by_id=viewer.user_id)
        db.session.add(plan)
        try:
            db.session.commit()
        except IntegrityError:  # created meanwhile by someone else
            db.session.rollback()
            return plan_for(year, viewer)
    return plan


def _check(plan: InspectionPlan, action: PlanAction, viewer: Viewer) -> None:
    try:
        rules.check_plan(action, plan.stage, viewer.roles)
    except rules.PlanNotYours:
        raise NotYourPlanAction(_l("Only the Office drafts the plan; only the Chairman approves it."))
    except rules.PlanWrongStage as error:
        raise PlanStageConflict(_l("The plan is “%(stage)s”: this cannot be done now.",
                                   stage=PLAN_STAGE_LABEL[error.stage]))
    g.acting_user_id = viewer.user_id


def _load(plan_id, viewer: Viewer) -> InspectionPlan:
    _readable(viewer)
    plan = db.session.get(InspectionPlan, plan_id) if str(plan_id).isdecimal() else None
    if plan is None:
        raise PlanNotFound()
    return plan


def add_item(plan_id, *, viewer: Viewer, agency_ids: list[int], content: str, form: str, month) -> InspectionPlanItem:
    plan = _load(plan_id, viewer)
    _check(plan, PlanAction.edit, viewer)
    errors = FieldErrors()
    ids = list(dict.fromkeys(agency_ids))
    agencies = db.session.scalars(select(Agency).where(Agency.id.in_(ids), Agency.active.is_(True))).all() if ids else []
    if not ids:
        errors.add("agency_ids", _l("Choose at least one agency to inspect."))
    elif len(agencies) != len(ids):
        errors.add("agency_ids", _l("No such agency: %(ids)s.", ids=", ".join(
            str(i) for i in ids if i not in {a.id for a in agencies})))
    if not isinstance(content, str) or not content.strip():
        errors.add("content", _l("%(field)s is required.", field=_l("Content")))
    else:
        errors.text_fits("content", content, _l("Content"), TEXT_MAX)
    if form not in {f.value for f in rules.PLANNED_FORMS}:
        errors.add("form", _l("A plan holds regular or periodic inspections; ad hoc ones need no plan (Art. 14.2)."))
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors.add("month", _l("Choose a month from 1 to 12."))
    errors.raise_if_any()
    item = InspectionPlanItem(plan_id=plan.id, content=content.strip(), form=form, month=month, agencies=agencies)
    db.session.add(item)
    db.session.commit()
    return item


def remove_item(item_id, *, viewer: Viewer) -> None:
    _readable(viewer)
    item = db.session.get(InspectionPlanItem, item_id) if str(item_id).isdecimal() else None
    if item is None:
        raise PlanNotFound()
    _check(db.session.get(InspectionPlan, item.plan_id), PlanAction.edit, viewer)
    db.session.delete(item)
    db.session.commit()


def _claim(plan: InspectionPlan, from_stage: PlanStage, **values) -> None:
    done = db.session.execute(update(InspectionPlan).where(
        InspectionPlan.id == plan.id, InspectionPlan.stage == from_stage.value, InspectionPlan.version == plan.version)
        .values(version=InspectionPlan.version + 1, **values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise PlanStageConflict(_l("Someone else acted on this plan at the same moment; reload the page."))
    db.session.refresh(plan)


def submit(plan_id, *, viewer: Viewer) -> InspectionPlan:
    plan = _load(plan_id, viewer)
    _check(plan, PlanAction.submit, viewer)
    if not plan.items:
        raise PlanStageConflict(_l("Add the planned inspections before submitting the plan."))
    _claim(plan, PlanStage.draft, stage=PlanStage.submitted.value, submitted_at=local_now(), sent_back_note=None)
    notify(users_with_roles([Role.Chairman.value]), kind="inspection_plan_to_approve",
           key=f"inspection_plan_to_approve:{plan.id}:{plan.version}",
           message=str(_l("The inspection plan of %(year)s waits for your approval.", year=plan.year)),
           link=f"/inspections/plan/{plan.year}")
    db.session.commit()
    return plan


def decide(plan_id, *, viewer: Viewer, approve: bool, note: str = "") -> InspectionPlan:
    plan = _load(plan_id, viewer)
    _check(plan, PlanAction.approve if approve else PlanAction.send_back, viewer)
    if not approve:
        errors = FieldErrors()
        if not (note or "").strip():
            errors.add("note", _l("Write why the plan is sent back."))
        errors.text_fits("note", note or "", _l("Note"), TEXT_MAX)
        errors.raise_if_any()
        _claim(plan, PlanStage.submitted, stage=PlanStage.draft.value, sent_back_note=note.strip())
    else:
        _claim(plan, PlanStage.submitted, stage=PlanStage.approved.value, approved_at=local_now(),
               approved_by_id=viewer.user_id)
    notify(users_with_roles([Role.OfficeOfficial.value, Role.OfficeLeader.value]), kind="inspection_plan_decided",
           key=f"inspection_plan_decided:{plan.id}:{plan.version}",
           message=str(_l("The Chairman approved the inspection plan of %(year)s.", year=plan.year) if approve
                       else _l("The Chairman sent the inspection plan of %(year)s back: %(note)s", year=plan.year,
                               note=note.strip()[:200])),
           link=f"/inspections/plan/{plan.year}")
    db.session.commit()
    return plan


def item_for_decision(item_id, viewer: Viewer) -> InspectionPlanItem:
    """An approved plan's line not yet drafted into a decision (Art. 14.2.a)."""
    _readable(viewer)
    item = db.session.get(InspectionPlanItem, item_id) if str(item_id).isdecimal() else None
    if item is None:
        raise PlanNotFound()
    _check(db.session.get(InspectionPlan, item.plan_id), PlanAction.draft_decision, viewer)
    if item.inspection_id is not None:
        raise PlanStageConflict(_l("A decision was already drafted from this planned inspection."))
    return item


def link_decision(item_id, inspection_id: int, viewer: Viewer) -> None:
    """Inside create_inspection's transaction: the line now names its decision, once."""
    item_for_decision(item_id, viewer)
    done = db.session.execute(update(InspectionPlanItem).where(
        InspectionPlanItem.id == int(item_id), InspectionPlanItem.inspection_id.is_(None))
        .values(inspection_id=inspection_id).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise PlanStageConflict(_l("A decision was already drafted from this planned inspection."))
