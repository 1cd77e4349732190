"""The one wrapper every job runs in: an app context, one transaction, a
JobRun row, and exceptions that propagate so RQ marks the job failed."""
from __future__ import annotations

import functools
import json
import traceback

from flask import Flask, current_app, g, has_app_context

from sqlalchemy import update

from app.extensions import db

_app: Flask | None = None


def use_app(app: Flask) -> None:
    """The app jobs run in (the embedded worker's, or a test's)."""
    global _app
    _app = app


def _job_app() -> Flask:
    global _app
    if has_app_context():
        return current_app._get_current_object()
    if _app is None:
        from app import create_app

        _app = create_app()
    return _app


def job(name: str):
    """Decorate a job function: `fn(*ids)` runs inside the app; its return value
    (a dict) is kept as the run's detail."""

    def decorate(fn):
        @functools.wraps(fn)
        def run(*args, **kwargs):
            from rq import get_current_job

            from app.models import JobRun, local_now

            app = _job_app()
            with app.app_context():
                current = get_current_job()
                record = JobRun(name=name, job_id=current.id if current else None, status="running")
                db.session.add(record)
                db.session.commit()
                record_id = record.id
                g.job_run_id = record_id
                try:
                    result = fn(*args, **kwargs) or {}
                    db.session.commit()
                except Exception:
                    db.session.rollback()
                    db.session.execute(update(JobRun).where(JobRun.id == record_id).values(
                        status="failed", finished_at=local_now(), error=traceback.format_exc()[-4000:]))
                    db.session.commit()
                    raise
                finally:
                    g.pop("job_run_id", None)
                status = "skipped" if result.get("skipped") else "done"
                db.session.execute(update(JobRun).where(JobRun.id == record_id).values(
                    status=status, finished_at=local_now(),
                    detail=json.dumps(result, ensure_ascii=False, default=str)))
                db.session.commit()
                db.session.remove()
                return result

        run.job_name = name
        return run

    return decorate


def progress(done: int, total: int) -> None:
    """Record a long job's progress where the web page can read it (JobRun.detail)."""
    from app.models import JobRun

    record_id = g.get("job_run_id")
    if record_id is None:
        return
    with db.engine.begin() as conn:  # outside the job's transaction: visible at once
        conn.execute(update(JobRun).where(JobRun.id == record_id).values(
            detail=json.dumps({"done": done, "total": total})))
