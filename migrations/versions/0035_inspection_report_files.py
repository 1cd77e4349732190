"""Inspections (Chương V): the files of an inspected agency's report (Art. 16.3 — the records and
documents the Working Group asks for), with their size and SHA-256 so a file always matches its
record; and what a request for documents asks for (`inspection_step.documents`).

Revision ID: 0035
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = "0035"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "inspection_report_file",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("inspection_id", sa.Integer, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False, unique=True),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("uploaded_on", sa.DateTime, nullable=False),
        sa.ForeignKeyConstraint(["inspection_id", "agency_id"],
                                ["inspection_agency_report.inspection_id", "inspection_agency_report.agency_id"],
                                name="fk_inspection_report_file_report"),
    )
    op.create_index("ix_inspection_report_file_report", "inspection_report_file",
                    ["inspection_id", "agency_id", "id"])
    with op.batch_alter_table("inspection_step") as batch:
        batch.add_column(sa.Column("documents", sa.Text, nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("inspection_step") as batch:
        batch.drop_column("documents")
    op.drop_index("ix_inspection_report_file_report", table_name="inspection_report_file")
    op.drop_table("inspection_report_file")
