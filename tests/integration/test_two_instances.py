"""Horizontal scale, shown (issue 10): two app instances (two gunicorn processes
on loopback) and two RQ workers (two `rq worker` processes) against one
PostgreSQL and one Redis behave as one system — a session opened on one is
valid on the other and ended on both by a logout on either; failed sign-ins
add up across instances; a write through one shows at once in the other's
counts, list and dashboard; a job id enqueued by two app objects is queued
once; two sweeps run by two workers at once, as if from two schedulers, run
the day once and remind once.

Needs the real servers: PostgreSQL (TEST_DATABASE_URL, or CI's) and Redis
(TEST_REDIS_URL, or CI's db 15). In CI (CI=true) an unreachable server fails
the test; elsewhere, without them, it is skipped (SQLite and fakeredis live in
one process and cannot show anything here)."""
from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.services.calendar import today as vn_today
from tests.conftest import CI, PASSWORD

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL") or ("redis://127.0.0.1:6379/15" if CI else "")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
TOTAL = re.compile(r"(?:Record Count|Số bản ghi):</strong>\s*(\d+)")
STATE = r'state-{}"[^>]*>\s*<h3[^>]*>(\d+)</h3>'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env(app, instance: Path) -> dict:
    return dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"], REDIS_URL=REDIS_URL,
                APP_ENV="development", SECRET_KEY=SECRET, JWT_SECRET_KEY=SECRET, INSTANCE_DIR=str(instance),
                LOGIN_LIMITS_ENABLED="true", LOGIN_MAX_FAILURES="5")


SECRET = secrets.token_hex(32)  # one key for both instances, as in production


@pytest.fixture(scope="module")
def servers(app, tmp_path_factory):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") or not REDIS_URL:
        if CI:
            pytest.fail("CI must run this test on PostgreSQL and Redis", pytrace=False)
        pytest.skip("two instances need a real PostgreSQL and Redis (TEST_DATABASE_URL, TEST_REDIS_URL)")
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} is unreachable: {error}", pytrace=False)
    instance = tmp_path_factory.mktemp("instance")
    processes, urls = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "--timeout", "120",
             "--log-level", "warning", "run:app"],
            cwd=ROOT, env=_env(app, instance), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        urls.append(f"http://127.0.0.1:{port}")
    import requests

    try:
        for process, url in zip(processes, urls):
            deadline = time.time() + 120
            while True:
                if process.poll() is not None:
                    pytest.fail("an instance did not start: " + process.stderr.read()[-2000:], pytrace=False)
                try:
                    if requests.get(url + "/login/", timeout=5).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.time() > deadline:
                    pytest.fail(f"{url} did not answer within 120 s", pytrace=False)
                time.sleep(0.5)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


class Browser:
    """One person's browser: a cookie jar, pointed at either instance."""

    def __init__(self):
        import requests

        self.session = requests.Session()

    def get(self, base, path, **kwargs):
        return self.session.get(base + path, timeout=60, **kwargs)

    def token(self, base, path="/login/"):
        found = CSRF.search(self.get(base, path).text)
        return found.group(1) if found else ""

    def login(self, base, username, password=PASSWORD):
        return self.session.post(base + "/login/", allow_redirects=False, timeout=60, data={
            "username": username, "password": password, "csrf_token": self.token(base)})

    def act(self, base, task_id, action):
        """A lifecycle button of the task page, with the page's CSRF token and version."""
        page = self.get(base, f"/tasks/show/{task_id}").text
        token, version = CSRF.search(page), re.search(r'name="version"[^>]*value="(\d+)"', page)
        return self.session.post(base + f"/tasks/act/{task_id}", allow_redirects=False, timeout=60, data={
            "action": action, "csrf_token": token.group(1) if token else "",
            "version": version.group(1) if version else ""})


def _signed_in(response) -> bool:
    return response.status_code == 200 and "/login" not in response.url


@pytest.fixture
def twin_user(app):
    from app.services.seeding import create_user

    names = []

    def make(username, role="AgencyHead", agency="STC"):
        with app.app_context():
            create_user(username=username, password=PASSWORD, role_name=role, agency_code=agency,
                        full_name=f"Twin {username}")
        names.append(username)
        return username

    yield make
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    with app.app_context():
        for username in names:
            redis.delete(f"theodoi:login:acct:{username}")
            db.session.execute(text("DELETE FROM notification WHERE user_id IN"
                                    " (SELECT id FROM ab_user WHERE username = :u)"), {"u": username})
            db.session.execute(text("DELETE FROM ab_user_role WHERE user_id IN"
                                    " (SELECT id FROM ab_user WHERE username = :u)"), {"u": username})
            db.session.execute(text("DELETE FROM ab_user WHERE username = :u"), {"u": username})
        db.session.commit()
    redis.delete("theodoi:login:addr:127.0.0.1")


def test_a_session_opened_on_one_instance_is_valid_on_the_other_and_ends_on_both(servers, twin_user):
    a, b = servers
    username = twin_user("twin_session")
    browser = Browser()
    assert browser.login(a, username).status_code in (302, 303)
    assert _signed_in(browser.get(b, "/tasks/list/"))  # the same cookie, the other instance
    assert _signed_in(browser.get(a, "/tasks/list/"))
    stolen = dict(browser.session.cookies)
    browser.get(b, "/logout/")  # signing out on B …
    replay = Browser()
    replay.session.cookies.update(stolen)
    assert not _signed_in(replay.get(a, "/tasks/list/"))  # … ends the session on A too
    assert not _signed_in(replay.get(b, "/tasks/list/"))


