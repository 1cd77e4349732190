"""The worker class of the README's command (`rq worker -w app.jobs.worker.Worker
--with-scheduler …`; issue 8, finding 13).

A worker killed mid-job (SIGKILL, a machine lost) leaves its job in RQ's
StartedJobRegistry. RQ moves it to retry only once its heartbeat entry expired
(90 s) *and* a worker runs its maintenance — on start and then every 10
minutes, and an idle worker blocks far longer than that between checks: after
a kill and two restarts, a batch of letters stayed at 6 of 22. This worker
looks for such jobs when it starts and every minute: a job whose worker is
provably dead (its Redis record expired, its heartbeat stale, or — on this
machine — its process gone) is put back on its queue at once, consuming one of
its retries, and its job_run is marked failed ("abandoned"). The jobs are
idempotent (deterministic ids, state re-checked, one transaction per item), so
the run that picks it up finishes the work without doing any of it twice.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from rq import Worker as RQWorker
from rq.defaults import DEFAULT_MAINTENANCE_TASK_INTERVAL
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import now, utcparse

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL = 60  # seconds between two looks at the started jobs (RQ's default: 600)
DEQUEUE_TIMEOUT = 30  # an idle worker wakes this often, so the look above really happens


def _process_gone(pid: int) -> bool:
    """On this machine: the process no longer exists, or only as a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def worker_is_dead(connection, worker_name: str | None, stale_after: int) -> bool:
    """True only when the worker cannot be running any more."""
    if not worker_name:
        return False
    record = {k.decode(): v.decode() for k, v in connection.hgetall(f"rq:worker:{worker_name}").items()}
    if not record or record.get("death"):
        return True  # its record expired (no heartbeat for its TTL), or it said goodbye
    heartbeat = record.get("last_heartbeat")
    if heartbeat and (now() - utcparse(heartbeat)) > dt.timedelta(seconds=stale_after):
        return True
    if record.get("hostname") == socket.gethostname() and record.get("pid", "").isdigit():
        return _process_gone(int(record["pid"]))
    return False


def requeue_abandoned(queue, stale_after: int) -> list[str]:
    """Put back on `queue` the started jobs whose worker died; returns their ids."""
    from rq.registry import StartedJobRegistry

    connection = queue.connection
    registry = StartedJobRegistry(queue=queue)
    requeued = []
    for entry in connection.zrange(registry.key, 0, -1):
        composite = entry.decode() if isinstance(entry, bytes) else entry
        job_id = composite.split(":", 1)[0]
        try:
            job = Job.fetch(job_id, connection=connection, serializer=queue.serializer)
        except NoSuchJobError:
            connection.zrem(registry.key, composite)
            continue
        if not worker_is_dead(connection, job.worker_name, stale_after):
            continue
        if not connection.zrem(registry.key, composite):
            continue  # another worker took it back first
        _mark_run_abandoned(job.id, job.worker_name)
        with connection.pipeline() as pipeline:
            if job.retries_left:
                # Not RQ's retry backoff: the job did not fail, its worker died.
                job.retries_left -= 1
                queue._enqueue_job(job, pipeline=pipeline)
                requeued.append(job.id)
            else:
                job.set_status(JobStatus.FAILED, pipeline=pipeline)
                job._handle_failure(f"abandoned: worker {job.worker_name} died", pipeline, worker_name="")
            pipeline.execute()
        log.warning("job %s was abandoned by dead worker %s: %s", job.id, job.worker_name,
                    "requeued" if job.id in requeued else "failed, no retry left")
    return requeued


def _mark_run_abandoned(job_id: str, worker_name: str | None) -> None:
    """The job_run the dead worker left "running" shows as failed (the Admin sees why)."""
    from sqlalchemy import update

    from app.extensions import db
    from app.jobs.runner import _job_app
    from app.models import JobRun, local_now

    with _job_app().app_context():
        db.session.execute(update(JobRun).where(JobRun.job_id == job_id, JobRun.status == "running").values(
            status="failed", finished_at=local_now(),
            error=f"abandoned: worker {worker_name} died while running it; put back on its queue"))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()  # no pooled connection may outlive this into a forked work horse


class Worker(RQWorker):
    def __init__(self, *args, **kwargs):
        if kwargs.get("maintenance_interval", DEFAULT_MAINTENANCE_TASK_INTERVAL) == DEFAULT_MAINTENANCE_TASK_INTERVAL:
            kwargs["maintenance_interval"] = MAINTENANCE_INTERVAL
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:
        return min(DEQUEUE_TIMEOUT, max(1, self.worker_ttl - 15))

    def run_maintenance_tasks(self):
        # A worker's heartbeat comes every job_monitoring_interval; twice that plus RQ's margin is stale.
        stale_after = 2 * self.job_monitoring_interval + 60
        for queue in self.queues:
            try:
                requeue_abandoned(queue, stale_after)
            except Exception:  # noqa: BLE001 — maintenance must not stop the worker; RQ's own cleanup remains
                log.exception("looking for abandoned jobs on %s", queue.name)
        super().run_maintenance_tasks()
