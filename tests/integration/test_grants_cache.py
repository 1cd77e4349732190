"""A worker remembers who may do what (app/grants.py) only under the database's current
security version: a role or permission changed by any path — the Admin's screen on
another worker, `flask roles sync`, psql — takes effect on the very next request here.
The raw connection below stands for "another worker or machine": this process learns
of the change only through the database."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event

from app.extensions import db


def _other_worker(app):
    return sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])


def _refused(answer) -> bool:
    return answer.status_code == 403 or (answer.status_code == 302 and "/login" in answer.headers["Location"])


def _grant_row(conn, role: str, permission: str, view: str):
    return conn.execute(sa.text(
        "SELECT pvr.permission_view_id, pvr.role_id FROM ab_permission_view_role pvr"
        " JOIN ab_role r ON r.id = pvr.role_id JOIN ab_permission_view pv ON pv.id = pvr.permission_view_id"
        " JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id"
        " WHERE r.name = :role AND p.name = :permission AND v.name = :view"),
        dict(role=role, permission=permission, view=view)).first()


def _next_id(conn, table: str) -> str:
    """An id as FAB's ORM takes it: from the table's sequence on PostgreSQL. MAX(id) + 1 left the
    sequence behind, and a later test's sync_roles collided with the row inserted here."""
    if conn.dialect.name == "postgresql":
        return f"nextval('{table}_id_seq')"
    return f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table})"


def test_a_permission_taken_from_a_role_elsewhere_is_refused_on_the_next_request(app, client, auth):
    from app.extensions import appbuilder
    from app.security import sync_roles

    auth.login("officer")
    assert client.get("/tasks/list/").status_code == 200
    assert client.get("/tasks/list/").status_code == 200  # now served from this worker's memory
    engine = _other_worker(app)
    try:
        with engine.begin() as conn:
            pv_id, role_id = _grant_row(conn, "OfficeOfficial", "can_list", "TaskView")
            conn.execute(sa.text("DELETE FROM ab_permission_view_role WHERE permission_view_id = :pv"
                                 " AND role_id = :r"), dict(pv=pv_id, r=role_id))
        assert _refused(client.get("/tasks/list/"))
        with engine.begin() as conn:  # given back: allowed again at once
            conn.execute(sa.text("INSERT INTO ab_permission_view_role (id, permission_view_id, role_id)"
                                 f" VALUES ({_next_id(conn, 'ab_permission_view_role')}, :pv, :r)"),
                         dict(pv=pv_id, r=role_id))
        assert client.get("/tasks/list/").status_code == 200
    finally:
        engine.dispose()
        with app.app_context():
            sync_roles(appbuilder())


def test_a_users_new_role_counts_at_once_and_so_does_its_removal(app, client, auth):
    auth.login("stc_staff")
    assert _refused(client.get("/users/list/"))
    engine = _other_worker(app)
    try:
        with engine.begin() as conn:
            user_id = conn.execute(sa.text("SELECT id FROM ab_user WHERE username = 'stc_staff'")).scalar()
            admin = conn.execute(sa.text("SELECT id FROM ab_role WHERE name = 'Admin'")).scalar()
            conn.execute(sa.text("INSERT INTO ab_user_role (id, user_id, role_id) VALUES"
                                 f" ({_next_id(conn, 'ab_user_role')}, :u, :r)"),
                         dict(u=user_id, r=admin))
        assert client.get("/users/list/").status_code == 200
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM ab_user_role WHERE user_id = :u AND role_id = :r"),
                         dict(u=user_id, r=admin))
        assert _refused(client.get("/users/list/"))
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM ab_user_role WHERE user_id = :u AND role_id = :r"),
                         dict(u=user_id, r=admin))
        engine.dispose()


def test_a_role_change_moves_the_row_level_rule_at_once(app, client, auth, make_document):
    """The row-level rule reads the role names from the same memory: an agency user made
    OfficeOfficial elsewhere sees the province's tasks on its next request, and only its
    agency's once the role is gone."""
    make_document([{"lead": "SNV", "content": "Việc của Sở Nội vụ riêng"}])
    auth.login("stc_staff")
    assert "Việc của Sở Nội vụ riêng" not in client.get("/tasks/list/").get_data(as_text=True)
    engine = _other_worker(app)
    try:
        with engine.begin() as conn:
            user_id = conn.execute(sa.text("SELECT id FROM ab_user WHERE username = 'stc_staff'")).scalar()
            office = conn.execute(sa.text("SELECT id FROM ab_role WHERE name = 'OfficeOfficial'")).scalar()
            conn.execute(sa.text("INSERT INTO ab_user_role (id, user_id, role_id) VALUES"
                                 f" ({_next_id(conn, 'ab_user_role')}, :u, :r)"),
                         dict(u=user_id, r=office))
        assert "Việc của Sở Nội vụ riêng" in client.get("/tasks/list/").get_data(as_text=True)
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM ab_user_role WHERE user_id = :u AND role_id = :r"),
                         dict(u=user_id, r=office))
        assert "Việc của Sở Nội vụ riêng" not in client.get("/tasks/list/").get_data(as_text=True)
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM ab_user_role WHERE user_id = :u AND role_id = :r"),
                         dict(u=user_id, r=office))
        engine.dispose()


def test_a_page_asks_the_database_for_the_user_once_and_not_for_roles_or_permissions(app, client, auth):
    auth.login("stc_head")
    client.get("/")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get("/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    security = [s for s in statements if "ab_role" in s or "ab_permission" in s or "ab_group" in s
                or "FROM ab_user" in s]
    assert len(security) == 1 and "data_version" in security[0], security


def test_the_version_moves_on_every_write_to_the_security_tables(app):
    engine = _other_worker(app)
    version = "SELECT version FROM data_version WHERE name = 'security'"
    try:
        with engine.begin() as conn:
            before = conn.execute(sa.text(version)).scalar()
            conn.execute(sa.text("UPDATE ab_role SET name = name WHERE name = 'Chairman'"))
            conn.execute(sa.text("UPDATE ab_permission SET name = name WHERE name = 'can_list'"))
            conn.execute(sa.text("UPDATE ab_view_menu SET name = name WHERE name = 'TaskView'"))
            assert conn.execute(sa.text(version)).scalar() >= before + 3
    finally:
        engine.dispose()
