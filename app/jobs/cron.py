"""`rq cron app/jobs/cron.py --url $REDIS_URL`: the schedules.

rq cron reads cron strings in UTC; the sweep time is set in Vietnam time
(SWEEP_AT, default 07:00) and converted here. The sweep itself skips days that
are not working days on the app's calendar (holidays, Tết, the Admin's days off).
"""
from __future__ import annotations

import os

from rq import cron

from app.jobs.tasks import MAIL_INTERVAL, deadline_sweep, dispatch_mail, reports_cycle

VIETNAM_UTC_OFFSET = 7


def utc_cron(vietnam_time: str) -> str:
    """'07:00' in Vietnam → '0 0 * * *' (UTC)."""
    hours, minutes = (int(x) for x in vietnam_time.split(":"))
    return f"{minutes} {(hours - VIETNAM_UTC_OFFSET) % 24} * * *"


def schedules(sweep_at: str | None = None) -> list[dict]:
    """The schedules, for `rq cron` (below) and the embedded scheduler alike.
    `scheduled=True`: each job claims its day (or interval slot), so a second
    scheduler started by mistake runs nothing twice (app/jobs/once.py)."""
    once = {"scheduled": True}
    return [
        dict(func=deadline_sweep, queue_name="default", name="deadline_sweep", job_timeout=3600, kwargs=once,
             cron=utc_cron(sweep_at or os.environ.get("SWEEP_AT", "07:00"))),
        # Consolidated drafts after each cut-off, reminders of late reports, the evaluation.
        dict(func=reports_cycle, queue_name="default", name="reports_cycle", job_timeout=3600, kwargs=once,
             cron=utc_cron("00:05")),  # minutes after the cut-off (the end of the 14th)
        # Mails of notifications made during the day (delay reports, letters).
        dict(func=dispatch_mail, queue_name="default", name="dispatch_mail", interval=MAIL_INTERVAL,
             kwargs=once),
    ]


for schedule in schedules():
    cron.register(**schedule)
