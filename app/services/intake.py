"""Intake of directive documents from the document system (Art. 2.1.a, 2.4, 21; EDXML.md).

Three doors, one service: the document system posts a message (API, role Connector), the
Office uploads .edxml files (web), the Admin imports a folder (CLI). Each function validates
the whole message first and raises Invalid (422, the element named in Vietnamese), Duplicate
(409, the existing one's id) or Forbidden; nothing is stored on a refusal (no row, no file).

An incoming document is never a tracked task: the Office registers it through the entry form
(app.services.register.create_document, pre-filled), and only then do tasks exist (Art. 6:
the entry deadline runs from the dates the message shows). A later message (revoke, update,
replace) is attached to the document it concerns, shown with old → new per field, told to
its tracking officers, and changes nothing until the Office confirms it.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import uuid
from dataclasses import dataclass

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.access import Viewer
from app.domain import edxml
from app.domain.entry_rules import entry_due_date
from app.domain.lifecycle import OFFICE_ROLES
from app.domain.text import TEXT_MAX
from app.domain.vocabulary import Issuer, Role, TaskStatus, Urgency
from app.extensions import db
from app.models import Agency, Attachment, Document, Task, local_now
from app.models_intake import MESSAGE_KINDS, IncomingAttachment, IncomingDocument, IncomingMessage
from app.services import attachments
from app.services.calendar import current_calendar, today
from app.services.errors import Conflict, FieldErrors, Forbidden, Invalid, NotFound

RECEIVERS = frozenset({Role.Connector.value, Role.Admin.value, *OFFICE_ROLES})
OFFICE = frozenset({Role.Admin.value, *OFFICE_ROLES})
CHANNELS = ("api", "upload", "folder")

# What the Vietnamese messages say of each ParseError code (the element is named in each).
PARSE_MESSAGES = {
    "empty": _l("The message is empty."),
    "too_large": _l("The message is larger than this system accepts."),
    "doctype": _l("The message declares a DOCTYPE, which is not accepted in edXML."),
    "not_xml": _l("The message is not readable XML (%(detail)s)."),
    "not_edxml": _l("The message is not an edXML message (its root element is %(detail)s)."),
    "missing": _l("The element %(element)s is missing or empty."),
    "too_long": _l("The element %(element)s is too long."),
    "bad_date": _l("The element %(element)s holds “%(detail)s”, which is not a date "
                   "(yyyy/MM/dd or dd/MM/yyyy)."),
    "date_out_of_range": _l("The element %(element)s holds %(detail)s, outside 2000–2100."),
    "bad_number": _l("The element %(element)s holds “%(detail)s”, which is not an accepted value."),
    "bad_base64": _l("The attachment %(detail)s (element %(element)s) is not valid base64."),
    "empty_attachment": _l("The attachment %(detail)s (element %(element)s) is empty."),
    "bad_zip": _l("The attachment %(detail)s (element %(element)s) is not a readable zip file."),
    "zip_too_large": _l("The attachments (element %(element)s) unpack to too many or too large files."),
}


class Duplicate(Conflict):
    """The same message again: 409 with the existing incoming document (and document)."""

    def __init__(self, message, *, intake_id: int | None, document_id: int | None):
        super().__init__(message)
        self.intake_id, self.document_id = intake_id, document_id

    def as_json(self) -> dict:
        body = super().as_json()
        if self.intake_id is not None:
            body["intake_id"] = self.intake_id
            body["link"] = f"/incoming/show/{self.intake_id}"
        if self.document_id is not None:
            body["document_id"] = self.document_id
            body["link"] = f"/documents/show/{self.document_id}"
        return body


@dataclass
class Receipt:
    """What one message became: a new incoming document, or a later message on one."""

    incoming: IncomingDocument
    later: IncomingMessage | None = None


# ----------------------------------------------------------------- helpers

def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def document_key(document_id: str | None) -> str | None:
    return _sha("id:" + " ".join(document_id.split()).lower()) if document_id and document_id.strip() else None


def identity_key(sender: str, number: str, issued_on: dt.date) -> str:
    return _sha(f"org:{sender.strip().lower()}|{' '.join(number.split()).lower()}|{issued_on.isoformat()}")


def parse_error_message(error: edxml.ParseError) -> str:
    template = PARSE_MESSAGES.get(error.code, PARSE_MESSAGES["missing"])
    return str(template).replace("%(element)s", error.element).replace("%(detail)s", error.detail)


def _invalid(element: str, message) -> Invalid:
    return Invalid(_l("The edXML message was refused; nothing was saved: %(reason)s", reason=str(message)),
                   {element: [str(message)]})


def province_codes() -> set[str]:
    """The organisation codes that are the Province's own Committee (Art. 6.1): the
    setting EDXML_PROVINCE_CODES, and the electronic code the Admin gave the Office."""
    codes = {c.strip() for c in current_app.config.get("EDXML_PROVINCE_CODES", ()) if c and c.strip()}
    codes |= set(db.session.scalars(select(Agency.edxml_code).where(
        Agency.kind == "office", Agency.edxml_code.is_not(None))))
    return codes


class _Blob:
    """An attachment of a message, shaped like an upload for attachments.check_files."""

    def __init__(self, filename: str, data: bytes):
        self.filename, self._data = filename, data

    def read(self) -> bytes:
        return self._data


def _require(viewer: Viewer | None, roles, message) -> None:
    if viewer is None:
        return  # the Admin's command line
    g.acting_user_id = viewer.user_id
    if not viewer.roles & roles:
        raise Forbidden(message)


# ----------------------------------------------------------------- receive

def receive(data: bytes, *, viewer: Viewer | None, channel: str) -> Receipt:
    """One edXML message in: validate all of it, then store it (one transaction)."""
    _require(viewer, RECEIVERS, _l("Only the document system's account and the Office may send edXML messages."))
    try:
        message = edxml.parse(data)
    except edxml.ParseError as error:
        raise _invalid(error.element, parse_error_message(error))
    errors = FieldErrors()
    number = message.number
    errors.text_fits("Code", number, "Code (CodeNumber/CodeNotation)", 64)
    errors.text_fits("SignerInfo/FullName", message.signer_name, "SignerInfo/FullName", 128)
    errors.text_fits("SignerInfo/Position", message.signer_position, "SignerInfo/Position", 128)
    errors.text_fits("SignerInfo/Competence", message.signer_competence, "SignerInfo/Competence", 128)
    errors.text_fits("From/OrganName", message.sender.name, "From/OrganName", 255)
    errors.text_fits("From/OrganId", message.sender.organ_id, "From/OrganId", 64)
    errors.text_fits("DocumentId", message.document_id or "", "DocumentId", 255)
    errors.text_fits("Subject", message.subject, "Subject", TEXT_MAX)
    if message.issued_on > today():
        errors.add("PromulgationInfo/PromulgationDate", _l(
            "The element PromulgationInfo/PromulgationDate is in the future (%(date)s).",
            date=message.issued_on.strftime("%d/%m/%Y")))
    checked = _check_attachments(message, errors)
    if errors:
        first = next(iter(errors.by_field.values()))[0]
        raise Invalid(_l("The edXML message was refused; nothing was saved: %(reason)s", reason=str(first)),
                      errors.by_field)

    if message.is_later_message:
        target = _target_of(message)
        if target is not None:
            return Receipt(target, _attach_later(target, message, data, checked))
        if message.business_doc_type == 1:
            raise _invalid("Bussiness/DocumentId", _l(
                "The message revokes a document this system has not received."))
    _refuse_duplicate(message)
    return Receipt(_store_new(message, checked, viewer=viewer, channel=channel))


def _check_attachments(message: edxml.EdxmlMessage, errors: FieldErrors):
    """Attachments: the same type and size checks as uploads (app/services/attachments.py)."""
    inner = FieldErrors()
    checked = attachments.check_files([_Blob(f.name, f.data) for f in message.attachments], inner)
    for messages in inner.by_field.values():
        for text in messages:
            errors.add("Attachment", _l("Attachment: %(problem)s", problem=str(text)))
    return checked


def _existing_for(message: edxml.EdxmlMessage):
    keys = [document_key(message.document_id)] if message.document_id else []
    condition = IncomingDocument.identity_key == identity_key(message.sender.organ_id, message.number,
                                                              message.issued_on)
    if keys:
        condition = condition | IncomingDocument.document_key.in_(keys)
    return db.session.scalar(select(IncomingDocument).where(condition).order_by(IncomingDocument.id).limit(1))


def _refuse_duplicate(message: edxml.EdxmlMessage) -> None:
    existing = _existing_for(message)
    if existing is not None:
        raise Duplicate(_l("This message was already received (document %(number)s of %(date)s); nothing "
                           "was duplicated.", number=existing.number, date=existing.issued_on.strftime("%d/%m/%Y")),
                        intake_id=existing.id, document_id=existing.document_id)
    # Already entered by hand: the register has the same number and date (its unique key).
    typed = db.session.scalar(select(Document.id).where(Document.number == message.number,
                                                        Document.issued_on == message.issued_on))
    if typed is not None:
        raise Duplicate(_l("Document %(number)s of %(date)s is already in the register; nothing was "
                           "duplicated.", number=message.number, date=message.issued_on.strftime("%d/%m/%Y")),
                        intake_id=None, document_id=typed)


def _issuer(message: edxml.EdxmlMessage) -> tuple[str, str | None]:
    issuer = edxml.issuer_for(message.sender.organ_id, province_codes(), message.signer_competence,
                              message.signer_position)
    if issuer != Issuer.higher_authority.value:
        return issuer, None
    agency = db.session.scalar(select(Agency.name).where(Agency.edxml_code == message.sender.organ_id))
    return issuer, (agency or message.sender.name or message.sender.organ_id)[:255]


def _entry_due(issuer: str, urgency: str, issued_on: dt.date, received_on: dt.date | None) -> dt.date:
    return entry_due_date(current_calendar(), issuer=Issuer(issuer), urgency=Urgency(urgency),
                          issued_on=issued_on, received_on=received_on)


def _store_new(message: edxml.EdxmlMessage, checked, *, viewer: Viewer | None, channel: str) -> IncomingDocument:
    issuer, issuer_name = _issuer(message)
    # Art. 6.3: a higher authority's document is judged from the day the Province received it.
    received_on = today() if issuer == Issuer.higher_authority.value else None
    recipients = [p for p in message.to_places] or [o.name or o.organ_id for o in message.recipients]
    incoming = IncomingDocument(
        status="pending", document_key=document_key(message.document_id),
        identity_key=identity_key(message.sender.organ_id, message.number, message.issued_on),
        edxml_document_id=message.document_id, sender_code=message.sender.organ_id,
        number=message.number, issued_on=message.issued_on, doc_type=message.doc_type,
        type_code=message.type_code[:32] or None, type_name=message.type_name[:128] or None,
        summary=message.subject, content=message.content or None,
        signer=message.signer_name or None, signer_position=message.signer_position or None,
        signer_competence=message.signer_competence or None, issuer=issuer, issuer_name=issuer_name,
        received_on=received_on, urgency=message.urgency, priority=message.priority, due_on=message.due_on,
        recipients="\n".join(r[:150] for r in recipients) or None,
        entry_due_on=_entry_due(issuer, message.urgency, message.issued_on, received_on),
        channel=channel, received_at=local_now(), received_by_id=viewer.user_id if viewer else None,
    )
    db.session.add(incoming)
    try:
        db.session.flush()
        _store_files(incoming.id, None, checked)
        _notify_office(incoming, viewer)
        db.session.commit()
    except IntegrityError:
        # The same message twice at once: one is stored, the other answers 409.
        db.session.rollback()
        _refuse_duplicate(message)
        raise
    return incoming


def _store_files(incoming_id: int, message_id: int | None, checked) -> None:
    """Write the checked files and their rows; a rollback removes the files again
    (app/services/attachments.py: _forget_files)."""
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    for item in checked:
        stored_name = f"{uuid.uuid4().hex}.{item.extension}"
        path = os.path.join(folder, stored_name)
        db.session.info.setdefault("written_files", []).append(path)  # removed again on rollback
        with open(path, "wb") as out:
            out.write(item.data)
        db.session.add(IncomingAttachment(
            incoming_id=incoming_id, message_id=message_id, filename=item.filename, stored_name=stored_name,
            content_type=attachments.CONTENT_TYPES[item.extension], size=len(item.data)))


def _remove_after_commit(paths) -> None:
    """Files whose rows this transaction deletes go once it commits; a rollback keeps them."""
    db.session.info.setdefault("intake_remove_files", []).extend(paths)


@sa_event.listens_for(Session, "after_commit")
def _remove_files(session) -> None:
    for path in session.info.pop("intake_remove_files", []):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


@sa_event.listens_for(Session, "after_soft_rollback")
def _keep_files(session, previous_transaction) -> None:
    session.info.pop("intake_remove_files", None)


# ----------------------------------------------------------------- later messages

TRACKED_FIELDS = ("number", "issued_on", "doc_type", "summary", "signer", "urgency", "due_on")


def _target_of(message: edxml.EdxmlMessage) -> IncomingDocument | None:
    ids = [i for i in (message.business_document_id, *message.replaced_document_ids, message.document_id) if i]
    keys = [document_key(i) for i in ids]
    condition = IncomingDocument.identity_key == identity_key(message.sender.organ_id, message.number,
                                                              message.issued_on)
    if keys:
        condition = condition | IncomingDocument.document_key.in_(keys)
    return db.session.scalar(select(IncomingDocument).where(condition, IncomingDocument.status != "dismissed")
                             .order_by(IncomingDocument.id).limit(1))


def _current_values(incoming: IncomingDocument) -> dict:
    source = incoming.document if incoming.document is not None else incoming
    values = {name: getattr(source, name, None) for name in TRACKED_FIELDS if name != "due_on"}
    values["due_on"] = incoming.due_on
    return values


def _shown(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _attach_later(incoming: IncomingDocument, message: edxml.EdxmlMessage, raw: bytes,
                  checked=()) -> IncomingMessage:
    key = _sha("msg:" + hashlib.sha256(raw).hexdigest())
    existing = db.session.scalar(select(IncomingMessage).where(IncomingMessage.message_key == key))
    if existing is not None:
        raise Duplicate(_l("This later message was already received; nothing was duplicated."),
                        intake_id=incoming.id, document_id=incoming.document_id)
    kind = MESSAGE_KINDS[message.business_doc_type]
    changes = []
    if kind != "revoke":
        new = {"number": message.number, "issued_on": message.issued_on, "doc_type": message.doc_type,
               "summary": message.subject, "signer": message.signer_name or None,
               "urgency": message.urgency, "due_on": message.due_on}
        old = _current_values(incoming)
        changes = [[name, _shown(old[name]), _shown(new[name])] for name in TRACKED_FIELDS
                   if _shown(old[name]) != _shown(new[name]) and new[name] is not None]
    later = IncomingMessage(incoming_id=incoming.id, kind=kind, reason=message.business_reason or None,
                            message_key=key, changes=json.dumps(changes, ensure_ascii=False),
                            status="pending", received_at=local_now())
    db.session.add(later)
    try:
        db.session.flush()
        _store_files(incoming.id, later.id, checked)  # shown with the message until it is applied
        _notify_later(incoming, later)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Duplicate(_l("This later message was already received; nothing was duplicated."),
                        intake_id=incoming.id, document_id=incoming.document_id)
    return later


def message_changes(later: IncomingMessage) -> list[tuple[str, str, str]]:
    return [tuple(c) for c in json.loads(later.changes or "[]")]


def decide_message(message_id, *, apply: bool, viewer: Viewer) -> IncomingDocument:
    """The Office confirms (applies) or sets aside a later message. Applied: an update or
    replacement corrects the document (register.update_document, its history records old →
    new); a revocation withdraws the open tasks (Art. 5.3: the Office withdraws) or, before
    registration, dismisses the incoming document. Returns the incoming document after."""
    _require(viewer, OFFICE, _l("Only the Office decides on later messages."))
    later = db.session.get(IncomingMessage, int(message_id)) if str(message_id).isdecimal() else None
    if later is None:
        raise NotFound(_l("No such message."))
    incoming_id = later.incoming_id
    if apply and later.kind == "revoke" and db.session.get(IncomingDocument, incoming_id).document_id is not None \
            and not viewer.roles & OFFICE_ROLES:
        # Confirming a revocation withdraws the tracked tasks, which only the Office does (Art. 5.3):
        # refused before the message is marked decided, so it stays pending for the Office.
        raise Forbidden(_l("Only the Office withdraws the tasks of a revoked document (Art. 5.3)."))
    claimed = db.session.execute(update(IncomingMessage).where(
        IncomingMessage.id == later.id, IncomingMessage.status == "pending").values(
        status="applied" if apply else "ignored", decided_at=local_now(), decided_by_id=viewer.user_id))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This message was already decided."))
    incoming = db.session.get(IncomingDocument, incoming_id)
    reason = later.reason or str(_l("revoked by the sender"))
    changed = {name: new for name, _old, new in message_changes(later)}
    if not apply:
        db.session.commit()
    elif later.kind == "revoke" and incoming.status == "pending":
        db.session.commit()
        _dismiss_claimed(incoming, str(_l("Revoked by the sender: %(reason)s", reason=reason)), viewer)
    elif later.kind == "revoke":
        db.session.commit()
        if incoming.document_id is not None:
            _withdraw_open_tasks(incoming.document_id, reason, viewer)
    elif incoming.document_id is None:  # not tracked yet: the incoming document itself
        _adopt_message_files(incoming, later)
        for name, value in changed.items():
            setattr(incoming, name, dt.date.fromisoformat(value) if name in ("issued_on", "due_on") else value)
        incoming.entry_due_on = _entry_due(incoming.issuer, incoming.urgency, incoming.issued_on,
                                           incoming.received_on)
        # Later messages name the document by its corrected number and date.
        incoming.identity_key = identity_key(incoming.sender_code or "", incoming.number, incoming.issued_on)
        db.session.commit()
    else:
        for f in later.files:  # the message's files join the document's
            db.session.add(Attachment(document_id=incoming.document_id, filename=f.filename,
                                      stored_name=f.stored_name, content_type=f.content_type, size=f.size,
                                      uploaded_by_id=viewer.user_id))
        if "due_on" in changed:
            incoming.due_on = dt.date.fromisoformat(changed["due_on"])
        if "number" in changed or "issued_on" in changed:
            incoming.identity_key = identity_key(
                incoming.sender_code or "", changed.get("number", incoming.number),
                dt.date.fromisoformat(changed["issued_on"]) if "issued_on" in changed else incoming.issued_on)
            incoming.number = changed.get("number", incoming.number)
            if "issued_on" in changed:
                incoming.issued_on = dt.date.fromisoformat(changed["issued_on"])
        _correct_document(incoming.document, changed, viewer)  # commits
    db.session.expire_all()
    return db.session.get(IncomingDocument, incoming_id)


def _adopt_message_files(incoming: IncomingDocument, later: IncomingMessage) -> None:
    """Before registration: an update adds its files to the incoming document's, a
    replacement's files replace them."""
    if not later.files:
        return
    folder = current_app.config["UPLOAD_FOLDER"]
    if later.kind == "replace":
        old = db.session.scalars(select(IncomingAttachment).where(
            IncomingAttachment.incoming_id == incoming.id, IncomingAttachment.message_id.is_(None))).all()
        _remove_after_commit(os.path.join(folder, f.stored_name) for f in old)
        for row in old:
            db.session.delete(row)
    db.session.execute(update(IncomingAttachment).where(IncomingAttachment.message_id == later.id)
                       .values(message_id=None))


