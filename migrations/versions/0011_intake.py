"""Intake (issue 12): incoming documents from the document system (edXML), their files and
later messages; the agencies' electronic organisation codes.

Revision ID: 0011
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("agency") as batch:
        batch.add_column(sa.Column("edxml_code", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_agency_edxml_code", ["edxml_code"])

    op.create_table(
        "incoming_document",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("document_key", sa.String(64), unique=True),
        sa.Column("identity_key", sa.String(64), nullable=False, unique=True),
        sa.Column("edxml_document_id", sa.String(255)),
        sa.Column("sender_code", sa.String(64)),
        sa.Column("number", sa.String(64), nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("doc_type", sa.String(32)),
        sa.Column("type_code", sa.String(32)),
        sa.Column("type_name", sa.String(128)),
        sa.Column("summary", sa.Text),
        sa.Column("content", sa.Text),
        sa.Column("signer", sa.String(128)),
        sa.Column("signer_position", sa.String(128)),
        sa.Column("signer_competence", sa.String(128)),
        sa.Column("issuer", sa.String(32)),
        sa.Column("issuer_name", sa.String(255)),
        sa.Column("received_on", sa.Date),
        sa.Column("urgency", sa.String(32)),
        sa.Column("priority", sa.Integer),
        sa.Column("due_on", sa.Date),
        sa.Column("recipients", sa.Text),
        sa.Column("entry_due_on", sa.Date),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("received_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("document.id"), unique=True),
        sa.Column("registered_at", sa.DateTime),
        sa.Column("registered_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("dismissed_reason", sa.Text),
        sa.Column("dismissed_at", sa.DateTime),
        sa.Column("dismissed_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.Column("version", sa.Integer, nullable=False),
        sa.CheckConstraint("status IN ('pending', 'registered', 'dismissed')", name="ck_incoming_status"),
    )
    op.create_index("ix_incoming_status_received", "incoming_document", ["status", "received_at", "id"])
    op.create_table(
        "incoming_message",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incoming_id", sa.Integer, sa.ForeignKey("incoming_document.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("message_key", sa.String(64), nullable=False, unique=True),
        sa.Column("changes", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("received_at", sa.DateTime, nullable=False),
        sa.Column("decided_at", sa.DateTime),
        sa.Column("decided_by_id", sa.Integer, sa.ForeignKey("ab_user.id")),
        sa.CheckConstraint("kind IN ('revoke', 'update', 'replace')", name="ck_incoming_message_kind"),
        sa.CheckConstraint("status IN ('pending', 'applied', 'ignored')", name="ck_incoming_message_status"),
    )
    op.create_index("ix_incoming_message_incoming_id", "incoming_message", ["incoming_id"])
    op.create_table(
        "incoming_attachment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("incoming_id", sa.Integer, sa.ForeignKey("incoming_document.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("stored_name", sa.String(64), nullable=False, unique=True),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("message_id", sa.Integer, sa.ForeignKey("incoming_message.id", ondelete="CASCADE")),
    )
    op.create_index("ix_incoming_attachment_incoming_id", "incoming_attachment", ["incoming_id"])
    op.create_index("ix_incoming_attachment_message_id", "incoming_attachment", ["message_id"])


def downgrade():
    op.drop_table("incoming_attachment")
    op.drop_table("incoming_message")
    op.drop_index("ix_incoming_status_received", table_name="incoming_document")
    op.drop_table("incoming_document")
    with op.batch_alter_table("agency") as batch:
        batch.drop_constraint("uq_agency_edxml_code", type_="unique")
        batch.drop_column("edxml_code")
