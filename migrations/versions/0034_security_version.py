"""A version of the security tables (roles, groups, permissions), bumped by the
database on every write to them, so a worker may keep a user's roles and a role
set's permissions in memory exactly as long as they are current (app/grants.py).

Revision ID: 0034
Revises: 0021
"""
from alembic import op

revision = "0034"
down_revision = "0032"
branch_labels = None
depends_on = None

# Everything FAB's permission check reads: the user's roles and groups, the groups'
# roles, the roles' permissions, and the permission and view names themselves.
TABLES = ("ab_user_role", "ab_user_group", "ab_group_role", "ab_permission_view_role",
          "ab_permission_view", "ab_permission", "ab_view_menu", "ab_role", "ab_group")
BUMP = "UPDATE data_version SET version = version + 1 WHERE name = 'security';"


def upgrade():
    op.execute("INSERT INTO data_version (name, version) VALUES ('security', 1)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION bump_security_version() RETURNS trigger AS $$
            BEGIN
                {BUMP}
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql;
        """)
        for table in TABLES:
            op.execute(f"""
                CREATE TRIGGER {table}_bump_security
                AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION bump_security_version();
            """)
    else:  # SQLite: row triggers only
        for table in TABLES:
            for event in ("INSERT", "UPDATE", "DELETE"):
                op.execute(f"""
                    CREATE TRIGGER {table}_bump_security_{event.lower()} AFTER {event} ON {table}
                    BEGIN
                        {BUMP}
                    END;
                """)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_security ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_security_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_bump_security_{event}")
    op.execute("DELETE FROM data_version WHERE name = 'security'")
