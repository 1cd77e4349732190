"""Issue 8: the fingerprint of an urging letter's files (finding 14);
one-time form tokens (finding 15).

Revision ID: 0013
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("urging_letter") as batch:
        batch.add_column(sa.Column("files_hash", sa.String(64)))
    op.create_table(
        "form_token",
        sa.Column("token", sa.String(32), primary_key=True),
        sa.Column("form", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="CASCADE")),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("result_url", sa.String(255)),
    )
    op.create_index("ix_form_token_created", "form_token", ["created_at"])


def downgrade():
    op.drop_index("ix_form_token_created", "form_token")
    op.drop_table("form_token")
    with op.batch_alter_table("urging_letter") as batch:
        batch.drop_column("files_hash")
