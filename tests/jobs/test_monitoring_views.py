"""The bell, the notification list, the overdue list and the Admin's job view."""
import datetime as dt
import re

from sqlalchemy import select

from app.extensions import db
from app.models import Notification
from app.services.calendar import today


def test_the_bell_counts_unread_and_marks_read(app, client, auth, make_document, run_jobs):
    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep

    make_document([{"lead": "STC", "content": "Hạn hôm nay", "deadline": dt.date(2026, 11, 26)}],
                  issued_on=dt.date(2026, 11, 2))
    with app.app_context():
        enqueue(deadline_sweep, "2026-11-26")
    run_jobs()
    auth.login("stc_head")
    page = client.get("/tasks/list/").get_data(as_text=True)
    # The task's sending and its reminder (Art. 10, 11).
    assert re.search(r'id="bell-count"[^>]*>2<', page)
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "Hạn hôm nay" in listing
    with app.app_context():
        from tests.conftest import user

        note = db.session.scalar(select(Notification.id).where(Notification.kind == "due_today",
                                                               Notification.user_id == user("stc_head").id))
    answer = client.post(f"/notifications/read/{note}")
    assert answer.status_code == 302 and "/tasks/show/" in answer.headers["Location"]
    client.post("/notifications/read-all")
    assert 'id="bell-count"' not in client.get("/tasks/list/").get_data(as_text=True)
    # Mail preferences moved to their own page (tests/integration/test_mail_preferences.py).
    assert "/mail-preferences/" in listing


def test_the_bell_shows_99_plus_past_99_and_the_exact_count_below(app, client, auth):
    """An officer reminded of thousands of tasks: the bell reads at most 100 rows and says
    "99+"; with 99 or fewer it is exact, and reading them all clears it."""
    from tests.conftest import user

    with app.app_context():
        officer = user("officer").id
        db.session.add_all([Notification(user_id=officer, kind="due_soon", dedupe_key=f"k{n}", day=today(),
                                         message=f"Nhắc việc {n}", created_at=dt.datetime(2026, 12, 1, 8))
                            for n in range(150)])
        db.session.commit()
    auth.login("officer")
    assert re.search(r'id="bell-count"[^>]*>99\+<', client.get("/tasks/list/").get_data(as_text=True))
    with app.app_context():
        unread = db.session.scalars(select(Notification.id).where(Notification.user_id == officer)
                                    .order_by(Notification.id).limit(51)).all()
        db.session.execute(Notification.__table__.update().where(Notification.id.in_(unread))
                           .values(read_at=dt.datetime(2026, 12, 1, 9)))
        db.session.commit()
    assert re.search(r'id="bell-count"[^>]*>99<', client.get("/tasks/list/").get_data(as_text=True))
    client.post("/notifications/read-all")
    assert 'id="bell-count"' not in client.get("/tasks/list/").get_data(as_text=True)


def test_the_tracking_officer_sees_overdue_tasks_worst_first(client, auth, make_document):
    make_document([{"lead": "STC", "content": "Quá hạn ít", "deadline": today() - dt.timedelta(days=2)},
                   {"lead": "SNV", "content": "Quá hạn nhiều", "deadline": today() - dt.timedelta(days=30)}],
                  issued_on=today() - dt.timedelta(days=60))
    auth.login("officer")
    page = client.get("/overdue/").get_data(as_text=True)
    assert page.index("Quá hạn nhiều") < page.index("Quá hạn ít")
    auth.login("stc_head")
    assert client.get("/overdue/").status_code in (302, 403)


def test_the_admin_sees_failed_jobs_and_runs_one_again(app, client, auth, run_jobs, monkeypatch):
    from rq.registry import FailedJobRegistry

    import app.services.letters as letters

    def broken(letter_id):
        raise RuntimeError("renderer unavailable")

    monkeypatch.setattr(letters, "render_files", broken)
    from app.jobs.queue import enqueue, queue
    from app.jobs.tasks import render_letter

    with app.app_context():
        job = enqueue(render_letter, 4242, queue_name="letters")
        job.retries_left = 0
        job.save()
    run_jobs()
    auth.login("admin")
    page = client.get("/jobs/").get_data(as_text=True)
    assert "render_letter" in page and "renderer unavailable" in page and 'class="danger"' in page
    client.post(f"/jobs/requeue/letters/{job.id}")
    with app.app_context():
        assert job.id not in FailedJobRegistry(queue=queue("letters")).get_job_ids()
        assert queue("letters").count == 1
    auth.login("stc_head")
    assert client.get("/jobs/").status_code in (302, 403)
