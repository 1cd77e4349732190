"""Issue 8 (h2-jobs): the fingerprint of an urging letter's files (finding 14).

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


def downgrade():
    with op.batch_alter_table("urging_letter") as batch:
        batch.drop_column("files_hash")
