"""A version of the directory — agencies, and users' names, agency and active flag —
bumped by the database in the same transaction as every write to them, whoever writes
(the app, the admin screens, psql), so a worker may keep a rendered fragment that shows
agency or user names (the task list's search form: its agencies and the Office's
officers, app/page_cache.py) exactly as long as it is current (issue 10).

A sign-in writes ab_user too (last_login, login_count): only a change of the columns
shown bumps the version, so signing in does not empty every worker's caches.

Revision ID: 0039
Revises: 0034
"""
from alembic import op

revision = "0039"
down_revision = "0040"
branch_labels = None
depends_on = None

BUMP = "UPDATE data_version SET version = version + 1 WHERE name = 'directory';"
USER_COLUMNS = ("first_name", "last_name", "username", "active", "agency_id")


def upgrade():
    op.execute("INSERT INTO data_version (name, version) VALUES ('directory', 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION bump_directory_version() RETURNS trigger AS $$
            BEGIN
                {BUMP}
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
        """)
        op.execute("""
            CREATE TRIGGER agency_bump_directory AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agency
            FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
        """)
        op.execute("""
            CREATE TRIGGER ab_user_bump_directory AFTER INSERT OR DELETE OR TRUNCATE ON ab_user
            FOR EACH STATEMENT EXECUTE FUNCTION bump_directory_version();
        """)
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in USER_COLUMNS)
        op.execute(f"""
            CREATE TRIGGER ab_user_bump_directory_update AFTER UPDATE ON ab_user
            FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION bump_directory_version();
        """)
    else:  # SQLite: row triggers only
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER agency_bump_directory_{event.lower()} AFTER {event} ON agency
                BEGIN
                    {BUMP}
                END;
            """)
        for event in ("INSERT", "DELETE"):
            op.execute(f"""
                CREATE TRIGGER ab_user_bump_directory_{event.lower()} AFTER {event} ON ab_user
                BEGIN
                    {BUMP}
                END;
            """)
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in USER_COLUMNS)
        op.execute(f"""
            CREATE TRIGGER ab_user_bump_directory_update AFTER UPDATE ON ab_user
            WHEN {changed}
            BEGIN
                {BUMP}
            END;
        """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS agency_bump_directory ON agency")
        op.execute("DROP TRIGGER IF EXISTS ab_user_bump_directory ON ab_user")
        op.execute("DROP TRIGGER IF EXISTS ab_user_bump_directory_update ON ab_user")
        op.execute("DROP FUNCTION IF EXISTS bump_directory_version()")
    else:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS agency_bump_directory_{event}")
            op.execute(f"DROP TRIGGER IF EXISTS ab_user_bump_directory_{event}")
    op.execute("DELETE FROM data_version WHERE name = 'directory'")