def _correct_document(document: Document, changed: dict, viewer: Viewer) -> None:
    from app.services import register

    data = register.DocumentInput(
        doc_type=changed.get("doc_type", document.doc_type), number=changed.get("number", document.number),
        summary=changed.get("summary", document.summary),
        issued_on=dt.date.fromisoformat(changed["issued_on"]) if "issued_on" in changed else document.issued_on,
        signer=changed.get("signer", document.signer), issuer=document.issuer, source=document.source,
        urgency=changed.get("urgency", document.urgency), issuer_name=document.issuer_name,
        received_on=document.received_on)
    register.update_document(document.id, data, expected_version=document.version, viewer=viewer)


def _withdraw_open_tasks(document_id: int, reason: str, viewer: Viewer) -> int:
    from app.services import lifecycle

    open_ids = db.session.scalars(select(Task.id).where(
        Task.document_id == document_id,
        Task.status.notin_((TaskStatus.completed.value, TaskStatus.withdrawn.value)))).all()
    for task_id in open_ids:
        lifecycle.transition(task_id, "withdraw", viewer=viewer,
                             comment=str(_l("The document was revoked by its sender: %(reason)s", reason=reason)))
    return len(open_ids)


# ----------------------------------------------------------------- dismiss

def dismiss(intake_id, reason: str, *, viewer: Viewer) -> IncomingDocument:
    """Not a directive, or classified (Art. 7–8): nothing of it is kept but the fact that it
    was dismissed, its number and date (and the message's identifiers, so it is recognised
    if it comes again)."""
    _require(viewer, OFFICE, _l("Only the Office dismisses incoming documents."))
    incoming = get(intake_id)
    errors = FieldErrors()
    if not (reason or "").strip():
        errors.add("reason", _l("Give the reason for dismissing it."))
    errors.text_fits("reason", reason, _l("Reason"), TEXT_MAX)
    errors.raise_if_any()
    return _dismiss(incoming, reason.strip(), viewer)


