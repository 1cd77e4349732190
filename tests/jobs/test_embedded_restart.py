"""Issue 8, finding 13, for `make run`: the embedded runtime starts on a fresh in-process
queue, so a run the previous start left "running" was lost with it; it shows as failed at
once (not after JOB_TIMEOUT), with the reason."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_restart_of_the_embedded_runtime_marks_the_lost_runs_failed(tmp_path):
    script = textwrap.dedent(f"""
        from app import create_app
        from flask_migrate import upgrade
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/e.db", "REDIS_URL": "",
                           "UPLOAD_FOLDER": "{tmp_path}", "MAIL_OUTBOX": "{tmp_path}/outbox"}})
        from app.extensions import db
        from app.models import JobRun
        with app.app_context():
            upgrade(directory="{ROOT}/migrations")
            db.session.add(JobRun(name="urge_overdue", job_id="urge-lost", status="running"))
            db.session.commit()
        from app.jobs import embedded
        embedded.start(app)
        with app.app_context():
            run = db.session.scalar(db.select(JobRun).where(JobRun.job_id == "urge-lost"))
            print("STATUS", run.status, run.error)
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "REDIS_URL": "", "APP_ENV": "development",
                                 "INSTANCE_DIR": str(tmp_path)})
    assert "STATUS failed abandoned: the app stopped while it ran" in result.stdout, result.stdout + result.stderr
