"""Mail preferences per kind of notification (at once, daily digest, none) and
the log of grouped mails (one digest per user per day). Users who had chosen
the old single "daily digest" flag get the digest for every kind.

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

CATEGORIES = ("task_events", "extensions", "deadline_reminders", "delay_reports", "urging_letters",
              "periodic_reports")
DELIVERIES = ("immediate", "digest", "none")


def _in(values):
    return ", ".join(f"'{v}'" for v in values)


def upgrade():
    op.create_table(
        "mail_preference",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("category", sa.String(32), primary_key=True),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.CheckConstraint(f"category IN ({_in(CATEGORIES)})", name="ck_mail_preference_category"),
        sa.CheckConstraint(f"delivery IN ({_in(DELIVERIES)})", name="ck_mail_preference_delivery"),
    )
    op.create_table(
        "mail_digest_log",
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("day", sa.Date, primary_key=True),
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("sent_at", sa.DateTime, nullable=False),
    )
    for category in CATEGORIES:
        if category != "deadline_reminders":  # already in the digest by default
            op.execute(sa.text(
                "INSERT INTO mail_preference (user_id, category, delivery) "
                f"SELECT id, '{category}', 'digest' FROM ab_user WHERE mail_digest"))
    with op.batch_alter_table("ab_user") as batch:
        batch.drop_column("mail_digest")


def downgrade():
    with op.batch_alter_table("ab_user") as batch:
        batch.add_column(sa.Column("mail_digest", sa.Boolean(), server_default=sa.text("(false)"), nullable=False))
    op.execute(sa.text("UPDATE ab_user SET mail_digest = (EXISTS (SELECT 1 FROM mail_preference p "
                       "WHERE p.user_id = ab_user.id AND p.category = 'task_events' AND p.delivery = 'digest'))"))
    op.drop_table("mail_digest_log")
    op.drop_table("mail_preference")
