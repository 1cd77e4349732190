"""locust's side of `make bench`'s load test (scripts/bench_load.py starts it headless,
loopback only, bounded by --run-time). BENCH_LOAD_WAIT=0: no pause (saturation)."""
import itertools
import os
import sys

from locust import HttpUser, between, constant, task

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from scripts.bench_users import Visitor, failure, write_pool  # noqa: E402

POOL = write_pool()
DEEP = int(os.environ.get("BENCH_LOAD_DEEP", "199"))
NUMBERS = itertools.count()


class BenchUser(HttpUser):
    wait_time = between(1, 5) if os.environ.get("BENCH_LOAD_WAIT", "1") == "1" else constant(0)

    def on_start(self):
        self.visitor = Visitor(self.client, next(NUMBERS), POOL, DEEP)

    @task
    def step(self):
        response = self.visitor.step()
        reason = failure(response)
        if reason:
            self.environment.events.request.fire(
                request_type="CHECK", name=reason, response_time=0, response_length=0,
                exception=RuntimeError(reason), context={})
