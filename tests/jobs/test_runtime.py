"""The runtime: schedules in Vietnam time, and the embedded worker and cron
threads that `make run` uses when there is no REDIS_URL."""
import os
import subprocess
import sys
import textwrap

from app.jobs.cron import schedules, utc_cron

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_schedules_are_set_in_vietnam_time_and_given_to_rq_in_utc():
    assert utc_cron("07:00") == "0 0 * * *"
    assert utc_cron("06:30") == "30 23 * * *"
    sweep = next(s for s in schedules("08:15") if s["name"] == "deadline_sweep")
    assert sweep["cron"] == "15 1 * * *"


def test_the_embedded_worker_runs_jobs_in_process(tmp_path):
    """In a fresh process (its own fakeredis): start the embedded threads,
    enqueue the sweep, and see the job's run recorded as done."""
    script = textwrap.dedent(f"""
        import time
        from app import create_app
        from flask_migrate import upgrade
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/e.db", "REDIS_URL": "",
                           "UPLOAD_FOLDER": "{tmp_path}", "MAIL_OUTBOX": "{tmp_path}/outbox"}})
        with app.app_context():
            upgrade(directory="{ROOT}/migrations")
        from app.jobs import embedded
        embedded.start(app)
        with app.app_context():
            from app.jobs.queue import enqueue
            from app.jobs.tasks import deadline_sweep
            from app.extensions import db
            from app.models import JobRun
            enqueue(deadline_sweep, "2026-11-26")
            for _ in range(100):
                db.session.remove()
                status = db.session.scalar(db.select(JobRun.status))
                if status in ("done", "failed"):
                    break
                time.sleep(0.1)
            print("STATUS", status)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "REDIS_URL": "", "APP_ENV": "development"})
    assert "STATUS done" in result.stdout, result.stdout + result.stderr


def test_the_reports_cycle_builds_the_consolidated_draft_after_the_cut_off(app, run_jobs, make_document):
    import datetime as dt

    from sqlalchemy import select

    from app.extensions import db
    from app.jobs.queue import enqueue
    from app.jobs.tasks import reports_cycle
    from app.models import PeriodicReport

    make_document([{"lead": "STC", "deadline": dt.date(2026, 11, 30)}], issued_on=dt.date(2026, 11, 2))
    with app.app_context():
        enqueue(reports_cycle, "2026-11-15")
        enqueue(reports_cycle, "2026-11-15", job_id="reports-2026-11-15")
    run_jobs()
    with app.app_context():
        keys = db.session.scalars(select(PeriodicReport.period_key).where(PeriodicReport.scope_key == "province")).all()
        assert keys == ["monthly-2026-11"]  # once, however often it runs


def test_flask_serve_serves_the_app_with_its_jobs(tmp_path):
    """What `make run` starts: the web app and the in-process jobs, answering on its port."""
    import socket
    import time
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/serve.db", "REDIS_URL": "",
           "APP_ENV": "development", "INSTANCE_DIR": str(tmp_path)}
    flask = [sys.executable, "-m", "flask", "--app", "run"]
    subprocess.run(flask + ["db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    server = subprocess.Popen(flask + ["serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        status = None
        for _ in range(120):
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2).status
                break
            except OSError:
                time.sleep(0.25)
        assert status == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    assert "background jobs: in-process worker and scheduler" in output
