"""One-time form tokens (issue 8, finding 15).

Two identical posts of a creating form (a double click, a slow network, the
browser's "resend") used to create two delay reports, two progress updates.
Every creating form carries a fresh token (`{{ once_token_field() }}`); the view
records it (`@one_time`) in the same database transaction as what the form
creates, under a primary key: the first post claims it, and a second post of the
same token — even at the same moment, on PostgreSQL it waits for the first —
creates nothing and is sent to what the first one created, with a message. A
refused post (a field to correct) rolls its token back with everything else, so
the same page can be sent again once corrected.

A post without a token (an API client, a script) is served as before: the API
has its own answers (409 on a stale version, one outcome per report).
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import uuid

from flask import Flask, flash, g, redirect, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db

FIELD = "once_token"
KEEP_DAYS = 2  # a form left open longer than this is refused nothing: its token is simply forgotten
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def once_token_field() -> Markup:
    return Markup(f'<input type="hidden" name="{FIELD}" value="{uuid.uuid4().hex}">')


class Repeated(Exception):
    def __init__(self, result_url: str | None):
        super().__init__(result_url)
        self.result_url = result_url


def claim(form_name: str) -> str | None:
    """Record the posted token in the current transaction; raise Repeated when it was used."""
    from app.models_form_tokens import FormToken

    token = request.form.get(FIELD, "")
    if not _TOKEN.match(token):
        return None
    user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    db.session.add(FormToken(token=token, form=form_name[:64], user_id=user_id))
    try:
        db.session.flush()  # PostgreSQL: a second post of this token waits here for the first's commit
    except IntegrityError:
        db.session.rollback()
        first = db.session.get(FormToken, token)
        raise Repeated(first.result_url if first is not None and first.user_id == user_id else None)
    g.once_token = token
    return token


def _record_result(response) -> None:
    """Remember where the first post's result is, for a repeat to be sent there."""
    from app.models_form_tokens import FormToken

    token = g.pop("once_token", None)
    if token is None or response.status_code not in (301, 302, 303) or not response.location:
        return
    db.session.rollback()  # whatever the view left open; its work is committed or refused by now
    db.session.execute(update(FormToken).where(FormToken.token == token)
                       .values(result_url=response.location[:255]))  # no row if the post was refused
    db.session.commit()


def one_time(form_name: str, fallback):
    """Decorate a view whose POST creates something. `fallback(**view_args)` is the
    page to show a repeat when the first post's result is not known (yet)."""

    def decorate(view):
        @functools.wraps(view)
        def run(*args, **kwargs):
            if request.method != "POST":
                return view(*args, **kwargs)
            try:
                claim(form_name)
            except Repeated as repeated:
                flash(_("This form was already sent: nothing was created a second time. "
                        "Here is what the first sending created."), "info")
                return redirect(repeated.result_url or fallback(**kwargs))
            response = view(*args, **kwargs)
            _record_result(response)
            return response

        return run

    return decorate


def purge_expired(now: dt.datetime | None = None) -> int:
    """Tokens older than KEEP_DAYS are forgotten (the daily sweep)."""
    from app.models import local_now
    from app.models_form_tokens import FormToken

    cutoff = (now or local_now()) - dt.timedelta(days=KEEP_DAYS)
    result = db.session.execute(delete(FormToken).where(FormToken.created_at < cutoff))
    db.session.commit()
    return result.rowcount or 0


def init_form_tokens(app: Flask) -> None:
    app.jinja_env.globals["once_token_field"] = once_token_field
