"""The files of an inspected agency's report (Art. 16.3: the records and documents the Working Group
asks for). Checked like every upload (app.services.attachments.check_files: type, size, first bytes),
stored under UPLOAD_FOLDER by a random name with their size and SHA-256, written in the transaction
of the report's save (a rollback removes them again), served only to those who may read that report
(app.services.inspections.may_read_agency_report) and only when the bytes on disk still match the
record; removed only while the report is a draft, by the agency itself."""
from __future__ import annotations

import hashlib
import io
import os

from flask import current_app, g, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, update
from werkzeug.utils import secure_filename

from app.access import Viewer
from app.domain.inspections import Action
from app.extensions import db
from app.models import InspectionAgencyReport, InspectionReportFile, local_now
from app.services import attachments, inspections
from app.services.errors import Conflict, NotFound


class ReportFileNotFound(NotFound):
    def __init__(self):
        super().__init__(_l("No such file."))


class ReportFileDamaged(Conflict):
    """The bytes in storage are missing or no longer those recorded at upload: never served."""


def _folder() -> str:
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    return folder


def store(checked, report: InspectionAgencyReport, *, uploaded_by_id=None) -> list[InspectionReportFile]:
    """Write the checked files and add their rows; the written paths are removed again if the
    transaction rolls back (app.services.attachments._forget_files)."""
    rows = []
    for item in checked:
        stored_name = attachments.write_checked(item, _folder())
        row = InspectionReportFile(
            inspection_id=report.inspection_id, agency_id=report.agency_id, filename=item.filename,
            stored_name=stored_name, content_type=attachments.CONTENT_TYPES[item.extension], size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(), uploaded_by_id=uploaded_by_id, uploaded_on=local_now())
        db.session.add(row)
        rows.append(row)
    return rows


def visible_file(file_id, viewer: Viewer):
    """(file, inspection, report) if the viewer may read the report the file belongs to, else None —
    the inspection's lookup first (visible_inspection), then the report's rule."""
    try:
        row = db.session.get(InspectionReportFile, int(file_id))
    except (TypeError, ValueError, OverflowError):
        return None
    if row is None:
        return None
    inspection = inspections.visible_inspection(row.inspection_id, viewer)
    if inspection is None:
        return None
    report = db.session.get(InspectionAgencyReport, (row.inspection_id, row.agency_id))
    if report is None or not inspections.may_read_agency_report(
            inspection, report.agency_id, report.status == "submitted", viewer):
        return None
    return row, inspection, report


def read_checked(row: InspectionReportFile) -> bytes:
    """The file's bytes, only if they are still the ones recorded (size, then SHA-256)."""
    path = os.path.join(_folder(), secure_filename(row.stored_name))
    try:
        with open(path, "rb") as handle:
            data = handle.read(row.size + 1)
    except OSError:
        raise ReportFileDamaged(_l("%(name)s is missing from storage; tell the administrator.", name=row.filename))
    if len(data) != row.size or hashlib.sha256(data).hexdigest() != row.sha256:
        raise ReportFileDamaged(_l("%(name)s in storage no longer matches what was uploaded; it is not served. "
                                   "Tell the administrator.", name=row.filename))
    return data


def send_report_file(file_id, viewer: Viewer):
    found = visible_file(file_id, viewer)
    if found is None:
        raise ReportFileNotFound()
    row = found[0]
    data = read_checked(row)  # what was checked is what is sent
    return send_file(io.BytesIO(data), mimetype=row.content_type, as_attachment=True, download_name=row.filename,
                     max_age=0)


def remove_file(file_id, *, viewer: Viewer) -> InspectionReportFile:
    """The inspected agency (its staff or head) removes a file from its report while it is a draft."""
    found = visible_file(file_id, viewer)
    if found is None:
        raise ReportFileNotFound()
    row, inspection, report = found
    g.acting_user_id = viewer.user_id
    if viewer.agency_id != row.agency_id:
        raise inspections.NotYourInspectionAction(_l("Only the agency whose report it is removes its files."))
    inspections._check(inspection, Action.agency_report, viewer)
    if report.status != "draft":
        raise inspections.InspectionStateConflict(_l("The report has been submitted: its files can no longer be "
                                                     "removed."))
    # One outcome against a head submitting at the same moment: the row changes only while a draft.
    done = db.session.execute(
        update(InspectionAgencyReport).where(
            InspectionAgencyReport.inspection_id == row.inspection_id,
            InspectionAgencyReport.agency_id == row.agency_id, InspectionAgencyReport.status == "draft",
            InspectionAgencyReport.version == report.version)
        .values(updated_at=local_now(), version=report.version + 1).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.session.rollback()
        raise inspections.InspectionStateConflict(_l("Someone else saved your agency's report meanwhile; "
                                                     "reload the page."))
    path = os.path.join(_folder(), secure_filename(row.stored_name))
    db.session.execute(delete(InspectionReportFile).where(InspectionReportFile.id == row.id))
    db.session.commit()
    db.session.expire_all()
    try:
        os.remove(path)
    except OSError:
        pass  # already gone: the row, which is what is served, is
    return row
