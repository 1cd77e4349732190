"""A data version per agency, beside the global one (migration 0002), bumped by the
database in the same statement as every write to task or task_coordinating_agency
that touches a task the agency leads or coordinates (before or after the write).

The task list caches the exact count of a filtered search (text, deadline range,
tracking officer…) under the versions of the agencies its viewer sees (issue 10):
a write to one agency's task no longer invalidates every other agency's counts.
The Office's filtered counts stay under the global version (every task is its).

Rows are named 'task@<agency id>' in data_version. A missing row means "no write
has touched it since": readers then fall back to the global version. A new row
starts at the global version (just bumped by the same statement: the global
trigger's name sorts first), so a row deleted and created again never repeats a
value it had. TRUNCATE removes every agency row (readers fall back to the global).

PostgreSQL only (statement triggers with transition tables); on SQLite the list
keeps the global version for everything.

Revision ID: 0032
Revises: 0021
"""
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None

BUMP = """
    INSERT INTO data_version AS v (name, version)
    SELECT 'task@' || a, (SELECT version FROM data_version WHERE name = 'task')
    FROM ({agencies}) AS touched(a) WHERE a IS NOT NULL GROUP BY a ORDER BY a
    ON CONFLICT (name) DO UPDATE SET version = v.version + 1;
"""
# The agencies a changed task is seen by: its lead (old and new) and its coordinating agencies.
TASK_AGENCIES = {
    "insert": "SELECT lead_agency_id FROM new_rows"
              " UNION SELECT c.agency_id FROM task_coordinating_agency c JOIN new_rows n ON n.id = c.task_id",
    "update": "SELECT lead_agency_id FROM new_rows UNION SELECT lead_agency_id FROM old_rows"
              " UNION SELECT c.agency_id FROM task_coordinating_agency c JOIN new_rows n ON n.id = c.task_id",
    # The cascade to task_coordinating_agency bumps the coordinating agencies (its own trigger).
    "delete": "SELECT lead_agency_id FROM old_rows",
}
LINK_AGENCIES = {
    "insert": "SELECT agency_id FROM new_rows",
    "update": "SELECT agency_id FROM new_rows UNION SELECT agency_id FROM old_rows",
    "delete": "SELECT agency_id FROM old_rows",
}
REFERENCING = {"insert": "NEW TABLE AS new_rows", "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
               "delete": "OLD TABLE AS old_rows"}


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, agencies in (("task", TASK_AGENCIES), ("task_coordinating_agency", LINK_AGENCIES)):
        for event, select in agencies.items():
            op.execute(f"""
                CREATE FUNCTION {table}_bump_scope_{event}() RETURNS trigger AS $$
                BEGIN
                    {BUMP.format(agencies=select)}
                    RETURN NULL;
                END;
                $$ LANGUAGE plpgsql;
            """)
            # After the global trigger ({table}_bump_version sorts first): the new row's start value.
            op.execute(f"""
                CREATE TRIGGER {table}_bump_version_scope_{event}
                AFTER {event.upper()} ON {table} REFERENCING {REFERENCING[event]}
                FOR EACH STATEMENT EXECUTE FUNCTION {table}_bump_scope_{event}();
            """)
    op.execute("""
        CREATE FUNCTION task_scope_versions_forget() RETURNS trigger AS $$
        BEGIN
            DELETE FROM data_version WHERE name LIKE 'task@%';
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql;
    """)
    for table in ("task", "task_coordinating_agency"):
        op.execute(f"""
            CREATE TRIGGER {table}_bump_version_scope_truncate AFTER TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION task_scope_versions_forget();
        """)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in ("task", "task_coordinating_agency"):
        for event in ("insert", "update", "delete", "truncate"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_version_scope_{event} ON {table}")
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP FUNCTION IF EXISTS {table}_bump_scope_{event}()")
    op.execute("DROP FUNCTION IF EXISTS task_scope_versions_forget()")
    op.execute("DELETE FROM data_version WHERE name LIKE 'task@%'")
