"""The task's deadline on each of its coordinating rows, kept by the database, and an
index (agency_id, deadline, task_id): an agency's list pages its coordinating branch in
index order, as its lead branch walks task(lead_agency_id, deadline, id) (issue 10,
app.access.agency_branches). Without it that branch joins every coordinating row of the
agency to task and sorts them: the slowest statement at a million tasks.

The copy equals task.deadline at every moment, whoever writes (the app, a job, psql):
- PostgreSQL: BEFORE INSERT OR UPDATE OF task_id, deadline on the link sets it from the
  task, read FOR SHARE (a concurrent change of that deadline waits for this transaction,
  and its trigger then updates this row; or this waits for it and reads the new deadline);
  AFTER UPDATE OF deadline on task copies a changed deadline to its links.
- SQLite (no BEFORE trigger may change NEW): AFTER triggers do the same; the column stays
  nullable there (SQLite adds no NOT NULL column without a default), never NULL once a
  statement ends.
The link's data-version and tally triggers (migrations 0002, 0009, 0032) no longer count
that copy as a change of the link: the task's own triggers bump the versions and move the
tallies of a deadline change, in the same statement.

Revision ID: 0038
Revises: 0034
"""
from alembic import op

revision = "0038"
down_revision = "0034"
branch_labels = None
depends_on = None

INDEX = "ix_task_coordinating_agency_agency_deadline"

PG_FUNCTIONS = """
CREATE FUNCTION task_coordinating_agency_deadline() RETURNS trigger AS $$
BEGIN
    SELECT deadline INTO NEW.deadline FROM task WHERE id = NEW.task_id FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'task % does not exist', NEW.task_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION task_link_deadline() RETURNS trigger AS $$
BEGIN
    UPDATE task_coordinating_agency SET deadline = NEW.deadline WHERE task_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
PG_TASK_TRIGGER = """
CREATE TRIGGER task_link_deadline AFTER UPDATE OF deadline ON task FOR EACH ROW
    WHEN (OLD.deadline IS DISTINCT FROM NEW.deadline) EXECUTE FUNCTION task_link_deadline();
"""
PG_LINK_TRIGGER = """
CREATE TRIGGER task_coordinating_agency_deadline BEFORE INSERT OR UPDATE OF task_id, deadline
    ON task_coordinating_agency FOR EACH ROW EXECUTE FUNCTION task_coordinating_agency_deadline();
"""

# Migration 0032's bump of the agencies a link update touches (a statement trigger with
# transition tables: PostgreSQL allows it no column list), before and after this migration:
# after, only the rows whose task or agency changed count.
SCOPE_UPDATE = """
CREATE OR REPLACE FUNCTION task_coordinating_agency_bump_scope_update() RETURNS trigger AS $$
BEGIN
    INSERT INTO data_version AS v (name, version)
    SELECT 'task@' || a, (SELECT version FROM data_version WHERE name = 'task')
    FROM ({agencies}) AS touched(a) WHERE a IS NOT NULL GROUP BY a ORDER BY a
    ON CONFLICT (name) DO UPDATE SET version = v.version + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""
SCOPE_BEFORE = "SELECT agency_id FROM new_rows UNION SELECT agency_id FROM old_rows"
SCOPE_AFTER = ("SELECT agency_id FROM (SELECT task_id, agency_id FROM new_rows"
               " EXCEPT SELECT task_id, agency_id FROM old_rows) AS added"
               " UNION SELECT agency_id FROM (SELECT task_id, agency_id FROM old_rows"
               " EXCEPT SELECT task_id, agency_id FROM new_rows) AS removed")


def _pg_link_triggers(update_event: str) -> None:
    """Migration 0002's global bump and 0009's tally trigger on the link, for `update_event`."""
    op.execute("DROP TRIGGER task_coordinating_agency_bump_version ON task_coordinating_agency")
    op.execute(f"""CREATE TRIGGER task_coordinating_agency_bump_version
        AFTER INSERT OR {update_event} OR DELETE OR TRUNCATE ON task_coordinating_agency
        FOR EACH STATEMENT EXECUTE FUNCTION bump_task_version()""")
    op.execute("DROP TRIGGER task_coordinating_agency_tally ON task_coordinating_agency")
    op.execute(f"""CREATE TRIGGER task_coordinating_agency_tally
        AFTER INSERT OR {update_event} OR DELETE ON task_coordinating_agency
        FOR EACH ROW EXECUTE FUNCTION task_tally_on_link()""")


