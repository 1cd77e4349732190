"""Job tests run on the real Redis in CI (CI=true: 127.0.0.1:6379, failing
when unreachable) and on in-process fakeredis elsewhere."""
import os

import pytest
from rq import Queue, SimpleWorker

from tests.conftest import CI

REDIS_CI_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url(app):
    url = REDIS_CI_URL if CI or os.environ.get("TEST_REDIS_URL") else ""
    if url:
        from redis import Redis
        from redis.exceptions import RedisError

        try:
            Redis.from_url(url, socket_connect_timeout=2).ping()
        except RedisError as error:
            pytest.fail(f"Redis at {url} is unreachable: {error}", pytrace=False)
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = url
    with app.app_context():
        from app.jobs.queue import redis_connection

        redis_connection().flushdb()
    from app.jobs.runner import use_app

    use_app(app)
    yield url
    app.config["REDIS_URL"] = saved


@pytest.fixture
def run_jobs(app, redis_url):
    """Work the queues until they are empty, in this thread (burst mode)."""
    def run():
        with app.app_context():
            from app.jobs.queue import QUEUES, redis_connection

            connection = redis_connection()
            worker = SimpleWorker([Queue(name, connection=connection) for name in QUEUES], connection=connection)
            worker.work(burst=True, logging_level="WARNING")
    return run
