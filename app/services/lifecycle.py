"""The daily work on a task (Chương II, Art. 10): send, receive, return, report,
confirm, refuse, withdraw; progress updates and contributions; extensions.

The rules are app.domain.lifecycle's; this module loads, checks visibility
(app.access), applies them in one transaction and records who, when and why.
"""
from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app import labels
from app.access import Viewer, visible_task
from app.domain import lifecycle as rules
from app.domain.lifecycle import Action, ExtensionError, Party
from app.domain.vocabulary import TaskStatus
from app.extensions import db
from app.history import annotate
from app.models import Agency, ExtensionRequest, Feedback, Task, TaskUpdate, local_now
from app.services import attachments
from app.services.calendar import today
from app.services import events
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound, check_texts

FEEDBACK_REASONS = ("content_wrong", "not_competent", "data_mismatch")


def parties(task: Task, viewer: Viewer) -> frozenset[Party]:
    return rules.party_of(viewer.roles, viewer.agency_id, task.lead_agency_id,
                          frozenset(a.id for a in task.coordinating_agencies))


def _task(task_id, viewer: Viewer) -> Task:
    task = visible_task(task_id, viewer)
    if task is None:
        raise NotFound(_l("No such task."))
    g.acting_user_id = viewer.user_id
    return task


def _check_version(task: Task, expected_version) -> None:
    if expected_version in (None, ""):
        return
    from app.services.register import check_version

    check_version(task, expected_version)


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_l("Someone else acted on this task at the same moment. Reload the "
                          "page to see what changed."))


