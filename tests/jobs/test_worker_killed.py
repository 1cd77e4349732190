"""Issue 8, finding 13: a real `rq worker` killed mid-batch (SIGKILL, work horse
and all) and started again with the README's command finishes the batch: 22 of
22 letters, none twice, the job_run finished — within a minute.

Needs the real Redis (CI, or TEST_REDIS_URL) and a database the worker process
shares (PostgreSQL in CI; the SQLite file otherwise)."""
from __future__ import annotations

import datetime as dt
import os
import pathlib
import shlex
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Agency, JobRun, UrgingLetter, urging_letter_task
from app.services.calendar import today
from tests.conftest import user

ROOT = pathlib.Path(__file__).parents[2]
LETTERS = 22
BOUND = 60  # seconds from the kill to the finished batch


def _readme_worker_command(redis_url: str) -> list[str]:
    line = next(l for l in (ROOT / "README.md").read_text().splitlines() if "rq worker" in l and "--url" in l)
    command = line.split("#", 1)[0].replace('"$REDIS_URL"', redis_url).replace("$REDIS_URL", redis_url)
    return shlex.split(command)


def test_the_readme_worker_command_recovers_the_jobs_of_dead_workers():
    command = _readme_worker_command("redis://example.invalid:6379/0")
    assert command[command.index("-w") + 1] == "app.jobs.worker.Worker" and "--with-scheduler" in command


def _descendants(pid: int) -> list[int]:
    found = []
    for task in pathlib.Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child] + _descendants(child)
    return found


def _start_worker(command, env, log):
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _kill_hard(process) -> None:
    """As a machine dies: the worker, its work horse (own process group) and its scheduler, at once."""
    for pid in _descendants(process.pid) + [process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(10)


def _wait_for(condition, timeout: float, step: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def test_a_worker_killed_mid_batch_finishes_the_batch_after_a_restart(app, redis_url, make_document, tmp_path):
    if not redis_url:
        pytest.skip("needs a real Redis shared with a worker process (CI, or TEST_REDIS_URL)")
    past = today() - dt.timedelta(days=20)
    with app.app_context():
        codes = db.session.scalars(select(Agency.code).where(Agency.kind != "office").order_by(Agency.id)
                                   .limit(LETTERS)).all()
    assert len(codes) == LETTERS
    make_document([{"lead": code, "content": f"Nhiệm vụ quá hạn của {code}", "deadline": past} for code in codes],
                  issued_on=past - dt.timedelta(days=30))
    batch = "overdue-killed-worker"
    with app.app_context():
        from rq import Queue

        from app.jobs.queue import enqueue, redis_connection
        from app.jobs.tasks import urge_overdue

        Queue("default", connection=redis_connection()).empty()  # the entry's mails: not this test's
        job = enqueue(urge_overdue, batch, None, user("officer").id, queue_name="letters", job_id=f"urge-{batch}")
        assert job is not None

    def letters():
        with app.app_context():
            return db.session.scalar(select(func.count(UrgingLetter.id)).where(UrgingLetter.batch_key == batch))

    def runs():
        with app.app_context():
            return [(r.status, r.error or "") for r in db.session.scalars(
                select(JobRun).where(JobRun.job_id == job.id).order_by(JobRun.id))]

    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "REDIS_URL": redis_url,
           "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"], "INSTANCE_DIR": str(tmp_path), "APP_ENV": "development"}
    command = _readme_worker_command(redis_url)
    assert "--with-scheduler" in command
    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        first = _start_worker(command, env, log)
        second = None
        try:
            assert _wait_for(lambda: letters() >= 6, 45), log_path.read_text()
            _kill_hard(first)
            killed_at, done_before = time.monotonic(), letters()
            assert done_before < LETTERS, "the batch finished before the kill: nothing was tested"
            assert runs()[-1][0] == "running"  # left behind by the dead worker
            second = _start_worker(command, env, log)
            finished = _wait_for(lambda: runs()[-1][0] == "done" and letters() == LETTERS, BOUND, step=0.5)
            elapsed = time.monotonic() - killed_at
        finally:
            for process in (first, second):
                if process is not None and process.poll() is None:
                    _kill_hard(process)
    assert finished, f"{letters()} of {LETTERS} letters, runs {runs()} after {BOUND} s:\n{log_path.read_text()[-3000:]}"
    assert elapsed <= BOUND
    with app.app_context():
        rows = db.session.scalars(select(UrgingLetter).where(UrgingLetter.batch_key == batch)).all()
        assert sorted(r.agency.code for r in rows) == sorted(codes)  # one letter per agency, none twice
        assert db.session.scalar(select(func.count()).select_from(urging_letter_task)) == LETTERS
        folder = pathlib.Path(app.config["UPLOAD_FOLDER"]) / "letters"
        assert all(r.pdf_name and (folder / r.pdf_name).exists() and (folder / r.docx_name).exists() for r in rows)
    statuses = runs()
    assert statuses[0][0] == "failed" and "abandoned" in statuses[0][1]  # the Admin sees what happened
    assert statuses[-1][0] == "done" and len(statuses) == 2
