"""Asking for direction (issue 13): ad-hoc report requests and answers, difficulties
and disagreements, proposals to the Chairman with a direction per task, their files.

Revision ID: 0012
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "report_request",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("sent_on", sa.Date, nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("due_working_days", sa.Integer),
        sa.Column("requested_by_chairman", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("scope IN ('chosen', 'all', 'communes', 'departments')", name="ck_report_request_scope"),
    )
    op.create_index("ix_report_request_created", "report_request", ["created_at"])
    op.create_table(
        "report_request_task",
        sa.Column("request_id", sa.Integer, sa.ForeignKey("report_request.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("task.id"), primary_key=True),
    )
    op.create_table(
        "report_answer",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("report_request.id"), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id"), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("body", sa.Text),
        sa.Column("drafted_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("drafted_at", sa.DateTime),
        sa.Column("submitted_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("late", sa.Boolean),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("request_id", "agency_id", name="uq_report_answer_request_agency"),
        sa.CheckConstraint("status IN ('pending', 'draft', 'submitted')", name="ck_report_answer_status"),
    )
    op.create_index("ix_report_answer_agency", "report_answer", ["agency_id", "request_id"])
    op.create_index("ix_report_answer_status_due", "report_answer", ["status", "due_on"])
    op.create_table(
        "proposal",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("submitted_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("submitted_at", sa.DateTime),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("status IN ('draft', 'submitted', 'decided')", name="ck_proposal_status"),
        sa.CheckConstraint("reason IN ('overdue', 'not_meeting', 'difficulty', 'disagreement', 'short_time', "
                           "'other')", name="ck_proposal_reason"),
    )
    op.create_index("ix_proposal_status_submitted", "proposal", ["status", "submitted_at", "id"])
    op.create_table(
        "proposal_task",
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposal.id"), primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("task.id"), primary_key=True),
        sa.Column("decision", sa.String(16)),
        sa.Column("deadline", sa.Date),
        sa.Column("lead_agency_id", sa.Integer, sa.ForeignKey("agency.id")),
        sa.Column("comment", sa.Text),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("carried_out_at", sa.DateTime),
        sa.Column("carried_out_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.CheckConstraint("decision IS NULL OR decision IN ('urge', 'extend', 'transfer', 'withdraw', 'other')",
                           name="ck_proposal_task_decision"),
    )
    op.create_index("ix_proposal_task_task", "proposal_task", ["task_id", "proposal_id"])
    op.create_table(
        "task_issue",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("task.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agency.id")),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("proposal_text", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("answer", sa.Text),
        sa.Column("handled_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("handled_at", sa.DateTime),
        sa.Column("proposal_id", sa.Integer, sa.ForeignKey("proposal.id")),
        sa.Column("created_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.CheckConstraint("kind IN ('difficulty', 'disagreement')", name="ck_task_issue_kind"),
        sa.CheckConstraint("status IN ('open', 'answered', 'proposed')", name="ck_task_issue_status"),
    )
    op.create_index("ix_task_issue_task", "task_issue", ["task_id", "id"])
    op.create_index("ix_task_issue_status", "task_issue", ["status", "id"])
    op.create_table(
        "direction_file",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("report_request.id"), index=True),
        sa.Column("answer_id", sa.Integer, sa.ForeignKey("report_answer.id"), index=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False, unique=True),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("uploaded_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("uploaded_on", sa.DateTime, nullable=False),
        sa.CheckConstraint("(request_id IS NOT NULL) <> (answer_id IS NOT NULL)", name="ck_direction_file_owner"),
    )
    # The ladder reads the reminders sent on a page of overdue tasks.
    op.create_index("ix_notification_task_kind", "notification", ["task_id", "kind", "day"])


def downgrade():
    op.drop_index("ix_notification_task_kind", table_name="notification")
    op.drop_table("direction_file")
    op.drop_table("task_issue")
    op.drop_table("proposal_task")
    op.drop_table("proposal")
    op.drop_table("report_answer")
    op.drop_table("report_request_task")
    op.drop_table("report_request")
