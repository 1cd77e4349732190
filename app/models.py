"""The database shape of SPEC §2.

Enumerated fields are stored as their English identifiers (app.domain.vocabulary);
labels are translated at the edges. History (ChangeLog) is append-only: the
session refuses to update or delete a row of it (app.history).
"""
from __future__ import annotations

import datetime as dt
from typing import Optional
from zoneinfo import ZoneInfo

from flask_appbuilder import Model
from flask_appbuilder.security.sqla.models import User as FabUser
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.vocabulary import (
    AgencyKind,
    DocType,
    Issuer,
    Source,
    TaskStatus,
    Urgency,
)


VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def local_now() -> dt.datetime:
    """Times are stored as naive Vietnam time: one province, one zone, and a
    date compared with a deadline must be the Vietnamese date."""
    return dt.datetime.now(VN_TZ).replace(tzinfo=None)


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class Agency(Model):
    __tablename__ = "agency"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(AgencyKind)})", name="ck_agency_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(255), nullable=False)
    short_name: Mapped[str] = mapped_column(String(128), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Intake (issue 12): the agency's electronic organisation code (mã định danh, QĐ 20/2020/QĐ-TTg),
    # optional, set by the Admin; edXML senders are matched on it.
    edxml_code: Mapped[Optional[str]] = mapped_column(String(64), unique=True)

    def __repr__(self) -> str:
        return self.name


class AppUser(FabUser):
    """FAB's user, with the one agency that SPEC §1 gives every agency user."""

    __tablename__ = "ab_user"

    agency_id: Mapped[Optional[int]] = mapped_column(
        Integer, ForeignKey("agency.id"), nullable=True, index=True
    )
    agency: Mapped[Optional[Agency]] = relationship(Agency, foreign_keys=[agency_id])

    # Mail preferences per kind of notification: app/models_mail.py (migration 0008
    # replaced the single "daily digest" flag).

    # Bumped by logout, password change/reset and deactivation: every web session and
    # API token carrying an older value is refused at once (app/sessions.py).
    session_epoch: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                               server_default=text("0"))

    def get_full_name(self) -> str:
        # Vietnamese order: họ (last_name) then tên (first_name), as FAB's labels translate them.
        return " ".join(part for part in (self.last_name, self.first_name) if part)


