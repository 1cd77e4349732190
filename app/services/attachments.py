"""Attachments (Art. 4.8): PDF, DOCX, XLSX and images, size-limited, stored
under UPLOAD_FOLDER by a random name (never inside static/), and served only to
users who may see the task or document they belong to (app.access)."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.utils import secure_filename

from app.access import Viewer, visible_document, visible_task
from app.extensions import db
from app.models import Attachment
from app.services.errors import NotFound

# The first bytes each accepted type must start with: a renamed executable is refused.
MAGIC = {
    "pdf": (b"%PDF",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0",),
    "xls": (b"\xd0\xcf\x11\xe0",),
    "png": (b"\x89PNG",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}


@dataclass
class CheckedFile:
    filename: str
    extension: str
    data: bytes


def _display_name(filename: str) -> str:
    # Keep Vietnamese letters for display; drop any path the browser sent.
    name = os.path.basename(filename.replace("\\", "/")).strip()
    return name[:255] or "tep-dinh-kem"


def check_files(files, errors) -> list[CheckedFile]:
    """Validate uploads; problems go to errors["attachments"]."""
    checked = []
    limit = current_app.config["MAX_ATTACHMENT_BYTES"]
    allowed = current_app.config["ATTACHMENT_EXTENSIONS"]
    for storage in files or ():
        if storage is None or not getattr(storage, "filename", ""):
            continue
        name = _display_name(storage.filename)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        data = storage.read()
        if extension not in allowed:
            errors.add("attachments", _l(
                "%(name)s: only PDF, DOCX, DOC, XLSX, XLS, PNG and JPG files are accepted.", name=name))
        elif not data:
            errors.add("attachments", _l("%(name)s is empty.", name=name))
        elif len(data) > limit:
            errors.add("attachments", _l(
                "%(name)s is larger than the %(mb)s MB limit.", name=name, mb=limit // (1024 * 1024)))
        elif not data.startswith(MAGIC[extension]):
            errors.add("attachments", _l(
                "%(name)s is not really a %(ext)s file.", name=name, ext=extension.upper()))
        else:
            checked.append(CheckedFile(name, extension, data))
    return checked


def write_checked(item: CheckedFile, folder: str) -> str:
    """Write one checked upload under a fresh name in `folder` and return that name; if the
    transaction rolls back, the file is removed again (_forget_files). Every chapter's uploads
    (attachments, inspection reports, report-request answers) are written here."""
    stored_name = f"{uuid.uuid4().hex}.{item.extension}"
    path = os.path.join(folder, stored_name)
    db.session.info.setdefault("written_files", []).append(path)
    with open(path, "wb") as out:
        out.write(item.data)
    return stored_name


def store(checked: list[CheckedFile], *, document=None, task=None, update=None,
          uploaded_by_id=None) -> list[Attachment]:
    """Write the files and add their rows to the session. If the transaction
    rolls back, the files written are removed again (see _forget_files)."""
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    rows = []
    for item in checked:
        stored_name = write_checked(item, folder)
        row = Attachment(
            document=document, task=task, update=update, filename=item.filename, stored_name=stored_name,
            content_type=CONTENT_TYPES[item.extension], size=len(item.data),
            uploaded_by_id=uploaded_by_id,
        )
        db.session.add(row)
        rows.append(row)
    return rows


@event.listens_for(Session, "after_commit")
def _keep_files(session) -> None:
    session.info.pop("written_files", None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_files(session, previous_transaction) -> None:
    for path in session.info.pop("written_files", []):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def visible_attachment(attachment_id, viewer: Viewer) -> Attachment | None:
    try:
        row = db.session.get(Attachment, int(attachment_id))
    except (TypeError, ValueError):
        return None
    if row is None:
        return None
    if row.task_id is not None:
        return row if visible_task(row.task_id, viewer) else None
    return row if visible_document(row.document_id, viewer) else None


def send_attachment(attachment_id, viewer: Viewer):
    row = visible_attachment(attachment_id, viewer)
    if row is None:
        raise NotFound(_l("No such file."))
    path = os.path.join(current_app.config["UPLOAD_FOLDER"], secure_filename(row.stored_name))
    if not os.path.exists(path):
        raise NotFound(_l("The file is missing from storage; tell the administrator."))
    return send_file(path, mimetype=row.content_type, as_attachment=True,
                     download_name=row.filename, max_age=0)
