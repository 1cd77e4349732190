"""Theo dõi nhiệm vụ: the task-tracking back office of Quyết định 26/2026/QĐ-UBND."""
from __future__ import annotations

import logging
import os

from flask import Flask

import secrets

from config import DEV_SECRET_KEY, INSTANCE_DIR, MIN_SECRET_KEY_LENGTH, Config

log = logging.getLogger(__name__)
# FAB warns on every start that its own user/role API cannot filter on relationship columns
# (roles.name …): nothing the operator can act on, and it hides the lines that matter.
logging.getLogger("flask_appbuilder.models.filters").setLevel(logging.ERROR)


class SettingsError(RuntimeError):
    pass


def instance_secret(instance_path: str) -> str:
    """Development only: a random key made once for this instance, kept under instance/."""
    path = os.path.join(instance_path, "secret_key")
    os.makedirs(instance_path, exist_ok=True)
    try:
        with open(path, encoding="ascii") as fh:
            key = fh.read().strip()
        if len(key) >= MIN_SECRET_KEY_LENGTH:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key)
    return key


def check_production_settings(app: Flask) -> None:
    """Secrets fail closed: a key that ships in the code never signs anything; an
    unset key gets a per-instance random one in development and testing only; a
    short key is refused outside development."""
    env = app.config["ENV_NAME"]
    for name in ("SECRET_KEY", "JWT_SECRET_KEY"):
        key = app.config.get(name) or ""
        if key == DEV_SECRET_KEY:
            raise SettingsError("%s is the public development value; set a private random one." % name)
        if not key:
            if name == "JWT_SECRET_KEY":
                continue  # flask-jwt-extended signs with SECRET_KEY
            if env not in {"development", "testing"}:
                raise SettingsError("SECRET_KEY must be set to a private random value outside "
                                    "development (APP_ENV=%s)." % env)
            app.config[name] = instance_secret(app.instance_path)
        elif len(key) < MIN_SECRET_KEY_LENGTH and env != "development":
            raise SettingsError("%s is too short (%d characters, at least %d) for APP_ENV=%s."
                                % (name, len(key), MIN_SECRET_KEY_LENGTH, env))
    if not app.config.get("JWT_SECRET_KEY"):
        app.config["JWT_SECRET_KEY"] = app.config["SECRET_KEY"]


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    check_production_settings(app)
    from app.passwords import init_password_hashing

    init_password_hashing(app)
    os.makedirs(app.instance_path, exist_ok=True)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    from app.extensions import csrf, db, migrate

    db.init_app(app)
    from app.versions import init_versions

    init_versions()  # a request that writes forgets its versions and caches nothing (issue 10)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))

    with app.app_context():
        from app.web import init_web

        init_web(app)
    from app.sessions import init_sessions

    init_sessions(app)

    from app.errors import init_errors
    from app.guards import init_guards

    init_errors(app)
    init_guards(app)

    from flask_wtf.csrf import CSRFError

    @app.errorhandler(CSRFError)
    def csrf_refused(error):
        from flask import render_template
        from flask_babel import gettext

        from flask import g
        from flask_login import current_user

        g.user = current_user  # the CSRF check runs before FAB's own before_request
        # Flask-WTF's messages are plain English strings; the catalogue translates them.
        return render_template("error.html", message=gettext(error.description),
                               appbuilder=app.appbuilder,
                               base_template=app.appbuilder.base_template), 400

    from app.headers import init_csp_nonce

    init_csp_nonce(app)  # FAB's inline scripts carry this response's nonce (issue 8, finding 8)

    @app.after_request
    def security_headers(response):
        from flask import g, jsonify

        from app.headers import add_security_headers
        from app.login_limits import refused_message

        if g.get("login_refused") and response.status_code == 401:
            response = jsonify(message=refused_message())
            response.status_code = 429
        return add_security_headers(app, response)

    from app.cli import init_cli

    init_cli(app)
    return app