task_coordinating_agency = Table(
    "task_coordinating_agency",
    Model.metadata,
    Column("task_id", Integer, ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", Integer, ForeignKey("agency.id"), primary_key=True),
    # The task's deadline, copied by the database on every insert and every deadline change,
    # whoever writes (migration 0038): never passed by the app. NULL only inside a statement
    # on SQLite.
    Column("deadline", Date, nullable=False, server_default=FetchedValue(), server_onupdate=FetchedValue()),
    # PERFORMANCE.md: the agency's side of the row-level rule walks these indexes; the list
    # pages it by deadline through the second (app.access.agency_branches).
    Index("ix_task_coordinating_agency_agency_task", "agency_id", "task_id"),
    Index("ix_task_coordinating_agency_agency_deadline", "agency_id", "deadline", "task_id"),
)


class Document(Model):
    """Văn bản giao nhiệm vụ (Art. 4.1–4.2)."""

    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("number", "issued_on", name="uq_document_number_issued_on"),
        CheckConstraint(f"doc_type IN ({_values(DocType)})", name="ck_document_doc_type"),
        CheckConstraint(f"issuer IN ({_values(Issuer)})", name="ck_document_issuer"),
        CheckConstraint(f"urgency IN ({_values(Urgency)})", name="ck_document_urgency"),
        CheckConstraint(f"source IN ({_values(Source)})", name="ck_document_source"),
        Index("ix_document_issued_on", "issued_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(32), nullable=False)
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    signer: Mapped[str] = mapped_column(String(128), nullable=False)
    issuer: Mapped[str] = mapped_column(String(32), nullable=False)
    issuer_name: Mapped[Optional[str]] = mapped_column(String(255))
    received_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    urgency: Mapped[str] = mapped_column(String(32), nullable=False, default="normal")
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    # Art. 6.1, 6.3: the day by which its tasks had to be entered and sent,
    # fixed when the document is entered (app.domain.entry_rules).
    entry_due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    tasks: Mapped[list["Task"]] = relationship(
        "Task", back_populates="document", order_by="Task.id"
    )
    created_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"{self.number} ({self.issued_on:%d/%m/%Y})"


class Task(Model):
    """Nhiệm vụ (Art. 4.3–4.8)."""

    __tablename__ = "task"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(TaskStatus)})", name="ck_task_status"),
        # PERFORMANCE.md: agency lists sorted by deadline, office lists by deadline.
        Index("ix_task_lead_agency_deadline", "lead_agency_id", "deadline", "id"),
        Index("ix_task_deadline", "deadline", "id"),
        Index("ix_task_document", "document_id"),
        Index("ix_task_tracking_officer", "tracking_officer_id", "deadline"),
        Index("ix_task_status_deadline", "status", "deadline"),
        Index("ix_task_completed_on", "completed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("document.id"), nullable=False
    )
    content: Mapped[str] = mapped_column(Text, nullable=False)
    lead_agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    tracking_officer_id: Mapped[Optional[int]] = mapped_column(
        Integer, ForeignKey("ab_user.id")
    )
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # Art. 5.2.đ: kept when an extension moves the deadline (SPEC §4.4).
    original_deadline: Mapped[Optional[dt.date]] = mapped_column(Date)
    result: Mapped[Optional[str]] = mapped_column(Text)
    notes: Mapped[Optional[str]] = mapped_column(Text)
    status: Mapped[str] = mapped_column(
        String(32), nullable=False, default=TaskStatus.draft.value
    )
    # Art. 6: when the Office sent it to the lead agency.
    sent_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    # When the lead agency submitted the result now under review or confirmed,
    # and the day it counts as completed (SPEC §4.5: the submission date of the
    # confirmed result), set when the Office confirms.
    result_submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    completed_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    document: Mapped[Document] = relationship(Document, back_populates="tasks")
    lead_agency: Mapped[Agency] = relationship(Agency, foreign_keys=[lead_agency_id])
    coordinating_agencies: Mapped[list[Agency]] = relationship(
        Agency, secondary=task_coordinating_agency, order_by=Agency.name
    )
    tracking_officer: Mapped[Optional["AppUser"]] = relationship(
        AppUser, foreign_keys=[tracking_officer_id]
    )
    created_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"#{self.id} {self.content[:60]}"

    def deadline_badge(self):
        """For the list's "working days" column (FAB shows model methods)."""
        from app.services.deadlines import deadline_badge

        return deadline_badge(self)


class TaskUpdate(Model):
    """A progress update of the lead agency, a coordinating agency's
    contribution (Art. 10.3), or a submitted result. AgencyStaff write drafts
    (draft=True) that their head posts; once posted it is never changed."""

    __tablename__ = "task_update"
    __table_args__ = (
        CheckConstraint("kind IN ('progress', 'contribution', 'result')", name="ck_task_update_kind"),
        Index("ix_task_update_task", "task_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    author_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    draft: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    posted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    posted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    task: Mapped["Task"] = relationship("Task")
    agency: Mapped[Optional[Agency]] = relationship(Agency)
    author: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[author_id])
    posted_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[posted_by_id])


class Feedback(Model):
    """The lead agency returns a task (Art. 5.2.b–c): its content is wrong, it is
    outside the agency's competence, or its data do not match."""

    __tablename__ = "feedback"
    __table_args__ = (
        CheckConstraint("reason IN ('content_wrong', 'not_competent', 'data_mismatch')",
                        name="ck_feedback_reason"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(32), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    author_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    task: Mapped["Task"] = relationship("Task")
    agency: Mapped[Optional[Agency]] = relationship(Agency)
    author: Mapped[Optional["AppUser"]] = relationship(AppUser)


class ExtensionRequest(Model):
    """Xin gia hạn (Art. 5.2.đ): asked by the lead agency, decided by the
    Chairman; or recorded by the Office when the Chairman approved outside
    the system (`reference` names that approval)."""

    __tablename__ = "extension_request"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="ck_extension_status"),
        # One pending request per task at a time.
        Index("uq_extension_pending", "task_id", unique=True,
              postgresql_where=text("status = 'pending'"), sqlite_where=text("status = 'pending'")),
        Index("ix_extension_status", "status", "requested_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    proposed_deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    deadline_at_request: Mapped[dt.date] = mapped_column(Date, nullable=False)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    requested_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    approved_deadline: Mapped[Optional[dt.date]] = mapped_column(Date)
    decision_comment: Mapped[Optional[str]] = mapped_column(Text)
    decided_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    reference: Mapped[Optional[str]] = mapped_column(String(128))

    task: Mapped["Task"] = relationship("Task")
    agency: Mapped[Optional[Agency]] = relationship(Agency)
    requested_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[requested_by_id])
    decided_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[decided_by_id])