def _emit(event, task, **kwargs) -> None:
    """Tell the people the event concerns (app.services.events), once the change
    is flushed: a concurrent change is refused here as at the commit."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_l("Someone else acted on this task at the same moment. Reload the "
                          "page to see what changed."))
    events.emit(event, task, **kwargs)


def _refusal(error: rules.LifecycleError, action: Action):
    action_label = labels.ACTION.get(action.value, action.value)
    status_label = labels.TASK_STATUS.get(error.status.value, error.status.value)
    if isinstance(error, rules.NotYourAction):
        return Forbidden(_l("You may not %(action)s this task.", action=action_label))
    if isinstance(error, rules.CommentRequired):
        return Invalid(_l("Give the reason to %(action)s this task.", action=action_label),
                       {"comment": [_l("Required.")]})
    return Conflict(_l("The task is now “%(status)s”: you cannot %(action)s it now. Reload the page "
                       "to see what changed.", status=status_label, action=action_label))


EVENT_OF = {Action.send: "task_sent", Action.receive: "task_received", Action.return_: "task_returned",
            Action.report: "task_reported", Action.confirm: "task_confirmed", Action.refuse: "task_refused",
            Action.withdraw: "task_withdrawn"}


def transition(task_id, action, *, viewer: Viewer, comment: str | None = None,
               result: str | None = None, reason: str | None = None,
               lead_agency_id: int | None = None, expected_version=None, files=()) -> Task:
    """Apply one action of SPEC §4.3 to a task, or refuse it and change nothing."""
    task = _task(task_id, viewer)
    if not isinstance(action, str):
        raise Invalid(_l("action must be text."), {"action": [_l("Not a valid choice.")]})
    try:
        action = Action(action)
    except ValueError:
        raise Invalid(_l("Unknown action: %(action)s.", action=action), {"action": [_l("Not a valid choice.")]})
    # Issue 8, finding 10: text the database cannot store is refused before anything is looked at.
    check_texts(("comment", comment, _l("Comment")), ("result", result, _l("Result")),
                ("reason", reason, _l("Reason"), 32))
    _check_version(task, expected_version)
    who = parties(task, viewer)
    try:
        target = rules.next_status(task.status, action, who, comment)
    except rules.LifecycleError as error:
        raise _refusal(error, action)

    errors = FieldErrors()
    now = local_now()
    if action == Action.return_ and reason not in FEEDBACK_REASONS:
        errors.add("reason", _l("Choose why the task is returned."))
    if action == Action.report and not (result or "").strip():
        errors.add("result", _l("Write the result of the task."))
    new_lead = None
    if action == Action.send and lead_agency_id not in (None, task.lead_agency_id):
        new_lead = db.session.get(Agency, lead_agency_id)
        if new_lead is None or not new_lead.active:
            errors.add("lead_agency_id", _l("The lead agency does not exist or is inactive."))
        elif new_lead.id in {a.id for a in task.coordinating_agencies}:
            errors.add("lead_agency_id", _l("The lead agency cannot also be a coordinating agency."))
    checked = attachments.check_files(files, errors) if action == Action.report else []
    errors.raise_if_any()

    annotate(db.session, action.value, comment)
    former_lead_id = task.lead_agency_id
    if new_lead is not None:  # Art. 5.2.b: transferred to another lead agency
        task.lead_agency_id = new_lead.id
    if action == Action.send and task.sent_at is None:
        task.sent_at = now  # Art. 6: the first sending is what the entry deadline judges
    if action == Action.return_:
        db.session.add(Feedback(task_id=task.id, reason=reason, body=comment.strip(),
                                agency_id=viewer.agency_id, author_id=viewer.user_id, created_at=now))
    if action == Action.report:
        entry = TaskUpdate(task_id=task.id, kind="result", body=result.strip(), agency_id=viewer.agency_id,
                           author_id=viewer.user_id, created_at=now, draft=False,
                           posted_by_id=viewer.user_id, posted_at=now)
        db.session.add(entry)
        db.session.flush()
        attachments.store(checked, task=task, update=entry, uploaded_by_id=viewer.user_id)
        task.result = result.strip()
        task.result_submitted_at = now
    if action == Action.confirm:
        # SPEC §4.5: completed on the day the confirmed result was submitted.
        task.completed_on = task.result_submitted_at.date()
    task.status = target.value
    # Art. 5, 10: the people the step concerns are told of it, in this transaction.
    if new_lead is not None:
        _emit("task_transferred", task, actor_id=viewer.user_id, former_lead_id=former_lead_id)
    else:
        _emit(EVENT_OF[action], task, actor_id=viewer.user_id)
    _commit()
    return task


def post_update(task_id, *, viewer: Viewer, body: str, files=(), result_draft: bool = False) -> TaskUpdate:
    """A progress update (lead agency) or a contribution (coordinating agency,
    Art. 10.3). AgencyStaff's are drafts until their head posts them; staff may
    also draft the result, which the head's report form starts from."""
    task = _task(task_id, viewer)
    who = parties(task, viewer)
    if not rules.may_post_update(task.status, who):
        if who & {Party.lead_head, Party.lead_staff, Party.coordinating}:
            raise Conflict(_l("Updates are posted while the task is with the agencies."))
        raise Forbidden(_l("Only the lead and coordinating agencies post updates on a task."))
    errors = FieldErrors()
    if not errors.text("body", body, _l("Update")):
        errors.raise_if_any()
    if not (body or "").strip():
        errors.add("body", _l("Write the update."))
    checked = attachments.check_files(files, errors)
    errors.raise_if_any()
    now = local_now()
    draft = rules.update_is_draft(who)
    kind = "progress" if who & {Party.lead_head, Party.lead_staff} else "contribution"
    if result_draft:
        if not draft:
            raise Invalid(_l("Only staff draft a result; the head submits it with “Submit the result”."))
        kind = "result"
    entry = TaskUpdate(task_id=task.id, kind=kind, body=body.strip(), agency_id=viewer.agency_id,
                       author_id=viewer.user_id, created_at=now, draft=draft,
                       posted_by_id=None if draft else viewer.user_id, posted_at=None if draft else now)
    db.session.add(entry)
    db.session.flush()
    attachments.store(checked, task=task, update=entry, uploaded_by_id=viewer.user_id)
    if kind == "contribution":  # Art. 10.3: the lead agency is told of a coordinating agency's input
        _emit("contribution", task, actor_id=viewer.user_id, ref=f"u{entry.id}",
                    message=body.strip())
    db.session.commit()
    return entry


def publish_draft(update_id, *, viewer: Viewer) -> TaskUpdate:
    """The head (or chair) posts a progress draft their staff wrote (a result
    draft is submitted with the report action instead)."""
    entry = db.session.get(TaskUpdate, int(update_id)) if str(update_id).isdecimal() else None
    if entry is None or visible_task(entry.task_id, viewer) is None:
        raise NotFound(_l("No such update."))
    if entry.kind == "result":
        raise Conflict(_l("A result draft is submitted with “Submit the result”."))
    task = entry.task
    if Party.lead_head not in parties(task, viewer) or entry.agency_id != viewer.agency_id:
        raise Forbidden(_l("Only the head of the agency posts its drafts."))
    g.acting_user_id = viewer.user_id
    done = db.session.execute(
        update(TaskUpdate).where(TaskUpdate.id == entry.id, TaskUpdate.draft.is_(True))
        .values(draft=False, posted_by_id=viewer.user_id, posted_at=local_now()))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This draft has already been posted."))
    db.session.commit()
    db.session.refresh(entry)
    return entry


