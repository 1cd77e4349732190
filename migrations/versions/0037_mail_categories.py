"""Mail preferences: three more groups a user chooses for — inspections, intake, direction
(app/domain/mail_preferences.py). Only the CHECK constraint on the category changes; nobody's
choice moves (the new groups start at their default, at once, as those kinds were mailed before).

SQLite cannot alter a constraint: the table is copied (batch mode) from its definition below.

Revision ID: 0037
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op

revision = "0037"
down_revision = "0035"
branch_labels = None
depends_on = None

OLD = ("task_events", "extensions", "deadline_reminders", "delay_reports", "urging_letters", "periodic_reports")
NEW = OLD + ("inspections", "intake", "direction")
DELIVERIES = ("immediate", "digest", "none")


def _in(values):
    return ", ".join(f"'{v}'" for v in values)


def _table(categories):
    return sa.Table(
        "mail_preference", sa.MetaData(),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("category", sa.String(32), primary_key=True),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.CheckConstraint(f"category IN ({_in(categories)})", name="ck_mail_preference_category"),
        sa.CheckConstraint(f"delivery IN ({_in(DELIVERIES)})", name="ck_mail_preference_delivery"),
    )


def _change(categories):
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("mail_preference", copy_from=_table(categories), recreate="always"):
            pass
        return
    op.drop_constraint("ck_mail_preference_category", "mail_preference", type_="check")
    op.create_check_constraint("ck_mail_preference_category", "mail_preference",
                               f"category IN ({_in(categories)})")


def upgrade():
    _change(NEW)


def downgrade():
    op.execute(sa.text(f"DELETE FROM mail_preference WHERE category NOT IN ({_in(OLD)})"))
    _change(OLD)
