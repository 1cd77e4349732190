"""locust's side of `make bench`'s load test (scripts/bench_load.py starts it headless,
loopback only, bounded by --run-time). One run, three phases: every user signs in;
once all are in, BENCH_LOAD_PACED_SECONDS of 1–5 s pauses, then
BENCH_LOAD_SATURATION_SECONDS without pause, then locust stops itself.

Every request is written to BENCH_LOAD_SAMPLES (one JSON line: start, name, ms, error)
so scripts/bench_load.py computes its own figures: sign-ins apart from page views,
page views only once every user has signed in, a user-visible failure (a page that
lands on the sign-in form) counted as an error of the page it hit."""
import itertools
import json
import os
import random
import sys
import time

import gevent
from locust import HttpUser, events, task

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from scripts.bench_users import Visitor, failure, write_pool  # noqa: E402

POOL = write_pool()
DEEP = int(os.environ.get("BENCH_LOAD_DEEP", "199"))
NUMBERS = itertools.count()
SAMPLES: list = []
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
PACED = float(os.environ.get("BENCH_LOAD_PACED_SECONDS", "60"))
SATURATION = float(os.environ.get("BENCH_LOAD_SATURATION_SECONDS", "30"))
PHASES: dict = {"signed_in": 0}


@events.request.add_listener
def _sample(request_type, name, response_time, exception=None, start_time=None, **_kwargs):
    if request_type == "CHECK":  # a failure found by reading the answer: the page's own error
        SAMPLES.append((start_time or 0, name, None, str(exception)))
    else:
        SAMPLES.append((start_time or 0, name, response_time, None if exception is None else str(exception)[:120]))


@events.quitting.add_listener
def _dump(**_kwargs):
    path = os.environ.get("BENCH_LOAD_SAMPLES")
    if path:
        with open(path, "w") as handle:
            for sample in SAMPLES:
                handle.write(json.dumps(sample) + "\n")


def _mark(name: str) -> None:
    PHASES[name] = time.time()
    SAMPLES.append((PHASES[name], "PHASE", None, name))


class BenchUser(HttpUser):
    def wait_time(self):
        if "saturation" in PHASES and time.time() >= PHASES["saturation"]:
            return 0
        return random.uniform(1, 5)

    def on_start(self):
        try:
            self.visitor = Visitor(self.client, next(NUMBERS), POOL, DEEP)
        finally:
            PHASES["signed_in"] += 1
            if PHASES["signed_in"] == USERS:  # everyone is in: the measured phases start now
                _mark("paced")
                PHASES["saturation"] = PHASES["paced"] + PACED
                gevent.spawn_later(PACED, _mark, "saturation")
                gevent.spawn_later(PACED + SATURATION, self._stop)

    def _stop(self):
        _mark("end")
        self.environment.runner.quit()

    @task
    def step(self):
        response = self.visitor.step()
        reason = failure(response)
        if reason and response.status_code < 400:  # locust already counted HTTP errors
            import time

            self.environment.events.request.fire(
                request_type="CHECK", name=self.visitor.last_name, response_time=0, response_length=0,
                exception=RuntimeError(reason), context={}, start_time=time.time())
