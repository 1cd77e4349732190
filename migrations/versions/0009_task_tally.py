"""The dashboard's tallies, kept by the database in the same transaction as
every write to task or task_coordinating_agency (issue 10).

task_tally: per agency that sees the task — as lead ('L') or only as a
coordinating agency ('C') — status and completion (on_time 1 completed by the
deadline, 0 completed late, -1 anything else): a count. The Office's numbers
are the 'L' rows of every agency, an agency's are its 'L' and 'C' rows (a task
it leads and coordinates counts once, as 'L').

task_open_deadline: the same for the open tasks (SPEC §4.5: sent, not closed),
by deadline day (grain 'd') and by deadline month (grain 'm'): overdue, due soon
and in time depend on today's date, so the dashboard sums the months before
this one and the days from the first of this month up to the end of the due-soon
window — a few thousand rows, whatever the number of tasks.

task_month_tally: the dashboard's trend per reporting month (Art. 20.1: the 15th
to the 14th): new tasks (not withdrawn) by their document's date, completed ones
on time and late by completion date.

PostgreSQL: row triggers (AFTER INSERT/UPDATE, BEFORE DELETE on task — the
cascade to task_coordinating_agency runs after it — and AFTER on
task_coordinating_agency). SQLite has no tallies: the dashboard counts the task
table there (app.services.task_tally.available()).

Revision ID: 0009
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None

OPEN = "('assigned', 'in_progress', 'returned', 'reported')"

FUNCTIONS = f"""
-- The reporting month of a day (Art. 20.1, app.domain.periods): from the 15th on, the next month's;
-- as the first day of that month.
CREATE FUNCTION reporting_month(p_day date) RETURNS date AS $$
    SELECT (date_trunc('month', p_day - 14) + interval '1 month')::date
$$ LANGUAGE sql IMMUTABLE;

-- One change of one task, as the tallies see it: its old side counted out (o_lead NULL: none),
-- its new side counted in (n_lead NULL: none), for its lead ('L') and for its coordinating agencies
-- ('C'; p_only: that one agency only, when a coordinating row alone changes). The deltas are summed
-- per key and applied in key order, so two writers lock the rows they share in the same order
-- (no deadlock between, say, one task reported and another returned at once).
CREATE FUNCTION task_tally_apply(p_task integer, p_only integer,
        o_lead integer, o_status text, o_deadline date, o_completed date, o_document integer,
        n_lead integer, n_status text, n_deadline date, n_completed date, n_document integer)
