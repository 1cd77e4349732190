"""What one bench user does (issue 10's load test), written once for both drivers:
locust's HttpUser (scripts/locustfile_bench.py) and the thread-based fallback
(scripts/bench_load.py). `client` is a requests.Session-like object whose URLs
are relative to the server (locust's HttpSession, or BaseUrlSession below).

A user signs in once (never signs out: logout ends every session of the
account, app/sessions.py), then opens pages — the task list (first and a deep
page), a task, the dashboard — and about one request in 20 is a write: the
agency head receives an assigned task (assigned → in progress), a real write
through the lifecycle service, the tallies and the notifications."""
from __future__ import annotations

import os
import random
import re

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"')
SHOW = re.compile(r"/tasks/show/(\d+)")
ACCOUNTS = (("bench_head", "Bench@2026"), ("chuyenvien", "Demo@2026"))
WRITE_EVERY = 20


SIGN_IN = ("sign-in form", "sign-in")  # timed apart from the pages: scrypt, not page work


class BaseUrlSession:
    """requests.Session with relative URLs and locust's `name=` keyword; each request
    is kept as a sample (start, name, ms, error) like locust's request event."""

    def __init__(self, base: str, samples: list | None = None):
        import requests

        self.base, self.session = base.rstrip("/"), requests.Session()
        self.samples = samples if samples is not None else []

    def _timed(self, method, url, name, kwargs):
        import time

        started = time.time()
        try:
            response = getattr(self.session, method)(self.base + url, timeout=60, **kwargs)
        except Exception as error:  # a refused connection is an error, not a crash
            self.samples.append((started, name or url, 1000 * (time.time() - started), repr(error)))
            raise
        error = f"HTTP {response.status_code}" if response.status_code >= 400 else None
        self.samples.append((started, name or url, 1000 * (time.time() - started), error))
        return response

    def get(self, url, name=None, **kwargs):
        return self._timed("get", url, name, kwargs)

    def post(self, url, name=None, **kwargs):
        return self._timed("post", url, name, kwargs)


def write_pool() -> list[int]:
    """Assigned tasks of the bench agency, prepared by scripts/bench_load.py: each
    write takes one, so no two users act on the same task."""
    path = os.environ.get("BENCH_LOAD_TASKS", "")
    if not path or not os.path.exists(path):
        return []
    with open(path) as handle:
        return [int(line) for line in handle if line.strip()]


class Visitor:
    def __init__(self, client, index: int, pool: list[int], deep_page: int):
        self.client, self.pool, self.deep_page = client, pool, deep_page
        self.username, password = ACCOUNTS[index % len(ACCOUNTS)]
        self.is_head = self.username == "bench_head"
        # Heads are half of the users and make the writes: one of their requests in
        # WRITE_EVERY // 2, from a different first request each (a write every ~20
        # requests overall, spread over the run instead of every head's 20th request).
        self.requests = random.randrange(WRITE_EVERY // 2)
        self.last_name = ""
        self.seen: list[int] = []
        page = client.get("/login/", name=SIGN_IN[0])
        token = CSRF.search(page.text)
        answer = client.post("/login/", name=SIGN_IN[1], allow_redirects=False,
                             data={"username": self.username, "password": password,
                                   "csrf_token": token.group(1) if token else ""})
        if answer.status_code not in (302, 303):
            raise RuntimeError(f"login of {self.username} answered {answer.status_code}")

    def step(self):
        """One request (or, for a write, the task page and its POST); `last_name`
        names the page of the answer returned."""
        self.requests += 1
        if self.is_head and self.pool and self.requests % (WRITE_EVERY // 2) == 0:
            return self.write()
        choice = random.random()
        who = "agency" if self.is_head else "office"
        if choice < 0.35:
            answer = self._get("/tasks/list/", f"{who} list p1")
            self.seen = [int(i) for i in SHOW.findall(answer.text)] or self.seen
        elif choice < 0.50:
            answer = self._get(f"/tasks/list/?page_TaskView={self.deep_page}", f"{who} list deep")
        elif choice < 0.75 and self.seen:
            answer = self._get(f"/tasks/show/{random.choice(self.seen)}", f"{who} task detail")
        else:
            answer = self._get("/", f"{who} dashboard")
        return answer

    def _get(self, url, name):
        self.last_name = name
        return self.client.get(url, name=name)

    def write(self):
        task_id = self.pool.pop()
        page = self._get(f"/tasks/show/{task_id}", "agency task detail")
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        self.last_name = "write: receive a task"
        return self.client.post(f"/tasks/act/{task_id}", name=self.last_name, allow_redirects=False,
                                data={"action": "receive", "csrf_token": token.group(1) if token else "",
                                      "version": version.group(1) if version else ""})


def failure(response) -> str | None:
    """Why an answer is not what a user wanted (None: fine). A page that lands on the
    sign-in form after redirects is a lost session, not a success."""
    if response.status_code >= 400:
        return f"HTTP {response.status_code}"
    if response.request.method == "POST":
        location = response.headers.get("Location", "")
        if response.status_code not in (302, 303) or "/login" in location:
            return f"write answered {response.status_code} {location}"
        return None
    if "/login" in response.url:
        return "signed out"
    return None
