"""Issue 8, findings 13 and 16: retries really run, abandoned runs are seen,
two schedulers run nothing twice."""
import datetime as dt
import threading

from rq import Queue
from rq.cron import CronJob

from app.extensions import db
from app.models import JobRun


def _runs(app, name):
    with app.app_context():
        return db.session.query(JobRun).filter_by(name=name).all()


def test_two_cron_schedulers_run_the_sweep_and_the_cycle_once(app, redis_url, run_jobs):
    # Finding 16: two `rq cron` started by mistake each enqueue the day's jobs.
    from app.jobs.cron import schedules

    with app.app_context():
        from app.jobs.queue import redis_connection

        connection = redis_connection()
        for _scheduler in range(2):
            for schedule in schedules("07:00"):
                if schedule["name"] in ("deadline_sweep", "reports_cycle"):
                    CronJob(**schedule).enqueue(connection)
        assert Queue("default", connection=connection).count == 4
    run_jobs()
    for name in ("deadline_sweep", "reports_cycle"):
        runs = _runs(app, name)
        assert len(runs) == 2
        duplicates = [r for r in runs if r.detail and "another scheduler" in r.detail]
        assert len(duplicates) == 1, [r.detail for r in runs]
        assert all(r.status in ("done", "skipped") for r in runs)


def test_a_run_stuck_in_running_past_its_timeout_is_marked_failed_by_the_sweep(app, redis_url, run_jobs):
    # Finding 13: a worker killed mid-job leaves its job_run "running" for ever.
    from app.models import local_now

    with app.app_context():
        stuck = JobRun(name="urge_overdue", job_id="dead", status="running",
                       started_at=local_now() - dt.timedelta(hours=3))
        fresh = JobRun(name="render_letter", job_id="alive", status="running", started_at=local_now())
        db.session.add_all([stuck, fresh])
        db.session.commit()
        stuck_id, fresh_id = stuck.id, fresh.id
        from app.jobs.queue import enqueue
        from app.jobs.tasks import deadline_sweep

        enqueue(deadline_sweep, force=True)
    run_jobs()
    with app.app_context():
        assert db.session.get(JobRun, stuck_id).status == "failed"
        assert "abandoned" in db.session.get(JobRun, stuck_id).error
        assert db.session.get(JobRun, fresh_id).status == "running"


def test_the_embedded_jobs_move_a_due_retry_back_to_its_queue(app, redis_url):
    # Finding 13: a retry waits in rq:scheduled:* until a scheduler moves it;
    # the embedded worker of `make run` had none.
    from app.jobs import embedded
    from app.jobs.tasks import dispatch_mail

    with app.app_context():
        from app.jobs.queue import redis_connection

        connection = redis_connection()
        queue = Queue("default", connection=connection)
        job = queue.enqueue_at(dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1), dispatch_mail)
        assert queue.count == 0 and job.id in queue.scheduled_job_registry
    stop = threading.Event()
    thread = threading.Thread(target=embedded.run_scheduled, args=([queue], connection, 0.1, stop), daemon=True)
    thread.start()
    try:
        for _ in range(50):
            if queue.count:
                break
            threading.Event().wait(0.1)
    finally:
        stop.set()
        thread.join(5)
    assert job.id in queue.job_ids


def test_the_readme_worker_command_moves_retries():
    # Finding 13: without --with-scheduler, no retry ever runs.
    import pathlib

    readme = (pathlib.Path(__file__).parents[2] / "README.md").read_text()
    workers = [line for line in readme.splitlines() if "rq worker" in line]
    assert workers and all("--with-scheduler" in line for line in workers)
