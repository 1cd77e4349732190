"""Issue 8, finding 8: the password policy (PASSWORD_MIN_LENGTH, PASSWORD_REQUIRE_CLASSES)
holds wherever a password is set — FAB's user form, the Admin's reset, one's own reset
and `flask users create` — with a Vietnamese message; a refused password changes nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.conftest import PASSWORD, user

MESSAGE = "Mật khẩu phải có ít nhất 8 ký tự và có ít nhất 3 trong bốn loại"
WEAK = "matkhau123"  # two kinds: lowercase and digits


def _signed_in(app, username, password=PASSWORD):
    client = app.test_client()
    client.post("/login/", data={"username": username, "password": password})
    return client


def _can_sign_in(app, username, password) -> bool:
    client = app.test_client()
    return client.post("/login/", data={"username": username, "password": password}).status_code == 302 and \
        client.get("/tasks/list/").status_code == 200


def test_the_admin_cannot_create_a_user_with_a_weak_password(app):
    from flask_appbuilder.security.sqla.models import Role as FabRole

    admin = _signed_in(app, "admin")
    with app.app_context():
        role = db.session.scalar(select(FabRole.id).where(FabRole.name == "OfficeOfficial"))
    form = {"first_name": "An", "last_name": "Trần", "username": "pw_policy_user", "active": "y",
            "email": "pw_policy_user@khanhhoa.invalid", "roles": [str(role)], "password": WEAK,
            "conf_password": WEAK}
    page = admin.post("/users/add", data=form, follow_redirects=True).get_data(as_text=True)
    assert MESSAGE in page
    with app.app_context():
        assert user("pw_policy_user") is None
    admin.post("/users/add", data=form | {"password": "Matkhau123", "conf_password": "Matkhau123"})
    with app.app_context():
        assert user("pw_policy_user") is not None


def test_a_reset_to_a_weak_password_is_refused_and_the_old_one_still_works(app):
    with app.app_context():
        officer_id = user("officer").id
    admin = _signed_in(app, "admin")
    page = admin.post(f"/resetpassword/form?pk={officer_id}", data={"password": WEAK, "conf_password": WEAK},
                      follow_redirects=True).get_data(as_text=True)
    assert MESSAGE in page
    assert not _can_sign_in(app, "officer", WEAK) and _can_sign_in(app, "officer", PASSWORD)


def test_one_s_own_new_password_follows_the_policy(app):
    head = _signed_in(app, "stc_head")
    answer = head.post("/resetmypassword/form", data={"password": WEAK, "conf_password": WEAK},
                       follow_redirects=True)
    assert answer.status_code == 200 and MESSAGE in answer.get_data(as_text=True)
    assert _can_sign_in(app, "stc_head", PASSWORD)


def test_the_command_line_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["users", "create", "--username", "pw_cli_weak", "--password", WEAK,
                                                "--role", "OfficeOfficial"])
    assert result.exit_code != 0 and MESSAGE in result.output
    with app.app_context():
        assert user("pw_cli_weak") is None


def test_the_policy_is_configurable(app):
    app.config.update(PASSWORD_MIN_LENGTH=14, PASSWORD_REQUIRE_CLASSES=4)
    try:
        result = app.test_cli_runner().invoke(args=["users", "create", "--username", "pw_cli_strict",
                                                    "--password", "Passw0rd!x", "--role", "OfficeOfficial"])
        assert result.exit_code != 0 and "ít nhất 14 ký tự" in result.output and "ít nhất 4" in result.output
    finally:
        app.config.update(PASSWORD_MIN_LENGTH=8, PASSWORD_REQUIRE_CLASSES=3)
