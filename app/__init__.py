"""Theo dõi nhiệm vụ: the task-tracking back office of Quyết định 26/2026/QĐ-UBND."""
from __future__ import annotations

import logging
import os

from flask import Flask

from config import DEV_SECRET_KEY, INSTANCE_DIR, Config

log = logging.getLogger(__name__)


class SettingsError(RuntimeError):
    pass


def check_production_settings(app: Flask) -> None:
    """Outside development the app refuses to start with a known secret."""
    if app.config["ENV_NAME"] in {"development", "testing"}:
        return
    if app.config["SECRET_KEY"] in {DEV_SECRET_KEY, "", None}:
        raise SettingsError(
            "SECRET_KEY must be set to a private random value outside development "
            "(APP_ENV=%s)." % app.config["ENV_NAME"]
        )


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(Config)
    if test_config:
        app.config.update(test_config)
    check_production_settings(app)
    os.makedirs(app.instance_path, exist_ok=True)
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)

    from app.extensions import csrf, db, migrate

    db.init_app(app)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))

    with app.app_context():
        from app.web import init_web

        init_web(app)

    from app.errors import init_errors

    init_errors(app)

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

    from app.cli import init_cli

    init_cli(app)
    return app