def _sqlite_link_bump(update_event: str) -> None:
    """Migration 0002's SQLite row trigger on a link update, for `update_event`."""
    op.execute("DROP TRIGGER IF EXISTS task_coordinating_agency_bump_version_update")
    op.execute(f"""CREATE TRIGGER task_coordinating_agency_bump_version_update
        AFTER {update_event} ON task_coordinating_agency
        BEGIN
            UPDATE data_version SET version = version + 1 WHERE name = 'task';
        END""")


SQLITE_FROM_TASK = ("UPDATE task_coordinating_agency SET deadline = (SELECT deadline FROM task WHERE id = NEW.task_id)"
                    " WHERE task_id = NEW.task_id AND agency_id = NEW.agency_id")
SQLITE_TRIGGERS = (
    f"""CREATE TRIGGER task_coordinating_agency_deadline_insert AFTER INSERT ON task_coordinating_agency
        BEGIN {SQLITE_FROM_TASK}; END""",
    f"""CREATE TRIGGER task_coordinating_agency_deadline_update AFTER UPDATE OF task_id, deadline
        ON task_coordinating_agency
        WHEN NEW.deadline IS NOT (SELECT deadline FROM task WHERE id = NEW.task_id)
        BEGIN {SQLITE_FROM_TASK}; END""",
    """CREATE TRIGGER task_link_deadline AFTER UPDATE OF deadline ON task
        WHEN OLD.deadline IS NOT NEW.deadline
        BEGIN UPDATE task_coordinating_agency SET deadline = NEW.deadline WHERE task_id = NEW.id; END""",
)
SQLITE_TRIGGER_NAMES = ("task_coordinating_agency_deadline_insert", "task_coordinating_agency_deadline_update",
                        "task_link_deadline")


def upgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute("ALTER TABLE task_coordinating_agency ADD COLUMN deadline DATE")
    if postgres:
        # No write to task from here to the commit (the triggers below take the same lock):
        # the copy cannot miss a deadline changed meanwhile.
        op.execute("LOCK TABLE task IN SHARE ROW EXCLUSIVE MODE")
        _pg_link_triggers("UPDATE OF task_id, agency_id")
        op.execute(SCOPE_UPDATE.format(agencies=SCOPE_AFTER))
        op.execute(PG_FUNCTIONS)
        op.execute(PG_TASK_TRIGGER)
        # One set-based statement; the link's triggers above ignore it (only deadline is set), and
        # its own comes after (it would lock every task row, one by one).
        op.execute("UPDATE task_coordinating_agency c SET deadline = t.deadline FROM task t WHERE t.id = c.task_id")
        op.execute(PG_LINK_TRIGGER)
        op.execute("ALTER TABLE task_coordinating_agency ALTER COLUMN deadline SET NOT NULL")
    else:
        _sqlite_link_bump("UPDATE OF task_id, agency_id")
        op.execute("UPDATE task_coordinating_agency"
                   " SET deadline = (SELECT deadline FROM task WHERE task.id = task_coordinating_agency.task_id)")
        for trigger in SQLITE_TRIGGERS:
            op.execute(trigger)
    op.create_index(INDEX, "task_coordinating_agency", ["agency_id", "deadline", "task_id"])


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_index(INDEX, table_name="task_coordinating_agency")
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS task_link_deadline ON task")
        op.execute("DROP TRIGGER IF EXISTS task_coordinating_agency_deadline ON task_coordinating_agency")
        op.execute("DROP FUNCTION IF EXISTS task_link_deadline()")
        op.execute("DROP FUNCTION IF EXISTS task_coordinating_agency_deadline()")
        op.execute(SCOPE_UPDATE.format(agencies=SCOPE_BEFORE))
        _pg_link_triggers("UPDATE")
    else:
        for name in SQLITE_TRIGGER_NAMES:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        _sqlite_link_bump("UPDATE")
    op.execute("ALTER TABLE task_coordinating_agency DROP COLUMN deadline")