def _dismiss(incoming: IncomingDocument, reason: str, viewer: Viewer) -> IncomingDocument:
    claimed = db.session.execute(update(IncomingDocument).where(
        IncomingDocument.id == incoming.id, IncomingDocument.status == "pending").values(
        status="dismissed", version=IncomingDocument.version + 1))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This incoming document was already registered or dismissed."))
    return _dismiss_claimed(incoming, reason, viewer, claimed=True)


def _dismiss_claimed(incoming, reason, viewer, claimed: bool = False) -> IncomingDocument:
    if not claimed:
        done = db.session.execute(update(IncomingDocument).where(
            IncomingDocument.id == incoming.id, IncomingDocument.status == "pending").values(
            status="dismissed", version=IncomingDocument.version + 1))
        if done.rowcount != 1:
            db.session.rollback()
            raise Conflict(_l("This incoming document was already registered or dismissed."))
    folder = current_app.config["UPLOAD_FOLDER"]
    paths = [os.path.join(folder, name) for name in db.session.scalars(
        select(IncomingAttachment.stored_name).where(IncomingAttachment.incoming_id == incoming.id))]
    db.session.execute(IncomingAttachment.__table__.delete().where(IncomingAttachment.incoming_id == incoming.id))
    db.session.execute(IncomingMessage.__table__.delete().where(IncomingMessage.incoming_id == incoming.id))
    db.session.execute(update(IncomingDocument).where(IncomingDocument.id == incoming.id).values(
        doc_type=None, type_code=None, type_name=None, summary=None, content=None, signer=None,
        signer_position=None, signer_competence=None, issuer=None, issuer_name=None, received_on=None,
        urgency=None, priority=None, due_on=None, recipients=None, entry_due_on=None,
        dismissed_reason=reason[:TEXT_MAX], dismissed_at=local_now(), dismissed_by_id=viewer.user_id))
    _remove_after_commit(paths)
    db.session.commit()
    db.session.expire_all()
    return db.session.get(IncomingDocument, incoming.id)


