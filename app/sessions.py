"""Sessions that really end: a per-user epoch (ab_user.session_epoch) is written into
the session cookie at sign-in and into every JWT; logout, a password change or reset
and deactivation bump it, so a replayed cookie or token is refused on the next request.
Web sessions also end after PERMANENT_SESSION_LIFETIME and SESSION_IDLE_MINUTES idle."""
from __future__ import annotations

import time

from flask import current_app, session
from flask_login import user_logged_in, user_logged_out

EPOCH = "_epoch"
STARTED = "_started"
SEEN = "_seen"


def bump_epoch(user) -> None:
    from app.extensions import db

    user.session_epoch = (user.session_epoch or 0) + 1
    db.session.commit()


def web_session_valid(user) -> bool:
    if session.get(EPOCH) != (user.session_epoch or 0):
        return False
    now = int(time.time())
    started, seen = session.get(STARTED, 0), session.get(SEEN, 0)
    if now - started > int(current_app.config["PERMANENT_SESSION_LIFETIME"]):
        return False
    if now - seen > int(current_app.config["SESSION_IDLE_MINUTES"]) * 60:
        return False
    if now - seen > 30:  # refresh the idle stamp at most every 30 s
        session[SEEN] = now
    return True


def _on_login(app, user, **_):
    now = int(time.time())
    session.permanent = True
    session[EPOCH] = user.session_epoch or 0
    session[STARTED] = now
    session[SEEN] = now


def _on_logout(app, user, **_):
    if user is not None and getattr(user, "is_authenticated", False) and hasattr(user, "session_epoch"):
        bump_epoch(user)
    for key in (EPOCH, STARTED, SEEN):
        session.pop(key, None)


def init_sessions(app) -> None:
    user_logged_in.connect(_on_login, app)
    user_logged_out.connect(_on_logout, app)