def send_document(document_id, *, viewer: Viewer) -> list[Task]:
    """Send every draft task of a document to its lead agency at once."""
    from app.models import Document

    document = db.session.get(Document, int(document_id)) if str(document_id).isdecimal() else None
    if document is None:
        raise NotFound(_l("No such document."))
    drafts_ = [t for t in document.tasks if t.status == TaskStatus.draft.value]
    if not drafts_:
        raise Conflict(_l("This document has no draft task left to send."))
    g.acting_user_id = viewer.user_id
    annotate(db.session, Action.send.value)
    now = local_now()
    for task in drafts_:
        try:
            task.status = rules.next_status(task.status, Action.send, parties(task, viewer)).value
        except rules.LifecycleError as error:
            db.session.rollback()
            raise _refusal(error, Action.send)
        task.sent_at = task.sent_at or now
    for task in drafts_:
        _emit("task_sent", task, actor_id=viewer.user_id)
    _commit()
    return drafts_


def drafts(task: Task, viewer: Viewer) -> list[TaskUpdate]:
    """The unposted drafts of the viewer's own agency on this task."""
    if viewer.agency_id is None:
        return []
    return db.session.scalars(select(TaskUpdate).where(
        TaskUpdate.task_id == task.id, TaskUpdate.draft.is_(True),
        TaskUpdate.agency_id == viewer.agency_id).order_by(TaskUpdate.id)).all()


EXTENSION_MESSAGES = {
    "forbidden": (Forbidden, _l("Only the head of the lead agency asks for an extension; only the "
                                "Chairman decides (Art. 5.2.đ).")),
    "state": (Conflict, _l("An extension is asked while the task is being carried out.")),
    "pending": (Conflict, _l("This task already has an extension request waiting for the Chairman.")),
    "reason_required": (Invalid, _l("Give the reason for the extension.")),
    "date_required": (Invalid, _l("Propose the new deadline.")),
    "not_later": (Invalid, _l("The new deadline must be later than the deadline in force.")),
}


def _extension_refusal(error: ExtensionError):
    kind, message = EXTENSION_MESSAGES[error.code]
    field = {"reason_required": "reason", "date_required": "proposed_deadline",
             "not_later": "proposed_deadline"}.get(error.code)
    return kind(message, {field: [message]} if field else None)


def pending_extension(task: Task) -> ExtensionRequest | None:
    return db.session.scalar(select(ExtensionRequest).where(
        ExtensionRequest.task_id == task.id, ExtensionRequest.status == "pending"))


def _check_date(name, value, label) -> None:
    errors = FieldErrors()
    errors.date_in_range(name, value, label)
    errors.raise_if_any()


def request_extension(task_id, *, viewer: Viewer, reason: str, proposed_deadline) -> ExtensionRequest:
    """Art. 5.2.đ: the lead agency asks the Chairman, through the Office."""
    task = _task(task_id, viewer)
    check_texts(("reason", reason, _l("Reason")))
    _check_date("proposed_deadline", proposed_deadline, _l("Proposed deadline"))
    try:
        assessment = rules.check_extension_request(
            task.status, parties(task, viewer), has_pending=pending_extension(task) is not None,
            proposed=proposed_deadline, deadline=task.deadline, today=today(), reason=reason)
    except ExtensionError as error:
        raise _extension_refusal(error)
    entry = ExtensionRequest(task_id=task.id, reason=reason.strip(), proposed_deadline=proposed_deadline,
                             deadline_at_request=task.deadline, late=assessment.late,
                             agency_id=viewer.agency_id, requested_by_id=viewer.user_id,
                             requested_at=local_now(), status="pending")
    db.session.add(entry)
    try:
        db.session.flush()
        _emit("extension_asked", task, actor_id=viewer.user_id, ref=f"x{entry.id}", message=reason.strip())
        db.session.commit()
    except IntegrityError:  # another request won the race to be the pending one
        db.session.rollback()
        raise _extension_refusal(ExtensionError("pending"))
    return entry