# ----------------------------------------------------------------- register

def register_incoming(intake_id, data, tasks, *, viewer: Viewer, send: bool = False, files=()) -> Document:
    """The Office registers an incoming document: the entry form's document and tasks
    (register.create_document, same rules: Art. 4, 6, 7) and, in the same transaction, the
    incoming document marked registered and linked, its files become the document's."""
    from app.services import register

    _require(viewer, OFFICE, _l("Only the Office registers incoming documents."))
    incoming = get(intake_id)
    claimed = db.session.execute(update(IncomingDocument).where(
        IncomingDocument.id == incoming.id, IncomingDocument.status == "pending").values(
        status="registered", registered_at=local_now(), registered_by_id=viewer.user_id,
        version=IncomingDocument.version + 1))
    if claimed.rowcount != 1:
        db.session.rollback()
        raise Conflict(_l("This incoming document was already registered or dismissed."))
    files_of = [(f.filename, f.stored_name, f.content_type, f.size) for f in incoming.files]

    def link(document: Document) -> None:
        db.session.execute(update(IncomingDocument).where(IncomingDocument.id == incoming.id)
                           .values(document_id=document.id))
        for filename, stored_name, content_type, size in files_of:
            db.session.add(Attachment(document_id=document.id, filename=filename, stored_name=stored_name,
                                      content_type=content_type, size=size, uploaded_by_id=viewer.user_id))

    try:
        document = register.create_document(data, tasks, viewer=viewer, send=send, files=files, on_created=link)
    except Exception:
        db.session.rollback()
        raise
    db.session.expire_all()
    return db.session.get(Document, document.id)


