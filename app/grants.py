"""Who may do what, without asking the database on every request (issue 10).

FAB loaded, on every page, the user's roles, then its groups, then the permissions of
those roles: three statements before any work, about 8% of a worker's time under load
(py-spy, README "Load"). The database keeps a version of the security tables
(`data_version` row 'security', bumped by triggers on every write to the role, group
and permission tables: migration 0034 — by the app, the role screens, `flask roles
sync` or psql alike), and the signed-in user is loaded together with that version in
one statement. A worker keeps what it computed — the user's role ids and names, and
each role set's permission pairs — only under that version, so a change of roles or
permissions takes effect on the next request of every worker and machine; nothing is
ever read from a version that is not the database's current one.

The row-level rule (app/access.py) takes the role names from here; it is unchanged.
"""
from __future__ import annotations

import threading

from sqlalchemy import select

from app.models import DataVersion

VERSION_NAME = "security"
MAX_ENTRIES = 20_000  # users × role sets one worker remembers before it starts over
_lock = threading.Lock()
_cache: dict = {"version": None, "entries": {}}


def version_column():
    """The security version, as a scalar subquery to select beside the user row."""
    return (select(DataVersion.version).where(DataVersion.name == VERSION_NAME)
            .scalar_subquery().label("security_version"))


def remembered(version, key, compute):
    """compute() once per (current security version, key) in this process. version None
    (no row: a database migrated before 0034) computes every time."""
    if version is None:
        return compute()
    entries = _cache["entries"]
    if _cache["version"] != version:
        with _lock:
            if _cache["version"] != version:
                _cache["version"], _cache["entries"] = version, {}
            entries = _cache["entries"]
    try:
        return entries[key]
    except KeyError:
        value = compute()
        if len(entries) >= MAX_ENTRIES:
            entries.clear()
        entries[key] = value
        return value


def clear() -> None:
    with _lock:
        _cache["version"], _cache["entries"] = None, {}


def user_roles(user) -> tuple[frozenset[str], frozenset[int]]:
    """(names of the user's own roles, ids of every role it has, through its groups too)."""
    def compute():
        own = list(user.roles)
        ids = {r.id for r in own} | {r.id for group in getattr(user, "groups", []) for r in group.roles}
        return frozenset(r.name for r in own), frozenset(ids)

    return remembered(getattr(user, "_security_version", None), ("user", user.id), compute)
