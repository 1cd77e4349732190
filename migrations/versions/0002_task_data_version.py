"""A version number of the task tables, bumped by the database on every write.

The task list caches its exact counts per filter under this number
(app.services.task_list), so a count is reused until a task or a coordinating
row changes by any path (the app, a job's set-based UPDATE, a bulk insert, psql).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("task", "task_coordinating_agency")


def upgrade():
    op.create_table(
        "data_version",
        sa.Column("name", sa.String(32), primary_key=True),
        sa.Column("version", sa.BigInteger, nullable=False),
    )
    op.execute("INSERT INTO data_version (name, version) VALUES ('task', 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION bump_task_version() RETURNS trigger AS $$
            BEGIN
                UPDATE data_version SET version = version + 1 WHERE name = 'task';
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
        """)
        for table in TABLES:
            # Once per statement: a bulk insert of a million rows bumps it once.
            op.execute(f"""
                CREATE TRIGGER {table}_bump_version
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION bump_task_version();
            """)
    else:  # SQLite: row triggers only
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
        op.execute("DROP FUNCTION IF EXISTS bump_task_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_version_{event}")
    op.drop_table("data_version")
