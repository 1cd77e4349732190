"""Shared extension objects. AppBuilder is made per app in create_app(), since
FAB keeps its registered views on the instance and tests build many apps."""
import click
from flask import current_app
from flask_appbuilder.models.sqla.base import SQLA
from flask_wtf.csrf import CSRFProtect

db = SQLA()
# Every POST from a browser carries the token; FAB exempts its JWT APIs itself.
csrf = CSRFProtect()


class LazyMigrate:
    """Flask-Migrate, loaded when a migration runs (`flask db …`, flask_migrate.upgrade()),
    not in every web worker: it imports Alembic, Mako and Pygments, ~9 MiB per worker
    that serves pages and never migrates (issue 10)."""

    def init_app(self, app, db, directory):
        app.extensions["migrate"] = _MigrateOnUse(app, db, directory)
        app.cli.add_command(_DbCommands(name="db", help="Database migrations (Flask-Migrate, Alembic)."))


class _MigrateOnUse:
    """Stands in app.extensions["migrate"] until a migration reads it, then is replaced by Flask-Migrate's own."""

    def __init__(self, app, db, directory):
        self._args = (app, db, directory)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        app, db_, directory = self.__dict__["_args"]
        from flask_migrate import Migrate

        Migrate().init_app(app, db_, directory=directory)
        return getattr(app.extensions["migrate"], name)


class _DbCommands(click.Group):
    """`flask db …`: Flask-Migrate's commands, imported when the group is used."""

    @staticmethod
    def _real():
        from flask_migrate.cli import db as commands

        return commands

    def make_context(self, info_name, args, parent=None, **extra):
        return self._real().make_context(info_name, args, parent=parent, **extra)  # its options, its callback

    def list_commands(self, ctx):
        return self._real().list_commands(ctx)

    def get_command(self, ctx, name):
        return self._real().get_command(ctx, name)


migrate = LazyMigrate()


def appbuilder():
    return current_app.extensions["appbuilder"]
