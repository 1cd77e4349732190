"""The data versions a request's caches depend on, read once per request (issue 10).

The database bumps each in the same transaction as the write it names, whoever writes
(the app, a job, psql): 'task' on every write to the task tables and what the dashboard
shows (migrations 0002, 0006, 0031), 'security' on the role and permission tables
(0034), 'directory' on agencies and on users' names and active flag (0039). A cache
keyed by a version is exactly invalidated by the database, on every worker and machine.

The versions come in the signed-in user's own statement (app.security: one statement for
the user, its versions and its unread notifications); else one statement reads them all,
memoised for the request (on the request object itself, not flask.g: an app context held
open — a shell, a test — would share g between requests). They are read before anything
they guard, so an entry can only be newer than its key, never older.

A request that writes forgets them at its first flush (the database moved them) and
stores nothing in the page caches (app.page_cache): what it would store could come from
a transaction that is later rolled back.
"""
from __future__ import annotations

import functools

from flask import has_request_context, request
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


def state() -> dict | None:
    """This request's own memo (None outside a request): what was read with the user, the
    versions, the rows read once, whether it wrote."""
    if not has_request_context():
        return None
    current = request._get_current_object()
    memo = getattr(current, "_issue10_memo", None)
    if memo is None:
        memo = current._issue10_memo = {}
    return memo


def note(name: str, value) -> None:
    """Keep something read with the signed-in user for the rest of the request (not after a write)."""
    memo = state()
    if memo is not None and not memo.get("wrote"):
        memo[name] = value


def noted(name: str, pop: bool = False):
    memo = state()
    if memo is None:
        return None
    return memo.pop(name, None) if pop else memo.get(name)


def remember(row_mapping) -> None:
    """Keep the versions selected with columns() (a row's mapping) for this request."""
    note("versions", {name: row_mapping[f"version_{name}"] for name in NAMES})


def current() -> dict:
    """{name: version or None} for NAMES, one statement per request at most (outside a
    request — a job, the shell — read every time: nothing tells when it writes)."""
    from app.extensions import db

    found = noted("versions")
    if found is None:
        rows = dict(db.session.execute(_statement()).all())
        found = {name: rows.get(name) for name in NAMES}
        note("versions", found)
    return found


@functools.cache
def _statement():
    """Built once: building a statement costs more Python than running this one."""
    return select(DataVersion.name, DataVersion.version).where(DataVersion.name.in_(NAMES))


def get(name: str) -> int | None:
    return current()[name]


def wrote() -> bool:
    """Whether this request has written (flushed a change) to the database."""
    return bool(noted("wrote"))


def _flushed(session, _context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        _forget()


def _forget() -> None:
    """Everything read before the write is forgotten; nothing more is kept this request."""
    memo = state()
    if memo is not None:
        memo.clear()
        memo["wrote"] = True


def once(kind: str, key, compute):
    """compute() once per request for (kind, key): two parts of one page reading the same rows
    (the task page's timeline and its direction panel) share one statement. Forgotten when the
    request writes."""
    memo = state()
    if memo is None:
        return compute()
    reads = memo.setdefault("reads", {})
    try:
        return reads[(kind, key)]
    except KeyError:
        value = reads[(kind, key)] = compute()
        return value


def _executed(orm_execute_state) -> None:
    """A statement through the session (not a flush of objects) may write too: an ORM
    UPDATE/DELETE/INSERT, or any text that is not a SELECT."""
    if orm_execute_state.is_select or state() is None:
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