def test_failed_sign_ins_add_up_across_instances(servers, twin_user):
    a, b = servers
    username = twin_user("twin_limits")
    for base in (a, b, a, b, a):  # five failures, spread over both
        answer = Browser().login(base, username, "wrong-password")
        assert answer.status_code != 302 or "/login" in answer.headers.get("Location", "")
    for base in (a, b):  # the right password is now refused on either
        browser = Browser()
        browser.login(base, username)
        assert not _signed_in(browser.get(base, "/tasks/list/")), base


def test_a_write_on_one_instance_shows_at_once_on_the_other(app, servers, twin_user, make_document):
    a, b = servers
    today = vn_today()  # the app's day (Asia/Ho_Chi_Minh): from 17:00 UTC it is tomorrow there
    _doc, ids = make_document([{"lead": "STC", "deadline": today + dt.timedelta(days=60)},
                               {"lead": "SNV", "deadline": today + dt.timedelta(days=60), "coordinating": ["STC"]}],
                              issued_on=today - dt.timedelta(days=5))
    head = Browser()
    head.login(a, "stc_head")
    office = Browser()
    office.login(b, "officer")

    def numbers(browser, base):
        listed = TOTAL.search(browser.get(base, "/tasks/list/?_flt_3_status=in_progress").text)
        home = browser.get(base, "/").text
        return (int(listed.group(1)) if listed else 0,
                {key: int(re.search(STATE.format(key), home).group(1)) for key in ("in_time", "overdue")})

    for base in (a, b):  # both instances have counted and cached
        numbers(head, base)
        numbers(office, base)
    before_head, before_office = numbers(head, a), numbers(office, b)
    assert numbers(head, b) == before_head and numbers(office, a) == before_office
    # The agency head receives its task through instance B …
    answer = head.act(b, ids[0], "receive")
    assert answer.status_code in (302, 303)
    with app.app_context():
        assert db.session.scalar(text("SELECT status FROM task WHERE id = :id"), {"id": ids[0]}) == "in_progress"
    # … and instance A's list and both dashboards count it at once.
    after_head = numbers(head, a)
    assert after_head[0] == before_head[0] + 1
    assert numbers(head, b) == after_head
    assert numbers(office, a)[0] == before_office[0] + 1 == numbers(office, b)[0]
    # A raw write (a job, psql) moves the deadline into the past: overdue everywhere.
    with app.app_context():
        db.session.execute(text("UPDATE task SET deadline = :d WHERE id = :id"),
                           {"d": today - dt.timedelta(days=1), "id": ids[1]})
        db.session.commit()
    for base in (a, b):
        assert numbers(head, base)[1]["overdue"] == after_head[1]["overdue"] + 1
        assert numbers(office, base)[1]["overdue"] == before_office[1]["overdue"] + 1


def test_a_job_id_is_queued_once_whichever_instance_enqueues(app):
    if not REDIS_URL:
        pytest.skip("needs Redis")
    from app import create_app
    from app.jobs.queue import enqueue, queue
    from app.jobs.tasks import render_letter

    twins = [create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "REDIS_URL": REDIS_URL, "ENV_NAME": "testing", "TESTING": True}) for _ in range(2)]
    job_id = f"render-letter-twin-{secrets.token_hex(4)}"
    queued = []
    for twin in twins:
        with twin.app_context():
            queued.append(enqueue(render_letter, 0, job_id=job_id))
    with twins[0].app_context():
        q = queue()
        ids = q.get_job_ids()
        assert queued[0] is not None and queued[1] is None
        assert ids.count(job_id) == 1
        q.remove(job_id)
        queued[0].delete()


def test_two_workers_run_the_day_s_sweep_once(app, servers, make_document):
    from redis import Redis
    from rq import Queue

    from app.jobs.tasks import deadline_sweep
    from app.models import JobRun, Notification

    today = vn_today()  # the app's day (Asia/Ho_Chi_Minh): from 17:00 UTC it is tomorrow there
    make_document([{"lead": "STC", "deadline": today + dt.timedelta(days=n)} for n in range(-6, 7)],
                  issued_on=today - dt.timedelta(days=10))  # some deadline gets a reminder today
    redis = Redis.from_url(REDIS_URL)
    for key in redis.scan_iter("theodoi:cron:deadline_sweep:*"):
        redis.delete(key)
    q = Queue("default", connection=redis)
    q.empty()
    for _ in range(2):  # as two schedulers started by mistake would
        q.enqueue(deadline_sweep, scheduled=True)
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Notification))
        runs_before = db.session.scalar(select(func.max(JobRun.id))) or 0
    env = _env(app, Path(os.environ.get("TMPDIR", "/tmp")))
    rq = str(Path(sys.executable).parent / "rq")
    workers = [subprocess.Popen([rq, "worker", "--burst", "--url", REDIS_URL, "default"], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for worker in workers:
        assert worker.wait(timeout=300) == 0, worker.stderr.read()[-2000:]
    with app.app_context():
        runs = db.session.scalars(select(JobRun).where(JobRun.id > runs_before, JobRun.name == "deadline_sweep")).all()
        assert len(runs) == 2
        details = sorted(run.detail or "" for run in runs)
        assert sum("already run today" in d for d in details) == 1, details
        reminded = db.session.scalar(select(func.count()).select_from(Notification)) - before
        assert reminded > 0  # the overdue task's agency was reminded …
    with app.test_request_context():
        from app.services.sweep import deadline_sweep as sweep_again

        assert sweep_again(today, force=True)["reminders"] == 0  # … once: nothing left to remind
    for key in redis.scan_iter("theodoi:cron:deadline_sweep:*"):
        redis.delete(key)
