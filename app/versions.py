"""The data versions a request's caches depend on, read once per request (issue 10).

The database bumps each in the same transaction as the write it names, whoever writes
(the app, a job, psql): 'task' on every write to the task tables and what the dashboard
shows (migrations 0002, 0006, 0031), 'security' on the role and permission tables
(0034), 'directory' on agencies and on users' names and active flag (0039). A cache
keyed by a version is exactly invalidated by the database, on every worker and machine.

The versions come in the signed-in user's own statement (app.security: one statement for
the user, its versions and its unread notifications); else one statement reads them all,
memoised on flask.g. They are read before anything they guard, so an entry can only be
newer than its key, never older.

A request that writes forgets them at its first flush (the database moved them) and
stores nothing in the page caches (app.page_cache): what it would store could come from
a transaction that is later rolled back.
"""
from __future__ import annotations

import functools

from flask import g, has_request_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from app.models import DataVersion

NAMES = ("task", "security", "directory")


def column(name: str):
    """The version `name` as a scalar subquery, to select beside another row."""
    return (select(DataVersion.version).where(DataVersion.name == name)
            .scalar_subquery().label(f"version_{name}"))


def columns() -> list:
    return [column(name) for name in NAMES]


def remember(row_mapping) -> None:
    """Keep the versions selected with columns() (a row's mapping) for this request."""
    if has_request_context() and not g.get("_wrote"):
        g._versions = {name: row_mapping[f"version_{name}"] for name in NAMES}


def current() -> dict:
    """{name: version or None} for NAMES, one statement per request at most."""
    from app.extensions import db

    found = g.get("_versions")
    if found is None:
        rows = dict(db.session.execute(_statement()).all())
        found = {name: rows.get(name) for name in NAMES}
        if not g.get("_wrote"):
            g._versions = found
    return found


@functools.cache
def _statement():
    """Built once: building a statement costs more Python than running this one."""
    return select(DataVersion.name, DataVersion.version).where(DataVersion.name.in_(NAMES))


def get(name: str) -> int | None:
    return current()[name]


def wrote() -> bool:
    """Whether this request has written (flushed a change) to the database."""
    return bool(has_request_context() and g.get("_wrote"))


def _flushed(session, _context, _instances) -> None:
    if has_request_context() and (session.new or session.dirty or session.deleted):
        _forget()


def _forget() -> None:
    g._wrote = True
    for name in ("_versions", "_unread", "_calendar_signature", "_reads"):  # read before the write
        g.pop(name, None)


def once(kind: str, key, compute):
    """compute() once per request for (kind, key): two parts of one page reading the same rows
    (the task page's timeline and its direction panel) share one statement. Forgotten when the
    request writes."""
    if not has_request_context():
        return compute()
    reads = g.get("_reads")
    if reads is None:
        reads = g._reads = {}
    try:
        return reads[(kind, key)]
    except KeyError:
        value = reads[(kind, key)] = compute()
        return value


def _executed(orm_execute_state) -> None:
    """A statement through the session (not a flush of objects) may write too: an ORM
    UPDATE/DELETE/INSERT, or any text that is not a SELECT."""
    if not has_request_context() or orm_execute_state.is_select:
        return
    statement = orm_execute_state.statement
    if isinstance(statement, TextClause) and statement.text.lstrip()[:6].upper() in ("SELECT", "WITH ("):
        return
    _forget()


def init_versions() -> None:
    """On every session (the app's, a job's run in a request, an export's snapshot)."""
    if not event.contains(Session, "before_flush", _flushed):
        event.listen(Session, "before_flush", _flushed)
        event.listen(Session, "do_orm_execute", _executed)
