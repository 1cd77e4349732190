"""Ad-hoc report requests (Art. 10.1.d, 18.4, 19.1 "đột xuất"): the Office (or the
Chairman) asks chosen agencies — or all, all communes, all departments — for a
report by a date or within N working days; the heads are told; staff draft and the
head submits text and files; the Office sees who answered on time, late or not yet,
reminds the late ones and downloads every answer (ZIP of the files, XLSX of who and when).

Row-level rule: the Office and the Chairman see every request and answer; an agency
sees the requests addressed to it and only its own answer (the other agencies'
answers, their files and even their names stay hidden).
"""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile

from flask import current_app, g, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, String, and_, cast, exists, func, insert, literal, select, update
from sqlalchemy.orm import selectinload

from app.access import Viewer
from app.domain import direction as rules
from app.domain.direction import AnswerState, DirectionError, ReportScope
from app.domain.lifecycle import HEAD_ROLES, OFFICE_ROLES
from app.domain.text import TEXT_MAX
from app.domain.vocabulary import AgencyKind
from app.extensions import db
from app.models import Agency, AppUser, Task, local_now
from app.models_direction import DirectionFile, ReportAnswer, ReportRequest
from app.services import attachments
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, NotFound, ServiceError
from app.services.notifications import NOTIFICATION_COLUMNS, agency_users, insert_ignoring_duplicates, notify

DUE_MESSAGES = {
    "due_required": _l("Give the due date, or the number of working days from sending."),
    "working_days_range": _l("The number of working days must be between 1 and %(n)s.", n=rules.MAX_WORKING_DAYS),
    "due_not_later": _l("The due date must be after today."),
}
STATE_LABEL = {
    AnswerState.on_time: _l("Answered on time"),
    AnswerState.late: _l("Answered late"),
    AnswerState.not_yet: _l("Not yet answered"),
    AnswerState.missing: _l("Not answered, past due"),
}


# --- files --------------------------------------------------------------------------------

def _folder() -> str:
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "direction")
    os.makedirs(folder, exist_ok=True)
    return folder


def _store(checked, *, request_id=None, answer_id=None, user_id=None) -> list[DirectionFile]:
    """Write the files; a rollback removes them again (app.services.attachments)."""
    rows = []
    for item in checked:
        stored = attachments.write_checked(item, _folder())
        row = DirectionFile(request_id=request_id, answer_id=answer_id, filename=item.filename,
                            stored_name=stored, content_type=attachments.CONTENT_TYPES[item.extension],
                            size=len(item.data), uploaded_by_id=user_id, uploaded_on=local_now())
        db.session.add(row)
        rows.append(row)
    return rows


def request_files(request_id: int) -> list[DirectionFile]:
    return db.session.scalars(select(DirectionFile).where(DirectionFile.request_id == request_id)
                              .order_by(DirectionFile.id)).all()


def answer_files(answer_ids) -> dict[int, list[DirectionFile]]:
    out: dict[int, list[DirectionFile]] = {}
    if not answer_ids:
        return out
    for row in db.session.scalars(select(DirectionFile).where(DirectionFile.answer_id.in_(list(answer_ids)))
                                  .order_by(DirectionFile.id)):
        out.setdefault(row.answer_id, []).append(row)
    return out


# --- who sees what ------------------------------------------------------------------------

def visible_requests(viewer: Viewer):
    """Every request for the Office and the Chairman; for an agency, those addressed to it."""
    stmt = select(ReportRequest)
    if viewer.sees_all:
        return stmt
    if viewer.agency_id is None:
        return stmt.where(literal(False))
    return stmt.where(exists(select(ReportAnswer.id).where(
        ReportAnswer.request_id == ReportRequest.id, ReportAnswer.agency_id == viewer.agency_id)))


