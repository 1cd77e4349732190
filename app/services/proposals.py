"""Proposals to the Chairman and his directions (Art. 5.3.d, 6.3, 10.1.c, 11.1.d, 18.3).

The tracking officer drafts a proposal about one or many tasks (from the overdue list,
a difficulty, a disagreement, a higher-authority document with little time left); the
Office leader approves it and it joins the Chairman's queue, oldest first; the Chairman
gives a direction per task — keep and urge, extend, transfer, withdraw, or free text —
carried out through the lifecycle service (app.services.lifecycle.apply_direction), so a
direction the lifecycle refuses changes nothing. A transfer goes back to the Office, who
sends the task to the new lead agency. Proposals are the Office's and the Chairman's
papers: an agency never sees one (it sees the direction on its task's timeline).

Each action: validate, then run in one transaction; one refusal class per failure.
"""
from __future__ import annotations

import datetime as dt

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.access import Viewer
from app.domain import direction as rules
from app.domain.direction import Decision, DirectionError, DirectionInput, ProposalReason, ProposalStatus
from app.domain.lifecycle import OFFICE_ROLES
from app.domain.text import TEXT_MAX
from app.extensions import db
from app.models import Agency, AppUser, Task, local_now, task_coordinating_agency
from app.models_direction import Proposal, ProposalTask
from app.services import difficulties, lifecycle
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound
from app.services.notifications import NOTIFICATION_COLUMNS, agency_users, insert_ignoring_duplicates, role_users

REASON_LABEL = {
    ProposalReason.overdue: _l("Overdue tasks (Art. 5.3.d)"),
    ProposalReason.not_meeting: _l("Not meeting requirements (Art. 5.3.d)"),
    ProposalReason.difficulty: _l("Difficulties reported by the agency (Art. 19.2)"),
    ProposalReason.disagreement: _l("Agencies disagree (Art. 10.1.c)"),
    ProposalReason.short_time: _l("Little time left on a higher authority's task (Art. 6.3)"),
    ProposalReason.other: _l("Other"),
}
DECISION_LABEL = {
    Decision.urge: _l("Keep the task and urge"),
    Decision.extend: _l("Extend the deadline"),
    Decision.transfer: _l("Transfer to another lead agency"),
    Decision.withdraw: _l("Withdraw the task"),
    Decision.other: _l("Other direction"),
}
STATUS_LABEL = {
    ProposalStatus.draft: _l("Draft, with the Office"),
    ProposalStatus.submitted: _l("With the Chairman"),
    ProposalStatus.decided: _l("Directed"),
}
DIRECTION_MESSAGES = {
    "not_submitted": (Conflict, _l("The Chairman directs a proposal the Office leader has sent him.")),
    "already_directed": (Conflict, _l("This task already has the Chairman's direction in this proposal.")),
    "decision_unknown": (Invalid, _l("Choose the direction: urge, extend, transfer, withdraw or other.")),
    "extend_state": (Conflict, _l("An extension is decided while the task is being carried out.")),
    "deadline_required": (Invalid, _l("Give the new deadline.")),
    "deadline_past": (Invalid, _l("The new deadline cannot be before today.")),
    "deadline_not_later": (Invalid, _l("The new deadline must be later than the deadline in force.")),
    "transfer_state": (Conflict, _l("The task can no longer be transferred in its state.")),
    "lead_required": (Invalid, _l("Choose the new lead agency.")),
    "lead_same": (Invalid, _l("The new lead agency is the present one.")),
    "lead_coordinating": (Invalid, _l("The lead agency cannot also be a coordinating agency.")),
    "withdraw_state": (Conflict, _l("The task can no longer be withdrawn in its state.")),
    "comment_required": (Invalid, _l("Write the direction.")),
    "urge_state": (Conflict, _l("The task is no longer being carried out.")),
}
CLOSED = ("completed", "withdrawn")


def _refusal(error: DirectionError):
    kind, message = DIRECTION_MESSAGES[error.code]
    return kind(message, {error.field: [message]} if error.field else None)


def _commit() -> None:
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        raise Conflict(_l("Someone else acted on this proposal or its tasks at the same moment. Reload the page."))


