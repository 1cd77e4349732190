"""The dashboard is cached under the data version (migration 0002) with everything it
shows (issue 10): besides the tasks, their coordinating agencies and the inbox's tables
(migration 0006), its numbers depend on a document's date (the trend's new tasks,
migration 0009 moves them between months) and its agency table shows the agencies'
names. A write to either now bumps the same version, whoever writes (the app, psql), so
a cached dashboard is never stale and nothing else has to remember to forget it.

Revision ID: 0031
Revises: 0021
"""
from alembic import op

revision = "0031"
down_revision = "0037"
branch_labels = None
depends_on = None

# (trigger, table, PostgreSQL events, SQLite events)
TRIGGERS = (
    ("document_date_bump_version", "document", "UPDATE OF issued_on", ("UPDATE OF issued_on",)),
    ("agency_bump_version", "agency", "INSERT OR UPDATE OR DELETE OR TRUNCATE", ("INSERT", "UPDATE", "DELETE")),
)


def _sqlite_name(trigger, event):
    return f"{trigger}_{event.split()[0].lower()}"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table, events, _sqlite in TRIGGERS:
            # Once per statement, as in 0002: bump_task_version() is that migration's.
            op.execute(f"CREATE TRIGGER {trigger} AFTER {events} ON {table}"
                       " FOR EACH STATEMENT EXECUTE FUNCTION bump_task_version()")
    else:
        for trigger, table, _events, sqlite_events in TRIGGERS:
            for event in sqlite_events:
                op.execute(f"""
                    CREATE TRIGGER {_sqlite_name(trigger, event)} AFTER {event} ON {table}
                    BEGIN
                        UPDATE data_version SET version = version + 1 WHERE name = 'task';
                    END;
                """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table, _events, _sqlite in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
    else:
        for trigger, _table, _events, sqlite_events in TRIGGERS:
            for event in sqlite_events:
                op.execute(f"DROP TRIGGER IF EXISTS {_sqlite_name(trigger, event)}")