def visible_request(request_id, viewer: Viewer) -> ReportRequest | None:
    try:
        request_id = int(request_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(visible_requests(viewer).where(ReportRequest.id == request_id))


def visible_answers(request: ReportRequest, viewer: Viewer) -> list[ReportAnswer]:
    """All the answers for the Office and the Chairman; an agency only its own."""
    stmt = (select(ReportAnswer).where(ReportAnswer.request_id == request.id)
            .options(selectinload(ReportAnswer.agency), selectinload(ReportAnswer.submitted_by))
            .order_by(ReportAnswer.id))
    if not viewer.sees_all:
        stmt = stmt.where(ReportAnswer.agency_id == (viewer.agency_id or 0))
    return db.session.scalars(stmt).all()


def visible_file(file_id, viewer: Viewer) -> DirectionFile | None:
    try:
        row = db.session.get(DirectionFile, int(file_id))
    except (TypeError, ValueError):
        return None
    if row is None:
        return None
    if row.request_id is not None:
        return row if visible_request(row.request_id, viewer) else None
    answer = db.session.get(ReportAnswer, row.answer_id)
    if viewer.agency_id is not None and answer.agency_id == viewer.agency_id:
        return row  # its own, draft or submitted
    if viewer.sees_all and answer.status == "submitted":
        return row  # a draft is the agency's until its head submits it
    return None


def send_direction_file(file_id, viewer: Viewer):
    row = visible_file(file_id, viewer)
    if row is None:
        raise NotFound(_l("No such file."))
    path = os.path.join(_folder(), row.stored_name)
    if not os.path.exists(path):
        raise NotFound(_l("The file is missing from storage; tell the administrator."))
    return send_file(path, mimetype=row.content_type, as_attachment=True, download_name=row.filename, max_age=0)


def state_of(answer: ReportAnswer, now: dt.date | None = None) -> AnswerState:
    submitted = answer.submitted_at if answer.status == "submitted" else None
    return rules.answer_state(answer.due_on, submitted, now or today())


# --- asking --------------------------------------------------------------------------------

def _scope_condition(scope: ReportScope, agency_ids: list[int]):
    condition = and_(Agency.active.is_(True), Agency.kind != AgencyKind.office.value)
    if scope == ReportScope.chosen:
        return and_(condition, Agency.id.in_(agency_ids or [0]))
    kinds = rules.scope_kinds(scope)
    return and_(condition, Agency.kind.in_(sorted(kinds))) if kinds else condition


def create_request(*, viewer: Viewer, subject: str, body: str, agency_ids=None, scope: str | None = None,
                   due_on: dt.date | None = None, due_working_days: int | None = None, task_ids=(),
                   files=()) -> ReportRequest:
    """Send the request to every agency asked, each with its due date, and tell their heads."""
    if not rules.may_request_report(viewer.roles):
        raise Forbidden(_l("Only the Office or the Chairman asks the agencies for an ad-hoc report."))
    g.acting_user_id = viewer.user_id
    errors = FieldErrors()
    subject, body = (subject or "").strip(), (body or "").strip()
    if not subject:
        errors.add("subject", _l("Give the subject of the report asked."))
    errors.text_fits("subject", subject, _l("Subject"), 255)
    if not body:
        errors.add("body", _l("Say what the report must cover."))
    errors.text_fits("body", body, _l("What to cover"), TEXT_MAX)
    agency_ids = [int(a) for a in (agency_ids or [])]
    try:
        scope = ReportScope(scope or (ReportScope.chosen if agency_ids else ""))
    except ValueError:
        errors.add("scope", _l("Choose the agencies, or all, all communes or all departments."))
        scope = None
    if scope == ReportScope.chosen:
        if not agency_ids:
            errors.add("agency_ids", _l("Choose at least one agency."))
        else:
            known = set(db.session.scalars(select(Agency.id).where(_scope_condition(scope, agency_ids))))
            unknown = sorted(set(agency_ids) - known)
            if unknown:
                errors.add("agency_ids", _l("These agencies do not exist or are inactive: %(ids)s.",
                                            ids=", ".join(map(str, unknown))))
    task_ids = sorted({int(t) for t in task_ids or ()})
    if task_ids:
        found = set(db.session.scalars(select(Task.id).where(Task.id.in_(task_ids))))
        if found != set(task_ids):
            errors.add("task_ids", _l("These tasks do not exist: %(ids)s.",
                                      ids=", ".join(map(str, sorted(set(task_ids) - found)))))
    sent_on = today()
    due = None
    if due_on is None or errors.date_in_range("due_on", due_on, _l("Due date")):
        try:
            due = rules.report_due(current_calendar(), sent_on, due_on=due_on, working_days=due_working_days)
        except DirectionError as error:
            errors.add(error.field, DUE_MESSAGES[error.code])
    checked = attachments.check_files(files, errors)
    errors.raise_if_any()

    request = ReportRequest(subject=subject, body=body, scope=scope.value, sent_on=sent_on, due_on=due,
                            due_working_days=due_working_days, created_by_id=viewer.user_id,
                            requested_by_chairman=rules.CHAIRMAN in viewer.roles, created_at=local_now(),
                            tasks=db.session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
                            if task_ids else [])
    db.session.add(request)
    db.session.flush()
    # One INSERT … SELECT for every agency asked (all agencies: one statement, not one per agency).
    db.session.execute(insert(ReportAnswer).from_select(
        ["request_id", "agency_id", "due_on", "status", "version"],
        select(literal(request.id, Integer), Agency.id, literal(due), literal("pending"), literal(1, Integer))
        .where(_scope_condition(scope, agency_ids))))
    if not db.session.scalar(select(func.count(ReportAnswer.id)).where(ReportAnswer.request_id == request.id)):
        db.session.rollback()
        raise Conflict(_l("No active agency matches this choice: nothing was sent."))
    _store(checked, request_id=request.id, user_id=viewer.user_id)
    _notify_agencies(request, kind="report_request", message=str(_l(
        "Ad-hoc report asked: %(subject)s — due %(date)s.", subject=subject[:200],
        date=due.strftime("%d/%m/%Y"))), key=f"report_request:{request.id}")
    db.session.commit()
    return request


def _notify_agencies(request: ReportRequest, *, kind: str, message: str, key: str, only_unanswered=False,
                     late_on: dt.date | None = None) -> int:
    """The heads (and chairs) of the agencies asked, set-based; one notification per key."""
    users = agency_users(AppUser.agency_id, tuple(HEAD_ROLES))
    where = [ReportAnswer.request_id == request.id]
    if only_unanswered:
        where.append(ReportAnswer.status != "submitted")
    if late_on is not None:
        where.append(ReportAnswer.due_on < late_on)
    rows = (select(users.c.user_id, literal(kind), literal(key + ":") + cast(ReportAnswer.id, String),
                   literal(None, Integer), literal(today()),
                   (literal(message) if message else literal("") + ReportRequest.subject),
                   literal("/report-requests/show/") + cast(ReportAnswer.request_id, String), literal(local_now()))
            .join(ReportAnswer, ReportAnswer.agency_id == users.c.agency_id)
            .join(ReportRequest, ReportRequest.id == ReportAnswer.request_id)
            .where(*where))
    return insert_ignoring_duplicates(rows, NOTIFICATION_COLUMNS)


# --- answering ----------------------------------------------------------------------------

def _own_answer(request_id, viewer: Viewer) -> ReportAnswer:
    request = visible_request(request_id, viewer)
    if request is None:
        raise NotFound(_l("No such report request."))
    if not rules.may_draft_answer(viewer.roles) or viewer.agency_id is None:
        raise Forbidden(_l("The agency asked answers: its staff draft, its head submits."))
    answer = db.session.scalar(select(ReportAnswer).where(ReportAnswer.request_id == request.id,
                                                         ReportAnswer.agency_id == viewer.agency_id))
    if answer is None:
        raise NotFound(_l("No such report request."))
    g.acting_user_id = viewer.user_id
    return answer


def answer(request_id, *, viewer: Viewer, body: str, submit: bool, files=(), expected_version=None) -> ReportAnswer:
    """Staff save a draft; the head (or chair) submits text and files, once."""
    entry = _own_answer(request_id, viewer)
    if submit and not rules.may_submit_answer(viewer.roles):
        raise Forbidden(_l("Only the head of the agency submits the answer; save it as a draft."))
    if entry.status == "submitted":
        raise Conflict(_l("Your agency's answer has already been submitted."))
    if expected_version not in (None, "") and str(entry.version) != str(expected_version):
        raise Conflict(_l("Someone else saved this answer meanwhile. Reload the page to see it."))
    errors = FieldErrors()
    body = (body or "").strip()
    if not body:
        errors.add("body", _l("Write the report."))
    errors.text_fits("body", body, _l("Report"), TEXT_MAX)
    checked = attachments.check_files(files, errors)
    errors.raise_if_any()
    now = local_now()
    values = dict(body=body, drafted_by_id=viewer.user_id, drafted_at=now, version=entry.version + 1)
    if submit:
        values.update(status="submitted", submitted_by_id=viewer.user_id, submitted_at=now,
                      late=rules.answer_is_late(entry.due_on, now, now.date()))
    else:
        values.update(status="draft")
    # One outcome: the row changes only while it is not submitted and at the version read.
    done = db.session.execute(
        update(ReportAnswer).where(ReportAnswer.id == entry.id, ReportAnswer.status != "submitted",
                                   ReportAnswer.version == entry.version)
        .values(**values).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("Someone else saved or submitted this answer at the same moment. Reload the page."))
    _store(checked, answer_id=entry.id, user_id=viewer.user_id)
    if submit:
        request = entry.request
        agency = db.session.get(Agency, entry.agency_id)
        notify([request.created_by_id], kind="report_answer", key=f"report_answer:{entry.id}",
               message=str(_l("%(agency)s answered: %(subject)s", agency=agency.name, subject=request.subject))[:300],
               link=f"/report-requests/show/{request.id}")
    db.session.commit()
    db.session.refresh(entry)
    return entry


# --- following up -------------------------------------------------------------------------

def remind(request_id, *, viewer: Viewer) -> int:
    """The button: remind the agencies whose answer is past due (once a day each)."""
    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office reminds the agencies."))
    request = visible_request(request_id, viewer)
    if request is None:
        raise NotFound(_l("No such report request."))
    done = _notify_agencies(request, kind="report_request_late", message="",
                            key=f"report_request_late:{today().isoformat()}", only_unanswered=True,
                            late_on=today())
    db.session.commit()
    return done


def remind_late(day: dt.date | None = None) -> int:
    """The daily sweep: every answer past due and not submitted, in one INSERT … SELECT."""
    day = day or today()
    users = agency_users(AppUser.agency_id, tuple(HEAD_ROLES))
    rows = (select(users.c.user_id, literal("report_request_late"),
                   literal(f"report_request_late:{day.isoformat()}:") + cast(ReportAnswer.id, String),
                   literal(None, Integer), literal(day), func.substr(ReportRequest.subject, 1, 300),
                   literal("/report-requests/show/") + cast(ReportAnswer.request_id, String), literal(local_now()))
            .join(ReportAnswer, ReportAnswer.agency_id == users.c.agency_id)
            .join(ReportRequest, ReportRequest.id == ReportAnswer.request_id)
            .where(ReportAnswer.status != "submitted", ReportAnswer.due_on < day))
    done = insert_ignoring_duplicates(rows, NOTIFICATION_COLUMNS)
    db.session.commit()
    return done


def counts(request: ReportRequest, answers: list[ReportAnswer]) -> dict:
    now = today()
    out = {state.value: 0 for state in AnswerState}
    for entry in answers:
        out[state_of(entry, now).value] += 1
    return out


def list_counts(request_ids) -> dict[int, dict]:
    """Per request: asked, submitted, submitted on time — one GROUP BY for the list page."""
    if not request_ids:
        return {}
    on_time = func.sum(cast(and_(ReportAnswer.status == "submitted", ReportAnswer.late.is_(False)), Integer))
    rows = db.session.execute(
        select(ReportAnswer.request_id, func.count(ReportAnswer.id),
               func.sum(cast(ReportAnswer.status == "submitted", Integer)), on_time)
        .where(ReportAnswer.request_id.in_(list(request_ids))).group_by(ReportAnswer.request_id)).all()
    return {r: {"asked": n, "submitted": int(s or 0), "on_time": int(o or 0)} for r, n, s, o in rows}


# --- the Office's download ----------------------------------------------------------------

class ArchiveTooLarge(ServiceError):
    """The answers' files together exceed REPORT_ZIP_MAX_BYTES: refused before any is read."""

    status = 413


ZIP_SPOOL_BYTES = 8 * 1024 * 1024  # the archive is kept in memory up to this size, then on disk


def answers_zip(request_id, viewer: Viewer):
    """Every answer's files, one folder per agency, and an XLSX of who answered and when.

    Returns (file, name): a temporary file (in memory up to ZIP_SPOOL_BYTES, then on disk),
    rewound, that the caller streams and closes. Above REPORT_ZIP_MAX_BYTES of files in all
    (their recorded sizes, one SUM) the download is refused with a Vietnamese message
    before any file is read: a worker never holds an archive of unbounded size."""
    if not viewer.sees_all:
        raise NotFound(_l("No such report request."))
    request = visible_request(request_id, viewer)
    if request is None:
        raise NotFound(_l("No such report request."))
    from openpyxl import Workbook

    from app.services.xlsx import text_row

    answers = visible_answers(request, viewer)
    submitted_ids = [a.id for a in answers if a.status == "submitted"]
    total = db.session.scalar(select(func.coalesce(func.sum(DirectionFile.size), 0)).where(
        DirectionFile.answer_id.in_(submitted_ids or [0]))) or 0
    limit = current_app.config["REPORT_ZIP_MAX_BYTES"]
    if total > limit:
        raise ArchiveTooLarge(_l(
            "The answers' files together are %(size)s MB, more than the %(limit)s MB one download may hold. "
            "Open each agency's answer and download its files from there.",
            size=_megabytes(total), limit=_megabytes(limit)))
    files = answer_files(submitted_ids)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tổng hợp")
    sheet.append(text_row(sheet, [f"Yêu cầu báo cáo: {request.subject}"]))
    sheet.append(text_row(sheet, [f"Gửi ngày {request.sent_on:%d/%m/%Y}, hạn {request.due_on:%d/%m/%Y}"]))
    sheet.append(text_row(sheet, ["STT", "Cơ quan, đơn vị", "Hạn trả lời", "Tình trạng", "Nộp lúc",
                                  "Người nộp", "Số tệp", "Nội dung"]))
    import tempfile

    buffer = tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES)
    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for n, entry in enumerate(answers, start=1):
                state = state_of(entry)
                submitted = entry.status == "submitted"
                sheet.append(text_row(sheet, [
                    str(n), entry.agency.name, entry.due_on.strftime("%d/%m/%Y"), str(STATE_LABEL[state]),
                    entry.submitted_at.strftime("%d/%m/%Y %H:%M") if submitted else "",
                    entry.submitted_by.get_full_name() if submitted and entry.submitted_by else "",
                    str(len(files.get(entry.id, []))) if submitted else "0",
                    entry.body if submitted else ""]))
                if not submitted:  # a draft is the agency's, not yet the Office's
                    continue
                folder = f"{n:03d} {entry.agency.short_name or entry.agency.name}".replace("/", "-")
                for row in files.get(entry.id, []):
                    path = os.path.join(_folder(), row.stored_name)
                    if os.path.exists(path):
                        archive.write(path, f"{folder}/{row.id}-{row.filename}")
            book_bytes = io.BytesIO()
            book.save(book_bytes)
            archive.writestr("tong-hop.xlsx", book_bytes.getvalue())
    except BaseException:
        buffer.close()
        raise
    buffer.seek(0)
    return buffer, f"bao-cao-dot-xuat-{request.id}.zip"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",")


# --- Art. 12: the evaluation's reporting share --------------------------------------------

def adhoc_reporting(start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """Per agency: (answers due in [start, end], answered on or before their due date)."""
    on_time = func.sum(cast(and_(ReportAnswer.status == "submitted", ReportAnswer.late.is_(False)), Integer))
    rows = db.session.execute(
        select(ReportAnswer.agency_id, func.count(ReportAnswer.id), on_time)
        .where(ReportAnswer.due_on >= start, ReportAnswer.due_on <= end).group_by(ReportAnswer.agency_id)).all()
    return {agency: (int(n), int(o or 0)) for agency, n, o in rows}
