"""Finding 5: failed sign-ins limited per account and per address, shared storage."""
from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, user

LOCKED_VI = "Đăng nhập sai quá nhiều lần"


@pytest.fixture
def limited(app):
    from app.login_limits import unlock
    import sqlalchemy as sa
    from app.extensions import db

    app.config.update(LOGIN_LIMITS_ENABLED=True, LOGIN_MAX_FAILURES=3, LOGIN_MAX_FAILURES_PER_ADDRESS=20, LOGIN_LOCK_MINUTES=15)
    yield app
    with app.app_context():
        if app.config.get("REDIS_URL"):
            from redis import Redis
            r = Redis.from_url(app.config["REDIS_URL"])
            for k in r.keys("theodoi:login:*"):
                r.delete(k)
        else:
            with db.engine.begin() as conn:
                conn.execute(sa.text("DELETE FROM login_failure"))
    app.config["LOGIN_LIMITS_ENABLED"] = False


def api_login(client, username, password, addr="10.0.0.1"):
    return client.post("/api/v1/security/login", json={"username": username, "password": password,
                                                       "provider": "db"},
                       environ_base={"REMOTE_ADDR": addr})


def web_login(client, username, password, addr="10.0.0.1"):
    client.get("/logout/")
    return client.post("/login/", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": addr}, follow_redirects=True)


def test_api_login_locks_after_the_configured_failures_even_for_the_right_password(limited):
    client = limited.test_client()
    for _ in range(3):
        assert api_login(client, "stc_staff", "wrong").status_code == 401
    response = api_login(client, "stc_staff", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_VI in response.get_json()["message"]


def test_web_and_api_failures_count_together_and_the_page_is_vietnamese(limited):
    client = limited.test_client()
    api_login(client, "stc_staff", "wrong")
    web_login(client, "stc_staff", "wrong")
    api_login(client, "stc_staff", "wrong")
    page = web_login(client, "stc_staff", PASSWORD).get_data(as_text=True)
    assert LOCKED_VI in page


def test_successful_logins_are_never_counted(limited):
    client = limited.test_client()
    for _ in range(15):
        assert api_login(client, "stc_head", PASSWORD).status_code == 200


def test_limit_is_shared_between_two_app_instances(limited):
    from app import create_app

    other = create_app({k: limited.config[k] for k in (
        "TESTING", "ENV_NAME", "SQLALCHEMY_DATABASE_URI", "WTF_CSRF_ENABLED", "UPLOAD_FOLDER",
        "SERVER_NAME", "REDIS_URL", "SECRET_KEY", "LOGIN_LIMITS_ENABLED", "LOGIN_MAX_FAILURES",
        "LOGIN_MAX_FAILURES_PER_ADDRESS", "LOGIN_LOCK_MINUTES")})
    a, b = limited.test_client(), other.test_client()
    assert api_login(a, "snv_head", "wrong").status_code == 401
    assert api_login(b, "snv_head", "wrong").status_code == 401
    assert api_login(a, "snv_head", "wrong").status_code == 401
    assert api_login(b, "snv_head", PASSWORD).status_code == 429


def test_one_officials_typos_behind_a_nat_do_not_lock_colleagues(limited):
    client = limited.test_client()
    for _ in range(5):
        api_login(client, "stc_staff", "wrong", addr="203.0.113.7")
    assert api_login(client, "stc_staff", PASSWORD, addr="203.0.113.7").status_code == 429
    assert api_login(client, "stc_head", PASSWORD, addr="203.0.113.7").status_code == 200


def test_the_admin_unlocks_an_account_from_the_user_list(limited, auth):
    client = limited.test_client()
    for _ in range(3):
        api_login(client, "stc_staff", "wrong", addr="10.0.0.9")
    assert api_login(client, "stc_staff", PASSWORD, addr="10.0.0.9").status_code == 429
    with limited.app_context():
        uid = user("stc_staff").id
    auth.login("admin")
    response = auth.client.post("/users/action_post", data={"action": "unlock", "rowid": [str(uid)]},
                                follow_redirects=True)
    assert response.status_code == 200
    assert "Đã mở khóa đăng nhập" in response.get_data(as_text=True)
    assert api_login(client, "stc_staff", PASSWORD, addr="10.0.0.9").status_code == 200
