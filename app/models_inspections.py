"""The database shape of Chương V (Art. 13–17): an inspection (its decision and its result
report), the agencies inspected, the Working Group, the group's plan, requests and
invitations, the inspected agencies' reports and the group's findings. Imported at the end
of app/models.py."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from flask_appbuilder import Model
from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, ForeignKeyConstraint, Index,
                        Integer, String, Table, Text)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.domain.inspections import ConductedBy, InspectionForm, Stage
from app.models import Agency, AppUser, Task, _values, local_now


class Inspection(Model):
    """Quyết định kiểm tra (Art. 15.2: legal basis, scope and subjects, tasks, content, form,
    the Working Group) and, once submitted, its result report (Art. 17)."""

    __tablename__ = "inspection"
    __table_args__ = (
        CheckConstraint(f"conducted_by IN ({_values(ConductedBy)})", name="ck_inspection_conducted_by"),
        CheckConstraint(f"form IN ({_values(InspectionForm)})", name="ck_inspection_form"),
        CheckConstraint(f"stage IN ({_values(Stage)})", name="ck_inspection_stage"),
        CheckConstraint("end_on >= start_on", name="ck_inspection_dates"),
        Index("ix_inspection_stage_due", "stage", "report_due_on"),
        Index("ix_inspection_agency", "agency_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conducted_by: Mapped[str] = mapped_column(String(16), nullable=False)
    # The agency conducting its own inspection (Art. 13.2); None for the Office's.
    agency_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("agency.id"))
    legal_basis: Mapped[str] = mapped_column(Text, nullable=False)
    scope: Mapped[str] = mapped_column(Text, nullable=False)
    tasks: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Art. 14.1.a–c, each chosen, with free text.
    content_implementation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    content_updating: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    content_reporting: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    content_text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    form: Mapped[str] = mapped_column(String(16), nullable=False)
    start_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    # Art. 17.1–17.2, on the working calendar when the dates were set.
    report_due_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    stage: Mapped[str] = mapped_column(String(16), nullable=False, default=Stage.draft.value)
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)  # to the Chairman
    sent_back_note: Mapped[Optional[str]] = mapped_column(Text)
    number: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    issued_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    issued_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    report_body: Mapped[Optional[str]] = mapped_column(Text)
    report_number: Mapped[Optional[str]] = mapped_column(String(64))
    report_submitted_on: Mapped[Optional[dt.date]] = mapped_column(Date)
    report_submitted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    agency: Mapped[Optional[Agency]] = relationship(Agency, foreign_keys=[agency_id])
    inspected: Mapped[list["InspectionAgency"]] = relationship(
        "InspectionAgency", cascade="all, delete-orphan", order_by="InspectionAgency.agency_id")
    members: Mapped[list["InspectionMember"]] = relationship(
        "InspectionMember", cascade="all, delete-orphan", order_by="InspectionMember.user_id")
    findings: Mapped[list["InspectionFinding"]] = relationship(
        "InspectionFinding", order_by="InspectionFinding.id")
    issued_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[issued_by_id])
    created_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def leader_id(self) -> int | None:
        return next((m.user_id for m in self.members if m.leader), None)

    @property
    def member_ids(self) -> frozenset[int]:
        return frozenset(m.user_id for m in self.members)

    @property
    def inspected_ids(self) -> frozenset[int]:
        return frozenset(a.agency_id for a in self.inspected)


class InspectionAgency(Model):
    """An agency inspected (Art. 15.2.b: đối tượng kiểm tra)."""

    __tablename__ = "inspection_agency"
    __table_args__ = (Index("ix_inspection_agency_agency", "agency_id", "inspection_id"),)

    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("inspection.id", ondelete="CASCADE"),
                                               primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), primary_key=True)

    agency: Mapped[Agency] = relationship(Agency)


class InspectionMember(Model):
    """A member of the Working Group (Art. 15.2.đ); one is its leader (Tổ trưởng)."""

    __tablename__ = "inspection_member"
    __table_args__ = (Index("ix_inspection_member_user", "user_id", "inspection_id"),)

    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("inspection.id", ondelete="CASCADE"),
                                               primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("ab_user.id"), primary_key=True)
    leader: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    user: Mapped[AppUser] = relationship(AppUser)


class InspectionFinding(Model):
    """Findings per inspected agency, optionally per task (Art. 17.3.a–c)."""

    __tablename__ = "inspection_finding"
    __table_args__ = (Index("ix_inspection_finding_inspection", "inspection_id", "agency_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("inspection.id"), nullable=False)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    task_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("task.id"))
    assessment: Mapped[str] = mapped_column(Text, nullable=False, default="")
    conclusion: Mapped[str] = mapped_column(Text, nullable=False, default="")
    recommendations: Mapped[str] = mapped_column(Text, nullable=False, default="")
    author_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    agency: Mapped[Agency] = relationship(Agency)
    task: Mapped[Optional[Task]] = relationship(Task)
    author: Mapped[Optional[AppUser]] = relationship(AppUser)


class InspectionStep(Model):
    """What the group's leader records as the inspection goes (Art. 15.3, 16.1–16.3): a line of
    the group's plan (an agency, a date, content, the member in charge), an invitation of a
    related agency's representatives, or a request to an inspected agency for its report and
    documents by a due date."""

    __tablename__ = "inspection_step"
    __table_args__ = (
        CheckConstraint("kind IN ('plan', 'invitation', 'request')", name="ck_inspection_step_kind"),
        Index("ix_inspection_step_inspection", "inspection_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("inspection.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), nullable=False)
    on_date: Mapped[Optional[dt.date]] = mapped_column(Date)  # plan: the day; request: the due date
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # A request (Art. 16.3: "cung cấp đầy đủ hồ sơ, tài liệu"): the files and documents asked for.
    documents: Mapped[str] = mapped_column(Text, nullable=False, default="")
    member_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    agency: Mapped[Agency] = relationship(Agency)
    member: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[member_id])


class InspectionAgencyReport(Model):
    """The inspected agency's report for the inspection (Art. 16.3), with a line per late,
    overdue or no-deadline task of the period to explain (Art. 19.4): staff draft, the head
    submits."""

    __tablename__ = "inspection_agency_report"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="ck_inspection_agency_report_status"),
    )

    inspection_id: Mapped[int] = mapped_column(Integer, ForeignKey("inspection.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(Integer, ForeignKey("agency.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text, nullable=False, default="")
    explanations: Mapped[str] = mapped_column(Text, nullable=False, default="{}")  # JSON task id -> text
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    submitted_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    agency: Mapped[Agency] = relationship(Agency)
    files: Mapped[list["InspectionReportFile"]] = relationship(
        "InspectionReportFile", order_by="InspectionReportFile.id", viewonly=True)

    __mapper_args__ = {"version_id_col": version}


class InspectionReportFile(Model):
    """A file of an inspected agency's report (Art. 16.3: the records and documents the Working
    Group asks for), stored under UPLOAD_FOLDER by a random name with its size and SHA-256, and
    served only to those who may read that report (app.services.inspections.may_read_agency_report)."""

    __tablename__ = "inspection_report_file"
    __table_args__ = (
        ForeignKeyConstraint(["inspection_id", "agency_id"],
                             ["inspection_agency_report.inspection_id", "inspection_agency_report.agency_id"],
                             name="fk_inspection_report_file_report"),
        Index("ix_inspection_report_file_report", "inspection_id", "agency_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(Integer, nullable=False)
    agency_id: Mapped[int] = mapped_column(Integer, nullable=False)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    stored_name: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    content_type: Mapped[str] = mapped_column(String(128), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    uploaded_on: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)

    uploaded_by: Mapped[Optional[AppUser]] = relationship(AppUser)


class InspectionPlan(Model):
    """Kế hoạch kiểm tra of a year (Art. 13.1.a, 14.2.a): drafted by the Office, approved by the Chairman."""

    __tablename__ = "inspection_plan"
    __table_args__ = (
        CheckConstraint("stage IN ('draft', 'submitted', 'approved')", name="ck_inspection_plan_stage"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    stage: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    sent_back_note: Mapped[Optional[str]] = mapped_column(Text)
    submitted_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    approved_at: Mapped[Optional[dt.datetime]] = mapped_column(DateTime)
    approved_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_by_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("ab_user.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False, default=local_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    items: Mapped[list["InspectionPlanItem"]] = relationship(
        "InspectionPlanItem", cascade="all, delete-orphan", order_by="(InspectionPlanItem.month, InspectionPlanItem.id)")
    approved_by: Mapped[Optional[AppUser]] = relationship(AppUser, foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": version}


class InspectionPlanItem(Model):
    """A planned inspection: the agencies, content, form and the month planned; once approved the Office
    drafts its decision from it (`inspection_id`)."""

    __tablename__ = "inspection_plan_item"
    __table_args__ = (
        CheckConstraint("month BETWEEN 1 AND 12", name="ck_inspection_plan_item_month"),
        CheckConstraint("form IN ('regular', 'periodic')", name="ck_inspection_plan_item_form"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(Integer, ForeignKey("inspection_plan.id", ondelete="CASCADE"),
                                         nullable=False, index=True)
    content: Mapped[str] = mapped_column(Text, nullable=False)
    form: Mapped[str] = mapped_column(String(16), nullable=False)
    month: Mapped[int] = mapped_column(Integer, nullable=False)
    inspection_id: Mapped[Optional[int]] = mapped_column(Integer, ForeignKey("inspection.id"), unique=True)

    agencies: Mapped[list[Agency]] = relationship(Agency, secondary="inspection_plan_item_agency",
                                                  order_by=Agency.name)
    inspection: Mapped[Optional[Inspection]] = relationship(Inspection)


inspection_plan_item_agency = Table(
    "inspection_plan_item_agency",
    Model.metadata,
    Column("item_id", Integer, ForeignKey("inspection_plan_item.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", Integer, ForeignKey("agency.id"), primary_key=True),
)
