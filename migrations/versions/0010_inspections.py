"""Inspections (Chương V, Art. 13–17): inspection, inspected agencies, Working Group,
findings, the group's steps (plan, invitations, requests), the inspected agencies' reports.

Revision ID: 0010
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inspection",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("conducted_by", sa.String(16), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id")),
        sa.Column("legal_basis", sa.Text, nullable=False),
        sa.Column("scope", sa.Text, nullable=False),
        sa.Column("tasks", sa.Text, nullable=False),
        sa.Column("content_implementation", sa.Boolean, nullable=False),
        sa.Column("content_updating", sa.Boolean, nullable=False),
        sa.Column("content_reporting", sa.Boolean, nullable=False),
        sa.Column("content_text", sa.Text, nullable=False),
        sa.Column("form", sa.String(16), nullable=False),
        sa.Column("start_on", sa.Date, nullable=False),
        sa.Column("end_on", sa.Date, nullable=False),
        sa.Column("report_due_on", sa.Date, nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("sent_back_note", sa.Text),
        sa.Column("number", sa.String(64), unique=True),
        sa.Column("issued_on", sa.Date),
        sa.Column("issued_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("report_body", sa.Text),
        sa.Column("report_number", sa.String(64)),
        sa.Column("report_submitted_on", sa.Date),
        sa.Column("report_submitted_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("conducted_by IN ('office', 'agency')", name="ck_inspection_conducted_by"),
        sa.CheckConstraint("form IN ('regular', 'periodic', 'ad_hoc')", name="ck_inspection_form"),
        sa.CheckConstraint("stage IN ('draft', 'issued', 'reported')", name="ck_inspection_stage"),
        sa.CheckConstraint("end_on >= start_on", name="ck_inspection_dates"),
    )
    op.create_index("ix_inspection_stage_due", "inspection", ["stage", "report_due_on"])
    op.create_index("ix_inspection_agency", "inspection", ["agency_id", "id"])
    op.create_table(
        "inspection_agency",
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), primary_key=True),
    )
    op.create_index("ix_inspection_agency_agency", "inspection_agency", ["agency_id", "inspection_id"])
    op.create_table(
        "inspection_member",
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ab_user.id"), primary_key=True),
        sa.Column("leader", sa.Boolean, nullable=False),
    )
    op.create_index("ix_inspection_member_user", "inspection_member", ["user_id", "inspection_id"])
    op.create_table(
        "inspection_finding",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("task.id")),
        sa.Column("assessment", sa.Text, nullable=False),
        sa.Column("conclusion", sa.Text, nullable=False),
        sa.Column("recommendations", sa.Text, nullable=False),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_inspection_finding_inspection", "inspection_finding", ["inspection_id", "agency_id", "id"])
    op.create_table(
        "inspection_step",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("on_date", sa.Date),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("kind IN ('plan', 'invitation', 'request')", name="ck_inspection_step_kind"),
    )
    op.create_index("ix_inspection_step_inspection", "inspection_step", ["inspection_id", "kind", "id"])
    op.create_table(
        "inspection_agency_report",
        sa.Column("inspection_id", sa.Integer, sa.ForeignKey("inspection.id"), primary_key=True),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("explanations", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("submitted_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name="ck_inspection_agency_report_status"),
    )


def downgrade():
    op.drop_table("inspection_agency_report")
    op.drop_index("ix_inspection_step_inspection", "inspection_step")
    op.drop_table("inspection_step")
    op.drop_index("ix_inspection_finding_inspection", "inspection_finding")
    op.drop_table("inspection_finding")
    op.drop_index("ix_inspection_member_user", "inspection_member")
    op.drop_table("inspection_member")
    op.drop_index("ix_inspection_agency_agency", "inspection_agency")
    op.drop_table("inspection_agency")
    op.drop_index("ix_inspection_agency", "inspection")
    op.drop_index("ix_inspection_stage_due", "inspection")
    op.drop_table("inspection")
