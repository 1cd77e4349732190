"""The working calendar as the app uses it: the `holidays` package plus the
Admin's overrides from the database (SPEC §3).

One WorkingCalendar is kept per process and rebuilt when the overrides change.
Overrides are only ever added or removed (never edited), so the pair
(count, max id) identifies their state; it is read once per request, so a day
the Admin adds in one worker changes deadlines in every worker at once.
"""
from __future__ import annotations

import datetime as dt
import threading

from flask import g
from sqlalchemy import func, select

from app.domain.calendar import WorkingCalendar
from app.extensions import db
from app.models import CalendarOverride, local_now

_lock = threading.Lock()
_cached: tuple[tuple[int, int], WorkingCalendar] | None = None


def _signature() -> tuple[int, int]:
    from app.versions import noted

    known = noted("calendar_signature", pop=True)  # read with the signed-in user (app/security.py)
    if known is not None:
        return known
    count, max_id = db.session.execute(
        select(func.count(CalendarOverride.id), func.coalesce(func.max(CalendarOverride.id), 0))
    ).one()
    return int(count), int(max_id)


def current_calendar() -> WorkingCalendar:
    global _cached
    try:
        calendar = g.get("_calendar")
    except RuntimeError:  # outside a request or app context
        calendar = None
    if calendar is not None:
        return calendar
    signature = _signature()
    with _lock:
        if _cached is None or _cached[0] != signature:
            rows = db.session.scalars(select(CalendarOverride)).all()
            _cached = (
                signature,
                WorkingCalendar(
                    overrides={r.day: r.working for r in rows},
                    notes={r.day: r.note for r in rows if r.note},
                ),
            )
        calendar = _cached[1]
    try:
        g._calendar = calendar
    except RuntimeError:
        pass
    return calendar


def forget_calendar() -> None:
    """Drop the request's copy after an override is written."""
    try:
        g.pop("_calendar", None)
    except RuntimeError:
        pass


def today() -> dt.date:
    """Today in Vietnam (Asia/Ho_Chi_Minh), whatever the server's zone."""
    return local_now().date()