def document_defaults(incoming: IncomingDocument) -> dict:
    """The entry form's document fields, from the message."""
    return dict(doc_type=incoming.doc_type or "official_letter", number=incoming.number,
                summary=incoming.summary or "", issued_on=incoming.issued_on, signer=incoming.signer or "",
                issuer=incoming.issuer or "higher_authority", issuer_name=incoming.issuer_name,
                received_on=incoming.received_on, urgency=incoming.urgency or "normal")


# ----------------------------------------------------------------- reading

def get(intake_id) -> IncomingDocument:
    try:
        row = db.session.get(IncomingDocument, int(intake_id))
    except (TypeError, ValueError, OverflowError):
        row = None
    if row is None:
        raise NotFound(_l("No such incoming document."))
    return row


def require_reader(viewer: Viewer) -> None:
    _require(viewer, OFFICE, _l("Only the Office sees incoming documents."))


def listing(*, status: str | None = None, page: int = 0, page_size: int = 50):
    """Pending first, each group oldest first (the Office works from the oldest)."""
    page = min(max(page, 0), 1_000_000)  # an absurd page is an empty one, not an overflow
    stmt = select(IncomingDocument)
    if status:
        stmt = stmt.where(IncomingDocument.status == status)
    count = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    order = case((IncomingDocument.status == "pending", 0), else_=1)
    rows = db.session.scalars(stmt.order_by(order, IncomingDocument.received_at, IncomingDocument.id)
                              .offset(page * page_size).limit(page_size)).all()
    return count, rows