class Attachment(Model):
    """A file attached to a document or a task; stored under UPLOAD_FOLDER by a
    random name, served only through the row-level rule."""

    __tablename__ = "attachment"
    __table_args__ = (
        CheckConstraint(
            "(document_id IS NOT NULL) OR (task_id IS NOT NULL)", name="ck_attachment_owner"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[Optional[int]] = mapped_column(
        Integer, ForeignKey("document.id"), index=True
    )
    task_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("task.id"), index=True)
    # The update (progress, contribution, result) the file came with, if any.
    update_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("task_update.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(128), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    uploaded_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    uploaded_by: Mapped[Optional["AppUser"]] = relationship(AppUser)
    document: Mapped[Optional[Document]] = relationship(Document, backref="attachments")
    task: Mapped[Optional[Task]] = relationship(Task, backref="attachments")
    update: Mapped[Optional[TaskUpdate]] = relationship(TaskUpdate, backref="attachments")


class ChangeLog(Model):
    """Append-only history of documents and tasks: who, when, field, old → new."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity", "entity", "entity_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(32), nullable=False)  # document | task
    entity_id: Mapped[int] = mapped_column(Integer, nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False)  # create | update | …
    field: Mapped[Optional[str]] = mapped_column(String(64))
    old_value: Mapped[Optional[str]] = mapped_column(Text)
    new_value: Mapped[Optional[str]] = mapped_column(Text)
    comment: Mapped[Optional[str]] = mapped_column(Text)
    user_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    user: Mapped[Optional["AppUser"]] = relationship(AppUser)


class Notification(Model):
    """An in-app notification (the bell), mailed once (mailed_at). `dedupe_key`
    makes every producer idempotent: a reminder is never made twice for the
    same user, task, kind and day, however often a sweep runs."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("user_id", "dedupe_key", name="uq_notification_dedupe"),
        Index("ix_notification_user_unread", "user_id", "read_at", "id"),
        Index("ix_notification_unmailed", "mailed_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("ab_user.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    dedupe_key: Mapped[str] = mapped_column(String(128), nullable=False)
    task_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("task.id"))
    day: Mapped[dt.date] = mapped_column(Date, nullable=False)
    message: Mapped[str] = mapped_column(Text, nullable=False)
    link: Mapped[Optional[str]] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    read_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    mailed_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)

    user: Mapped["AppUser"] = relationship(AppUser)
    task: Mapped[Optional["Task"]] = relationship("Task")


class JobRun(Model):
    """One execution of a background job, as the Admin sees it beside RQ's own
    registries: the database keeps it when Redis does not."""

    __tablename__ = "job_run"
    __table_args__ = (Index("ix_job_run_name", "name", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    job_id: Mapped[Optional[str]] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), nullable=False)  # running | done | failed | skipped
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    finished_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    detail: Mapped[Optional[str]] = mapped_column(Text)
    error: Mapped[Optional[str]] = mapped_column(Text)


class DelayReport(Model):
    """Thông tin phản hồi về việc chậm, không đúng yêu cầu (Art. 18.5, 19.3):
    an agency tells the Office that another agency is late on a task. Within
    2 working days of receipt the Office urges that agency or reports to the
    Chairman, and copies the reporting agency."""

    __tablename__ = "delay_report"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'urged', 'escalated')", name="ck_delay_report_status"),
        Index("ix_delay_report_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), nullable=False, index=True)
    reporting_agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    concerned_agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    received_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    handled_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    handled_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    handling_note: Mapped[Optional[str]] = mapped_column(Text)
    letter_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("urging_letter.id"))
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    task: Mapped["Task"] = relationship("Task")
    reporting_agency: Mapped[Agency] = relationship(Agency, foreign_keys=[reporting_agency_id])
    concerned_agency: Mapped[Agency] = relationship(Agency, foreign_keys=[concerned_agency_id])
    created_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[created_by_id])
    handled_by: Mapped[Optional["AppUser"]] = relationship(AppUser, foreign_keys=[handled_by_id])
    letter: Mapped[Optional["UrgingLetter"]] = relationship("UrgingLetter", foreign_keys=[letter_id])


