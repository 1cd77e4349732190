"""Every message an API user reads is Vietnamese, as {"message": …} (issue 9): no token,
an expired, forged or ended token, a role that may not, an address that does not exist
or does not take the method, FAB's own sign-in refusals."""
from __future__ import annotations

import datetime as dt

import pytest
from flask_jwt_extended import create_access_token

from tests.conftest import PASSWORD, user

ENGLISH = ("Missing Authorization Header", "Token has expired", "Not authorized", "Forbidden",
           "Not found", "Signature verification failed", "Not enough segments", "Fatal error",
           "Method Not Allowed", "Missing data for required field", "Request payload is not JSON",
           "Sign in", "token")


def _vietnamese(answer, status: int) -> str:
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True))
    body = answer.get_json()
    assert set(body) <= {"message", "errors"}, body
    text = str(body["message"])
    for word in ENGLISH:
        assert word not in text, text
    return text


def _headers(client, username="officer"):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def test_no_token(client):
    text = _vietnamese(client.get("/api/v1/task/"), 401)
    assert "Cần đăng nhập trước" in text and "Authorization: Bearer" in text


def test_an_expired_token(client, app):
    with app.app_context():
        token = create_access_token(identity=str(user("officer").id), expires_delta=dt.timedelta(seconds=-5))
    text = _vietnamese(client.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}), 401)
    assert "Mã truy cập đã hết hạn" in text


@pytest.mark.parametrize("token", ["abc", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.e30.forged-signature"])
def test_a_malformed_or_forged_token(client, token):
    text = _vietnamese(client.get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"}), 401)
    assert "Mã truy cập không hợp lệ" in text


def test_a_token_after_sign_out_elsewhere(client, app):
    headers = _headers(client)
    with app.app_context():
        from app.sessions import bump_epoch
        from app.extensions import db

        bump_epoch(user("officer"))
        db.session.commit()
    text = _vietnamese(client.get("/api/v1/task/", headers=headers), 401)
    assert "Phiên làm việc đã kết thúc" in text


def test_a_role_that_may_not(client):
    # An agency head may not enter documents (FAB's permission check answers first).
    text = _vietnamese(client.post("/api/v1/document/", json={}, headers=_headers(client, "stc_head")), 403)
    assert text == "Vai trò của anh/chị không được làm việc này."
    # FAB's security API is the Admin's.
    _vietnamese(client.get("/api/v1/security/users/", headers=_headers(client, "officer")), 403)


def test_an_address_that_does_not_exist_or_another_method(client):
    headers = _headers(client)
    assert "không tồn tại" in _vietnamese(client.get("/api/v1/nothing-here", headers=headers), 404)
    assert "không tồn tại" in _vietnamese(client.get("/api/v1/agency/999999", headers=headers), 404)
    text = _vietnamese(client.delete("/api/v1/task/1", headers=headers), 405)
    assert text == "Địa chỉ này không nhận yêu cầu DELETE."


def test_the_sign_in_refusals(client):
    text = _vietnamese(client.post("/api/v1/security/login",
                                   json={"username": "officer", "password": "wrong", "provider": "db"}), 401)
    assert text == "Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đã bị khóa."
    answer = client.post("/api/v1/security/login", json={"username": "officer", "provider": "db"})
    assert answer.status_code == 400
    assert answer.get_json()["message"] == {"password": ["Bắt buộc."]}
    assert "JSON" in _vietnamese(client.post("/api/v1/security/login", data="x"), 400)


def test_the_app_own_refusals_stay_vietnamese(client):
    answer = client.get("/api/v1/task/?page=abc", headers=_headers(client))
    assert "page" in _vietnamese(answer, 422)
    answer = client.get("/api/v1/reports/period?kind=annual&year=384", headers=_headers(client))
    assert _vietnamese(answer, 422) == "year phải là một năm từ 2000 đến 2100."
    answer = client.get("/api/v1/document/?page=5569068421210567680", headers=_headers(client))
    assert "page" in _vietnamese(answer, 422)