RETURNS void AS $$
WITH sides AS (
    SELECT -1 AS d, o_lead AS lead, o_status AS status, o_deadline AS deadline, o_completed AS completed,
           (SELECT issued_on FROM document WHERE id = o_document) AS issued
    WHERE o_lead IS NOT NULL
    UNION ALL
    SELECT 1, n_lead, n_status, n_deadline, n_completed, (SELECT issued_on FROM document WHERE id = n_document)
    WHERE n_lead IS NOT NULL
), seen AS (
    SELECT s.*, s.lead AS agency_id, 'L' AS kind FROM sides s WHERE p_only IS NULL
    UNION ALL
    SELECT s.*, c.agency_id, 'C' FROM sides s JOIN task_coordinating_agency c ON c.task_id = p_task
    WHERE p_only IS NULL AND c.agency_id <> s.lead
    UNION ALL
    SELECT s.*, p_only, 'C' FROM sides s WHERE p_only IS NOT NULL AND p_only <> s.lead
), flagged AS (
    SELECT seen.*, CASE WHEN status = 'completed' AND completed <= deadline THEN 1
                        WHEN status = 'completed' AND completed > deadline THEN 0 ELSE -1 END AS on_time
    FROM seen
), tally AS (
    INSERT INTO task_tally AS t (agency_id, kind, status, on_time, n)
    SELECT agency_id, kind, status, on_time, SUM(d) FROM flagged
    GROUP BY 1, 2, 3, 4 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (agency_id, kind, status, on_time) DO UPDATE SET n = t.n + EXCLUDED.n
    RETURNING 1
), open_deadline AS (
    INSERT INTO task_open_deadline AS t (grain, day, agency_id, kind, n)
    SELECT grain, day, agency_id, kind, SUM(d) FROM (
        SELECT 'd' AS grain, deadline AS day, agency_id, kind, d FROM flagged WHERE status IN {OPEN}
        UNION ALL
        SELECT 'm', date_trunc('month', deadline)::date, agency_id, kind, d FROM flagged WHERE status IN {OPEN}
    ) x GROUP BY 1, 2, 3, 4 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (grain, day, agency_id, kind) DO UPDATE SET n = t.n + EXCLUDED.n
    RETURNING 1
), months AS (
    -- The dashboard's trend: new tasks by their document's date, completed ones by completion date.
    INSERT INTO task_month_tally AS t (month, agency_id, kind, measure, n)
    SELECT month, agency_id, kind, measure, SUM(d) FROM (
        SELECT reporting_month(issued) AS month, agency_id, kind, 'new' AS measure, d FROM flagged
        WHERE status <> 'withdrawn' AND issued IS NOT NULL
        UNION ALL
        SELECT reporting_month(completed), agency_id, kind, CASE WHEN on_time = 1 THEN 'on_time' ELSE 'late' END, d
        FROM flagged WHERE on_time >= 0
    ) x GROUP BY 1, 2, 3, 4 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (month, agency_id, kind, measure) DO UPDATE SET n = t.n + EXCLUDED.n
    RETURNING 1
)
SELECT (SELECT COUNT(*) FROM tally) + (SELECT COUNT(*) FROM open_deadline) + (SELECT COUNT(*) FROM months)
$$ LANGUAGE sql;

CREATE FUNCTION task_tally_on_task() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM task_tally_apply(NEW.id, NULL, NULL, NULL, NULL, NULL, NULL,
                                 NEW.lead_agency_id, NEW.status, NEW.deadline, NEW.completed_on, NEW.document_id);
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM task_tally_apply(NEW.id, NULL,
                                 OLD.lead_agency_id, OLD.status, OLD.deadline, OLD.completed_on, OLD.document_id,
                                 NEW.lead_agency_id, NEW.status, NEW.deadline, NEW.completed_on, NEW.document_id);
    ELSE
        PERFORM task_tally_apply(OLD.id, NULL,
                                 OLD.lead_agency_id, OLD.status, OLD.deadline, OLD.completed_on, OLD.document_id,
                                 NULL, NULL, NULL, NULL, NULL);
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION task_tally_on_link() RETURNS trigger AS $$
DECLARE
    t record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- Not found: the task itself is being deleted, its BEFORE DELETE trigger counted it out.
        SELECT * INTO t FROM task WHERE id = OLD.task_id;
        IF FOUND THEN
            PERFORM task_tally_apply(OLD.task_id, OLD.agency_id,
                                     t.lead_agency_id, t.status, t.deadline, t.completed_on, t.document_id,
                                     NULL, NULL, NULL, NULL, NULL);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT * INTO t FROM task WHERE id = NEW.task_id;
        IF FOUND THEN
            PERFORM task_tally_apply(NEW.task_id, NEW.agency_id, NULL, NULL, NULL, NULL, NULL,
                                     t.lead_agency_id, t.status, t.deadline, t.completed_on, t.document_id);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A document's date moves the 'new' count of each of its tasks to another month.
