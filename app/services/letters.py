"""Urging letters (văn bản đôn đốc, Art. 18.5): drafted from the tasks they
urge, edited by the Office, numbered and issued; PDF and DOCX rendered by a
job (app/render) and kept under UPLOAD_FOLDER/letters.

The letter's text is Vietnamese administrative prose (Decree 30/2020/NĐ-CP),
content rather than interface, so it is written here in Vietnamese.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import uuid

from flask import current_app, g, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.access import Viewer, task_condition
from app.domain.lifecycle import OFFICE_ROLES, WITH_THE_AGENCY
from app.extensions import db
from app.models import Agency, DelayReport, Task, UrgingLetter, urging_letter_task
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound, check_texts

OPEN = [s.value for s in WITH_THE_AGENCY]
SUMMARY = "V/v đôn đốc thực hiện nhiệm vụ được giao"


def _vn_date(day) -> str:
    return day.strftime("%d/%m/%Y")


def default_body(agency: Agency, tasks: list[Task], report: DelayReport | None = None) -> str:
    as_of = _vn_date(today())
    overdue = sum(1 for t in tasks if t.deadline < today())
    if report is not None:
        opening = (f"Văn phòng Ủy ban nhân dân tỉnh nhận được thông tin phản hồi của "
                   f"{report.reporting_agency.name} ngày {_vn_date(report.received_on)} về việc "
                   f"{agency.name} chậm thực hiện hoặc thực hiện chưa đúng yêu cầu nhiệm vụ được giao: "
                   f"{report.description.rstrip('.')}.")
    else:
        opening = (f"Thực hiện Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ do Ủy ban nhân "
                   f"dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao ban hành kèm theo Quyết định số "
                   f"26/2026/QĐ-UBND ngày 20/3/2026 của Ủy ban nhân dân tỉnh; qua theo dõi trên Hệ thống theo "
                   f"dõi nhiệm vụ của Ủy ban nhân dân tỉnh, đến ngày {as_of}, {agency.name} còn {len(tasks)} "
                   f"nhiệm vụ chưa hoàn thành"
                   + (f", trong đó {overdue} nhiệm vụ đã quá hạn" if overdue else "")
                   + " (chi tiết tại bảng dưới đây).")
    return "\n\n".join([
        opening,
        f"Văn phòng Ủy ban nhân dân tỉnh đề nghị {agency.name} khẩn trương chỉ đạo thực hiện, hoàn thành "
        f"các nhiệm vụ nêu trên; báo cáo kết quả và cập nhật đầy đủ trên Hệ thống theo dõi nhiệm vụ của Ủy "
        f"ban nhân dân tỉnh theo quy định. Trường hợp không thể hoàn thành đúng thời hạn, đề nghị báo cáo "
        f"rõ lý do, đề xuất thời hạn hoàn thành để Văn phòng tổng hợp, báo cáo Chủ tịch Ủy ban nhân dân "
        f"tỉnh xem xét, quyết định (điểm đ khoản 2 Điều 5 Quy chế).",
        f"Văn phòng Ủy ban nhân dân tỉnh thông báo để {agency.name} biết, thực hiện./.",
    ])


def normalise_text(text: str) -> str:
    """Line ends as the renderer expects them: browsers post a textarea with CRLF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def body_paragraphs(body: str) -> list[str]:
    """The letter's paragraphs: separated by one or more blank lines (spaces on them
    included), whatever line ends the text came with."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", normalise_text(body)) if p.strip()]


def _require_office(viewer: Viewer) -> None:
    if not viewer.roles & OFFICE_ROLES:
        raise Forbidden(_l("Only the Office drafts and issues urging letters."))
    g.acting_user_id = viewer.user_id


def draft_letter(agency_id: int, task_ids: list[int], *, viewer: Viewer, batch_key: str,
                 commit: bool = True) -> UrgingLetter:
    """One draft letter to an agency about these tasks; the same batch and agency
    give back the letter already drafted (a job run twice drafts nothing twice)."""
    _require_office(viewer)
    existing = db.session.scalar(select(UrgingLetter).where(
        UrgingLetter.batch_key == batch_key, UrgingLetter.agency_id == agency_id))
    if existing is not None:
        return existing
    agency = db.session.get(Agency, agency_id)
    tasks = db.session.scalars(select(Task).where(Task.id.in_(task_ids))).all()
    if agency is None or not tasks:
        raise Invalid(_l("Choose the agency and at least one task to urge."))
    report = db.session.scalar(select(DelayReport).where(DelayReport.task_id.in_(task_ids),
                                                         DelayReport.status == "open")) \
        if batch_key.startswith("delay-report-") else None
    config = current_app.config
    letter = UrgingLetter(
        agency_id=agency.id, status="draft", summary=SUMMARY, body=default_body(agency, tasks, report),
        signer_authority=config["LETTER_SIGNER_AUTHORITY"] or None,
        signer_position=config["LETTER_SIGNER_POSITION"], signer_name=config["LETTER_SIGNER_NAME"],
        batch_key=batch_key, created_by_id=viewer.user_id, tasks=list(tasks))
    db.session.add(letter)
    if commit:
        try:
            db.session.commit()
        except IntegrityError:  # the same batch drafted it meanwhile
            db.session.rollback()
            return db.session.scalar(select(UrgingLetter).where(
                UrgingLetter.batch_key == batch_key, UrgingLetter.agency_id == agency_id))
    else:
        db.session.flush()
    return letter


def letter_document(letter: UrgingLetter, reports: list[DelayReport] | None = None):
    """The letter as the renderer's OfficialDocument (app/render/model.py). An issued
    letter counts the working days overdue as of its issue date, so its text stays what
    was sent; a draft counts them as of today. `reports`: the letter's delay reports,
    when the caller loaded them for many letters at once."""
    from app.render.model import OfficialDocument, Paragraph, Table

    calendar, now = current_calendar(), letter.issued_on or today()
    rows = []
    for n, task in enumerate(letter.tasks, start=1):
        late = calendar.working_days_between(task.deadline, now) if task.deadline < now else 0
        rows.append([str(n), f"{task.document.number}\nngày {_vn_date(task.document.issued_on)}", task.content,
                     _vn_date(task.deadline), str(late) if late else "—"])
    paragraphs = body_paragraphs(letter.body)
    table = Table(columns=["STT", "Văn bản giao", "Nội dung nhiệm vụ", "Thời hạn", "Số ngày làm việc quá hạn"],
                  rows=rows, widths=[0.8, 2.2, 5.2, 1.6, 1.6], align=["center", "left", "left", "center", "center"])
    body = [Paragraph(paragraphs[0]), table] + [Paragraph(p) for p in paragraphs[1:]]
    cc = ["Như trên", "Chủ tịch, các Phó Chủ tịch UBND tỉnh (để b/c)", "Lãnh đạo Văn phòng"]
    if reports is None:
        reports = db.session.scalars(select(DelayReport).where(DelayReport.letter_id == letter.id)
                                     .order_by(DelayReport.id)).all()
    cc += [f"{r.reporting_agency.name} (để biết)" for r in reports]
    return OfficialDocument(
        number=letter.number, number_suffix=current_app.config["LETTER_NUMBER_SUFFIX"],
        issued_on=letter.issued_on, year=(letter.issued_on or now).year, summary=letter.summary,
        recipients=[letter.agency.name], body=body, signer_authority=letter.signer_authority,
        signer_position=letter.signer_position, signer_name=letter.signer_name, cc=cc)


def _letters_folder() -> str:
    folder = os.path.join(current_app.config["UPLOAD_FOLDER"], "letters")
    os.makedirs(folder, exist_ok=True)
    return folder


def _files_fresh(letter: UrgingLetter, digest: str) -> bool:
    folder = _letters_folder()
    return letter.files_hash == digest and all(
        name and os.path.exists(os.path.join(folder, name)) for name in (letter.pdf_name, letter.docx_name))


def render_files(letter_id: int, *, commit: bool = True) -> dict:
    """Make the letter's PDF and DOCX match the letter (the render_letter job, the
    sweep's catch-up, and any request for a stale file; issue 8, finding 14).

    The letter's row is locked first (PostgreSQL), so two renders of one letter run
    one after the other and the second finds the files fresh. Files are fresh when
    the fingerprint of the letter's document as it stands now equals the one stored
    with them; otherwise new files are written first and the old ones removed only
    after the row points at the new: a failure leaves the letter with its previous
    files (and a request for them renders again)."""
    from app.render.docx import render_docx
    from app.render.fingerprint import fingerprint
    from app.render.pdf import render_pdf

    letter = db.session.get(UrgingLetter, letter_id)
    if letter is None:
        return {"skipped": "letter gone"}
    document = letter_document(letter)
    digest = fingerprint(document)
    if not _files_fresh(letter, digest):  # stale: lock, then look again at what the last render committed
        db.session.refresh(letter, with_for_update=True)
        document = letter_document(letter)
        digest = fingerprint(document)
    if _files_fresh(letter, digest):
        if commit:
            db.session.commit()  # ends the lock, if one was taken
        return {"letter": letter_id, "tasks": len(letter.tasks), "fresh": True}
    folder = _letters_folder()
    names = {}
    for kind, render in (("pdf", render_pdf), ("docx", render_docx)):
        data = render(document)  # before any file exists: a failing renderer leaves nothing behind
        names[kind] = f"{uuid.uuid4().hex}.{kind}"
        path = os.path.join(folder, names[kind])
        db.session.info.setdefault("written_files", []).append(path)  # removed again on rollback
        with open(path, "wb") as out:
            out.write(data)
    old = [letter.pdf_name, letter.docx_name]
    # Not through the ORM: the Office's version of the letter is theirs, the files are ours.
    db.session.execute(UrgingLetter.__table__.update().where(UrgingLetter.id == letter.id)
                       .values(pdf_name=names["pdf"], docx_name=names["docx"], files_hash=digest))
    # The session's copy follows, without a version bump (a caller may still save the letter).
    from sqlalchemy.orm.attributes import set_committed_value

    for key, value in (("pdf_name", names["pdf"]), ("docx_name", names["docx"]), ("files_hash", digest)):
        set_committed_value(letter, key, value)
    if not commit:  # the caller's transaction: its rollback removes the files written here
        return {"letter": letter_id, "tasks": len(letter.tasks), "rendered": True}
    db.session.commit()
    for name in old:
        if name:
            try:
                os.remove(os.path.join(folder, name))
            except FileNotFoundError:
                pass
    return {"letter": letter_id, "tasks": len(letter.tasks), "rendered": True}


def schedule_render(letter_id: int) -> None:
    from app.jobs.queue import enqueue
    from app.jobs.tasks import render_letter

    letter = db.session.get(UrgingLetter, letter_id)
    enqueue(render_letter, letter_id, job_id=f"render-letter-{letter_id}-v{letter.version}",
            queue_name="letters")


def _office_letter(letter_id, viewer: Viewer, expected_version) -> UrgingLetter:
    _require_office(viewer)
    letter = db.session.get(UrgingLetter, int(letter_id)) if str(letter_id).isdecimal() else None
    if letter is None:
        raise NotFound(_l("No such letter."))
    if letter.status != "draft":
        raise Conflict(_l("An issued letter is not changed; draft a new one."))
    from app.services.register import check_version

    check_version(letter, expected_version)
    return letter


def _commit_letter() -> None:
    try:
        db.session.commit()
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        if isinstance(error, IntegrityError):
            raise Invalid(_l("This number is already used by another letter."), {"number": [_l("Taken.")]})
        raise Conflict(_l("Someone else saved this letter at the same moment. Reload the page."))


def update_letter(letter_id, *, viewer: Viewer, expected_version, summary: str, body: str,
                  signer_authority: str | None, signer_position: str, signer_name: str) -> UrgingLetter:
    letter = _office_letter(letter_id, viewer, expected_version)
    errors = FieldErrors()
    column = UrgingLetter.__table__.c  # issue 8, finding 10: what the columns hold
    for name, value, label in (("summary", summary, _l("Summary")), ("body", body, _l("Body")),
                               ("signer_authority", signer_authority, _l("Signing authority")),
                               ("signer_position", signer_position, _l("Signer's position")),
                               ("signer_name", signer_name, _l("Signer's name"))):
        errors.text(name, value, label, getattr(column[name].type, "length", None))
    errors.raise_if_any(_l("The letter was not saved: please correct the fields marked."))
    for name, value in (("summary", summary), ("body", body), ("signer_position", signer_position)):
        if not (value or "").strip():
            errors.add(name, _l("Required."))
    errors.raise_if_any(_l("The letter was not saved: please fill in the fields marked."))
    letter.summary, letter.body = normalise_text(summary).strip(), normalise_text(body).strip()
    letter.signer_authority = (signer_authority or "").strip() or None
    letter.signer_position, letter.signer_name = signer_position.strip(), (signer_name or "").strip()
    _commit_letter()
    schedule_render(letter.id)
    return letter


def issue_letter(letter_id, *, viewer: Viewer, expected_version, number: str) -> UrgingLetter:
    """Number and date the letter, render it, and tell the agency (in-app and mail)."""
    from app.services.notifications import agency_user_ids, notify

    letter = _office_letter(letter_id, viewer, expected_version)
    check_texts(("number", number, _l("Number"), UrgingLetter.__table__.c.number.type.length))
    number = (number or "").strip()
    if not number:
        raise Invalid(_l("Give the letter its number (e.g. 123/VP-TH)."), {"number": [_l("Required.")]})
    if not letter.signer_name:
        raise Invalid(_l("Name the signer before issuing."), {"signer_name": [_l("Required.")]})
    letter.status, letter.number, letter.issued_on = "issued", number, today()
    notify(agency_user_ids(letter.agency_id), kind="urging_letter", key=f"urging_letter:{letter.id}",
           message=f"{number}: {letter.summary}", link=f"/letters/show/{letter.id}")
    _commit_letter()
    schedule_render(letter.id)
    return letter


def visible_letters(viewer: Viewer):
    """The Office sees every letter; an agency sees an issued letter only when it may see
    every task the letter names (issue 8, finding 3; SPEC §4.9): its page, PDF and DOCX list
    those tasks, so a letter naming one task of another agency is not the reader's to read.
    The addressee sees its letters, and the agency that reported a delay (Art. 18.5) its copy."""
    stmt = select(UrgingLetter)
    if viewer.sees_all:
        return stmt
    condition = task_condition(viewer)

    def tasks_of_letter(where):
        return exists(select(urging_letter_task.c.task_id).join(Task, Task.id == urging_letter_task.c.task_id)
                      .where(urging_letter_task.c.letter_id == UrgingLetter.id, where))

    return stmt.where(UrgingLetter.status == "issued", tasks_of_letter(condition), ~tasks_of_letter(~condition))


def visible_letter(letter_id, viewer: Viewer) -> UrgingLetter | None:
    try:
        letter_id = int(letter_id)
    except (TypeError, ValueError):
        return None
    return db.session.scalar(visible_letters(viewer).where(UrgingLetter.id == letter_id))


def send_letter_file(letter_id, kind: str, viewer: Viewer):
    """The letter's file as it stands: a file that no longer matches the letter (edited
    or issued while the job queue was down), or was never rendered, is rendered now,
    before it is served; a stale file is never sent (issue 8, finding 14)."""
    letter = visible_letter(letter_id, viewer)
    if letter is None or kind not in ("pdf", "docx"):
        raise NotFound(_l("No such letter."))
    mimetype = {"pdf": "application/pdf",
                "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[kind]
    label = (letter.number or f"du-thao-{letter.id}").replace("/", "-")
    for _attempt in range(3):
        render_files(letter.id)
        try:  # an open file is still read whole if a concurrent render removes it meanwhile
            stream = open(os.path.join(_letters_folder(), getattr(letter, f"{kind}_name")), "rb")
        except FileNotFoundError:  # replaced between our check and the open: check again
            db.session.expire(letter)
            continue
        return send_file(stream, mimetype=mimetype, as_attachment=True,
                         download_name=f"don-doc-{label}.{kind}", max_age=0)
    raise Conflict(_l("The letter's files are being prepared; try again in a moment."))


def stale_letter_ids(chunk: int = 200) -> list[int]:
    """Letters whose files do not match them (never rendered, or changed since), in
    chunks with their tasks, documents and delay reports loaded together."""
    from sqlalchemy.orm import selectinload

    from app.render.fingerprint import fingerprint

    ids = db.session.scalars(select(UrgingLetter.id).order_by(UrgingLetter.id)).all()
    stale = []
    for start in range(0, len(ids), chunk):
        part = ids[start:start + chunk]
        letters = db.session.scalars(select(UrgingLetter).where(UrgingLetter.id.in_(part)).options(
            selectinload(UrgingLetter.agency),
            selectinload(UrgingLetter.tasks).selectinload(Task.document))).all()
        reports: dict[int, list[DelayReport]] = {}
        for report in db.session.scalars(select(DelayReport).where(DelayReport.letter_id.in_(part))
                                         .order_by(DelayReport.id)
                                         .options(selectinload(DelayReport.reporting_agency))):
            reports.setdefault(report.letter_id, []).append(report)
        stale += [letter.id for letter in letters
                  if not _files_fresh(letter, fingerprint(letter_document(letter, reports.get(letter.id, []))))]
    return stale


def render_stale() -> int:
    """The sweep's catch-up: every letter whose files are missing or stale (edited,
    issued, or its tasks corrected while the queue was down) is rendered again."""
    rendered = 0
    for letter_id in stale_letter_ids():
        rendered += bool(render_files(letter_id).get("rendered"))
    return rendered


def remove_orphan_files(older_than: dt.timedelta = dt.timedelta(hours=1)) -> int:
    """Files no letter points at: written by a render whose transaction was rolled back
    in a process that died (a worker killed mid-letter), or replaced by a render whose
    cleanup did not run. Only files older than `older_than`, so a render still in its
    transaction keeps its new files."""
    import time

    folder = _letters_folder()
    used = set()
    for pdf_name, docx_name in db.session.execute(select(UrgingLetter.pdf_name, UrgingLetter.docx_name)):
        used.update((pdf_name, docx_name))
    cutoff, removed = time.time() - older_than.total_seconds(), 0
    for entry in os.scandir(folder):
        if entry.is_file() and entry.name not in used and entry.stat().st_mtime < cutoff:
            try:
                os.remove(entry.path)
                removed += 1
            except FileNotFoundError:
                pass
    return removed


def urged_today_condition(except_batch: str | None = None):
    """A task already named by a letter drafted today (issue 8, finding 15: pressing
    "Đôn đốc nhiệm vụ quá hạn" twice the same day must not draft a second set)."""
    start = dt.datetime.combine(today(), dt.time.min)
    return exists(select(urging_letter_task.c.task_id)
                  .join(UrgingLetter, UrgingLetter.id == urging_letter_task.c.letter_id)
                  .where(urging_letter_task.c.task_id == Task.id, UrgingLetter.created_at >= start,
                         UrgingLetter.batch_key != (except_batch or "")))


def overdue_by_agency(agency_ids: list[int] | None, *, skip_urged_today: bool = False,
                      except_batch: str | None = None) -> dict[int, list[int]]:
    stmt = (select(Task.lead_agency_id, Task.id).where(Task.status.in_(OPEN), Task.deadline < today())
            .order_by(Task.lead_agency_id, Task.deadline))
    if skip_urged_today:
        stmt = stmt.where(~urged_today_condition(except_batch))
    if agency_ids:
        stmt = stmt.where(Task.lead_agency_id.in_(agency_ids))
    grouped: dict[int, list[int]] = {}
    for agency, task in db.session.execute(stmt):
        grouped.setdefault(agency, []).append(task)
    return grouped


def draft_overdue_letters(batch_key: str, agency_ids: list[int] | None, user_id: int) -> dict:
    """One letter per agency about its overdue tasks (the urge_overdue job).
    Each letter is drafted and rendered in its own transaction, so a failure
    part-way keeps the letters finished and drafts nothing half; running the
    batch again drafts only the missing ones."""
    from app.access import viewer_for
    from app.jobs.runner import progress
    from app.models import AppUser

    viewer = viewer_for(db.session.get(AppUser, user_id))
    # A retry of this batch finishes it; another batch the same day leaves out what is already urged.
    grouped = overdue_by_agency(agency_ids, skip_urged_today=True, except_batch=batch_key)
    done = 0
    for agency_id, task_ids in grouped.items():
        # One transaction per letter: drafted and rendered, or nothing at all.
        letter = draft_letter(agency_id, task_ids, viewer=viewer, batch_key=batch_key, commit=False)
        render_files(letter.id, commit=False)  # a retry finds the files of a letter it finished fresh
        db.session.commit()
        done += 1
        progress(done, len(grouped))
    return {"letters": done, "agencies": len(grouped), "tasks": sum(len(t) for t in grouped.values())}