urging_letter_task = Table(
    "urging_letter_task",
    Model.metadata,
    Column("letter_id", Integer, ForeignKey("urging_letter.id", ondelete="CASCADE"), primary_key=True),
    Column("task_id", Integer, ForeignKey("task.id"), primary_key=True),
    Index("ix_urging_letter_task_task", "task_id", "letter_id"),
)


class UrgingLetter(Model):
    """Văn bản đôn đốc (Art. 18.5): drafted by a job from the tasks it urges,
    edited by the Office, then numbered and issued; its PDF and DOCX are kept."""

    __tablename__ = "urging_letter"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'issued')", name="ck_urging_letter_status"),
        Index("ix_urging_letter_agency", "agency_id", "id"),
        # One draft per agency and batch: a batch job run twice drafts nothing twice.
        UniqueConstraint("batch_key", "agency_id", name="uq_urging_letter_batch"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    number: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    issued_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(String(255), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    signer_authority: Mapped[Optional[str]] = mapped_column(String(128))
    signer_position: Mapped[str] = mapped_column(String(128), nullable=False)
    signer_name: Mapped[str] = mapped_column(String(128), nullable=False)
    batch_key: Mapped[str] = mapped_column(String(64), nullable=False)
    pdf_name: Mapped[Optional[str]] = mapped_column(String(64))
    docx_name: Mapped[Optional[str]] = mapped_column(String(64))
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    # Issue 8, finding 14 (file freshness): the fingerprint of what pdf_name/docx_name were
    # rendered from (app/render/fingerprint.py); a file whose fingerprint differs is stale.
    files_hash: Mapped[Optional[str]] = mapped_column(String(64))

    agency: Mapped[Agency] = relationship(Agency)
    tasks: Mapped[list["Task"]] = relationship("Task", secondary=urging_letter_task, order_by="Task.deadline")
    created_by: Mapped[Optional["AppUser"]] = relationship(AppUser)

    __mapper_args__ = {"version_id_col": version}


class PeriodicReport(Model):
    """Báo cáo định kỳ (Art. 19.1, 20; Phụ lục I and II): an agency's, or the
    Office's consolidated report for the province (scope "province"). Sections
    I–II are computed; III (reasons, a line per late or overdue task, Art. 19.4)
    and IV (difficulties and proposals, Art. 19.2) are written. On submission
    the counts and the task list are frozen."""

    __tablename__ = "periodic_report"
    __table_args__ = (
        UniqueConstraint("scope_key", "period_key", name="uq_periodic_report_scope_period"),
        CheckConstraint("status IN ('draft', 'submitted')", name="ck_periodic_report_status"),
        Index("ix_periodic_report_period", "period_key", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(32), nullable=False)  # agency:<id> | province
    agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    period_key: Mapped[str] = mapped_column(String(32), nullable=False)  # e.g. monthly-2026-11
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[Optional[int]] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    report_number: Mapped[Optional[str]] = mapped_column(String(64))
    section_3: Mapped[Optional[str]] = mapped_column(Text)
    section_4: Mapped[Optional[str]] = mapped_column(Text)
    frozen_counts: Mapped[Optional[str]] = mapped_column(Text)  # JSON, at submission
    frozen_rows: Mapped[Optional[str]] = mapped_column(Text)  # JSON Phụ lục II, at submission
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    agency: Mapped[Optional[Agency]] = relationship(Agency)
    submitted_by: Mapped[Optional["AppUser"]] = relationship(AppUser)
    reasons: Mapped[list["ReportReason"]] = relationship(
        "ReportReason", cascade="all, delete-orphan", order_by="ReportReason.task_id")

    __mapper_args__ = {"version_id_col": version}


class ReportReason(Model):
    """Section III of a periodic report: why one task was late or is overdue (Art. 19.4)."""

    __tablename__ = "report_reason"

    report_id: Mapped[int] = mapped_column(Integer, ForeignKey("periodic_report.id", ondelete="CASCADE"),
                                           primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text, nullable=False, default="")

    task: Mapped["Task"] = relationship("Task")


class PeriodicReportRow(Model):
    """One line of a submitted agency report's Phụ lục II, frozen at submission (issue 10:
    a table, not one JSON text, so a report of 230,000 tasks is written and read in pages).
    `position` is the line's number in the list (STT), from 1; the texts are as printed
    then, the dates as they stood then."""

    __tablename__ = "periodic_report_row"

    report_id: Mapped[int] = mapped_column(Integer, ForeignKey("periodic_report.id", ondelete="CASCADE"),
                                           primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, nullable=False)
    document: Mapped[str] = mapped_column(Text, nullable=False, default="")
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    summary: Mapped[str] = mapped_column(Text, nullable=False, default="")
    content: Mapped[str] = mapped_column(Text, nullable=False, default="")
    lead: Mapped[str] = mapped_column(Text, nullable=False, default="")
    coordinating: Mapped[str] = mapped_column(Text, nullable=False, default="")
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    extended_deadline: Mapped[Optional[dt.date]] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(32), nullable=False)
    result: Mapped[str] = mapped_column(Text, nullable=False, default="")


class EvaluationSetting(Model):
    """The Admin's weights for the evaluation score (Art. 12, 22): shown beside
    every score so it can be checked by hand."""

    __tablename__ = "evaluation_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    weight_on_time: Mapped[int] = mapped_column(Integer, nullable=False, default=60)
    weight_updated: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    weight_reports: Mapped[int] = mapped_column(Integer, nullable=False, default=20)
    changed_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)


class Evaluation(Model):
    """One agency's evaluation for one period, as published (Art. 12: công bố công khai)."""

    __tablename__ = "evaluation"
    __table_args__ = (
        UniqueConstraint("agency_id", "period_key", name="uq_evaluation_agency_period"),
        Index("ix_evaluation_period_rank", "period_key", "rank"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    period_key: Mapped[str] = mapped_column(String(32), nullable=False)
    tasks_due: Mapped[int] = mapped_column(Integer, nullable=False)
    completed_on_time: Mapped[int] = mapped_column(Integer, nullable=False)
    completed_late: Mapped[int] = mapped_column(Integer, nullable=False)
    overdue: Mapped[int] = mapped_column(Integer, nullable=False)
    extended: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_on_time: Mapped[int] = mapped_column(Integer, nullable=False)
    report_on_time: Mapped[Optional[bool]] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float, nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    weights: Mapped[str] = mapped_column(String(64), nullable=False)  # "60/20/20"
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    agency: Mapped[Agency] = relationship(Agency)


class DataVersion(Model):
    """Bumped by database triggers on every write to the task tables
    (migration 0002); cached counts are valid while it stays the same."""

    __tablename__ = "data_version"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


class CalendarOverride(Model):
    """The Admin's correction of the working calendar (SPEC §3): a day off the
    `holidays` package does not know (the Tết break the Government sets), or a
    make-up working day (làm bù)."""

    __tablename__ = "calendar_override"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, nullable=False, unique=True)
    working: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str] = mapped_column(String(255), nullable=False, default="")
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    def __repr__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


# one-time form tokens (issue 8, finding 15)
from app.models_form_tokens import FormToken  # noqa: E402,F401
# Mail preferences per kind of notification (issue 9).
from app.models_mail import MailDigestLog, MailPreference  # noqa: E402,F401
# Inspections (Chương V, Art. 13–17): their own module, imported here so that every
# importer of app.models sees the whole schema.
from app.models_inspections import (  # noqa: E402,F401
    Inspection,
    InspectionAgency,
    InspectionAgencyReport,
    InspectionFinding,
    InspectionMember,
    InspectionPlan,
    InspectionPlanItem,
    InspectionReportFile,
    InspectionStep,
)
# Intake (issue 12): incoming documents from the document system (edXML).
from app.models_intake import IncomingAttachment, IncomingDocument, IncomingMessage  # noqa: E402,F401
# Asking for direction (issue 13): report requests, difficulties, proposals to the Chairman.
from app import models_direction  # noqa: E402,F401
