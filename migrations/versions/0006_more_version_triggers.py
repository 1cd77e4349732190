"""The dashboard's inbox also depends on extension requests, updates, feedback
and delay reports: writes to them bump the same data version (migration 0002),
so the dashboard can cache its numbers with a correct invalidation. Also an
index for the dashboard's completed-per-month trend.

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("extension_request", "task_update", "feedback", "delay_report")


def upgrade():
    op.create_index("ix_task_completed_on", "task", ["completed_on"])
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"""
                CREATE TRIGGER {table}_bump_version
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION bump_task_version();
            """)
    else:
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"""
                    CREATE TRIGGER {table}_bump_version_{event.lower()} AFTER {event} ON {table}
                    BEGIN
                        UPDATE data_version SET version = version + 1 WHERE name = 'task';
                    END;
                """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_version ON {table}")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_version_{event}")
    op.drop_index("ix_task_completed_on", table_name="task")
