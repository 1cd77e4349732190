"""Issue 10: how passwords are stored. One setting (PASSWORD_HASH_METHOD, scrypt
N=2^13, r=8, p=10 — OWASP's 8 MiB equivalent) for every way a password is set; a user
whose hash was made under Werkzeug's old default (32 MiB per sign-in) or PBKDF2 still
signs in, and the hash is replaced by one of the method in force at that sign-in."""
from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import delete, select
from werkzeug.security import generate_password_hash

from app.extensions import db
from tests.conftest import PASSWORD, user

NEW = "scrypt:8192:8:10$"
OLD_METHODS = ["scrypt:32768:8:1", "pbkdf2:sha256:600000", "scrypt"]


def _sign_in(app, username, password):
    client = app.test_client()
    answer = client.post("/login/", data={"username": username, "password": password})
    return client, answer.status_code == 302 and client.get("/tasks/list/").status_code == 200


def _stored(username) -> str:
    db.session.expire_all()
    return user(username).password


@pytest.fixture
def old_user(app):
    """A user whose password was hashed before issue 10."""
    from app.services.seeding import create_user

    made = []

    def make(username, method):
        with app.app_context():
            created = create_user(username=username, password=PASSWORD, role_name="OfficeOfficial")
            created.password = generate_password_hash(PASSWORD, method=method)
            db.session.commit()
            made.append(username)
        return username

    yield make
    from app.models import AppUser

    with app.app_context():
        for name in made:
            found = user(name)
            found.roles = []
            db.session.commit()
            db.session.execute(delete(AppUser).where(AppUser.username == name))
        db.session.commit()


def test_every_way_of_setting_a_password_uses_the_8_mib_scrypt(app):
    from flask_appbuilder.security.sqla.models import Role as FabRole

    with app.app_context():
        assert _stored("officer").startswith(NEW)  # `flask users create` (the fixture's users)
        role = db.session.scalar(select(FabRole.id).where(FabRole.name == "OfficeOfficial"))
    admin, _ = _sign_in(app, "admin", PASSWORD)
    admin.post("/users/add", data={"first_name": "Hà", "last_name": "Lê", "username": "pw_hash_added",
                                   "active": "y", "email": "pw_hash_added@khanhhoa.invalid",
                                   "roles": [str(role)], "password": "Matkhau@123", "conf_password": "Matkhau@123"})
    with app.app_context():
        added = user("pw_hash_added")
        assert added is not None and added.password.startswith(NEW)
        added_id = added.id
    admin.post(f"/resetpassword/form?pk={added_id}", data={"password": "Matkhau@456", "conf_password": "Matkhau@456"})
    with app.app_context():
        assert _stored("pw_hash_added").startswith(NEW)
        # FAB's answer to an unknown username costs what a wrong password costs: the same method.
        assert app.config["AUTH_DB_FAKE_PASSWORD_HASH_CHECK"].startswith(NEW)
        assert app.config["FAB_PASSWORD_HASH_METHOD"] == app.config["PASSWORD_HASH_METHOD"] == NEW[:-1]
    _, ok = _sign_in(app, "pw_hash_added", "Matkhau@456")
    assert ok


@pytest.mark.parametrize("method", OLD_METHODS)
def test_an_old_hash_still_signs_in_and_is_upgraded_at_that_sign_in(app, old_user, method):
    name = old_user(f"pw_old_{method.replace(':', '_')}", method)
    with app.app_context():
        before = _stored(name)
        assert not before.startswith(NEW)
        epoch = user(name).session_epoch
    _, ok = _sign_in(app, name, "Wrong@2026pw")
    assert not ok
    with app.app_context():
        assert _stored(name) == before  # a wrong password upgrades nothing
    client, ok = _sign_in(app, name, PASSWORD)
    assert ok
    with app.app_context():
        after = _stored(name)
        assert after.startswith(NEW) and after != before
        assert user(name).session_epoch == epoch  # the same password: sessions stay
    assert client.get("/tasks/list/").status_code == 200  # still signed in after the upgrade
    _, ok = _sign_in(app, name, PASSWORD)
    assert ok
    with app.app_context():
        assert _stored(name) == after  # upgraded once, not at every sign-in
    _, ok = _sign_in(app, name, "Wrong@2026pw")
    assert not ok


def test_an_api_sign_in_upgrades_an_old_hash_too(app, old_user):
    name = old_user("pw_old_api", "scrypt:32768:8:1")
    answer = app.test_client().post("/api/v1/security/login",
                                    json={"username": name, "password": PASSWORD, "provider": "db"})
    assert answer.status_code == 200 and answer.get_json().get("access_token")
    with app.app_context():
        assert _stored(name).startswith(NEW)


def test_checking_a_password_holds_at_most_about_8_mib():
    """The figure that made sign-in the worker's peak (32 MiB per check with Werkzeug's
    default): checked in a fresh interpreter, against its own peak resident size."""
    code = (
        "from werkzeug.security import check_password_hash, generate_password_hash\n"
        "from config import Config\n"
        "def hwm():\n"
        "    return int([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])\n"
        "before = hwm()\n"
        "stored = generate_password_hash('Test@2026pw', method=Config.PASSWORD_HASH_METHOD)\n"
        "assert check_password_hash(stored, 'Test@2026pw')\n"
        "print(hwm() - before)\n")
    try:
        open("/proc/self/status").close()
    except OSError:
        pytest.skip("no /proc on this system")
    grown_kib = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                   cwd=str(__import__("pathlib").Path(__file__).resolve().parents[2])).stdout)
    assert grown_kib < 12 * 1024, f"a password check grew the peak by {grown_kib // 1024} MiB"
