"""Shared extension objects. AppBuilder is made per app in create_app(), since
FAB keeps its registered views on the instance and tests build many apps."""
from flask import current_app
from flask_appbuilder.models.sqla.base import SQLA
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

db = SQLA()
migrate = Migrate()
# Every POST from a browser carries the token; FAB exempts its JWT APIs itself.
csrf = CSRFProtect()


def appbuilder():
    return current_app.extensions["appbuilder"]