def pending_count() -> int:
    return db.session.scalar(select(func.count(IncomingDocument.id)).where(
        IncomingDocument.status == "pending")) or 0


def working_days_left(incoming: IncomingDocument) -> int | None:
    if incoming.entry_due_on is None:
        return None
    return current_calendar().remaining_working_days(today(), incoming.entry_due_on)


# ----------------------------------------------------------------- status reply

def status_reply(intake_id, *, viewer: Viewer) -> bytes:
    """The edXML status message the sender expects: 03 registered, 04 once its tasks are
    sent (assigned); 01 while waiting, 02 when dismissed."""
    _require(viewer, OFFICE | {Role.Connector.value}, _l("Only the Office and the document system read status replies."))
    incoming = get(intake_id)
    code, description = "01", str(_l("Received, waiting to be registered"))
    if incoming.status == "dismissed":
        code, description = "02", str(_l("Not registered for tracking"))
    elif incoming.status == "registered":
        sent = db.session.scalar(select(func.count(Task.id)).where(
            Task.document_id == incoming.document_id, Task.sent_at.is_not(None))) or 0
        code, description = ("04", str(_l("Tasks assigned to the lead agencies"))) if sent else (
            "03", str(_l("Registered for tracking")))
    reply = edxml.StatusReply(
        from_organ_id=sorted(province_codes())[0] if province_codes() else "",
        from_organ_name=current_app.config.get("EDXML_PROVINCE_NAME", "UBND tỉnh Khánh Hòa"),
        original_organ_id=incoming.sender_code or "", original_code=incoming.number,
        original_date=incoming.issued_on, original_document_id=incoming.edxml_document_id or "",
        status_code=code, description=description, timestamp=local_now(),
        staff=(incoming.registered_by.get_full_name() if incoming.registered_by else ""))
    return edxml.status_xml(reply)


