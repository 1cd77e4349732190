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

CREATE FUNCTION task_month_bump(p_agency integer, p_kind char, p_measure text, p_day date,
                                p_sign integer) RETURNS void AS $$
BEGIN
    IF p_day IS NULL THEN
        RETURN;
    END IF;
    INSERT INTO task_month_tally AS t (month, agency_id, kind, measure, n)
    VALUES (reporting_month(p_day), p_agency, p_kind, p_measure, p_sign)
    ON CONFLICT (month, agency_id, kind, measure) DO UPDATE SET n = t.n + EXCLUDED.n;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION task_tally_one(p_agency integer, p_kind char, p_status text, p_deadline date,
                               p_completed date, p_issued date, p_sign integer) RETURNS void AS $$
DECLARE
    v_on_time smallint := CASE WHEN p_status = 'completed' AND p_completed <= p_deadline THEN 1
                               WHEN p_status = 'completed' AND p_completed > p_deadline THEN 0
                               ELSE -1 END;
BEGIN
    INSERT INTO task_tally AS t (agency_id, kind, status, on_time, n)
    VALUES (p_agency, p_kind, p_status, v_on_time, p_sign)
    ON CONFLICT (agency_id, kind, status, on_time) DO UPDATE SET n = t.n + EXCLUDED.n;
    IF p_status IN {OPEN} THEN
        INSERT INTO task_open_deadline AS t (grain, day, agency_id, kind, n)
        VALUES ('d', p_deadline, p_agency, p_kind, p_sign),
               ('m', date_trunc('month', p_deadline)::date, p_agency, p_kind, p_sign)
        ON CONFLICT (grain, day, agency_id, kind) DO UPDATE SET n = t.n + EXCLUDED.n;
    END IF;
    -- The dashboard's trend: new tasks by their document's date, completed ones by completion date.
    IF p_status <> 'withdrawn' THEN
        PERFORM task_month_bump(p_agency, p_kind, 'new', p_issued, p_sign);
    END IF;
    IF v_on_time = 1 THEN
        PERFORM task_month_bump(p_agency, p_kind, 'on_time', p_completed, p_sign);
    ELSIF v_on_time = 0 THEN
        PERFORM task_month_bump(p_agency, p_kind, 'late', p_completed, p_sign);
    END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION task_tally_task(p_task integer, p_lead integer, p_status text, p_deadline date,
                                p_completed date, p_document integer, p_sign integer) RETURNS void AS $$
DECLARE
    v_issued date := (SELECT issued_on FROM document WHERE id = p_document);
BEGIN
    PERFORM task_tally_one(p_lead, 'L', p_status, p_deadline, p_completed, v_issued, p_sign);
    PERFORM task_tally_one(c.agency_id, 'C', p_status, p_deadline, p_completed, v_issued, p_sign)
    FROM task_coordinating_agency c WHERE c.task_id = p_task AND c.agency_id <> p_lead;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION task_tally_on_task() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM task_tally_task(OLD.id, OLD.lead_agency_id, OLD.status, OLD.deadline, OLD.completed_on,
                                OLD.document_id, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM task_tally_task(NEW.id, NEW.lead_agency_id, NEW.status, NEW.deadline, NEW.completed_on,
                                NEW.document_id, 1);
    END IF;
    IF TG_OP = 'DELETE' THEN
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
        SELECT task.lead_agency_id, task.status, task.deadline, task.completed_on, document.issued_on INTO t
        FROM task JOIN document ON document.id = task.document_id WHERE task.id = OLD.task_id;
        IF FOUND AND t.lead_agency_id <> OLD.agency_id THEN
            PERFORM task_tally_one(OLD.agency_id, 'C', t.status, t.deadline, t.completed_on, t.issued_on, -1);
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        SELECT task.lead_agency_id, task.status, task.deadline, task.completed_on, document.issued_on INTO t
        FROM task JOIN document ON document.id = task.document_id WHERE task.id = NEW.task_id;
        IF FOUND AND t.lead_agency_id <> NEW.agency_id THEN
            PERFORM task_tally_one(NEW.agency_id, 'C', t.status, t.deadline, t.completed_on, t.issued_on, 1);
        END IF;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A document's date moves the 'new' count of each of its tasks to another month.
CREATE FUNCTION task_tally_on_document() RETURNS trigger AS $$
BEGIN
    PERFORM task_month_bump(s.agency_id, s.kind, 'new', OLD.issued_on, -1),
            task_month_bump(s.agency_id, s.kind, 'new', NEW.issued_on, 1)
    FROM (SELECT t.lead_agency_id AS agency_id, 'L' AS kind FROM task t
          WHERE t.document_id = NEW.id AND t.status <> 'withdrawn'
          UNION ALL
          SELECT c.agency_id, 'C' FROM task t JOIN task_coordinating_agency c ON c.task_id = t.id
          WHERE t.document_id = NEW.id AND t.status <> 'withdrawn' AND c.agency_id <> t.lead_agency_id) s;
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
                         "task_tally_task(integer, integer, text, date, date, integer, integer)",
                         "task_tally_one(integer, char, text, date, date, date, integer)",
                         "task_month_bump(integer, char, text, date, integer)", "reporting_month(date)"):
            op.execute(f"DROP FUNCTION IF EXISTS {function}")
    for name, _columns, _status in INBOX_INDEXES:
        op.drop_index(name, table_name="task")
    op.drop_table("task_month_tally")
    op.drop_table("task_open_deadline")
    op.drop_table("task_tally")
