"""Finding 7: no key that ships in the code signs anything a server accepts."""
from __future__ import annotations

import pytest

from config import DEV_SECRET_KEY


def _app(tmp_path, **config):
    from app import SettingsError, create_app  # noqa: F401

    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                       "UPLOAD_FOLDER": str(tmp_path / "u"), **config})


def test_testing_and_development_never_sign_with_the_shipped_key(app):
    assert app.config["SECRET_KEY"] != DEV_SECRET_KEY
    assert app.config["JWT_SECRET_KEY"] != DEV_SECRET_KEY
    assert len(app.config["SECRET_KEY"]) >= 32


def test_a_jwt_forged_with_the_shipped_dev_key_is_refused(app):
    import jwt

    from tests.conftest import user

    with app.app_context():
        uid = user("admin").id
    token = jwt.encode({"sub": str(uid), "type": "access", "fresh": True, "jti": "x",
                        "iat": 1_700_000_000, "nbf": 1_700_000_000, "exp": 4_000_000_000},
                       DEV_SECRET_KEY, algorithm="HS256")
    response = app.test_client().get("/api/v1/task/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code in (401, 422)


@pytest.mark.parametrize("env", ["production", "staging", "testing"])
def test_the_shipped_key_is_refused_everywhere(tmp_path, env):
    from app import SettingsError

    with pytest.raises(SettingsError):
        _app(tmp_path, ENV_NAME=env, SECRET_KEY=DEV_SECRET_KEY)


def test_a_short_key_is_refused_outside_development(tmp_path):
    from app import SettingsError

    with pytest.raises(SettingsError, match="too short"):
        _app(tmp_path, ENV_NAME="production", SECRET_KEY="short-but-not-public")
    with pytest.raises(SettingsError, match="too short"):
        _app(tmp_path, ENV_NAME="production", SECRET_KEY="x" * 40, JWT_SECRET_KEY="short")


def test_production_without_a_key_refuses_to_start(tmp_path):
    from app import SettingsError

    with pytest.raises(SettingsError):
        _app(tmp_path, ENV_NAME="production", SECRET_KEY="")