# ----------------------------------------------------------------- notifications

def _office_user_ids():
    from app.services.notifications import role_users

    return role_users((Role.OfficeOfficial.value,))


def _notify_office(incoming: IncomingDocument, viewer: Viewer | None) -> None:
    """A new incoming document: the Office officials are told (not the one who uploaded it)."""
    from app.services.notifications import NOTIFICATION_COLUMNS, insert_ignoring_duplicates
    from sqlalchemy import Integer, literal

    users = _office_user_ids().subquery()
    rows = select(users.c.user_id, literal("incoming"), literal(f"incoming:{incoming.id}"),
                  literal(None, Integer), literal(today()),
                  literal(str(_l("Incoming document %(number)s: %(summary)s", number=incoming.number,
                                 summary=(incoming.summary or "")[:200]))[:300]),
                  literal(f"/incoming/show/{incoming.id}"), literal(local_now())).where(users.c.user_id.is_not(None))
    # (a WHERE also keeps SQLite's parser from reading ON CONFLICT as a join's ON)
    if viewer is not None and viewer.user_id:
        rows = rows.where(users.c.user_id != viewer.user_id)
    insert_ignoring_duplicates(rows.distinct(), NOTIFICATION_COLUMNS)
    _schedule_mail()


def _schedule_mail() -> None:
    """Mail at once after the commit, as every event (app.services.events), not at the next cron pass."""
    from app.services.events import _schedule_mail as schedule

    schedule()


