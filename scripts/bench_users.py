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


class BaseUrlSession:
    """requests.Session with relative URLs and locust's `name=` keyword (ignored)."""

    def __init__(self, base: str):
        import requests

        self.base, self.session = base.rstrip("/"), requests.Session()

    def get(self, url, name=None, **kwargs):
        return self.session.get(self.base + url, timeout=60, **kwargs)

    def post(self, url, name=None, **kwargs):
        return self.session.post(self.base + url, timeout=60, **kwargs)


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
        self.requests = 0
        self.seen: list[int] = []
        page = client.get("/login/", name="login")
        token = CSRF.search(page.text)
        answer = client.post("/login/", name="login", allow_redirects=False,
                             data={"username": self.username, "password": password,
                                   "csrf_token": token.group(1) if token else ""})
        if answer.status_code not in (302, 303):
            raise RuntimeError(f"login of {self.username} answered {answer.status_code}")

    def step(self):
        """One request (or, for a write, the task page and its POST)."""
        self.requests += 1
        if self.is_head and self.pool and self.requests % WRITE_EVERY == 0:
            return self.write()
        choice = random.random()
        who = "agency" if self.is_head else "office"
        if choice < 0.35:
            answer = self.client.get("/tasks/list/", name=f"{who} list p1")
            self.seen = [int(i) for i in SHOW.findall(answer.text)] or self.seen
        elif choice < 0.50:
            answer = self.client.get(f"/tasks/list/?page_TaskView={self.deep_page}", name=f"{who} list deep")
        elif choice < 0.75 and self.seen:
            answer = self.client.get(f"/tasks/show/{random.choice(self.seen)}", name=f"{who} task detail")
        else:
            answer = self.client.get("/", name=f"{who} dashboard")
        return answer

    def write(self):
        task_id = self.pool.pop()
        page = self.client.get(f"/tasks/show/{task_id}", name="agency task detail")
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        return self.client.post(f"/tasks/act/{task_id}", name="write: receive a task", allow_redirects=False,
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
