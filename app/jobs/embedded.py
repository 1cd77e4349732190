"""The embedded default: with no REDIS_URL, the jobs run in this process on
fakeredis, with a worker thread and the cron scheduler thread — the same job
functions and schedules as production's `rq worker` and `rq cron`."""
from __future__ import annotations

import logging
import threading

from flask import Flask
from rq import Queue, SimpleWorker
from rq.cron import CronScheduler
from rq.scheduler import RQScheduler
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


def run_scheduled(queues, connection, interval: float = 1.0, stop: threading.Event | None = None) -> None:
    """What `rq worker --with-scheduler` does in its forked process, in a thread
    (a fork would not share the in-process fakeredis): move due jobs (retries
    after their backoff) from rq:scheduled:* to their queue."""
    import time

    scheduler = RQScheduler(queues, connection=connection, logging_level=logging.WARNING)
    while not (stop and stop.is_set()):
        try:
            scheduler.acquire_locks()
            if scheduler.acquired_locks:
                scheduler.enqueue_scheduled_jobs()
        except Exception:  # keep moving retries; log what went wrong
            log.exception("embedded scheduler")
        time.sleep(interval)


def start(app: Flask) -> tuple[threading.Thread, ...]:
    from app.jobs.cron import schedules

    use_app(app)
    with app.app_context():
        from app.jobs.abandoned import mark_lost_in_process

        lost = mark_lost_in_process()  # a fresh fakeredis: the previous run's jobs are gone
        if lost:
            log.warning("embedded jobs: %s runs of the previous start were lost, marked failed", lost)
        connection = redis_connection()
        sweep_at = app.config["SWEEP_AT"]
    queues = [Queue(name, connection=connection) for name in QUEUES]
    worker = ThreadWorker(queues, connection=connection)
    scheduler = ThreadCronScheduler(connection=connection, logging_level=logging.WARNING)
    for schedule in schedules(sweep_at):
        scheduler.register(**schedule)
    threads = (
        threading.Thread(target=worker.work, kwargs={"logging_level": "WARNING"}, name="rq-worker", daemon=True),
        threading.Thread(target=scheduler.start, name="rq-cron", daemon=True),
        # Retries wait in rq:scheduled:* until their backoff is over: someone must move them.
        threading.Thread(target=run_scheduled, args=(queues, connection), name="rq-scheduler", daemon=True),
    )
    for thread in threads:
        thread.start()
    log.info("embedded jobs: worker and scheduler threads on fakeredis")
    return threads
