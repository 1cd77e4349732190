"""Sign-in, settings and roles as the issue promises them."""
import pytest

from app import SettingsError, create_app
from tests.conftest import PASSWORD


def test_outside_development_the_app_refuses_the_default_secret_key(monkeypatch):
    with pytest.raises(SettingsError, match="SECRET_KEY"):
        create_app({"ENV_NAME": "production", "SECRET_KEY": "dev-only-not-secret"})


def test_session_cookies_are_httponly_and_samesite(client, auth):
    answer = auth.login("officer")
    cookie = answer.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_refuse_a_post_without_csrf_token(app, client, auth):
    auth.login("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        answer = client.post("/documents/add", data={"number": "1/UBND"})
        assert answer.status_code == 400
        assert "Thiếu mã xác thực CSRF." in answer.get_data(as_text=True)
        # The JSON API (JWT, no cookie) is not subject to it.
        token = client.post("/api/v1/security/login", json={
            "username": "officer", "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
        assert client.post("/api/v1/document/", json={},
                           headers={"Authorization": f"Bearer {token}"}).status_code == 422
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_fabs_per_process_limiter_is_replaced_by_shared_failure_limits():
    """FAB's limiter counted successes, per process: replaced (tests/integration/test_auth_limits.py)."""
    from config import Config

    assert Config.AUTH_RATE_LIMITED is False
    assert Config.LOGIN_LIMITS_ENABLED is True

def test_a_wrong_password_does_not_sign_in(client, auth):
    auth.login("officer", "wrong-password")
    assert client.get("/tasks/list/").status_code in (302, 401, 403)


def test_roles_sync_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["roles", "sync"])
    second = runner.invoke(args=["roles", "sync"])
    assert first.exit_code == 0 and first.output == second.output
    assert "AgencyHead:" in first.output


def test_users_create_links_an_agency_user_to_an_agency(app):
    runner = app.test_cli_runner()
    missing = runner.invoke(args=["users", "create", "--username", "x1", "--password", "Passw0rd!x",
                                  "--role", "AgencyHead"])
    assert missing.exit_code != 0 and "must belong to an agency" in missing.output
    created = runner.invoke(args=["users", "create", "--username", "stc_pgd", "--password", "Passw0rd!x",
                                  "--role", "AgencyHead", "--agency", "STC", "--full-name", "Lê Thị Phó"])
    assert created.exit_code == 0, created.output
    with app.app_context():
        from tests.conftest import user

        assert user("stc_pgd").agency.code == "STC"


def test_the_demo_seed_refuses_to_run_outside_development(app):
    app.config["ENV_NAME"] = "production"
    try:
        result = app.test_cli_runner().invoke(args=["demo", "seed"])
        assert result.exit_code != 0 and "only in development" in result.output
    finally:
        app.config["ENV_NAME"] = "testing"


def test_agencies_seed_is_idempotent_and_complete(app):
    result = app.test_cli_runner().invoke(args=["agencies", "seed"])
    assert result.output.strip() == "agencies: 0 added, 0 updated"
    with app.app_context():
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models import Agency

        kinds = dict(db.session.execute(select(Agency.kind, func.count()).group_by(Agency.kind)).all())
        assert (kinds["commune"], kinds["ward"], kinds["special_zone"]) == (48, 16, 1)
        assert db.session.scalar(select(Agency.name).where(Agency.code == "22366")) == "Phường Nha Trang"


def test_the_admin_links_an_agency_user_to_an_agency_in_the_ui(app, client, auth, ctx):
    from sqlalchemy import select

    from app.extensions import db
    from flask_appbuilder.security.sqla.models import Role as FabRole
    from tests.conftest import agency_id, user

    auth.login("admin")
    head_role = db.session.scalar(select(FabRole.id).where(FabRole.name == "AgencyHead"))
    form = {"first_name": "Hà", "last_name": "Nguyễn Thu", "username": "syt_gd", "active": "y",
            "email": "syt_gd@khanhhoa.invalid", "roles": [str(head_role)], "password": "Passw0rd!syt",
            "conf_password": "Passw0rd!syt"}
    refused = client.post("/users/add", data=form, follow_redirects=True).get_data(as_text=True)
    assert "phải thuộc một cơ quan, đơn vị" in refused
    assert user("syt_gd") is None
    client.post("/users/add", data=form | {"agency": str(agency_id("SYT"))}, follow_redirects=True)
    db.session.expire_all()
    created = user("syt_gd")
    assert created.agency.code == "SYT" and created.get_full_name() == "Nguyễn Thu Hà"


def test_the_demo_seed_gives_every_inbox_something_and_is_idempotent(app):
    runner = app.test_cli_runner()
    # The short demo only: the year of history has its own test on a database of its own
    # (tests/seed/test_demo_history.py).
    first = runner.invoke(args=["demo", "seed", "--no-history"])
    assert first.exit_code == 0, first.output
    assert "chuyenvien / Demo@2026" in first.output
    assert runner.invoke(args=["demo", "seed", "--no-history"]).exit_code == 0
    with app.app_context():
        from sqlalchemy import func, select

        from app.extensions import db
        from app.models import ExtensionRequest, Task

        statuses = dict(db.session.execute(select(Task.status, func.count()).group_by(Task.status)).all())
        assert statuses["reported"] == 1 and statuses["returned"] == 1 and statuses["in_progress"] == 1
        assert db.session.scalar(select(func.count(ExtensionRequest.id))) == 1
