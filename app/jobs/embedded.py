"""The embedded default: with no REDIS_URL, the jobs run in this process on
fakeredis, with a worker thread and the cron scheduler thread — the same job
functions and schedules as production's `rq worker` and `rq cron`."""
from __future__ import annotations

import logging
import threading

from flask import Flask
from rq import Queue, SimpleWorker
from rq.cron import CronScheduler
from rq.timeouts import TimerDeathPenalty

from app.jobs.queue import QUEUES, redis_connection
from app.jobs.runner import use_app

log = logging.getLogger(__name__)


class ThreadWorker(SimpleWorker):
    """A worker that runs in a thread: no signal handlers, timer-based timeouts."""

    death_penalty_class = TimerDeathPenalty

    def _install_signal_handlers(self):
        pass


class ThreadCronScheduler(CronScheduler):
    def _install_signal_handlers(self):
        pass


def start(app: Flask) -> tuple[threading.Thread, threading.Thread]:
    from app.jobs.cron import schedules

    use_app(app)
    with app.app_context():
        connection = redis_connection()
        sweep_at = app.config["SWEEP_AT"]
    worker = ThreadWorker([Queue(name, connection=connection) for name in QUEUES], connection=connection)
    scheduler = ThreadCronScheduler(connection=connection, logging_level=logging.WARNING)
    for schedule in schedules(sweep_at):
        scheduler.register(**schedule)
    threads = (
        threading.Thread(target=worker.work, kwargs={"logging_level": "WARNING"}, name="rq-worker", daemon=True),
        threading.Thread(target=scheduler.start, name="rq-cron", daemon=True),
    )
    for thread in threads:
        thread.start()
    log.info("embedded jobs: worker and scheduler threads on fakeredis")
    return threads
