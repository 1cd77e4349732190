"""Shared steps of the inspection tests: an inspection drafted by the Office, issued by the Chairman."""
from __future__ import annotations

import datetime as dt

import pytest

from app.models import local_now
from tests.conftest import PASSWORD
from tests.conftest import agency_id as _agency_id
from tests.conftest import user as _user


def vn_today():
    """Today in Vietnam, as the app counts it (the server's date is a day behind after 17:00 UTC)."""
    return local_now().date()


# The API tests keep no app context pushed between requests: a pushed context would be shared by
# every request (and flask-login's cached user with it). Ids are read once, in their own context.
_IDS: dict = {}


def load_ids(app):
    with app.app_context():
        for code in ("STC", "SNV", "TTT", "22366"):
            _IDS[("agency", code)] = _agency_id(code)
        for name in ("officer", "leader", "chairman", "stc_head", "stc_staff", "snv_head", "nhatrang_chair",
                     "wg_member", "admin"):
            _IDS[("user", name)] = _user(name).id


def agency_id(code):
    return _IDS[("agency", code)]


class _User:
    def __init__(self, id):
        self.id = id


def user(name):
    return _User(_IDS[("user", name)])


@pytest.fixture
def ids(app):
    load_ids(app)
    return _IDS


def headers(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    assert answer.status_code == 200, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def body(**overrides):
    today = vn_today()
    data = {
        "conducted_by": "office", "legal_basis": "Quyết định số 26/2026/QĐ-UBND",
        "scope": "Nhiệm vụ UBND tỉnh giao năm 2026", "tasks": "Kiểm tra nhiệm vụ quá hạn",
        "content": {"implementation": True, "updating": True, "reporting": False, "text": "Tập trung lĩnh vực tài chính"},
        "form": "ad_hoc", "start_on": (today - dt.timedelta(days=2)).isoformat(),
        "end_on": (today + dt.timedelta(days=5)).isoformat(),
        "inspected_agency_ids": [agency_id("STC")], "leader_id": user("snv_head").id,
        "member_ids": [user("wg_member").id],
    }
    data.update(overrides)
    return data


def create(client, **overrides):
    answer = client.post("/api/v1/inspection/", json=body(**overrides), headers=headers(client, "officer"))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def issue(client, inspection_id, number="15/QĐ-UBND"):
    answer = client.post(f"/api/v1/inspection/{inspection_id}/issue", json={"number": number},
                         headers=headers(client, "chairman"))
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["result"]


def running(client, **overrides):
    inspection_id = create(client, **overrides)
    issue(client, inspection_id)
    return inspection_id