def _apply_extension(task: Task, approved) -> None:
    task.deadline, task.original_deadline = rules.extended_deadlines(
        task.deadline, task.original_deadline, approved)


def decide_extension(request_id, *, viewer: Viewer, approve: bool, deadline=None,
                     comment: str | None = None) -> ExtensionRequest:
    """The Chairman approves (the proposed date, or another) or refuses."""
    entry = db.session.get(ExtensionRequest, int(request_id)) if str(request_id).isdecimal() else None
    if entry is None or visible_task(entry.task_id, viewer) is None:
        raise NotFound(_l("No such extension request."))
    task = entry.task
    check_texts(("comment", comment, _l("Comment")))
    chosen = (deadline or entry.proposed_deadline) if approve else None
    _check_date("deadline", chosen, _l("Approved deadline"))
    who = parties(task, viewer)
    if entry.status != "pending" and Party.chairman in who:
        raise Conflict(_l("This request has already been decided."))
    try:
        rules.check_extension_decision(who, approve=approve, chosen=chosen, deadline=task.deadline)
    except ExtensionError as error:
        raise _extension_refusal(error)
    g.acting_user_id = viewer.user_id
    now = local_now()
    # Only one decision: the row changes only while it is still pending.
    done = db.session.execute(
        update(ExtensionRequest).where(ExtensionRequest.id == entry.id, ExtensionRequest.status == "pending")
        .values(status="approved" if approve else "refused", approved_deadline=chosen,
                decision_comment=(comment or "").strip() or None, decided_by_id=viewer.user_id,
                decided_at=now))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This request has already been decided."))
    if approve:
        annotate(db.session, "extension", comment)
        _apply_extension(task, chosen)
    _emit("extension_decided", task, actor_id=viewer.user_id, ref=f"x{entry.id}",
                message=str(_l("Extension approved: new deadline %(date)s.", date=chosen.strftime("%d/%m/%Y")))
                if approve else str(_l("Extension refused.")))
    _commit()
    db.session.refresh(entry)
    return entry


def record_extension(task_id, *, viewer: Viewer, deadline, reference: str,
                     comment: str | None = None) -> ExtensionRequest:
    """The Office records an extension the Chairman approved outside the
    system (a signed document), with its reference (Art. 5.2.đ)."""
    task = _task(task_id, viewer)
    who = parties(task, viewer)
    if Party.office not in who:
        raise Forbidden(_l("Only the Office records an extension approved outside the system."))
    if not rules.may_record_extension(task.status, who):
        raise _extension_refusal(ExtensionError("state"))
    errors = FieldErrors()
    errors.date_in_range("deadline", deadline, _l("New deadline"))
    errors.text("reference", reference, _l("Reference"), ExtensionRequest.__table__.c.reference.type.length)
    errors.text("comment", comment, _l("Comment"))
    if errors:
        errors.raise_if_any()
    if not (reference or "").strip():
        errors.add("reference", _l("Name the Chairman's approval (number and date of the document)."))
    if deadline is None or deadline <= task.deadline:
        errors.add("deadline", EXTENSION_MESSAGES["not_later"][1])
    errors.raise_if_any()
    pending = pending_extension(task)
    now = local_now()
    if pending is not None:  # the approval outside the system answers it
        pending.status, pending.approved_deadline = "approved", deadline
        pending.decided_by_id, pending.decided_at, pending.reference = viewer.user_id, now, reference.strip()
        pending.decision_comment = (comment or "").strip() or None
        entry = pending
    else:
        entry = ExtensionRequest(
            task_id=task.id, reason=(comment or "").strip() or reference.strip(), proposed_deadline=deadline,
            deadline_at_request=task.deadline, late=today() > task.deadline, agency_id=task.lead_agency_id,
            requested_by_id=viewer.user_id, requested_at=now, status="approved", approved_deadline=deadline,
            decided_by_id=viewer.user_id, decided_at=now, reference=reference.strip(),
            decision_comment=(comment or "").strip() or None)
        db.session.add(entry)
    annotate(db.session, "extension", reference.strip())
    _apply_extension(task, deadline)
    db.session.flush()
    _emit("extension_decided", task, actor_id=viewer.user_id, ref=f"x{entry.id}",
                message=str(_l("Extension approved: new deadline %(date)s.", date=deadline.strftime("%d/%m/%Y"))))
    _commit()
    return entry