# --- who sees what ------------------------------------------------------------------------

def visible_proposals(viewer: Viewer):
    """The Office's and the Chairman's: every proposal; anyone else none."""
    stmt = select(Proposal)
    return stmt if viewer.sees_all else stmt.where(Proposal.id.is_(None))


def visible_proposal(proposal_id, viewer: Viewer) -> Proposal | None:
    try:
        proposal_id = int(proposal_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(visible_proposals(viewer).where(Proposal.id == proposal_id)
                             .options(selectinload(Proposal.items).selectinload(ProposalTask.task)))


def _proposal(proposal_id, viewer: Viewer) -> Proposal:
    proposal = visible_proposal(proposal_id, viewer)
    if proposal is None:
        raise NotFound(_l("No such proposal."))
    g.acting_user_id = viewer.user_id
    return proposal


def chairman_queue(viewer: Viewer):
    """Submitted proposals, oldest first."""
    return (visible_proposals(viewer).where(Proposal.status == ProposalStatus.submitted.value)
            .order_by(Proposal.submitted_at, Proposal.id))


# --- drafting and submitting --------------------------------------------------------------

def _vn(day) -> str:
    return day.strftime("%d/%m/%Y")


def default_body(reason: ProposalReason, tasks: list[Task]) -> str:
    agencies = sorted({t.lead_agency.name for t in tasks})
    return (f"Qua theo dõi trên Hệ thống theo dõi nhiệm vụ của Ủy ban nhân dân tỉnh, đến ngày {_vn(today())}, "
            f"{len(tasks)} nhiệm vụ do {', '.join(agencies)} chủ trì "
            + {ProposalReason.overdue: "đã quá hạn nhưng chưa hoàn thành",
               ProposalReason.not_meeting: "triển khai thực hiện chưa đúng yêu cầu đề ra",
               ProposalReason.difficulty: "gặp khó khăn, vướng mắc vượt quá khả năng, điều kiện thực hiện",
               ProposalReason.disagreement: "còn ý kiến khác nhau giữa các cơ quan, đơn vị",
               ProposalReason.short_time: "có thời gian còn lại để thực hiện theo văn bản cấp trên giao ngắn",
               ProposalReason.other: "cần có ý kiến chỉ đạo"}[reason]
            + " (chi tiết tại bảng kèm theo). Văn phòng Ủy ban nhân dân tỉnh kính trình Chủ tịch Ủy ban nhân dân "
              "tỉnh xem xét, cho ý kiến chỉ đạo đối với từng nhiệm vụ.")


def draft_proposal(*, viewer: Viewer, task_ids, reason: str, body: str | None = None, issue_ids=()) -> Proposal:
    """The tracking officer's draft about these tasks (and the difficulties it takes up)."""
    if not rules.may_draft_proposal(viewer.roles):
        raise Forbidden(_l("The Office's tracking officer drafts proposals to the Chairman."))
    g.acting_user_id = viewer.user_id
    errors = FieldErrors()
    try:
        reason = ProposalReason(reason or "")
    except ValueError:
        errors.add("reason", _l("Choose why the Chairman is asked."))
        reason = None
    task_ids = sorted({int(t) for t in task_ids or ()})
    tasks = db.session.scalars(select(Task).where(Task.id.in_(task_ids or [0]))
                               .options(selectinload(Task.lead_agency))).all()
    if not task_ids:
        errors.add("task_ids", _l("Choose at least one task."))
    elif len(task_ids) > rules.MAX_TASKS:
        errors.add("task_ids", _l("A proposal covers at most %(n)s tasks.", n=rules.MAX_TASKS))
    elif len(tasks) != len(task_ids):
        errors.add("task_ids", _l("These tasks do not exist: %(ids)s.",
                                  ids=", ".join(map(str, sorted(set(task_ids) - {t.id for t in tasks})))))
    closed = [t.id for t in tasks if t.status in CLOSED]
    if closed:
        errors.add("task_ids", _l("These tasks are completed or withdrawn: %(ids)s.", ids=", ".join(map(str, closed))))
    body = (body or "").strip()
    errors.text_fits("body", body, _l("Proposal"), TEXT_MAX)
    errors.raise_if_any()
    proposal = Proposal(reason=reason.value, body=body or default_body(reason, tasks), status="draft",
                        created_by_id=viewer.user_id, created_at=local_now())
    db.session.add(proposal)
    db.session.flush()
    db.session.add_all([ProposalTask(proposal_id=proposal.id, task_id=t.id) for t in tasks])
    db.session.flush()
    difficulties.mark_proposed(issue_ids or (), proposal.id, viewer, {t.id for t in tasks})
    _commit()
    return proposal


def submit_proposal(proposal_id, *, viewer: Viewer) -> Proposal:
    """The Office leader approves and sends it to the Chairman's queue."""
    proposal = _proposal(proposal_id, viewer)
    if not rules.may_submit_proposal(viewer.roles):
        raise Forbidden(_l("The Office leader approves a proposal and sends it to the Chairman."))
    try:
        rules.check_submit(proposal.status)
    except DirectionError:
        raise Conflict(_l("This proposal has already been sent to the Chairman."))
    now = local_now()
    done = db.session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.status == "draft")
                              .values(status="submitted", submitted_by_id=viewer.user_id, submitted_at=now,
                                      version=Proposal.version + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This proposal has already been sent to the Chairman."))
    message = str(_l("Proposal #%(id)s: %(n)s tasks for your direction.", id=proposal.id, n=len(proposal.items)))
    chairmen = role_users((rules.CHAIRMAN,)).subquery()
    # (SQLite needs the WHERE to read INSERT … SELECT … ON CONFLICT.)
    rows = select(chairmen.c.user_id, *_literals(
        "proposal_submitted", f"proposal_submitted:{proposal.id}", message, f"/proposals/show/{proposal.id}")
    ).where(chairmen.c.user_id.is_not(None))
    insert_ignoring_duplicates(rows.distinct(), NOTIFICATION_COLUMNS)
    _commit()
    db.session.refresh(proposal)
    return proposal


def _literals(kind, key, message, link, task_id=None):
    from sqlalchemy import Integer, literal

    return (literal(kind), literal(key), literal(task_id, Integer), literal(today()), literal(message[:300]),
            literal(link), literal(local_now()))


# --- the Chairman's direction -------------------------------------------------------------

def give_direction(proposal_id, *, viewer: Viewer, task_id, decision: str, deadline: dt.date | None = None,
                   lead_agency_id: int | None = None, comment: str | None = None) -> ProposalTask:
    """One direction on one task of a proposal in the queue, carried out through the
    lifecycle service in the same transaction; refused → nothing changes."""
    proposal = _proposal(proposal_id, viewer)
    if not rules.may_direct(viewer.roles):
        raise Forbidden(_l("Only the Chairman gives direction on a proposal."))
    item = next((i for i in proposal.items if str(i.task_id) == str(task_id)), None)
    if item is None:
        raise NotFound(_l("This task is not in the proposal."))
    errors = FieldErrors()
    errors.date_in_range("deadline", deadline, _l("New deadline"))
    comment = (comment or "").strip()
    errors.text_fits("comment", comment, _l("Direction"), TEXT_MAX)
    if lead_agency_id is not None:
        agency = db.session.get(Agency, lead_agency_id)
        if agency is None or not agency.active:
            errors.add("lead_agency_id", _l("The lead agency does not exist or is inactive."))
    errors.raise_if_any()
    if proposal.status == ProposalStatus.submitted.value and item.decision is None:
        # One direction per task: claim the row first (a second Chairman's click at the same moment
        # waits here for the first and is told it was given); a refusal below rolls the claim back.
        now = local_now()
        done = db.session.execute(
            update(ProposalTask).where(ProposalTask.proposal_id == proposal.id, ProposalTask.task_id == item.task_id,
                                       ProposalTask.decision.is_(None))
            .values(decision=Decision.other.value, decided_by_id=viewer.user_id, decided_at=now)
            .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            db.session.rollback()
            raise _refusal(DirectionError("already_directed"))
    task = item.task
    try:
        choice = rules.check_direction(
            proposal.status, item.decision is not None,
            DirectionInput(decision, deadline, lead_agency_id, comment), task_status=task.status,
            task_deadline=task.deadline, lead_agency_id=task.lead_agency_id,
            coordinating_ids=frozenset(a.id for a in task.coordinating_agencies), today=today())
    except DirectionError as error:
        db.session.rollback()
        raise _refusal(error)
    db.session.execute(
        update(ProposalTask).where(ProposalTask.proposal_id == proposal.id, ProposalTask.task_id == task.id)
        .values(decision=choice.value, deadline=deadline if choice == Decision.extend else None,
                lead_agency_id=lead_agency_id if choice == Decision.transfer else None, comment=comment or None)
        .execution_options(synchronize_session=False))
    lead_name = db.session.get(Agency, lead_agency_id).name if lead_agency_id else None
    message = str(_l("The Chairman's direction: %(text)s", text=direction_text(choice, deadline, lead_name, comment)))
    try:
        lifecycle.apply_direction(task, choice.value, viewer=viewer, deadline=deadline, comment=comment or
                                  str(DECISION_LABEL[choice]), proposal=proposal, message=message)
    except Exception:
        db.session.rollback()
        raise
    left = db.session.scalar(select(func.count()).select_from(ProposalTask).where(
        ProposalTask.proposal_id == proposal.id, ProposalTask.decision.is_(None)))
    if not left:
        db.session.execute(update(Proposal).where(Proposal.id == proposal.id, Proposal.status == "submitted")
                           .values(status="decided", decided_at=now, version=Proposal.version + 1)
                           .execution_options(synchronize_session=False))
    _notify_direction(task, proposal, choice, message, viewer)
    _commit()
    db.session.refresh(item)
    return item


def direction_text(decision, deadline, lead_name, comment) -> str:
    decision = Decision(decision)
    text = str(DECISION_LABEL[decision])
    if decision == Decision.extend and deadline:
        text += " " + str(_l("to %(date)s", date=_vn(deadline)))
    if decision == Decision.transfer and lead_name:
        text += ": " + lead_name
    return text + (f" — {comment}" if comment else "")


def _notify_direction(task, proposal, choice, message, viewer) -> None:
    """The agencies on the task, the officer and the drafter, each once: those the lifecycle's own
    event (extension decided: the lead and the officer; withdrawn: the lead and the coordinating
    agencies) already told, with the same message, are not told twice."""
    from app.services.difficulties import _concerned, _notify

    users = agency_users(AppUser.agency_id)
    if choice == Decision.extend:
        sets = [select(users.c.user_id).join(
            task_coordinating_agency, task_coordinating_agency.c.agency_id == users.c.agency_id)
            .where(task_coordinating_agency.c.task_id == task.id)]
    elif choice == Decision.withdraw:
        sets = _concerned(task, agencies=False)
    else:
        sets = _concerned(task)
    if not (choice == Decision.extend and proposal.created_by_id == task.tracking_officer_id):
        sets.append(select(AppUser.id.label("user_id")).where(AppUser.id == proposal.created_by_id))
    _notify(task, sets, kind="direction", key=f"direction:{proposal.id}:{task.id}", message=message,
            actor_id=viewer.user_id)


def carry_out_transfer(proposal_id, *, viewer: Viewer, task_id) -> ProposalTask:
    """The Office sends the task to the lead agency the Chairman named."""
    proposal = _proposal(proposal_id, viewer)
    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office sends a task to its new lead agency."))
    item = next((i for i in proposal.items if str(i.task_id) == str(task_id)), None)
    if item is None:
        raise NotFound(_l("This task is not in the proposal."))
    if item.decision != Decision.transfer.value:
        raise Conflict(_l("The Chairman did not direct a transfer of this task."))
    done = db.session.execute(
        update(ProposalTask).where(ProposalTask.proposal_id == proposal.id, ProposalTask.task_id == item.task_id,
                                   ProposalTask.carried_out_at.is_(None))
        .values(carried_out_at=local_now(), carried_out_by_id=viewer.user_id)
        .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("The task has already been sent to its new lead agency."))
    try:
        lifecycle.transfer_as_directed(item.task_id, viewer=viewer, lead_agency_id=item.lead_agency_id,
                                       comment=str(_l("On the Chairman's direction (proposal #%(id)s).", id=proposal.id)))
    except Exception:
        db.session.rollback()
        raise
    _commit()
    db.session.refresh(item)
    return item


# --- what a task's page and timeline show -------------------------------------------------

def directions_of(task_id: int) -> list[ProposalTask]:
    """The task's proposal lines, read once per request (its page and its timeline)."""
    from app.versions import once

    return once("directions_of", int(task_id), lambda: _directions_of(task_id))


def _directions_of(task_id: int) -> list[ProposalTask]:
    return db.session.scalars(select(ProposalTask).where(ProposalTask.task_id == task_id)
                              .options(selectinload(ProposalTask.proposal), selectinload(ProposalTask.decided_by),
                                       selectinload(ProposalTask.lead_agency))
                              .order_by(ProposalTask.proposal_id)).all()


# --- the proposal as a Decree 30 document -------------------------------------------------

def proposal_document(proposal: Proposal):
    from app.render.model import OfficialDocument, Paragraph, Table

    calendar, now = current_calendar(), today()
    rows = []
    for n, item in enumerate(proposal.items, start=1):
        task = item.task
        late = calendar.working_days_between(task.deadline, now) if task.deadline < now else 0
        direction = ""
        if item.decision:
            direction = direction_text(item.decision, item.deadline,
                                       item.lead_agency.name if item.lead_agency else None, item.comment)
            direction += f" ({item.decided_at:%d/%m/%Y})"
        rows.append([str(n), f"{task.document.number}\nngày {_vn(task.document.issued_on)}", task.content,
                     task.lead_agency.name, _vn(task.deadline), str(late) if late else "—", direction])
    paragraphs = [p.strip() for p in proposal.body.replace("\r\n", "\n").split("\n\n") if p.strip()]
    table = Table(columns=["STT", "Văn bản giao", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Thời hạn",
                           "Số ngày làm việc quá hạn", "Ý kiến chỉ đạo của Chủ tịch UBND tỉnh"],
                  rows=rows, widths=[0.7, 1.8, 4, 2, 1.4, 1.3, 3],
                  align=["center", "left", "left", "left", "center", "center", "left"])
    body = [Paragraph(paragraphs[0] if paragraphs else ""), table] + [Paragraph(p) for p in paragraphs[1:]]
    if proposal.status != "draft" and proposal.submitted_at:
        body.append(Paragraph(f"Lãnh đạo Văn phòng duyệt trình ngày {proposal.submitted_at:%d/%m/%Y}."))
    config = current_app.config
    return OfficialDocument(
        number=None, number_suffix="/TTr-VP", issued_on=proposal.submitted_at.date() if proposal.submitted_at else None,
        year=(proposal.submitted_at or proposal.created_at).year, title="TỜ TRÌNH",
        title_summary="Về việc xin ý kiến chỉ đạo đối với nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân "
                      "tỉnh giao", recipients=["Chủ tịch Ủy ban nhân dân tỉnh"], body=body,
        signer_authority=config["LETTER_SIGNER_AUTHORITY"] or None, signer_position=config["LETTER_SIGNER_POSITION"],
        signer_name=config["LETTER_SIGNER_NAME"], cc=["Như trên", "Lãnh đạo Văn phòng"])


def proposal_file(proposal_id, kind: str, viewer: Viewer) -> tuple[bytes, str, str]:
    proposal = visible_proposal(proposal_id, viewer)
    if proposal is None or kind not in ("pdf", "docx"):
        raise NotFound(_l("No such proposal."))
    from app.render.docx import render_docx
    from app.render.pdf import render_pdf

    data = (render_pdf if kind == "pdf" else render_docx)(proposal_document(proposal))
    mimetype = {"pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[kind]
    return data, mimetype, f"to-trinh-{proposal.id}.{kind}"



def timeline_events(task: Task) -> list:
    """Difficulties, disagreements, proposals and directions on the task's timeline (issue 13)."""
    from app.models_direction import TaskIssue
    from app.services.timeline import Event

    events = []
    from app.services.difficulties import issues_of

    for issue in issues_of(task):
        if issue.kind == "difficulty":
            note = str(_l("Proposes: %(text)s", text=issue.proposal_text)) if issue.proposal_text else None
            events.append(Event(at=issue.created_at, kind="difficulty", title=str(_l("Difficulty reported (Art. 19.2)")),
                                user=issue.created_by, agency=issue.agency, body=issue.body, note=note))
        else:
            events.append(Event(at=issue.created_at, kind="difficulty",
                                title=str(_l("Disagreement between agencies recorded (Art. 10.1.c)")),
                                user=issue.created_by, body=issue.body, note=issue.proposal_text))
        if issue.status == "answered":
            events.append(Event(at=issue.handled_at, kind="difficulty", title=str(_l("Answered by the Office")),
                                user=issue.handled_by, body=issue.answer))
    for item in directions_of(task.id):
        proposal = item.proposal
        events.append(Event(at=proposal.created_at, kind="proposal",
                            title=str(_l("Proposed to the Chairman (proposal #%(id)s)", id=proposal.id)),
                            user=proposal.created_by, note=str(REASON_LABEL[ProposalReason(proposal.reason)])))
        if proposal.submitted_at:
            events.append(Event(at=proposal.submitted_at, kind="proposal",
                                title=str(_l("Proposal sent to the Chairman by the Office leader")),
                                user=proposal.submitted_by))
        if item.decided_at:
            events.append(Event(
                at=item.decided_at, kind="direction", title=str(_l("The Chairman's direction")), user=item.decided_by,
                body=direction_text(item.decision, item.deadline,
                                    item.lead_agency.name if item.lead_agency else None, item.comment)))
    return events


# --- the daily sweep: transfers the Chairman directed that the Office has not sent yet ---------

def remind_transfers(day: dt.date | None = None) -> int:
    """Art. 5.2.b, 5.3.a, 11.1.a: a task the Chairman directed to transfer waits for the Office to send
    it to the new lead agency; until it does, each working day from the day after the direction, the
    task's tracking officer and the proposal's drafter (the Office leaders when the task has no
    officer) are reminded — nobody outside the Office (a proposal is the Office's and the
    Chairman's paper). One INSERT … SELECT per audience; the key holds the day, so a second run
    that day, or two at once, inserts nothing."""
    from sqlalchemy import String, and_, cast, literal, true

    day = day or today()
    if not current_calendar().is_working_day(day):
        return 0
    start = dt.datetime.combine(day, dt.time.min)
    pending = and_(ProposalTask.decision == Decision.transfer.value, ProposalTask.carried_out_at.is_(None),
                   ProposalTask.decided_at < start, Task.status.not_in(CLOSED))
    def columns(user_column):
        return (user_column, literal("transfer_to_send"),
                literal(f"transfer_to_send:{day.isoformat()}:") + cast(ProposalTask.proposal_id, String)
                + literal(":") + cast(ProposalTask.task_id, String),
                ProposalTask.task_id, literal(day), func.substr(Task.content, 1, 300),
                literal("/proposals/show/") + cast(ProposalTask.proposal_id, String), literal(local_now()))

    base = (select().select_from(ProposalTask).join(Task, Task.id == ProposalTask.task_id)
            .join(Proposal, Proposal.id == ProposalTask.proposal_id).where(pending))
    active = select(AppUser.id).where(AppUser.active.is_(True))
    officers = base.add_columns(*columns(Task.tracking_officer_id)).where(Task.tracking_officer_id.in_(active))
    drafters = base.add_columns(*columns(Proposal.created_by_id)).where(Proposal.created_by_id.in_(active))
    leaders = role_users(("OfficeLeader",)).distinct().subquery()
    fallback = (base.add_columns(*columns(leaders.c.user_id)).join(leaders, true())
                .where(Task.tracking_officer_id.is_(None)))
    done = sum(insert_ignoring_duplicates(rows, NOTIFICATION_COLUMNS) for rows in (officers, drafters, fallback))
    db.session.commit()
    return done
