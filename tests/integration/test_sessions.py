"""Finding 6: logout, password change/reset and deactivation end sessions and tokens."""
from __future__ import annotations

from tests.conftest import PASSWORD, user


def _cookie(client):
    c = client.get_cookie("session")
    return c.value if c else None


def _signed_in(app, cookie) -> bool:
    other = app.test_client()
    other.set_cookie("session", cookie)
    response = other.get("/tasks/list/")
    return response.status_code == 200


def test_a_cookie_replayed_after_logout_is_refused(app, auth):
    auth.login("stc_staff")
    saved = _cookie(auth.client)
    assert _signed_in(app, saved)
    auth.logout()
    assert not _signed_in(app, saved)


def _token(client, username="stc_head"):
    r = client.post("/api/v1/security/login", json={"username": username, "password": PASSWORD,
                                                    "provider": "db"})
    assert r.status_code == 200
    return r.get_json()["access_token"]


def test_a_jwt_after_a_password_change_is_refused(app, client):
    token = _token(client)
    assert client.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    with app.app_context():
        from app.extensions import appbuilder

        appbuilder().sm.reset_password(user("stc_head").id, PASSWORD)
    assert client.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_a_cookie_after_a_password_reset_is_refused(app, auth):
    auth.login("snv_head")
    saved = _cookie(auth.client)
    with app.app_context():
        from app.extensions import appbuilder

        appbuilder().sm.reset_password(user("snv_head").id, PASSWORD)
    assert not _signed_in(app, saved)


def test_an_idle_session_ends(app, auth):
    auth.login("stc_staff")
    saved = _cookie(auth.client)
    app.config["SESSION_IDLE_MINUTES"] = -1
    try:
        assert not _signed_in(app, saved)
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 120


def test_the_session_cookie_lasts_a_working_day_not_a_month(app):
    assert app.permanent_session_lifetime.total_seconds() <= 9 * 3600


def test_deactivating_a_user_ends_their_session_and_token_at_once(app, auth):
    auth.login("snv_head")
    saved = _cookie(auth.client)
    token = _token(app.test_client(), "snv_head")
    api = app.test_client()
    assert _signed_in(app, saved)
    assert api.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    from app.extensions import appbuilder, db

    with app.app_context():
        account = user("snv_head")
        try:
            account.active = False
            appbuilder().sm.update_user(account)
            assert not _signed_in(app, saved)
            assert api.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        finally:
            account = user("snv_head")
            account.active = True
            db.session.commit()
        # Made active again, the user signs in afresh: the old cookie and token stay dead.
        assert not _signed_in(app, saved)
        assert api.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}).status_code == 401