CREATE FUNCTION task_tally_on_document() RETURNS trigger AS $$
BEGIN
    INSERT INTO task_month_tally AS m (month, agency_id, kind, measure, n)
    SELECT month, agency_id, kind, 'new', SUM(d) FROM (
        SELECT reporting_month(x.day) AS month, s.agency_id, s.kind, x.d
        FROM (SELECT t.lead_agency_id AS agency_id, 'L' AS kind FROM task t
              WHERE t.document_id = NEW.id AND t.status <> 'withdrawn'
              UNION ALL
              SELECT c.agency_id, 'C' FROM task t JOIN task_coordinating_agency c ON c.task_id = t.id
              WHERE t.document_id = NEW.id AND t.status <> 'withdrawn' AND c.agency_id <> t.lead_agency_id) s
        CROSS JOIN (VALUES (OLD.issued_on, -1), (NEW.issued_on, 1)) AS x(day, d)
    ) y GROUP BY 1, 2, 3 HAVING SUM(d) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (month, agency_id, kind, measure) DO UPDATE SET n = m.n + EXCLUDED.n;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION task_tally_truncate() RETURNS trigger AS $$
BEGIN
    DELETE FROM task_tally;
    DELETE FROM task_open_deadline;
    DELETE FROM task_month_tally;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
"""

TRIGGERS = """
CREATE TRIGGER task_tally_insert AFTER INSERT ON task FOR EACH ROW EXECUTE FUNCTION task_tally_on_task();
CREATE TRIGGER task_tally_update AFTER UPDATE ON task FOR EACH ROW
    WHEN ((OLD.lead_agency_id, OLD.status, OLD.deadline, OLD.completed_on, OLD.document_id)
          IS DISTINCT FROM (NEW.lead_agency_id, NEW.status, NEW.deadline, NEW.completed_on, NEW.document_id))
    EXECUTE FUNCTION task_tally_on_task();
CREATE TRIGGER task_tally_delete BEFORE DELETE ON task FOR EACH ROW EXECUTE FUNCTION task_tally_on_task();
CREATE TRIGGER task_tally_truncate AFTER TRUNCATE ON task FOR EACH STATEMENT EXECUTE FUNCTION task_tally_truncate();
CREATE TRIGGER task_coordinating_agency_tally AFTER INSERT OR UPDATE OR DELETE ON task_coordinating_agency
    FOR EACH ROW EXECUTE FUNCTION task_tally_on_link();
CREATE TRIGGER document_tally AFTER UPDATE ON document FOR EACH ROW
    WHEN (OLD.issued_on IS DISTINCT FROM NEW.issued_on) EXECUTE FUNCTION task_tally_on_document();
"""

# The same numbers from scratch, set-based: the first fill, and after a bulk load
# with the triggers off (scripts/bench_seed.py; app.services.task_tally.rebuild).
REBUILD = f"""
DELETE FROM task_tally;
DELETE FROM task_open_deadline;
DELETE FROM task_month_tally;
WITH seen AS (
    SELECT lead_agency_id AS agency_id, 'L' AS kind, status, deadline, completed_on FROM task
    UNION ALL
    SELECT c.agency_id, 'C', t.status, t.deadline, t.completed_on
    FROM task_coordinating_agency c JOIN task t ON t.id = c.task_id WHERE c.agency_id <> t.lead_agency_id
)
INSERT INTO task_tally (agency_id, kind, status, on_time, n)
SELECT agency_id, kind, status,
       CASE WHEN status = 'completed' AND completed_on <= deadline THEN 1
            WHEN status = 'completed' AND completed_on > deadline THEN 0 ELSE -1 END AS on_time,
       COUNT(*)
