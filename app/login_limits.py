"""Failed sign-in attempts, counted per account and per address in storage shared by
every worker and machine: Redis when REDIS_URL is set, else the database table
`login_failure`. Web and API logins both pass through AppSecurityManager.auth_user_db.

Each attempt reserves one slot atomically before the password is checked, so under
any number of workers exactly LOGIN_MAX_FAILURES wrong passwords are accepted; a
successful sign-in gives its slot back (successes are never counted).
The per-address ceiling is much higher than the per-account one so that one official's
typos behind an agency's NAT do not lock the department out.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import current_app, request

from app.extensions import db

login_failure = sa.Table(
    "login_failure", sa.MetaData(),
    sa.Column("key", sa.String(320), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False),
)


def _now() -> dt.datetime:
    return dt.datetime.utcnow().replace(microsecond=0)


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url)


def account_key(username: str) -> str:
    return "acct:" + (username or "").strip().lower()[:256]


def address_key(address: str | None) -> str:
    return "addr:" + (address or "-")


def _limits() -> tuple[int, int, int]:
    c = current_app.config
    return (int(c["LOGIN_MAX_FAILURES"]), int(c["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
            int(c["LOGIN_LOCK_MINUTES"]) * 60)


def _reserve(key: str, seconds: int) -> int:
    """Count one attempt for key; the count expires `seconds` after the first one."""
    r = _redis()
    if r is not None:
        name = "theodoi:login:" + key
        with r.pipeline() as p:
            p.incr(name)
            p.expire(name, seconds, nx=True)
            count, _ = p.execute()
        return int(count)
    now = _now()
    expires = now + dt.timedelta(seconds=seconds)
    with db.engine.begin() as conn:
        updated = conn.execute(
            login_failure.update().where(login_failure.c.key == key).values(
                failures=sa.case((login_failure.c.expires_at <= now, 1),
                                 else_=login_failure.c.failures + 1),
                expires_at=sa.case((login_failure.c.expires_at <= now, expires),
                                   else_=login_failure.c.expires_at)))
        if updated.rowcount == 0:
            try:
                with conn.begin_nested():
                    conn.execute(login_failure.insert().values(key=key, failures=1, expires_at=expires))
                return 1
            except sa.exc.IntegrityError:
                conn.execute(login_failure.update().where(login_failure.c.key == key).values(
                    failures=login_failure.c.failures + 1))
        return int(conn.execute(sa.select(login_failure.c.failures)
                                .where(login_failure.c.key == key)).scalar_one())


def _release(key: str) -> None:
    r = _redis()
    if r is not None:
        r.decr("theodoi:login:" + key)
        return
    with db.engine.begin() as conn:
        conn.execute(login_failure.update().where(login_failure.c.key == key)
                     .values(failures=sa.func.max(login_failure.c.failures - 1, 0)
                             if db.engine.dialect.name == "sqlite"
                             else sa.func.greatest(login_failure.c.failures - 1, 0)))


def failures(key: str) -> int:
    r = _redis()
    if r is not None:
        value = r.get("theodoi:login:" + key)
        return int(value or 0)
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(login_failure.c.failures, login_failure.c.expires_at)
                           .where(login_failure.c.key == key)).first()
    if row is None or row.expires_at <= _now():
        return 0
    return int(row.failures)


def is_locked(username: str) -> bool:
    return failures(account_key(username)) >= _limits()[0]


def unlock(username: str) -> None:
    """The Admin's unlock: the account's failures are forgotten."""
    key = account_key(username)
    r = _redis()
    if r is not None:
        r.delete("theodoi:login:" + key)
        return
    with db.engine.begin() as conn:
        conn.execute(login_failure.delete().where(login_failure.c.key == key))


def refused_message() -> str:
    from flask_babel import gettext

    return gettext("Too many failed sign-in attempts: this account is locked for a while. "
                   "Try again later or ask the Administrator to unlock it.")


class LoginRefused(Exception):
    """Too many failed attempts: the account or the address is locked for a while."""


def guarded(username: str, check):
    """Run check() (the password check) unless the account or address is locked.
    Raises LoginRefused when locked; a success releases its reserved slots."""
    if not current_app.config.get("LOGIN_LIMITS_ENABLED", True):
        return check()
    per_account, per_address, seconds = _limits()
    keys = [(account_key(username), per_account), (address_key(request.remote_addr), per_address)]
    reserved = []
    for key, limit in keys:
        count = _reserve(key, seconds)
        reserved.append(key)
        if count > limit:
            for k in reserved:
                _release(k)
            raise LoginRefused()
    user = check()
    if user:
        for k in reserved:
            _release(k)
    return user
