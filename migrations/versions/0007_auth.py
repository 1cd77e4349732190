"""Failed sign-in attempts shared by all workers (login_failure); the per-user
session epoch that ends sessions and tokens at logout/password change.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failure",
        sa.Column("key", sa.String(320), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
    )


    with op.batch_alter_table("ab_user") as batch:
        batch.add_column(sa.Column("session_epoch", sa.Integer, nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("ab_user") as batch:
        batch.drop_column("session_epoch")
    op.drop_table("login_failure")
