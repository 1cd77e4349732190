"""The database shape of asking for direction (issue 13; app.domain.direction):
ad-hoc report requests and their answers, difficulties and disagreements,
proposals to the Chairman with one direction per task, and their files.
Imported from the end of app/models.py."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.direction import Decision, IssueKind, IssueStatus, ProposalReason, ProposalStatus, ReportScope
from app.models import Agency, AppUser, Notification, Task, _values, local_now

report_request_task = Table(
    "report_request_task",
    Model.metadata,
    Column("request_id", Integer, ForeignKey("report_request.id", ondelete="CASCADE"), primary_key=True),
    Column("task_id", Integer, ForeignKey("task.id"), primary_key=True),
)


class ReportRequest(Model):
    """Yêu cầu báo cáo đột xuất (Art. 10.1.d, 18.4, 19.1): sent at once to every agency asked."""

    __tablename__ = "report_request"
    __table_args__ = (
        CheckConstraint(f"scope IN ({_values(ReportScope)})", name="ck_report_request_scope"),
        Index("ix_report_request_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    scope: Mapped[str] = mapped_column(String(16), nullable=False)
    sent_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    due_working_days: Mapped[Optional[int]] = mapped_column(Integer)
    requested_by_chairman: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    created_by: Mapped[Optional[AppUser]] = relationship(AppUser)
    tasks: Mapped[list[Task]] = relationship(Task, secondary=report_request_task, order_by=Task.id)
    answers: Mapped[list["ReportAnswer"]] = relationship("ReportAnswer", back_populates="request",
                                                         order_by="ReportAnswer.id")


class ReportAnswer(Model):
    """One agency's answer to a request: pending, drafted by staff, submitted by the head."""

    __tablename__ = "report_answer"
    __table_args__ = (
        UniqueConstraint("request_id", "agency_id", name="uq_report_answer_request_agency"),
        CheckConstraint("status IN ('pending', 'draft', 'submitted')", name="ck_report_answer_status"),
        Index("ix_report_answer_agency", "agency_id", "request_id"),
        Index("ix_report_answer_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(Integer, ForeignKey("report_request.id"), nullable=False)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="pending")
    body: Mapped[Optional[str]] = mapped_column(Text)
    drafted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    drafted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    late: Mapped[Optional[bool]] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    request: Mapped[ReportRequest] = relationship(ReportRequest, back_populates="answers")
    agency: Mapped[Agency] = relationship(Agency)
    submitted_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[submitted_by_id])
    drafted_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[drafted_by_id])

    __mapper_args__ = {"version_id_col": version}


class TaskIssue(Model):
    """Khó khăn, vướng mắc (Art. 19.2) reported by an agency on a task, or ý kiến khác nhau
    (Art. 10.1.c) recorded by the Office; answered by the Office or proposed to the Chairman."""

    __tablename__ = "task_issue"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(IssueKind)})", name="ck_task_issue_kind"),
        CheckConstraint(f"status IN ({_values(IssueStatus)})", name="ck_task_issue_status"),
        Index("ix_task_issue_task", "task_id", "id"),
        Index("ix_task_issue_status", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    body: Mapped[str] = mapped_column(Text, nullable=False)
    proposal_text: Mapped[Optional[str]] = mapped_column(Text)  # what the agency proposes / the positions
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open")
    answer: Mapped[Optional[str]] = mapped_column(Text)
    handled_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    handled_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    proposal_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("proposal.id"))
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    task: Mapped[Task] = relationship(Task)
    agency: Mapped[Optional[Agency]] = relationship(Agency)
    created_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[created_by_id])
    handled_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[handled_by_id])


class Proposal(Model):
    """Tờ trình / phiếu xin ý kiến Chủ tịch (Art. 5.3.d, 18.3) about one or many tasks."""

    __tablename__ = "proposal"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(ProposalStatus)})", name="ck_proposal_status"),
        CheckConstraint(f"reason IN ({_values(ProposalReason)})", name="ck_proposal_reason"),
        Index("ix_proposal_status_submitted", "status", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reason: Mapped[str] = mapped_column(String(16), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    created_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[created_by_id])
    submitted_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[submitted_by_id])
    items: Mapped[list["ProposalTask"]] = relationship("ProposalTask", back_populates="proposal",
                                                       order_by="ProposalTask.task_id")

    __mapper_args__ = {"version_id_col": version}


class ProposalTask(Model):
    """One task of a proposal, and the Chairman's direction on it (who, when, what)."""

    __tablename__ = "proposal_task"
    __table_args__ = (
        CheckConstraint(f"decision IS NULL OR decision IN ({_values(Decision)})", name="ck_proposal_task_decision"),
        Index("ix_proposal_task_task", "task_id", "proposal_id"),
    )

    proposal_id: Mapped[int] = mapped_column(Integer, ForeignKey("proposal.id"), primary_key=True)
    task_id: Mapped[int] = mapped_column(Integer, ForeignKey("task.id"), primary_key=True)
    decision: Mapped[Optional[str]] = mapped_column(String(16))
    deadline: Mapped[Optional[dt.date]] = mapped_column(Date)
    lead_agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    comment: Mapped[Optional[str]] = mapped_column(Text)
    decided_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    decided_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    # A transfer goes back to the Office to send (Art. 5.2.b): when it was sent.
    carried_out_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    carried_out_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))

    proposal: Mapped[Proposal] = relationship(Proposal, back_populates="items")
    task: Mapped[Task] = relationship(Task)
    lead_agency: Mapped[Optional[Agency]] = relationship(Agency)
    decided_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[decided_by_id])


class DirectionFile(Model):
    """A file of a report request or of an answer, stored under UPLOAD_FOLDER by a random
    name and served only to those who may see what it belongs to."""

    __tablename__ = "direction_file"
    __table_args__ = (
        CheckConstraint("(request_id IS NOT NULL) <> (answer_id IS NOT NULL)", name="ck_direction_file_owner"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("report_request.id"), index=True)
    answer_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("report_answer.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(128), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    uploaded_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)


# The ladder (app/services/ladder.py) reads the reminders of a page of tasks by task.
Index("ix_notification_task_kind", Notification.task_id, Notification.kind, Notification.day)
