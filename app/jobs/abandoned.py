"""Runs whose worker died: a job_run still "running" past its timeout never
finishes by itself. It is marked failed (the Admin sees it), and RQ's own
StartedJobRegistry cleanup — run by every `rq worker` — moves the job to retry
(`Retry(max=3)`), which a worker with `--with-scheduler` then re-queues."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import update

from app.extensions import db


def mark_abandoned(now: dt.datetime | None = None, timeout: int | None = None) -> int:
    """Mark failed every job_run "running" for longer than JOB_TIMEOUT (+ grace)."""
    from app.models import JobRun, local_now

    now = now or local_now()
    timeout = timeout if timeout is not None else max(int(current_app.config.get("JOB_TIMEOUT", 1800)), 3600)
    cutoff = now - dt.timedelta(seconds=timeout + 60)
    result = db.session.execute(
        update(JobRun).where(JobRun.status == "running", JobRun.started_at < cutoff).values(
            status="failed", finished_at=now,
            error=f"abandoned: still running after {timeout} s (worker died?); retried by RQ"))
    db.session.commit()
    return result.rowcount or 0


def mark_lost_in_process(now: dt.datetime | None = None) -> int:
    """The embedded runtime (`make run`, no REDIS_URL) starts on an empty in-process
    queue: whatever a previous run of the app left "running" was lost with it. Marked
    failed at once, not after JOB_TIMEOUT: the Admin and the letters' progress page say
    so (the sweep's catch-up renders the letters and sends the mail; a batch of letters
    is pressed again and drafts only what is missing)."""
    from app.models import JobRun, local_now

    result = db.session.execute(update(JobRun).where(JobRun.status == "running").values(
        status="failed", finished_at=now or local_now(),
        error="abandoned: the app stopped while it ran (in-process queue); run it again"))
    db.session.commit()
    return result.rowcount or 0
