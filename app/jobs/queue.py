"""Where jobs go: Redis from REDIS_URL, or one in-process fakeredis server."""
from __future__ import annotations

import logging
import threading

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.exceptions import DuplicateJobError

log = logging.getLogger(__name__)

QUEUES = ("default", "letters")
# Retries with backoff (seconds): a job that keeps failing ends in the failed registry.
RETRY = Retry(max=3, interval=[10, 60, 300])

_fake_server = None
_lock = threading.Lock()


def redis_connection(url: str | None = None) -> Redis:
    url = url if url is not None else current_app.config.get("REDIS_URL", "")
    if url:
        return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    import fakeredis

    global _fake_server
    with _lock:
        if _fake_server is None:
            _fake_server = fakeredis.FakeServer()
    return fakeredis.FakeStrictRedis(server=_fake_server)


def queue(name: str = "default", connection: Redis | None = None) -> Queue:
    return Queue(name, connection=connection or redis_connection(),
                 default_timeout=current_app.config.get("JOB_TIMEOUT", 1800))


def enqueue(func, *args, job_id: str | None = None, queue_name: str = "default", **kwargs):
    """Enqueue a job by reference, with retries. A job with the same id that is
    still waiting is not enqueued twice. When Redis is unreachable the caller
    goes on: the database holds the work, and the next sweep picks it up."""
    try:
        return queue(queue_name).enqueue(func, *args, job_id=job_id, unique=bool(job_id), retry=RETRY,
                                         failure_ttl=30 * 24 * 3600, **kwargs)
    except DuplicateJobError:
        log.info("job %s is already queued", job_id)
        return None
    except RedisError as error:
        log.warning("job queue unreachable, %s left for the next sweep: %s", job_id or func, error)
        return None
