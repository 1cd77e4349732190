"""The job queue as the Admin reads it (app/templates/jobs.html), in Vietnamese:
queue and job names, and the summary each run keeps (JobRun.detail, JSON).
The identifiers stay beside them for IT staff."""
from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

QUEUE_LABEL = {
    "default": _l("General work (deadline sweep, mail, reports)"),
    "letters": _l("Urging letters (drafting, files)"),
}
JOB_LABEL = {
    "deadline_sweep": _l("Deadline sweep and reminders"),
    "dispatch_mail": _l("Sending of notification mails"),
    "render_letter": _l("Files (PDF, DOCX) of an urging letter"),
    "urge_overdue": _l("Drafting of urging letters for overdue tasks"),
    "reports_cycle": _l("Periodic reports cycle (consolidated drafts, late reminders, evaluation)"),
}
DETAIL_LABEL = {
    "day": _l("day"), "open": _l("open tasks"), "overdue": _l("overdue"), "due_today": _l("due today"),
    "due_soon": _l("due soon"), "reminders": _l("reminders"), "letters_rendered": _l("letters' files made"),
    "mail": _l("mail"), "mails": _l("mails"), "reminder_mails": _l("reminder mails"), "digests": _l("digests"),
    "users": _l("users"), "not_mailed": _l("not mailed (by choice)"), "abandoned_runs": _l("abandoned runs"),
    "letter": _l("letter"), "letters": _l("letters"), "tasks": _l("tasks"), "agencies": _l("agencies"),
    "done": _l("done"), "total": _l("total"), "built": _l("reports built"), "reminded": _l("reminded"),
    "evaluated": _l("evaluated"), "skipped": _l("skipped"),
}
SKIPPED = {
    "not a working day": _l("not a working day"),
    "already run today by another scheduler": _l("already run today by another scheduler"),
    "already run in this slot by another scheduler": _l("already run in this slot by another scheduler"),
    "letter gone": _l("the letter no longer exists"),
}


def _short(name: str | None) -> str:
    return (name or "").rsplit(".", 1)[-1]


def queue_label(name: str) -> str:
    label = QUEUE_LABEL.get(name)
    return str(label) if label is not None else name


def job_label(name: str | None) -> str:
    """"app.jobs.tasks.render_letter" or "render_letter" → its Vietnamese name."""
    label = JOB_LABEL.get(_short(name))
    return str(label) if label is not None else (name or "")


def _value(value) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None:
        return ""
    if isinstance(value, dict):
        return "(" + detail_text(value) + ")"
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    if isinstance(value, str):
        label = SKIPPED.get(value)
        return str(label) if label is not None else value
    return str(value)


def detail_text(detail) -> str:
    """A run's JSON summary in words: "công việc đang mở: 4; quá hạn: 1 …"."""
    if not detail:
        return ""
    if isinstance(detail, str):
        try:
            detail = json.loads(detail)
        except ValueError:
            return detail
    if not isinstance(detail, dict):
        return _value(detail)
    parts = []
    for key, value in detail.items():
        label = DETAIL_LABEL.get(key)
        parts.append(f"{label if label is not None else key}: {_value(value)}")
    return "; ".join(parts)


def job_time(value) -> str:
    """RQ keeps times in UTC; the Admin reads Vietnam time."""
    import datetime as dt

    from app.models import VN_TZ

    if not value:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