FROM seen GROUP BY 1, 2, 3, 4;
WITH seen AS (
    SELECT lead_agency_id AS agency_id, 'L' AS kind, deadline FROM task WHERE status IN {OPEN}
    UNION ALL
    SELECT c.agency_id, 'C', t.deadline
    FROM task_coordinating_agency c JOIN task t ON t.id = c.task_id
    WHERE c.agency_id <> t.lead_agency_id AND t.status IN {OPEN}
)
INSERT INTO task_open_deadline (grain, day, agency_id, kind, n)
SELECT 'd', deadline, agency_id, kind, COUNT(*) FROM seen GROUP BY 2, 3, 4
UNION ALL
SELECT 'm', date_trunc('month', deadline)::date, agency_id, kind, COUNT(*) FROM seen GROUP BY 2, 3, 4;
WITH seen AS (
    SELECT t.lead_agency_id AS agency_id, 'L' AS kind, t.status, t.deadline, t.completed_on, d.issued_on
    FROM task t JOIN document d ON d.id = t.document_id
    UNION ALL
    SELECT c.agency_id, 'C', t.status, t.deadline, t.completed_on, d.issued_on
    FROM task_coordinating_agency c JOIN task t ON t.id = c.task_id JOIN document d ON d.id = t.document_id
    WHERE c.agency_id <> t.lead_agency_id
)
INSERT INTO task_month_tally (month, agency_id, kind, measure, n)
SELECT reporting_month(issued_on), agency_id, kind, 'new', COUNT(*) FROM seen
WHERE status <> 'withdrawn' GROUP BY 1, 2, 3
UNION ALL
SELECT reporting_month(completed_on), agency_id, kind,
       CASE WHEN completed_on <= deadline THEN 'on_time' ELSE 'late' END, COUNT(*) FROM seen
WHERE status = 'completed' AND completed_on IS NOT NULL GROUP BY 1, 2, 3, 4;
"""

INBOX_INDEXES = (
    ("ix_task_reported_submitted", ["result_submitted_at", "id"], "reported"),
    ("ix_task_draft_created", ["created_on", "id"], "draft"),
    ("ix_task_assigned_lead_sent", ["lead_agency_id", "sent_at", "id"], "assigned"),
    ("ix_task_in_progress_lead_deadline", ["lead_agency_id", "deadline", "id"], "in_progress"),
)


def upgrade():
    op.create_table(
        "task_tally",
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(1), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("on_time", sa.SmallInteger, nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("agency_id", "kind", "status", "on_time"),
    )
    op.create_table(
        "task_open_deadline",
        sa.Column("grain", sa.String(1), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(1), nullable=False),
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("grain", "day", "agency_id", "kind"),
    )
    op.create_table(
        "task_month_tally",
        sa.Column("month", sa.Date, nullable=False),  # the first day of the reporting month (Art. 20.1)
        sa.Column("agency_id", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(1), nullable=False),
        sa.Column("measure", sa.String(8), nullable=False),  # new, on_time, late
        sa.Column("n", sa.BigInteger, nullable=False),
        sa.PrimaryKeyConstraint("month", "agency_id", "kind", "measure"),
    )
    # The inbox's "oldest first" of each section (app.services.inbox), without sorting a status.
    # Partial: only the rows of that status are indexed (and maintained).
    for name, columns, status in INBOX_INDEXES:
        where = sa.text(f"status = '{status}'")
        op.create_index(name, "task", columns, postgresql_where=where, sqlite_where=where)
    # The Office's list of one status, by deadline then id: no walk through the other statuses' deadlines.
    op.create_index("ix_task_status_deadline_id", "task", ["status", "deadline", "id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(FUNCTIONS)
        op.execute(TRIGGERS)
        op.execute(REBUILD)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in (("task_tally_insert", "task"), ("task_tally_update", "task"), ("task_tally_delete", "task"),
                               ("task_tally_truncate", "task"),
                               ("task_coordinating_agency_tally", "task_coordinating_agency"),
                               ("document_tally", "document")):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        for function in ("task_tally_on_document()", "task_tally_on_link()", "task_tally_on_task()",
                         "task_tally_truncate()",
                         "task_tally_apply(integer, integer, integer, text, date, date, integer,"
                         " integer, text, date, date, integer)", "reporting_month(date)"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    op.drop_index("ix_task_status_deadline_id", table_name="task")
    for name, _columns, _status in INBOX_INDEXES:
        op.drop_index(name, table_name="task")
    op.drop_table("task_month_tally")
    op.drop_table("task_open_deadline")
    op.drop_table("task_tally")