def _notify_later(incoming: IncomingDocument, later: IncomingMessage) -> None:
    """A later message: the tracking officers of the document's tasks; before registration,
    the Office officials."""
    from app.services.notifications import NOTIFICATION_COLUMNS, insert_ignoring_duplicates
    from sqlalchemy import Integer, literal

    officers = select(Task.tracking_officer_id.label("user_id")).where(
        Task.document_id == incoming.document_id, Task.tracking_officer_id.is_not(None))
    if incoming.document_id is not None and db.session.scalar(select(officers.exists())):
        users = officers.subquery()
        link = f"/documents/show/{incoming.document_id}"
    elif incoming.document_id is not None:  # registered, but no task has an officer: the Office (Art. 5.1)
        users = _office_user_ids().subquery()
        link = f"/documents/show/{incoming.document_id}"
    else:
        users = _office_user_ids().subquery()
        link = f"/incoming/show/{incoming.id}"
    text = str({
        "revoke": _l("The sender revokes document %(number)s: please review and confirm.", number=incoming.number),
        "update": _l("The sender updates document %(number)s: please review and confirm.", number=incoming.number),
        "replace": _l("The sender replaces document %(number)s: please review and confirm.",
                      number=incoming.number),
    }[later.kind])
    rows = select(users.c.user_id, literal("incoming_message"), literal(f"incoming_message:{later.id}"),
                  literal(None, Integer), literal(today()), literal(text[:300]), literal(link),
                  literal(local_now())).where(users.c.user_id.is_not(None)).distinct()
    insert_ignoring_duplicates(rows, NOTIFICATION_COLUMNS)
    _schedule_mail()


def pending_messages_of_document(document_id: int) -> list[IncomingMessage]:
    return db.session.scalars(select(IncomingMessage).join(
        IncomingDocument, IncomingDocument.id == IncomingMessage.incoming_id).where(
        IncomingDocument.document_id == document_id).order_by(IncomingMessage.id)).all()