# Asking for direction (issue 13): the Chairman's directions on a proposal, carried out
# through the same rules as the lifecycle's own steps. These flush and never commit: the
# caller (app.services.proposals) writes the direction and its effect in one transaction,
# so a direction the rules refuse changes nothing.
def apply_direction(task: Task, decision: str, *, viewer: Viewer, deadline=None, comment: str | None = None,
                    proposal=None, message: str | None = None) -> None:
    from app.domain.direction import TRANSFERABLE, Decision

    who = parties(task, viewer)
    g.acting_user_id = viewer.user_id
    if decision == Decision.extend:
        # Art. 5.2.đ: the same decision as on an extension request; a pending request is answered by it.
        if TaskStatus(task.status) not in rules.EXTENSION_STATES:
            raise _extension_refusal(ExtensionError("state"))
        try:
            rules.check_extension_decision(who, approve=True, chosen=deadline, deadline=task.deadline)
        except ExtensionError as error:
            raise _extension_refusal(error)
        now = local_now()
        entry = pending_extension(task)
        if entry is None:
            entry = ExtensionRequest(
                task_id=task.id, reason=str(_l("Proposed to the Chairman (proposal #%(id)s).", id=proposal.id)),
                proposed_deadline=deadline, deadline_at_request=task.deadline, late=today() > task.deadline,
                agency_id=task.lead_agency_id, requested_by_id=proposal.created_by_id,
                requested_at=proposal.submitted_at or proposal.created_at, status="pending")
            db.session.add(entry)
        entry.status, entry.approved_deadline = "approved", deadline
        entry.decided_by_id, entry.decided_at = viewer.user_id, now
        entry.decision_comment = (comment or "").strip() or None
        db.session.flush()
        annotate(db.session, "extension", comment)
        _apply_extension(task, deadline)
        _emit("extension_decided", task, actor_id=viewer.user_id, ref=f"x{entry.id}",
              message=message or str(_l("Extension approved: new deadline %(date)s.",
                                         date=deadline.strftime("%d/%m/%Y"))))
    elif decision == Decision.withdraw:
        # The Office withdraws a task (SPEC §4.3); here on the Chairman's direction.
        try:
            target = rules.next_status(task.status, Action.withdraw, who | {Party.office}, comment)
        except rules.LifecycleError as error:
            raise _refusal(error, Action.withdraw)
        annotate(db.session, Action.withdraw.value, comment)
        task.status = target.value
        _emit("task_withdrawn", task, actor_id=viewer.user_id, message=message)
    elif decision == Decision.transfer and TaskStatus(task.status) not in TRANSFERABLE:
        raise Conflict(_l("The task is now “%(status)s”: it can no longer be transferred.",
                          status=labels.TASK_STATUS.get(task.status, task.status)))
    db.session.flush()


def transfer_as_directed(task_id, *, viewer: Viewer, lead_agency_id: int, comment: str | None = None) -> Task:
    """The Office sends the task to the lead agency the Chairman named (Art. 5.2.b: transferred
    and sent again). Flushes; the caller commits with its record of the step."""
    from app.domain.direction import TRANSFERABLE

    task = _task(task_id, viewer)
    if Party.office not in parties(task, viewer):
        raise Forbidden(_l("Only the Office sends a task to its new lead agency."))
    if TaskStatus(task.status) not in TRANSFERABLE:
        raise Conflict(_l("The task is now “%(status)s”: it can no longer be transferred.",
                          status=labels.TASK_STATUS.get(task.status, task.status)))
    new_lead = db.session.get(Agency, lead_agency_id)
    if new_lead is None or not new_lead.active:
        raise Invalid(_l("The lead agency does not exist or is inactive."),
                      {"lead_agency_id": [_l("The lead agency does not exist or is inactive.")]})
    if new_lead.id in {a.id for a in task.coordinating_agencies}:
        raise Invalid(_l("The lead agency cannot also be a coordinating agency."),
                      {"lead_agency_id": [_l("The lead agency cannot also be a coordinating agency.")]})
    former = task.lead_agency_id
    annotate(db.session, Action.send.value, comment)
    task.lead_agency_id = new_lead.id
    task.status = TaskStatus.assigned.value
    _emit("task_transferred", task, actor_id=viewer.user_id, former_lead_id=former)
    return task
